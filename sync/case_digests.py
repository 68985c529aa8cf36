"""Each child's digest kept beside the documents (part of `Store`), as CouchDB keeps a view.

The case list, the due view, `careforms due` and the ledger need of every child only a
little of its file (`engine.casework.casefile.digest`); read from the documents, that is
600 MB of JSON for 10,000 children and 13 s. So the replica keeps each child's digest, and
`digests_seq`: the sequence up to which every change is in them.

- An edit made here (`put`, `put_many`) writes the digests of the children it touched before
  its transaction commits, and moves `digests_seq` on with it when nothing was pending.
- Replicated revisions (a pull, a bundle) only leave `digests_seq` behind: a pull's batches
  bring a child's documents in many pieces, and a digest made per batch would read the child
  again each time. `refresh_digests` (at the end of a sync, and before any list is read)
  makes the digests of the children changed since `digests_seq`, each once.
- A writer that knows nothing of digests (an older careforms) leaves `digests_seq` behind
  too, and is caught up the same way; so is a replica made before digests (from 0), or one
  whose digests are of another `DIGEST_VERSION`.
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

DIGESTS_SEQ = "digests_seq"  # meta: every change up to it is in the digests
DIGESTS_VERSION = "digests_version"  # meta: the DIGEST_VERSION of the digests kept
KINDS = (CHILD, ASSESSMENT, VISIT, PLAN)
REFRESH_BATCH = 500  # children per transaction while catching up: writers wait little
DIGEST_PAGE = 1000
LOOKUPS_UP_TO = 1000  # children changed: beyond, records and digests are read whole

BuildProgress = Callable[[int, int], None]  # children done, children in all


def child_of(doc_id: str) -> str | None:
    """The child a case document is about (`child:<uuid>`, `<kind>:<uuid>[:…]`)."""
    kind, _, rest = doc_id.partition(":")
    if kind not in KINDS or not rest:
        return None
    return rest.partition(":")[0] or None


def create_table(db: Connection) -> None:
    """The table, empty, and caught up to nothing (a replica with documents catches up)."""
    db.execute("CREATE TABLE case_digests (child TEXT PRIMARY KEY, body TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES (?, '0')", (DIGESTS_SEQ,))
    db.execute("INSERT INTO meta VALUES (?, ?)", (DIGESTS_VERSION, str(DIGEST_VERSION)))


class CaseDigests:
    """Mixed into `Store`. Its transactions gather in `_digests_due` the children an edit
    touched, note in `_seq_before` the sequence before their first write and in
    `_replicated` whether any write was a replicated one, and call `_write_digests` before
    they commit."""

    _db: Connection
    _lock: threading.RLock
    _digests_due: set[str]
    _seq_before: int | None
    _replicated: bool

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    @property
    def update_seq(self) -> int:
        raise NotImplementedError

    def _meta(self, key: str) -> str | None:
        raise NotImplementedError

    def _children_written(self, doc_ids: Iterable[str], seq_before: int, replicated: bool) -> None:
        if self._seq_before is None:
            self._seq_before = seq_before
        self._replicated = self._replicated or replicated
        if not self._replicated:
            self._digests_due.update(c for i in doc_ids if (c := child_of(i)) is not None)

    def _write_digests(self) -> None:
        """Before a commit: the digests of the children edited (none after a replicated
        write: `refresh_digests` makes those), and `digests_seq` moved on when it was where
        this transaction began."""
        due, before, replicated = self._digests_due, self._seq_before, self._replicated
        self._forget_written()
        if replicated:
            return
        self._write_digests_of(due)
        self._db.execute(  # (the transaction calls this only after a write: `before` is set)
            "UPDATE meta SET value = ? WHERE key = ? AND value = ?",
            (str(self.update_seq), DIGESTS_SEQ, str(before)),
        )

    def _forget_written(self) -> None:
        self._digests_due, self._seq_before, self._replicated = set(), None, False

    def _write_digests_of(self, children: Iterable[str]) -> None:
        """The digests of these children from their documents as they now are. One look for
        the records of all: a child without one has no digest (and loses any it had)."""
        children = set(children)
        alive = self._with_record(children, live=True)
        for chunk, marks in chunks(sorted(children - alive)):
            self._db.execute(f"DELETE FROM case_digests WHERE child IN ({marks})", chunk)
        made = []
        for child in sorted(alive):
            record, others = self.child_documents(child)
            if record is not None:
                made.append((child, orjson.dumps(digest(record, others)).decode()))
        self._db.executemany("INSERT OR REPLACE INTO case_digests VALUES (?, ?)", made)

    def _with_record(self, children: set[str], *, live: bool) -> set[str]:
        """Those of the children with a `child:` record here (a live one, or any)."""
        records = {f"{CHILD}:{child}": child for child in children}
        alive = " AND deleted = 0" if live else ""
        found: set[str] = set()
        for chunk, marks in chunks(sorted(records)):
            rows = self._db.execute(
                f"SELECT doc_id FROM docs WHERE doc_id IN ({marks}){alive}", chunk
            )
            found.update(records[doc_id] for (doc_id,) in rows)
        return found

    def child_documents(self, child: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """A child's record (None when there is none) and its other live documents: every
        `<kind>:<child>:…`, and an odd `<kind>:<child>` without its entry part."""
        record = None
        others = []
        with self._lock:
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
                    if kind != CHILD:
                        others.append(doc)
                    elif doc_id == exact:
                        record = doc
        return record, others

    # -- catching up -------------------------------------------------------------------------
    def _digests_since(self) -> int:
        """Where the digests are (0 when they are of another version: all made again)."""
        if self._meta(DIGESTS_VERSION) != str(DIGEST_VERSION):
            return 0
        return int(self._meta(DIGESTS_SEQ) or 0)

    def _with_digest_work(self, children: set[str]) -> list[str]:
        """Those of the children that have a record or a digest: the others (documents about
        a child this replica has no record of) need nothing done. Many children (a large
        pull) are matched against every record and digest read in order, not looked up one
        by one."""
        if len(children) >= LOOKUPS_UP_TO:
            rows = self._db.execute(
                "SELECT doc_id FROM docs WHERE doc_id > ? AND doc_id < ?",
                (CHILD + ":", CHILD + ";"),
            )
            ids = (doc_id.partition(":")[2] for (doc_id,) in rows)
            records = {child for child in ids if ":" not in child}
            digested = {child for (child,) in self._db.execute("SELECT child FROM case_digests")}
            return sorted(children & (records | digested))
        found = self._with_record(children, live=False)
        for chunk, marks in chunks(sorted(children - found)):
            rows = self._db.execute(
                f"SELECT child FROM case_digests WHERE child IN ({marks})", chunk
            )
            found.update(child for (child,) in rows)
        return sorted(found)

    def digests_current(self) -> bool:
        """Whether every change is in the digests."""
        with self._lock:
            return self._digests_since() >= self.update_seq

    def refresh_digests(self, progress: BuildProgress | None = None) -> int:
        """Bring the digests up to every change: those of the children changed since
        `digests_seq`, each made once, a batch of children per transaction. Returns how many
        children had their digest made again (or removed)."""
        with self._lock:
            since, top = self._digests_since(), self.update_seq
            if since >= top:
                return 0
            ids = self._db.execute(
                "SELECT doc_id FROM docs WHERE seq > ? AND seq <= ?", (since, top)
            ).fetchall()
            changed = self._with_digest_work({c for (i,) in ids if (c := child_of(i)) is not None})
        for start in range(0, len(changed), REFRESH_BATCH):
            with self.transaction():
                self._write_digests_of(changed[start : start + REFRESH_BATCH])
            if progress is not None:
                progress(min(start + REFRESH_BATCH, len(changed)), len(changed))
        with self.transaction():  # never back: another refresh may have gone further
            if since == 0:
                self._db.execute(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                    (DIGESTS_VERSION, str(DIGEST_VERSION)),
                )
            self._db.execute(
                "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = "
                "excluded.value WHERE CAST(meta.value AS INTEGER) < CAST(excluded.value AS INT)",
                (DIGESTS_SEQ, str(top)),
            )
        return len(changed)

    # -- reading -----------------------------------------------------------------------------
    def case_digests(self) -> Iterator[dict[str, Any]]:
        """Every child's digest, by child, read a page at a time (see `refresh_digests`)."""
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
        """One child's digest, None when there is no such child (see `refresh_digests`)."""
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM case_digests WHERE child = ?", (child,)
            ).fetchone()
        return None if row is None else dict(orjson.loads(row[0]))
