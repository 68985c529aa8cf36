"""Conflicts: which documents have them, what differs field by field, and saving a merge.

Nothing is discarded without a choice: a merge is saved as a new revision on the winner
and every losing leaf is closed with a deletion, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sync import history
from sync.errors import NotFound
from sync.history import flatten
from sync.store import Store

ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "ABSENT"})()


@dataclass(frozen=True, slots=True)
class FieldDifference:
    pointer: str  # JSON pointer of the field in the document
    winner: Any  # ABSENT when the winner lacks the field
    others: dict[str, Any]  # losing revision -> value (or ABSENT)
    ancestor: Any = ABSENT  # the value in the common ancestor, when known


@dataclass(slots=True)
class ConflictView:
    doc_id: str
    winner: dict[str, Any]
    others: list[dict[str, Any]]  # losing leaves; deleted ones carry "_deleted": true
    ancestor: dict[str, Any] | None
    differences: list[FieldDifference] = field(default_factory=list)


__all__ = ["ABSENT", "ConflictView", "FieldDifference", "describe", "flatten", "resolve"]


def _common_ancestor(store: Store, doc_id: str) -> dict[str, Any] | None:
    """The leaves' nearest shared revision (compaction keeps its body), when its body is here."""
    rev = store.common_ancestor(doc_id)
    if rev is None:
        return None
    try:
        return store.get(doc_id, rev)
    except NotFound:
        return None  # known by id only (its body never came here)


def describe(store: Store, doc_id: str) -> ConflictView:
    """The winner, the other leaves, their common ancestor and the fields that differ."""
    leaves = store.leaves(doc_id)  # the winner first
    if not leaves:
        raise NotFound(doc_id)
    docs = [store.get(doc_id, leaf.rev) for leaf in leaves]
    winner, others = docs[0], docs[1:]
    ancestor = _common_ancestor(store, doc_id) if others else None
    # the change log is not a field to choose: a merge keeps every branch's (see resolve)
    flat = [_fields(d) for d in docs]
    flat_ancestor = _fields(ancestor) if ancestor else {}
    pointers = sorted(set().union(*flat))
    differences = []
    for pointer in pointers:
        values = [f.get(pointer, ABSENT) for f in flat]
        if any(v != values[0] for v in values[1:]):
            differences.append(
                FieldDifference(
                    pointer,
                    values[0],
                    {d["_rev"]: v for d, v in zip(others, values[1:], strict=True)},
                    flat_ancestor.get(pointer, ABSENT) if ancestor else ABSENT,
                )
            )
    return ConflictView(doc_id, winner, others, ancestor, differences)


def _fields(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in flatten(doc).items() if k != "/" + history.EDITS}


def resolve(store: Store, doc_id: str, merged: dict[str, Any]) -> str:
    """Save `merged` on the current winner and close every other leaf, in one transaction.
    The merge keeps the change log of every branch."""
    with store.transaction():
        leaves = store.leaves(doc_id)
        if not leaves:
            raise NotFound(doc_id)
        body = {k: v for k, v in merged.items() if not k.startswith("_")}
        logs = []
        for leaf in leaves:
            try:
                logs.append(history.entries(store.get(doc_id, leaf.rev)))
            except NotFound:
                continue
        if any(logs):
            body[history.EDITS] = history.merged(*logs, history.entries(body))
        rev = store.put({**body, "_id": doc_id, "_rev": leaves[0].rev})
        for leaf in leaves[1:]:
            if not leaf.deleted:
                store.delete(doc_id, leaf.rev)
    return rev
