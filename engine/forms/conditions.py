"""Conditions (visibility, red flags, if) compiled to plain boolean closures.

Conditions are small JSON Schemas over the answers; for the keywords they use, a closure that
answers yes or no (without collecting errors) is several times faster. Anything else is left
to the full compiler.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.forms.json_values import COMPARISONS, TYPE_TESTS, Predicate, is_number, member_test

VISIBLE_IF = "x-visible-if"
# Keywords that never assert anything.
ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "$defs",
        "definitions",
        "$anchor",
        "$vocabulary",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "contentMediaType",
        "contentEncoding",
        "contentSchema",
    }
)
# Keywords a condition may use and still be compiled to a plain boolean closure.
_BOOLEAN = frozenset(
    {
        "type",
        "const",
        "enum",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "properties",
        "required",
        "allOf",
        "anyOf",
        "not",
    }
)


def _within(compare: Callable[[Any, Any], bool], limit: Any) -> Predicate:
    """A bound (minimum, …): it holds for numbers within it and for anything not a number."""
    return lambda v: not is_number(v) or compare(v, limit)


def simple_predicate(schema: Any) -> Predicate | None:
    """A predicate built without error lists, or None if the schema is not simple enough."""
    if schema is True or schema == {}:
        return lambda v: True
    if schema is False:
        return lambda v: False
    if not isinstance(schema, dict):
        return None
    keywords = {k for k in schema if not k.startswith("x-")} - ANNOTATIONS
    if not keywords <= _BOOLEAN:
        return None
    tests: list[Predicate] = []
    if "type" in schema:
        names = [schema["type"]] if isinstance(schema["type"], str) else schema["type"]
        type_tests = [TYPE_TESTS[n] for n in names]
        tests.append(lambda v: any(t(v) for t in type_tests))
    if "const" in schema:
        tests.append(member_test([schema["const"]]))
    if "enum" in schema:
        tests.append(member_test(schema["enum"]))
    for code, compare in COMPARISONS.items():
        if code in schema:
            tests.append(_within(compare, schema[code]))
    parts = [
        ("properties", schema.get("properties", {})),
        ("allOf", schema.get("allOf", [])),
        ("anyOf", schema.get("anyOf", [])),
        ("not", schema.get("not")),
    ]
    subs: dict[str, Any] = {}
    for key, value in parts:
        if key == "properties":
            if any(isinstance(sub, dict) and VISIBLE_IF in sub for sub in value.values()):
                return None
            subs[key] = {n: simple_predicate(sub) for n, sub in value.items()}
            if None in subs[key].values():
                return None
        elif key == "not":
            subs[key] = None if value is None else simple_predicate(value)
            if value is not None and subs[key] is None:
                return None
        else:
            subs[key] = [simple_predicate(sub) for sub in value]
            if None in subs[key]:
                return None
    if subs["properties"] or schema.get("required"):
        props = list(subs["properties"].items())
        required = list(schema.get("required", []))

        if len(props) == 1 and required == [props[0][0]]:
            # the usual condition: {"properties": {name: ...}, "required": [name]}
            only, holds_only = props[0]

            def answered_as(v: Any) -> bool:
                if type(v) is not dict:
                    return True
                return only in v and holds_only(v[only])

            tests.append(answered_as)
            props, required = [], []

        def object_test(v: Any) -> bool:
            if type(v) is not dict:
                return True
            for name in required:
                if name not in v:
                    return False
            for name, holds in props:  # noqa: SIM110 (loops beat any()/all() here)
                if name in v and not holds(v[name]):
                    return False
            return True

        if props or required:
            tests.append(object_test)
    all_of: list[Predicate] = subs["allOf"]
    tests += all_of
    any_of: list[Predicate] = subs["anyOf"]
    if any_of:

        def any_holds(v: Any) -> bool:
            for t in any_of:  # noqa: SIM110
                if t(v):
                    return True
            return False

        tests.append(any_holds)
    negated: Predicate | None = subs["not"]
    if negated is not None:
        tests.append(lambda v: not negated(v))
    if len(tests) == 1:
        return tests[0]

    def all_hold(v: Any) -> bool:
        for t in tests:  # noqa: SIM110
            if not t(v):
                return False
        return True

    return all_hold
