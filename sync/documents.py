"""Documents as the replica stores them: ids, bodies, replicated histories, change rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from sync.errors import InvalidDocument
from sync.revisions import BadRevision, chain_from_revisions, parse_rev

LOCAL_PREFIX = "_local/"
_META_FIELDS = frozenset(
    (
        "_id",
        "_rev",
        "_revisions",
        "_deleted",
        "_conflicts",
        "_deleted_conflicts",
        "_revs_info",
        "_local_seq",
    )
)
_CHUNK = 500  # ids per IN (...) query
TOMBSTONE_FIELDS = ("type", "district")


def body_of(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in _META_FIELDS}


def dump(body: dict[str, Any], doc_id: str | None = None) -> str:
    """Compact UTF-8 JSON (orjson: several times faster than json); InvalidDocument, naming
    the place, for what JSON in UTF-8 cannot hold or what is nested too deeply."""
    try:
        return orjson.dumps(body).decode()
    except orjson.JSONEncodeError as exc:
        raise _unwritable(body, doc_id) from exc


MAX_DEPTH = 250  # orjson writes up to 254 levels; CouchDB takes any depth, we refuse early


def _unwritable(body: dict[str, Any], doc_id: str | None) -> InvalidDocument:
    """Why a body cannot be written, found by walking it (only when writing failed)."""
    stack: list[tuple[Any, str, int]] = [(body, "", 1)]
    while stack:
        value, pointer, depth = stack.pop()
        if depth > MAX_DEPTH:
            return InvalidDocument(
                f"{doc_id}: nested more than {MAX_DEPTH} levels deep at {pointer}",
                code="too_deep",
                doc_id=doc_id,
                pointer=pointer,
            )
        if isinstance(value, str) and not _utf8(value):
            return _surrogate(doc_id, pointer)
        items = (
            value.items()
            if isinstance(value, dict)
            else enumerate(value)
            if isinstance(value, list)
            else ()
        )
        for key, item in items:
            step = str(key).replace("~", "~0").replace("/", "~1")
            if isinstance(key, str) and not _utf8(key):
                return _surrogate(doc_id, f"{pointer}/{step}")
            stack.append((item, f"{pointer}/{step}", depth + 1))
    return InvalidDocument(f"{doc_id}: not writable as JSON", code="invalid", doc_id=doc_id)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _surrogate(doc_id: str | None, pointer: str) -> InvalidDocument:
    return InvalidDocument(
        f"{doc_id}: text with a lone surrogate (like \\ud800) at {pointer or '/'}",
        code="surrogate",
        doc_id=doc_id,
        pointer=pointer,
    )


def check_id(doc_id: Any) -> str:
    if not isinstance(doc_id, str) or not doc_id:
        raise InvalidDocument("a document needs a non-empty text _id", code="no_id")
    if not _utf8(doc_id):
        raise _surrogate(doc_id.encode("utf-8", "backslashreplace").decode(), "/_id")
    if doc_id.startswith("_") and not doc_id.startswith("_design/"):
        raise InvalidDocument(
            f"document ids may not start with an underscore: {doc_id}",
            code="underscore_id",
            doc_id=doc_id,
        )
    return doc_id


def replicated_chain(doc: dict[str, Any]) -> list[str]:
    """The revision ids a replicated document brings, newest first (checked)."""
    try:
        revisions = doc.get("_revisions")
        if revisions is not None:
            return chain_from_revisions(revisions)  # CouchDB takes the history over _rev
        rev = doc["_rev"]
        parse_rev(rev)
        return [rev]
    except (KeyError, TypeError, ValueError, BadRevision) as exc:
        raise InvalidDocument(
            f"{doc.get('_id')}: {exc}", code="bad_revision", doc_id=str(doc.get("_id"))
        ) from exc


def chunks(items: list[str]) -> Iterator[tuple[list[str], str]]:
    for start in range(0, len(items), _CHUNK):
        chunk = items[start : start + _CHUNK]
        yield chunk, ",".join("?" * len(chunk))


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
