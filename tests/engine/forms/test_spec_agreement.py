"""The compiled validator agrees with JSON Schema 2020-12: its verdicts on generated schemas
and instances are those of the reference implementation (jsonschema's Draft202012Validator)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from engine.forms.compiler import SchemaCompiler
from engine.forms.json_values import FORMAT_CHECKER
from engine.forms.lint import _quick_meta
from engine.forms.reference_validator import OFFLINE
from engine.forms.references import reference_problems
from engine.forms.schema_checks import FieldError

META = Draft202012Validator(Draft202012Validator.META_SCHEMA)
KEYS = ["a", "b", "c d", "e/f"]
# Patterns that mean the same in ECMA-262 and in Python's `re` on these texts (no newlines):
# the reference implementation matches with `re`.
PATTERNS = ["^a", "b$", "^[a-c]*$", "\\d", "^.{2}$", "a|c"]
REFS = ["#/$defs/plain", "#/$defs/with%20space", "#/$defs/t~1s", "#kid", "#"]

texts = st.text(alphabet="abc1é", max_size=4)
numbers = st.integers(-3, 3) | st.sampled_from([0.5, 1.0, 1.5, 2.5])
values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from([0.5, 1.0, 2.5]) | texts,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)
    ),
    max_leaves=8,
)


def _keyword(inner: st.SearchStrategy[Any], with_refs: bool) -> st.SearchStrategy[dict[str, Any]]:
    small = st.integers(0, 3)
    bound = st.sampled_from([-1, 0, 1, 1.5])
    one_type = st.sampled_from(
        ["string", "integer", "number", "boolean", "null", "array", "object"]
    )
    simple = st.one_of(
        [
            st.builds(lambda k, v: {k: v}, st.just(keyword), value)
            for keyword, value in [
                ("type", one_type),
                ("type", st.lists(one_type, min_size=1, max_size=2, unique=True)),
                ("enum", st.lists(values, min_size=1, max_size=3)),
                ("const", values),
                ("minimum", bound),
                ("maximum", bound),
                ("exclusiveMinimum", bound),
                ("exclusiveMaximum", bound),
                ("multipleOf", st.sampled_from([1, 2, 0.5])),
                ("minLength", small),
                ("maxLength", small),
                ("minItems", small),
                ("maxItems", small),
                ("minProperties", small),
                ("maxProperties", small),
                ("pattern", st.sampled_from(PATTERNS)),
                ("format", st.sampled_from(["date", "email"])),
                ("uniqueItems", st.booleans()),
                ("required", st.lists(st.sampled_from(KEYS), max_size=2)),
                ("dependentRequired", st.dictionaries(
                    st.sampled_from(KEYS), st.lists(st.sampled_from(KEYS), max_size=2),
                    max_size=2)),
            ]
        ]
    )  # fmt: skip
    nested = st.one_of(
        st.builds(lambda s: {"items": s}, inner),
        st.builds(lambda p, s: {"prefixItems": p, "items": s}, st.lists(inner, max_size=2), inner),
        st.builds(lambda s, n: {"contains": s, "minContains": n}, inner, small),
        st.builds(lambda p: {"properties": p},
                  st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)),
        st.builds(lambda p, s: {"properties": p, "additionalProperties": s},
                  st.dictionaries(st.sampled_from(KEYS), inner, max_size=2), inner),
        st.builds(lambda p, s: {"patternProperties": {p: s}}, st.sampled_from(PATTERNS), inner),
        st.builds(lambda p, s: {"allOf": [p], "unevaluatedProperties": s},
                  st.builds(lambda q: {"properties": q},
                            st.dictionaries(st.sampled_from(KEYS), inner, max_size=2)), inner),
        st.builds(lambda s: {"unevaluatedItems": s, "prefixItems": [True]}, inner),
        st.builds(lambda s: {"propertyNames": s}, inner),
        st.builds(lambda d: {"dependentSchemas": d},
                  st.dictionaries(st.sampled_from(KEYS), inner, max_size=2)),
        st.builds(lambda k, s: {k: s}, st.sampled_from(["allOf", "anyOf", "oneOf"]),
                  st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda s: {"not": s}, inner),
        st.builds(lambda i, t, e: {"if": i, "then": t, "else": e}, inner, inner, inner),
        st.builds(lambda i, t: {"if": i, "then": t}, inner, inner),
    )  # fmt: skip
    parts = [simple, simple, simple, nested]  # mostly what forms use, compiled in place
    if with_refs:
        parts.append(st.builds(lambda r: {"$ref": r}, st.sampled_from(REFS)))
        parts.append(st.just({"$dynamicRef": "#kid"}))
    return st.one_of(*parts)


def schemas(with_refs: bool) -> st.SearchStrategy[Any]:
    def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for part in parts:
            merged.update(part)
        return merged

    tree = st.recursive(
        st.booleans() | st.just({}),
        lambda inner: st.lists(_keyword(inner, with_refs), min_size=1, max_size=3).map(merge),
        max_leaves=6,
    )
    return st.lists(_keyword(tree, with_refs), min_size=1, max_size=4).map(merge)


definitions = schemas(with_refs=False)
roots = st.builds(
    lambda body, plain, spaced, slashed, anchored: {
        **(body if isinstance(body, dict) else {"allOf": [body]}),
        "$defs": {
            "plain": plain,
            "with space": spaced,
            "t/s": slashed,
            "anchored": {"$dynamicAnchor": "kid", "allOf": [anchored]},
        },
    },
    schemas(with_refs=True),
    definitions,
    definitions,
    definitions,
    definitions,
)


def compiled_verdict(root: dict[str, Any], instance: Any) -> bool:
    errors: list[FieldError] = []
    SchemaCompiler(root).check(root)(instance, "", errors)
    return not errors


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    roots,
    st.lists(
        values | texts | numbers | st.dictionaries(st.sampled_from(KEYS), values),
        min_size=1,
        max_size=6,
    ),
)
def test_compiled_validation_agrees_with_the_reference(
    root: dict[str, Any], instances: list[Any]
) -> None:
    quick = _quick_meta()  # the lint's fast path agrees with jsonschema on the meta-schema
    assert quick is None or quick[0].is_valid(root) == META.is_valid(root)
    if reference_problems(root, "generated"):
        return  # a cycle in place never ends, in either: the lint refuses it (test_runtime_trust)
    reference = Draft202012Validator(root, format_checker=FORMAT_CHECKER, registry=OFFLINE)
    for instance in instances:
        expected = reference.is_valid(instance)
        assert compiled_verdict(root, instance) == expected, (root, instance)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(_keyword(st.booleans(), with_refs=False), min_size=1, max_size=2),
    st.lists(texts | numbers | values, min_size=1, max_size=6),
)
def test_each_keyword_alone_agrees_with_the_reference(
    parts: list[dict[str, Any]], instances: list[Any]
) -> None:
    schema = {k: v for part in parts for k, v in part.items()}
    reference = Draft202012Validator(schema, format_checker=FORMAT_CHECKER, registry=OFFLINE)
    for instance in instances:
        assert compiled_verdict(schema, instance) == reference.is_valid(instance), (
            schema,
            instance,
        )
