"""Revisions written elsewhere, as the replica takes and gives them (part of `Store`).

What `_revs_diff` says is missing, the documents with their history for `_bulk_get`, and the
replicated writes (`new_edits=false`): many at a time, idempotent, checked and encoded
beforehand (`prepare_replicated`, which can run on another thread while the store writes).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sync import revtree
from sync.database import Connection
from sync.documents import body_of, check_id, chunks, dump, replicated_chain
from sync.errors import InvalidDocument
from sync.revisions import generation
from sync.revtree import Tree


@dataclass(slots=True)
class Prepared:
    """Replicated revisions checked and encoded, ready to be written."""

    rows: list[tuple[str, list[str], bool, str]]  # (id, history newest first, deleted, body)
    invalid: list[tuple[dict[str, Any], InvalidDocument]]


def prepare_replicated(docs: Iterable[dict[str, Any]]) -> Prepared:
    """Check and encode replicated revisions, away from the store's write lock."""
    prepared = Prepared([], [])
    for doc in docs:
        try:
            doc_id = check_id(doc.get("_id"))
            prepared.rows.append(
                (doc_id, replicated_chain(doc), bool(doc.get("_deleted")),
                 dump(body_of(doc), doc_id))
            )  # fmt: skip
        except InvalidDocument as exc:
            prepared.invalid.append((doc, exc))
    return prepared


class ReplicatedRevisions:
    """Mixed into `Store`, whose connection, lock, trees and transactions it uses."""

    _db: Connection
    _lock: threading.RLock

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _trees(self, doc_ids: Iterable[str]) -> dict[str, Tree]:
        raise NotImplementedError

    def _save_trees(self, trees: dict[str, Tree], *, replicated: bool = False) -> int:
        raise NotImplementedError

    if TYPE_CHECKING:  # (`Compaction`'s, later in `Store`'s bases)

        def _nothing_to_compact(self, seq_before: int, seq_after: int) -> None: ...

    def _document(
        self, doc_id: str, rev: str, body: str, tree: Tree, *, revs: bool = False
    ) -> dict[str, Any]:
        raise NotImplementedError

    def open_revs_many(self, wanted: dict[str, list[str]]) -> list[dict[str, Any]]:
        """Many documents at given revisions, with `_revisions`, in a few queries."""
        with self._lock:
            trees = self._trees(wanted)
            bodies: dict[tuple[str, str], str] = {}
            for chunk, marks in chunks(sorted(wanted)):
                for doc_id, rev, body in self._db.execute(
                    f"SELECT doc_id, rev, body FROM bodies WHERE doc_id IN ({marks})", chunk
                ):
                    bodies[(doc_id, rev)] = body
        return [
            self._document(doc_id, rev, bodies[(doc_id, rev)], trees[doc_id], revs=True)
            for doc_id, revs in wanted.items()
            for rev in revs
            if (doc_id, rev) in bodies
        ]

    def revs_diff(self, wanted: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
        """Of the given revisions, those this replica does not have (CouchDB `_revs_diff`)."""
        with self._lock:
            trees = self._trees(wanted)
        result: dict[str, dict[str, list[str]]] = {}
        for doc_id, revs in wanted.items():
            tree = trees.get(doc_id)
            if tree is None:  # (a first pull: most are new here, nothing to compare)
                if revs:
                    result[doc_id] = {"missing": list(revs)}
                continue
            missing = [rev for rev in revs if rev not in tree]
            if missing:
                top = max(generation(rev) for rev in missing)
                entry = {"missing": missing}
                ancestors = [
                    leaf.rev for leaf in revtree.leaves(tree) if generation(leaf.rev) < top
                ]
                if ancestors:
                    entry["possible_ancestors"] = ancestors
                result[doc_id] = entry
        return result

    def put_replicated(self, doc: dict[str, Any]) -> bool:
        """Store a revision as it was written elsewhere (CouchDB `new_edits=false`).

        Idempotent; returns whether anything was new.
        """
        written, invalid = self.put_replicated_many([doc])
        if invalid:
            raise invalid[0][1]
        return written > 0

    def put_replicated_many(
        self, docs: Iterable[dict[str, Any]]
    ) -> tuple[int, list[tuple[dict[str, Any], InvalidDocument]]]:
        """Store many replicated revisions in one transaction, with a few statements for all.

        Returns how many documents changed, and those refused as invalid (with why).
        """
        return self.put_prepared(prepare_replicated(docs))

    def put_prepared(
        self, prepared: Prepared
    ) -> tuple[int, list[tuple[dict[str, Any], InvalidDocument]]]:
        """Store replicated revisions checked and encoded beforehand (`prepare_replicated`,
        which may run on another thread while this one writes)."""
        with self.transaction():
            trees = self._trees(row[0] for row in prepared.rows)
            bodies: list[tuple[str, str, str]] = []
            known: list[tuple[str, str, str]] = []
            touched: dict[str, Tree] = {}
            only_new = True  # every document new here: no body any compaction would drop
            for doc_id, chain, deleted, text in prepared.rows:
                row = (doc_id, chain[0], text)
                tree = trees.get(doc_id)
                if tree is None and doc_id not in touched:  # new here: one branch, its leaf
                    trees[doc_id] = touched[doc_id] = revtree.from_chain(chain, deleted)
                    bodies.append(row)
                    continue
                only_new = False
                tree = trees.setdefault(doc_id, {})
                if revtree.add_chain(tree, chain, deleted):
                    bodies.append(row)
                    touched[doc_id] = tree
                else:
                    known.append(row)  # a revision known by id only may get its body now
            self._db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?)", bodies)
            self._db.executemany("INSERT OR IGNORE INTO bodies VALUES (?, ?, ?)", known)
            seq_before = self._save_trees(touched, replicated=True)  # digests: refresh_digests
            if only_new and touched:
                self._nothing_to_compact(seq_before, seq_before + len(touched))
        return len(touched), prepared.invalid
