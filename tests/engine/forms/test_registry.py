from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engine import FormRegistry, UnknownForm
from engine.forms.registry import builtin_forms_folder
from tests.conftest import form_document


def test_built_in_forms_are_all_there(registry: FormRegistry) -> None:
    assert {f.id for f in registry} == {"child-profile", "risk", "needs", "family", "visit", "plan"}
    assert registry.problems == []


def test_every_version_is_kept_and_the_newest_is_default(tmp_path: Path) -> None:
    for version in (2, 3):
        doc = form_document("visit.v1.json")
        doc["x-form"]["version"] = version
        (tmp_path / f"visit.v{version}.json").write_text(json.dumps(doc), "utf-8")
    registry = FormRegistry.load([tmp_path])
    assert registry.versions("visit") == [1, 2, 3]
    assert registry.get("visit").version == 3
    assert registry.get("visit", 1).version == 1
    with pytest.raises(UnknownForm):
        registry.get("visit", 9)
    with pytest.raises(UnknownForm):
        registry.get("nothing")


def test_a_broken_form_is_left_out_and_reported(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{ not json", "utf-8")
    registry = FormRegistry.load([tmp_path])
    assert len(registry) == len(FormRegistry.load())  # every built-in form version, no more
    assert [p.code for p in registry.problems] == ["invalid-json"]


def test_the_same_version_with_other_content_is_refused(tmp_path: Path) -> None:
    doc = form_document("visit.v1.json")
    doc["x-form"]["title"]["en"] = "Changed"
    (tmp_path / "visit.json").write_text(json.dumps(doc), "utf-8")
    registry = FormRegistry.load([tmp_path])
    assert registry.get("visit").title["en"] == "Visit record"
    assert [p.code for p in registry.problems] == ["duplicate-id"]


def test_the_digest_identifies_the_definition(tmp_path: Path) -> None:
    shutil.copy(builtin_forms_folder() / "risk.v1.json", tmp_path / "copy.json")
    registry = FormRegistry.load([tmp_path])
    assert registry.problems == []  # identical content is the same form
    assert len(registry.get("risk").digest) == 64
