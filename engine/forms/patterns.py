"""`pattern` as JSON Schema means it: ECMA-262 regular expressions, run with bounded time.

One engine at lint and at run time: a pattern is parsed as ECMA-262 (with the `u` flag, as
JSON Schema recommends), translated into the `regex` module's syntax with ECMA's meaning
(`\\d` is ASCII, `.` stops at line terminators, `$` is the end of the text, `\\p{Han}` is a
Unicode property), and matched with a time limit. Patterns whose matching time can explode
(a repeated group that itself repeats, or whose branches overlap) are refused by the lint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import regex

# The time one match may take at run time; a slower answer is reported, never waited for.
MATCH_TIMEOUT = 0.1
# The time the lint gives a pattern on each text built to make it backtrack.
PROBE_TIMEOUT = 0.05
MAX_PATTERN = 1000  # characters; a longer pattern is refused

_LINE_END = "\\n\\r\\u2028\\u2029"
_DIGIT = "0-9"
_WORD = "A-Za-z0-9_"
_SPACE = "\\t\\n\\x0b\\f\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_CLASS_ESCAPES = {"d": _DIGIT, "w": _WORD, "s": _SPACE}
_SYNTAX = set("^$\\.*+?()[]{}|/")
_CONTROL = {"t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r"}
_UNBOUNDED = 1_000_000


class PatternError(ValueError):
    """Not an ECMA-262 regular expression; `position` is where reading stopped."""

    def __init__(self, detail: str, position: int) -> None:
        self.detail = detail
        self.position = position
        super().__init__(f"{detail} (at character {position + 1})")


@dataclass
class _Node:
    """A piece of the parsed pattern: enough to judge its matching time and sample it."""

    kind: str  # "char", "set", "group", "alt", "seq", "repeat", "assert", "backref"
    sample: str = ""  # one text this piece matches (for building probes)
    children: list[_Node] = field(default_factory=list)
    low: int = 1
    high: int = 1
    text: str = ""  # the piece as translated

    @property
    def variable(self) -> bool:
        """Whether the piece can match texts of different lengths."""
        if self.kind == "repeat":
            return self.low != self.high or any(c.variable for c in self.children)
        if self.kind == "alt":
            return True
        return any(c.variable for c in self.children)


def _escape_char(ch: str) -> str:
    """A literal character written safely for the regex module (VERSION1 sets included)."""
    if ch.isalnum() or ch == "_" or ord(ch) > 127:
        return ch
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x20 or ord(ch) == 0x7F else "\\" + ch


_CANDIDATES = "aA0中 _!-.\u00e9\n"


def _sample_of(text: str) -> str:
    """A character a translated set matches (for probes), or "" when none of a few does."""
    try:
        compiled = regex.compile(text, regex.VERSION1)
    except regex.error:
        return ""
    return next((c for c in _CANDIDATES if compiled.fullmatch(c)), "")


class _Translator:
    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.groups = 0
        self.names: set[str] = set()
        self.backrefs: list[tuple[str | int, int]] = []

    # -- reading ---------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> str:
        j = self.i + ahead
        return self.p[j] if j < len(self.p) else ""

    def fail(self, detail: str) -> PatternError:
        return PatternError(detail, self.i)

    def translate(self) -> tuple[str, _Node]:
        out, node = self.alternation()
        if self.i < len(self.p):
            raise self.fail("unmatched ')'")
        for ref, at in self.backrefs:
            if (isinstance(ref, int) and ref > self.groups) or (
                isinstance(ref, str) and ref not in self.names
            ):
                raise PatternError("a back-reference to a group that does not exist", at)
        return out, node

    def alternation(self) -> tuple[str, _Node]:
        parts = [self.sequence()]
        while self.peek() == "|":
            self.i += 1
            parts.append(self.sequence())
        if len(parts) == 1:
            return parts[0]
        node = _Node("alt", parts[0][1].sample, [n for _, n in parts])
        return "|".join(text for text, _ in parts), node

    def sequence(self) -> tuple[str, _Node]:
        texts: list[str] = []
        nodes: list[_Node] = []
        while self.i < len(self.p) and self.peek() not in "|)":
            text, node = self.quantified()
            texts.append(text)
            nodes.append(node)
        return "".join(texts), _Node("seq", "".join(n.sample for n in nodes), nodes)

    def quantified(self) -> tuple[str, _Node]:
        start = self.i
        text, node = self.atom()
        node.text = text
        if node.kind == "set":
            node.sample = _sample_of(text)
        ch = self.peek()
        bounds: tuple[int, int] | None = None
        if ch in ("*", "+", "?"):
            self.i += 1
            bounds = {"*": (0, _UNBOUNDED), "+": (1, _UNBOUNDED), "?": (0, 1)}[ch]
            quantifier = ch
        elif ch == "{" and (braces := self._braces()) is not None:
            bounds, quantifier = braces
        else:
            return text, node
        if node.kind == "assert":
            raise PatternError("a quantifier after an assertion", start)
        if self.peek() == "?":
            self.i += 1
            quantifier += "?"
        low, high = bounds
        repeated = _Node("repeat", node.sample * max(low, 1), [node], low, high)
        repeated.text = text + quantifier
        return repeated.text, repeated

    def _braces(self) -> tuple[tuple[int, int], str] | None:
        match = regex.match(r"\{(\d+)(,(\d*))?\}", self.p[self.i :])
        if match is None:
            raise self.fail("'{' must be escaped when it is not a quantifier")
        low = int(match.group(1))
        high = low if match.group(2) is None else int(match.group(3) or _UNBOUNDED)
        if high < low:
            raise self.fail("numbers out of order in a {} quantifier")
        self.i += match.end()
        return (low, min(high, _UNBOUNDED)), match.group(0)

    def atom(self) -> tuple[str, _Node]:
        ch = self.peek()
        if ch == "(":
            return self.group()
        if ch == "[":
            return self.char_class()
        if ch == "\\":
            return self.escape()
        self.i += 1
        if ch == ".":
            return f"[^{_LINE_END}]", _Node("set", "a")
        if ch == "^":
            return "^", _Node("assert")
        if ch == "$":
            return "\\Z", _Node("assert")  # ECMA's $ never matches before a final newline
        if ch in "*+?{":
            raise PatternError(f"nothing to repeat before '{ch}'", self.i - 1)
        if ch in ")]}":
            raise PatternError(f"lone '{ch}'", self.i - 1)
        return _escape_char(ch), _Node("char", ch)

    def group(self) -> tuple[str, _Node]:
        self.i += 1
        head = ""
        kind = "group"
        if self.peek() == "?":
            two = self.p[self.i : self.i + 3]
            if two.startswith("?:"):
                self.i += 2
                head = "?:"
            elif two in ("?<=", "?<!") or two[:2] in ("?=", "?!"):
                head = two if two in ("?<=", "?<!") else two[:2]
                self.i += len(head)
                kind = "assert"
            elif two.startswith("?<"):
                match = regex.match(r"\?<([A-Za-z_$][A-Za-z0-9_$]*)>", self.p[self.i :])
                if match is None:
                    raise self.fail("a group name must be a name")
                name = match.group(1)
                if name in self.names:
                    raise self.fail(f"two groups named {name}")
                self.names.add(name)
                self.groups += 1
                self.i += match.end()
                head = f"?P<{name}>"
            else:
                raise self.fail("not an ECMA-262 group (Python-only syntax?)")
        else:
            self.groups += 1
        inner, node = self.alternation()
        if self.peek() != ")":
            raise self.fail("missing ')'")
        self.i += 1
        wrapped = _Node(kind, "" if kind == "assert" else node.sample, [node])
        return f"({head}{inner})", wrapped

    def escape(self) -> tuple[str, _Node]:
        start = self.i
        self.i += 1
        ch = self.peek()
        if not ch:
            raise self.fail("the pattern ends with a lone '\\'")
        self.i += 1
        if ch in _CLASS_ESCAPES:
            return f"[{_CLASS_ESCAPES[ch]}]", _Node("set", "0" if ch == "d" else "a")
        if ch.lower() in _CLASS_ESCAPES:
            return f"[^{_CLASS_ESCAPES[ch.lower()]}]", _Node("set", "!")
        if ch == "b":
            w = f"[{_WORD}]"
            return f"(?:(?<={w})(?!{w})|(?<!{w})(?={w}))", _Node("assert")
        if ch == "B":
            w = f"[{_WORD}]"
            return f"(?:(?<={w})(?={w})|(?<!{w})(?!{w}))", _Node("assert")
        if ch in "pP":
            prop = self._property(ch)
            return prop, _Node("set", "中" if "Han" in prop else "a")
        if ch == "k":
            match = regex.match(r"<([A-Za-z_$][A-Za-z0-9_$]*)>", self.p[self.i :])
            if match is None:
                raise self.fail("\\k must name a group: \\k<name>")
            self.i += match.end()
            self.backrefs.append((match.group(1), start))
            return f"(?P={match.group(1)})", _Node("backref")
        if ch.isdigit() and ch != "0":
            digits = ch
            while self.peek().isdigit():
                digits += self.peek()
                self.i += 1
            self.backrefs.append((int(digits), start))
            return f"(?:\\{digits})", _Node("backref")
        literal = self._literal_escape(ch)
        return _escape_char(literal), _Node("char", literal)

    def _property(self, ch: str) -> str:
        match = regex.match(r"\{([A-Za-z_]+(=[A-Za-z_]+)?)\}", self.p[self.i :])
        if match is None:
            raise self.fail(f"\\{ch} must be followed by a property in braces, e.g. \\p{{Han}}")
        text = f"\\{ch}{{{match.group(1)}}}"
        try:
            regex.compile(text)
        except regex.error as exc:
            raise self.fail(f"unknown Unicode property {match.group(1)}") from exc
        self.i += match.end()
        return text

    def _literal_escape(self, ch: str) -> str:
        """The character an escape that stands for one character means."""
        if ch in _CONTROL:
            return _CONTROL[ch]
        if ch == "0" and not self.peek().isdigit():
            return "\0"
        if ch == "c" and self.peek().isalpha() and self.peek().isascii():
            self.i += 1
            return chr(ord(self.p[self.i - 1]) % 32)
        if ch == "x":
            match = regex.match(r"[0-9A-Fa-f]{2}", self.p[self.i :])
            if match is None:
                raise self.fail("\\x needs two hexadecimal digits")
            self.i += 2
            return chr(int(match.group(0), 16))
        if ch == "u":
            match = regex.match(r"\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{4})", self.p[self.i :])
            if match is None:
                raise self.fail("\\u needs four hexadecimal digits or {…}")
            code = int(match.group(1) or match.group(2), 16)
            if code > 0x10FFFF:
                raise self.fail("\\u{…} beyond the last Unicode character")
            self.i += match.end()
            if 0xD800 <= code <= 0xDBFF:  # a surrogate pair written as two \u escapes
                low = regex.match(r"\\u([dD][c-fC-F][0-9A-Fa-f]{2})", self.p[self.i :])
                if low is not None:
                    self.i += low.end()
                    code = 0x10000 + ((code - 0xD800) << 10) + (int(low.group(1), 16) - 0xDC00)
            return chr(code)
        if ch in _SYNTAX or ch == "-":
            return ch
        raise PatternError(f"'\\{ch}' is not an ECMA-262 escape", self.i - 2)

    def char_class(self) -> tuple[str, _Node]:
        self.i += 1
        negated = self.peek() == "^"
        if negated:
            self.i += 1
        items: list[str] = []
        sample = ""
        while True:
            ch = self.peek()
            if not ch:
                raise self.fail("missing ']'")
            if ch == "]":
                self.i += 1
                break
            first, single = self._class_atom()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.i += 1
                _, end_single = self._class_atom()
                if single is None or end_single is None:
                    raise self.fail("a range in a class must be between two characters")
                if ord(single) > ord(end_single):
                    raise self.fail("range out of order in a character class")
                items.append(f"{_escape_char(single)}-{_escape_char(end_single)}")
                sample = sample or single
                continue
            items.append(first if first is not None else _escape_char(single or ""))
            sample = sample or (single or "a")
        if not items:  # [] matches nothing, [^] anything
            return ("[\\s\\S]" if negated else "(?!)"), _Node("set", "a")
        body = "".join(items)
        return f"[{'^' if negated else ''}{body}]", _Node("set", "!" if negated else sample)

    def _class_atom(self) -> tuple[str | None, str | None]:
        """A member of a class: (its text when it is a set, its character when it is one)."""
        ch = self.peek()
        if ch != "\\":
            self.i += 1
            return None, ch
        self.i += 1
        ch = self.peek()
        self.i += 1
        if ch in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[ch], None
        if ch.lower() in _CLASS_ESCAPES:
            return f"[^{_CLASS_ESCAPES[ch.lower()]}]", None  # a nested set (regex VERSION1)
        if ch in "pP":
            return self._property(ch), None
        if ch == "b":
            return None, "\b"
        if ch == "-":
            return None, "-"
        return None, self._literal_escape(ch)


def _probe_texts(node: _Node) -> list[str]:
    """Texts that make a backtracking engine try every way a repeated piece can match."""
    texts = []

    def visit(n: _Node) -> None:
        if n.kind == "repeat" and n.high > 1 and n.children[0].sample:
            unit = n.children[0].sample
            for tail in ("!", "\0", ""):
                texts.append(unit * max(24, 48 // len(unit)) + tail)
        for c in n.children:
            visit(c)

    visit(node)
    return texts[:12]


def _min_length(node: _Node) -> int:
    if node.kind in ("char", "set"):
        return 1
    if node.kind in ("assert", "backref"):
        return 0
    if node.kind == "alt":
        return min(_min_length(c) for c in node.children)
    if node.kind == "repeat":
        return node.low * _min_length(node.children[0])
    return sum(_min_length(c) for c in node.children)


def _unwrap(node: _Node) -> _Node:
    while node.kind == "group" and len(node.children) == 1:
        node = node.children[0]
    return node


def _first_char(node: _Node) -> str:
    return node.sample[:1]


def _ambiguous_repeat(body: _Node) -> bool:
    """Whether an iteration of a repeated `body` can be split between a variable-length piece
    of it in more than one way: `(a+)+`, `(\\w+\\s?)*`, `(a+a)+` (not `([a-z]+,)*`)."""
    body = _unwrap(body)
    branches = body.children if body.kind == "alt" else [body]
    for branch in branches:
        items = [_unwrap(c) for c in (branch.children if branch.kind == "seq" else [branch])]
        for k, item in enumerate(items):
            if item.kind != "repeat" or not item.variable:
                continue
            before, after = items[:k], items[k + 1 :]
            if sum(map(_min_length, after)) == 0 and sum(map(_min_length, before)) == 0:
                return True
            following = next((n for n in after if _min_length(n) > 0), None)
            unit = item.children[0]
            if following is not None and _first_char(following):
                try:
                    if regex.fullmatch(unit.text, _first_char(following), regex.VERSION1):
                        return True
                except regex.error:
                    return True
    return False


def _slow_structure(node: _Node) -> bool:
    if node.kind == "repeat" and node.high > 1 and _ambiguous_repeat(node.children[0]):
        return True
    return any(_slow_structure(c) for c in node.children)


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    source: str
    translated: str
    compiled: regex.Pattern[str]

    def search(self, text: str) -> bool:
        """Whether the pattern matches somewhere in `text`; TimeoutError when too slow."""
        return self.compiled.search(text, timeout=MATCH_TIMEOUT) is not None


@lru_cache(maxsize=4096)
def _parsed(pattern: str) -> tuple[str, _Node]:
    if len(pattern) > MAX_PATTERN:
        raise PatternError(f"longer than {MAX_PATTERN} characters", MAX_PATTERN)
    return _Translator(pattern).translate()


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> CompiledPattern:
    """The pattern, ready to match as ECMA-262 would; PatternError when it is not one."""
    translated, _ = _parsed(pattern)
    try:
        compiled = regex.compile(translated, regex.VERSION1)
    except regex.error as exc:  # e.g. a look-behind the engine cannot run
        raise PatternError(str(exc), 0) from exc
    return CompiledPattern(pattern, translated, compiled)


def pattern_problem(pattern: str) -> tuple[str, str] | None:
    """Why a pattern is refused: ("bad-pattern", detail) or ("slow-pattern", detail); or None."""
    try:
        compiled = compile_pattern(pattern)
        _, tree = _parsed(pattern)
    except PatternError as exc:
        return "bad-pattern", str(exc)
    if _slow_structure(tree):
        return "slow-pattern", "a repeated group can split the same text in many ways"
    for text in _probe_texts(tree):
        try:
            compiled.compiled.search(text, timeout=PROBE_TIMEOUT)
        except TimeoutError:
            return "slow-pattern", f"matching {len(text)} characters took too long"
    return None


def pattern_test(pattern: str) -> Callable[[str], bool]:
    """A test for texts; a text that takes too long to judge fails (a `TimeoutError`)."""
    return compile_pattern(pattern).search
