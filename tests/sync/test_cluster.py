"""The replication scenarios against a 3-node CouchDB cluster (n=3, q=2), as in production:
sequences are opaque strings that can differ from one request to the next, and writes may
answer 202. Everything must still converge with nothing lost.

Kept small (the cluster is slow to write to); the same scenarios run in more depth against
one node in test_convergence, test_interruptions, test_replication and test_members.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.couch import CouchDatabase, CouchServer, Unreachable
from sync.replicator import Progress, Replicator
from sync.server_setup import add_user, district_database, init_server
from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.sync.server import ServerUnderTest
from tests.sync.test_convergence import converge, operation
from tests.sync.test_interruptions import CuttingProxy

# one worker runs them all: a cluster is three servers, started once per worker that needs it
pytestmark = pytest.mark.xdist_group("cluster")


class Cut(Exception):
    pass


@pytest.fixture
def remote(cluster: ServerUnderTest) -> CouchDatabase:
    db = CouchServer(cluster.url, cluster.admin, cluster.password).database(
        cluster.new_database_name("cl")
    )
    db.create()
    return db


def laptop(tmp_path: Path, name: str) -> Store:
    return Store.open(tmp_path / f"{name}.db", "p", kdf_cost=FAST_KDF)


def child(n: int, district: str = "kunshan", **fields: Any) -> dict[str, Any]:
    return {"_id": f"child:{n:04d}", "type": "child", "district": district, **fields}


def test_the_cluster_is_a_cluster(cluster: ServerUnderTest, remote: CouchDatabase) -> None:
    membership = cluster.request("GET", "/_membership").json()
    assert len(membership["cluster_nodes"]) == 3
    remote.put(child(1))
    seq = remote.changes(0, 10)["last_seq"]
    assert isinstance(seq, str) and not seq.isdigit()  # opaque


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=10))
def test_replicas_converge_on_a_cluster(
    cluster: ServerUnderTest, operations: list[tuple[str, int, str]]
) -> None:
    converge(cluster, operations)


def test_push_and_pull_resume_after_cuts_on_a_cluster(
    cluster: ServerUnderTest, remote: CouchDatabase, tmp_path: Path
) -> None:
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    for n in range(60):
        a.put(child(n))

    def cut_after(batches: int) -> Any:
        seen = {"n": 0}

        def progress(p: Progress) -> None:
            if p.phase == "transferring":
                seen["n"] += 1
                if seen["n"] == batches:
                    raise Cut

        return progress

    with pytest.raises(Cut):
        Replicator(a, remote, batch_size=10).push(cut_after(2))
    assert Replicator(a, remote, batch_size=10).push().examined == 40  # resumed
    with pytest.raises(Cut):
        Replicator(b, remote, batch_size=10).pull(cut_after(3))
    assert len(list(b.all_docs())) == 30
    Replicator(b, remote, batch_size=10).pull()
    assert [d["_rev"] for d in b.all_docs()] == [d["_rev"] for d in a.all_docs()]

    # the network cut in the middle of an answer, through one node of the three
    port = int(cluster.url.rsplit(":", 1)[1])
    proxy = CuttingProxy(port)
    proxy.bytes_until_cut = 20_000
    c = laptop(tmp_path, "c")
    c.put(child(99, note="本机"))
    far = CouchServer(proxy.url, cluster.admin, cluster.password).database(remote.name)
    try:
        with pytest.raises(Unreachable):
            Replicator(c, far, batch_size=10).sync()
    finally:
        proxy.close()
    report = Replicator(c, remote, batch_size=10).sync()
    assert report.rejected == [] and len(list(c.all_docs())) == 61
    assert remote.get("child:0099")["note"] == "本机"


def test_conflicts_survive_on_a_cluster(remote: CouchDatabase, tmp_path: Path) -> None:
    a, b = laptop(tmp_path, "a"), laptop(tmp_path, "b")
    base = a.put(child(1))
    gone = a.put(child(2))
    for store in (a, b):
        Replicator(store, remote).sync()
    mine = a.put({**child(1, village="东村"), "_rev": base})
    theirs = b.put({**child(1, village="西村"), "_rev": base})
    edited = a.put({**child(2, village="南村"), "_rev": gone})
    deleted = b.delete("child:0002", gone)
    for store in (a, b, a):
        Replicator(store, remote).sync()
    on_server = remote.get("child:0001", conflicts=True)
    assert {on_server["_rev"], *on_server["_conflicts"]} == {mine, theirs}
    for store in (a, b):
        doc = store.get("child:0001", conflicts=True)
        assert (doc["_rev"], doc["_conflicts"]) == (on_server["_rev"], on_server["_conflicts"])
        other = store.get("child:0002", conflicts=True)
        assert (other["_rev"], other["_deleted_conflicts"]) == (edited, [deleted])


def test_a_district_refuses_what_is_not_its_own_on_a_cluster(
    cluster: ServerUnderTest, tmp_path: Path
) -> None:
    admin = CouchServer(cluster.url, cluster.admin, cluster.password)
    kunshan, fuyang = cluster.new_district("k"), cluster.new_district("f")
    init_server(admin, [kunshan, fuyang])
    name = cluster.new_database_name("w")
    add_user(admin, name, "pw-" + name, district=kunshan, role="worker")
    db = CouchServer(cluster.url, name, "pw-" + name).database(district_database(kunshan))
    store = laptop(tmp_path, "w")
    store.put(child(1, kunshan))
    store.put(child(2, fuyang))
    report = Replicator(store, db).sync()
    assert [(r.doc_id, r.error) for r in report.rejected] == [("child:0002", "forbidden")]
    assert [r.doc_id for r in store.rejections()] == ["child:0002"]
    edited = store.put({**store.get("child:0001"), "village": "东村"})  # no silent drop
    assert Replicator(store, db).sync().pushed.written == 1
    assert admin.database(district_database(kunshan)).get("child:0001")["_rev"] == edited
    smuggled = {**child(1, fuyang), "_rev": "7-" + "a" * 32}  # a new root branch
    refused = db.bulk_docs([smuggled], new_edits=False)
    assert [e["error"] for e in refused] == ["forbidden"]
    assert admin.database(district_database(kunshan)).get("child:0001")["district"] == kunshan
