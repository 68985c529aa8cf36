"""The small closures a compiled schema is made of: each checks one keyword."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.forms.json_values import escape, freeze


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with the answers: where (JSON pointer), what (message code), details."""

    pointer: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


Check = Callable[[Any, str, list[FieldError]], None]
Predicate = Callable[[Any], bool]


def run_all(checks: list[Check]) -> Check:
    if not checks:
        return lambda v, p, errs: None
    if len(checks) == 1:
        return checks[0]

    def run(v: Any, p: str, errs: list[FieldError]) -> None:
        for c in checks:
            c(v, p, errs)

    return run


def limit(
    code: str, limit: Any, test: Callable[[Any, Any], bool], applies: Callable[[Any], bool]
) -> Check:
    params = {"limit": limit, "format": limit}

    def check(v: Any, p: str, errs: list[FieldError]) -> None:
        if applies(v) and not test(v, limit):
            errs.append(FieldError(p, code, params))

    return check


def multiple_of(v: Any, divisor: Any) -> bool:
    # The same arithmetic as jsonschema, so both agree on every value.
    if isinstance(divisor, float):
        try:
            quotient: float = v / divisor
            return int(quotient) == quotient
        except (OverflowError, ValueError):
            return False
    return not v % divisor


def unique(v: list[Any], _: Any) -> bool:
    frozen = [freeze(x) for x in v]
    return len(set(frozen)) == len(frozen)


def min_len(v: Any, n: int) -> bool:
    return len(v) >= n


def max_len(v: Any, n: int) -> bool:
    return len(v) <= n


Quick = tuple[frozenset[int], frozenset[str], bool]  # valid integers, texts, any boolean


def properties_check(
    props: dict[str, tuple[str, Check]],
    conditions: list[tuple[str, Predicate]],
    required: list[str],
    extra: Any,
    extra_check: Check | None,
    quick: dict[str, Quick] | None = None,
) -> Check:
    """Checks an object's properties. `quick` lists plain enums and booleans: a valid answer
    to those is recognised inline (the common case); anything else gets the full check."""
    quick = quick or {}
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
            fast = quick.get(name)
            if fast is not None:
                t = type(answer)
                if (
                    (t is int and answer in fast[0])
                    or (t is str and answer in fast[1])
                    or (t is bool and fast[2])
                ):
                    continue
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


def dependent_required(rules: Mapping[str, list[str]]) -> Check:
    def check(v: Any, p: str, errs: list[FieldError]) -> None:
        if type(v) is not dict:
            return
        for trigger, needed in rules.items():
            if trigger in v:
                for name in needed:
                    if name not in v:
                        errs.append(FieldError(p + "/" + escape(name), "required", {"name": name}))

    return check
