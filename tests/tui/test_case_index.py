"""The saved case index: the list is complete at once and only changed children are redone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from engine.casework.rules import load_rules
from engine.forms.registry import FormRegistry
from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.tui.conftest import TEST_WORKER
from tui import case_index
from tui.app import CareformsApp
from tui.case_index import changed_children, load_index, recompute, rules_fingerprint, save_index
from tui.commands.demo import fill
from tui.widgets.case_table import CaseTable

TODAY = date(2026, 11, 23)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "replica.db", "pass phrase", kdf_cost=FAST_KDF) as opened:
        fill(opened, 20, TODAY)
        yield opened


def test_an_incremental_refresh_equals_a_full_one(store: Store) -> None:
    rules = load_rules()
    full = recompute(store, rules, TODAY, None, None)
    seq = store.update_seq
    save_index(store, full, seq, TODAY, "r")
    saved = load_index(store, TODAY)
    assert saved is not None and sorted(saved.rows, key=str) == sorted(full, key=str)
    child = full[0]
    doc = store.get(f"child:{child.id}")
    store.put({**doc, "answers": {**doc["answers"], "name": "改名了"}})
    assert changed_children(store, seq) == {child.id}
    again = recompute(store, rules, TODAY, saved.rows, seq)
    assert sorted(again, key=str) == sorted(recompute(store, rules, TODAY, None, None), key=str)
    assert next(r for r in again if r.id == child.id).name == "改名了"
    later = load_index(store, TODAY + timedelta(days=30))
    assert later is not None
    assert all(
        r.overdue == max(0, (TODAY + timedelta(days=30) - r.due).days) for r in later.rows if r.due
    )


async def test_the_second_launch_shows_bands_before_any_work(store: Store, tmp_path: Path) -> None:
    app = CareformsApp(tmp_path / "replica.db", store=store, today=TODAY, worker=TEST_WORKER)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
    forms = FormRegistry.load()
    rules = load_rules()
    saved = load_index(store, TODAY)
    assert saved is not None and saved.seq == store.update_seq
    assert saved.rules == rules_fingerprint(rules, forms.get("risk").digest)
    again = CareformsApp(tmp_path / "replica.db", store=store, today=TODAY, worker=TEST_WORKER)
    async with again.run_test() as pilot:
        await pilot.pause()
        rows = again.screen.query_one(CaseTable).rows
        assert len(rows) == 20 and sum(1 for r in rows if r.band) >= 19


def test_a_new_day_keeps_showing_the_known_bands_while_everyone_is_redone(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_index, "FIRST_SCREEN", 5)
    rules = load_rules()
    yesterday = recompute(store, rules, TODAY - timedelta(days=1), None, None)
    assert sum(1 for r in yesterday if r.band) >= 19
    shown: list[tuple[list, int, int]] = []  # type: ignore[type-arg]
    today = recompute(store, rules, TODAY, yesterday, None, progress=lambda *a: shown.append(a))
    rows, done, total = shown[0]  # the first screenful computed, the others as known
    assert (done, total, len(rows)) == (5, 20, 20)
    assert {r.id: r.band for r in rows} == {r.id: r.band for r in yesterday}
    assert sorted(today, key=str) == sorted(recompute(store, rules, TODAY, None, None), key=str)
    never = []  # type: ignore[var-annotated]
    recompute(store, rules, TODAY, None, None, progress=lambda *a: never.append(a))
    first = never[0][0]  # never computed: the names at once, the bands as they come
    assert len(first) == 20 and {r.name for r in first} == {r.name for r in yesterday}
    assert sum(1 for r in first if r.band) <= 5


def test_the_rows_from_digests_are_the_rows_from_the_documents_and_an_old_replica_builds_them(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync import case_digests
    from tui.case_files import each_case_file
    from tui.case_index import enrich, row_from_child

    rules = load_rules()
    from_documents = sorted(
        (enrich(row_from_child(c.child), c, rules, TODAY) for c in each_case_file(store)), key=str
    )
    assert sorted(recompute(store, rules, TODAY, None, None), key=str) == from_documents
    with store.transaction():  # as a replica made before digests
        store._db.execute("DELETE FROM case_digests")
        store._db.execute("UPDATE meta SET value = '0' WHERE key = ?", (case_digests.DIGESTS_SEQ,))
    monkeypatch.setattr(case_digests, "REFRESH_BATCH", 4)
    monkeypatch.setattr(case_index, "PROGRESS_EVERY", 0.0)
    monkeypatch.setattr(case_index, "FIRST_SCREEN", 2)
    heard: list[tuple[int, int]] = []
    banded_first: list[int] = []  # children with a band in the first list shown

    def shown(rows: list, done: int, total: int) -> None:  # type: ignore[type-arg]
        if not heard:
            banded_first.append(sum(1 for r in rows if r.band))
            assert list(store.case_digests()) == []  # shown before any digest was made
        heard.append((done, total))

    rows = recompute(store, rules, TODAY, None, None, progress=shown)
    assert sorted(rows, key=str) == from_documents and store.digests_current()
    done = [d for d, _ in heard]
    assert done == sorted(done) and {t for _, t in heard} == {20}  # never backwards
    assert done[0] == 2 and done[-1] == 20 and banded_first[0] >= 1
    assert {4, 6, 8} <= set(done)  # building the digests was told as the first half
    # and a child changed afterwards is taken from its digest, written with the change
    child = rows[0]
    doc = store.get(f"child:{child.id}")
    seq = store.update_seq
    store.put({**doc, "answers": {**doc["answers"], "name": "改名了"}})
    again = recompute(store, rules, TODAY, rows, seq)
    assert next(r for r in again if r.id == child.id).name == "改名了"
