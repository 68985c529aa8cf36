"""Compile a JSON Schema (2020-12) into plain Python closures, once per form version.

The closures understand the keywords form authors use; a subschema that uses anything else
is handed whole to `jsonschema`, so every valid JSON Schema still validates correctly. On
top of the standard, an object's property whose subschema carries `x-visible-if` is skipped
(neither required nor validated) while that condition does not hold for the object.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

VISIBLE_IF = "x-visible-if"


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with the answers: where (JSON pointer), what (message code), details."""

    pointer: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


Check = Callable[[Any, str, list[FieldError]], None]
Predicate = Callable[[Any], bool]

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
# Keywords compiled here; anything else (not x-) sends the subschema to jsonschema.
COMPILED = frozenset(
    {
        "type",
        "enum",
        "const",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "properties",
        "required",
        "additionalProperties",
        "minProperties",
        "maxProperties",
        "dependentRequired",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
        "$ref",
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
_COMPARISONS: Mapping[str, Callable[[Any, Any], bool]] = {
    "minimum": lambda v, lim: v >= lim,
    "maximum": lambda v, lim: v <= lim,
    "exclusiveMinimum": lambda v, lim: v > lim,
    "exclusiveMaximum": lambda v, lim: v < lim,
}

_TYPE_TESTS: Mapping[str, Callable[[Any], bool]] = {
    "string": lambda v: type(v) is str,
    "integer": lambda v: type(v) is int or (type(v) is float and v.is_integer()),
    "number": lambda v: type(v) is int or type(v) is float,
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
    "array": lambda v: type(v) is list,
    "object": lambda v: type(v) is dict,
}


def _is_number(v: Any) -> bool:
    return type(v) is int or type(v) is float


def _date(v: str) -> bool:
    try:
        return len(v) == 10 and dt.date.fromisoformat(v) is not None
    except ValueError:
        return False


def _date_time(v: str) -> bool:
    try:
        return "T" in v.upper() and dt.datetime.fromisoformat(v.replace("z", "Z")) is not None
    except ValueError:
        return False


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_FORMATS: Mapping[str, Callable[[str], bool]] = {
    "date": _date,
    "date-time": _date_time,
    "email": lambda v: _EMAIL.match(v) is not None,
}
# The same format rules for jsonschema (subschemas handed to it) as for compiled closures;
# built from our functions so no optional format package is needed.
FORMAT_CHECKER = FormatChecker(formats=())
for _name, _test in _FORMATS.items():
    FORMAT_CHECKER.checks(_name)(lambda v, test=_test: not isinstance(v, str) or test(v))


def freeze(value: Any) -> Any:
    """A hashable stand-in with JSON equality: 1 == 1.0, but true != 1."""
    t = type(value)
    if t is str or value is None:
        return value
    if t is bool:
        return ("bool", value)
    if t is int or t is float:
        return ("num", float(value)) if math.isfinite(value) else ("num", value)
    if t is list:
        return ("list", tuple(freeze(v) for v in value))
    if t is dict:
        return ("dict", frozenset((k, freeze(v)) for k, v in value.items()))
    return ("other", repr(value))


def _member_test(options: list[Any]) -> Predicate:
    """Whether a value equals (by JSON equality) one of `options`; fast for text and integers."""
    if len(options) == 1 and type(options[0]) in (str, bool):
        only, kind = options[0], type(options[0])
        return lambda v: type(v) is kind and v == only
    allowed = frozenset(freeze(o) for o in options)
    texts = frozenset(o for o in options if type(o) is str)
    integers = frozenset(o for o in options if type(o) is int)

    def member(v: Any) -> bool:
        t = type(v)
        if t is str:
            return v in texts
        if t is int and v in integers:
            return True
        return freeze(v) in allowed

    return member


def escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _run_all(checks: list[Check]) -> Check:
    if not checks:
        return lambda v, p, errs: None
    if len(checks) == 1:
        return checks[0]

    def run(v: Any, p: str, errs: list[FieldError]) -> None:
        for c in checks:
            c(v, p, errs)

    return run


class SchemaCompiler:
    """Compiles subschemas of one root schema; `$ref`s inside the root resolve lazily."""

    def __init__(self, root: Any, *, enforce_required: bool = True) -> None:
        self.root = root
        # A draft relaxes `required` where answers are checked, never inside conditions
        # (visibility, if, anyOf, oneOf, not): there `required` means "has been answered".
        self.enforce_required = enforce_required
        self._conditions = self if enforce_required else SchemaCompiler(root)
        self._refs: dict[str, Check] = {}
        self._fallback = Draft202012Validator(root, format_checker=FORMAT_CHECKER)

    # -- public -------------------------------------------------------------------
    def check(self, schema: Any) -> Check:
        if schema is True or schema == {}:
            return lambda v, p, errs: None
        if schema is False:
            return lambda v, p, errs: errs.append(FieldError(p, "false"))
        if not isinstance(schema, dict):
            raise TypeError("a schema must be an object or a boolean")
        keywords = {k for k in schema if not k.startswith("x-")} - ANNOTATIONS
        if not keywords <= COMPILED or self._has_foreign_ref(schema):
            return self._delegate(schema)
        return self._compile_object(schema)

    def predicate(self, schema: Any) -> Predicate:
        """Whether a value is valid: a plain boolean closure for the keywords conditions use."""
        if self._conditions is not self:
            return self._conditions.predicate(schema)
        fast = self._boolean(schema)
        if fast is not None:
            return fast
        check = self.check(schema)

        def holds(v: Any) -> bool:
            errs: list[FieldError] = []
            check(v, "", errs)
            return not errs

        return holds

    # -- internals ----------------------------------------------------------------
    def _boolean(self, schema: Any) -> Predicate | None:
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
            type_tests = [_TYPE_TESTS[n] for n in names]
            tests.append(lambda v: any(t(v) for t in type_tests))
        if "const" in schema:
            tests.append(_member_test([schema["const"]]))
        if "enum" in schema:
            tests.append(_member_test(schema["enum"]))
        for code, compare in _COMPARISONS.items():
            if code in schema:
                limit = schema[code]
                tests.append(lambda v, c=compare, lim=limit: not _is_number(v) or c(v, lim))
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
                subs[key] = {n: self._boolean(sub) for n, sub in value.items()}
                if None in subs[key].values():
                    return None
            elif key == "not":
                subs[key] = None if value is None else self._boolean(value)
                if value is not None and subs[key] is None:
                    return None
            else:
                subs[key] = [self._boolean(sub) for sub in value]
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

    @staticmethod
    def _has_foreign_ref(schema: dict[str, Any]) -> bool:
        ref = schema.get("$ref")
        return isinstance(ref, str) and not ref.startswith("#")

    def _delegate(self, schema: dict[str, Any]) -> Check:
        validator = self._fallback.evolve(schema=schema)

        def check(v: Any, p: str, errs: list[FieldError]) -> None:
            for e in validator.iter_errors(v):
                where = p + "".join("/" + escape(str(part)) for part in e.absolute_path)
                errs.append(FieldError(where, "schema", {"detail": e.message}))

        return check

    def _compile_object(self, s: dict[str, Any]) -> Check:
        checks: list[Check] = []
        if "$ref" in s:
            checks.append(self._ref(s["$ref"]))
        typed = self._type(s["type"]) if "type" in s else None
        if "enum" in s:
            checks.append(self._enum(s["enum"]))
        if "const" in s:
            checks.append(self._const(s["const"]))
        checks += self._numeric(s) + self._string(s) + self._array(s) + self._object(s)
        checks += self._combinators(s)
        rest = _run_all(checks)
        if typed is None:
            return rest

        def check(v: Any, p: str, errs: list[FieldError]) -> None:
            if typed(v, p, errs):
                rest(v, p, errs)

        return check

    def _ref(self, ref: str) -> Check:
        if ref not in self._refs:
            self._refs[ref] = lambda v, p, errs: None  # recursion guard, replaced below
            self._refs[ref] = self.check(self._resolve(ref))
        refs = self._refs
        return lambda v, p, errs: refs[ref](v, p, errs)

    def _resolve(self, ref: str) -> Any:
        node: Any = self.root
        fragment = ref[1:].lstrip("/")
        if not fragment:
            return node
        for part in fragment.split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            node = node[int(part)] if isinstance(node, list) else node[part]
        return node

    def _type(self, type_: str | list[str]) -> Callable[[Any, str, list[FieldError]], bool]:
        names = [type_] if isinstance(type_, str) else list(type_)
        tests = [_TYPE_TESTS[n] for n in names]
        expected = names[0] if len(names) == 1 else "/".join(names)

        def ok(v: Any, p: str, errs: list[FieldError]) -> bool:
            for t in tests:
                if t(v):
                    return True
            errs.append(FieldError(p, "type", {"expected": expected}))
            return False

        return ok

    def _enum(self, options: list[Any]) -> Check:
        member = _member_test(options)
        texts = frozenset(o for o in options if type(o) is str)
        integers = frozenset(o for o in options if type(o) is int)

        def check(v: Any, p: str, errs: list[FieldError]) -> None:
            t = type(v)  # text and integer answers are checked inline: the common case
            if (
                (t is int and v in integers)
                or (t is str and v in texts)
                or (t is not str and member(v))
            ):
                return
            errs.append(FieldError(p, "enum", {"options": options}))

        return check

    def _const(self, expected: Any) -> Check:
        frozen = freeze(expected)

        def check(v: Any, p: str, errs: list[FieldError]) -> None:
            if freeze(v) != frozen:
                errs.append(FieldError(p, "const", {"expected": expected}))

        return check

    def _numeric(self, s: dict[str, Any]) -> list[Check]:
        bounds = [*_COMPARISONS.items(), ("multipleOf", _multiple_of)]
        return [_limit(code, s[code], test, _is_number) for code, test in bounds if code in s]

    def _string(self, s: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        is_str: Callable[[Any], bool] = _TYPE_TESTS["string"]
        if "minLength" in s:
            checks.append(_limit("minLength", s["minLength"], lambda v, n: len(v) >= n, is_str))
        if "maxLength" in s:
            checks.append(_limit("maxLength", s["maxLength"], lambda v, n: len(v) <= n, is_str))
        if "pattern" in s:
            rx = re.compile(s["pattern"])
            checks.append(_limit("pattern", s["pattern"], lambda v, _: bool(rx.search(v)), is_str))
        fmt = _FORMATS.get(s.get("format", ""))
        if fmt is not None:
            checks.append(_limit("format", s["format"], lambda v, _: fmt(v), is_str))
        return checks

    def _array(self, s: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        is_list: Callable[[Any], bool] = _TYPE_TESTS["array"]
        if "minItems" in s:
            checks.append(_limit("minItems", s["minItems"], lambda v, n: len(v) >= n, is_list))
        if "maxItems" in s:
            checks.append(_limit("maxItems", s["maxItems"], lambda v, n: len(v) <= n, is_list))
        if s.get("uniqueItems") is True:
            checks.append(_limit("uniqueItems", True, _unique, is_list))
        if "items" in s:
            item = self.check(s["items"])

            def items(v: Any, p: str, errs: list[FieldError]) -> None:
                if type(v) is list:
                    for i, x in enumerate(v):
                        item(x, f"{p}/{i}", errs)

            checks.append(items)
        return checks

    def _object(self, s: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        is_obj: Callable[[Any], bool] = _TYPE_TESTS["object"]
        props = {
            name: ("/" + escape(name), self.check(sub))
            for name, sub in s.get("properties", {}).items()
        }
        conditions = [
            (name, self.predicate(sub[VISIBLE_IF]))
            for name, sub in s.get("properties", {}).items()
            if isinstance(sub, dict) and VISIBLE_IF in sub
        ]
        required = list(s.get("required", [])) if self.enforce_required else []
        extra = s.get("additionalProperties", True)
        extra_check = None if extra is True else self.check(extra)
        if props or required or extra_check is not None:
            checks.append(_properties(props, conditions, required, extra, extra_check))
        if "minProperties" in s:
            checks.append(_limit("minProperties", s["minProperties"], _min_len, is_obj))
        if "maxProperties" in s:
            checks.append(_limit("maxProperties", s["maxProperties"], _max_len, is_obj))
        if self.enforce_required and "dependentRequired" in s:
            checks.append(_dependent_required(s["dependentRequired"]))
        return checks

    def _combinators(self, s: dict[str, Any]) -> list[Check]:
        checks: list[Check] = [self.check(sub) for sub in s.get("allOf", [])]
        if "anyOf" in s:
            options = [self.predicate(sub) for sub in s["anyOf"]]
            checks.append(
                _limit("anyOf", None, lambda v, _: any(o(v) for o in options), lambda v: True)
            )
        if "oneOf" in s:
            choices = [self.predicate(sub) for sub in s["oneOf"]]

            def one_of(v: Any, p: str, errs: list[FieldError]) -> None:
                count = sum(1 for c in choices if c(v))
                if count != 1:
                    errs.append(FieldError(p, "oneOf", {"count": count}))

            checks.append(one_of)
        if "not" in s:
            forbidden = self.predicate(s["not"])
            checks.append(_limit("not", None, lambda v, _: not forbidden(v), lambda v: True))
        if "if" in s and ("then" in s or "else" in s):
            condition = self.predicate(s["if"])
            then = self.check(s.get("then", True))
            otherwise = self.check(s.get("else", True))

            def if_then(v: Any, p: str, errs: list[FieldError]) -> None:
                (then if condition(v) else otherwise)(v, p, errs)

            checks.append(if_then)
        return checks


def _limit(
    code: str, limit: Any, test: Callable[[Any, Any], bool], applies: Callable[[Any], bool]
) -> Check:
    params = {"limit": limit, "format": limit}

    def check(v: Any, p: str, errs: list[FieldError]) -> None:
        if applies(v) and not test(v, limit):
            errs.append(FieldError(p, code, params))

    return check


def _multiple_of(v: Any, divisor: Any) -> bool:
    # The same arithmetic as jsonschema, so both agree on every value.
    if isinstance(divisor, float):
        try:
            quotient = v / divisor
            return int(quotient) == quotient
        except (OverflowError, ValueError):
            return False
    return not v % divisor


def _unique(v: list[Any], _: Any) -> bool:
    frozen = [freeze(x) for x in v]
    return len(set(frozen)) == len(frozen)


def _min_len(v: Any, n: int) -> bool:
    return len(v) >= n


def _max_len(v: Any, n: int) -> bool:
    return len(v) <= n


def _properties(
    props: dict[str, tuple[str, Check]],
    conditions: list[tuple[str, Predicate]],
    required: list[str],
    extra: Any,
    extra_check: Check | None,
) -> Check:
    items = list(props.items())

    def check_declared(v: Any, p: str, errs: list[FieldError]) -> None:
        # Other properties are allowed: only the declared ones need a look (conditions mostly).
        if type(v) is not dict:
            return
        hidden = {name for name, visible in conditions if not visible(v)} if conditions else ()
        for name, (where, sub) in items:
            if name in v and name not in hidden:
                sub(v[name], p + where, errs)
        for name in required:
            if name not in v and name not in hidden:
                errs.append(FieldError(p + "/" + escape(name), "required", {"name": name}))

    if extra_check is None:
        return check_declared

    def check(v: Any, p: str, errs: list[FieldError]) -> None:
        if type(v) is not dict:
            return
        hidden = {name for name, visible in conditions if not visible(v)} if conditions else ()
        for name, answer in v.items():
            known = props.get(name)
            if known is not None:
                if name not in hidden:
                    known[1](answer, p + known[0], errs)
            else:
                if extra is False:
                    errs.append(
                        FieldError(p + "/" + escape(name), "additionalProperties", {"name": name})
                    )
                else:
                    extra_check(answer, p + "/" + escape(name), errs)
        for name in required:
            if name not in v and name not in hidden:
                errs.append(FieldError(p + "/" + escape(name), "required", {"name": name}))

    return check


def _dependent_required(rules: Mapping[str, list[str]]) -> Check:
    def check(v: Any, p: str, errs: list[FieldError]) -> None:
        if type(v) is not dict:
            return
        for trigger, needed in rules.items():
            if trigger in v:
                for name in needed:
                    if name not in v:
                        errs.append(FieldError(p + "/" + escape(name), "required", {"name": name}))

    return check
