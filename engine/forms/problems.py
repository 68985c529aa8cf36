"""Problems found in form definition files, and reading JSON so that they can be placed."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema.exceptions import ValidationError

from engine.forms.i18n import DEFAULT_LANGUAGE
from engine.forms.messages import message


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: a code from the catalogue, the file, the JSON pointer, details."""

    code: str
    file: str
    pointer: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    line: int | None = None
    column: int | None = None
    warning: bool = False  # said, but the form is still used (e.g. a label taken from title)

    @property
    def location(self) -> str:
        if self.line is not None:
            return f"{self.file}:{self.line}:{self.column}"
        return f"{self.file}#{self.pointer}"

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        params = dict(self.params)
        for key, value in self.params.items():
            if isinstance(value, str) and value.startswith("lint."):
                params[key] = message(value, lang, **self.params)
        suggestion = params.get("suggestion")
        params["hint"] = message("lint.hint", lang, suggestion=suggestion) if suggestion else ""
        return message(f"lint.{self.code}", lang, **params)

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        mark = message("lint.warning", lang) if self.warning else ""
        return f"{self.location}: {mark}[{self.code}] {self.message(lang)}"


def suggestion(word: str, known: Iterable[str]) -> str | None:
    """The known word closest to a misspelt one, if any is close."""
    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return close[0] if close else None


def pointer(*parts: object) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


class _Duplicates:
    """Remembers objects that had a key twice, to report them with their pointer."""

    def __init__(self) -> None:
        self.found: list[tuple[dict[str, Any], str]] = []

    def hook(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                self.found.append((result, key))
            result[key] = value
        return result


def _locate(doc: Any, target: dict[str, Any], at: str = "") -> str | None:
    if doc is target:
        return at
    children = (
        doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    )
    for key, child in children:
        if isinstance(child, dict | list):
            found = _locate(child, target, at + pointer(key))
            if found is not None:
                return found
    return None


def read_json(path: Path) -> tuple[Any, list[Problem]]:
    """The parsed document, or None with the problems that prevented reading it."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem("unreadable", name, params={"detail": str(exc)})]
    duplicates = _Duplicates()
    try:
        doc = json.loads(text, object_pairs_hook=duplicates.hook)
    except json.JSONDecodeError as exc:
        return None, [
            Problem(
                "invalid-json",
                name,
                params={
                    "detail": exc.msg,
                    "line": exc.lineno,
                    "column": exc.colno,
                },
                line=exc.lineno,
                column=exc.colno,
            )
        ]
    problems = [
        Problem(
            "duplicate-key",
            name,
            pointer=(_locate(doc, obj) or "") + pointer(key),
            params={"key": key},
        )
        for obj, key in duplicates.found
    ]
    return doc, problems


_COLOUR = "#RRGGBB"


def meta_detail(error: ValidationError) -> dict[str, Any]:
    """Parameters of a readable sentence for a meta-schema error."""
    # A validator sets these on every error it yields (the stubs also allow `Unset`, for an
    # error made by hand); the keyword's value and the instance are any JSON value.
    kind = error.validator
    expected: Any = error.validator_value
    value: Any = error.instance
    if kind == "required":
        missing = next((r for r in expected if r not in value), "?")
        return {"detail": "lint.detail.required", "missing": missing}
    if kind == "type":
        return {"detail": "lint.detail.type", "expected": expected}
    if kind == "pattern":
        shown = _COLOUR if expected.startswith("^#") else expected
        return {"detail": "lint.detail.pattern", "value": value, "expected": shown}
    if kind == "enum":
        return {"detail": "lint.detail.enum", "expected": ", ".join(map(str, expected))}
    if kind == "additionalProperties":
        assert isinstance(error.schema, Mapping)  # the schema that holds the keyword
        extra = sorted(set(value) - set(error.schema.get("properties", {})))
        return {"detail": "lint.detail.additionalProperties", "value": ", ".join(extra)}
    if kind in {"minItems", "minimum", "minLength", "minProperties"}:
        return {"detail": f"lint.detail.{kind}", "expected": expected}
    return {"detail": "lint.detail.other", "raw": error.message}
