"""Reading case files out of the replica, and the sync state of each child's record."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Literal

from engine.casefile import ASSESSMENT, CHILD, PLAN, VISIT, CaseFile, child_uuid
from sync.errors import NotFound
from sync.settings import SyncSettings
from sync.store import Store

SyncState = Literal["synced", "local", "conflicted"]


def case_files(store: Store, district: str | None = None) -> list[CaseFile]:
    """Every child's file, read with four range queries whatever the number of children."""
    related: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for kind in (ASSESSMENT, VISIT, PLAN):
        for doc in store.all_docs(f"{kind}:"):
            related[child_uuid(doc["_id"])].append(doc)
    files = []
    for child in store.all_docs(f"{CHILD}:"):
        if district is None or child.get("district") == district:
            files.append(CaseFile.from_documents(child, related.get(child_uuid(child["_id"]), [])))
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
