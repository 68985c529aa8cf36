from __future__ import annotations

import pytest

from tests.tui.snapshots.conftest import SIZES, settle


@pytest.mark.parametrize("size", SIZES)
def test_case_list(snap_compare, make_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=size, run_before=settle)


def test_case_list_in_english_filtered(snap_compare, make_app) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        pilot.app.screen.query_one("#overdue").value = True
        await settle(pilot)

    assert snap_compare(make_app("en"), terminal_size=(120, 40), run_before=run_before)
