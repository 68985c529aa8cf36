from __future__ import annotations

from pathlib import Path

from sync.conflicts import ABSENT, describe, resolve
from sync.revisions import revisions_field
from sync.store import Store
from tests.sync.conftest import FAST_KDF


def _conflict(store: Store) -> tuple[str, str, str]:
    base = store.put(
        {"_id": "child:1", "name": "王小明", "answers": {"mood": 1, "school": "东村小学"}}
    )
    mine = store.put(
        {
            "_id": "child:1",
            "_rev": base,
            "name": "王小明",
            "answers": {"mood": 2, "school": "东村小学"},
            "phone": "138",
        }
    )
    theirs = "2-" + "f" * 32
    store.put_replicated(
        {
            "_id": "child:1",
            "_revisions": revisions_field([theirs, base]),
            "name": "王晓明",
            "answers": {"mood": 1, "school": "西村中学"},
        }
    )
    return base, mine, theirs


def test_differences_field_by_field_with_the_common_ancestor(store: Store) -> None:
    base, mine, theirs = _conflict(store)
    view = describe(store, "child:1")
    assert view.winner["_rev"] == theirs and [o["_rev"] for o in view.others] == [mine]
    assert view.ancestor is not None and view.ancestor["_rev"] == base
    found = {d.pointer: (d.winner, d.others[mine], d.ancestor) for d in view.differences}
    assert found == {
        "/name": ("王晓明", "王小明", "王小明"),
        "/answers/mood": (1, 2, 1),
        "/answers/school": ("西村中学", "东村小学", "东村小学"),
        "/phone": (ABSENT, "138", ABSENT),
    }


def test_a_merge_closes_the_other_branches_in_one_step(store: Store) -> None:
    _base, mine, theirs = _conflict(store)
    merged = {"name": "王小明", "answers": {"mood": 2, "school": "西村中学"}, "phone": "138"}
    rev = resolve(store, "child:1", merged)
    assert rev.startswith("3-")
    doc = store.get("child:1", conflicts=True)
    assert doc["answers"] == {"mood": 2, "school": "西村中学"} and "_conflicts" not in doc
    assert doc["_deleted_conflicts"] == [
        leaf.rev for leaf in store.leaves("child:1") if leaf.deleted
    ]
    assert store.conflicted() == [] and store.conflicted(include_deleted=True) == ["child:1"]
    # both old versions are still there to look at
    assert store.get("child:1", mine)["phone"] == "138"
    assert store.get("child:1", theirs)["name"] == "王晓明"


def test_edit_versus_delete_is_listed_as_a_deleted_conflict(store: Store) -> None:
    base = store.put({"_id": "visit:1", "v": 1})
    store.put({"_id": "visit:1", "_rev": base, "v": 2})
    store.put_replicated(
        {"_id": "visit:1", "_deleted": True, "_revisions": revisions_field(["2-" + "0" * 32, base])}
    )
    assert store.conflicted() == []
    assert store.conflicted(include_deleted=True) == ["visit:1"]
    view = describe(store, "visit:1")
    assert view.others[0].get("_deleted") is True


def test_conflicts_are_found_without_reading_every_document(tmp_path: Path) -> None:
    """A replica from before the index (migration 5) gets it when opened: the conflicts made
    before and after are listed as before, by the index, however many documents there are."""
    path = tmp_path / "replica.db"
    with Store.open(path, "p", kdf_cost=FAST_KDF) as store:
        _conflict(store)
        store.put_many([{"_id": f"visit:{n:04d}", "n": n} for n in range(300)])
        store._db.execute("DROP INDEX docs_with_several_leaves")  # as made before it
        store._db.execute("DELETE FROM migrations WHERE version = 5")
    with Store.open(path, "p", kdf_cost=FAST_KDF) as store:
        base = store.put({"_id": "visit:0000x", "v": 1})
        store.put({"_id": "visit:0000x", "_rev": base, "v": 2})
        store.put_replicated(
            {
                "_id": "visit:0000x",
                "_deleted": True,
                "_revisions": revisions_field(["2-" + "0" * 32, base]),
            }
        )
        assert store.conflicted() == ["child:1"]
        assert store.conflicted(include_deleted=True) == ["child:1", "visit:0000x"]
        assert store.conflicted("visit:") == [] and store.conflicted("child:") == ["child:1"]
        asked: list[str] = []  # what Store.conflicted asks SQLite, and how SQLite answers it
        store._db.set_trace_callback(asked.append)
        for prefix in ("", "child:", "visit:0000x"):
            store.conflicted(prefix)
            store.conflicted(prefix, include_deleted=True)
        store._db.set_trace_callback(None)
        assert len(asked) == 6
        for statement in asked:
            plan = store._db.execute(f"EXPLAIN QUERY PLAN {statement}").fetchall()
            assert "USING INDEX docs_with_several_leaves" in str(plan), statement
