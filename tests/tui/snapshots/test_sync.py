from __future__ import annotations

import pytest

from tests.tui.snapshots.conftest import SIZES, settle


@pytest.mark.parametrize("size", SIZES)
def test_sync(snap_compare, make_app, size) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        pilot.app.screen.query_one("#start").focus()
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
