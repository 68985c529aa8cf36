from __future__ import annotations

import pytest

from tests.tui.snapshots.conftest import SIZES, settle


async def open_first_child(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_child_file(snap_compare, make_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=size, run_before=open_first_child)


@pytest.mark.parametrize("size", SIZES)
def test_child_file_warnings_tab(snap_compare, make_app, size) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_first_child(pilot)
        pilot.app.screen.query_one("TabbedContent").active = "tab-warnings"
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
