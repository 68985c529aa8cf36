"""The CouchDB replication protocol, in both directions, between the store and a server.

For each batch: `_changes` (all leaves) on the source, `_revs_diff` on the target, fetch the
missing revisions with their history, write them as they are (`new_edits=false`), then the
checkpoint on both peers. A cut anywhere resumes from the last checkpoint; a batch written
twice changes nothing.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from queue import Full, Queue
from typing import Any, Generic, TypeVar

from sync import collector
from sync.checkpoints import Session, replication_id, starting_point
from sync.compaction import CompactionReport
from sync.couch import CouchDatabase
from sync.peers import Batch, LocalPeer, Peer, Rejection, RemotePeer
from sync.store import Store

# Changes per batch (a batch is one `_changes` page, one fetch, one write and checkpoint).
# A pull writes each batch in one local transaction, whose commit rewrites every index page
# the batch's random ids touch: half as many commits of twice as many documents cost less
# (a 20,000-document pull: 7% less CPU, about 4% less time). A push is written by the
# server, several batches at once: smaller ones overlap better there (a push in batches of
# 2,000 took 13% longer).
PULL_BATCH = 2000
PUSH_BATCH = 1000
CHECKPOINT_SECONDS = 5.0  # how often the server's copy of a checkpoint is brought forward


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
    compacted: CompactionReport | None = None

    @property
    def rejected(self) -> list[Rejection]:
        return self.pushed.rejected + self.pulled.rejected


ProgressCallback = Callable[[Progress], None]
# prepared for the target; how many documents that is; what was unreadable
Fetched = tuple[Batch, Any, int, list[Rejection]]


T = TypeVar("T")
R = TypeVar("R")
_END = object()


class _Stage(Generic[T]):
    """Runs a producer on a thread of its own and hands its items over through a short
    queue, so that the next step can start while the current one is being used. An error
    in the producer is raised where the items are consumed."""

    DEPTH = 1  # one batch of documents waiting: memory stays bounded on a large pull

    def __init__(self, produce: Callable[[], Iterable[T]]) -> None:
        self._queue: Queue[Any] = Queue(self.DEPTH)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(produce,), daemon=True)
        self._thread.start()

    def _offer(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def _run(self, produce: Callable[[], Iterable[T]]) -> None:
        try:
            for item in produce():
                if not self._offer(item):
                    return
            self._offer(_END)
        except BaseException as exc:  # handed to the consumer, which raises it
            self._offer(exc)

    def __iter__(self) -> Iterator[T]:
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def change_batches(source: Peer, since: Any, batch_size: int) -> Iterator[Batch]:
    """The source's changes after `since`, a batch at a time (none empty)."""
    while True:
        batch = source.changes(since, batch_size)
        if not batch.size:
            return
        yield batch
        if batch.size < batch_size:
            return
        since = batch.last_seq


def in_order(items: Iterable[T], work: Callable[[T], R], in_flight: int) -> Iterator[R]:
    """`work` applied to each item, up to `in_flight` at once, results in the items' order."""
    if in_flight <= 1:
        yield from map(work, items)
        return
    pool = ThreadPoolExecutor(max_workers=in_flight)
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) >= in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@collector.streaming
def replicate(
    source: Peer,
    target: Peer,
    *,
    direction: str,
    batch_size: int,
    progress: ProgressCallback | None = None,
) -> Outcome:
    """Copy every revision the target lacks from source to target.

    Batches are checkpointed strictly in order, each only once it and every batch before it
    are written; requests made ahead never move a checkpoint.
    """
    rep_id = replication_id(source.identity, target.identity)
    source_log = source.get_checkpoint(rep_id)
    target_log = target.get_checkpoint(rep_id)
    # the laptop's own log is trusted, the server's only compared (see sync.checkpoints)
    own, other = (source_log, target_log) if source.trusted else (target_log, source_log)
    since = starting_point(own, other)
    session = Session(rep_id, own)
    outcome = Outcome(last_seq=since)
    report = progress or (lambda p: None)
    report(Progress(direction, "checking", 0, None))

    def with_documents(batch: Batch) -> Fetched:
        missing = target.revs_diff(dict(batch.changes))
        if not missing:
            return batch, None, 0, []
        docs, unreadable = source.fetch(missing)
        return batch, target.prepare(docs) if docs else None, len(docs), unreadable

    def write(item: Fetched) -> tuple[Batch, dict[str, Any], bool, tuple[int, list[Rejection]]]:
        """The batch written; with, on the laptop, its checkpoint when that was in the same
        transaction (a pull)."""
        batch, prepared, count, unreadable = item
        log = session.log(batch.last_seq)
        if not count:  # nothing the target lacks (a pull of what was just pushed)
            return batch, log, False, (0, unreadable)
        if target.in_flight > 1:  # several writes at once: checkpoint later, in order
            written, rejected = target.write(prepared)
            return batch, log, False, (written, unreadable + rejected)
        written, rejected = target.apply(prepared, (rep_id, log))  # with its checkpoint
        return batch, log, True, (written, unreadable + rejected)

    # The server's copy of the checkpoint only has to know the session (the sequence is read
    # from the laptop's own log): it is written at the first batch, every few seconds, and
    # at the end. The laptop's copy is written with every batch that wrote anything (in a
    # pull, in its batch's transaction); after batches with nothing to write, every few
    # seconds and at the end (a commit each is most of what such a batch costs).
    local = target if target.trusted else source
    remote = source if target.trusted else target
    remote_at, local_at = -CHECKPOINT_SECONDS, time.monotonic()
    unsaved: dict[str, Any] | None = None  # the newest log the server has not been given
    unsaved_here: dict[str, Any] | None = None  # the same on the laptop

    # The steps overlap: listing changes; finding and fetching what is missing; writing.
    listing = _Stage(lambda: change_batches(source, since, batch_size))
    # (the questions go to the target, the fetching to the source: either may be the server)
    ahead = max(source.in_flight, target.in_flight)
    fetching = _Stage(lambda: in_order(listing, with_documents, ahead))
    try:
        for batch, log, saved_here, (written, rejected) in in_order(
            fetching, write, target.in_flight
        ):
            unsaved = unsaved_here = log
            if time.monotonic() - remote_at >= CHECKPOINT_SECONDS:
                remote.put_checkpoint(rep_id, log)
                remote_at, unsaved = time.monotonic(), None
            if rejected:
                source.note_rejected(rejected)  # before the checkpoint passes them
            if saved_here:
                unsaved_here = None
            elif written or rejected or time.monotonic() - local_at >= CHECKPOINT_SECONDS:
                local.put_checkpoint(rep_id, log)
                local_at, unsaved_here = time.monotonic(), None
            outcome.examined += len(batch.changes)
            outcome.written += written
            outcome.rejected += rejected
            outcome.last_seq = batch.last_seq
            total = None if batch.pending is None else outcome.examined + batch.pending
            report(Progress(direction, "transferring", outcome.examined, total))
        if unsaved is not None:
            remote.put_checkpoint(rep_id, unsaved)
        if unsaved_here is not None:
            local.put_checkpoint(rep_id, unsaved_here)
    finally:
        fetching.close()
        listing.close()
    report(Progress(direction, "done", outcome.examined, outcome.examined))
    return outcome


def mark_replicated(local: LocalPeer, remote: RemotePeer, seq: int) -> None:
    """Record, as a push session on both peers, that this replica's changes up to `seq` are
    all on the server."""
    rep_id = replication_id(local.identity, remote.identity)
    log = Session(rep_id, local.get_checkpoint(rep_id)).log(seq)
    remote.put_checkpoint(rep_id, log)
    local.put_checkpoint(rep_id, log)


class Replicator:
    """Push and pull between this replica and one database on the server."""

    def __init__(
        self, store: Store, database: CouchDatabase, *, batch_size: int | None = None
    ) -> None:
        """`batch_size`: changes per batch both ways; by default `PULL_BATCH` pulled and
        `PUSH_BATCH` pushed."""
        self.store = store
        self.local = LocalPeer(store)
        self.remote = RemotePeer(database)
        self.pull_batch = batch_size or PULL_BATCH
        self.push_batch = batch_size or PUSH_BATCH

    def pull(self, progress: ProgressCallback | None = None) -> Outcome:
        return replicate(
            self.remote, self.local, direction="pull", batch_size=self.pull_batch, progress=progress
        )

    def push(self, progress: ProgressCallback | None = None) -> Outcome:
        if self.store.update_seq == 0:  # a new laptop's first sync: nothing to send, nor ask
            for phase in ("checking", "done"):
                (progress or (lambda p: None))(Progress("push", phase, 0, 0))
            return Outcome()
        return replicate(
            self.local, self.remote, direction="push", batch_size=self.push_batch, progress=progress
        )

    @collector.streaming
    def sync(self, progress: ProgressCallback | None = None) -> SyncReport:
        """Push, pull, then compact what changed (old bodies are not needed any more) and
        make the digests of the children pulled (`sync.case_digests`)."""
        pushed = self.push(progress)
        caught_up = self.store.update_seq
        pushed_all = pushed.last_seq == caught_up
        pulled = self.pull(progress)
        if pushed_all and pulled.written and self.store.update_seq - caught_up == pulled.written:
            # Every change here since the push came from the server (nothing was written
            # meanwhile): the next push need not ask the server about them again.
            mark_replicated(self.local, self.remote, self.store.update_seq)
        compacted = self.store.compact()
        self.store.refresh_digests()  # the children pulled, each once: lists open at once
        return SyncReport(pulled, pushed, self.store.conflicted(), compacted)
