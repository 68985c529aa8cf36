"""What is due for a child on a given day, and why: pure functions over the child's file."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from engine.casework.casefile import CaseFile, Observation
from engine.casework.rules import CaseworkRules, ContactRule, Interval, Season
from engine.forms.compiler import SchemaCompiler

Text = dict[str, str]
CLOSED = "closed"


def add_interval(start: date, interval: Interval) -> date:
    """`start` plus the interval; a month later than 31 January is the last day of February."""
    if interval.months:
        month0 = start.month - 1 + interval.months
        year, month = start.year + month0 // 12, month0 % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        start = date(year, month, day)
    return start + timedelta(days=interval.days)


@dataclass(frozen=True, slots=True)
class DueItem:
    """Something the worker must do for a child by a date, with the rule that asks for it."""

    rule: str
    kind: Literal["assessment", "contact", "season"]
    label: Text  # what is due
    due: date
    since: date | None  # the event the deadline counts from
    because: Text  # the rule that set the interval

    def overdue_days(self, today: date) -> int:
        return max(0, (today - self.due).days)

    def is_due_within(self, today: date, days: int) -> bool:
        return self.due <= today + timedelta(days=days)


def contact_kind(o: Observation) -> str:
    """How the worker met the child: a visit's kind; an assessment is done where it says."""
    value = o.answers.get("kind") if o.kind == "visit" else o.answers.get("place", "home")
    return str(value)


def band_of(case: CaseFile, rules: CaseworkRules) -> str | None:
    latest = case.latest(rules.band_form)
    return latest.band if latest else None


def due_items(case: CaseFile, rules: CaseworkRules, today: date) -> list[DueItem]:
    """Everything due for the child from today on, or overdue; nothing once the case is closed."""
    if case.state == CLOSED:
        return []
    items = _assessments(case, rules)
    band = band_of(case, rules)
    facts = case.facts()
    met = _contacts(case)
    items += [item for c in rules.contacts if (item := _contact(case, c, band, facts, met))]
    items += [item for s in rules.seasons if (item := _season(s, band, today, met))]
    return sorted(items, key=lambda i: (i.due, i.rule))


def next_due(case: CaseFile, rules: CaseworkRules, today: date) -> DueItem | None:
    items = due_items(case, rules, today)
    return items[0] if items else None


def _assessments(case: CaseFile, rules: CaseworkRules) -> list[DueItem]:
    items = []
    opened = case.opened_on
    done_initial: set[str] = set()
    initial = {r.form for r in rules.assessments if r.kind == "initial"}
    for rule in rules.assessments:
        if rule.kind != "initial" or rule.within is None or opened is None:
            continue
        if any(o.on is not None and o.on >= opened for o in case.finals(rule.form)):
            done_initial.add(rule.form)
            continue
        due = add_interval(opened, rule.within)
        items.append(DueItem(rule.id, "assessment", rule.label, due, opened, rule.label))
    for rule in rules.assessments:
        if rule.kind != "repeat" or rule.every is None:
            continue
        dated = [o for o in case.finals(rule.form) if o.on is not None]
        pending = opened is not None and rule.form in initial and rule.form not in done_initial
        if not dated or pending:
            continue  # nothing to repeat yet, or the initial assessment is what is due
        last = dated[-1].on
        assert last is not None
        due = add_interval(last, rule.every)
        items.append(DueItem(rule.id, "assessment", rule.label, due, last, rule.label))
    return items


def _interval(
    rule: ContactRule, band: str | None, facts: dict[str, object]
) -> tuple[Interval, Text, str]:
    """The shortest interval among the rule and its faster cases that apply."""
    best = (rule.every, rule.label, rule.id)
    days = _approximate_days(rule.every)
    for faster in rule.faster:
        applies = (band is not None and band in faster.bands) or (
            faster.when is not None and _holds(faster.when, facts)
        )
        if applies and _approximate_days(faster.every) < days:
            best, days = (faster.every, faster.label, faster.id), _approximate_days(faster.every)
    return best


def _approximate_days(interval: Interval) -> float:
    return interval.days + interval.months * 30.44


# Compiled conditions by the identity of the rule's condition (rules are frozen models, so the
# same object for as long as the rules are in use; the object is kept so its id stays its own).
_PREDICATES: dict[int, tuple[object, Callable[[object], bool]]] = {}


def _holds(condition: object, facts: dict[str, object]) -> bool:
    cached = _PREDICATES.get(id(condition))
    if cached is None or cached[0] is not condition:
        cached = _PREDICATES[id(condition)] = (
            condition,
            SchemaCompiler(condition).predicate(condition),
        )
    return bool(cached[1](facts))


Contacts = list[tuple[date, str]]  # when and how the worker met the child, by final forms


def _contacts(case: CaseFile) -> Contacts:
    return [(o.on, contact_kind(o)) for o in case.finals() if o.on is not None]


def _last_contact(met: Contacts, kinds: tuple[str, ...]) -> date | None:
    return max((on for on, kind in met if kind in kinds), default=None)


def _contact(
    case: CaseFile, rule: ContactRule, band: str | None, facts: dict[str, object], met: Contacts
) -> DueItem | None:
    since = _last_contact(met, rule.kinds) or case.opened_on
    if since is None:
        return None
    interval, because, rule_id = _interval(rule, band, facts)
    return DueItem(rule_id, "contact", rule.label, add_interval(since, interval), since, because)


def _season(season: Season, band: str | None, today: date, met: Contacts) -> DueItem | None:
    """The holiday visit of the season under way, or of the next one within a year."""
    if season.bands and band not in season.bands:
        return None
    first, last = season.current_or_next(today)
    done = any(first <= on <= last and kind in season.kinds for on, kind in met)
    if done:
        return None
    return DueItem(season.id, "season", season.label, last, first, season.label)


@dataclass(frozen=True, slots=True)
class DueEntry:
    """A line of the due list: the child, where they live, their band, and one due item."""

    child: str
    name: str
    township: str
    village: str
    band: str | None
    item: DueItem


def due_list(
    cases: Iterable[CaseFile], rules: CaseworkRules, today: date, days: int = 14
) -> list[DueEntry]:
    """Everything overdue or due within `days`, by village, then date."""
    entries = [
        DueEntry(
            case.id,
            case.name,
            str(case.profile.get("township", "")),
            str(case.profile.get("village", "")),
            band_of(case, rules),
            item,
        )
        for case in cases
        for item in due_items(case, rules, today)
        if item.is_due_within(today, days)
    ]
    return sorted(entries, key=lambda e: (e.township, e.village, e.item.due, e.name))
