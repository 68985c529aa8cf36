"""`careforms demo` and `careforms due`, and the sync state of a child's record."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from engine.casework.rules import load_rules
from engine.casework.schedule import band_of
from sync.settings import SyncSettings
from sync.store import Store
from tui.case_files import case_file, case_files, sync_state
from tui.cli import main

TODAY = "2026-11-23"


def test_the_demo_shows_every_band_and_category_with_conflicts(store: Store) -> None:
    cases = case_files(store)
    assert len(cases) == 60
    rules = load_rules()
    assert {band_of(c, rules) for c in cases} == {"red", "orange", "yellow", "green"}
    categories = {cat for c in cases for cat in c.profile["categories"]}
    assert len(categories) == 9
    assert all(c.finals("risk") and c.finals("visit") for c in cases)
    assert len(store.conflicted("child:")) == 3
    assert any(c.plans for c in cases) and any(c.state == "closed" for c in cases)


def test_the_demo_fills_only_an_empty_replica(
    demo_home: Path, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "--home", str(demo_home), "demo"]) == 1
    assert "already has 60 children" in capsys.readouterr().err


def test_due_lists_overdue_and_soon_due_items_by_village(
    demo_home: Path, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--home", str(demo_home), "due", "--on", TODAY, "--days", "14", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert entries
    today = date.fromisoformat(TODAY)
    places = [(e["township"], e["village"], e["due"]) for e in entries]
    assert places == sorted(places)
    for entry in entries:
        due = date.fromisoformat(entry["due"])
        assert (due - today).days <= 14
        assert entry["overdue_days"] == max(0, (today - due).days)
        assert entry["since"] is None or entry["since"] < entry["due"]
    closed = {c.id for c in case_files(store) if c.state == "closed"}
    assert closed and not closed & {e["child"] for e in entries}
    assert main(["--lang", "en", "--home", str(demo_home), "due", "--on", TODAY]) == 0
    text = capsys.readouterr().out
    assert "days overdue" in text and "weekly contact for a red child" in text


def test_a_new_child_is_listed_with_both_assessments_due_a_month_after_intake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CAREFORMS_PASSPHRASE", "pass")
    with Store.open(tmp_path / "replica.db", "pass") as new:
        new.put(
            {
                "_id": "child:n1",
                "type": "child",
                "answers": {"name": "新来的", "village": "石桥村", "intake_date": "2026-11-30"},
            }
        )
    args = ["--home", str(tmp_path), "due", "--on", "2026-12-20", "--days", "14", "--json"]
    assert main(args) == 0
    entries = json.loads(capsys.readouterr().out)
    assert {(e["rule"], e["due"]) for e in entries} == {
        ("initial-risk", "2026-12-30"),
        ("initial-needs", "2026-12-30"),
        ("contact", "2026-12-30"),
    }
    assert main(["--home", str(tmp_path), "due", "--on", "2026-12-01", "--days", "3"]) == 0
    assert "未来 3 天内没有到期事项" in capsys.readouterr().out


def test_sync_state_says_synced_local_or_conflicted(store: Store) -> None:
    conflicted = store.conflicted("child:")[0]
    assert sync_state(store, case_file(store, conflicted)) == "conflicted"
    calm = next(c for c in case_files(store) if f"child:{c.id}" not in store.conflicted("child:"))
    assert sync_state(store, calm) == "local"  # never synced
    settings = SyncSettings.load(store)
    settings.synced_at(datetime(2026, 11, 23, tzinfo=UTC), store.update_seq)
    settings.save(store)
    assert sync_state(store, calm) == "synced"
    doc = store.get(f"child:{calm.id}")
    store.put({**doc, "answers": {**doc["answers"], "school": "新学校"}})
    assert sync_state(store, case_file(store, calm.id)) == "local"
    assert case_file(store, "child:nobody") is None


def test_the_change_history_says_who_changed_which_field_on_which_device(store: Store) -> None:
    from tui.case_files import change_history

    calm = next(c for c in case_files(store) if f"child:{c.id}" not in store.conflicted("child:"))
    doc = store.get(f"child:{calm.id}")
    store.put({**doc, "answers": {**doc["answers"], "guardian_name": "历史测试"},
               "updated_by": "周主任", "device": "laptop-2",
               "updated_at": "2099-01-01T10:00:00+08:00"})  # fmt: skip
    history = change_history(case_file(store, calm.id))
    newest = history[0]
    assert (newest.by, newest.device, newest.doc_id) == ("周主任", "laptop-2", f"child:{calm.id}")
    assert newest.fields == ("/answers/guardian_name",)
    assert any(not c.fields for c in history)  # each document's creation is listed too
