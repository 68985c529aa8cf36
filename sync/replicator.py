"""The CouchDB replication protocol, in both directions, between the store and a server.

For each batch: `_changes` (all leaves) on the source, `_revs_diff` on the target, fetch the
missing revisions with their history, write them as they are (`new_edits=false`), then the
checkpoint on both peers. A cut anywhere resumes from the last checkpoint; a batch written
twice changes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from queue import Full, Queue
from typing import Any

from sync.checkpoints import Session, replication_id, starting_point
from sync.couch import CouchDatabase
from sync.peers import Batch, LocalPeer, Peer, Rejection, RemotePeer
from sync.store import Store

DEFAULT_BATCH = 500


@dataclass(frozen=True, slots=True)
class Progress:
    direction: str  # "pull" or "push"
    phase: str  # "checking", "transferring", "done"
    done: int  # changes looked at so far
    total: int | None  # changes in all, when the source says


@dataclass(slots=True)
class Outcome:
    """What one direction did."""

    examined: int = 0
    written: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    last_seq: Any = 0


@dataclass(slots=True)
class SyncReport:
    pulled: Outcome
    pushed: Outcome
    conflicts: list[str]

    @property
    def rejected(self) -> list[Rejection]:
        return self.pushed.rejected + self.pulled.rejected


ProgressCallback = Callable[[Progress], None]


class _ReadAhead:
    """Fetches the next batches (changes, revs_diff, documents) on a thread of its own while
    the caller writes the current one: the server works while we write."""

    DEPTH = 2

    def __init__(self, source: Peer, target: Peer, since: Any, batch_size: int) -> None:
        self._queue: Queue[tuple[Batch, list[dict[str, Any]]] | BaseException | None] = Queue(
            self.DEPTH
        )
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._read, args=(source, target, since, batch_size), daemon=True
        )
        self._thread.start()

    def _offer(self, item: tuple[Batch, list[dict[str, Any]]] | BaseException | None) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def _read(self, source: Peer, target: Peer, since: Any, batch_size: int) -> None:
        try:
            while not self._stop.is_set():
                batch = source.changes(since, batch_size)
                if not batch.size:
                    break
                missing = target.revs_diff(dict(batch.changes))
                docs = source.fetch(missing) if missing else []
                if not self._offer((batch, docs)) or batch.size < batch_size:
                    break
                since = batch.last_seq
            self._offer(None)
        except BaseException as exc:  # handed to the writing thread, which raises it
            self._offer(exc)

    def __iter__(self) -> Iterator[tuple[Batch, list[dict[str, Any]]]]:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def replicate(
    source: Peer,
    target: Peer,
    *,
    direction: str,
    batch_size: int = DEFAULT_BATCH,
    progress: ProgressCallback | None = None,
) -> Outcome:
    """Copy every revision the target lacks from source to target.

    Batches are written, and checkpointed on both peers, strictly in order; reading ahead
    never moves a checkpoint.
    """
    rep_id = replication_id(source.identity, target.identity)
    source_log = source.get_checkpoint(rep_id)
    target_log = target.get_checkpoint(rep_id)
    since = starting_point(source_log, target_log)
    session = Session(rep_id, source_log)
    outcome = Outcome(last_seq=since)
    report = progress or (lambda p: None)
    report(Progress(direction, "checking", 0, None))
    reader = _ReadAhead(source, target, since, batch_size)
    try:
        for batch, docs in reader:
            log = session.log(batch.last_seq)
            written, rejected = target.apply(docs, (rep_id, log))
            source.put_checkpoint(rep_id, log)
            outcome.examined += len(batch.changes)
            outcome.written += written
            outcome.rejected += rejected
            outcome.last_seq = batch.last_seq
            total = None if batch.pending is None else outcome.examined + batch.pending
            report(Progress(direction, "transferring", outcome.examined, total))
    finally:
        reader.close()
    report(Progress(direction, "done", outcome.examined, outcome.examined))
    return outcome


class Replicator:
    """Push and pull between this replica and one database on the server."""

    def __init__(
        self, store: Store, database: CouchDatabase, *, batch_size: int = DEFAULT_BATCH
    ) -> None:
        self.store = store
        self.local = LocalPeer(store)
        self.remote = RemotePeer(database)
        self.batch_size = batch_size

    def pull(self, progress: ProgressCallback | None = None) -> Outcome:
        return replicate(
            self.remote, self.local, direction="pull", batch_size=self.batch_size, progress=progress
        )

    def push(self, progress: ProgressCallback | None = None) -> Outcome:
        return replicate(
            self.local, self.remote, direction="push", batch_size=self.batch_size, progress=progress
        )

    def sync(self, progress: ProgressCallback | None = None) -> SyncReport:
        pushed = self.push(progress)
        pulled = self.pull(progress)
        return SyncReport(pulled=pulled, pushed=pushed, conflicts=self.store.conflicted())
