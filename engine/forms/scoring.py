"""Scoring: per-item points, per-domain subtotals, total, unknown answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.forms.form import Field, Form, ScoreRule
from engine.forms.vocabulary import option_key


@dataclass(slots=True)
class Scores:
    total: int = 0
    domains: dict[str, int] = field(default_factory=dict)
    contributions: list[tuple[Field, Any, int]] = field(default_factory=list)
    unknown: list[Field] = field(default_factory=list)


_MISSING = object()


def _points(rule: ScoreRule, value: Any) -> int | None:
    """Points for one answer, or None when the answer is unknown."""
    if type(value) is int:  # the usual rating: one lookup
        return rule.by_integer.get(value)
    if type(value) is list:
        known = [rule.points[k] for k in map(option_key, value) if k in rule.points]
        if not known:
            return None if value else 0
        return sum(known) if rule.combine == "sum" else max(known)
    key = option_key(value)
    if key in rule.unknown or key not in rule.points:
        return None
    return rule.points[key]


def score(answers: dict[str, Any], form: Form) -> Scores:
    """Points of every visible scored item; missing and unknown answers score 0."""
    result = Scores(domains=dict.fromkeys(form.domain_ranges, 0))
    domains = result.domains
    for f, name, visible, rule, by_integer in form.score_plan:
        if visible is not None and not visible(answers):
            continue
        value = answers.get(name, _MISSING)
        if type(value) is int:
            points = by_integer.get(value)
        else:
            points = None if value is _MISSING else _points(rule, value)
        if points is None:
            result.unknown.append(f)
            continue
        if points:
            result.total += points
            if rule.domain is not None:
                domains[rule.domain] = domains.get(rule.domain, 0) + points
            result.contributions.append((f, value, points))
    return result
