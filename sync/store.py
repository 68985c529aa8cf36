"""The local replica: an encrypted SQLite file that behaves like a CouchDB database.

Every write goes through this class, inside a transaction. Each document is one row holding
its revision tree (see `sync.revtree`) and its leaves; the contents of revisions live in
`bodies`. The winner is chosen as CouchDB chooses it; conflicts and deletions are kept as
leaves; every change gets a sequence number for the changes feed. A local edit of a document
the app stamped carries its change log forward (`sync.history`). Replicated revisions
(`sync.replicated`), `_local` documents (`sync.local_docs`), refusals by the server
(`sync.rejections`), compaction (`sync.compaction`) and each child's digest, written with
the child's documents (`sync.case_digests`), are parts of the same class.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from sync import history, revtree
from sync.case_digests import CaseDigests
from sync.compaction import Compaction
from sync.database import (
    DEFAULT_KDF_COST,
    SYNCHRONOUS,
    Connection,
    SQLiteError,
    connect,
    fault,
    open_replica,
    page_bytes_of,
)
from sync.documents import (
    TOMBSTONE_FIELDS,
    Change,
    Changes,
    body_of,
    check_id,
    chunks,
    dump,
)
from sync.errors import BatchRefused, Conflict, InvalidDocument, NotFound
from sync.local_docs import LocalDocuments
from sync.rejections import RejectionLog
from sync.replicated import ReplicatedRevisions
from sync.revisions import (
    DEFAULT_REVS_LIMIT,
    Leaf,
    new_rev,
    revisions_field,
)
from sync.revtree import Tree

ALL_DOCS_PAGE = 1000  # rows read at a time by all_docs


class Store(ReplicatedRevisions, LocalDocuments, RejectionLog, Compaction, CaseDigests):
    """One replica. Safe to share between threads (one writer at a time)."""

    def __init__(
        self, db: Connection, path: Path, key: str, revs_limit: int = DEFAULT_REVS_LIMIT
    ) -> None:
        self._db = db
        self._key = key
        self.page_bytes = page_bytes_of(db)
        self.path = path
        self.revs_limit = revs_limit
        self._lock = threading.RLock()
        self._depth = 0
        self._reader: Store | None = None
        self._forget_written()  # what the transaction under way wrote (sync.case_digests)

    @classmethod
    def open(
        cls,
        path: Path | str,
        passphrase: str,
        *,
        kdf_cost: int = DEFAULT_KDF_COST,
        revs_limit: int = DEFAULT_REVS_LIMIT,
    ) -> Store:
        path = Path(path)
        db, key = open_replica(path, passphrase, kdf_cost)
        return cls(db, path, key, revs_limit)

    def reader(self) -> Store:
        """A second connection to the same replica, for reading on another thread while this
        one writes (it sees committed data only)."""
        reader = self._reader  # not under the lock: a write may hold it for a whole batch
        if reader is not None:
            return reader
        with self._lock:
            if self._reader is None:
                self._reader = Store(  # small reads: a small cache
                    connect(self.path, self._key, page_bytes=self.page_bytes, cache_kib=4096),
                    self.path,
                    self._key,
                    self.revs_limit,
                )
            return self._reader

    def close(self) -> None:
        with self._lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all. Nested calls join the outer one.

        SQLite's own failures (another process holding the replica, a full disk) come out as
        the replica faults of `sync.errors`; what was written inside is rolled back."""
        with self._lock:
            if self._depth == 0:
                self._execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
                if self._depth == 1 and self._seq_before is not None:
                    self._write_digests()  # the children edited, in the same transaction
            except BaseException as exc:
                self._depth -= 1
                if self._depth == 0:
                    self._forget_written()
                    if self._db.in_transaction:  # SQLite may have rolled back
                        self._db.execute("ROLLBACK")
                if isinstance(exc, SQLiteError):
                    raise fault(exc, self.path) from exc
                raise
            self._depth -= 1
            if self._depth == 0:
                try:
                    self._execute("COMMIT")
                finally:
                    if self._db.in_transaction:  # a commit that failed leaves nothing behind
                        self._db.execute("ROLLBACK")

    @contextmanager
    def refetchable_transaction(self) -> Iterator[None]:
        """A transaction of what can be fetched again (a pulled batch with its checkpoint):
        its commit does not wait for the disk (an fsync each; seconds of a large first pull on
        an old laptop's disk). After a power cut, SQLite's write-ahead log still gives a whole
        replica, only without the last such commits, which the next sync pulls again; the
        next commit that waits for the disk (the end of a sync, any of the user's own) makes
        them durable with it. Inside another transaction, that one's durability holds; a
        replica that is not in WAL mode (a file system without it) always waits."""
        with self._lock:
            relaxed = self._depth == 0 and self._in_wal()  # (a rollback journal could corrupt)
            if relaxed:
                self._execute("PRAGMA synchronous = NORMAL")
            try:
                with self.transaction():
                    yield
            finally:
                if relaxed and not self._db.in_transaction:  # (else the connection is lost)
                    self._execute(f"PRAGMA synchronous = {SYNCHRONOUS}")

    def _in_wal(self) -> bool:
        return str(self._db.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"

    def _execute(self, sql: str) -> None:
        try:
            self._db.execute(sql)
        except SQLiteError as exc:
            raise fault(exc, self.path) from exc

    # -- reading ---------------------------------------------------------------------
    @property
    def uuid(self) -> str:
        """This replica's identity (made once, never replicated)."""
        with self._lock:
            kept = self._meta("uuid")
            if kept is not None:
                return kept
            value = uuid.uuid4().hex
            with self.transaction():
                self._db.execute("INSERT INTO meta VALUES ('uuid', ?)", (value,))
            return value

    def _meta(self, key: str) -> str | None:
        """A value of the replica's own bookkeeping (`meta`), None when not set."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    @property
    def update_seq(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT coalesce(max(seq), 0) FROM docs").fetchone()[0])

    def pending_changes(self, since: int) -> int:
        with self._lock:
            row = self._db.execute("SELECT count(*) FROM docs WHERE seq > ?", (since,)).fetchone()
            return int(row[0])

    def seqs(self, prefix: str = "") -> dict[str, int]:
        """The sequence of each document's last change, for documents whose id starts so."""
        with self._lock:
            rows = self._db.execute(
                "SELECT doc_id, seq FROM docs WHERE doc_id >= ? AND doc_id < ?",
                (prefix, prefix + "\U0010ffff"),
            )
            return dict(rows.fetchall())

    def _tree(self, doc_id: str) -> Tree:
        row = self._db.execute("SELECT tree FROM docs WHERE doc_id = ?", (doc_id,)).fetchone()
        return revtree.loads(row[0]) if row else {}

    def _trees(self, doc_ids: Iterable[str]) -> dict[str, Tree]:
        trees: dict[str, Tree] = {}
        for chunk, marks in chunks(sorted(set(doc_ids))):
            for doc_id, text in self._db.execute(
                f"SELECT doc_id, tree FROM docs WHERE doc_id IN ({marks})", chunk
            ):
                trees[doc_id] = revtree.loads(text)
        return trees

    def leaves(self, doc_id: str) -> list[Leaf]:
        """Every leaf of a document's tree, the winner first."""
        with self._lock:
            row = self._db.execute("SELECT leaves FROM docs WHERE doc_id = ?", (doc_id,)).fetchone()
        return [Leaf(rev, bool(deleted)) for rev, deleted in orjson.loads(row[0])] if row else []

    def get(
        self, doc_id: str, rev: str | None = None, *, conflicts: bool = False, revs: bool = False
    ) -> dict[str, Any]:
        """The winning revision (or a given one) as a CouchDB-style document."""
        with self._lock:
            if rev is None:
                row = self._db.execute(
                    "SELECT d.winner, d.deleted, b.body, d.tree FROM docs d JOIN bodies b "
                    "ON b.doc_id = d.doc_id AND b.rev = d.winner WHERE d.doc_id = ?",
                    (doc_id,),
                ).fetchone()
                if row is None or row[1]:
                    raise NotFound(doc_id)
                rev, body, tree = str(row[0]), row[2], row[3]
            else:
                row = self._db.execute(
                    "SELECT b.body, d.tree FROM bodies b JOIN docs d ON d.doc_id = b.doc_id "
                    "WHERE b.doc_id = ? AND b.rev = ?",
                    (doc_id, rev),
                ).fetchone()
                if row is None:
                    raise NotFound(doc_id, rev)
                body, tree = row
        return self._document(
            doc_id, rev, body, revtree.loads(tree), conflicts=conflicts, revs=revs
        )

    def _document(
        self,
        doc_id: str,
        rev: str,
        body: str,
        tree: Tree,
        *,
        conflicts: bool = False,
        revs: bool = False,
    ) -> dict[str, Any]:
        doc: dict[str, Any] = {"_id": doc_id, "_rev": rev, **orjson.loads(body)}
        if tree.get(rev, (None, False))[1]:
            doc["_deleted"] = True
        if conflicts:
            losers = [leaf for leaf in revtree.leaves(tree) if leaf.rev != rev]
            if live := [leaf.rev for leaf in losers if not leaf.deleted]:
                doc["_conflicts"] = live
            if dead := [leaf.rev for leaf in losers if leaf.deleted]:
                doc["_deleted_conflicts"] = dead
        if revs:
            doc["_revisions"] = revisions_field(revtree.ancestry(tree, rev, self.revs_limit))
        return doc

    def common_ancestor(self, doc_id: str) -> str | None:
        """The nearest revision every leaf of the document descends from, when known."""
        with self._lock:
            tree = self._tree(doc_id)
        leaves = revtree.leaves(tree)
        return revtree.common_ancestor(tree, [leaf.rev for leaf in leaves]) if leaves else None

    def all_docs(self, prefix: str = "", *, page: int | None = None) -> Iterator[dict[str, Any]]:
        """Live documents by id (the winner of each), optionally those whose id starts so.

        Read a page of rows at a time (as `_all_docs` is paged with `startkey`): a caller
        that keeps only what it needs of each document holds one page in memory, not the
        replica, and a writer waits for one page at most. A document written meanwhile may
        or may not be seen, as with CouchDB's pages."""
        after, end, page = None, prefix + "\U0010ffff", page or ALL_DOCS_PAGE
        while True:
            with self._lock:
                rows = self._db.execute(
                    "SELECT d.doc_id, d.winner, b.body FROM docs d JOIN bodies b "
                    "ON b.doc_id = d.doc_id AND b.rev = d.winner WHERE d.deleted = 0 AND "
                    + ("d.doc_id >= ?" if after is None else "d.doc_id > ?")
                    + " AND d.doc_id < ? ORDER BY d.doc_id LIMIT ?",
                    (prefix if after is None else after, end, page),
                ).fetchall()
            for doc_id, rev, body in rows:
                yield {"_id": doc_id, "_rev": rev, **orjson.loads(body)}
            if len(rows) < page:
                return
            after = rows[-1][0]

    def conflicted(self, prefix: str = "", *, include_deleted: bool = False) -> list[str]:
        """Ids of documents in conflict: with live losing leaves (`_conflicts`), and with
        `include_deleted` also those with deleted losing leaves (`_deleted_conflicts`)."""
        live = "" if include_deleted else "AND conflicted = 1 "  # (a conflict has 2 leaves)
        with self._lock:
            rows = self._db.execute(  # leaf_count > 1: read from docs_with_several_leaves
                f"SELECT doc_id FROM docs WHERE leaf_count > 1 {live}AND doc_id >= ? "
                "AND doc_id < ? ORDER BY doc_id",
                (prefix, prefix + "\U0010ffff"),
            )
            return [row[0] for row in rows]

    def changes(self, since: int = 0, limit: int | None = None) -> Changes:
        """Documents changed after `since`, in sequence order, each with all its leaves."""
        with self._lock:
            rows = self._db.execute(
                "SELECT doc_id, seq, deleted, leaves FROM docs WHERE seq > ? ORDER BY seq LIMIT ?",
                (since, -1 if limit is None else limit),
            ).fetchall()
        out = Changes(last_seq=since)
        for doc_id, seq, deleted, leaves in rows:
            out.results.append(
                Change(seq, doc_id, tuple(r for r, _ in orjson.loads(leaves)), bool(deleted))
            )
            out.last_seq = seq
        return out

    # -- writing ---------------------------------------------------------------------
    def put(self, doc: dict[str, Any]) -> str:
        """Save an edit made here. `_rev` must be a current leaf (or absent for a new doc)."""
        doc_id = check_id(doc.get("_id"))
        base = doc.get("_rev")
        deleted = bool(doc.get("_deleted"))
        body = body_of(doc)
        text = dump(body, doc_id)  # refused before anything is written
        with self.transaction():
            tree = self._tree(doc_id)
            leaves = revtree.leaves(tree)
            if base is None:
                current = leaves[0] if leaves else None
                if current is not None and not current.deleted:
                    raise Conflict(doc_id, None)
                parent = current.rev if current else None  # recreate on top of the deletion
            elif base in {leaf.rev for leaf in leaves}:
                parent = base
            else:
                raise Conflict(doc_id, base)
            if history.stamped(body):  # its change log (see sync.history)
                live = parent is not None and not tree[parent][1]
                body = history.with_edit(self._body(doc_id, parent) if live else None, body)
                text = dump(body, doc_id)
            rev = new_rev(parent, body, deleted)
            tree[rev] = (parent, deleted)
            self._db.execute("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?)", (doc_id, rev, text))
            self._save_trees({doc_id: tree})
        return rev

    def put_many(self, docs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Save many edits made here in one transaction, with a few statements for all.

        Each document is judged as `put` judges it, in order (a second edit of the same id
        sees the first). Returns one result per document, as CouchDB's `_bulk_docs` does:
        `{"id", "rev"}`, or `{"id", "error": "conflict"|"invalid", "reason"}`; the others are
        written. Inside an outer `transaction()` a caller can roll all of it back.
        """
        docs = list(docs)
        results: list[dict[str, Any]] = []
        with self.transaction():
            ids = [d.get("_id") for d in docs]
            trees = self._trees(i for i in ids if isinstance(i, str) and i)
            bodies: list[tuple[str, str, str]] = []
            written: dict[tuple[str, str], dict[str, Any]] = {}  # bodies of this batch
            touched: dict[str, Tree] = {}
            for doc in docs:
                try:
                    doc_id = check_id(doc.get("_id"))
                    body = body_of(doc)
                    text = dump(body, doc_id)  # what JSON cannot hold is refused, as by put
                except InvalidDocument as exc:
                    results.append({"id": doc.get("_id"), "error": "invalid", "reason": str(exc)})
                    continue
                tree = trees.setdefault(doc_id, {})
                base, deleted = doc.get("_rev"), bool(doc.get("_deleted"))
                leaves = revtree.leaves(tree) if tree else []  # most of a bulk write is new
                current = leaves[0] if leaves else None
                if base is None and (current is None or current.deleted):
                    parent = current.rev if current else None  # recreate on a deletion
                elif base is not None and base in {leaf.rev for leaf in leaves}:
                    parent = base
                else:
                    results.append(
                        {"id": doc_id, "error": "conflict", "reason": str(Conflict(doc_id, base))}
                    )
                    continue
                if history.stamped(body):  # its change log, as put keeps it
                    live = parent is not None and not tree[parent][1]
                    before = (
                        (written.get((doc_id, str(parent))) or self._body(doc_id, parent))
                        if live
                        else None
                    )
                    body = history.with_edit(before, body)
                    text = dump(body, doc_id)
                rev = new_rev(parent, body, deleted)
                tree[rev] = (parent, deleted)
                bodies.append((doc_id, rev, text))
                written[(doc_id, rev)] = body
                touched[doc_id] = tree
                results.append({"id": doc_id, "rev": rev})
            bodies.sort()  # in index order: appended pages instead of scattered ones
            self._db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?)", bodies)
            self._save_trees(dict(sorted(touched.items())))
        return results

    def put_all(self, docs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """`put_many`, all or nothing: BatchRefused with the first refusal, nothing written
        (inside an outer `transaction()`, the whole of it is rolled back)."""
        with self.transaction():
            results = self.put_many(docs)
            refused = next((r for r in results if "error" in r), None)
            if refused is not None:
                raise BatchRefused(refused)
        return results

    def _body(self, doc_id: str, rev: str | None) -> dict[str, Any] | None:
        """The body of a revision, when it is known."""
        row = self._db.execute(
            "SELECT body FROM bodies WHERE doc_id = ? AND rev = ?", (doc_id, rev)
        ).fetchone()
        return None if row is None else dict(orjson.loads(row[0]))

    def delete(self, doc_id: str, rev: str) -> str:
        """Delete by a tombstone that keeps the fields access rules look at (`type`,
        `district`), so a server can judge the deletion on its own."""
        try:
            kept = {k: v for k, v in self.get(doc_id, rev).items() if k in TOMBSTONE_FIELDS}
        except NotFound:
            kept = {}
        return self.put({"_id": doc_id, "_rev": rev, "_deleted": True, **kept})

    def _save_trees(self, trees: dict[str, Tree], *, replicated: bool = False) -> int:
        """After a write: stem, choose each winner, give each document a new sequence (the
        next ones after the sequence returned)."""
        seq = before = self.update_seq
        self._children_written(trees, seq, replicated)  # their digests: before the commit
        rows = []
        for doc_id, tree in trees.items():
            if len(tree) > 1 and revtree.needs_stemming(tree, self.revs_limit):
                dropped = revtree.stem(tree, self.revs_limit)
                self._db.executemany(
                    "DELETE FROM bodies WHERE doc_id = ? AND rev = ?",
                    [(doc_id, rev) for rev in dropped],
                )
            leaves = revtree.leaves(tree)
            top = leaves[0]
            seq += 1
            live_losers = any(not leaf.deleted for leaf in leaves[1:])
            rows.append(
                (
                    doc_id,
                    top.rev,
                    int(top.deleted),
                    seq,
                    int(live_losers),
                    len(leaves),
                    orjson.dumps([[leaf.rev, int(leaf.deleted)] for leaf in leaves]).decode(),
                    revtree.dumps(tree),
                )
            )
        self._db.executemany(
            "INSERT INTO docs (doc_id, winner, deleted, seq, conflicted, leaf_count, leaves, "
            "tree) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(doc_id) DO UPDATE SET "
            "winner = excluded.winner, deleted = excluded.deleted, seq = excluded.seq, "
            "conflicted = excluded.conflicted, leaf_count = excluded.leaf_count, "
            "leaves = excluded.leaves, tree = excluded.tree",
            rows,
        )
        self._forget_rejections(trees)  # a document that changed is judged afresh
        return before

    # -- maintenance -----------------------------------------------------------------
    def integrity_check(self) -> str:
        with self._lock:
            return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])
