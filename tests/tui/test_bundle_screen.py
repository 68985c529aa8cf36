"""Sync by file in the app, walked by keyboard: from the sync screen (F8) a bundle is previewed
and written to a folder, the office reads it, the answer is read back; a damaged answer is
refused on the screen with nothing applied. The sync screen's preview (F7) sends nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input

from sync.bundle_file import check_bundle
from sync.bundles import read_outbound
from sync.server_setup import district_database
from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.sync.server import ServerUnderTest
from tests.tui.conftest import TEST_WORKER
from tui.app import CareformsApp
from tui.screens.bundle_screen import BundleScreen
from tui.screens.sync_screen import SyncScreen

TODAY = date(2026, 11, 23)
WORDS = "usb stick words"


def shown(screen: BundleScreen | SyncScreen, widget: str) -> str:
    return str(screen.query_one(widget).render())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_bundle_written_read_at_the_office_and_its_answer_read_back(
    server: ServerUnderTest, tmp_path: Path, size: tuple[int, int]
) -> None:
    admin, district, worker = server.district_with_worker("usb")
    colleague = admin.database(district_database(district))
    colleague.put({"_id": "child:other", "type": "child", "district": district, "name": "乙"})
    store = Store.open(tmp_path / "replica.db", "pass phrase", kdf_cost=FAST_KDF)
    store.put({"_id": "child:mine", "type": "child", "district": district, "name": "甲"})
    usb = tmp_path / "usb"
    app = CareformsApp(
        tmp_path / "replica.db", store=store, today=TODAY, lang="zh-CN", worker=TEST_WORKER
    )
    async with app.run_test(size=size) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        sync_screen = app.screen
        assert isinstance(sync_screen, SyncScreen)
        await pilot.press("f8")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BundleScreen)
        assert screen.focused is screen.query_one("#passphrase", Input)  # the cursor is there
        for key in WORDS:
            await pilot.press("space" if key == " " else key)
        screen.query_one("#folder", Input).value = str(usb)
        screen.query_one("#district", Input).value = district
        await pilot.press("f8")  # preview: nothing written
        await pilot.pause()
        assert "将发送：儿童档案 1（共 1 份，涉及 1 名儿童）" in shown(screen, "#result")
        assert not usb.exists()
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "（1 份文档）" in shown(screen, "#result")
        (written,) = usb.glob("careforms-*.bundle")

        answer = usb / "answer.bundle"  # at the office
        read_outbound(check_bundle(written, WORDS), colleague, answer)
        assert colleague.get("child:mine")["name"] == "甲"

        damaged = usb / "damaged.bundle"
        data = bytearray(answer.read_bytes())
        data[-5] ^= 1
        damaged.write_bytes(bytes(data))
        screen.query_one("#answer", Input).value = str(damaged)
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "口令不对，或文件已被改动或不完整" in shown(screen, "#result")
        assert "child:other" not in {d["_id"] for d in store.all_docs()}

        screen.query_one("#answer", Input).value = str(answer)
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "已导入回执：1 份文档" in shown(screen, "#result")
        assert store.get("child:other")["name"] == "乙"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is sync_screen and app.screen.focused is not None


async def test_the_sync_preview_counts_and_sends_nothing(
    server: ServerUnderTest, tmp_path: Path
) -> None:
    admin, district, worker = server.district_with_worker("pv")
    store = Store.open(tmp_path / "replica.db", "pass phrase", kdf_cost=FAST_KDF)
    store.put({"_id": "child:mine", "type": "child", "district": district, "name": "甲"})
    app = CareformsApp(
        tmp_path / "replica.db", store=store, today=TODAY, lang="en", worker=TEST_WORKER
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SyncScreen)
        for name, value in (("server", server.url), ("district", district), ("user", worker)):
            screen.query_one(f"#{name}", Input).value = value
        screen.query_one("#password", Input).value = "pw"
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Would send: child records 1 (documents: 1; children: 1)" in shown(
            screen, "#summary"
        )
        assert "Nothing new on the server." in shown(screen, "#summary")
    on_server = admin.database(district_database(district))
    with pytest.raises(Exception, match="404|not_found|missing"):
        on_server.get("child:mine")
