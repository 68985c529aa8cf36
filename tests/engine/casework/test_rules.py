"""The case-work rules file: checked like a form, placed by JSON pointer, in both languages."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from engine.casework.rules import RulesUnusable, builtin_rules_file, lint_rules, load_rules
from engine.forms.registry import FormRegistry
from tui.cli import main


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return json.loads(builtin_rules_file().read_text("utf-8"))


def problems_of(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.code, p.pointer) for p in lint_rules(doc, "rules.json", FormRegistry.load())]


def test_the_built_in_rules_pass_and_load(document: dict[str, Any]) -> None:
    assert problems_of(document) == []
    rules = load_rules()
    assert rules.band_form == "risk"
    assert {r.id for r in rules.early_warning} >= {"persistent-high", "rising", "urgent"}


def test_the_forms_registry_is_not_confused_by_the_rules_file(registry: FormRegistry) -> None:
    assert registry.problems == []
    assert "casework" not in {form.id for form in registry}


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d["contacts"][0]["faster"][0].update(bands=["rde"]),
         ("unknown-band", "/contacts/0/faster/0/bands/0")),
        (lambda d: d["seasons"][0].update({"to": "02-30"}), ("bad-date", "/seasons/0/to")),
        (lambda d: d["assessments"][1].update(id="initial-risk"),
         ("duplicate-rule", "/assessments/1/id")),
        (lambda d: d["assessments"][0].update(form="risks"),
         ("unknown-form", "/assessments/0/form")),
        (lambda d: d["early_warning"][4].update(flags=["injury"]),
         ("unknown-flag", "/early_warning/4/flags/0")),
        (lambda d: d["contacts"][1].update(kinds=["house"]),
         ("unknown-kind", "/contacts/1/kinds/0")),
        (lambda d: d["contacts"][0].pop("every"), ("bad-rules", "/contacts/0")),
        (lambda d: d["early_warning"][0].pop("consecutive"), ("bad-rules", "/early_warning/0")),
        (lambda d: d["contacts"][0]["faster"][2].update(when={"type": "objekt"}),
         ("invalid-schema", "/contacts/0/faster/2/when/type")),
    ],
)  # fmt: skip
def test_each_mistake_is_named_with_its_place(
    document: dict[str, Any], edit: Any, expected: tuple[str, str]
) -> None:
    broken = copy.deepcopy(document)
    edit(broken)
    assert expected in problems_of(broken)


def test_a_misspelt_band_gets_a_suggestion_in_both_languages(document: dict[str, Any]) -> None:
    broken = copy.deepcopy(document)
    broken["seasons"][0]["bands"] = ["rde"]
    [problem] = lint_rules(broken, "rules.json", FormRegistry.load())
    assert "red" in problem.message("en") and "red" in problem.message("zh-CN")


def test_forms_check_reports_a_broken_rules_file_and_loading_refuses_it(
    document: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = copy.deepcopy(document)
    broken["seasons"][1]["from"] = "07-32"
    path = tmp_path / "casework.rules.json"
    path.write_text(json.dumps(broken), "utf-8")
    assert main(["--lang", "en", "forms", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}#/seasons/1/from: [bad-rules]" in out
    with pytest.raises(RulesUnusable) as refused:
        load_rules(path)
    assert refused.value.problems[0].pointer == "/seasons/1/from"
