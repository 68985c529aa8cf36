"""Each child's digest kept beside the documents (part of `Store`).

The case list, the due view, `careforms due` and the ledger need of every child only a
little of its file (`engine.casework.casefile.digest`); read from the documents, that is
600 MB of JSON for 10,000 children and 13 s. So every write that touches a child's documents
(an edit here, a pull, a bundle, a migration) writes that child's digest again in the same
transaction: the digests are as current as the documents whatever the path, and a list reads
one small row per child. A replica made before digests existed, or with digests of an older
kind, has them built once when first asked for (`build_digests`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import orjson

from engine.casework.casefile import ASSESSMENT, CHILD, DIGEST_VERSION, PLAN, VISIT, digest
from sync.database import Connection
from sync.documents import chunks

DIGESTS_KEY = "case_digests"  # meta: the digest version every child's digest is at
KINDS = (CHILD, ASSESSMENT, VISIT, PLAN)
BUILD_BATCH = 200  # children per transaction while digests are built: writers wait little
DIGEST_PAGE = 1000

BuildProgress = Callable[[int, int], None]  # children done, children in all


def child_of(doc_id: str) -> str | None:
    """The child a case document is about (`child:<uuid>`, `<kind>:<uuid>[:…]`)."""
    kind, _, rest = doc_id.partition(":")
    if kind not in KINDS or not rest:
        return None
    return rest.partition(":")[0] or None


def create_table(db: Connection) -> None:
    """The table, empty; a replica with no child yet has all its digests (none)."""
    db.execute(
        "CREATE TABLE case_digests (child TEXT PRIMARY KEY, body TEXT NOT NULL)"  # JSON
    )
    has_children = db.execute(
        "SELECT 1 FROM docs WHERE doc_id >= 'child:' AND doc_id < 'child;' LIMIT 1"
    ).fetchone()
    if has_children is None:
        db.execute("INSERT INTO meta VALUES (?, ?)", (DIGESTS_KEY, str(DIGEST_VERSION)))


class CaseDigests:
    """Mixed into `Store`: `_digests_due` gathers the children written in the transaction
    under way; the transaction calls `_write_digests` before it commits."""

    _db: Connection
    _lock: threading.RLock
    _digests_due: set[str]

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _children_written(self, doc_ids: Iterable[str]) -> None:
        for doc_id in doc_ids:
            child = child_of(doc_id)
            if child is not None:
                self._digests_due.add(child)

    def _write_digests(self) -> None:
        """The digests of the children written, from their documents as they now are
        (inside the transaction that wrote them). Documents about a child without a record
        here (a pull of assessments alone) cost one look for the record per batch."""
        due, self._digests_due = self._digests_due, set()
        records = {f"{CHILD}:{child}": child for child in due}
        alive = set()
        for chunk, marks in chunks(sorted(records)):
            alive |= {
                records[doc_id]
                for (doc_id,) in self._db.execute(
                    f"SELECT doc_id FROM docs WHERE deleted = 0 AND doc_id IN ({marks})", chunk
                )
            }
        for chunk, marks in chunks(sorted(due - alive)):
            self._db.execute(f"DELETE FROM case_digests WHERE child IN ({marks})", chunk)
        made = [
            (child, body)
            for child in sorted(alive)
            if (body := self._digest_from_documents(child)) is not None
        ]
        self._db.executemany("INSERT OR REPLACE INTO case_digests VALUES (?, ?)", made)

    def _digest_from_documents(self, child: str) -> str | None:
        record = None
        others = []
        for kind in KINDS:
            exact = f"{kind}:{child}"
            rows = self._db.execute(
                "SELECT d.doc_id, d.winner, b.body FROM docs d JOIN bodies b "
                "ON b.doc_id = d.doc_id AND b.rev = d.winner WHERE d.deleted = 0 AND "
                "(d.doc_id = ? OR (d.doc_id > ? AND d.doc_id < ?)) ORDER BY d.doc_id",
                (exact, exact + ":", exact + ";"),
            )
            for doc_id, rev, body in rows:
                doc = {"_id": doc_id, "_rev": rev, **orjson.loads(body)}
                if kind == CHILD:
                    record = doc if doc_id == exact else record
                else:
                    others.append(doc)
        if record is None:
            return None
        return orjson.dumps(digest(record, others)).decode()

    # -- reading -----------------------------------------------------------------------------
    def digests_complete(self) -> bool:
        """Whether every child has its digest, of this version."""
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM meta WHERE key = ?", (DIGESTS_KEY,)
            ).fetchone()
        return row is not None and row[0] == str(DIGEST_VERSION)

    def build_digests(self, progress: BuildProgress | None = None) -> None:
        """Every child's digest made from its documents, a batch of children per transaction;
        marked complete at the end (an interrupted build starts again next time)."""
        with self._lock:
            children = [
                child
                for (doc_id,) in self._db.execute(
                    "SELECT doc_id FROM docs WHERE deleted = 0 AND doc_id >= 'child:' "
                    "AND doc_id < 'child;' ORDER BY doc_id"
                ).fetchall()
                if (child := child_of(doc_id)) is not None and doc_id == f"{CHILD}:{child}"
            ]
        with self.transaction():
            self._db.execute("DELETE FROM meta WHERE key = ?", (DIGESTS_KEY,))
            self._db.execute("DELETE FROM case_digests")
        for start in range(0, len(children), BUILD_BATCH):
            with self.transaction():
                self._digests_due.update(children[start : start + BUILD_BATCH])
            if progress is not None:
                progress(min(start + BUILD_BATCH, len(children)), len(children))
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)", (DIGESTS_KEY, str(DIGEST_VERSION))
            )

    def case_digests(self) -> Iterator[dict[str, Any]]:
        """Every child's digest, by child, read a page at a time."""
        after = ""
        while True:
            with self._lock:
                rows = self._db.execute(
                    "SELECT child, body FROM case_digests WHERE child > ? ORDER BY child LIMIT ?",
                    (after, DIGEST_PAGE),
                ).fetchall()
            for _, body in rows:
                yield orjson.loads(body)
            if len(rows) < DIGEST_PAGE:
                return
            after = rows[-1][0]

    def case_digest(self, child: str) -> dict[str, Any] | None:
        """One child's digest, None when there is no such child."""
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM case_digests WHERE child = ?", (child,)
            ).fetchone()
        return None if row is None else dict(orjson.loads(row[0]))
