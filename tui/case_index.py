"""The rows of the case list, and searching, filtering and sorting them quickly.

A row is built from the child document alone first (so the list shows at once) and gains its
band, next due date and warning when the child's other documents have been read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from engine.casefile import CaseFile, child_uuid
from engine.casework_rules import CaseworkRules
from engine.early_warning import early_warnings
from engine.schedule import band_of, next_due

SORTS = ("band", "name", "due", "village")


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: str
    name: str
    categories: tuple[str, ...]
    village: str
    band: str | None = None
    due: date | None = None
    overdue: int = 0
    warned: bool = False
    state: str = "intake"
    search: str = ""  # lower-case name and id, for matching as the user types


def row_from_child(child: dict[str, Any]) -> CaseRow:
    answers = child.get("answers") if isinstance(child.get("answers"), dict) else {}
    uuid = child_uuid(str(child.get("_id", "")))
    name = str(answers.get("name", "?"))
    state = (
        child.get("case", {}).get("state", "intake")
        if isinstance(child.get("case"), dict)
        else "intake"
    )
    return CaseRow(
        id=uuid,
        name=name,
        categories=tuple(str(c) for c in answers.get("categories", []) if isinstance(c, str)),
        village=str(answers.get("village", "")),
        state=str(state),
        search=f"{name.lower()} {uuid}",
    )


def enrich(row: CaseRow, case: CaseFile, rules: CaseworkRules, today: date) -> CaseRow:
    item = next_due(case, rules, today)
    return replace(
        row,
        band=band_of(case, rules),
        due=item.due if item else None,
        overdue=item.overdue_days(today) if item else 0,
        warned=bool(early_warnings(case, rules)),
    )


@dataclass(frozen=True, slots=True)
class Query:
    text: str = ""
    band: str | None = None
    category: str | None = None
    overdue_only: bool = False
    sort: str = "band"


def select(rows: list[CaseRow], query: Query, band_order: dict[str, int]) -> list[CaseRow]:
    """The rows that match, in the chosen order."""
    needle = query.text.strip().lower()
    found = [
        r
        for r in rows
        if (not needle or needle in r.search)
        and (query.band is None or r.band == query.band)
        and (query.category is None or query.category in r.categories)
        and (not query.overdue_only or r.overdue > 0)
    ]
    last = len(band_order)
    keys = {
        "band": lambda r: (band_order.get(r.band or "", last), r.due or date.max, r.name),
        "name": lambda r: (r.name, r.id),
        "due": lambda r: (r.due or date.max, r.name),
        "village": lambda r: (r.village, r.name),
    }
    found.sort(key=keys.get(query.sort, keys["band"]))
    return found
