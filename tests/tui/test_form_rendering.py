"""Every built-in form and the generic JSON Schema constructs a form author reaches for render
without a crash, and without an "unsupported field" marker for a supported construct."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import RadioButton, Select

from engine.casework.case_documents import new_entry
from engine.forms.form import Form
from engine.forms.registry import FormRegistry
from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.tui.conftest import TEST_WORKER
from tui.app import CareformsApp
from tui.fields.registry import renderer_for
from tui.fields.spec import object_children, top_level
from tui.fields.widgets import (
    ChoiceField,
    DateField,
    FieldWidget,
    GroupField,
    MultiSelectField,
    NumberField,
    ObjectField,
    SelectField,
    TextAreaField,
    TextField,
    UnsupportedField,
)
from tui.screens.form_entry import FormScreen

GENERIC: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "x-form": {"id": "generic", "version": 1, "title": {"zh-CN": "通用", "en": "Generic"}},
    "type": "object",
    "properties": {
        "text": {"type": "string", "maxLength": 20},
        "notes": {"type": "string", "x-widget": "textarea"},
        "count": {"type": "integer", "minimum": 0, "maximum": 9},
        "weight": {"type": "number", "exclusiveMinimum": 0},
        "agree": {"type": "boolean"},
        "colour": {"type": "string", "enum": ["a", "b", "c"]},
        "province": {"type": "string", "enum": [f"p{i}" for i in range(12)]},
        "tags": {"type": "array", "uniqueItems": True, "items": {"enum": ["x", "y", "z"]}},
        "born": {"type": "string", "format": "date"},
        "address": {
            "type": "object",
            "properties": {"street": {"type": "string"}, "floor": {"type": "integer"}},
        },
        "people": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
            },
        },
        "contact": {
            "type": "object",
            "properties": {"by": {"enum": ["phone", "letter"]}},
            "oneOf": [
                {"properties": {"by": {"const": "phone"}, "number": {"type": "string"}}},
                {"properties": {"by": {"const": "letter"}, "postcode": {"type": "string"}}},
            ],
        },
        "school": {
            "type": "object",
            "properties": {"enrolled": {"type": "boolean"}},
            "if": {"properties": {"enrolled": {"const": True}}, "required": ["enrolled"]},
            "then": {"properties": {"grade": {"type": "integer"}}},
            "else": {"properties": {"reason": {"type": "string"}}},
        },
        "shown_if_agree": {
            "type": "string",
            "x-visible-if": {"properties": {"agree": {"const": True}}, "required": ["agree"]},
        },
        "odd": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
        "aliases": {"type": "array", "items": {"type": "string"}},
    },
}
EXPECTED = {
    "text": TextField,
    "notes": TextAreaField,
    "count": NumberField,
    "weight": NumberField,
    "agree": ChoiceField,
    "colour": ChoiceField,
    "province": SelectField,
    "tags": MultiSelectField,
    "born": DateField,
    "address": ObjectField,
    "people": GroupField,
    "contact": ObjectField,
    "school": ObjectField,
    "shown_if_agree": TextField,
    "odd": UnsupportedField,  # an array of positional items: said, not hidden
    "aliases": GroupField,
}


def test_the_registry_picks_the_expected_widget_for_each_construct() -> None:
    form = Form(GENERIC)
    chosen = {spec.name: renderer_for(spec) for spec in object_children(top_level(form))}
    assert chosen == EXPECTED


def test_oneof_and_if_then_branches_show_the_fields_of_the_branch_that_holds() -> None:
    form = Form(GENERIC)
    children = {s.name: s for s in object_children(top_level(form))}
    contact = {s.name: s for s in object_children(children["contact"])}
    assert contact["number"].condition({"by": "phone"}) and not contact["number"].condition(
        {"by": "letter"}
    )
    assert contact["postcode"].condition({"by": "letter"})
    school = {s.name: s for s in object_children(children["school"])}
    assert school["grade"].condition({"enrolled": True}) and not school["grade"].condition(
        {"enrolled": False}
    )
    assert school["reason"].condition({"enrolled": False})


async def render_every_section(
    form: Form, tmp_path: Path, answers: dict[str, Any] | None = None
) -> list[str]:
    """Open the form in the app and show each section; the pointers of unsupported fields."""
    registry = FormRegistry.load()
    registry.add(form)
    with Store.open(tmp_path / f"{form.id}.db", "pass phrase", kdf_cost=FAST_KDF) as store:
        doc = new_entry(
            "c1",
            "e1",
            form,
            district="d",
            by="t",
            device="t",
            at=__import__("datetime").datetime(2026, 1, 1),
        )
        doc["answers"] = answers or {}
        doc["_rev"] = store.put(doc)
        app = CareformsApp(tmp_path / "r.db", store=store, forms=registry, worker=TEST_WORKER)
        unsupported: list[str] = []
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = FormScreen(app.session, doc, form, "zh-CN")
            app.push_screen(screen)
            await pilot.pause()
            for index in range(len(screen.sections)):
                screen.show_section(index)
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert screen.query(FieldWidget)
                unsupported += [w.spec.pointer for w in screen.query(UnsupportedField)]
    return unsupported


@pytest.mark.parametrize("form_id", ["child-profile", "risk", "needs", "family", "visit", "plan"])
async def test_every_built_in_form_renders_with_no_unsupported_field(
    form_id: str, tmp_path: Path
) -> None:
    form = FormRegistry.load().get(form_id)
    answers = (
        {"members": [{"id": "a", "relationship": "father", "sex": "male", "alive": True}]}
        if form_id == "family"
        else None
    )
    assert await render_every_section(form, tmp_path, answers) == []


async def test_the_generic_constructs_render_and_only_the_odd_one_is_marked(tmp_path: Path) -> None:
    answers = {
        "people": [{"name": "甲", "age": 3}],
        "contact": {"by": "phone"},
        "school": {"enrolled": True},
    }
    assert await render_every_section(Form(GENERIC), tmp_path, answers) == ["/odd"]


async def test_a_repeating_group_adds_reorders_and_removes_members(tmp_path: Path) -> None:
    registry = FormRegistry.load()
    form = registry.get("family")
    with Store.open(tmp_path / "f.db", "pass phrase", kdf_cost=FAST_KDF) as store:
        import datetime

        doc = new_entry(
            "c1", "e1", form, district="d", by="t", device="t", at=datetime.datetime(2026, 1, 1)
        )
        doc["_rev"] = store.put(doc)
        app = CareformsApp(tmp_path / "r.db", store=store, forms=registry, worker=TEST_WORKER)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = FormScreen(app.session, doc, form, "en")
            app.push_screen(screen)
            await pilot.pause()

            async def settled(done: Callable[[list[dict[str, Any]]], bool]) -> None:
                """The change made, the group redrawn and every member's hidden id made."""
                for _ in range(300):
                    await app.workers.wait_for_complete()  # the section redrawn
                    groups = list(screen.query(GroupField))
                    members = screen.answers.get("members", [])
                    same = len(groups) == 1 and groups[0].is_mounted and groups[0].value == members
                    if same and done(members) and all(m.get("id") for m in members):
                        return
                    await pilot.pause(0.01)

            for count in (1, 2):
                screen.query_one(GroupField).query_one("#add").press()
                await settled(lambda members, count=count: len(members) == count)
            assert len(screen.answers["members"]) == 2
            await pilot.pause()
            focused = screen.focused  # in the member just added
            assert focused is not None and any(
                getattr(w, "spec", None) is not None and w.spec.pointer.startswith("/members/1")
                for w in focused.ancestors
            )
            ids = [m["id"] for m in screen.answers["members"]]
            assert all(ids) and len(set(ids)) == 2  # hidden ids made on mount
            first = next(
                w for w in screen.query(FieldWidget) if w.spec.pointer == "/members/0/relationship"
            )
            first.query_one(Select).value = first.options.index("mother")
            await settled(lambda members: members[0].get("relationship") == "mother")
            assert screen.answers["members"][0]["relationship"] == "mother"
            screen.query_one(GroupField).query_one("#down-0").press()
            await settled(lambda members: [m["id"] for m in members] == ids[::-1])
            assert [m["id"] for m in screen.answers["members"]] == ids[::-1]
            await app.workers.wait_for_complete()
            await pilot.pause()
            # the cursor stays with the member that moved: on the same button, one lower
            assert screen.focused is not None and screen.focused.id == "down-1"
            assert screen.answers["members"][1]["relationship"] == "mother"
            screen.query_one(GroupField).query_one("#remove-1").press()
            await settled(lambda members: len(members) == 1)
            assert [m["id"] for m in screen.answers["members"]] == [ids[1]]
            alive = next(
                w for w in screen.query(FieldWidget) if w.spec.pointer == "/members/0/alive"
            )
            health = next(
                w for w in screen.query(FieldWidget) if w.spec.pointer == "/members/0/health"
            )
            assert not health.display  # shown only for living members
            alive.query(RadioButton)[0].value = True
            await pilot.pause()
            assert health.display
            screen.action_back()
            await pilot.pause()
        assert [m["id"] for m in store.get(doc["_id"])["answers"]["members"]] == [ids[1]]
