"""Hypothesis strategies that generate answers from a form's JSON Schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from engine.forms.form import Form
from engine.forms.json_values import resolve_ref

garbage = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 100)
    | st.floats(allow_nan=False)
    | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)


def _resolve(form: Form, schema: Any) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = resolve_ref(form.document, schema["$ref"])
    return schema


def value_for(form: Form, schema: Any) -> st.SearchStrategy[Any]:
    """Values valid for a field (visibility aside)."""
    schema = _resolve(form, schema)
    if not isinstance(schema, dict):
        return garbage
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum", -1000), schema.get("maximum", 1000))
    if kind == "string":
        if schema.get("format") == "date":
            return st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True)
        return st.text(min_size=schema.get("minLength", 0), max_size=schema.get("maxLength", 20))
    if kind == "array":
        item = _resolve(form, schema.get("items", {}))
        unique = schema.get("uniqueItems", False)
        return st.lists(
            value_for(form, item),
            min_size=schema.get("minItems", 0),
            max_size=min(schema.get("maxItems", 4), 4),
            unique=unique,
        )
    if kind == "object":
        return object_for(form, schema)
    return garbage


def object_for(form: Form, schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    return st.fixed_dictionaries(
        {k: value_for(form, v) for k, v in props.items() if k in required},
        optional={k: value_for(form, v) for k, v in props.items() if k not in required},
    )


def answers_for(form: Form) -> st.SearchStrategy[dict[str, Any]]:
    """Plausible answers, sometimes with garbage mixed in."""
    plausible = object_for(form, form.document)
    broken = st.tuples(
        plausible, st.dictionaries(st.sampled_from(list(form.fields)), garbage, max_size=3)
    ).map(lambda t: t[0] | t[1])
    return st.one_of(plausible, plausible, broken)
