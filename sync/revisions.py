"""Revision ids and the rules CouchDB uses to choose between them. Pure functions.

A revision id is `N-<suffix>`: the generation N, then an opaque suffix. careforms writes 32
lowercase hex characters, but CouchDB accepts any suffix from a replicated write (it
hex-decodes 32-character ones and keeps any other length as it is), and any member of a
district can write one. So the replica takes any id CouchDB takes, and orders them as CouchDB
does: by generation, then by the suffix as CouchDB stores it (bytes, compared bytewise).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

REV = re.compile(r"(0|[1-9][0-9]*)-(.*)", re.DOTALL)
HEX32 = re.compile(r"[0-9a-fA-F]{32}")
DEFAULT_REVS_LIMIT = 1000


class BadRevision(ValueError):
    pass


def parse_rev(rev: str) -> tuple[int, str]:
    """(generation, suffix) of a revision id CouchDB would accept."""
    match = REV.fullmatch(rev) if isinstance(rev, str) else None
    if match is None or (len(match.group(2)) == 32 and not HEX32.fullmatch(match.group(2))):
        raise BadRevision(f"not a revision id: {rev!r}")
    return int(match.group(1)), match.group(2)


def generation(rev: str) -> int:
    return int(rev.split("-", 1)[0])


def suffix_key(suffix: str) -> bytes:
    """The suffix as CouchDB stores and compares it: 32 hex characters as their 16 bytes,
    anything else as its UTF-8 bytes (Erlang compares binaries bytewise)."""
    if len(suffix) == 32 and HEX32.fullmatch(suffix):
        return bytes.fromhex(suffix)
    return suffix.encode("utf-8", "surrogatepass")


def rev_key(rev: str) -> tuple[int, bytes]:
    """CouchDB's order of revision ids: the generation as a number, then the suffix."""
    gen, _, suffix = rev.partition("-")
    return int(gen), suffix_key(suffix)


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
    def sort_key(self) -> tuple[bool, int, bytes]:
        # CouchDB: live beats deleted, then the higher generation, then the higher suffix.
        gen, suffix = rev_key(self.rev)
        return (not self.deleted, gen, suffix)


def winner(leaves: Iterable[Leaf]) -> Leaf:
    return max(leaves, key=lambda leaf: leaf.sort_key)


def revisions_field(chain: list[str]) -> dict[str, Any]:
    """`_revisions` for a chain of revision ids, newest first."""
    start = generation(chain[0])
    return {"start": start, "ids": [rev.split("-", 1)[1] for rev in chain]}


def chain_from_revisions(revisions: dict[str, Any]) -> list[str]:
    """The revision ids described by a `_revisions` object, newest first (checked as CouchDB
    checks them: generations from 0 up, 32-character ids hex)."""
    start = revisions["start"]
    ids = revisions["ids"]
    if type(start) is not int or type(ids) is not list or not ids or start < len(ids) - 1:
        raise BadRevision(f"bad _revisions: {revisions!r}")
    for suffix in ids:
        if type(suffix) is not str or (len(suffix) == 32 and not HEX32.fullmatch(suffix)):
            raise BadRevision(f"bad _revisions: {revisions!r}")
    return [f"{start - i}-{suffix}" for i, suffix in enumerate(ids)]
