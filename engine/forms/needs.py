"""Need categories (需求分类) and strengths from a needs assessment."""

from __future__ import annotations

from typing import Any

from engine.forms.form import Form
from engine.forms.results import NeedItem, NeedResult, NeedsAssessment, Strength


def _rating(value: Any) -> int | None:
    return value if type(value) is int else None


def _label(form: Form, name: str, value: Any) -> dict[str, str] | None:
    label = form.fields[name].option_label(value)
    return dict(label) if label else None


def assess_needs(answers: dict[str, Any], form: Form) -> NeedsAssessment:
    """A category is a need when any of its visible items is rated at or above its threshold."""
    visible = set(form.visible_fields(answers))
    categories = []
    for need in form.needs:
        items = [
            NeedItem(
                field=name,
                label=dict(form.fields[name].label),
                rating=rating,
                rating_label=_label(form, name, answers[name]),
            )
            for name in need.items
            if name in visible
            and (rating := _rating(answers.get(name))) is not None
            and rating >= need.threshold
        ]
        if items:
            categories.append(
                NeedResult(
                    id=need.id,
                    label=dict(need.label),
                    rating=max(i.rating for i in items),
                    items=items,
                    services=[dict(s) for s in need.services],
                )
            )
    strengths = [
        Strength(
            field=name,
            label=dict(form.fields[name].label),
            rating=rating,
            rating_label=_label(form, name, answers[name]),
        )
        for name in form.strengths
        if name in visible and (rating := _rating(answers.get(name))) is not None
    ]
    categories.sort(key=lambda c: -c.rating)
    strengths.sort(key=lambda s: s.rating)
    return NeedsAssessment(
        form_id=form.id, form_version=form.version, categories=categories, strengths=strengths
    )
