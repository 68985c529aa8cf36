"""Three replicas and the server always converge, and no revision anyone wrote is lost."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sync.couch import CouchDatabase, CouchServer
from sync.errors import NotFound
from sync.replicator import Progress, Replicator
from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.sync.server import ServerUnderTest

REPLICAS = 3
DOCS = ["child:a", "child:b", "visit:a:1"]

operation = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, REPLICAS - 1), st.sampled_from(DOCS)),
    st.tuples(st.just("delete"), st.integers(0, REPLICAS - 1), st.sampled_from(DOCS)),
    st.tuples(st.just("sync"), st.integers(0, REPLICAS - 1), st.just("")),
    st.tuples(st.just("cut"), st.integers(0, REPLICAS - 1), st.sampled_from(["1", "2"])),
)


class Cut(Exception):
    pass


def _cut_after(batches: int) -> Any:
    count = {"n": 0}

    def progress(p: Progress) -> None:
        if p.phase == "transferring":
            count["n"] += 1
            if count["n"] >= batches:
                raise Cut

    return progress


def _apply(store: Store, kind: str, doc_id: str, step: int, written: set[tuple[str, str]]) -> None:
    try:
        current = store.get(doc_id)
    except NotFound:
        current = None
    if kind == "edit":
        body = {"_id": doc_id, "type": "child", "district": "d", "step": step}
        rev = store.put({**body, "_rev": current["_rev"]} if current else body)
    elif current is not None:
        rev = store.delete(doc_id, current["_rev"])
    else:
        return
    written.add((doc_id, rev))


def _server_state(server: ServerUnderTest, db: CouchDatabase, doc_id: str) -> tuple[Any, ...]:
    answer = server.request(
        "GET",
        f"/{db.name}/{doc_id}",
        params={"open_revs": "all", "revs": "true"},
        headers={"Accept": "application/json"},
    )
    if answer.status_code == 404:
        return (None, frozenset(), frozenset())
    leaves = [e["ok"] for e in answer.json() if "ok" in e]
    history = {
        f"{d['_revisions']['start'] - i}-{h}"
        for d in leaves
        for i, h in enumerate(d["_revisions"]["ids"])
    }
    live = [d for d in leaves if not d.get("_deleted")]
    best = max(live or leaves, key=lambda d: (int(d["_rev"].split("-")[0]), d["_rev"]))
    return (
        best["_rev"],
        frozenset((d["_rev"], bool(d.get("_deleted"))) for d in leaves),
        frozenset(history),
    )


def _local_state(store: Store, doc_id: str) -> tuple[Any, ...]:
    leaves = store.leaves(doc_id)
    if not leaves:
        return (None, frozenset(), frozenset())
    history = set()
    for leaf in leaves:
        revisions = store.get(doc_id, leaf.rev, revs=True)["_revisions"]
        history |= {f"{revisions['start'] - i}-{h}" for i, h in enumerate(revisions["ids"])}
    return (
        leaves[0].rev,
        frozenset((leaf.rev, leaf.deleted) for leaf in leaves),
        frozenset(history),
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=18))
def test_replicas_converge_and_keep_every_revision(
    server: ServerUnderTest, operations: list[tuple[str, int, str]]
) -> None:
    converge(server, operations)


def converge(server: ServerUnderTest, operations: list[tuple[str, int, str]]) -> None:
    """Run the operations on three replicas, sync all twice over, and check that every
    replica agrees with the server and that no revision anyone wrote is lost."""
    admin = CouchServer(server.url, server.admin, server.password)
    db = admin.database(server.new_database_name("converge"))
    db.create()
    written: set[tuple[str, str]] = set()
    with tempfile.TemporaryDirectory() as folder:
        stores = [
            Store.open(Path(folder) / f"r{i}.db", "p", kdf_cost=FAST_KDF) for i in range(REPLICAS)
        ]
        try:
            for step, (kind, who, arg) in enumerate(operations):
                replicator = Replicator(stores[who], db, batch_size=1)
                if kind in ("edit", "delete"):
                    _apply(stores[who], kind, arg, step, written)
                elif kind == "sync":
                    replicator.sync()
                else:
                    with contextlib.suppress(Cut):
                        replicator.sync(_cut_after(int(arg)))
            for _round in range(2):
                for store in stores:
                    Replicator(store, db, batch_size=2).sync()
            event(f"conflicted documents: {len(stores[0].conflicted(include_deleted=True))}")
            for doc_id in DOCS:
                on_server = _server_state(server, db, doc_id)
                for store in stores:
                    assert _local_state(store, doc_id)[:2] == on_server[:2], doc_id
                    assert store.conflicted() == stores[0].conflicted()
            for doc_id, rev in written:
                assert rev in _server_state(server, db, doc_id)[2], (doc_id, rev)
                for store in stores:
                    assert rev in _local_state(store, doc_id)[2], (doc_id, rev)
        finally:
            for store in stores:
                store.close()
