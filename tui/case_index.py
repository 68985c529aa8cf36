"""The rows of the case list, and searching, filtering and sorting them quickly.

A row is built from the child document alone first (so the list shows at once) and gains its
band, next due date and warning when the child's other documents have been read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from engine.casework.casefile import CaseFile, child_uuid, object_at
from engine.casework.early_warning import early_warnings
from engine.casework.rules import CaseworkRules
from engine.casework.schedule import band_of, next_due

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
    answers = object_at(child, "answers")
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


def ordered(rows: list[CaseRow], sort: str, band_order: dict[str, int]) -> list[CaseRow]:
    """The rows in one of the SORTS orders."""
    last = len(band_order)
    keys = {
        "band": lambda r: (band_order.get(r.band or "", last), r.due or date.max, r.name),
        "name": lambda r: (r.name, r.id),
        "due": lambda r: (r.due or date.max, r.name),
        "village": lambda r: (r.village, r.name),
    }
    return sorted(rows, key=keys.get(sort, keys["band"]))


def matching(rows: list[CaseRow], query: Query) -> list[CaseRow]:
    """The rows that match, in the order given (filtering keeps an order: no sort per key)."""
    needle = query.text.strip().lower()
    if not (needle or query.band or query.category or query.overdue_only):
        return rows
    return [
        r
        for r in rows
        if (not needle or needle in r.search)
        and (query.band is None or r.band == query.band)
        and (query.category is None or query.category in r.categories)
        and (not query.overdue_only or r.overdue > 0)
    ]


def select(rows: list[CaseRow], query: Query, band_order: dict[str, int]) -> list[CaseRow]:
    """The rows that match, in the chosen order."""
    return matching(ordered(rows, query.sort, band_order), query)


# --- the saved index: rows as last computed, so the list is complete the moment it opens ---

INDEX_ID = "_local/careforms-case-index"
HEAD_ID = "_local/careforms-case-index-head"
HEAD_ROWS = 120
INDEX_VERSION = 1


@dataclass(frozen=True, slots=True)
class SavedIndex:
    rows: list[CaseRow]
    seq: int  # the replica's update_seq the rows were computed at
    day: str  # the day the due dates were computed for
    rules: str  # fingerprint of the rules and forms they were computed with


def rules_fingerprint(rules: CaseworkRules, band_form_digest: str) -> str:
    import hashlib

    text = rules.model_dump_json() + band_form_digest + str(INDEX_VERSION)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _unpack(items: list[Any], today: date) -> list[CaseRow]:
    rows = []
    for uid, name, categories, village, band, due, warned, state in items:
        due_on = date.fromisoformat(due) if due else None
        overdue = max(0, (today - due_on).days) if due_on else 0
        rows.append(CaseRow(uid, name, tuple(categories), village, band, due_on, overdue,
                            bool(warned), state, f"{name.lower()} {uid}"))  # fmt: skip
    return rows


def _pack(rows: list[CaseRow]) -> list[list[Any]]:
    return [
        [r.id, r.name, list(r.categories), r.village, r.band,
         r.due.isoformat() if r.due else None, r.warned, r.state]
        for r in rows
    ]  # fmt: skip


def load_index(store: Any, today: date) -> SavedIndex | None:
    doc = store.get_local(INDEX_ID)
    if not doc or doc.get("version") != INDEX_VERSION:
        return None
    rows = _unpack(doc.get("rows", []), today)
    return SavedIndex(
        rows, int(doc.get("seq", 0)), str(doc.get("day", "")), str(doc.get("rules", ""))
    )


def load_head(store: Any, today: date) -> tuple[list[CaseRow], int] | None:
    """The first screenful of the saved index in the default order, and how many in all."""
    doc = store.get_local(HEAD_ID)
    if not doc or doc.get("version") != INDEX_VERSION:
        return None
    return _unpack(doc.get("rows", []), today), int(doc.get("total", 0))


def save_index(
    store: Any, rows: list[CaseRow], seq: int, day: date, rules: str, head: Sequence[CaseRow] = ()
) -> None:
    """The whole index, and its first screenful apart so that the list opens drawing it."""
    store.put_local({"_id": INDEX_ID, "version": INDEX_VERSION, "seq": seq, "day": day.isoformat(),
                     "rules": rules, "rows": _pack(rows)})  # fmt: skip
    store.put_local({"_id": HEAD_ID, "version": INDEX_VERSION, "total": len(rows),
                     "rows": _pack(list(head)[:HEAD_ROWS])})  # fmt: skip


def changed_children(store: Any, since: int) -> set[str]:
    """The children any of whose documents changed after `since`."""
    return {child_uuid(change.id) for change in store.changes(since).results if ":" in change.id}


def recompute(
    store: Any, rules: CaseworkRules, today: date, rows: list[CaseRow] | None, since: int | None
) -> list[CaseRow]:
    """Rows for every child (no rows or no `since`), or for the children changed since."""
    from tui.case_files import case_file, case_files

    if rows is None or since is None:
        return [
            enrich(row_from_child(case.child), case, rules, today) for case in case_files(store)
        ]
    by_id = {r.id: r for r in rows}
    for uid in changed_children(store, since):
        case = case_file(store, uid)
        if case is None:
            by_id.pop(uid, None)
        else:
            by_id[uid] = enrich(row_from_child(case.child), case, rules, today)
    return list(by_id.values())
