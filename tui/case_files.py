"""Reading case files out of the replica, and the sync state of each child's record."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from typing import Any, Literal

from engine.casework.casefile import (
    ASSESSMENT,
    CHILD,
    PLAN,
    VISIT,
    CaseFile,
    child_uuid,
    from_digest,
)
from sync import history
from sync.case_digests import BuildProgress
from sync.settings import SyncSettings
from sync.store import Store

SyncState = Literal["synced", "local", "conflicted"]


@contextmanager
def paused_gc(*, command: bool = False) -> Iterator[None]:
    """Reading every document makes millions of objects that all live on: the cyclic
    garbage collector's passes over them cost more than the reading (25 s of 31 s for
    10,000 children), and find nothing to free. Paused meanwhile, run once after.

    A `command` (a process that ends after its one job) also leaves what it read out of
    the collector's later passes (`gc.freeze`): working on the files after reading them
    (due dates, a ledger, a roster) would otherwise pay for scanning them again and again
    (13 s instead of 4 s for the ledger of 10,000 children). Not for the app: what it
    freezes would stay out of reach of the collector for as long as the app runs."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if command:
            gc.freeze()
        if was:
            gc.enable()


def case_files(store: Store, district: str | None = None) -> list[CaseFile]:
    """Every child's file at once (see `each_case_file` to hold one at a time)."""
    with paused_gc():
        return list(each_case_file(store, district))


def each_case_file(store: Store, district: str | None = None) -> Iterator[CaseFile]:
    """Every child's file, one child after another, read with four range queries whatever
    the number of children. The replica is read in pages and each child's documents are
    gathered as the pages go by, so a caller that keeps only what it makes of each file
    holds one page and one child, not the district (10,000 children's files read whole
    took 4.4 GB)."""
    children = sorted(store.all_docs(f"{CHILD}:"), key=_key)
    kinds = [_Kind(store.all_docs(f"{kind}:")) for kind in (ASSESSMENT, VISIT, PLAN)]
    for key, group in groupby(children, key=_key):
        others = [doc for kind in kinds for doc in kind.take(key)]
        for child in group:
            if district is None or child.get("district") == district:
                yield CaseFile.from_documents(child, others)


def each_case_summary(
    store: Store, district: str | None = None, building: BuildProgress | None = None
) -> Iterator[CaseFile]:
    """Every child's file as its digest has it (`sync.case_digests`): enough for the case
    list, due dates, early warnings and the ledger, and a tenth of the reading. Digests not
    yet made (after a pull cut short, on a replica made before them) are made first
    (`building` hears how far)."""
    store.refresh_digests(building)
    for made in store.case_digests():
        if district is None or made["child"].get("district") == district:
            yield from_digest(made)


def case_summaries(store: Store, children: Iterable[str]) -> dict[str, CaseFile | None]:
    """Some children's files as their digests have them (see `each_case_summary`), by uuid;
    None for a child there is no more."""
    store.refresh_digests()
    found: dict[str, CaseFile | None] = {}
    for uuid in children:
        made = store.case_digest(uuid)
        found[uuid] = None if made is None else from_digest(made)
    return found


def _key(doc: dict[str, Any]) -> str:
    """`<child>:` for `child:<child>` and `<kind>:<child>:…`. Within one kind's range the
    ids are in the order of this key (a child's uuid holds no colon); children are sorted
    by it to walk beside them."""
    return child_uuid(doc["_id"]) + ":"


class _Kind:
    """One kind's documents in id order, taken child by child. An odd id without the
    entry part (`assessment:<child>`) is out of that order: it is set aside for its child."""

    def __init__(self, docs: Iterator[dict[str, Any]]) -> None:
        self._docs = docs
        self._next = next(docs, None)
        self._aside: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def take(self, key: str) -> list[dict[str, Any]]:
        taken = []
        while self._next is not None:
            doc = self._next
            if doc["_id"].count(":") < 2:
                self._aside[_key(doc)].append(doc)
            elif (found := _key(doc)) == key:
                taken.append(doc)
            elif found > key:
                break  # a later child's: left for its turn
            self._next = next(self._docs, None)  # taken, set aside, or no child's (skipped)
        return taken + self._aside.pop(key, [])


def case_file(store: Store, child: str) -> CaseFile | None:
    """One child's file by uuid (or by `child:<uuid>`); None when there is no such child."""
    record, others = store.child_documents(child.removeprefix(f"{CHILD}:"))
    return None if record is None else CaseFile.from_documents(record, others)


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


def change_history(case: CaseFile) -> list[Change]:
    """Who changed what, when and on which device, newest first: from the change log each
    document carries (`sync.history`), so it holds on every replica and after compaction.
    A document without a log (written before logs, or by a script) shows its last stamp."""
    docs = [case.child, *(o.doc for o in case.observations), *case.plans]
    changes = []
    for doc in docs:
        doc_id = str(doc.get("_id"))
        log = history.entries(doc)
        if not log and doc.get("updated_at"):
            log = [{"at": doc.get("updated_at"), "by": doc.get("updated_by", ""),
                    "device": doc.get("device", ""), "fields": []}]  # fmt: skip
        for entry in log:
            if entry.get("draft"):
                continue  # autosaves still being gathered: the next save takes them over
            fields = tuple(str(f) for f in entry.get("fields", []))
            at, by, device = (str(entry.get(k, "")) for k in ("at", "by", "device"))
            changes.append(Change(at, by, device, doc_id, fields))
    return sorted(changes, key=lambda c: c.at, reverse=True)
