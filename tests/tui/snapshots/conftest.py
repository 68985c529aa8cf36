"""Snapshot tests, one file per screen, at 80x24 and 120x40, on a fixed fictional caseload."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.tui.conftest import TEST_WORKER
from tui.app import CareformsApp
from tui.commands.demo import fill

TODAY = date(2026, 11, 23)
SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def demo_store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "replica.db", "pass phrase", kdf_cost=FAST_KDF) as store:
        fill(store, 24, TODAY)
        yield store


@pytest.fixture
def make_app(demo_store: Store, tmp_path: Path) -> Callable[..., CareformsApp]:
    def make(lang: str = "zh-CN") -> CareformsApp:
        return CareformsApp(
            tmp_path / "replica.db", store=demo_store, today=TODAY, lang=lang, worker=TEST_WORKER
        )

    return make


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the workers (bands, due dates) and the screen to be drawn."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
