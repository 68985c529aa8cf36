"""Each child's digest: written with an edit in the same transaction; made once per child
after replicated revisions (a pull's batches bring a child in pieces); caught up after any
writer that knows nothing of digests, a replica made before them, or another version."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

import sync.case_digests
from engine.casework.casefile import DIGEST_VERSION, digest
from sync.case_digests import DIGESTS_SEQ, DIGESTS_VERSION, child_of
from sync.database import connect
from sync.errors import BatchRefused, NotFound
from sync.revisions import revisions_field
from sync.store import Store
from tests.sync.conftest import FAST_KDF


def _child(uuid: str, name: str = "王小明", **more: Any) -> dict[str, Any]:
    return {"_id": f"child:{uuid}", "type": "child", "answers": {"name": name}, **more}


def _risk(uuid: str, entry: str, on: str, band: str, **more: Any) -> dict[str, Any]:
    return {"_id": f"assessment:{uuid}:{entry}", "type": "assessment", "status": "final",
            "observed_on": on, "form": {"id": "risk", "version": 1}, "answers": {"q": 1},
            "result": {"classification": {"band": {"id": band}, "total": 3}}, **more}  # fmt: skip


def _pulled(doc: dict[str, Any], rev: str = "1-aa") -> dict[str, Any]:
    return {**doc, "_rev": rev}


def _from_documents(store: Store, uuid: str) -> dict[str, Any] | None:
    """The digest as the documents now make it: what the stored one must be."""
    try:
        record = store.get(f"child:{uuid}")
    except Exception:
        return None
    others = [d for k in ("assessment", "visit", "plan") for d in store.all_docs(f"{k}:{uuid}:")]
    for kind in ("assessment", "visit", "plan"):
        with suppress(NotFound):
            others.append(store.get(f"{kind}:{uuid}"))  # an odd id without its entry part
    return digest(record, others)


def _all_current(store: Store) -> None:
    """Every digest is what the documents make, and none is missing or left over."""
    assert store.digests_current()
    ids = (d["_id"].removeprefix("child:") for d in store.all_docs("child:"))
    children = {uuid for uuid in ids if ":" not in uuid}  # records: `child:<uuid>` exactly
    kept = {d["child"]["_id"].removeprefix("child:"): d for d in store.case_digests()}
    assert set(kept) == children
    for uuid in children:
        assert kept[str(uuid)] == _from_documents(store, str(uuid)), uuid


def test_child_of_reads_the_id_of_every_kind() -> None:
    assert child_of("child:abc") == child_of("visit:abc:1") == child_of("plan:abc:x:y") == "abc"
    assert child_of("assessment:abc") == "abc"  # an odd id without its entry part
    assert child_of("form:risk") is None and child_of("child:") is None
    assert child_of("_design/x") is None and child_of("child") is None


def test_every_edit_here_writes_its_childs_digest_in_the_same_transaction(store: Store) -> None:
    assert store.digests_current() and store.case_digest("a") is None
    store.put(_child("a"))
    rev = store.put(_risk("a", "1", "2026-01-02", "yellow"))
    assert store.case_digest("a")["observations"][0][6] == "yellow"  # type: ignore[index]
    store.put({**_risk("a", "1", "2026-01-02", "red"), "_rev": rev})
    store.put_many([_child("b", "李四"), _risk("b", "1", "2026-02-02", "green"),
                    _risk("a", "2", "2026-03-03", "blue"), {"_id": "assessment:a",  # odd id
                    "type": "assessment", "status": "draft"}])  # fmt: skip
    _all_current(store)
    a = store.get("child:a")
    store.put({**a, "answers": {"name": "王小明明"}})
    assert store.case_digest("a")["spelling"] == ["wangxiaomingming", "wxmm"]  # type: ignore[index]
    store.delete("assessment:a:2", store.get("assessment:a:2")["_rev"])
    store.delete("child:b", store.get("child:b")["_rev"])
    _all_current(store)
    assert store.refresh_digests() == 0  # nothing was left for later


def test_what_is_rolled_back_leaves_the_digest_as_it_was(store: Store) -> None:
    store.put_many([_child("a"), _risk("a", "1", "2026-01-02", "yellow")])
    before = store.case_digest("a")
    with pytest.raises(BatchRefused):
        store.put_all([_risk("a", "2", "2026-02-02", "red"), {"_id": "child:a"}])  # a conflict
    with pytest.raises(RuntimeError), store.transaction():
        store.put(_risk("a", "3", "2026-03-03", "red"))
        raise RuntimeError("the laptop's battery")
    assert store.case_digest("a") == before and store.digests_current()
    store.put(_risk("a", "4", "2026-04-04", "green"))  # nothing of the above comes back
    _all_current(store)
    assert len(store.case_digest("a")["observations"]) == 2  # type: ignore[index]


def test_a_pull_in_many_batches_makes_each_childs_digest_once_at_the_end(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = sync.case_digests.digest

    def counted(record: dict[str, Any], others: list[dict[str, Any]]) -> dict[str, Any]:
        made.append(record["_id"])
        return real(record, others)

    monkeypatch.setattr(sync.case_digests, "digest", counted)
    children = [f"c{n:02d}" for n in range(30)]
    store.put_replicated_many([_pulled(_child(c)) for c in children])
    for entry in range(8):  # the server's feed interleaves the children, batch after batch
        store.put_replicated_many(
            [_pulled(_risk(c, f"{entry}", f"2026-0{1 + entry % 9}-02", "red")) for c in children]
        )
    assert made == [] and not store.digests_current()
    assert store.refresh_digests() == 30
    assert sorted(made) == sorted(f"child:{c}" for c in children)  # once each
    _all_current(store)
    assert all(len(d["observations"]) == 8 for d in store.case_digests())


@pytest.mark.parametrize("lookups_up_to", [1, 10_000], ids=["read whole", "looked up"])
def test_pulled_conflicts_and_records_that_arrive_late_are_caught_up(
    store: Store, monkeypatch: pytest.MonkeyPatch, lookups_up_to: int
) -> None:
    monkeypatch.setattr(sync.case_digests, "LOOKUPS_UP_TO", lookups_up_to)
    gone = store.put(_child("g"))
    store.put_replicated(_pulled(_child("odd:part"), "1-dd"))  # not the record of child "odd"
    mine = store.put(_child("a", "本机"))
    store.put_replicated_many([_pulled(_risk("a", "1", "2026-01-02", "yellow"))])
    theirs = {**_child("a", "服务器"), "_rev": "2-ffff",
              "_revisions": revisions_field(["2-ffff", mine])}  # fmt: skip
    store.put_replicated(theirs)  # a longer branch wins
    store.put_replicated_many(
        [_pulled(_risk(f"x{n}", "1", "2026-01-02", "red")) for n in range(50)]
    )
    store.put(_risk("a", "2", "2026-02-02", "green"))  # an edit here meanwhile
    assert not store.digests_current()  # what was pulled is still to be made
    store.refresh_digests()
    _all_current(store)
    assert store.case_digest("a")["child"]["answers"]["name"] == "服务器"  # type: ignore[index]
    assert store.case_digest("x7") is None  # assessments of a child without a record
    store.put_replicated_many(
        [
            _pulled(_risk("odd", "1", "2026-01-02", "red")),
            _pulled(_risk("g", "1", "2026-01-02", "red")),
        ]
    )
    store.delete("child:g", gone)
    store.refresh_digests()
    _all_current(store)
    assert store.case_digest("odd") is None and store.case_digest("g") is None
    store.put_replicated(_pulled(_child("x7"), "1-cc"))  # its record arrives later
    store.refresh_digests()
    _all_current(store)
    assert len(store.case_digest("x7")["observations"]) == 1  # type: ignore[index]


@pytest.mark.parametrize("odd", [None, 5, "red", [1], {"x": None}])
def test_odd_values_written_elsewhere_neither_fail_a_write_nor_a_digest(
    store: Store, odd: Any
) -> None:
    fields = {"review": odd, "result": {"classification": odd}, "form": odd, "answers": odd,
              "observed_on": odd, "status": odd}  # fmt: skip
    store.put(_child("a", case={"history": odd}))
    store.put(_risk("a", "1", "2026-01-02", "red", review=odd))
    store.put(_risk("a", "2", "2026-01-02", "red", result={"classification": {"red_flags": odd,
              "band": odd, "total": odd}}))  # fmt: skip
    for n, (name, value) in enumerate(fields.items()):
        store.put_replicated(_pulled(_risk("a", f"p{n}", "2026-02-02", "red") | {name: value}))
    store.put_replicated(_pulled(_child("b", case={"history": [odd, {"to": odd}]})))
    store.refresh_digests()
    _all_current(store)


def test_a_replica_made_before_digests_catches_up_once_with_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "replica.db"
    with Store.open(path, "pass", kdf_cost=FAST_KDF) as store:
        risks = [_risk(f"c{n:03d}", "1", "2026-01-02", "red") for n in range(0, 450, 7)]
        store.put_many([_child(f"c{n:03d}") for n in range(450)] + risks)
        made = {d["child"]["_id"]: d for d in store.case_digests()}
        key, page_bytes = store._key, store.page_bytes
    # as a replica of the version before: no table, not migrated to it
    db = connect(path, key, page_bytes=page_bytes)
    db.execute("DROP TABLE case_digests")
    db.execute("DELETE FROM meta WHERE key IN (?, ?)", (DIGESTS_SEQ, DIGESTS_VERSION))
    db.execute("DELETE FROM migrations WHERE version = 4")
    db.close()
    monkeypatch.setattr(sync.case_digests, "REFRESH_BATCH", 200)
    with Store.open(path, "pass", kdf_cost=FAST_KDF) as store:
        assert not store.digests_current() and list(store.case_digests()) == []
        heard: list[tuple[int, int]] = []
        store.refresh_digests(lambda done, total: heard.append((done, total)))
        assert heard == [(200, 450), (400, 450), (450, 450)]
        assert {d["child"]["_id"]: d for d in store.case_digests()} == made
        _all_current(store)


def test_digests_of_another_version_are_all_made_again(store: Store) -> None:
    store.put_many([_child("a"), _risk("a", "1", "2026-01-02", "red"), _child("b")])
    with store.transaction():
        older = (str(DIGEST_VERSION - 1), DIGESTS_VERSION)
        store._db.execute("UPDATE meta SET value = ? WHERE key = ?", older)
        store._db.execute("UPDATE case_digests SET body = '{}'")
    assert not store.digests_current()
    store.put(_child("c"))  # an edit meanwhile does not make the old ones current
    assert not store.digests_current()
    assert store.refresh_digests() == 3
    _all_current(store)


def test_a_writer_that_knows_nothing_of_digests_is_caught_up(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.put_many([_child("a"), _child("b")])
    with monkeypatch.context() as older:  # an older careforms on the same replica
        older.setattr(Store, "_write_digests", lambda self: self._forget_written())
        store.put(_risk("a", "1", "2026-01-02", "red"))
        store.delete("child:b", store.get("child:b")["_rev"])
    store.put(_child("c"))  # a newer edit after it must not pass it over
    assert not store.digests_current()
    store.refresh_digests()
    _all_current(store)


def test_writes_while_catching_up_are_not_lost(store: Store) -> None:
    store.put_replicated_many([_pulled(_child(f"c{n:04d}")) for n in range(1200)])
    step = iter(range(10))

    def meanwhile(done: int, total: int) -> None:  # between the catching up's transactions
        n = next(step)
        store.put(_child(f"new{n}"))
        store.put_replicated(_pulled(_child(f"far{n}")))
        store.put({**store.get("child:c0001"), "answers": {"name": f"改{n}"}})

    store.refresh_digests(meanwhile)
    store.refresh_digests()
    _all_current(store)
    assert store.case_digest("new0") is not None and store.case_digest("far2") is not None


def test_a_replica_whose_meta_lacks_the_digests_sequence_is_caught_up_once(store: Store) -> None:
    store.put_many([_child("a"), _risk("a", "1", "2026-01-02", "red")])
    with store.transaction():
        store._db.execute("DELETE FROM meta WHERE key = ?", (DIGESTS_SEQ,))
    assert not store.digests_current()
    assert store.refresh_digests() == 1
    assert store.digests_current() and store.refresh_digests() == 0
    _all_current(store)


def test_the_catch_up_reads_the_changed_ids_from_an_index_alone(tmp_path: Path) -> None:
    """A replica from before the index (migration 6) gets it when opened, and the digests'
    catch-up finds what changed without reading the documents' rows."""
    path = tmp_path / "replica.db"
    with Store.open(path, "pass", kdf_cost=FAST_KDF) as store:
        store.put_many([_child(f"c{n:03d}") for n in range(40)])
        store._db.execute("DROP INDEX docs_changed")  # as made before it
        store._db.execute("DELETE FROM migrations WHERE version = 6")
    with Store.open(path, "pass", kdf_cost=FAST_KDF) as store:
        store.put_replicated(_pulled(_risk("c007", "1", "2026-01-02", "red")))  # digests behind
        asked: list[str] = []
        store._db.set_trace_callback(asked.append)
        assert store.refresh_digests() == 1
        store._db.set_trace_callback(None)
        changed = [s for s in asked if s.startswith("SELECT doc_id FROM docs WHERE seq")]
        assert len(changed) == 1
        plan = store._db.execute(f"EXPLAIN QUERY PLAN {changed[0]}").fetchall()
        assert "USING COVERING INDEX docs_changed" in str(plan)
        _all_current(store)
