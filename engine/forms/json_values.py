"""JSON values as JSON Schema sees them: types, equality, comparisons, formats."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote

from jsonschema import FormatChecker

Predicate = Callable[[Any], bool]

COMPARISONS: Mapping[str, Callable[[Any, Any], bool]] = {
    "minimum": lambda v, lim: v >= lim,
    "maximum": lambda v, lim: v <= lim,
    "exclusiveMinimum": lambda v, lim: v > lim,
    "exclusiveMaximum": lambda v, lim: v < lim,
}

TYPE_TESTS: Mapping[str, Callable[[Any], bool]] = {
    "string": lambda v: type(v) is str,
    "integer": lambda v: type(v) is int or (type(v) is float and v.is_integer()),
    "number": lambda v: type(v) is int or type(v) is float,
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
    "array": lambda v: type(v) is list,
    "object": lambda v: type(v) is dict,
}


def is_number(v: Any) -> bool:
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
FORMATS: Mapping[str, Callable[[str], bool]] = {
    "date": _date,
    "date-time": _date_time,
    "email": lambda v: _EMAIL.match(v) is not None,
}
# The same format rules for jsonschema (subschemas handed to it) as for compiled closures;
# built from our functions so no optional format package is needed.
FORMAT_CHECKER = FormatChecker(formats=())
for _name, _test in FORMATS.items():
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


def member_test(options: list[Any]) -> Predicate:
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


def _anchored(node: Any, name: str) -> Any:
    """The subschema that declares `$anchor` (or `$dynamicAnchor`) `name`, if any."""
    if isinstance(node, dict):
        if node.get("$anchor") == name or node.get("$dynamicAnchor") == name:
            return node
        children: Any = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _anchored(child, name)
        if found is not None:
            return found
    return None


def resolve_ref(root: Any, ref: str) -> Any:
    """The subschema a reference inside a single-resource form names: `#`, a JSON pointer
    (percent-encoded or not, "#/$defs/a%20b") or an anchor ("#member"). LookupError if none."""
    if not ref.startswith("#"):
        raise LookupError(ref)
    fragment = unquote(ref[1:])
    if fragment and not fragment.startswith("/"):
        found = _anchored(root, fragment)
        if found is None:
            raise LookupError(ref)
        return found
    node: Any = root
    for part in fragment.split("/")[1:] if fragment else []:
        part = part.replace("~1", "/").replace("~0", "~")
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise LookupError(ref) from exc
    return node
