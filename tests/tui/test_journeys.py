"""A worker's day, walked by keyboard through the screens and back, at 80x24 and 120x40:
after every step the expected screen, a live focus and working footer keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, RadioSet, Select, TextArea

from sync.store import Store
from tests.tui.journeys import SIZES, app_on, assert_alive, demo_replica, journey_store, settle
from tui.fields.widgets import FieldWidget
from tui.screens.case_list import CaseListScreen
from tui.screens.child_file import ChildFileScreen, FormChooser
from tui.screens.conflicts import ConflictsScreen
from tui.screens.due import DueScreen
from tui.screens.form_entry import FormScreen
from tui.screens.result import Confirm, OverrideDialog, ResultScreen
from tui.screens.sync_screen import SyncScreen
from tui.widgets.case_table import CaseTable

__all__ = ["demo_replica", "journey_store"]  # the fixtures, used by name


def owner(widget: Any) -> FieldWidget | None:
    node = widget
    while node is not None and not isinstance(node, FieldWidget):
        node = node.parent
    return node


async def answer_focused(pilot: Any, form: FormScreen) -> None:
    """Answer the focused control as a worker would: type, or choose with the keys."""
    focused = form.focused
    field = owner(focused)
    if field is None:
        return
    if isinstance(focused, RadioSet):
        if field.options and field.options[0] is True:  # a yes/no question: "no"
            await pilot.press("down")
        await pilot.press("enter")
    elif isinstance(focused, Select):
        await pilot.press("enter", "down", "enter")
    elif isinstance(focused, Input) and not focused.value:
        schema = field.spec.schema
        if schema.get("format") == "date":
            await pilot.press(*"2026-11-20")
        elif schema.get("type") in ("integer", "number"):
            await pilot.press("1")
        else:
            await pilot.press(*"李老师")
    elif isinstance(focused, TextArea) and not focused.text:
        await pilot.press(*"ok")


async def fill_by_keyboard(pilot: Any, form: FormScreen) -> None:
    """Every section: answer the field the cursor is in, tab to the next, F8 at the end."""
    for index in range(len(form.sections)):
        assert form.section == index
        seen: set[int] = set()
        for _ in range(80):
            focused = form.focused
            field = owner(focused)
            if field is None or id(focused) in seen:
                break
            seen.add(id(focused))
            await answer_focused(pilot, form)
            await pilot.press("tab")
            await pilot.pause()
        assert seen, f"no field took the cursor in section {index}"
        assert_alive(pilot.app, FormScreen)
        if index < len(form.sections) - 1:
            await pilot.press("f8")
            await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_a_childs_visit_walked_by_keyboard(
    journey_store: tuple[Store, Path], size: tuple[int, int]
) -> None:
    store, replica = journey_store
    app = app_on(store, replica)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        assert_alive(app, CaseListScreen)
        listing = app.screen
        # a child with a family: typed on the list, the search finds them by pinyin initials
        child = next(r for r in listing.rows if store.all_docs(f"assessment:{r.id}:") and any(
            d["form"]["id"] == "family" for d in store.all_docs(f"assessment:{r.id}:")
        ))  # fmt: skip
        from engine.casework.names import spelling

        await pilot.press(*spelling(child.name)[1])
        await pilot.pause()
        assert child.id in {r.id for r in listing.query_one(CaseTable).rows}
        await pilot.press("enter")  # from the search box to the list
        table = listing.query_one(CaseTable)
        table.cursor = next(i for i, r in enumerate(table.rows) if r.id == child.id)
        await pilot.press("enter")
        await settle(pilot)
        assert_alive(app, ChildFileScreen)
        file = app.screen
        assert file.case.id == child.id

        await pilot.press("n")
        await settle(pilot)
        assert_alive(app, FormChooser)
        chooser = app.screen
        for _ in range([f.id for f in chooser.forms].index("risk")):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert_alive(app, FormScreen)
        form = app.screen
        assert form.form.id == "risk"
        assert owner(form.focused) is not None, "the cursor is not in the first field"

        await fill_by_keyboard(pilot, form)
        await pilot.press("f5")
        await settle(pilot)
        assert_alive(app, ResultScreen)
        result = app.screen
        band = result.doc["result"]["classification"]["band"]["id"]

        await pilot.press("o")
        await settle(pilot)
        assert_alive(app, OverrideDialog)
        await pilot.press("tab", *"复核后调整", "enter")
        await settle(pilot)
        assert_alive(app, ResultScreen)
        overridden = store.get(result.doc["_id"])["result"]["classification"]
        assert overridden["band"]["id"] != band and overridden["override"]["at"]
        assert overridden["override"]["by"] == "李老师"

        await pilot.press("s")
        await settle(pilot)
        assert_alive(app, Confirm)
        await pilot.press("enter")
        await settle(pilot)
        assert_alive(app, ResultScreen)
        assert store.get(result.doc["_id"])["review"][-1]["step"] == "submit"

        await pilot.press("escape")
        await settle(pilot)
        assert_alive(app, ChildFileScreen)
        await pilot.press("n")  # the keys answer on the way back
        await settle(pilot)
        assert_alive(app, FormChooser)
        await pilot.press("escape")
        await settle(pilot)
        assert_alive(app, ChildFileScreen)

        family = file.case.latest("family")
        await pilot.press("f")
        await settle(pilot)
        assert_alive(app, FormScreen)
        edit = app.screen
        assert edit.form.id == "family"
        members = family.answers["members"]
        assert edit.answers["members"] == members  # the current family, not an empty form
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert_alive(app, ChildFileScreen)
        draft = store.get(edit.doc["_id"])
        assert draft["answers"].get("members", members) == members

        await pilot.press("escape")
        await settle(pilot)
        assert_alive(app, CaseListScreen)

        await pilot.press("f3")
        await settle(pilot)
        assert_alive(app, DueScreen)
        assert app.screen.query_one(DataTable).row_count > 0
        await pilot.press("escape")
        await settle(pilot)

        seq = store.update_seq
        await pilot.press("f6")
        await settle(pilot)
        assert_alive(app, SyncScreen)
        sync = app.screen
        assert sync.focused is sync.query_one("#server")  # the cursor in the first field
        await pilot.press(*"http://127.0.0.1:9", "tab", *"demo", "tab", *"wang", "f6")
        await settle(pilot)
        assert_alive(app, SyncScreen)
        said = str(sync.query_one("#summary").render())
        assert "连接不上服务器" in said and "http://127.0.0.1:9" in said
        assert store.update_seq == seq  # a failed sync rewrote nothing
        assert sync.query_one("#user", Input).value == "wang"
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("f4")
        await settle(pilot)
        assert_alive(app, ConflictsScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert_alive(app, CaseListScreen)

        await pilot.press("f9")
        await settle(pilot)
        assert_alive(app, CaseListScreen)
        assert app.lang == "en"
        assert "Due" in [b.binding.description for b in app.screen.active_bindings.values()]

        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await settle(pilot)
        assert_alive(app, CaseListScreen)

        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code in (0, None)
