"""The compiled validator agrees with jsonschema on validity, keyword by keyword."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from engine.forms.compiler import SchemaCompiler
from engine.forms.json_values import FORMAT_CHECKER

SCHEMAS: list[dict[str, Any]] = [
    {"type": "integer", "minimum": 0, "maximum": 3},
    {"type": ["number", "null"], "exclusiveMinimum": 0, "exclusiveMaximum": 10, "multipleOf": 0.5},
    {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[a-c]+$"},
    {"type": "string", "format": "date"},
    {"enum": [0, 1, 2, "unknown", None, True]},
    {"const": {"a": [1, 2]}},
    {
        "type": "array",
        "items": {"enum": ["a", "b", "c"]},
        "uniqueItems": True,
        "minItems": 1,
        "maxItems": 2,
    },
    {
        "type": "object",
        "properties": {"a": {"type": "integer"}, "b": {"type": "string"}},
        "required": ["a"],
        "additionalProperties": False,
        "minProperties": 1,
        "maxProperties": 2,
    },
    {
        "type": "object",
        "additionalProperties": {"type": "boolean"},
        "dependentRequired": {"a": ["b"]},
    },
    {"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 1}]},
    {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 1}]},
    {"not": {"type": "string"}, "allOf": [{"type": ["integer", "string", "boolean"]}]},
    {
        "type": "object",
        "if": {"properties": {"a": {"const": 1}}, "required": ["a"]},
        "then": {"required": ["b"]},
        "else": {"properties": {"b": {"type": "null"}}},
    },
    {
        "$defs": {"pos": {"type": "integer", "minimum": 1}},
        "type": "array",
        "items": {"$ref": "#/$defs/pos"},
    },
    {
        "$defs": {
            "node": {
                "type": "object",
                "properties": {"next": {"$ref": "#/$defs/node"}, "v": {"type": "integer"}},
            }
        },
        "$ref": "#/$defs/node",
    },
    # plain enums and booleans in an object are recognised inline
    {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "a": {"enum": [0, 1, "x", True, None]},
            "b": {"type": "boolean"},
            "v1": {"enum": [2, "unknown"], "x-label": {"en": "v"}},
        },
    },
    # keywords the compiler hands to jsonschema
    {"type": "object", "patternProperties": {"^x": {"type": "integer"}}},
    {"type": "array", "prefixItems": [{"type": "string"}], "contains": {"type": "integer"}},
    True,
    False,
]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 12)
    | st.floats(-5, 12, allow_nan=False)
    | st.sampled_from(["", "a", "ab", "abc", "abcd", "xyz", "2026-02-29", "2028-02-29", "unknown"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["a", "b", "next", "v", "x1", "y"]), inner, max_size=4)
    ),
    max_leaves=10,
)


@pytest.mark.parametrize("schema", SCHEMAS, ids=[str(i) for i in range(len(SCHEMAS))])
@settings(max_examples=300, deadline=None)
@given(value=json_values)
def test_same_verdict_as_jsonschema(schema: Any, value: Any) -> None:
    reference = Draft202012Validator(schema, format_checker=FORMAT_CHECKER).is_valid(value)
    compiled = SchemaCompiler(schema).predicate(schema)
    assert compiled(value) is reference


def test_errors_carry_the_pointer_of_the_answer() -> None:
    schema = {
        "type": "object",
        "properties": {
            "members": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"birth_year": {"type": "integer", "maximum": 2030}},
                    "required": ["sex"],
                },
            }
        },
    }
    errors: list[Any] = []
    SchemaCompiler(schema).check(schema)(
        {"members": [{"sex": "f"}, {"birth_year": 3000}]}, "", errors
    )
    assert sorted((e.pointer, e.code) for e in errors) == [
        ("/members/1/birth_year", "maximum"),
        ("/members/1/sex", "required"),
    ]


def test_hidden_fields_are_neither_required_nor_validated() -> None:
    schema = {
        "type": "object",
        "required": ["kind", "grade"],
        "properties": {
            "kind": {"enum": ["none", "disabled"]},
            "grade": {
                "type": "integer",
                "x-visible-if": {
                    "properties": {"kind": {"const": "disabled"}},
                    "required": ["kind"],
                },
            },
        },
    }
    holds = SchemaCompiler(schema).predicate(schema)
    assert holds({"kind": "none"})
    assert holds({"kind": "none", "grade": "not a number"})
    assert not holds({"kind": "disabled"})
    assert not holds({"kind": "disabled", "grade": "x"})


def _draft_errors(schema: Any, value: Any) -> list[tuple[str, str]]:
    errors: list[Any] = []
    SchemaCompiler(schema, enforce_required=False).check(schema)(value, "", errors)
    return [(e.pointer, e.code) for e in errors]


def test_draft_mode_skips_required_but_checks_values() -> None:
    schema = {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}}
    assert _draft_errors(schema, {}) == []
    assert _draft_errors(schema, {"a": "x"}) == [("/a", "type")]


def test_draft_mode_keeps_required_inside_conditions() -> None:
    shown_if_a = {"properties": {"a": {"const": 1}}, "required": ["a"]}
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "integer"},
            "b": {"type": "integer", "x-visible-if": shown_if_a},
        },
        "if": shown_if_a,
        "then": {"properties": {"c": {"type": "string"}}},
    }
    # "a" unanswered: "b" is hidden (a stale value is ignored) and the "then" does not apply
    assert _draft_errors(schema, {"b": "stale", "c": 5}) == []
    assert _draft_errors(schema, {"a": 1, "b": "x", "c": 5}) == [("/b", "type"), ("/c", "type")]
