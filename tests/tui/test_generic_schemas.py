"""Schemas shaped like those a form author copies from JSON Schema form playgrounds:
every field declared in a branch appears when its branch applies, and one required by the
branch that applies is never hidden."""

from __future__ import annotations

from typing import Any

from engine.forms.form import Form
from tui.fields.registry import renderer_for
from tui.fields.spec import FieldSpec, form_sections, top_level
from tui.fields.widgets import ChoiceField, GroupField, UnsupportedField, option_text
from tui.screens.form_entry import FormScreen


def form(schema: dict[str, Any]) -> Form:
    meta = {"x-form": {"id": "copied", "version": 1, "title": {"en": "Copied"}}}
    return Form({"$schema": "https://json-schema.org/draft/2020-12/schema", **meta, **schema})


def fields(f: Form) -> dict[str, FieldSpec]:
    specs: dict[str, FieldSpec] = {}
    sections = form_sections(f, top_level(f), specs)
    assert {n for s in sections for n in s.fields} == set(specs)  # every field has a section
    return specs


def shown(spec: FieldSpec, answers: dict[str, Any], errors: dict[str, str] | None = None) -> bool:
    return FormScreen._shown(spec, answers, errors or {})


def test_a_top_level_one_of_renders_its_choice_and_the_fields_of_the_chosen_branch() -> None:
    f = form({
        "type": "object",
        "oneOf": [
            {"title": "By phone", "properties": {"by": {"const": "phone"},
             "number": {"type": "string"}}, "required": ["by", "number"]},
            {"title": "By letter", "properties": {"by": {"const": "letter"},
             "address": {"type": "string"}}, "required": ["by"]},
        ],
    })  # fmt: skip
    specs = fields(f)
    assert set(specs) == {"by", "number", "address"}
    assert renderer_for(specs["by"]) is ChoiceField and specs["by"].condition is None
    assert option_text(specs["by"], "phone", "en") == "By phone"
    assert shown(specs["number"], {"by": "phone"}) and not shown(specs["number"], {"by": "letter"})
    assert shown(specs["address"], {"by": "letter"})


def test_all_of_parts_and_if_then_else_branches_all_declare_fields() -> None:
    f = form({
        "type": "object",
        "allOf": [
            {"properties": {"name": {"type": "string", "title": "Name"}}},
            {"properties": {"enrolled": {"type": "boolean"}},
             "if": {"properties": {"enrolled": {"const": True}}, "required": ["enrolled"]},
             "then": {"properties": {"grade": {"type": "integer"}}, "required": ["grade"]},
             "else": {"properties": {"reason": {"type": "string"}}}},
        ],
        "dependentSchemas": {"name": {"properties": {"nickname": {"type": "string"}}}},
    })  # fmt: skip
    specs = fields(f)
    assert set(specs) == {"name", "enrolled", "grade", "reason", "nickname"}
    assert specs["name"].label == "Name"
    assert shown(specs["grade"], {"enrolled": True}) and not shown(specs["grade"], {})
    assert shown(specs["reason"], {"enrolled": False})
    assert shown(specs["nickname"], {"name": "x"}) and not shown(specs["nickname"], {})
    # asked for (a required error on it): shown whatever its condition says
    assert shown(specs["grade"], {"enrolled": False}, {"/grade": "Required"})


def test_a_field_in_both_branches_is_shown_in_either() -> None:
    f = form({
        "type": "object", "properties": {"a": {"type": "boolean"}},
        "if": {"properties": {"a": {"const": True}}, "required": ["a"]},
        "then": {"properties": {"why": {"type": "string"}}, "required": ["why"]},
        "else": {"properties": {"why": {"type": "string"}}, "required": ["why"]},
    })  # fmt: skip
    why = fields(f)["why"]
    assert shown(why, {"a": True}) and shown(why, {"a": False})


def test_object_options_and_nested_arrays() -> None:
    f = form({
        "type": "object",
        "properties": {
            "level": {"type": "integer", "oneOf": [{"const": 1, "title": "Low"},
                                                   {"const": 2, "title": "High"}]},
            "pets": {"type": "array", "items": {"type": "string", "anyOf": [
                {"const": "cat", "title": "Cat"}, {"const": "dog", "title": "Dog"}]}},
            "rooms": {"type": "array", "items": {"type": "object", "properties": {
                "beds": {"type": "array", "items": {"type": "object",
                         "properties": {"size": {"type": "integer"}}}}}}},
            "choice": {"enum": [{"title": "Big one", "v": 1}, {"v": 2}]},
        },
    })  # fmt: skip
    specs = fields(f)
    assert option_text(specs["level"], 2, "en") == "2 · High"
    assert option_text(specs["pets"], "dog", "en") == "Dog"
    assert option_text(specs["choice"], {"title": "Big one", "v": 1}, "en") == "Big one"
    assert option_text(specs["choice"], {"v": 2}, "en") == "v: 2"  # not Python dict text
    assert renderer_for(specs["rooms"]) is GroupField
    assert all(renderer_for(s) is not UnsupportedField for s in specs.values())
