"""Published forms and rules on this laptop: pulled from the forms databases, kept checked.

`careforms sync` (and the app's sync) reads the changes of the common forms database and the
district's own, and keeps each published version in a `_local` document of the replica
(never pushed back: workers may not write there). Every arriving version is checked first; a
broken one (edited on the server by hand, too large, not what its id says) is recorded with
its problems and the version kept before it stays in use. The index says what arrived when.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from sync.couch import CouchServer, Missing, NotAllowed
from sync.server_setup import forms_databases
from sync.store import Store

if TYPE_CHECKING:  # the forms engine (0.2 s to load) is loaded only when a version arrives
    from engine.forms.problems import Problem
    from engine.forms.registry import FormRegistry
    from sync.publishing import Definition

INDEX_ID = "_local/careforms-published"
ENTRY_PREFIX = "_local/careforms-published/"
BATCH = 20  # changes (with their documents) per request
MAX_CHANGES = 5000  # per database and sync: a hostile feed cannot keep us reading


@dataclass
class PulledForms:
    """What one pull brought."""

    arrived: list[str] = field(default_factory=list)  # "<database>/<doc id>"
    refused: list[tuple[str, list[Problem]]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Published:
    """One published version kept on this laptop."""

    key: str  # "<database>/<doc id>"
    kind: str
    definition: dict[str, Any]
    database: str
    arrived: str
    rev: str


def _index(store: Store) -> dict[str, Any]:
    doc = store.get_local(INDEX_ID) or {}
    return {
        "since": dict(doc.get("since", {})),
        "entries": dict(doc.get("entries", {})),
        "refused": dict(doc.get("refused", {})),
    }


def _problem_record(problem: Problem) -> dict[str, Any]:
    return {
        "code": problem.code,
        "file": problem.file,
        "pointer": problem.pointer,
        "params": problem.params,
    }


def refused_arrivals(store: Store) -> list[tuple[str, str, list[Problem]]]:
    """Versions that arrived broken and are not used: (key, when, problems)."""
    from engine.forms.problems import Problem

    refused = _index(store)["refused"]
    return [
        (
            key,
            str(item.get("arrived", "")),
            [
                Problem(p["code"], p["file"], p.get("pointer", ""), p.get("params", {}))
                for p in item.get("problems", [])
            ],
        )
        for key, item in sorted(refused.items())
    ]


def published(store: Store, kind: str | None = None) -> list[Published]:
    """The published versions kept on this laptop (of one kind: "form" or "rules"), common
    ones before the district's."""
    entries = _index(store)["entries"]
    kept = []
    for key, entry in sorted(entries.items()):
        if kind is not None and str(entry.get("kind", "form")) != kind:
            continue  # not read at all
        doc = store.get_local(ENTRY_PREFIX + key)
        if doc is None or not isinstance(doc.get("definition"), dict):
            continue
        kept.append(
            Published(
                key,
                str(entry.get("kind", "form")),
                doc["definition"],
                str(entry.get("database", "")),
                str(entry.get("arrived", "")),
                str(entry.get("rev", "")),
            )
        )
    kept.sort(key=lambda p: (p.database.count("-"), p.key))
    return kept


def add_published_forms(registry: FormRegistry, store: Store, passed: Collection[str] = ()) -> None:
    """Add the published form versions kept on this laptop to `registry` (checked again
    unless this very check passed them before, see `check_key`)."""
    from engine.forms.form import Origin
    from engine.forms.registry import check_key

    for item in published(store, "form"):
        key = check_key(orjson.dumps(item.definition, option=orjson.OPT_SORT_KEYS))
        origin = Origin("published", item.database, item.arrived)
        registry.add_document(item.definition, Path(item.key), key, [], passed, origin)


def _judge(doc: Any, key: str, forms: FormRegistry) -> tuple[Definition | None, list[Problem]]:
    """The definition a published document carries, or the problems that refuse it."""
    from engine.definitions import lint_document
    from engine.forms.form import digest_of
    from engine.forms.problems import Problem
    from sync.publishing import MAX_DEFINITION_BYTES, Definition

    size = len(orjson.dumps(doc))
    if size > MAX_DEFINITION_BYTES:
        return None, [Problem("too-large", key, "", {"size": size, "limit": MAX_DEFINITION_BYTES})]
    body = doc.get("definition") if isinstance(doc, dict) else None
    if not isinstance(body, dict):
        return None, [Problem("not-a-form", key, "/definition")]
    problems = lint_document(body, key, forms)
    if problems:
        return None, problems
    item = Definition.of(body)
    if doc.get("_id") != item.doc_id or doc.get("type") != item.kind:
        found = f"{doc.get('type')} {doc.get('_id')}"
        return None, [
            Problem("published-id", key, "/_id", {"found": found, "expected": item.doc_id})
        ]
    held = forms.keys()
    if item.kind == "form" and (item.id, item.version) in held:
        kept = forms.get(item.id, item.version)
        if kept.digest != digest_of(body):  # an edited published version, or a clash
            first = kept.origin.where
            return None, [
                Problem(
                    "duplicate-id",
                    key,
                    "/definition/x-form",
                    {"id": f"{item.id} v{item.version}", "first": first},
                )
            ]
    return item, []


def _changes(server: CouchServer, database: str, since: Any) -> dict[str, Any]:
    """One batch of a forms database's changes, with the documents."""
    since_text = since if isinstance(since, str) else orjson.dumps(since).decode()
    feed: dict[str, Any] = server.call(
        lambda s: s.post_changes(
            db=database, since=since_text, limit=BATCH, include_docs=True, style="main_only"
        )
    )
    return feed


def _digest(body: dict[str, Any]) -> str:
    from engine.forms.form import digest_of

    return digest_of(body)


def known_forms(store: Store) -> FormRegistry:
    """The built-in forms and the published ones kept here: what arriving versions meet."""
    from engine.forms.registry import FormRegistry

    forms = FormRegistry.load()
    add_published_forms(forms, store)
    forms.problems.clear()
    return forms


def forms_since(store: Store) -> dict[str, Any]:
    """Each forms database's sequence this laptop has read up to."""
    return dict(_index(store)["since"])


def take_rows(
    store: Store,
    forms: Callable[[], FormRegistry],
    name: str,
    rows: list[dict[str, Any]],
    last_seq: Any,
    outcome: PulledForms,
) -> None:
    """Keep the published versions among one batch of a forms database's changes (with
    their documents), each checked first, and the database's new sequence, together.
    `forms` gives what arriving versions meet; asked only when a version arrived."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with store.transaction():
        index = _index(store)
        for row in rows:
            doc_id = str(row.get("id", ""))
            doc = row.get("doc")
            if doc_id.startswith("_design/") or row.get("deleted") or doc is None:
                continue  # a withdrawn version stays: assessments may still use it
            key = f"{name}/{doc_id}"
            item, problems = _judge(doc, key, forms())
            if item is None:
                index["refused"][key] = {
                    "rev": doc.get("_rev") if isinstance(doc, dict) else None,
                    "arrived": now,
                    "problems": [_problem_record(p) for p in problems],
                }
                outcome.refused.append((key, problems))
                continue
            index["refused"].pop(key, None)
            before = index["entries"].get(key, {})
            digest = _digest(item.body)
            if before.get("digest") == digest:
                continue
            store.put_local({"_id": ENTRY_PREFIX + key, "definition": item.body})
            index["entries"][key] = {
                "kind": item.kind,
                "database": name,
                "rev": doc.get("_rev"),
                "digest": digest,
                "arrived": now,
                "id": item.id,
                "version": item.version,
            }
            outcome.arrived.append(key)
            if item.kind == "form":
                forms().add_document(item.body, Path(key), digest, [], {digest})
        index["since"][name] = last_seq
        store.put_local({"_id": INDEX_ID, **index})


def forms_changes(
    server: CouchServer, name: str, since: Any
) -> Iterator[tuple[list[dict[str, Any]], Any]]:
    """A forms database's changes after `since`, with the documents, batch by batch (at
    most MAX_CHANGES); a database missing or closed to the user is skipped."""
    read = 0
    while read < MAX_CHANGES:
        try:
            feed = _changes(server, name, since)
        except (Missing, NotAllowed):
            return
        rows = [r for r in feed.get("results", []) if isinstance(r, dict)]
        read += len(rows)
        since = feed.get("last_seq", since)
        yield rows, since
        if len(rows) < BATCH:
            return


def pull_published(store: Store, server: CouchServer, district: str | None) -> PulledForms:
    """Bring new and changed published versions of the common and the district's forms
    databases into the replica's local documents; each batch with its checkpoint."""
    outcome = PulledForms()
    forms = cache(lambda: known_forms(store))  # loaded when a version arrives, not before
    for name in forms_databases(district):
        since = forms_since(store).get(name, 0)
        for rows, last_seq in forms_changes(server, name, since):
            take_rows(store, forms, name, rows, last_seq, outcome)
    return outcome
