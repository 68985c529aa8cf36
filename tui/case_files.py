"""Reading case files out of the replica, and the sync state of each child's record."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from engine.casework.casefile import ASSESSMENT, CHILD, PLAN, VISIT, CaseFile, child_uuid
from sync.conflicts import flatten
from sync.errors import NotFound
from sync.revisions import chain_from_revisions
from sync.settings import SyncSettings
from sync.store import Store

SyncState = Literal["synced", "local", "conflicted"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Reading every document makes millions of objects that all live on: the cyclic
    garbage collector's passes over them cost more than the reading (25 s of 31 s for
    10,000 children), and find nothing to free. Paused meanwhile, run once after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def case_files(store: Store, district: str | None = None) -> list[CaseFile]:
    """Every child's file, read with four range queries whatever the number of children."""
    related: dict[str, list[dict[str, Any]]] = defaultdict(list)
    files = []
    with paused_gc():
        for kind in (ASSESSMENT, VISIT, PLAN):
            for doc in store.all_docs(f"{kind}:"):
                related[child_uuid(doc["_id"])].append(doc)
        for child in store.all_docs(f"{CHILD}:"):
            if district is None or child.get("district") == district:
                others = related.get(child_uuid(child["_id"]), [])
                files.append(CaseFile.from_documents(child, others))
    return files


def case_file(store: Store, child: str) -> CaseFile | None:
    """One child's file by uuid (or by `child:<uuid>`); None when there is no such child."""
    uuid = child.removeprefix(f"{CHILD}:")
    try:
        record = store.get(f"{CHILD}:{uuid}")
    except NotFound:
        return None
    docs = [doc for kind in (ASSESSMENT, VISIT, PLAN) for doc in store.all_docs(f"{kind}:{uuid}:")]
    return CaseFile.from_documents(record, docs)


def sync_state(store: Store, case: CaseFile) -> SyncState:
    """Conflicted, changed here since the last finished sync, or as the server has it."""
    prefixes = [f"{CHILD}:{case.id}"] + [f"{kind}:{case.id}:" for kind in (ASSESSMENT, VISIT, PLAN)]
    if any(store.conflicted(prefix) for prefix in prefixes):
        return "conflicted"
    synced = SyncSettings.load(store).synced_seq
    if synced is None:
        return "local"
    changed = (seq > synced for prefix in prefixes for seq in store.seqs(prefix).values())
    return "local" if any(changed) else "synced"


@dataclass(frozen=True, slots=True)
class Change:
    """One saved revision of one of the child's documents: who, when, where, which fields."""

    at: str
    by: str
    device: str
    doc_id: str
    fields: tuple[str, ...]  # JSON pointers of the fields that changed; empty when created


HISTORY_DEPTH = 30  # revisions looked at per document
_BOOKKEEPING = ("/updated_at", "/updated_by", "/device", "/created_at", "/created_by")


def change_history(store: Store, case: CaseFile) -> list[Change]:
    """Who changed what, when and on which device, newest first, from the revisions kept."""
    ids = [str(case.child.get("_id"))] + [o.id for o in case.observations]
    ids += [str(p.get("_id")) for p in case.plans]
    changes = []
    for doc_id in ids:
        try:
            chain = chain_from_revisions(store.get(doc_id, revs=True)["_revisions"])
        except (NotFound, KeyError):
            continue
        bodies = []
        for rev in chain[:HISTORY_DEPTH]:
            try:
                bodies.append(store.get(doc_id, rev))
            except NotFound:  # an older revision known by id only
                break
        for newer, older in zip(bodies, [*bodies[1:], None], strict=True):
            now = flatten(newer)
            before = flatten(older) if older is not None else {}
            fields = sorted(
                p for p in set(now) | set(before)
                if now.get(p) != before.get(p) and not p.startswith(_BOOKKEEPING)
            ) if older is not None else []  # fmt: skip
            if older is not None and not fields:
                continue
            changes.append(
                Change(
                    str(newer.get("updated_at", "")),
                    str(newer.get("updated_by", "")),
                    str(newer.get("device", "")),
                    doc_id,
                    tuple(fields),
                )  # fmt: skip
            )
    return sorted(changes, key=lambda c: c.at, reverse=True)
