"""Compile a JSON Schema (2020-12) into plain Python closures, once per form version.

The closures understand the keywords form authors use; a subschema that uses anything else
(or a reference that is not a plain one inside the form) is handed whole to `jsonschema`
(see `reference_validator`: offline, ECMA-262 patterns), so every valid JSON Schema still
validates as the specification says; a form with resources of its own inside (`$id` below
the root) is handed over whole. On top of the standard, an object's property whose subschema
carries `x-visible-if` is skipped (neither required nor validated) while that condition does
not hold for the object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.forms.conditions import ANNOTATIONS, VISIBLE_IF, simple_predicate
from engine.forms.json_values import (
    COMPARISONS,
    FORMATS,
    TYPE_TESTS,
    Predicate,
    escape,
    freeze,
    is_number,
    member_test,
    resolve_ref,
)
from engine.forms.patterns import pattern_test
from engine.forms.reference_validator import form_validator
from engine.forms.references import has_embedded_resources
from engine.forms.schema_checks import (
    Check,
    FieldError,
    Quick,
    dependent_required,
    limit,
    max_len,
    min_len,
    multiple_of,
    properties_check,
    run_all,
    unique,
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
        "contains",
        "minContains",
        "maxContains",
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


def _quick(schema: Any) -> Quick | None:
    """For a plain enum of integers and texts, or a plain boolean: what is valid."""
    if not isinstance(schema, dict):
        return None
    keywords = {k for k in schema if not k.startswith("x-")} - ANNOTATIONS
    if keywords == {"enum"} and isinstance(schema["enum"], list):
        options = schema["enum"]
        return (
            frozenset(o for o in options if type(o) is int),
            frozenset(o for o in options if type(o) is str),
            False,
        )
    if keywords == {"type"} and schema["type"] == "boolean":
        return (frozenset(), frozenset(), True)
    return None


class SchemaCompiler:
    """Compiles subschemas of one root schema; `$ref`s inside the root resolve lazily."""

    def __init__(self, root: Any, *, enforce_required: bool = True) -> None:
        self.root = root
        # A draft relaxes `required` where answers are checked, never inside conditions
        # (visibility, if, anyOf, oneOf, not): there `required` means "has been answered".
        self.enforce_required = enforce_required
        self._conditions = self if enforce_required else SchemaCompiler(root)
        self._refs: dict[str, Check] = {}
        # jsonschema picks its own class for a schema that names its `$schema`: the root is
        # given without it, so that ours (offline, ECMA-262 patterns) is used throughout.
        bare = {k: v for k, v in root.items() if k != "$schema"} if isinstance(root, dict) else root
        self._fallback = form_validator(bare)
        self._whole = has_embedded_resources(root)

    # -- public -------------------------------------------------------------------
    def check(self, schema: Any) -> Check:
        if schema is True or schema == {}:
            return lambda v, p, errs: None
        if schema is False:
            return lambda v, p, errs: errs.append(FieldError(p, "false"))
        if not isinstance(schema, dict):
            raise TypeError("a schema must be an object or a boolean")
        keywords = {k for k in schema if not k.startswith("x-")} - ANNOTATIONS
        if self._whole or not keywords <= COMPILED or self._has_foreign_ref(schema):
            return self._delegate(schema)
        return self._compile_object(schema)

    def predicate(self, schema: Any) -> Predicate:
        """Whether a value is valid: a plain boolean closure for the keywords conditions use."""
        if self._conditions is not self:
            return self._conditions.predicate(schema)
        fast = simple_predicate(schema)
        if fast is not None:
            return fast
        check = self.check(schema)

        def holds(v: Any) -> bool:
            errs: list[FieldError] = []
            check(v, "", errs)
            return not errs

        return holds

    # -- internals ----------------------------------------------------------------
    def _has_foreign_ref(self, schema: dict[str, Any]) -> bool:
        """Whether a `$ref` names anything but a subschema of this form (meta-schemas…)."""
        ref = schema.get("$ref")
        if not isinstance(ref, str):
            return False
        try:
            resolve_ref(self.root, ref)
        except LookupError:
            return True
        return False

    def _delegate(self, schema: dict[str, Any]) -> Check:
        if schema is self.root:
            schema = {k: v for k, v in schema.items() if k != "$schema"}
        validator = self._fallback.evolve(schema=schema)
        # A draft may leave answers out; inside conditions `required` keeps its meaning.
        relaxed = () if self.enforce_required else ("required", "dependentRequired")

        def check(v: Any, p: str, errs: list[FieldError]) -> None:
            for e in validator.iter_errors(v):
                if e.validator in relaxed:
                    continue
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
        rest = run_all(checks)
        if typed is None:
            return rest

        def check(v: Any, p: str, errs: list[FieldError]) -> None:
            if typed(v, p, errs):
                rest(v, p, errs)

        return check

    def _ref(self, ref: str) -> Check:
        if ref not in self._refs:
            self._refs[ref] = lambda v, p, errs: None  # recursion guard, replaced below
            self._refs[ref] = self.check(resolve_ref(self.root, ref))
        refs = self._refs
        return lambda v, p, errs: refs[ref](v, p, errs)

    def _type(self, type_: str | list[str]) -> Callable[[Any, str, list[FieldError]], bool]:
        names = [type_] if isinstance(type_, str) else list(type_)
        tests = [TYPE_TESTS[n] for n in names]
        expected = names[0] if len(names) == 1 else "/".join(names)

        def ok(v: Any, p: str, errs: list[FieldError]) -> bool:
            for t in tests:
                if t(v):
                    return True
            errs.append(FieldError(p, "type", {"expected": expected}))
            return False

        return ok

    def _enum(self, options: list[Any]) -> Check:
        member = member_test(options)
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
        bounds = [*COMPARISONS.items(), ("multipleOf", multiple_of)]
        return [limit(code, s[code], test, is_number) for code, test in bounds if code in s]

    def _string(self, s: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        is_str: Callable[[Any], bool] = TYPE_TESTS["string"]
        if "minLength" in s:
            checks.append(limit("minLength", s["minLength"], lambda v, n: len(v) >= n, is_str))
        if "maxLength" in s:
            checks.append(limit("maxLength", s["maxLength"], lambda v, n: len(v) <= n, is_str))
        if "pattern" in s:
            search = pattern_test(s["pattern"])

            def matches(v: str, _: Any) -> bool:
                try:
                    return search(v)
                except TimeoutError:  # bounded: an answer too slow to judge is not accepted
                    return False

            checks.append(limit("pattern", s["pattern"], matches, is_str))
        fmt = FORMATS.get(s.get("format", ""))
        if fmt is not None:
            checks.append(limit("format", s["format"], lambda v, _: fmt(v), is_str))
        return checks

    def _array(self, s: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        is_list: Callable[[Any], bool] = TYPE_TESTS["array"]
        if "minItems" in s:
            checks.append(limit("minItems", s["minItems"], lambda v, n: len(v) >= n, is_list))
        if "maxItems" in s:
            checks.append(limit("maxItems", s["maxItems"], lambda v, n: len(v) <= n, is_list))
        if s.get("uniqueItems") is True:
            checks.append(limit("uniqueItems", True, unique, is_list))
        if "items" in s:
            item = self.check(s["items"])

            def items(v: Any, p: str, errs: list[FieldError]) -> None:
                if type(v) is list:
                    for i, x in enumerate(v):
                        item(x, f"{p}/{i}", errs)

            checks.append(items)
        if "contains" in s:
            checks.append(self._contains(s, is_list))
        return checks

    def _contains(self, s: dict[str, Any], is_list: Callable[[Any], bool]) -> Check:
        """`contains` with `minContains`/`maxContains`: rules test family members with it,
        once per child on every schedule, so it is compiled rather than delegated."""
        holds = self.predicate(s["contains"])
        least, most = s.get("minContains", 1), s.get("maxContains")

        def contains(v: Any, p: str, errs: list[FieldError]) -> None:
            if not is_list(v):
                return
            count = sum(1 for x in v if holds(x))
            if count < least or (most is not None and count > most):
                errs.append(FieldError(p, "contains", {"limit": least}))

        return contains

    def _object(self, s: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        is_obj: Callable[[Any], bool] = TYPE_TESTS["object"]
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
        quick = {
            name: q
            for name, sub in s.get("properties", {}).items()
            if (q := _quick(sub)) is not None
        }
        if props or required or extra_check is not None:
            checks.append(properties_check(props, conditions, required, extra, extra_check, quick))
        if "minProperties" in s:
            checks.append(limit("minProperties", s["minProperties"], min_len, is_obj))
        if "maxProperties" in s:
            checks.append(limit("maxProperties", s["maxProperties"], max_len, is_obj))
        if self.enforce_required and "dependentRequired" in s:
            checks.append(dependent_required(s["dependentRequired"]))
        return checks

    def _combinators(self, s: dict[str, Any]) -> list[Check]:
        checks: list[Check] = [self.check(sub) for sub in s.get("allOf", [])]
        if "anyOf" in s:
            options = [self.predicate(sub) for sub in s["anyOf"]]
            checks.append(
                limit("anyOf", None, lambda v, _: any(o(v) for o in options), lambda v: True)
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
            checks.append(limit("not", None, lambda v, _: not forbidden(v), lambda v: True))
        if "if" in s and ("then" in s or "else" in s):
            condition = self.predicate(s["if"])
            then = self.check(s.get("then", True))
            otherwise = self.check(s.get("else", True))

            def if_then(v: Any, p: str, errs: list[FieldError]) -> None:
                (then if condition(v) else otherwise)(v, p, errs)

            checks.append(if_then)
        return checks
