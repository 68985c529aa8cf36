"""The JSON Schema validator for what the compiler hands over: jsonschema, kept offline and
taught ECMA-262 patterns.

`jsonschema` (Draft 2020-12) is the reference implementation we delegate to, with two
changes: references resolve only inside the form or to the built-in meta-schemas (a form
never makes a laptop fetch anything), and every regular expression — `pattern`,
`patternProperties`, and the property lists that `additionalProperties` and
`unevaluatedProperties` derive from them — is matched by `engine.forms.patterns`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.validators import extend
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

from engine.forms.json_values import FORMAT_CHECKER
from engine.forms.patterns import PatternError, compile_pattern


def _refuse(uri: str) -> Resource[Any]:
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # attrs class: its stub lags


# jsonschema adds the built-in meta-schemas to any registry it is given.
OFFLINE: Registry[Any] = Registry(retrieve=_refuse)  # type: ignore[call-arg]


def matches(pattern: str, text: str) -> bool:
    """ECMA-262 `search`; a pattern that cannot be used, or is too slow, matches nothing."""
    try:
        return compile_pattern(pattern).search(text)
    except (PatternError, TimeoutError):
        return False


def _pattern(v: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if not v.is_type(instance, "string"):
        return
    try:
        found = compile_pattern(pattern).search(instance)
    except PatternError as exc:
        yield ValidationError(f"the pattern {pattern!r} cannot be used: {exc}")
        return
    except TimeoutError:
        yield ValidationError(f"{instance!r} could not be matched against {pattern!r} in time")
        return
    if not found:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(
    v: Any, patterns: Mapping[str, Any], instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not v.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if matches(pattern, key):
                yield from v.descend(value, subschema, path=key, schema_path=pattern)


def _additional(instance: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    properties = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [k for k in instance if k not in properties and not any(matches(p, k) for p in patterns)]


def _additional_properties(
    v: Any, extra: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not v.is_type(instance, "object"):
        return
    extras = _additional(instance, schema)
    if v.is_type(extra, "object"):
        for name in extras:
            yield from v.descend(instance[name], extra, path=name)
    elif not extra and extras:
        yield ValidationError(f"Additional properties are not allowed ({sorted(extras)})")


def _valid(v: Any, instance: Any, schema: Any) -> bool:
    return next(v.descend(instance, schema), None) is None


def _evaluated(v: Any, instance: Mapping[str, Any], schema: Any) -> set[str]:
    """The keys evaluated by `schema` and its in-place subschemas (after jsonschema's own
    `find_evaluated_property_keys_by_schema`, with ECMA-262 patterns)."""
    if not isinstance(schema, dict):
        return set()
    keys: set[str] = set()
    for keyword in ("$ref", "$dynamicRef"):
        if keyword in schema:
            resolved = v._resolver.lookup(schema[keyword])
            inner = v.evolve(schema=resolved.contents, _resolver=resolved.resolver)
            keys |= _evaluated(inner, instance, resolved.contents)
    if isinstance(schema.get("properties"), dict):
        keys |= schema["properties"].keys() & instance.keys()
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        if keyword in schema:
            keys |= {k for k, x in instance.items() if _valid(v, x, schema[keyword])}
    for pattern in schema.get("patternProperties", {}):
        keys |= {k for k in instance if matches(pattern, k)}
    for name, sub in schema.get("dependentSchemas", {}).items():
        if name in instance:
            keys |= _evaluated(v, instance, sub)
    for keyword in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(keyword, []):
            if _valid(v, instance, sub):
                keys |= _evaluated(v, instance, sub)
    if "if" in schema:
        if _valid(v, instance, schema["if"]):
            keys |= _evaluated(v, instance, schema["if"])
            keys |= _evaluated(v, instance, schema.get("then", True))
        else:
            keys |= _evaluated(v, instance, schema.get("else", True))
    return keys


def _unevaluated_properties(
    v: Any, rest: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not v.is_type(instance, "object"):
        return
    evaluated = _evaluated(v, instance, schema)
    wrong = [k for k in instance if k not in evaluated and not _valid(v, instance[k], rest)]
    if wrong:
        yield ValidationError(f"Unevaluated properties are not allowed ({sorted(wrong)})")


FormValidator: Any = extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    {
        "pattern": _pattern,
        "patternProperties": _pattern_properties,
        "additionalProperties": _additional_properties,
        "unevaluatedProperties": _unevaluated_properties,
    },
)


def form_validator(schema: Any) -> Any:
    """A validator for `schema` as a root: offline, ECMA-262 patterns, our format rules."""
    return FormValidator(schema, format_checker=FORMAT_CHECKER, registry=OFFLINE)
