"""Nothing typed is lost: a draft is written within a second even while the worker keeps
typing; a new child cancelled before anything was typed leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from sync.store import Store
from tests.tui.journeys import app_on, assert_alive, demo_replica, journey_store, settle
from tui.screens.case_list import CaseListScreen
from tui.screens.child_file import FormChooser
from tui.screens.form_entry import FormScreen

__all__ = ["demo_replica", "journey_store"]  # the fixtures, used by name


async def test_a_draft_is_saved_within_a_second_while_typing_goes_on(
    journey_store: tuple[Store, Path],
) -> None:
    store, replica = journey_store
    app = app_on(store, replica)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        chooser = app.screen
        assert isinstance(chooser, FormChooser)
        for _ in range([f.id for f in chooser.forms].index("risk")):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press("tab")  # from the date to the assessor
        assert isinstance(form.focused, Input)
        saved_while_typing = False
        for key in "王社工正在连续不断地输入评估人的名字":  # a key every 0.15 s for 2.7 s
            await pilot.press(key)
            await pilot.pause(0.15)
            answers = store.get(form.doc["_id"]).get("answers", {})
            saved_while_typing = saved_while_typing or bool(answers.get("assessor"))
        assert saved_while_typing  # written before the typing stopped (was: only after 0.4 s quiet)
        assert_alive(app, FormScreen)


async def test_a_new_child_cancelled_at_once_leaves_nothing(
    journey_store: tuple[Store, Path],
) -> None:
    store, replica = journey_store
    before = sum(1 for _ in store.all_docs("child:"))
    app = app_on(store, replica)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert_alive(app, CaseListScreen)
    assert sum(1 for _ in store.all_docs("child:")) == before
