"""The `x-` vocabulary of careforms forms, as read-only tables.

The meta-schema `forms/meta/form.schema.json` describes the same keywords for editors;
`docs/form-authoring.md` explains them with examples.
"""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any

# Keywords allowed only at the top of a form.
FORM_KEYWORDS = frozenset(
    {
        "x-form",
        "x-sections",
        "x-domains",
        "x-bands",
        "x-red-flags",
        "x-override",
        "x-needs",
        "x-strengths",
        "x-migration",
    }
)
# Keywords allowed on any field (any subschema).
FIELD_KEYWORDS = frozenset(
    {"x-label", "x-help", "x-options", "x-widget", "x-visible-if", "x-score", "x-sensitive"}
)
ALL_KEYWORDS = FORM_KEYWORDS | FIELD_KEYWORDS

# Widget hints and the JSON types each one can edit.
WIDGETS = MappingProxyType(
    {
        "text": frozenset({"string"}),
        "textarea": frozenset({"string"}),
        "date": frozenset({"string"}),
        "number": frozenset({"integer", "number"}),
        "radio": frozenset({"string", "integer", "number", "boolean", "enum"}),
        "select": frozenset({"string", "integer", "number", "enum"}),
        "checkboxes": frozenset({"array"}),
        "toggle": frozenset({"boolean"}),
        "group": frozenset({"object", "array"}),
        "hidden": frozenset({"string", "integer", "number", "boolean", "array", "object", "enum"}),
    }
)

# JSON Schema keywords whose value is one subschema, a list of them, or a map of them.
SUBSCHEMA = frozenset(
    {
        "items",
        "not",
        "if",
        "then",
        "else",
        "additionalProperties",
        "contains",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)
SUBSCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
SUBSCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
# Every other keyword JSON Schema 2020-12 knows (for spotting misspellings).
STANDARD_KEYWORDS = (
    SUBSCHEMA
    | SUBSCHEMA_LISTS
    | SUBSCHEMA_MAPS
    | frozenset(
        {
            "$schema",
            "$id",
            "$ref",
            "$anchor",
            "$dynamicRef",
            "$dynamicAnchor",
            "$vocabulary",
            "$comment",
            "type",
            "enum",
            "const",
            "multipleOf",
            "maximum",
            "exclusiveMaximum",
            "minimum",
            "exclusiveMinimum",
            "maxLength",
            "minLength",
            "pattern",
            "maxItems",
            "minItems",
            "uniqueItems",
            "maxContains",
            "minContains",
            "maxProperties",
            "minProperties",
            "required",
            "dependentRequired",
            "title",
            "description",
            "default",
            "deprecated",
            "readOnly",
            "writeOnly",
            "examples",
            "format",
            "contentEncoding",
            "contentMediaType",
        }
    )
)


def option_key(value: Any) -> str:
    """How an option value is written as a key of `x-options` and `x-score.points`."""
    t = type(value)
    if t is str:
        return str(value)  # the value itself: its type is exactly str
    if t is int:
        return str(value)
    if t is bool or value is None:
        return json.dumps(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def options_of(schema: Any) -> list[Any] | None:
    """The choices of a field: its enum, the enum of its items, or true/false; else None."""
    if not isinstance(schema, dict):
        return None
    if isinstance(schema.get("enum"), list):
        return list(schema["enum"])
    if "oneOf" in schema and all(isinstance(o, dict) and "const" in o for o in schema["oneOf"]):
        return [o["const"] for o in schema["oneOf"]]
    if schema.get("type") == "boolean":
        return [True, False]
    if schema.get("type") == "array":
        return options_of(schema.get("items"))
    return None
