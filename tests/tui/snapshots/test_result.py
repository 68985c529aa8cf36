from __future__ import annotations

import pytest

from tests.tui.snapshots.conftest import SIZES, settle


async def latest_result(pilot) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import DataTable

    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    screen.query_one("TabbedContent").active = "tab-assessments"
    await settle(pilot)
    table = screen.query_one("#assessment-table", DataTable)
    table.move_cursor(row=table.get_row_index(screen.case.latest("risk").id))
    table.focus()
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_result(snap_compare, make_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=size, run_before=latest_result)
