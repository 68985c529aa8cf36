"""The local replica: an encrypted SQLite file that behaves like a CouchDB database.

Every write goes through this class, inside a transaction. Documents keep their revision
trees; the winner is chosen as CouchDB chooses it; conflicts and deletions are kept as
leaves; every change gets a sequence number for the changes feed.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sync.database import DEFAULT_KDF_ITERATIONS, Connection, connect
from sync.errors import Conflict, InvalidDocument, NotFound
from sync.revisions import (
    DEFAULT_REVS_LIMIT,
    BadRevision,
    Leaf,
    chain_from_revisions,
    generation,
    new_rev,
    parse_rev,
    revisions_field,
    winner,
)

LOCAL_PREFIX = "_local/"
_META_FIELDS = (
    "_id",
    "_rev",
    "_revisions",
    "_deleted",
    "_conflicts",
    "_deleted_conflicts",
    "_revs_info",
    "_local_seq",
)


def _body(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in _META_FIELDS}


def _dump(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _check_id(doc_id: Any) -> str:
    if not isinstance(doc_id, str) or not doc_id:
        raise InvalidDocument("a document needs a non-empty text _id")
    if doc_id.startswith("_") and not doc_id.startswith("_design/"):
        raise InvalidDocument(f"document ids may not start with an underscore: {doc_id}")
    return doc_id


@dataclass(frozen=True, slots=True)
class Change:
    seq: int
    id: str
    revs: tuple[str, ...]  # every leaf (style=all_docs), the winner first
    deleted: bool


@dataclass(slots=True)
class Changes:
    results: list[Change] = field(default_factory=list)
    last_seq: int = 0


class Store:
    """One replica. Safe to share between threads (one writer at a time)."""

    def __init__(self, db: Connection, path: Path, revs_limit: int = DEFAULT_REVS_LIMIT) -> None:
        self._db = db
        self.path = path
        self.revs_limit = revs_limit
        self._lock = threading.RLock()
        self._depth = 0

    @classmethod
    def open(
        cls,
        path: Path | str,
        passphrase: str,
        *,
        kdf_iterations: int = DEFAULT_KDF_ITERATIONS,
        revs_limit: int = DEFAULT_REVS_LIMIT,
    ) -> Store:
        path = Path(path)
        return cls(connect(path, passphrase, kdf_iterations=kdf_iterations), path, revs_limit)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all. Nested calls join the outer one."""
        with self._lock:
            if self._depth == 0:
                self._db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if self._depth == 0:
                    self._db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if self._depth == 0:
                self._db.execute("COMMIT")

    # -- reading ---------------------------------------------------------------------
    @property
    def uuid(self) -> str:
        """This replica's identity (made once, never replicated)."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'uuid'").fetchone()
            if row is not None:
                return str(row[0])
            value = uuid.uuid4().hex
            with self.transaction():
                self._db.execute("INSERT INTO meta VALUES ('uuid', ?)", (value,))
            return value

    def pending_changes(self, since: int) -> int:
        with self._lock:
            row = self._db.execute("SELECT count(*) FROM docs WHERE seq > ?", (since,)).fetchone()
            return int(row[0])

    @property
    def update_seq(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT coalesce(max(seq), 0) FROM docs").fetchone()
            return int(row[0])

    def _leaves(self, doc_id: str) -> list[Leaf]:
        rows = self._db.execute(
            "SELECT rev, deleted FROM revs WHERE doc_id = ? AND leaf = 1", (doc_id,)
        )
        return [Leaf(rev, bool(deleted)) for rev, deleted in rows]

    def leaves(self, doc_id: str) -> list[Leaf]:
        """Every leaf of a document's tree, the winner first."""
        with self._lock:
            return sorted(self._leaves(doc_id), key=lambda leaf: leaf.sort_key, reverse=True)

    def get(
        self, doc_id: str, rev: str | None = None, *, conflicts: bool = False, revs: bool = False
    ) -> dict[str, Any]:
        """The winning revision (or a given one) as a CouchDB-style document."""
        with self._lock:
            if rev is None:
                row = self._db.execute(
                    "SELECT winner, deleted FROM docs WHERE doc_id = ?", (doc_id,)
                ).fetchone()
                if row is None or row[1]:
                    raise NotFound(doc_id)
                rev = row[0]
            found = self._db.execute(
                "SELECT deleted, body FROM revs WHERE doc_id = ? AND rev = ?", (doc_id, rev)
            ).fetchone()
            if found is None or found[1] is None:
                raise NotFound(doc_id, rev)
            doc: dict[str, Any] = {"_id": doc_id, "_rev": rev, **json.loads(found[1])}
            if found[0]:
                doc["_deleted"] = True
            if conflicts:
                losers = [leaf for leaf in self.leaves(doc_id) if leaf.rev != rev]
                if live := [leaf.rev for leaf in losers if not leaf.deleted]:
                    doc["_conflicts"] = live
                if dead := [leaf.rev for leaf in losers if leaf.deleted]:
                    doc["_deleted_conflicts"] = dead
            if revs:
                doc["_revisions"] = revisions_field(self._ancestry(doc_id, rev))
            return doc

    def _ancestry(self, doc_id: str, rev: str) -> list[str]:
        """`rev` and its known ancestors, newest first, at most `revs_limit` long."""
        parents = dict(
            self._db.execute("SELECT rev, parent FROM revs WHERE doc_id = ?", (doc_id,)).fetchall()
        )
        chain = [rev]
        while len(chain) < self.revs_limit and parents.get(chain[-1]):
            chain.append(parents[chain[-1]])
        return chain

    def open_revs(self, doc_id: str, revs: Iterable[str]) -> list[dict[str, Any]]:
        """The given revisions with their `_revisions`, skipping those without a body."""
        result = []
        for rev in revs:
            try:
                result.append(self.get(doc_id, rev, revs=True))
            except NotFound:
                continue
        return result

    def all_docs(self, prefix: str = "") -> Iterator[dict[str, Any]]:
        """Live documents by id (the winner of each), optionally those whose id starts so."""
        with self._lock:
            rows = self._db.execute(
                "SELECT d.doc_id, d.winner, r.body FROM docs d JOIN revs r "
                "ON r.doc_id = d.doc_id AND r.rev = d.winner "
                "WHERE d.deleted = 0 AND d.doc_id >= ? AND d.doc_id < ? ORDER BY d.doc_id",
                (prefix, prefix + "\U0010ffff"),
            ).fetchall()
        for doc_id, rev, body in rows:
            yield {"_id": doc_id, "_rev": rev, **json.loads(body)}

    def conflicted(self, prefix: str = "", *, include_deleted: bool = False) -> list[str]:
        """Ids of documents in conflict: with live losing leaves (`_conflicts`), and with
        `include_deleted` also those with deleted losing leaves (`_deleted_conflicts`)."""
        condition = "leaf_count > 1" if include_deleted else "conflicted = 1"
        with self._lock:
            rows = self._db.execute(
                f"SELECT doc_id FROM docs WHERE {condition} AND doc_id >= ? AND doc_id < ? "
                "ORDER BY doc_id",
                (prefix, prefix + "\U0010ffff"),
            )
            return [row[0] for row in rows]

    def changes(self, since: int = 0, limit: int | None = None) -> Changes:
        """Documents changed after `since`, in sequence order, each with all its leaves."""
        with self._lock:
            rows = self._db.execute(
                "SELECT doc_id, seq, deleted FROM docs WHERE seq > ? ORDER BY seq LIMIT ?",
                (since, -1 if limit is None else limit),
            ).fetchall()
            out = Changes(last_seq=since)
            for doc_id, seq, deleted in rows:
                leaves = self.leaves(doc_id)
                out.results.append(
                    Change(seq, doc_id, tuple(leaf.rev for leaf in leaves), bool(deleted))
                )
                out.last_seq = seq
            return out

    def revs_diff(self, wanted: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
        """Of the given revisions, those this replica does not have (CouchDB `_revs_diff`)."""
        result: dict[str, dict[str, list[str]]] = {}
        with self._lock:
            for doc_id, revs in wanted.items():
                marks = ",".join("?" * len(revs))
                have = {
                    row[0]
                    for row in self._db.execute(
                        f"SELECT rev FROM revs WHERE doc_id = ? AND rev IN ({marks})",
                        (doc_id, *revs),
                    )
                }
                missing = [rev for rev in revs if rev not in have]
                if missing:
                    top = max(generation(rev) for rev in missing)
                    ancestors = [
                        leaf.rev for leaf in self._leaves(doc_id) if generation(leaf.rev) < top
                    ]
                    entry = {"missing": missing}
                    if ancestors:
                        entry["possible_ancestors"] = ancestors
                    result[doc_id] = entry
        return result

    # -- writing ---------------------------------------------------------------------
    def put(self, doc: dict[str, Any]) -> str:
        """Save an edit made here. `_rev` must be a current leaf (or absent for a new doc)."""
        doc_id = _check_id(doc.get("_id"))
        base = doc.get("_rev")
        deleted = bool(doc.get("_deleted"))
        body = _body(doc)
        with self.transaction():
            leaves = self._leaves(doc_id)
            if base is None:
                current = winner(leaves) if leaves else None
                if current is not None and not current.deleted:
                    raise Conflict(doc_id, None)
                parent = current.rev if current else None  # recreate on top of the deletion
            elif base in {leaf.rev for leaf in leaves}:
                parent = base
            else:
                raise Conflict(doc_id, base)
            rev = new_rev(parent, body, deleted)
            self._insert(doc_id, rev, parent, deleted, body)
            self._settle(doc_id)
        return rev

    def delete(self, doc_id: str, rev: str) -> str:
        return self.put({"_id": doc_id, "_rev": rev, "_deleted": True})

    def put_replicated(self, doc: dict[str, Any]) -> bool:
        """Store a revision as it was written elsewhere (CouchDB `new_edits=false`).

        Idempotent; returns whether anything was new.
        """
        doc_id = _check_id(doc.get("_id"))
        try:
            chain = (
                chain_from_revisions(doc["_revisions"]) if "_revisions" in doc else [doc["_rev"]]
            )
            for rev in chain:
                parse_rev(rev)
        except (KeyError, TypeError, ValueError, BadRevision) as exc:
            raise InvalidDocument(f"{doc_id}: {exc}") from exc
        deleted = bool(doc.get("_deleted"))
        with self.transaction():
            marks = ",".join("?" * len(chain))
            have = dict(
                self._db.execute(
                    f"SELECT rev, body IS NOT NULL FROM revs WHERE doc_id = ? AND rev IN ({marks})",
                    (doc_id, *chain),
                ).fetchall()
            )
            newest = chain[0]
            if newest in have:
                if have[newest]:
                    return False
                self._db.execute(
                    "UPDATE revs SET body = ? WHERE doc_id = ? AND rev = ?",
                    (_dump(_body(doc)), doc_id, newest),
                )
                self._settle(doc_id)
                return True
            for i in range(len(chain) - 1, 0, -1):  # oldest first: missing ancestors, no body
                rev = chain[i]
                if rev not in have:
                    parent = chain[i + 1] if i + 1 < len(chain) else None
                    self._insert(doc_id, rev, parent, False, None, leaf=False)
                    have[rev] = False
            self._insert(doc_id, newest, chain[1] if len(chain) > 1 else None, deleted, _body(doc))
            self._settle(doc_id)
        return True

    def _insert(
        self,
        doc_id: str,
        rev: str,
        parent: str | None,
        deleted: bool,
        body: dict[str, Any] | None,
        *,
        leaf: bool = True,
    ) -> None:
        self._db.execute(
            "INSERT INTO revs (doc_id, rev, parent, generation, deleted, leaf, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                doc_id,
                rev,
                parent,
                generation(rev),
                int(deleted),
                int(leaf),
                None if body is None else _dump(body),
            ),
        )
        if parent is not None:
            self._db.execute(
                "UPDATE revs SET leaf = 0 WHERE doc_id = ? AND rev = ?", (doc_id, parent)
            )

    def _settle(self, doc_id: str) -> None:
        """After a write: choose the winner, give the document a new sequence, stem."""
        leaves = self._leaves(doc_id)
        top = winner(leaves)
        seq = self.update_seq + 1
        live_losers = any(not leaf.deleted and leaf.rev != top.rev for leaf in leaves)
        self._db.execute(
            "INSERT INTO docs (doc_id, winner, deleted, seq, conflicted, leaf_count) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(doc_id) DO UPDATE SET "
            "winner = excluded.winner, deleted = excluded.deleted, seq = excluded.seq, "
            "conflicted = excluded.conflicted, leaf_count = excluded.leaf_count",
            (doc_id, top.rev, int(top.deleted), seq, int(live_losers), len(leaves)),
        )
        newest = max(generation(leaf.rev) for leaf in leaves)
        oldest = self._db.execute(
            "SELECT min(generation) FROM revs WHERE doc_id = ?", (doc_id,)
        ).fetchone()[0]
        if newest - oldest + 1 > self.revs_limit:
            self._stem(doc_id, leaves)

    def _stem(self, doc_id: str, leaves: list[Leaf]) -> None:
        """Forget ancestors more than `revs_limit` revisions behind every leaf."""
        parents = dict(
            self._db.execute("SELECT rev, parent FROM revs WHERE doc_id = ?", (doc_id,)).fetchall()
        )
        keep: set[str] = set()
        for leaf in leaves:
            rev: str | None = leaf.rev
            for _ in range(self.revs_limit):
                if rev is None:
                    break
                keep.add(rev)
                rev = parents.get(rev)
        drop = [rev for rev in parents if rev not in keep]
        self._db.executemany(
            "DELETE FROM revs WHERE doc_id = ? AND rev = ?", [(doc_id, rev) for rev in drop]
        )
        self._db.executemany(
            "UPDATE revs SET parent = NULL WHERE doc_id = ? AND rev = ?",
            [(doc_id, rev) for rev in keep if parents.get(rev) in drop],
        )

    # -- local documents (never replicated) ---------------------------------------------
    def get_local(self, doc_id: str) -> dict[str, Any] | None:
        name = doc_id.removeprefix(LOCAL_PREFIX)
        with self._lock:
            row = self._db.execute(
                "SELECT rev, body FROM local_docs WHERE doc_id = ?", (name,)
            ).fetchone()
        if row is None:
            return None
        return {"_id": LOCAL_PREFIX + name, "_rev": f"0-{row[0]}", **json.loads(row[1])}

    def put_local(self, doc: dict[str, Any]) -> str:
        name = str(doc["_id"]).removeprefix(LOCAL_PREFIX)
        with self.transaction():
            row = self._db.execute(
                "SELECT rev FROM local_docs WHERE doc_id = ?", (name,)
            ).fetchone()
            rev = 1 if row is None else row[0] + 1
            self._db.execute(
                "INSERT OR REPLACE INTO local_docs VALUES (?, ?, ?)", (name, rev, _dump(_body(doc)))
            )
        return f"0-{rev}"

    # -- maintenance -----------------------------------------------------------------
    def integrity_check(self) -> str:
        with self._lock:
            return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])
