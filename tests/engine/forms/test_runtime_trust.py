"""Forms that passed the check and then crashed, hung or reached the network at run time are
now lint problems (code and JSON pointer); patterns run as ECMA-262, bounded in time."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from engine.definitions import lint_paths
from engine.forms.form import Form
from engine.forms.lint import lint_form
from engine.forms.patterns import PatternError, compile_pattern, pattern_problem
from engine.forms.registry import FormRegistry
from engine.forms.validation import validate


def form(properties: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "x-form": {"id": "t", "version": 1, "title": {"zh-CN": "测", "en": "T"}},
        "type": "object",
        "properties": {
            name: {"x-label": {"zh-CN": name, "en": name}, **schema}
            for name, schema in properties.items()
        },
        **top,
    }


def codes(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """The problems found, labels of nested items aside (their rules are another matter: a
    missing label is only a warning, the title or name standing in)."""
    return [
        (p.code, p.pointer)
        for p in lint_form(doc, "f.json")
        if p.code != "missing-label" and not p.warning
    ]


def test_a_ref_cycle_is_a_problem_not_a_recursion_error() -> None:
    defs = {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}
    doc = form({"x": {"$ref": "#/$defs/a"}}, **{"$defs": defs})
    assert codes(doc) == [("ref-cycle", "/$defs/b/allOf/0/$ref")]
    recursive = form(
        {"tree": {"$ref": "#/$defs/node"}},
        **{"$defs": {"node": {"type": "object", "properties": {"kids": {
            "type": "array", "items": {"$ref": "#/$defs/node"}}}}}},
    )  # fmt: skip
    assert codes(recursive) == []  # recursion through the answers' own structure is fine
    checked = Form(recursive)
    assert validate({"tree": {"kids": [{"kids": [{"kids": 3}]}]}}, checked)[0].code == "type"


def test_remote_and_dangling_references_are_refused_and_never_fetched() -> None:
    remote = form({"x": {"$ref": "https://example.org/schema.json"}})
    assert codes(remote) == [("remote-ref", "/properties/x/$ref")]
    missing = form({"x": {"$ref": "#/$defs/nothing"}})
    assert codes(missing) == [("bad-ref", "/properties/x/$ref")]
    meta = form({"x": {"$ref": "https://json-schema.org/draft/2020-12/schema"}})
    assert codes(meta) == []  # the built-in meta-schemas resolve, offline
    assert validate({"x": {"type": "nonsense"}}, Form(meta))[0].pointer == "/x/type"


def test_anchors_and_percent_encoded_pointers_resolve() -> None:
    doc = form(
        {
            "a": {"$ref": "#/$defs/with%20space"},
            "b": {"$ref": "#kid"},
            "c": {"$ref": "#/$defs/t~1s"},
        },
        **{"$defs": {"with space": {"type": "integer"}, "k": {"$anchor": "kid", "type": "string"},
                     "t/s": {"enum": [1]}}},
    )  # fmt: skip
    assert codes(doc) == []
    compiled = Form(doc)
    assert validate({"a": 1, "b": "x", "c": 1}, compiled) == []
    assert [e.pointer for e in validate({"a": "1", "b": 2, "c": 2}, compiled)] == ["/a", "/b", "/c"]


def test_a_catastrophic_pattern_is_refused_at_lint_and_bounded_at_run_time() -> None:
    assert codes(form({"x": {"type": "string", "pattern": "(a+)+$"}})) == [
        ("slow-pattern", "/properties/x/pattern")
    ]
    assert pattern_problem("(a|aa)+$") is not None and pattern_problem("^([a-z]+,)*[a-z]+$") is None
    unchecked = Form(form({"x": {"type": "string", "pattern": "(a|aa)+$"}}))  # never linted
    start = time.perf_counter()
    errors = validate({"x": "a" * 40 + "!"}, unchecked)
    assert time.perf_counter() - start < 5 and errors[0].code == "pattern"


def test_an_ecma_pattern_with_a_unicode_property_loads_and_checks_names(tmp_path: Path) -> None:
    doc = form({"name": {"type": "string", "pattern": "^\\p{Han}{2,4}$"}})
    (tmp_path / "t.v1.json").write_text(json.dumps(doc), "utf-8")
    assert lint_paths([tmp_path]) == []
    registry = FormRegistry.load([tmp_path])
    assert registry.problems == []
    names = registry.get("t")
    assert validate({"name": "王小明"}, names) == []
    assert [e.code for e in validate({"name": "Wang"}, names)] == ["pattern"]


def test_python_only_syntax_is_not_ecma() -> None:
    assert codes(form({"x": {"type": "string", "pattern": "(?P<n>a)"}}))[0][0] == "bad-pattern"
    with pytest.raises(PatternError):
        compile_pattern("a{2")


@pytest.mark.parametrize(
    ("pattern", "text", "ecma"),
    [
        ("^\\d+$", "١٢", False),  # \d is ASCII in ECMA-262
        ("^\\d+$", "12\n", False),  # $ is the very end
        ("^a.c$", "a\nc", False),
        ("^a.c$", "a\u2028c", False),  # . stops at every line terminator
        ("^\\w+$", "é", False),
        ("^\\s$", "\u3000", True),  # the ideographic space is white space
        ("^[^]$", "\n", True),
        ("^\\u{1F600}$", "😀", True),
        ("(?<y>\\d{4})-\\k<y>", "2024-2024", True),
    ],
)
def test_patterns_mean_what_ecma_262_says(pattern: str, text: str, ecma: bool) -> None:
    assert compile_pattern(pattern).search(text) is ecma
