"""Conflicts: which documents have them, what differs field by field, and saving a merge.

Nothing is discarded without a choice: a merge is saved as a new revision on the winner
and every losing leaf is closed with a deletion, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sync.errors import NotFound
from sync.revisions import chain_from_revisions
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


def flatten(doc: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """The document's fields by JSON pointer (objects opened, lists kept whole)."""
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if not prefix and key.startswith("_"):
            continue
        pointer = f"{prefix}/{key.replace('~', '~0').replace('/', '~1')}"
        if isinstance(value, dict) and value:
            out.update(flatten(value, pointer))
        else:
            out[pointer] = value
    return out


def _common_ancestor(store: Store, doc_id: str, revs: list[str]) -> dict[str, Any] | None:
    histories = [
        chain_from_revisions(store.get(doc_id, rev, revs=True)["_revisions"]) for rev in revs
    ]
    shared = set(histories[0]).intersection(*histories[1:])
    for rev in histories[0]:  # newest first: the nearest shared revision
        if rev in shared:
            try:
                return store.get(doc_id, rev)
            except NotFound:
                return None  # known by id only (its body was never here)
    return None


def describe(store: Store, doc_id: str) -> ConflictView:
    """The winner, the other leaves, their common ancestor and the fields that differ."""
    leaves = store.leaves(doc_id)  # the winner first
    if not leaves:
        raise NotFound(doc_id)
    docs = [store.get(doc_id, leaf.rev) for leaf in leaves]
    winner, others = docs[0], docs[1:]
    ancestor = _common_ancestor(store, doc_id, [leaf.rev for leaf in leaves]) if others else None
    flat = [flatten(d) for d in docs]
    flat_ancestor = flatten(ancestor) if ancestor else {}
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


def resolve(store: Store, doc_id: str, merged: dict[str, Any]) -> str:
    """Save `merged` on the current winner and close every other leaf, in one transaction."""
    with store.transaction():
        leaves = store.leaves(doc_id)
        if not leaves:
            raise NotFound(doc_id)
        body = {k: v for k, v in merged.items() if not k.startswith("_")}
        rev = store.put({**body, "_id": doc_id, "_rev": leaves[0].rev})
        for leaf in leaves[1:]:
            if not leaf.deleted:
                store.delete(doc_id, leaf.rev)
    return rev
