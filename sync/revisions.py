"""Revision ids and the rules CouchDB uses to choose between them. Pure functions."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

REV = re.compile(r"^([1-9][0-9]*)-([0-9a-f]{32})$")
DEFAULT_REVS_LIMIT = 1000


class BadRevision(ValueError):
    pass


def parse_rev(rev: str) -> tuple[int, str]:
    """(generation, hash) of a revision id `N-<32 lowercase hex>`."""
    match = REV.match(rev) if isinstance(rev, str) else None
    if match is None:
        raise BadRevision(f"not a revision id: {rev!r}")
    return int(match.group(1)), match.group(2)


def generation(rev: str) -> int:
    return int(rev.split("-", 1)[0])


def new_rev(parent: str | None, body: dict[str, Any], deleted: bool) -> str:
    """The next revision id: the same edit of the same parent gives the same id."""
    gen = 1 if parent is None else generation(parent) + 1
    canonical = json.dumps(
        [parent, deleted, body], sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return f"{gen}-{hashlib.md5(canonical.encode(), usedforsecurity=False).hexdigest()}"


@dataclass(frozen=True, slots=True)
class Leaf:
    rev: str
    deleted: bool

    @property
    def sort_key(self) -> tuple[bool, int, str]:
        # CouchDB and PouchDB: live beats deleted, then the higher generation, then the
        # higher revision id (compared as a string).
        return (not self.deleted, generation(self.rev), self.rev)


def winner(leaves: Iterable[Leaf]) -> Leaf:
    return max(leaves, key=lambda leaf: leaf.sort_key)


def revisions_field(chain: list[str]) -> dict[str, Any]:
    """`_revisions` for a chain of revision ids, newest first."""
    start = generation(chain[0])
    return {"start": start, "ids": [rev.split("-", 1)[1] for rev in chain]}


def chain_from_revisions(revisions: dict[str, Any]) -> list[str]:
    """The revision ids described by a `_revisions` object, newest first."""
    start = int(revisions["start"])
    ids = revisions["ids"]
    if not ids or start < len(ids):
        raise BadRevision(f"bad _revisions: {revisions!r}")
    return [f"{start - i}-{h}" for i, h in enumerate(ids)]
