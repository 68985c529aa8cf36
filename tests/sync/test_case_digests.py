"""Each child's digest follows every write of the child's documents, in the same
transaction, whatever the path; a replica made before digests builds them once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine.casework.casefile import DIGEST_VERSION, digest
from sync.case_digests import DIGESTS_KEY, child_of
from sync.database import connect
from sync.errors import BatchRefused
from sync.revisions import revisions_field
from sync.store import Store
from tests.sync.conftest import FAST_KDF


def _child(uuid: str, name: str = "王小明", **more: Any) -> dict[str, Any]:
    return {"_id": f"child:{uuid}", "type": "child", "answers": {"name": name}, **more}


def _risk(uuid: str, entry: str, on: str, band: str, **more: Any) -> dict[str, Any]:
    return {"_id": f"assessment:{uuid}:{entry}", "type": "assessment", "status": "final",
            "observed_on": on, "form": {"id": "risk", "version": 1}, "answers": {"q": 1},
            "result": {"classification": {"band": {"id": band}, "total": 3}}, **more}  # fmt: skip


def _from_documents(store: Store, uuid: str) -> dict[str, Any] | None:
    """The digest as the documents now make it: what the stored one must be."""
    try:
        record = store.get(f"child:{uuid}")
    except Exception:
        return None
    others = [d for k in ("assessment", "visit", "plan") for d in store.all_docs(f"{k}:{uuid}:")]
    return digest(record, others)


def _all_current(store: Store, *children: str) -> None:
    for uuid in children:
        assert store.case_digest(uuid) == _from_documents(store, uuid), uuid


def test_child_of_reads_the_id_of_every_kind() -> None:
    assert child_of("child:abc") == child_of("visit:abc:1") == child_of("plan:abc:x:y") == "abc"
    assert child_of("assessment:abc") == "abc"  # an odd id without its entry part
    assert child_of("form:risk") is None and child_of("child:") is None
    assert child_of("_design/x") is None and child_of("child") is None


def test_a_new_replica_has_all_its_digests_and_every_local_write_keeps_them(store: Store) -> None:
    assert store.digests_complete()
    assert store.case_digest("a") is None
    store.put(_child("a"))
    rev = store.put(_risk("a", "1", "2026-01-02", "yellow"))
    assert store.case_digest("a")["observations"][0][6] == "yellow"  # type: ignore[index]
    store.put({**_risk("a", "1", "2026-01-02", "red"), "_rev": rev})
    store.put_many([_child("b", "李四"), _risk("b", "1", "2026-02-02", "green"),
                    _risk("a", "2", "2026-03-03", "blue")])  # fmt: skip
    _all_current(store, "a", "b")
    assert [o[6] for o in store.case_digest("a")["observations"]] == ["red", "blue"]  # type: ignore[index]
    a = store.get("child:a")
    store.put({**a, "answers": {"name": "王小明明"}})
    assert store.case_digest("a")["spelling"] == ["wangxiaomingming", "wxmm"]  # type: ignore[index]
    store.delete("assessment:a:2", store.get("assessment:a:2")["_rev"])
    _all_current(store, "a", "b")
    store.delete("child:b", store.get("child:b")["_rev"])
    assert store.case_digest("b") is None
    assert [d["child"]["_id"] for d in store.case_digests()] == ["child:a"]


def test_what_is_rolled_back_leaves_the_digest_as_it_was(store: Store) -> None:
    store.put_many([_child("a"), _risk("a", "1", "2026-01-02", "yellow")])
    before = store.case_digest("a")
    with pytest.raises(BatchRefused):
        store.put_all([_risk("a", "2", "2026-02-02", "red"), {"_id": "child:a"}])  # a conflict
    with pytest.raises(RuntimeError), store.transaction():
        store.put(_risk("a", "3", "2026-03-03", "red"))
        raise RuntimeError("the laptop's battery")
    assert store.case_digest("a") == before
    store.put(_risk("a", "4", "2026-04-04", "green"))  # nothing of the above comes back
    _all_current(store, "a")
    assert len(store.case_digest("a")["observations"]) == 2  # type: ignore[index]


def test_pulled_revisions_and_a_conflict_that_changes_the_winner_rewrite_the_digest(
    store: Store,
) -> None:
    mine = store.put(_child("a", "本机"))
    store.put_replicated_many([_risk("a", "1", "2026-01-02", "yellow") | {"_rev": "1-aa"}])
    _all_current(store, "a")
    generation, _ = mine.split("-")
    theirs = {**_child("a", "服务器"), "_rev": "2-ffff",
              "_revisions": revisions_field(["2-ffff", mine])}  # fmt: skip
    store.put_replicated(theirs)  # a longer branch wins
    assert store.case_digest("a")["child"]["answers"]["name"] == "服务器"  # type: ignore[index]
    # assessments about a child this replica has no record of make no digest
    store.put_replicated_many(
        [_risk(f"x{n}", "1", "2026-01-02", "red") | {"_rev": "1-bb"} for n in range(50)]
    )
    assert [d["child"]["_id"] for d in store.case_digests()] == ["child:a"]
    store.put_replicated(_child("x7") | {"_rev": "1-cc"})  # its record arrives later
    _all_current(store, "a", "x7")
    assert len(store.case_digest("x7")["observations"]) == 1  # type: ignore[index]


def test_a_replica_made_before_digests_builds_them_once_with_progress(tmp_path: Path) -> None:
    path = tmp_path / "replica.db"
    with Store.open(path, "pass", kdf_cost=FAST_KDF) as store:
        risks = [_risk(f"c{n:03d}", "1", "2026-01-02", "red") for n in range(0, 450, 7)]
        store.put_many([_child(f"c{n:03d}") for n in range(450)] + risks)
        made = {d["child"]["_id"]: d for d in store.case_digests()}
        key = store._key
    db = connect(path, key)  # as a replica of the version before: no table, not migrated to it
    db.execute("DROP TABLE case_digests")
    db.execute("DELETE FROM meta WHERE key = ?", (DIGESTS_KEY,))
    db.execute("DELETE FROM migrations WHERE version = 4")
    db.close()
    with Store.open(path, "pass", kdf_cost=FAST_KDF) as store:
        assert not store.digests_complete()
        assert list(store.case_digests()) == []
        heard: list[tuple[int, int]] = []
        store.build_digests(lambda done, total: heard.append((done, total)))
        assert heard == [(200, 450), (400, 450), (450, 450)]
        assert store.digests_complete()
        assert {d["child"]["_id"]: d for d in store.case_digests()} == made


def test_digests_of_another_version_are_made_again(store: Store) -> None:
    store.put_many([_child("a"), _risk("a", "1", "2026-01-02", "red")])
    with store.transaction():
        store._db.execute(
            "UPDATE meta SET value = ? WHERE key = ?", (str(DIGEST_VERSION - 1), DIGESTS_KEY)
        )
        store._db.execute("UPDATE case_digests SET body = '{}'")
    assert not store.digests_complete()
    store.build_digests()
    assert store.digests_complete()
    _all_current(store, "a")
