"""XLSForm expressions (`relevant`, `constraint`) as JSON Schema conditions.

The common forms: comparisons of `${item}` or `.` with a number or a text, `selected()`,
`count-selected()`, `string-length()`, `regex()`, `and` / `or` / `not()`, parentheses. A
condition about other items becomes a fragment tested against the answers (as `x-visible-if`
is); a constraint on `.` becomes keywords on the item itself. Anything else is refused with
the reason, and the caller reports it as a warning or a problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_TOKEN = re.compile(
    r"\s*(?:(?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.-]*\})|(?P<num>-?\d+(?:\.\d+)?)"
    r"|(?P<str>'[^']*'|\"[^\"]*\")|(?P<op>!=|>=|<=|=|>|<)|(?P<punct>[(),])"
    r"|(?P<dot>\.(?![\d]))|(?P<word>[A-Za-z_][A-Za-z0-9_-]*))"
)
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "=": "=", "!=": "!="}


class Untranslatable(ValueError):
    """An expression careforms cannot express as JSON Schema."""


Coerce = Callable[[str, Any], Any]  # (item name, literal) → the value as the item stores it


def tokens(text: str) -> list[tuple[str, str]]:
    out, i = [], 0
    while i < len(text):
        if text[i:].strip() == "":
            break
        match = _TOKEN.match(text, i)
        if match is None or match.end() == i:
            raise Untranslatable(f"cannot read “{text[i : i + 12]}”")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        i = match.end()
    return out


class _Parser:
    def __init__(self, text: str, coerce: Coerce) -> None:
        self.items = tokens(text)
        self.i = 0
        self.coerce = coerce

    def peek(self) -> tuple[str, str]:
        return self.items[self.i] if self.i < len(self.items) else ("end", "")

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if value is not None and token[1] != value:
            raise Untranslatable(f"expected “{value}”, found “{token[1] or 'the end'}”")
        self.i += 1
        return token

    def parse(self) -> Any:
        result = self.disjunction()
        if self.peek()[0] != "end":
            raise Untranslatable(f"unexpected “{self.peek()[1]}”")
        return result

    def disjunction(self) -> Any:
        parts = [self.conjunction()]
        while self.peek() == ("word", "or"):
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else ("anyOf", parts)

    def conjunction(self) -> Any:
        parts = [self.unary()]
        while self.peek() == ("word", "and"):
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else ("allOf", parts)

    def unary(self) -> Any:
        kind, value = self.peek()
        if (kind, value) == ("word", "not"):
            self.take()
            self.take("(")
            inner = self.disjunction()
            self.take(")")
            return ("not", inner)
        if value == "(":
            self.take()
            inner = self.disjunction()
            self.take(")")
            return inner
        return self.comparison()

    def operand(self) -> tuple[str, Any]:
        kind, value = self.take()
        if kind == "ref":
            return "item", value[2:-1]
        if kind == "dot":
            return "item", "."
        if kind == "num":
            return "value", float(value) if "." in value else int(value)
        if kind == "str":
            return "value", value[1:-1]
        if kind == "word" and self.peek()[1] == "(":
            return "call", self.call(value)
        raise Untranslatable(f"unexpected “{value or 'the end'}”")

    def call(self, name: str) -> tuple[str, list[tuple[str, Any]]]:
        self.take("(")
        args = [self.operand()]
        while self.peek()[1] == ",":
            self.take()
            args.append(self.operand())
        self.take(")")
        return name, args

    def comparison(self) -> Any:
        left = self.operand()
        if left[0] == "call" and left[1][0] in ("selected", "regex") and self.peek()[0] != "op":
            return ("call", left[1])
        kind, op = self.take()
        if kind != "op":
            raise Untranslatable(f"expected a comparison, found “{op or 'the end'}”")
        right = self.operand()
        if left[0] == "value" and right[0] != "value":
            left, right, op = right, left, _FLIP[op]
        return ("compare", left, op, right)


_BOUNDS = {">": "exclusiveMinimum", ">=": "minimum", "<": "exclusiveMaximum", "<=": "maximum"}
_LENGTH: dict[str, tuple[str, int] | None] = {">=": ("minLength", 0), ">": ("minLength", 1),
    "<=": ("maxLength", 0), "<": ("maxLength", -1), "=": None}  # fmt: skip
_COUNT: dict[str, tuple[str, int] | None] = {">=": ("minItems", 0), ">": ("minItems", 1),
    "<=": ("maxItems", 0), "<": ("maxItems", -1), "=": None}  # fmt: skip


def _on_value(op: str, value: Any) -> dict[str, Any]:
    """Keywords saying that a value compares so with `value`."""
    if op == "=":
        return {"const": value}
    if op == "!=":
        return {"not": {"const": value}}
    if not isinstance(value, int | float):
        raise Untranslatable("only numbers can be compared with < or >")
    return {_BOUNDS[op]: value}


def _keywords(node: Any, coerce: Coerce) -> tuple[str, dict[str, Any]]:
    """(item name or ".", keywords on that item) for one comparison or call."""
    if node[0] == "call":
        name, args = node[1]
        if name == "selected" and len(args) == 2 and args[0][0] == "item":
            item = args[0][1]
            value = coerce(item, args[1][1])
            return item, {
                "anyOf": [{"const": value}, {"type": "array", "contains": {"const": value}}]
            }
        if name == "regex" and len(args) == 2 and args[0][0] == "item":
            return args[0][1], {"type": "string", "pattern": str(args[1][1])}
        raise Untranslatable(f"the function {name}() is not supported here")
    _, left, op, right = node
    if right[0] != "value":
        raise Untranslatable("a comparison between two items cannot be expressed")
    if left[0] == "item":
        item = left[1]
        value = right[1] if item == "." else coerce(item, right[1])
        if value == "" and op in ("=", "!="):
            return item, {"__answered__": op == "!="}
        return item, _on_value(op, value)
    if left[0] == "call":
        name, args = left[1]
        if len(args) == 1 and args[0][0] == "item" and isinstance(right[1], int):
            table: dict[str, tuple[str, int] | None] | None = {
                "string-length": _LENGTH,
                "count-selected": _COUNT,
            }.get(name)
            if table is not None and op in table:
                if op == "=":
                    key = "Length" if name == "string-length" else "Items"
                    return args[0][1], {f"min{key}": right[1], f"max{key}": right[1]}
                keyword, shift = table[op] or ("", 0)
                return args[0][1], {keyword: right[1] + shift}
        raise Untranslatable(f"the function {name}() is not supported here")
    raise Untranslatable("a comparison needs an item on one side")


def condition(text: str, coerce: Coerce) -> dict[str, Any]:
    """A `relevant` expression as a condition on the answers (the `x-visible-if` form)."""

    def build(node: Any) -> dict[str, Any]:
        if node[0] in ("anyOf", "allOf"):
            return {node[0]: [build(n) for n in node[1]]}
        if node[0] == "not":
            return {"not": build(node[1])}
        item, keywords = _keywords(node, coerce)
        if item == ".":
            raise Untranslatable("“.” means the item itself, which a relevance cannot test")
        if "__answered__" in keywords:
            answered = {"required": [item]}
            return answered if keywords["__answered__"] else {"not": answered}
        return {"properties": {item: keywords}, "required": [item]}

    return build(_Parser(text, coerce).parse())


def constraint(text: str, coerce: Coerce) -> dict[str, Any]:
    """A `constraint` on `.` as keywords of the item itself."""

    def build(node: Any) -> dict[str, Any]:
        if node[0] in ("anyOf", "allOf"):
            parts = [build(n) for n in node[1]]
            return {node[0]: parts}
        if node[0] == "not":
            return {"not": build(node[1])}
        item, keywords = _keywords(node, coerce)
        if item != ".":
            raise Untranslatable("a constraint that names another item cannot be expressed")
        if "__answered__" in keywords:
            raise Untranslatable("use required for an answer that must be given")
        return keywords

    return build(_Parser(text, coerce).parse())
