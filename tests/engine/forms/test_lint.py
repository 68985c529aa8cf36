"""Every lint rule fires on the broken-forms corpus, with the right code and JSON pointer."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from engine.definitions import lint_paths
from engine.forms.messages import CATALOGUE
from engine.forms.registry import FormRegistry, builtin_forms_folder

CORPUS = Path(__file__).resolve().parent / "broken_forms"
EXPECTED: dict[str, list[list[str]]] = json.loads((CORPUS / "expected.json").read_text())


def test_built_in_forms_pass_the_check() -> None:
    assert [p.render("en") for p in lint_paths([builtin_forms_folder()])] == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_form_reports_exactly_its_problem(name: str) -> None:
    found = sorted([p.code, p.pointer] for p in lint_paths([CORPUS / name]))
    assert found == sorted(EXPECTED[name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_problem_reads_as_a_sentence_in_both_languages(name: str) -> None:
    for problem in lint_paths([CORPUS / name]):
        assert f"lint.{problem.code}" in CATALOGUE
        for lang in ("zh-CN", "en"):
            text = problem.message(lang)
            assert text and not re.search(r"\{[a-z_]+\}", text) and "lint." not in text
        assert problem.render("en").startswith(str(CORPUS / name))


def test_invalid_json_names_line_and_column() -> None:
    (problem,) = lint_paths([CORPUS / "invalid_json.json"])
    assert (problem.line, problem.column) == (2, 41)
    assert problem.location.endswith("invalid_json.json:2:41")


def test_misspelt_keyword_suggests_the_right_one() -> None:
    (problem,) = lint_paths([CORPUS / "misspelt_x_keyword.json"])
    assert "x-label" in problem.message("en")
    (problem,) = lint_paths([CORPUS / "misspelt_keyword.json"])
    assert "required" in problem.message("en")


def test_band_gap_names_the_missing_scores() -> None:
    (problem,) = lint_paths([CORPUS / "band_gap.json"])
    assert problem.params["low"] == 2 and problem.params["high"] == 2


def test_the_same_form_version_in_two_files_is_a_duplicate() -> None:
    problems = lint_paths([CORPUS / "duplicate_form"])
    assert [(p.code, p.pointer, Path(p.file).name) for p in problems] == [
        ("duplicate-id", "/x-form", "b.json")
    ]


def test_a_missing_path_is_reported_not_raised(tmp_path: Path) -> None:
    (problem,) = lint_paths([tmp_path / "nowhere.json"])
    assert problem.code == "unreadable"


def test_an_unreadable_encoding_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"x": "\xe9"}')
    (problem,) = lint_paths([path])
    assert problem.code == "unreadable"


def test_the_meta_schema_is_itself_valid_and_accepts_every_built_in_form() -> None:
    from jsonschema import Draft202012Validator

    from engine.forms.lint import meta_schema

    Draft202012Validator.check_schema(meta_schema())
    validator = Draft202012Validator(meta_schema())
    for path in builtin_forms_folder().glob("*.v*.json"):
        assert list(validator.iter_errors(json.loads(path.read_text("utf-8")))) == []


PLAYGROUND: dict[str, Any] = {  # shaped like what a form author copies from a playground
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "x-form": {"id": "copied", "version": 1, "title": {"zh-CN": "复制的表", "en": "Copied"}},
    "type": "object",
    "properties": {
        "kind": {"title": "Kind", "oneOf": [{"const": "a", "title": "A"}, {"const": "b"}]},
        "enrolled": {"type": "boolean", "title": "Enrolled"},
        "age": {"type": "integer"},
    },
    "if": {"properties": {"enrolled": {"const": True}}, "required": ["enrolled"]},
    "then": {"properties": {"grade": {"type": "integer", "title": "Grade"}}},
}


def test_a_copied_schema_passes_with_a_warning_per_unlabelled_field() -> None:
    from engine.forms.lint import lint_form

    problems = lint_form(PLAYGROUND, "copied.json")
    assert all(p.warning for p in problems)
    assert sorted((p.code, p.pointer, p.params["shown"]) for p in problems) == [
        ("label-fallback", "/properties/age", "age"),
        ("label-fallback", "/properties/enrolled", "Enrolled"),
        ("label-fallback", "/properties/kind", "Kind"),
        ("label-fallback", "/then/properties/grade", "Grade"),
    ]  # the condition under "if" is not a field: nothing asked of it
    registry = FormRegistry()
    assert registry.add_document(PLAYGROUND, Path("copied.json"), "k", []) is not None
    assert registry.warnings and not registry.problems


def test_older_draft_keywords_say_how_to_write_them_in_2020_12() -> None:
    from engine.forms.lint import lint_form
    from engine.forms.messages import message

    old = json.loads(json.dumps(PLAYGROUND))
    old["dependencies"] = {"age": ["kind"]}
    old["properties"]["pair"] = {"type": "array", "items": [{"type": "string"}]}
    found = {p.code: p for p in lint_form(old, "old.json")}
    assert found["older-draft-dependencies"].pointer == "/dependencies"
    assert found["older-draft-items"].pointer == "/properties/pair/items"
    assert "dependentSchemas" in found["older-draft-dependencies"].message("en")
    assert "prefixItems" in found["older-draft-items"].message("zh-CN")
    assert message("lint.older-draft-items", "en") != "lint.older-draft-items"
