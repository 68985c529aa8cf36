"""Case-work rules as data: assessment deadlines, visit cadence, seasons, early warning.

A rules file lives beside the forms (`forms/casework.rules.json`); a district edits it to
change its cadence. `careforms forms check` checks it with its meta-schema and the rules below.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from jsonschema import Draft202012Validator
from pydantic import BaseModel, ConfigDict, Field

from engine.forms.problems import Problem, meta_detail, pointer, read_json, suggestion
from engine.forms.registry import FormRegistry

RULES_KEY = "x-rules"
Text = dict[str, str]


class Rule(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)


class Interval(Rule):
    days: int = 0
    months: int = 0


class AssessmentRule(Rule):
    id: str
    form: str
    kind: Literal["initial", "repeat"]
    within: Interval | None = None
    every: Interval | None = None
    label: Text


class FasterRule(Rule):
    id: str
    bands: tuple[str, ...] = ()
    when: dict[str, Any] | bool | None = None
    every: Interval
    label: Text


class ContactRule(Rule):
    id: str
    kinds: tuple[str, ...]
    every: Interval
    label: Text
    faster: tuple[FasterRule, ...] = ()


class Season(Rule):
    id: str
    start: str = Field(alias="from")
    end: str = Field(alias="to")
    kinds: tuple[str, ...]
    bands: tuple[str, ...] = ()
    label: Text

    def window(self, on: date) -> tuple[date, date] | None:
        """The season's dates that contain `on`, if any (a season may cross the new year)."""
        for year in (on.year - 1, on.year):
            first = _month_day(self.start, year)
            last = _month_day(self.end, year if self.end >= self.start else year + 1)
            if first <= on <= last:
                return first, last
        return None

    def current_or_next(self, on: date) -> tuple[date, date]:
        """The season under way on `on`, else the next one."""
        window = self.window(on)
        if window is not None:
            return window
        first = _month_day(self.start, on.year)
        year = on.year if first > on else on.year + 1
        first = _month_day(self.start, year)
        return first, _month_day(self.end, year if self.end >= self.start else year + 1)


class WarningRule(Rule):
    id: str
    kind: Literal["persistent_band", "rising", "jump", "urgent"]
    forms: tuple[str, ...]
    bands: tuple[str, ...] = ()
    consecutive: int = 2
    threshold: int = 0
    flags: tuple[str, ...] = ()
    label: Text


class CaseworkRules(Rule):
    id: str
    version: int
    title: Text
    band_form: str
    assessments: tuple[AssessmentRule, ...]
    contacts: tuple[ContactRule, ...]
    seasons: tuple[Season, ...] = ()
    early_warning: tuple[WarningRule, ...] = ()
    source: str = ""

    @classmethod
    def from_document(cls, doc: dict[str, Any], source: str = "") -> CaseworkRules:
        return cls(**doc[RULES_KEY], **{k: v for k, v in doc.items() if k[0] not in "$x"},
                   source=source)  # fmt: skip


def _month_day(text: str, year: int) -> date:
    month, day = int(text[:2]), int(text[3:])
    if month == 2 and day == 29:
        day = 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return date(year, month, day)


def is_rules_document(doc: Any) -> bool:
    return isinstance(doc, dict) and RULES_KEY in doc


def builtin_rules_file() -> Path:
    return Path(str(resources.files("forms"))) / "casework.rules.json"


class RulesUnusable(ValueError):
    """No usable rules file: the problems say why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.render("en") for p in problems))


def load_rules(path: Path | None = None, forms: FormRegistry | None = None) -> CaseworkRules:
    """The rules in `path` (default: the built-in file), checked against `forms` (by default
    the built-in ones); RulesUnusable if broken."""
    path = path or builtin_rules_file()
    doc, problems = read_json(path)
    if doc is not None:
        problems += lint_rules(doc, str(path), forms)
    if problems or doc is None:
        raise RulesUnusable(problems)
    return CaseworkRules.from_document(doc, str(path))


# --- checking a rules file ------------------------------------------------------------


@cache
def rules_meta_schema() -> dict[str, Any]:
    text = resources.files("forms.meta").joinpath("rules.schema.json").read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


def _conditions(doc: dict[str, Any]) -> Iterable[tuple[str, Any]]:
    for i, contact in enumerate(doc.get("contacts", [])):
        for j, faster in enumerate(contact.get("faster", [])):
            if "when" in faster:
                yield pointer("contacts", i, "faster", j, "when"), faster["when"]


def lint_rules(doc: dict[str, Any], file: str, forms: FormRegistry | None = None) -> list[Problem]:
    """Every problem of a rules file; the names it uses are checked against `forms` (by
    default the built-in ones; `engine.definitions` passes the forms beside the file)."""
    problems = [
        Problem("bad-rules", file, pointer(*e.absolute_path), meta_detail(e))
        for e in Draft202012Validator(rules_meta_schema()).iter_errors(doc)
    ]
    if problems:
        return problems
    schema_check = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    for at, condition in _conditions(doc):
        problems += [
            Problem("invalid-schema", file, at + pointer(*e.absolute_path), {"detail": e.message})
            for e in schema_check.iter_errors(condition)
        ]
    problems += _repeated_ids(doc, file)
    problems += _season_dates(doc, file)
    if forms is None:
        forms = FormRegistry.load()
    problems += _names(doc, file, forms)
    return problems


def _repeated_ids(doc: dict[str, Any], file: str) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    places = [("assessments", r) for r in doc["assessments"]] + [
        ("contacts", r) for r in doc["contacts"]
    ]
    places += [("seasons", r) for r in doc.get("seasons", [])]
    places += [("early_warning", r) for r in doc.get("early_warning", [])]
    counters: dict[str, int] = {}
    for section, rule in places:
        index = counters[section] = counters.get(section, -1) + 1
        at = pointer(section, index, "id")
        if rule["id"] in seen:
            problems.append(
                Problem("duplicate-rule", file, at, {"id": rule["id"], "first": seen[rule["id"]]})
            )
        seen.setdefault(rule["id"], at)
        for j, faster in enumerate(rule.get("faster", [])):
            at = pointer(section, index, "faster", j, "id")
            if faster["id"] in seen:
                problems.append(
                    Problem(
                        "duplicate-rule",
                        file,
                        at,
                        {"id": faster["id"], "first": seen[faster["id"]]},
                    )
                )
            seen.setdefault(faster["id"], at)
    return problems


def _season_dates(doc: dict[str, Any], file: str) -> list[Problem]:
    problems = []
    for i, season in enumerate(doc.get("seasons", [])):
        for key in ("from", "to"):
            try:
                _month_day(season[key], 2001)
            except ValueError:
                problems.append(
                    Problem("bad-date", file, pointer("seasons", i, key), {"value": season[key]})
                )
    return problems


def _names(doc: dict[str, Any], file: str, forms: FormRegistry) -> list[Problem]:
    """Forms, bands, red flags and contact kinds named in the rules must exist."""
    problems: list[Problem] = []
    known = {f.id: f for f in forms}

    def form_named(name: str, at: str) -> Any:
        if name not in known:
            problems.append(
                Problem(
                    "unknown-form", file, at, {"name": name, "suggestion": suggestion(name, known)}
                )
            )
            return None
        return forms.get(name)

    def check(kind: str, names: Iterable[str], allowed: set[str], at: str) -> None:
        for i, name in enumerate(names):
            if name not in allowed:
                problems.append(
                    Problem(
                        f"unknown-{kind}",
                        file,
                        at + pointer(i),
                        {"name": name, "band": name, "suggestion": suggestion(name, allowed)},
                    )
                )

    band_form = form_named(doc["band_form"], "/band_form")
    bands = {b.id for b in band_form.bands} if band_form else None
    for i, rule in enumerate(doc["assessments"]):
        form_named(rule["form"], pointer("assessments", i, "form"))
    visit = known.get("visit")
    kinds = None  # a visit form whose `kind` is free text allows any kind of contact
    if visit and "kind" in visit.fields and visit.fields["kind"].options is not None:
        kinds = set(visit.fields["kind"].options)
    for i, contact in enumerate(doc["contacts"]):
        if kinds is not None:
            check("kind", contact["kinds"], kinds, pointer("contacts", i, "kinds"))
        for j, faster in enumerate(contact.get("faster", [])):
            if bands is not None:
                check(
                    "band",
                    faster.get("bands", []),
                    bands,
                    pointer("contacts", i, "faster", j, "bands"),
                )
    for i, season in enumerate(doc.get("seasons", [])):
        if bands is not None:
            check("band", season.get("bands", []), bands, pointer("seasons", i, "bands"))
        if kinds is not None:
            check("kind", season["kinds"], kinds, pointer("seasons", i, "kinds"))
    for i, rule in enumerate(doc.get("early_warning", [])):
        used = [form_named(name, pointer("early_warning", i, "forms", j))
                for j, name in enumerate(rule["forms"])]  # fmt: skip
        used = [f for f in used if f is not None]
        if rule.get("bands") and used:
            allowed = set().union(*({b.id for b in f.bands} for f in used))
            check("band", rule["bands"], allowed, pointer("early_warning", i, "bands"))
        if rule.get("flags") and used:
            allowed = set().union(*({f.id for f in form.red_flags} for form in used))
            check("flag", rule["flags"], allowed, pointer("early_warning", i, "flags"))
    return problems
