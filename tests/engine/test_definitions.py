"""A district's folder holds forms and a rules file: each is read by its own loader."""

from __future__ import annotations

import json
from pathlib import Path

from engine.casework.rules import builtin_rules_file
from engine.definitions import lint_paths, load_forms, load_rules_file
from engine.forms.registry import FormRegistry
from tests.conftest import form_document


def district_folder(tmp_path: Path) -> Path:
    """A district's own visit form (`visit-kunshan`) and rules whose contacts count it."""
    visit = form_document("visit.v1.json")
    visit["x-form"]["id"] = "visit-kunshan"
    (tmp_path / "visit-kunshan.v1.json").write_text(json.dumps(visit), "utf-8")
    rules = json.loads(builtin_rules_file().read_text("utf-8"))
    rules["assessments"][0]["form"] = "visit-kunshan"
    (tmp_path / "kunshan.rules.json").write_text(json.dumps(rules), "utf-8")
    return tmp_path


def test_a_folder_of_forms_and_rules_loads_its_forms_without_taking_the_rules_for_one(
    tmp_path: Path,
) -> None:
    forms = load_forms([district_folder(tmp_path)])
    assert forms.problems == []
    assert forms.get("visit-kunshan").version == 1


def test_rules_are_checked_against_the_forms_beside_them(tmp_path: Path) -> None:
    folder = district_folder(tmp_path)
    assert lint_paths([folder]) == []
    assert load_rules_file(folder / "kunshan.rules.json").assessments[0].form == "visit-kunshan"


def test_the_same_rules_elsewhere_name_a_form_that_does_not_exist(tmp_path: Path) -> None:
    (tmp_path / "district").mkdir()
    folder = district_folder(tmp_path / "district")
    (folder / "visit-kunshan.v1.json").unlink()
    problems = lint_paths([folder / "kunshan.rules.json"])
    assert [(p.code, p.pointer) for p in problems] == [("unknown-form", "/assessments/0/form")]


def test_the_form_registry_alone_reads_only_forms(tmp_path: Path) -> None:
    assert FormRegistry.load().problems == []  # the built-in rules file is not a form
    folder = district_folder(tmp_path)
    assert [p.code for p in FormRegistry.load([folder]).problems] == ["not-a-form"]


def test_rules_beside_a_visit_form_with_free_text_kinds_accept_any_kind(tmp_path: Path) -> None:
    visit = form_document("visit.v1.json")
    visit["properties"]["kind"] = {"type": "string", "title": "kind"}
    visit["properties"]["kind"].update({"x-label": {"zh-CN": "方式", "en": "Kind"}})
    visit["x-form"]["version"] = 2
    (tmp_path / "visit.v2.json").write_text(json.dumps(visit), "utf-8")
    rules = json.loads(builtin_rules_file().read_text("utf-8"))
    (tmp_path / "casework.rules.json").write_text(json.dumps(rules), "utf-8")
    assert [p.code for p in lint_paths([tmp_path / "casework.rules.json"])] == []
