from __future__ import annotations

import pytest

from tests.tui.snapshots.conftest import SIZES, settle


async def new_risk_form(pilot) -> None:  # type: ignore[no-untyped-def]
    from tui.screens.child_file import FormChooser

    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    chooser = pilot.app.screen
    assert isinstance(chooser, FormChooser)
    chooser.dismiss("risk")
    await settle(pilot)
    pilot.app.screen.show_section(1)
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_form_entry(snap_compare, make_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=size, run_before=new_risk_form)
