"""What a sync would do, before it does anything: what would go out, what would come in.

Counted by kind of document (the id's prefix: child, assessment, visit, plan…) and by child,
with the documents in conflict. Nothing is written anywhere, on either side.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sync.checkpoints import replication_id, starting_point
from sync.couch import CouchDatabase, Unreachable
from sync.peers import LocalPeer, RemotePeer
from sync.replicator import change_batches
from sync.store import Store

BATCH = 1000


@dataclass
class Preview:
    outgoing: Counter[str] = field(default_factory=Counter)  # documents by kind
    children_out: int = 0  # children whose records would go out
    exact: bool = False  # outgoing checked against the server (else: at most this)
    incoming: Counter[str] | None = None  # None: the server was not asked or not reachable
    conflicts: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # refused before, still as refused

    @property
    def total_out(self) -> int:
        return sum(self.outgoing.values())

    @property
    def total_in(self) -> int:
        return sum((self.incoming or Counter()).values())


def kind_of(doc_id: str) -> str:
    return doc_id.split(":", 1)[0] if ":" in doc_id else "other"


def child_of(doc_id: str) -> str | None:
    """The child a document belongs to: `child:<c>` and `<kind>:<c>:<uuid>`."""
    parts = doc_id.split(":")
    if parts[0] == "child" and len(parts) == 2:
        return parts[1]
    return parts[1] if len(parts) == 3 else None


def _changed_since(store: Store, since: int) -> dict[str, list[str]]:
    reads = store.reader()
    changed: dict[str, list[str]] = {}
    while True:
        feed = reads.changes(since, BATCH)
        changed.update((c.id, list(c.revs)) for c in feed.results)
        if len(feed.results) < BATCH:
            return changed
        since = feed.last_seq


def _refused(store: Store) -> list[str]:
    return [r.doc_id for r in store.rejections()]


def _count(preview: Preview, doc_ids: list[str]) -> None:
    preview.outgoing = Counter(kind_of(d) for d in doc_ids)
    preview.children_out = len({c for d in doc_ids if (c := child_of(d)) is not None})


def preview_bundle(store: Store, since: int) -> Preview:
    """What the next outbound bundle would carry (every change after `since`)."""
    preview = Preview(exact=True, conflicts=store.conflicted(), rejected=_refused(store))
    _count(preview, sorted(_changed_since(store, since)))
    return preview


def preview_sync(store: Store, database: CouchDatabase, *, reachable: bool = True) -> Preview:
    """What `careforms sync` with `database` would push and pull. With `reachable` false, or
    when the server does not answer, only the local side is counted, as an upper bound; a
    server that refuses the user raises as a sync would."""
    local, remote = LocalPeer(store), RemotePeer(database)
    push_id = replication_id(local.identity, remote.identity)
    pushed = local.get_checkpoint(push_id) or {}
    changed = _changed_since(store, int(pushed.get("source_last_seq") or 0))
    preview = Preview(conflicts=store.conflicted(), rejected=_refused(store))
    if not reachable:
        _count(preview, sorted(changed))
        return preview
    try:
        missing = remote.revs_diff(changed) if changed else {}
        pull_id = replication_id(remote.identity, local.identity)
        since = starting_point(remote.get_checkpoint(pull_id), local.get_checkpoint(pull_id))
        incoming = _incoming(remote, local, since)
    except Unreachable:
        _count(preview, sorted(changed))
        return preview
    _count(preview, sorted(missing))
    preview.exact = True
    preview.incoming = incoming
    return preview


def _incoming(remote: RemotePeer, local: LocalPeer, since: Any) -> Counter[str]:
    counts: Counter[str] = Counter()
    for batch in change_batches(remote, since, BATCH):
        counts.update(kind_of(doc_id) for doc_id in local.revs_diff(dict(batch.changes)))
    return counts
