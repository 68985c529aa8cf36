"""What the journey and monkey tests share: a demo replica, and the checks made after every
key — the screen expected, a live focus (or the screen's own keys), the footer's keys."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer

from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.tui.conftest import TEST_WORKER
from tui.app import CareformsApp
from tui.commands.demo import fill
from tui.screens.base import usable

TODAY = date(2026, 11, 23)
SIZES = [(80, 24), (120, 40)]


@pytest.fixture(scope="module")
def demo_replica(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo caseload, made once; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("journey")
    with Store.open(folder / "replica.db", "pass phrase", kdf_cost=FAST_KDF) as store:
        fill(store, 12, TODAY)
    return folder / "replica.db"


@pytest.fixture
def journey_store(demo_replica: Path, tmp_path: Path) -> Iterator[tuple[Store, Path]]:
    import shutil

    for suffix in ("", "-wal", "-shm"):
        source = demo_replica.with_name(demo_replica.name + suffix)
        if source.exists():
            shutil.copy(source, tmp_path / ("replica.db" + suffix))
    with Store.open(tmp_path / "replica.db", "pass phrase", kdf_cost=FAST_KDF) as store:
        yield store, tmp_path / "replica.db"


def app_on(store: Store, replica: Path, lang: str = "zh-CN") -> CareformsApp:
    return CareformsApp(replica, store=store, today=TODAY, lang=lang, worker=TEST_WORKER)


def footer_keys(screen: Screen[Any]) -> list[str]:
    """The keys the screen's footer shows (and so promises to answer)."""
    return [
        key
        for key, active in screen.active_bindings.items()
        if active.binding.show and active.enabled
    ]


def assert_alive(app: CareformsApp, expected: type | None = None) -> None:
    """After every step: the screen expected, a focus keys can reach (or none, and then the
    screen's own bindings), a footer with keys, and no error inside Textual."""
    screen = app.screen
    if expected is not None:
        assert isinstance(screen, expected), f"{screen!r} is not a {expected.__name__}"
    focused = screen.focused
    assert focused is None or usable(focused, screen), f"focus on a dead widget: {focused!r}"
    assert screen.active_bindings, f"no key answers on {screen!r}"
    if not isinstance(screen, ModalScreen) or screen.query(Footer):
        assert screen.query(Footer), f"no footer on {screen!r}"
    if not isinstance(screen, ModalScreen):
        assert footer_keys(screen), f"the footer of {screen!r} shows no key"
    assert app._exception is None, app._exception


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
