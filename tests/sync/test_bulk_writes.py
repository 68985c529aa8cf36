"""`Store.put_many`: many edits in one transaction, judged one by one as `put` judges them."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.store import Store
from tests.sync.conftest import FAST_KDF


def test_many_new_documents_get_the_revisions_put_would_give(store: Store, tmp_path: Path) -> None:
    docs = [{"_id": f"child:{i:03d}", "type": "child", "name": f"儿童{i}"} for i in range(50)]
    results = store.put_many(docs)
    assert [r["id"] for r in results] == [d["_id"] for d in docs]
    with Store.open(tmp_path / "one-by-one.db", "x", kdf_cost=FAST_KDF) as other:
        assert [r["rev"] for r in results] == [other.put(d) for d in docs]
    assert store.get("child:007")["name"] == "儿童7"
    assert [c.id for c in store.changes().results] == sorted(d["_id"] for d in docs)
    assert store.integrity_check() == "ok"


def test_edits_conflicts_and_invalid_documents_are_reported_one_by_one(store: Store) -> None:
    first = store.put({"_id": "child:a", "v": 1})
    store.put({"_id": "child:gone", "v": 1})
    store.delete("child:gone", store.get("child:gone")["_rev"])
    results = store.put_many(
        [
            {"_id": "child:a", "_rev": first, "v": 2},  # an edit of the current revision
            {"_id": "child:a", "_rev": first, "v": 3},  # the same base again: now stale
            {"_id": "child:a", "v": 4},  # blind write over a live document
            {"_id": "_bad", "v": 5},
            {"v": 6},
            {"_id": "child:gone", "v": "again"},  # recreated on top of its deletion
        ]
    )
    assert results[0]["rev"].startswith("2-")
    assert [r.get("error") for r in results] == [
        None,
        "conflict",
        "conflict",
        "invalid",
        "invalid",
        None,
    ]
    assert "child:a" in results[1]["reason"]
    assert store.get("child:a")["v"] == 2
    assert store.get("child:gone")["_rev"].startswith("3-")
    assert store.leaves("child:a")[0].rev == results[0]["rev"]  # no branch was made


def test_an_outer_transaction_rolls_the_whole_batch_back(store: Store) -> None:
    before = store.update_seq
    with pytest.raises(RuntimeError), store.transaction():
        store.put_many([{"_id": f"task:{i}", "type": "verification"} for i in range(20)])
        raise RuntimeError("the import failed after writing")
    assert list(store.all_docs("task:")) == [] and store.update_seq == before


def test_all_or_nothing_writes_nothing_of_a_batch_with_a_refusal(store: Store) -> None:
    from sync.errors import BatchRefused

    rev = store.put({"_id": "child:1", "v": 1})
    with pytest.raises(BatchRefused) as refused:
        store.put_all([{"_id": "child:2"}, {"_id": "child:1", "v": 2}, {"_id": "child:3"}])
    assert refused.value.result["id"] == "child:1" and refused.value.result["error"] == "conflict"
    assert [d["_id"] for d in store.all_docs()] == ["child:1"]
    assert store.get("child:1")["_rev"] == rev
    written = store.put_all([{"_id": "child:2"}, {"_id": "child:1", "_rev": rev, "v": 2}])
    assert [r["id"] for r in written] == ["child:2", "child:1"] and store.get("child:1")["v"] == 2
