"""Scoring: per-item points, per-domain subtotals, total, unknown answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.form import Field, Form, ScoreRule
from engine.vocabulary import option_key


@dataclass(slots=True)
class Scores:
    total: int = 0
    domains: dict[str, int] = field(default_factory=dict)
    contributions: list[tuple[Field, Any, int]] = field(default_factory=list)
    unknown: list[Field] = field(default_factory=list)


def _points(rule: ScoreRule, value: Any) -> int | None:
    """Points for one answer, or None when the answer is unknown."""
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
    result = Scores(domains={d.id: 0 for d in form.domains})
    domains = result.domains
    for f in form.scored:
        if f.visible is not None and not f.visible(answers):
            continue
        rule = f.score
        assert rule is not None
        points = _points(rule, answers[f.name]) if f.name in answers else None
        if points is None:
            result.unknown.append(f)
            continue
        if points:
            result.total += points
            if rule.domain is not None:
                domains[rule.domain] = domains.get(rule.domain, 0) + points
            result.contributions.append((f, answers[f.name], points))
    return result
