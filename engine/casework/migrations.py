"""Moving a filled form (an assessment, a visit, a profile) to a newer version of its form.

A draft is changed in place. A finished one becomes a new revision on the new version,
re-scored and re-classified, that keeps what it was — the original form version, answers and
result — in its `migrations` list, so a report shows both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.casework.case_documents import stamp
from engine.casework.casefile import object_at
from engine.forms.classification import OverrideRefused, classify
from engine.forms.form import Form
from engine.forms.migration import Change, chain, migrate_answers
from engine.forms.needs import assess_needs
from engine.forms.result_dump import ResultDumper
from engine.forms.results import Override

MIGRATIONS = "migrations"


@dataclass(frozen=True, slots=True)
class EntryMigration:
    """What migrating one document did."""

    doc_id: str
    child: str
    final: bool
    source: int
    target: int
    band_before: str | None
    band_after: str | None
    changes: tuple[Change, ...]
    doc: dict[str, Any] = field(repr=False)
    override_dropped: bool = False

    @property
    def band_changed(self) -> bool:
        return self.final and self.band_before != self.band_after


def form_ref(form: Form) -> dict[str, Any]:
    return {"id": form.id, "version": form.version, "digest": form.digest}


def _band(result: Any) -> str | None:
    band = (
        object_at(object_at(result, "classification"), "band") if isinstance(result, dict) else {}
    )
    value = band.get("id")
    return value if isinstance(value, str) else None


def _override(result: dict[str, Any]) -> Override | None:
    raw = object_at(object_at(result, "classification"), "override")
    if not raw:
        return None
    at = raw.get("at")
    return Override(
        to_band=str(raw.get("to_band", "")),
        reason=str(raw.get("reason", "")),
        by=str(raw.get("by", "")),
        at=datetime.fromisoformat(at) if isinstance(at, str) else None,
    )


def _result(
    answers: dict[str, Any], form: Form, before: dict[str, Any], dumper: ResultDumper
) -> tuple[dict[str, Any], bool]:
    """The engine's result on the new version; the override kept when the new rules allow."""
    result: dict[str, Any] = {}
    dropped = False
    if form.bands:
        override = _override(before)
        try:
            classification = classify(answers, form, override)
        except OverrideRefused:
            classification, dropped = classify(answers, form), True
        result["classification"] = dumper.classification(classification)
    if form.needs:
        result["needs"] = assess_needs(answers, form).model_dump(mode="json")
    return result, dropped


def migrate_entry(
    doc: dict[str, Any],
    versions: dict[int, Form],
    target: int,
    *,
    by: str,
    device: str,
    at: datetime,
    dumper: ResultDumper | None = None,
) -> EntryMigration:
    """The document moved to version `target` (NoMigration when no chain leads there)."""
    ref = object_at(doc, "form")
    source = int(ref.get("version", 0))
    steps = chain(versions, source, target)
    answers = object_at(doc, "answers")
    moved = migrate_answers(answers, steps)
    form = versions[target]
    final = doc.get("status") == "final"
    new = dict(doc)  # the keys changed below are replaced, never edited in place
    record: dict[str, Any] = {
        "from": dict(ref),
        "to": form_ref(form),
        "at": at.isoformat(),
        "by": by,
        "device": device,
        "changes": [
            {"kind": c.kind, "item": c.path, "before": c.before, "after": c.after}
            for c in moved.changes
        ],
    }
    dropped = False
    before = object_at(doc, "result")
    if final:
        record["answers"] = answers
        record["result"] = before
        new["result"], dropped = _result(moved.answers, form, before, dumper or ResultDumper())
        record["override_dropped"] = dropped
    new[MIGRATIONS] = [*(doc.get(MIGRATIONS) or []), record]
    new["form"] = form_ref(form)
    new["answers"] = moved.answers
    stamp(new, by, device, at)
    return EntryMigration(
        doc_id=str(doc.get("_id", "")),
        child=str(doc.get("child", doc.get("_id", ""))),
        final=final,
        source=source,
        target=target,
        band_before=_band(before) if final else None,
        band_after=_band(new.get("result")) if final else None,
        changes=tuple(moved.changes),
        doc=new,
        override_dropped=dropped,
    )


def migrated_from(doc: dict[str, Any]) -> list[int]:
    """The versions a document was answered on before its current one, oldest first."""
    versions = []
    for record in doc.get(MIGRATIONS) or []:
        source = object_at(record, "from").get("version") if isinstance(record, dict) else None
        if isinstance(source, int):
            versions.append(source)
    return versions
