"""Migrating the stored documents of one form to a newer version: all, or one child's.

Shared by `careforms migrate` and the child's file in the app. Everything is computed
first; unless it is a dry run, the new revisions are then written in one transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from engine.casework.casefile import CHILD, document_prefixes, object_at
from engine.casework.migrations import EntryMigration, migrate_entry
from engine.forms.form import Form
from engine.forms.migration import NoMigration
from engine.forms.registry import FormRegistry
from engine.forms.result_dump import ResultDumper
from sync.documents import body_of
from sync.errors import Conflict, NotFound
from sync.revisions import generation, revisions_field
from sync.store import Store

KINDS = (CHILD, "assessment", "visit", "plan")


@dataclass
class StoreMigration:
    form_id: str
    target: int
    entries: list[EntryMigration] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (document id, why)
    written: bool = False

    @property
    def finals(self) -> int:
        return sum(1 for e in self.entries if e.final)

    @property
    def band_changes(self) -> list[EntryMigration]:
        return [e for e in self.entries if e.band_changed]


def versions_of(forms: FormRegistry, form_id: str) -> dict[int, Form]:
    return {v: forms.get(form_id, v) for v in forms.versions(form_id)}


def migrate_stored(
    store: Store,
    forms: FormRegistry,
    form_id: str,
    target: int,
    *,
    by: str,
    device: str,
    at: datetime,
    dry_run: bool = False,
    child: str | None = None,
) -> StoreMigration:
    """Every document of `form_id` on an older version moved to `target` (KeyError when
    the form has no such version); only one child's with `child`."""
    versions = versions_of(forms, form_id)
    if target not in versions:
        raise KeyError(f"{form_id} v{target}")
    prefixes = (
        (f"{CHILD}:{child}", *document_prefixes(child))
        if child
        else tuple(f"{kind}:" for kind in KINDS)
    )
    outcome = StoreMigration(form_id, target)
    dumper = ResultDumper()
    for prefix in prefixes:
        for doc in store.all_docs(prefix):
            ref = object_at(doc, "form")
            version = ref.get("version")
            if ref.get("id") != form_id or not isinstance(version, int) or version >= target:
                continue
            try:
                outcome.entries.append(
                    migrate_entry(doc, versions, target, by=by, device=device, at=at, dumper=dumper)
                )
            except NoMigration as exc:
                outcome.skipped.append((str(doc["_id"]), str(exc)))
    if not dry_run and outcome.entries:
        _save(store, [entry.doc for entry in outcome.entries])
        outcome.written = True
    return outcome


def _save(store: Store, docs: list[dict[str, Any]]) -> None:
    """Each document as a new revision on top of the one it was read at, in one batched
    transaction: a local edit written as the replicated chain [new, parent]."""
    batch = []
    for doc in docs:
        parent = str(doc["_rev"])
        body = body_of(doc)
        digest = hashlib.md5(orjson.dumps([parent, body]), usedforsecurity=False).hexdigest()
        rev = f"{generation(parent) + 1}-{digest}"
        batch.append(
            {**body, "_id": doc["_id"], "_rev": rev, "_revisions": revisions_field([rev, parent])}
        )
    with store.transaction():
        current = {doc["_id"]: store.leaves(str(doc["_id"])) for doc in docs}
        stale = [
            d["_id"] for d in docs if not current[d["_id"]] or current[d["_id"]][0].rev != d["_rev"]
        ]
        if stale:  # edited meanwhile: never write over it
            raise Conflict(str(stale[0]), None)
        store.put_replicated_many(batch)


def child_name(store: Store, child: str) -> str:
    try:
        doc = store.get(f"{CHILD}:{child}")
    except NotFound:
        return child[:8]
    return str(object_at(doc, "answers").get("name") or child[:8])


def band_label(form: Form | None, band: str | None, lang: str) -> str:
    if band is None:
        return "—"
    found = form.band(band) if form is not None else None
    return found.word(lang) if found else band


def describe(outcome: StoreMigration, store: Store, forms: FormRegistry, lang: str) -> list[str]:
    """What changed, in the user's language: counts, then each child whose band moved."""
    en = lang == "en"
    drafts = len(outcome.entries) - outcome.finals
    head = f"{outcome.form_id} → v{outcome.target}: "
    lines = [
        head
        + (
            f"{len(outcome.entries)} document(s) ({outcome.finals} finished, {drafts} drafts)"
            if en
            else f"{len(outcome.entries)} 份（已完成 {outcome.finals} 份，草稿 {drafts} 份）"
        )
    ]
    moved = outcome.band_changes
    children = sorted({e.child for e in moved})
    lines.append(
        f"{len(children)} child(ren) changed band" if en else f"{len(children)} 名儿童等级有变化"
    )
    target = forms.get(outcome.form_id, outcome.target)
    for entry in sorted(moved, key=lambda e: e.child):
        try:
            before_form: Form | None = forms.get(outcome.form_id, entry.source)
        except LookupError:
            before_form = None
        uuid = entry.child.split(":")[-1]
        lines.append(
            f"  {child_name(store, uuid)} ({uuid[:8]}): "
            f"{band_label(before_form, entry.band_before, lang)} → "
            f"{band_label(target, entry.band_after, lang)}"
        )
    for doc_id, why in outcome.skipped:
        lines.append(f"  {'skipped' if en else '未迁移'} {doc_id}: {why}")
    if not outcome.written and outcome.entries:
        lines.append("(dry run: nothing written)" if en else "（试运行：未写入任何内容）")
    return lines
