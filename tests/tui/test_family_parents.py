"""The family form (version 2) in the app: each member's father and mother, and each couple,
are chosen by entry number from a list ("第 1 项" … or "不详"), by keyboard."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from textual.widgets import Select

from engine.casework.case_documents import new_entry
from engine.forms.registry import FormRegistry
from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tui.app import CareformsApp
from tui.fields.widgets import FieldWidget, SelectField
from tui.screens.form_entry import FormScreen


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_member_s_mother_is_chosen_among_the_entries(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    registry = FormRegistry.load()
    form = registry.get("family")
    assert form.version == 2
    with Store.open(tmp_path / "f.db", "pass phrase", kdf_cost=FAST_KDF) as store:
        doc = new_entry("c1", "e1", form, district="d", by="t", device="t",
                        at=datetime.datetime(2026, 1, 1))  # fmt: skip
        doc["answers"] = {
            "members": [
                {"id": "m", "relationship": "mother", "sex": "female", "alive": True},
                {"id": "s", "relationship": "sister", "sex": "female", "alive": True},
            ],
            "couples": [{}],
        }
        doc["_rev"] = store.put(doc)
        app = CareformsApp(tmp_path / "r.db", store=store, forms=registry)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            screen = FormScreen(app.session, doc, form, "zh-CN")
            app.push_screen(screen)
            await pilot.pause()

            def field(pointer: str) -> FieldWidget:
                return next(w for w in screen.query(FieldWidget) if w.spec.pointer == pointer)

            mother = field("/members/1/mother")
            assert isinstance(mother, SelectField)
            labels = [str(label) for label, _ in mother.query_one(Select)._options]
            assert "不详（不知道是谁）" in labels and "1 · 第 1 项" in labels
            mother.query_one(Select).focus()
            await pilot.press("enter")  # open the list
            await pilot.pause()
            await pilot.press("down", "down", "enter")  # past the blank and 不详: entry 1
            for _ in range(100):
                if screen.answers["members"][1].get("mother") == 1:
                    break
                await pilot.pause(0.01)
            assert screen.answers["members"][1]["mother"] == 1
            screen.show_section(1)  # the couples
            await pilot.pause()
            partner = field("/couples/0/partner_a")
            assert isinstance(partner, SelectField)
            assert "2 · 第 2 项" in [str(label) for label, _ in partner.query_one(Select)._options]
