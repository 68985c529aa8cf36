from __future__ import annotations

from pathlib import Path

import pytest

from sync.database import MIGRATIONS
from sync.errors import Conflict, InvalidDocument, NotFound
from sync.revisions import revisions_field
from sync.store import Store
from tests.sync.conftest import FAST_KDF


def _branch(doc_id: str, chain: list[str], **body: object) -> dict[str, object]:
    return {"_id": doc_id, "_rev": chain[0], "_revisions": revisions_field(chain), **body}


def test_edit_history_and_winner(store: Store) -> None:
    r1 = store.put({"_id": "child:1", "name": "王小明"})
    r2 = store.put({"_id": "child:1", "_rev": r1, "name": "王小明", "village": "东村"})
    doc = store.get("child:1", revs=True)
    assert doc["_rev"] == r2 and doc["village"] == "东村"
    assert doc["_revisions"]["ids"] == [r2[2:], r1[2:]]
    assert store.get("child:1", r1)["name"] == "王小明"


def test_stale_and_blind_edits_are_conflicts(store: Store) -> None:
    r1 = store.put({"_id": "child:1", "v": 1})
    store.put({"_id": "child:1", "_rev": r1, "v": 2})
    with pytest.raises(Conflict):
        store.put({"_id": "child:1", "_rev": r1, "v": 3})
    with pytest.raises(Conflict):
        store.put({"_id": "child:1", "v": 4})


def test_replicated_branches_become_conflicts_and_both_survive(store: Store) -> None:
    r1 = store.put({"_id": "child:1", "v": 1})
    mine = store.put({"_id": "child:1", "_rev": r1, "v": "mine"})
    theirs = "2-" + "f" * 32
    assert store.put_replicated(_branch("child:1", [theirs, r1], v="theirs"))
    assert not store.put_replicated(_branch("child:1", [theirs, r1], v="theirs"))  # idempotent
    doc = store.get("child:1", conflicts=True)
    expected_winner = max(mine, theirs)  # same generation: the higher rev id wins
    assert doc["_rev"] == expected_winner
    assert doc["_conflicts"] == [min(mine, theirs)]
    assert store.conflicted() == ["child:1"]
    assert {leaf.rev for leaf in store.leaves("child:1")} == {mine, theirs}


def test_edit_versus_delete_keeps_the_edit_winning(store: Store) -> None:
    r1 = store.put({"_id": "child:1", "v": 1})
    store.put({"_id": "child:1", "_rev": r1, "v": 2})
    store.put_replicated(
        {
            "_id": "child:1",
            "_deleted": True,
            "_revisions": revisions_field(["3-" + "e" * 32, "2-" + "d" * 32, r1]),
        }
    )
    doc = store.get("child:1", conflicts=True)
    assert doc["v"] == 2 and doc["_deleted_conflicts"] == ["3-" + "e" * 32]


def test_deletion_is_a_tombstone_and_a_doc_can_be_recreated(store: Store) -> None:
    r1 = store.put({"_id": "visit:1", "v": 1})
    r2 = store.delete("visit:1", r1)
    with pytest.raises(NotFound):
        store.get("visit:1")
    assert store.get("visit:1", r2)["_deleted"] is True
    assert [c.deleted for c in store.changes().results] == [True]
    assert list(store.all_docs()) == []
    r3 = store.put({"_id": "visit:1", "v": "again"})
    assert r3.startswith("3-") and store.get("visit:1")["v"] == "again"


def test_changes_feed_has_one_entry_per_document_in_sequence_order(store: Store) -> None:
    a = store.put({"_id": "a"})
    store.put({"_id": "b"})
    store.put({"_id": "a", "_rev": a, "x": 1})
    feed = store.changes()
    assert [(c.id, c.seq) for c in feed.results] == [("b", 2), ("a", 3)]
    assert feed.last_seq == 3 == store.update_seq
    assert [c.id for c in store.changes(since=2).results] == ["a"]
    assert [c.id for c in store.changes(limit=1).results] == ["b"]


def test_all_docs_by_prefix(store: Store) -> None:
    for doc_id in ("child:2", "child:1", "visit:1:a", "assessment:1:x"):
        store.put({"_id": doc_id})
    assert [d["_id"] for d in store.all_docs("child:")] == ["child:1", "child:2"]


def test_all_docs_reads_page_by_page_and_misses_nothing(store: Store) -> None:
    ids = [f"visit:{n}:x" for n in range(23)] + ["visit:", "visit:\u738b", "visiting"]
    store.put_many([{"_id": i, "n": i} for i in ids])
    store.delete("visit:7:x", store.get("visit:7:x")["_rev"])
    expected = sorted(i for i in ids if i.startswith("visit:") and i != "visit:7:x")
    for page in (1, 2, 5, 24, 25, 1000):
        read = [(d["_id"], d["n"]) for d in store.all_docs("visit:", page=page)]
        assert read == [(i, i) for i in expected], page
    pages = store.all_docs("visit:", page=5)
    first = [next(pages)["_id"] for _ in range(5)]
    store.put({"_id": "visit:0:y", "n": "late"})  # written between two pages: not in the
    store.put({"_id": "visit:9:y", "n": "later"})  # pages already read, in those to come
    rest = [d["_id"] for d in pages]
    assert "visit:0:y" not in first + rest and "visit:9:y" in rest


def test_revs_diff_reports_missing_and_possible_ancestors(store: Store) -> None:
    r1 = store.put({"_id": "a"})
    later = "2-" + "b" * 32
    asked = {"a": [r1, later], "z": ["1-" + "c" * 32], "y": []}
    assert store.revs_diff(asked) == {  # a document asked with no revisions misses none
        "a": {"missing": [later], "possible_ancestors": [r1]},
        "z": {"missing": ["1-" + "c" * 32]},
    }


def test_local_documents_do_not_appear_in_changes(store: Store) -> None:
    assert store.put_local({"_id": "_local/checkpoint", "seq": 5}) == "0-1"
    assert store.put_local({"_id": "_local/checkpoint", "seq": 9}) == "0-2"
    assert store.get_local("_local/checkpoint") == {
        "_id": "_local/checkpoint",
        "_rev": "0-2",
        "seq": 9,
    }
    assert store.changes().results == [] and store.get_local("_local/none") is None


def test_stemming_keeps_revs_limit_ancestors(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db", "p", kdf_cost=FAST_KDF, revs_limit=5) as store:
        rev = store.put({"_id": "a", "n": 0})
        first = rev
        for n in range(1, 9):
            rev = store.put({"_id": "a", "_rev": rev, "n": n})
        history = store.get("a", revs=True)["_revisions"]
        assert history["start"] == 9 and len(history["ids"]) == 5
        with pytest.raises(NotFound):
            store.get("a", first)


def test_bad_documents_are_refused(store: Store) -> None:
    for bad in ({"x": 1}, {"_id": ""}, {"_id": "_secret"}):
        with pytest.raises(InvalidDocument):
            store.put(bad)
    with pytest.raises(InvalidDocument):
        store.put_replicated({"_id": "a", "_rev": "1-" + "x" * 32})  # 32 characters, not hex


def test_a_failed_transaction_leaves_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.put({"_id": "a"})
        store.put({"_id": "b"})
        raise RuntimeError("interrupted")
    assert list(store.all_docs()) == [] and store.update_seq == 0


def test_migrations_are_recorded(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    Store.open(path, "p", kdf_cost=FAST_KDF).close()
    with Store.open(path, "p", kdf_cost=FAST_KDF) as store:
        rows = store._db.execute("SELECT version, name FROM migrations").fetchall()
    assert rows == [(m.version, m.name) for m in MIGRATIONS]


def test_a_tombstone_keeps_type_and_district_only(store: Store) -> None:
    rev = store.put({"_id": "child:1", "type": "child", "district": "kunshan", "name": "王小明"})
    gone = store.delete("child:1", rev)
    assert store.get("child:1", gone) == {
        "_id": "child:1",
        "_rev": gone,
        "_deleted": True,
        "type": "child",
        "district": "kunshan",
    }


def test_what_can_be_fetched_again_commits_without_waiting_for_the_disk(store: Store) -> None:
    def level() -> int:
        return int(store._db.execute("PRAGMA synchronous").fetchone()[0])

    full, normal = 2, 1
    assert level() == full  # the user's own commits survive a power cut
    with store.refetchable_transaction():
        store.put({"_id": "a"})
        assert level() == normal
    assert level() == full and store.get("a")["_id"] == "a"
    with pytest.raises(RuntimeError), store.refetchable_transaction():
        store.put({"_id": "b"})
        raise RuntimeError("cut")
    assert level() == full and "b" not in {d["_id"] for d in store.all_docs()}
    with store.transaction(), store.refetchable_transaction():
        assert level() == full  # inside the user's own transaction: that one's durability


def test_a_replica_not_in_wal_mode_always_waits_for_the_disk(store: Store) -> None:
    """(Where a file system cannot hold SQLite's write-ahead log, a commit that does not wait
    for the disk could leave a damaged replica after a power cut.)"""
    assert store._db.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    with store.refetchable_transaction():
        store.put({"_id": "a"})
        assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.get("a")["_id"] == "a"
