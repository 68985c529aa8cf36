"""Replication against a real CouchDB-protocol server (PouchDB Server, or COUCHDB_URL)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sync import collector
from sync.couch import CouchDatabase, CouchServer, NotAllowed
from sync.replicator import Progress, Replicator
from sync.revisions import parse_rev
from sync.server_setup import add_user, district_database, init_server
from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.sync.server import ServerUnderTest

Opener = Callable[[str], Store]


@pytest.fixture
def remote(server: ServerUnderTest) -> CouchDatabase:
    admin = CouchServer(server.url, server.admin, server.password)
    db = admin.database(server.new_database_name())
    db.create()
    return db


@pytest.fixture
def replica(tmp_path: Path) -> Opener:
    def open_replica(name: str) -> Store:
        return Store.open(tmp_path / f"{name}.db", "p", kdf_cost=FAST_KDF)

    return open_replica


def child(n: int, **fields: Any) -> dict[str, Any]:
    return {
        "_id": f"child:{n:05d}",
        "type": "child",
        "district": "kunshan",
        "name": f"儿童{n}",
        **fields,
    }


def test_two_replicas_edit_the_same_child_offline(remote: CouchDatabase, replica: Opener) -> None:
    a, b = replica("a"), replica("b")
    base = a.put(child(1))
    Replicator(a, remote).sync()
    Replicator(b, remote).sync()
    mine = a.put({**child(1, village="东村"), "_rev": base})
    theirs = b.put({**child(1, village="西村"), "_rev": base})
    Replicator(a, remote).sync()
    Replicator(b, remote).sync()
    Replicator(a, remote).sync()
    on_server = remote.get("child:00001", conflicts=True)
    leaves = {on_server["_rev"], *on_server["_conflicts"]}
    assert leaves == {mine, theirs}
    for store in (a, b):
        doc = store.get("child:00001", conflicts=True)
        assert doc["_rev"] == on_server["_rev"]
        assert set(doc["_conflicts"]) == set(on_server["_conflicts"])
        assert store.conflicted() == ["child:00001"]
        assert {store.get("child:00001", rev)["village"] for rev in leaves} == {"东村", "西村"}


def test_a_sync_pulls_in_batches_of_2000_and_pushes_in_batches_of_1000(
    remote: CouchDatabase, replica: Opener
) -> None:
    """Larger batches pulled (fewer commits on the laptop), smaller pushed (the server writes
    several at once); `batch_size` sets both."""
    laptop = replica("laptop")
    with laptop.transaction():
        for n in range(1500):
            laptop.put(child(n))
    assert remote.bulk_docs([child(10_000 + n) for n in range(2500)], new_edits=True) == []
    seen: list[tuple[str, int]] = []

    def watch(progress: Progress) -> None:
        if progress.phase == "transferring":
            seen.append((progress.direction, progress.done))

    report = Replicator(laptop, remote).sync(watch)
    assert report.pushed.written == 1500 and report.pulled.written == 2500
    # the pull lists the 1,500 just pushed too (nothing to write for them)
    assert seen == [("push", 1000), ("push", 1500), ("pull", 2000), ("pull", 4000)]
    seen.clear()
    other = replica("other")
    Replicator(other, remote, batch_size=1500).pull(watch)
    assert seen == [("pull", 1500), ("pull", 3000), ("pull", 4000)]
    assert other.pending_changes(0) == 4000


def server_leaves(server: ServerUnderTest, db: CouchDatabase, doc_id: str) -> dict[str, bool]:
    """Every leaf on the server, revision -> deleted (`open_revs=all` works on both servers)."""
    answer = server.request(
        "GET",
        f"/{db.name}/{doc_id}",
        params={"open_revs": "all"},
        headers={"Accept": "application/json"},
    )
    return {e["ok"]["_rev"]: bool(e["ok"].get("_deleted")) for e in answer.json() if "ok" in e}


def test_edit_versus_delete(
    server: ServerUnderTest, remote: CouchDatabase, replica: Opener
) -> None:
    a, b = replica("a"), replica("b")
    base = a.put(child(2))
    Replicator(a, remote).sync()
    Replicator(b, remote).sync()
    edited = a.put({**child(2, village="东村"), "_rev": base})
    deleted = b.delete("child:00002", base)
    for store in (a, b, a):
        Replicator(store, remote).sync()
    assert remote.get("child:00002")["_rev"] == edited
    assert server_leaves(server, remote, "child:00002") == {edited: False, deleted: True}
    for store in (a, b):
        doc = store.get("child:00002", conflicts=True)
        assert (doc["_rev"], doc["_deleted_conflicts"]) == (edited, [deleted])


class Cut(Exception):
    pass


def _cut_after(batches: int) -> Callable[[Progress], None]:
    seen = {"n": 0}

    def progress(p: Progress) -> None:
        if p.phase == "transferring":
            seen["n"] += 1
            if seen["n"] == batches:
                raise Cut

    return progress


@pytest.mark.parametrize("cut_at", [1, 2, 3, 4])
def test_push_resumes_after_a_cut_at_every_batch_boundary(
    remote: CouchDatabase, replica: Opener, cut_at: int
) -> None:
    a = replica("a")
    for n in range(40):
        a.put(child(n))
    replicator = Replicator(a, remote, batch_size=10)
    with pytest.raises(Cut):
        replicator.push(_cut_after(cut_at))
    resumed = replicator.push()
    assert resumed.examined == 40 - 10 * cut_at  # resumed from the checkpoint
    assert remote.info()["doc_count"] == 40
    for n in range(40):
        doc = remote.get(f"child:{n:05d}", conflicts=True)
        assert parse_rev(doc["_rev"])[0] == 1 and "_conflicts" not in doc


@pytest.mark.parametrize("cut_at", [1, 2, 3, 4])
def test_pull_resumes_after_a_cut_at_every_batch_boundary(
    remote: CouchDatabase, replica: Opener, cut_at: int
) -> None:
    source = replica("source")
    for n in range(40):
        source.put(child(n))
    Replicator(source, remote).push()
    b = replica("b")
    replicator = Replicator(b, remote, batch_size=10)
    with pytest.raises(Cut):
        replicator.pull(_cut_after(cut_at))
    assert len(list(b.all_docs())) == 10 * cut_at  # each finished batch was kept
    resumed = replicator.pull()
    assert resumed.examined == 40 - 10 * cut_at
    docs = list(b.all_docs())
    assert len(docs) == 40 and b.conflicted(include_deleted=True) == []
    assert [d["_rev"] for d in docs] == [d["_rev"] for d in source.all_docs()]


def test_a_second_sync_with_nothing_new_writes_nothing(
    remote: CouchDatabase, replica: Opener
) -> None:
    a = replica("a")
    for n in range(5):
        a.put(child(n))
    first = Replicator(a, remote).sync()
    assert first.pushed.written == 5
    server_seq, local_seq = remote.info()["update_seq"], a.update_seq
    checkpoints = {c["_id"]: c["_rev"] for c in _checkpoints(a, remote)}
    second = Replicator(a, remote).sync()
    assert (second.pushed.written, second.pulled.written) == (0, 0)
    assert (second.pushed.examined, second.pulled.examined) == (0, 0)
    # nothing written on the server: its changes feed has nothing after the sequence (a
    # cluster's update_seq is opaque: the same state may be spelled by other shard copies)
    assert remote.changes(server_seq, 10)["results"] == [] and a.update_seq == local_seq
    assert {c["_id"]: c["_rev"] for c in _checkpoints(a, remote)} == checkpoints


def test_a_pulled_batch_commits_without_waiting_for_the_disk_and_the_sync_ends_durable(
    remote: CouchDatabase, replica: Opener
) -> None:
    """Each pulled batch (with its checkpoint) can be fetched again: its commit does not
    wait for the disk. The laptop's own writes still do, and so does a sync's last one."""
    source = replica("source")
    for n in range(30):
        source.put(child(n))
    Replicator(source, remote).push()
    b = replica("b")
    said: list[str] = []
    b._db.set_trace_callback(said.append)
    Replicator(b, remote, batch_size=10).sync()
    in_the_sync = len(said)
    b.put(child(99))
    b._db.set_trace_callback(None)
    level, commits = "FULL", []
    for n, statement in enumerate(said):
        if statement.startswith("PRAGMA synchronous"):
            level = statement.split("=")[1].strip()
        elif statement == "COMMIT":
            commits.append((n < in_the_sync, level))
    assert [level for _, level in commits].count("NORMAL") == 3  # the three batches pulled
    sync_commits = [level for in_sync, level in commits if in_sync]
    assert sync_commits[-1] == "FULL"  # (it makes those before it durable too)
    assert commits[-1] == (False, "FULL") and level == "FULL"  # the laptop's own write


def test_documents_stream_through_with_the_collector_paced_and_its_pacing_comes_back(
    remote: CouchDatabase, replica: Opener
) -> None:
    """Every batch, both ways, is handled with the cyclic collector run less often
    (`sync.collector`); the app's own pacing is back once the sync ends, or fails."""
    a, b = replica("a"), replica("b")
    for n in range(30):
        a.put(child(n))
        b.put(child(100 + n))
    before = gc.get_threshold()
    seen: set[tuple[str, int]] = set()

    def watch(progress: Progress) -> None:
        if progress.phase == "transferring":
            seen.add((progress.direction, gc.get_threshold()[0]))

    Replicator(a, remote, batch_size=10).push(watch)
    assert seen == {("push", collector.YOUNG)} and gc.get_threshold() == before
    Replicator(b, remote, batch_size=10).pull(watch)
    assert seen == {("push", collector.YOUNG), ("pull", collector.YOUNG)}
    assert gc.get_threshold() == before
    seen.clear()
    Replicator(b, remote, batch_size=10).sync(watch)
    assert seen == {("push", collector.YOUNG), ("pull", collector.YOUNG)}
    assert gc.get_threshold() == before
    with pytest.raises(Cut):
        Replicator(replica("c"), remote, batch_size=10).pull(_cut_after(1))
    assert gc.get_threshold() == before


def _checkpoints(store: Store, remote: CouchDatabase) -> list[dict[str, Any]]:
    from sync.checkpoints import replication_id
    from sync.peers import LocalPeer, RemotePeer

    local, far = LocalPeer(store).identity, RemotePeer(remote).identity
    found = []
    for rep_id in (replication_id(local, far), replication_id(far, local)):
        for doc in (store.get_local("_local/" + rep_id), remote.get_local(rep_id)):
            assert doc is not None
            found.append(doc)
    return found


def test_the_server_rejects_documents_of_another_district(
    server: ServerUnderTest, replica: Opener
) -> None:
    server.require_couchdb()  # validation functions and per-database security
    admin = CouchServer(server.url, server.admin, server.password)
    kunshan, fuyang = server.new_district("kunshan"), server.new_district("fuyang")
    init_server(admin, [kunshan, fuyang])
    name = server.new_database_name("worker")
    add_user(admin, name, "pw-" + name, district=kunshan, role="worker")
    worker = CouchServer(server.url, name, "pw-" + name)
    db = worker.database(district_database(kunshan))
    store = replica("w")
    store.put({**child(1), "district": kunshan})
    store.put({**child(2), "district": fuyang})
    store.put({"_id": "note:1", "district": kunshan})
    store.put({**child(3), "district": kunshan})
    report = Replicator(store, db, batch_size=2).sync()
    assert sorted((r.doc_id, r.error) for r in report.rejected) == [
        ("child:00002", "forbidden"),
        ("note:1", "forbidden"),
    ]
    assert fuyang in next(r.reason for r in report.rejected if r.doc_id == "child:00002")
    assert report.pushed.written == 2
    assert db.get("child:00003")["name"] == "儿童3"  # the rest went through
    again = Replicator(store, db, batch_size=2).sync()  # not retried in a loop
    assert again.rejected == [] and again.pushed.written == 0
    with pytest.raises(NotAllowed):  # reads are limited to the district's members
        worker.database(district_database(fuyang)).info()


def test_a_wrong_password_is_not_allowed(server: ServerUnderTest, remote: CouchDatabase) -> None:
    with pytest.raises(NotAllowed):
        CouchServer(server.url, server.admin, "wrong").database(remote.name).info()


def test_what_a_sync_pulled_is_not_asked_about_again_by_the_next_push(
    remote: CouchDatabase, replica: Opener
) -> None:
    source = replica("source")
    for n in range(30):
        source.put(child(n))
    Replicator(source, remote).push()
    b = replica("b")
    first = Replicator(b, remote, batch_size=10).sync()
    assert first.pulled.written == 30
    second = Replicator(b, remote, batch_size=10).sync()
    assert (second.pushed.examined, second.pulled.examined) == (0, 0)

    # an edit made here while a pull writes: the push checkpoint stays, the edit goes out
    for n in range(30, 40):
        source.put(child(n))
    Replicator(source, remote).push()
    edited: list[str] = []

    def edit_meanwhile(p: Progress) -> None:
        if p.direction == "pull" and p.phase == "transferring" and not edited:
            edited.append(b.put({**b.get("child:00001"), "village": "东村"}))

    third = Replicator(b, remote, batch_size=5).sync(edit_meanwhile)
    assert third.pulled.written == 10 and edited
    fourth = Replicator(b, remote, batch_size=5).sync()
    assert fourth.pushed.written == 1 and remote.get("child:00001")["_rev"] == edited[0]


def test_pulling_back_what_was_just_pushed_writes_the_checkpoint_once(
    remote: CouchDatabase, replica: Opener
) -> None:
    """After a push, the pull lists those documents again and finds nothing missing: its
    batches write nothing on the laptop but, at the end, how far they went."""
    a = replica("a")
    a.put_many([child(n) for n in range(40)])
    pushed = Replicator(a, remote, batch_size=10).push()
    assert pushed.written == 40
    local_seq, changes = a.update_seq, a._db.total_changes
    pulled = Replicator(a, remote, batch_size=10).pull()
    assert (pulled.examined, pulled.written) == (40, 0)
    assert a.update_seq == local_seq
    assert a._db.total_changes == changes + 1  # the pull's checkpoint, once (not per batch)
    again = Replicator(a, remote, batch_size=10).pull()  # and it counts: nothing to list
    assert again.examined == 0
