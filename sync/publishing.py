"""Publishing form and rules definitions to the server's forms database.

Each version becomes one document, `form:<id>:<version>` (or `rules:<id>:<version>`), in
`careforms-forms` or, for one district, `careforms-forms-<district>`. Everything is checked
first and nothing is written while anything has a problem. A published version is immutable:
the same content again changes nothing; different content under a published id and version
is refused (the server's validation refuses it too, as it refuses anyone but authors).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from engine.casework.rules import RULES_KEY, is_rules_document
from engine.definitions import lint_paths, read_definitions
from engine.forms.form import digest_of
from engine.forms.lint import json_files
from engine.forms.problems import Problem
from sync.couch import CouchDatabase, CouchError, CouchServer, Missing, NotAllowed
from sync.server_setup import forms_databases

MAX_DEFINITION_BYTES = 1_000_000  # a form or rules file larger than this is refused


@dataclass(frozen=True, slots=True)
class Definition:
    kind: str  # "form" or "rules"
    id: str
    version: int
    body: dict[str, Any]

    @property
    def doc_id(self) -> str:
        return f"{self.kind}:{self.id}:{self.version}"

    @classmethod
    def of(cls, body: dict[str, Any]) -> Definition:
        kind = "rules" if is_rules_document(body) else "form"
        meta = body[RULES_KEY] if kind == "rules" else body["x-form"]
        return cls(kind, str(meta["id"]), int(meta["version"]), body)


@dataclass
class PublishReport:
    database: str
    written: list[str] = field(default_factory=list)  # document ids
    unchanged: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (id, why)
    problems: list[Problem] = field(default_factory=list)  # the check's, when it refused

    @property
    def ok(self) -> bool:
        return not self.refused and not self.problems


def published_documents(database: CouchDatabase) -> dict[str, dict[str, Any]]:
    """The published versions in one forms database, by document id (none if it is missing)."""
    try:
        result = database.server.call(
            lambda s: s.post_all_docs(db=database.name, include_docs=True)
        )
    except Missing:
        return {}
    docs = (row.get("doc") for row in result.get("rows", []))
    return {
        str(doc["_id"]): doc
        for doc in docs
        if isinstance(doc, dict) and not str(doc.get("_id", "")).startswith("_design/")
    }


def _published_document(item: Definition, district: str | None, by: str) -> dict[str, Any]:
    return {
        "_id": item.doc_id,
        "type": item.kind,
        "form_id": item.id,
        "version": item.version,
        "district": district,
        "digest": digest_of(item.body),
        "definition": item.body,
        "published_by": by,
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _too_large(paths: Iterable[Path]) -> list[Problem]:
    problems = []
    for path in json_files(paths):  # sized before anything is read or parsed
        size = path.stat().st_size if path.exists() else 0
        if size > MAX_DEFINITION_BYTES:
            params = {"size": size, "limit": MAX_DEFINITION_BYTES}
            problems.append(Problem("too-large", str(path), "", params))
    return problems


def publish(
    server: CouchServer, paths: list[Path], *, district: str | None = None, by: str = ""
) -> PublishReport:
    """Check and publish the definitions in `paths` (files or folders). NotAllowed unless the
    user is a form author (for every district, or this one) or an administrator; the server's
    validation says the same for every write, this says it before anything is read."""
    allowed = {"_admin", "author"} | ({f"author:{district}"} if district else set())
    if not allowed & set(server.roles()):
        raise NotAllowed(403, "forbidden", "Only form authors and administrators publish forms.")
    target = server.database(forms_databases(district)[-1])
    report = PublishReport(target.name)
    existing = {
        name: published_documents(server.database(name)) for name in forms_databases(district)
    }
    known = [
        doc["definition"]
        for docs in existing.values()
        for doc in docs.values()
        if doc.get("type") == "form" and isinstance(doc.get("definition"), dict)
    ]
    report.problems = _too_large(paths) or lint_paths(paths, known=known)
    if report.problems:
        return report
    items = [
        Definition.of(file.doc) for file in read_definitions(paths) if isinstance(file.doc, dict)
    ]
    new: list[Definition] = []
    for item in items:
        clash = next((docs[item.doc_id] for docs in existing.values() if item.doc_id in docs), None)
        if clash is None:
            new.append(item)
        else:
            _judge(report, item, clash)
    if report.refused:
        return report
    for item in new:
        try:
            target.put(_published_document(item, district, by))
        except CouchError as exc:
            if exc.status != 409:
                raise
            # There already: published meanwhile, or written so recently that the list above
            # came from a copy of a cluster's shard that had not got it yet. Judged the same.
            _judge(report, item, target.get(item.doc_id))
            continue
        report.written.append(item.doc_id)
    return report


def _judge(report: PublishReport, item: Definition, published: dict[str, Any]) -> None:
    """A version already published: unchanged when it is the same, else refused (a published
    version is never changed)."""
    if published.get("digest") == digest_of(item.body):
        report.unchanged.append(item.doc_id)
    else:
        report.refused.append((item.doc_id, "immutable"))
