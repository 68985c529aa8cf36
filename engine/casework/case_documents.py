"""Building the case documents: a child, a form filled about the child, its finalisation.

Ids are type-prefixed so that one child's documents are one `_all_docs` range each:
`child:<uuid>`, `assessment:<child>:<uuid>`, `visit:<child>:<uuid>`, `plan:<child>:<uuid>`.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from engine.casework.casefile import ASSESSMENT, CHILD, PLAN, VISIT
from engine.forms.classification import classify
from engine.forms.form import Form
from engine.forms.needs import assess_needs
from engine.forms.results import Override
from engine.forms.validation import AnswerError, validate

VISIT_FORMS = frozenset({"visit"})


class NotComplete(ValueError):
    """Finalising was refused: these answers are missing or wrong."""

    def __init__(self, errors: list[AnswerError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} answer(s) missing or wrong")


def stamp(doc: dict[str, Any], by: str, device: str, at: datetime) -> dict[str, Any]:
    """Who changed the document, when, on which device (the change history reads these)."""
    doc.setdefault("created_by", by)
    doc.setdefault("created_at", at.isoformat())
    doc.update(updated_by=by, updated_at=at.isoformat(), device=device)
    return doc


def new_child(
    uuid: str,
    answers: dict[str, Any],
    form: Form,
    *,
    district: str,
    by: str,
    device: str,
    at: datetime,
) -> dict[str, Any]:
    doc = {
        "_id": f"{CHILD}:{uuid}",
        "type": CHILD,
        "district": district,
        "form": {"id": form.id, "version": form.version, "digest": form.digest},
        "answers": answers,
        "case": {
            "state": "intake",
            "history": [{"from": None, "to": "intake", "at": at.isoformat(), "by": by, "note": ""}],
        },
    }
    return stamp(doc, by, device, at)


def new_entry(
    child: str, uuid: str, form: Form, *, district: str, by: str, device: str, at: datetime
) -> dict[str, Any]:
    """A draft of `form` filled about the child: a visit for visit forms, else an assessment."""
    declared = form.document.get("x-form", {}).get("kind")
    kind = {"visit": VISIT, "plan": PLAN}.get(
        declared, VISIT if form.id in VISIT_FORMS else ASSESSMENT
    )
    doc = {
        "_id": f"{kind}:{child}:{uuid}",
        "type": kind,
        "child": child,
        "district": district,
        "form": {"id": form.id, "version": form.version, "digest": form.digest},
        "status": "draft",
        "answers": {},
    }
    return stamp(doc, by, device, at)


def new_plan(
    child: str,
    uuid: str,
    body: dict[str, Any],
    *,
    district: str,
    by: str,
    device: str,
    at: datetime,
) -> dict[str, Any]:
    doc = {
        "_id": f"{PLAN}:{child}:{uuid}",
        "type": PLAN,
        "child": child,
        "district": district,
        **body,
    }
    return stamp(doc, by, device, at)


def date_field(form: Form) -> str | None:
    """The form's first top-level date: the day the form was filled."""
    return next((n for n, f in form.fields.items() if f.schema.get("format") == "date"), None)


def finalise(
    doc: dict[str, Any],
    form: Form,
    *,
    by: str,
    device: str,
    at: datetime,
    override: Override | None = None,
) -> dict[str, Any]:
    """The entry made final with the engine's result as computed now; NotComplete if not ready."""
    answers = doc.get("answers", {})
    errors = validate(answers, form, final=True)
    if errors:
        raise NotComplete(errors)
    final = copy.deepcopy(doc)
    result: dict[str, Any] = {}
    if form.bands:
        result["classification"] = classify(answers, form, override).model_dump(mode="json")
    if form.needs:
        result["needs"] = assess_needs(answers, form).model_dump(mode="json")
    field = date_field(form)
    final.update(
        status="final",
        result=result,
        observed_on=(answers.get(field) if field else None) or at.date().isoformat(),
        finalised_by=by,
        finalised_at=at.isoformat(),
    )
    return stamp(final, by, device, at)
