"""The change log a case document carries with it: who, when, on which device and which
fields, one entry per saved revision. Pure functions.

Bodies of old revisions are dropped by compaction, and other replicas never receive them
at all (replication sends a revision's body and only the ids of its ancestors), so the log
lives in the document itself, in its `edits` field, and travels with it. Autosaved drafts
(`status: "draft"`) are not entries of their own: the fields they change are gathered in one
trailing entry marked `draft`, which the next saved revision takes over.

Only documents stamped by the app (`updated_by` and `updated_at`) get a log.
"""

from __future__ import annotations

from typing import Any

EDITS = "edits"
BOOKKEEPING = ("/updated_at", "/updated_by", "/device", "/created_at", "/created_by", "/edits")


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


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Pointers of the fields that differ, bookkeeping left out."""
    old, new = flatten(before), flatten(after)

    def filled(pointer: str, other: dict[str, Any]) -> bool:  # {} that now has fields
        return any(key.startswith(pointer + "/") for key in other)

    return sorted(
        p
        for p in old.keys() | new.keys()
        if old.get(p) != new.get(p)
        and not p.startswith(BOOKKEEPING)
        and not (old.get(p) == {} and p not in new and filled(p, new))
        and not (new.get(p) == {} and p not in old and filled(p, old))
    )


def stamped(body: dict[str, Any]) -> bool:
    return isinstance(body.get("updated_by"), str) and isinstance(body.get("updated_at"), str)


def entries(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The well-formed entries of a body's log, oldest first."""
    found = body.get(EDITS)
    if not isinstance(found, list):
        return []
    return [
        e
        for e in found
        if isinstance(e, dict)
        and isinstance(e.get("at"), str)
        and isinstance(e.get("fields", []), list)
    ]


def merged(*logs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Several logs as one (the branches of a conflict), each entry once, oldest first."""
    seen: dict[str, dict[str, Any]] = {}
    for log in logs:
        for entry in log:
            key = repr(sorted((k, repr(v)) for k, v in entry.items()))
            seen.setdefault(key, entry)
    return sorted(seen.values(), key=lambda e: str(e.get("at")))


def with_edit(previous: dict[str, Any] | None, body: dict[str, Any]) -> dict[str, Any]:
    """`body` with its log: the previous revision's (and any the body brings), plus this
    revision's entry when it is a saved one."""
    if not stamped(body):
        return body
    log = merged(entries(previous or {}), entries(body))
    pending = [e for e in log if e.get("draft")]
    log = [e for e in log if not e.get("draft")]
    fields = sorted(
        {str(f) for e in pending for f in e.get("fields", [])}
        | set(changed_fields(previous, body) if previous is not None else [])
    )
    entry = {
        "at": body["updated_at"],
        "by": body["updated_by"],
        "device": str(body.get("device", "")),
        "fields": fields,
    }
    if previous is None:
        entry["fields"] = []  # created
        log.append(entry)
    elif body.get("status") == "draft":
        if fields:
            log.append({**entry, "draft": True})
    elif fields:
        log.append(entry)
    return {**body, EDITS: log}
