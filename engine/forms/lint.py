"""Checking a form definition: every problem, placed by file and JSON pointer."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from engine.forms.lint_semantics import semantic_problems
from engine.forms.patterns import pattern_problem
from engine.forms.problems import Problem, meta_detail, pointer, suggestion
from engine.forms.references import reference_problems, schemas
from engine.forms.vocabulary import (
    ALL_KEYWORDS,
    FORM_KEYWORDS,
    STANDARD_KEYWORDS,
    SUBSCHEMA,
    SUBSCHEMA_LISTS,
    SUBSCHEMA_MAPS,
)


@cache
def meta_schema() -> dict[str, Any]:
    text = resources.files("forms.meta").joinpath("form.schema.json").read_text("utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


@cache
def _meta_validator() -> Draft202012Validator:
    return Draft202012Validator(meta_schema())


def _no_network(uri: str) -> Any:
    raise ValueError(f"a meta-schema never fetches anything: {uri}")


@cache
def _quick_meta() -> tuple[Any, Any] | None:
    """jsonschema-rs validators of the two meta-schemas: a valid form (the usual case) is
    recognised about a thousand times faster; only a form with problems is read again by
    jsonschema, whose errors our messages are made from."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    standard = Draft202012Validator.META_SCHEMA
    return (
        jsonschema_rs.Draft202012Validator(standard, retriever=_no_network),
        jsonschema_rs.Draft202012Validator(meta_schema(), retriever=_no_network),
    )


def _quickly_valid(doc: Any, which: int) -> bool:
    quick = _quick_meta()
    if quick is None:
        return False
    try:
        return bool(quick[which].is_valid(doc))
    except Exception:  # whatever it cannot judge, jsonschema judges
        return False


def subschemas(node: Any, at: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema of a schema (objects only), with its pointer, the root first."""
    if not isinstance(node, dict):
        return
    yield at, node
    for key, value in node.items():
        if key in SUBSCHEMA:
            yield from subschemas(value, at + pointer(key))
        elif key in SUBSCHEMA_LISTS and isinstance(value, list):
            for i, sub in enumerate(value):
                yield from subschemas(sub, at + pointer(key, i))
        elif key in SUBSCHEMA_MAPS and isinstance(value, dict):
            for name, sub in value.items():
                yield from subschemas(sub, at + pointer(key, name))


def _keyword_problems(doc: dict[str, Any], file: str) -> list[Problem]:
    problems = []
    top_fields = {pointer("properties", n) for n in doc.get("properties", {})}
    for at, node in subschemas(doc):
        for key in node:
            where = at + pointer(key)
            if key.startswith("x-"):
                if key not in ALL_KEYWORDS:
                    problems.append(
                        Problem(
                            "unknown-keyword",
                            file,
                            where,
                            {"keyword": key, "suggestion": suggestion(key, ALL_KEYWORDS)},
                        )
                    )
                elif key in FORM_KEYWORDS and at:
                    problems.append(
                        Problem(
                            "misplaced-keyword",
                            file,
                            where,
                            {"keyword": key, "place": "lint.place.root"},
                        )
                    )
                elif key == "x-score" and at not in top_fields:
                    problems.append(
                        Problem(
                            "misplaced-keyword",
                            file,
                            where,
                            {"keyword": key, "place": "lint.place.top-field"},
                        )
                    )
            elif key == "dependencies":  # draft 7: split in two in 2020-12
                problems.append(Problem("older-draft-dependencies", file, where))
            elif key not in STANDARD_KEYWORDS:
                problems.append(
                    Problem(
                        "unknown-keyword",
                        file,
                        where,
                        {
                            "keyword": key,
                            "suggestion": suggestion(key, STANDARD_KEYWORDS | ALL_KEYWORDS),
                        },
                    )
                )
    return problems


def _schema_problems(doc: dict[str, Any], file: str) -> list[Problem]:
    """The form must be valid JSON Schema (its x- keywords are checked by the meta-schema)."""
    if _quickly_valid(doc, 0):
        return []
    validator = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    problems = []
    for error in validator.iter_errors(doc):
        path = list(error.absolute_path)
        if any(str(p).startswith("x-") for p in path):
            continue
        if path and path[-1] == "items" and isinstance(error.instance, list):
            problems.append(Problem("older-draft-items", file, pointer(*path)))  # tuple items
            continue
        problems.append(Problem("invalid-schema", file, pointer(*path), {"detail": error.message}))
    return problems


def _in_condition(path: list[Any]) -> bool:
    """Whether a meta-schema error lies inside a condition (a JSON Schema fragment)."""
    for i, part in enumerate(path[:-1]):
        if part == "x-visible-if" or (part == "when" and i >= 2 and path[i - 2] == "x-red-flags"):
            return True
    return False


def _vocabulary_problems(doc: dict[str, Any], file: str) -> list[Problem]:
    if _quickly_valid(doc, 1):
        return []
    problems = []
    for error in _meta_validator().iter_errors(doc):
        path = list(error.absolute_path)
        keyword = next((p for p in path if isinstance(p, str) and p.startswith("x-")), None)
        if keyword is None or error.validator == "propertyNames":
            continue  # reported as invalid JSON Schema or as an unknown keyword
        if error.validator == "enum" and path and path[-1] == "x-widget":
            continue  # reported with the list of widgets by the semantic rules
        if _in_condition(path):
            problems.append(Problem("invalid-schema", file, pointer(*path), meta_detail(error)))
        else:
            problems.append(
                Problem(
                    "bad-vocabulary",
                    file,
                    pointer(*path),
                    {"keyword": keyword, **meta_detail(error)},
                )
            )
    return problems


def _pattern_problems(doc: dict[str, Any], file: str) -> list[Problem]:
    """Patterns the engine cannot run as ECMA-262, or whose matching time can explode."""
    problems = []
    for at, node in schemas(doc):
        found = []
        if isinstance(node.get("pattern"), str):
            found.append((at + pointer("pattern"), node["pattern"]))
        if isinstance(node.get("patternProperties"), dict):
            found += [(at + pointer("patternProperties", p), p) for p in node["patternProperties"]]
        for where, pattern in found:
            refused = pattern_problem(pattern)
            if refused is not None:
                code, detail = refused
                problems.append(Problem(code, file, where, {"pattern": pattern, "detail": detail}))
    return problems


def _runtime_problems(doc: dict[str, Any], file: str) -> list[Problem]:
    """What would crash, hang or reach the network at run time: references and patterns."""
    try:
        return reference_problems(doc, file) + _pattern_problems(doc, file)
    except RecursionError:
        return [Problem("too-deep", file, "")]


def lint_form(doc: Any, file: str) -> list[Problem]:
    """Every problem of one parsed form definition."""
    meta = doc.get("x-form") if isinstance(doc, dict) else None
    if not isinstance(meta, dict) or "id" not in meta or "version" not in meta:
        return [Problem("not-a-form", file, "/x-form" if isinstance(doc, dict) else "")]
    try:
        problems = _schema_problems(doc, file)
    except RecursionError:
        return [Problem("too-deep", file, "")]
    problems += _keyword_problems(doc, file)
    misplaced = tuple(p.pointer for p in problems if p.code == "misplaced-keyword")
    problems += [p for p in _vocabulary_problems(doc, file) if not p.pointer.startswith(misplaced)]
    if not problems:
        problems += _runtime_problems(doc, file)
    if not problems:
        try:
            problems += semantic_problems(doc, file)
        except Exception as exc:  # a rule tripped on an unexpected shape: report, never crash
            problems.append(Problem("internal", file, "", {"detail": repr(exc)}))
    return problems


def json_files(paths: Iterable[Path]) -> list[Path]:
    """The JSON files named or contained (not recursively) in the given paths."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.glob("*.json") if p.is_file())
        else:
            files.append(path)
    return files
