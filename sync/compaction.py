"""Keeping the replica bounded (part of `Store`): compaction and incremental vacuum.

Autosave writes a revision per answer, and each keeps its body until compaction drops the
bodies nothing needs: every leaf keeps its own, and a document in conflict keeps the body of
its leaves' common ancestor (the conflict view shows it beside each version); the revision
tree itself, ids only, stays (CouchDB does the same). Only documents changed since the last
compaction are looked at, and a replicated write that leaves nothing to drop (documents new
here, one revision's body each: a first pull) moves the compaction's sequence on with it when
compaction was current, so that nothing is looked at again. The pages freed go back to the
file system (`auto_vacuum = INCREMENTAL`, then a checkpoint that truncates the write-ahead
log).
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from sync import revtree
from sync.database import WAL_FILES, Connection

COMPACTED_SEQ = "compacted_seq"


@dataclass(frozen=True, slots=True)
class CompactionReport:
    documents: int  # documents whose old bodies were dropped
    bodies: int  # bodies dropped
    bytes_before: int  # the replica's files (with its write-ahead log)
    bytes_after: int


def replica_bytes(path: Path) -> int:
    """The size of the replica on disk: the file and its write-ahead log."""
    files = [path, *(path.with_name(path.name + suffix) for suffix in WAL_FILES[:1])]
    return sum(f.stat().st_size for f in files if f.exists())


class Compaction:
    """Mixed into `Store`, whose connection, lock and transactions it uses."""

    _db: Connection
    _lock: threading.RLock
    path: Path

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    @property
    def update_seq(self) -> int:
        raise NotImplementedError

    def _meta(self, key: str) -> str | None:
        raise NotImplementedError

    def _compacted_seq(self) -> int:
        return int(self._meta(COMPACTED_SEQ) or 0)

    def _nothing_to_compact(self, seq_before: int, seq_after: int) -> None:
        """After a write that added no body any compaction would drop: `compacted_seq` moves
        on with it, when it was where the write began."""
        if self._compacted_seq() == seq_before:
            self._db.execute(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)", (COMPACTED_SEQ, str(seq_after))
            )

    def compact(self) -> CompactionReport:
        """Drop the bodies no leaf and no conflict needs, then give the space back."""
        before = replica_bytes(self.path)
        documents = dropped = 0
        with self._lock:
            if self._compacted_seq() >= self.update_seq:  # nothing changed: nothing written
                return CompactionReport(0, 0, before, before)
        with self.transaction():
            since, top = self._compacted_seq(), self.update_seq
            candidates = self._db.execute(
                "SELECT d.doc_id, d.tree FROM docs d WHERE d.seq > ? AND d.leaf_count < "
                "(SELECT count(*) FROM bodies b WHERE b.doc_id = d.doc_id)",
                (since,),
            ).fetchall()
            for doc_id, text in candidates:
                tree = revtree.loads(text)
                keep = {leaf.rev for leaf in revtree.leaves(tree)}
                if len(keep) > 1:
                    ancestor = revtree.common_ancestor(
                        tree, [leaf.rev for leaf in revtree.leaves(tree)]
                    )
                    keep |= {ancestor} if ancestor else set()
                stored = [r for (r,) in self._db.execute(
                    "SELECT rev FROM bodies WHERE doc_id = ?", (doc_id,)
                )]  # fmt: skip
                gone = [(doc_id, rev) for rev in stored if rev not in keep]
                self._db.executemany("DELETE FROM bodies WHERE doc_id = ? AND rev = ?", gone)
                documents += bool(gone)
                dropped += len(gone)
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (COMPACTED_SEQ, str(top)))
            if dropped:
                self._db.execute("PRAGMA incremental_vacuum").fetchall()
        if dropped:
            with self._lock:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        return CompactionReport(documents, dropped, before, replica_bytes(self.path))
