"""Documents the server refused, remembered in the replica (part of `Store`).

The server says so once, in the answer to the push; the checkpoint then moves on, and the
refused revision is never sent again until the document changes. So the refusal is kept,
with its reason and time, until the document changes (any new revision, here or pulled) or
the user dismisses it, and every sync lists what is kept.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson

from sync.database import Connection
from sync.documents import chunks


@dataclass(frozen=True, slots=True)
class RememberedRejection:
    """A document the server refused, kept until the document changes or is dismissed."""

    doc_id: str
    rev: str
    error: str
    reason: str
    at: str  # when, UTC ISO 8601


class RejectionLog:
    """The `rejections` table; mixed into `Store`, whose connection and lock it uses."""

    _db: Connection
    _lock: threading.RLock

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def remember_rejections(self, refused: Iterable[tuple[str, str | None, str, str]]) -> int:
        """Keep (doc id, revision, error, reason) for each refused revision that is still a
        leaf here (a document changed meanwhile is sent again anyway). Returns how many."""
        at = datetime.now(UTC).isoformat(timespec="seconds")
        kept = 0
        with self.transaction():
            for doc_id, rev, error, reason in refused:
                row = self._db.execute(
                    "SELECT leaves, winner FROM docs WHERE doc_id = ?", (doc_id,)
                ).fetchone()
                if row is None:
                    continue
                rev = rev or str(row[1])
                if rev not in {leaf for leaf, _ in orjson.loads(row[0])}:
                    continue
                self._db.execute(
                    "INSERT OR REPLACE INTO rejections VALUES (?, ?, ?, ?, ?)",
                    (doc_id, rev, error, reason, at),
                )
                kept += 1
        return kept

    def rejections(self) -> list[RememberedRejection]:
        with self._lock:
            rows = self._db.execute(
                "SELECT doc_id, rev, error, reason, at FROM rejections ORDER BY doc_id"
            ).fetchall()
        return [RememberedRejection(*row) for row in rows]

    def dismiss_rejections(self, doc_ids: Iterable[str] | None = None) -> int:
        """Forget the given refusals (all when None); returns how many were dismissed."""
        with self.transaction():
            if doc_ids is None:
                return int(self._db.execute("DELETE FROM rejections").rowcount)
            gone = 0
            for chunk, marks in chunks(sorted(set(doc_ids))):
                gone += self._db.execute(
                    f"DELETE FROM rejections WHERE doc_id IN ({marks})", chunk
                ).rowcount
            return gone

    def _forget_rejections(self, changed: Iterable[str]) -> None:
        """Called inside the write of changed documents."""
        if self._db.execute("SELECT 1 FROM rejections LIMIT 1").fetchone() is None:
            return
        for chunk, marks in chunks(sorted(changed)):
            self._db.execute(f"DELETE FROM rejections WHERE doc_id IN ({marks})", chunk)
