"""Hand-made case documents for the schedule, early-warning and lifecycle tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from engine.casework.casefile import CaseFile


def child(
    intake: str = "2026-01-10", categories: tuple[str, ...] = ("left_behind",), **more: Any
) -> dict[str, Any]:
    return {
        "_id": "child:c1",
        "type": "child",
        "answers": {"name": "王小明", "intake_date": intake, "categories": list(categories)},
        **more,
    }


def observed(
    form: str,
    on: str,
    *,
    band: str | None = None,
    total: int | None = None,
    kind: str = "home",
    flags: tuple[str, ...] = (),
    status: str = "final",
    answers: dict[str, Any] | None = None,
) -> dict[str, Any]:
    doc_type = "visit" if form == "visit" else "assessment"
    answers = dict(answers or {})
    answers.setdefault("kind" if form == "visit" else "place", kind)
    classification: dict[str, Any] = {"total": total, "red_flags": [{"id": f} for f in flags]}
    if band:
        classification["band"] = {"id": band}
    return {
        "_id": f"{doc_type}:c1:{form}-{on}",
        "type": doc_type,
        "form": {"id": form, "version": 1},
        "status": status,
        "observed_on": on,
        "answers": answers,
        "result": {"classification": classification},
    }


def case(
    *docs: dict[str, Any], profile: dict[str, Any] | None = None, **child_fields: Any
) -> CaseFile:
    return CaseFile.from_documents(profile or child(**child_fields), list(docs))


def day(text: str) -> date:
    return date.fromisoformat(text)
