"""The sync screen lists the documents the server refused, remembered across syncs, and a
worker dismisses one by keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.tui.conftest import TEST_WORKER
from tui.app import CareformsApp
from tui.screens.sync_screen import SyncScreen
from tui.widgets.rejection_list import RejectionList


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "replica.db", "pass phrase", kdf_cost=FAST_KDF) as opened:
        yield opened


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_remembered_rejections_are_shown_and_dismissed_by_keyboard(
    store: Store, tmp_path: Path, size: tuple[int, int]
) -> None:
    far = store.put({"_id": "child:far", "type": "child", "district": "fuyang"})
    odd = store.put({"_id": "child:odd", "type": "", "district": "kunshan"})
    store.remember_rejections(
        [
            ("child:far", far, "forbidden", "Only documents of district kunshan belong here"),
            ("child:odd", odd, "forbidden", "A document must have a type."),
        ]
    )
    app = CareformsApp(tmp_path / "replica.db", store=store, lang="en", worker=TEST_WORKER)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SyncScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        kept = screen.query_one(RejectionList)
        lines = [str(item.query_one("Label").render()) for item in kept.children]
        assert lines[0].startswith("child:far: forbidden: Only documents of district kunshan")
        assert lines[1].startswith("child:odd: forbidden: A document must have a type.")
        assert "Refused by the server" in str(screen.query_one("#kept-title").render())
        for _ in range(10):  # walk the screen by keyboard to the list
            if kept.has_focus:
                break
            await pilot.press("tab")
        assert kept.has_focus
        await pilot.press("down", "delete")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [r.doc_id for r in store.rejections()] == ["child:far"]
        assert len(kept.children) == 1
        await pilot.press("f9")  # in Chinese too
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        title = str(screen.query_one("#kept-title").render())
        assert "服务器拒绝的文档" in title
