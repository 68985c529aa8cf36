"""The replica stays bounded: compaction drops what nothing needs and gives the space back,
while the change log in each document keeps who, when, where and which fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine.casework.casefile import CaseFile
from sync import history
from sync.compaction import replica_bytes
from sync.conflicts import describe, resolve
from sync.couch import CouchServer
from sync.errors import NotFound
from sync.replicator import Replicator
from sync.revisions import revisions_field
from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.sync.server import ServerUnderTest
from tui.case_files import change_history


def stamp(doc: dict[str, Any], by: str, at: str, device: str = "laptop-1") -> dict[str, Any]:
    return {**doc, "updated_by": by, "updated_at": at, "device": device}


def fill_in(store: Store, answers: int = 12) -> str:
    """A new assessment, a profile saved, answers autosaved one by one, then finalised."""
    doc_id = "assessment:c1:a1"
    draft = stamp({"_id": doc_id, "type": "assessment", "district": "d", "status": "draft",
                   "answers": {}}, "李老师", "2026-11-02T09:00:00+08:00")  # fmt: skip
    draft["_rev"] = store.put(draft)
    for n in range(answers):  # autosave: one revision per answer
        draft = stamp({**draft, "answers": {**draft["answers"], f"q{n}": n}}, "李老师",
                      f"2026-11-02T09:{n + 1:02d}:00+08:00")  # fmt: skip
        draft["_rev"] = store.put(draft)
    final = stamp({**draft, "status": "final", "result": {"band": "yellow"}}, "李老师",
                  "2026-11-02T10:00:00+08:00")  # fmt: skip
    final["_rev"] = store.put(final)
    return final["_rev"]


def test_the_change_log_has_one_entry_per_saved_revision_not_per_autosave(
    store: Store,
) -> None:
    fill_in(store)
    log = history.entries(store.get("assessment:c1:a1"))
    assert [(e["at"][11:16], e["fields"]) for e in log] == [
        ("09:00", []),  # created
        ("10:00", sorted(["/result/band", "/status", *(f"/answers/q{n}" for n in range(12))])),
    ]
    assert all(e["by"] == "李老师" and e["device"] == "laptop-1" for e in log)
    assert not any(e.get("draft") for e in log)


def test_compaction_drops_old_bodies_keeps_leaves_and_gives_space_back(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db", "p", kdf_cost=FAST_KDF) as store:
        for n in range(20):
            rev = store.put({"_id": f"visit:{n}", "note": "x" * 3000, "n": 0})
            for k in range(1, 15):
                rev = store.put({"_id": f"visit:{n}", "_rev": rev, "note": "y" * 3000, "n": k})
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = replica_bytes(store.path)
        done = store.compact()
        assert done.bodies == 20 * 14 and done.documents == 20
        assert done.bytes_after < before / 4
        assert store.get("visit:3")["n"] == 14
        revisions = store.get("visit:3", revs=True)["_revisions"]
        assert len(revisions["ids"]) == 15  # the history's ids are kept, not its bodies
        with pytest.raises(NotFound):
            store.get("visit:3", f"1-{revisions['ids'][-1]}")
        again = store.compact()  # nothing changed since: nothing looked at
        assert again.bodies == 0
        assert store.integrity_check() == "ok"


def test_a_conflict_keeps_its_common_ancestor_through_compaction(store: Store) -> None:
    base = store.put({"_id": "child:1", "name": "王小明", "village": "东村"})
    middle = store.put({"_id": "child:1", "_rev": base, "name": "王小明", "village": "西村"})
    mine = store.put({"_id": "child:1", "_rev": middle, "name": "王小明", "village": "南村"})
    theirs = "3-" + "f" * 32
    store.put_replicated(
        {
            "_id": "child:1",
            "_revisions": revisions_field([theirs, "2-" + "e" * 32, base]),
            "name": "王晓明",
            "village": "东村",
        }  # fmt: skip
    )
    assert store.compact().bodies == 1  # `middle`: neither a leaf nor the shared ancestor
    view = describe(store, "child:1")
    assert view.ancestor is not None and view.ancestor["_rev"] == base
    assert {view.winner["_rev"], *(o["_rev"] for o in view.others)} == {mine, theirs}
    resolve(store, "child:1", {"name": "王小明", "village": "南村"})
    store.compact()
    assert [o.get("_deleted") for o in describe(store, "child:1").others] == [True]


def test_the_change_history_holds_on_every_replica_and_after_compaction(
    server: ServerUnderTest, tmp_path: Path
) -> None:
    db = CouchServer(server.url, server.admin, server.password).database(
        server.new_database_name("history")
    )
    db.create()
    here = Store.open(tmp_path / "here.db", "p", kdf_cost=FAST_KDF)
    there = Store.open(tmp_path / "there.db", "p", kdf_cost=FAST_KDF)
    child = stamp({"_id": "child:c1", "type": "child", "district": "d", "answers": {"name": "甲"}},
                  "王主任", "2026-11-01T08:00:00+08:00")  # fmt: skip
    child["_rev"] = here.put(child)
    fill_in(here)
    Replicator(here, db).sync()  # compacts here after the sync
    assert here.compact().bodies == 0
    Replicator(there, db).sync()
    # on the other laptop, a colleague edits the profile
    profile = stamp({**there.get("child:c1"), "answers": {"name": "甲", "school": "镇小学"}},
                    "周社工", "2026-11-05T15:00:00+08:00", "laptop-2")  # fmt: skip
    there.put(profile)
    Replicator(there, db).sync()
    Replicator(here, db).sync()

    def seen(store: Store) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
        case = CaseFile.from_documents(store.get("child:c1"), [store.get("assessment:c1:a1")])
        return [(c.at[:16], c.by, c.device, c.doc_id, c.fields) for c in change_history(case)]

    expected = [
        ("2026-11-05T15:00", "周社工", "laptop-2", "child:c1", ("/answers/school",)),
        ("2026-11-02T10:00", "李老师", "laptop-1", "assessment:c1:a1",
         tuple(sorted(["/result/band", "/status", *(f"/answers/q{n}" for n in range(12))]))),
        ("2026-11-02T09:00", "李老师", "laptop-1", "assessment:c1:a1", ()),
        ("2026-11-01T08:00", "王主任", "laptop-1", "child:c1", ()),
    ]  # fmt: skip
    assert seen(here) == expected and seen(there) == expected
    here.close()
    there.close()


def test_a_merge_keeps_the_change_log_of_every_branch(store: Store) -> None:
    doc = stamp({"_id": "child:1", "v": 1}, "甲", "2026-01-01T00:00:00+00:00")
    base = store.put(doc)
    store.put(stamp({**doc, "_rev": base, "v": 2}, "甲", "2026-01-02T00:00:00+00:00"))
    theirs = history.with_edit(
        {**doc, "edits": store.get("child:1", base)["edits"]},
        stamp({**doc, "v": 3}, "乙", "2026-01-03T00:00:00+00:00", "laptop-2"),
    )
    store.put_replicated({**theirs, "_revisions": revisions_field(["2-" + "a" * 32, base])})
    view = describe(store, "child:1")
    pointers = [d.pointer for d in view.differences]
    assert "/v" in pointers and not any(p.startswith("/edits") for p in pointers)
    resolve(store, "child:1", stamp({"v": 4}, "甲", "2026-01-04T00:00:00+00:00"))
    log = history.entries(store.get("child:1"))
    assert [(e["by"], e["at"][:10], e["fields"]) for e in log] == [
        ("甲", "2026-01-01", []),
        ("甲", "2026-01-02", ["/v"]),
        ("乙", "2026-01-03", ["/v"]),
        ("甲", "2026-01-04", ["/v"]),
    ]


def replicated(doc_id: str, revs: list[str], **body: Any) -> dict[str, Any]:
    return {"_id": doc_id, "_revisions": revisions_field(revs), **body}


def test_a_first_pull_leaves_nothing_to_compact_and_compaction_writes_nothing(
    store: Store,
) -> None:
    """Documents new here, one body each (a first pull), keep compaction current: the
    compaction after the sync finds nothing to look at and writes nothing."""
    store.compact()
    written, _ = store.put_replicated_many(
        [
            replicated(f"visit:{n}", [f"3-{n:032x}", f"2-{n:032x}", f"1-{n:032x}"], n=n)
            for n in range(50)
        ]  # fmt: skip
    )
    assert written == 50
    changes = store._db.total_changes
    assert store.compact().bodies == 0
    assert store._db.total_changes == changes  # not even the compaction's own mark


def test_a_replicated_update_after_new_documents_is_still_compacted(store: Store) -> None:
    """Only writes of documents new here, once each, keep compaction current: an update whose
    parent's body is here is looked at, in a later batch or in the same one."""
    store.compact()
    store.put_replicated_many([replicated("visit:1", ["1-" + "a" * 32], n=1)])
    store.put_replicated_many([replicated("visit:1", ["2-" + "b" * 32, "1-" + "a" * 32], n=2)])
    assert store.compact().bodies == 1  # rev 1's body: no leaf needs it now
    store.put_replicated_many(
        [
            replicated("visit:2", ["1-" + "c" * 32], n=1),
            replicated("visit:2", ["2-" + "d" * 32, "1-" + "c" * 32], n=2),
        ]  # fmt: skip
    )
    assert store.compact().bodies == 1
    with pytest.raises(NotFound):
        store.get("visit:2", "1-" + "c" * 32)
    assert store.get("visit:2")["n"] == 2
