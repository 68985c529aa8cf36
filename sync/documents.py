"""Documents as the replica stores them: ids, bodies, replicated histories, change rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from sync.errors import InvalidDocument
from sync.revisions import BadRevision, chain_from_revisions, parse_rev

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
_CHUNK = 500  # ids per IN (...) query
TOMBSTONE_FIELDS = ("type", "district")


def body_of(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in _META_FIELDS}


def dump(body: dict[str, Any]) -> str:
    return orjson.dumps(body).decode()  # compact UTF-8 JSON, several times faster than json


def check_id(doc_id: Any) -> str:
    if not isinstance(doc_id, str) or not doc_id:
        raise InvalidDocument("a document needs a non-empty text _id")
    if doc_id.startswith("_") and not doc_id.startswith("_design/"):
        raise InvalidDocument(f"document ids may not start with an underscore: {doc_id}")
    return doc_id


def replicated_chain(doc: dict[str, Any]) -> list[str]:
    """The revision ids a replicated document brings, newest first (checked)."""
    try:
        chain = chain_from_revisions(doc["_revisions"]) if "_revisions" in doc else [doc["_rev"]]
        for rev in chain:
            parse_rev(rev)
    except (KeyError, TypeError, ValueError, BadRevision) as exc:
        raise InvalidDocument(f"{doc.get('_id')}: {exc}") from exc
    return chain


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
