"""Which widget renders a field: small testers give a rank, the highest wins (JSON Forms).

A field no tester accepts gets `UnsupportedField`, a visible marker with its pointer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui.fields.spec import FieldSpec
from tui.fields.widgets import (
    ChoiceField,
    DateField,
    FieldWidget,
    GroupField,
    HiddenField,
    MultiSelectField,
    NumberField,
    ObjectField,
    SelectField,
    TextAreaField,
    TextField,
    UnsupportedField,
    choices,
)

Tester = Callable[[FieldSpec], int]
NO = -1
MANY_OPTIONS = 7  # more than this: a select instead of a radio list


def _types(spec: FieldSpec) -> set[str]:
    kind = spec.schema.get("type")
    if isinstance(kind, list):
        return {str(k) for k in kind} - {"null"}
    if kind is None and "properties" in spec.schema:
        return {"object"}
    return {str(kind)} if kind else set()


def _widget_hint(name: str, rank: int) -> Tester:
    return lambda spec: rank if spec.schema.get("x-widget") == name else NO


def _is(kind: str, rank: int) -> Tester:
    return lambda spec: rank if _types(spec) == {kind} else NO


def _date(spec: FieldSpec) -> int:
    return 40 if _types(spec) == {"string"} and spec.schema.get("format") == "date" else NO


def _multi(spec: FieldSpec) -> int:
    return 30 if _types(spec) == {"array"} and choices(spec.schema) is not None else NO


def _group(spec: FieldSpec) -> int:
    """A repeating group: an array of objects, or of free values (text, numbers)."""
    items = spec.schema.get("items")
    if _types(spec) != {"array"} or not isinstance(items, dict) or "prefixItems" in spec.schema:
        return NO
    from tui.fields.spec import deref

    target = deref(spec.form, items)
    if target.get("type") == "object" or "properties" in target:
        return 25
    return 24 if target.get("type") in ("string", "integer", "number") else NO


def _select(spec: FieldSpec) -> int:
    options = choices(spec.schema)
    if options is None or _types(spec) == {"array"}:
        return NO
    return 20 if spec.schema.get("x-widget") == "select" or len(options) > MANY_OPTIONS else NO


def _choice(spec: FieldSpec) -> int:
    return 15 if choices(spec.schema) is not None and _types(spec) != {"array"} else NO


def _number(spec: FieldSpec) -> int:
    return 10 if _types(spec) and _types(spec) <= {"integer", "number"} else NO


RENDERERS: tuple[tuple[Tester, type[FieldWidget]], ...] = (
    (_widget_hint("hidden", 100), HiddenField),
    (_widget_hint("textarea", 50), TextAreaField),
    (_date, DateField),
    (_multi, MultiSelectField),
    (_group, GroupField),
    (_select, SelectField),
    (_choice, ChoiceField),
    (_number, NumberField),
    (_is("string", 5), TextField),
    (_is("object", 5), ObjectField),
)


def renderer_for(spec: FieldSpec) -> type[FieldWidget]:
    best = NO
    chosen: type[FieldWidget] = UnsupportedField
    for tester, widget in RENDERERS:
        rank = tester(spec)
        if rank > best:
            best, chosen = rank, widget
    return chosen


def field_widget(spec: FieldSpec, value: Any, lang: str) -> FieldWidget:
    return renderer_for(spec)(spec, value, lang)
