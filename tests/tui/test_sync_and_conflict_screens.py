"""The sync screen against the real test server, and resolving conflicts field by field."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, RadioButton

from sync.couch import CouchServer
from sync.server_setup import add_user, init_server
from sync.settings import SyncSettings
from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.sync.server import ServerUnderTest
from tests.tui.conftest import TEST_WORKER
from tui.app import CareformsApp
from tui.commands.demo import fill
from tui.screens.conflicts import ConflictsScreen, FieldChoice
from tui.screens.sync_screen import SyncScreen
from tui.words import t

TODAY = date(2026, 11, 23)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "replica.db", "pass phrase", kdf_cost=FAST_KDF) as opened:
        yield opened


def app_on(store: Store, tmp_path: Path, lang: str = "en") -> CareformsApp:
    """The app on the test's replica, in `lang`."""
    return CareformsApp(
        tmp_path / "replica.db", store=store, today=TODAY, lang=lang, worker=TEST_WORKER
    )


async def test_a_sync_from_the_app_with_progress_summary_and_rejections(
    server: ServerUnderTest, store: Store, tmp_path: Path
) -> None:
    server.require_couchdb()  # the refusal comes from the district's validation function
    admin = CouchServer(server.url, server.admin, server.password)
    district = server.new_district("tui")
    init_server(admin, [district])
    user = server.new_database_name("wang")
    add_user(admin, user, "secret-wang", district=district, role="supervisor")
    store.put({"_id": "child:new", "type": "child", "district": "local", "answers": {"name": "新"}})
    store.put(
        {"_id": "child:far", "type": "child", "district": "elsewhere", "answers": {"name": "外"}}
    )
    app = app_on(store, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SyncScreen)
        assert "Never synced" in str(screen.query_one("#last").render())
        screen.query_one("#server", Input).value = server.url
        screen.query_one("#district", Input).value = district
        screen.query_one("#user", Input).value = user
        screen.query_one("#password", Input).value = "secret-wang"
        await pilot.press("f6")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = str(screen.query_one("#summary").render())
        assert "pushed 1" in summary and "rejected 1" in summary
        assert "rejected: child:far (forbidden" in summary
        assert "Last successful sync" in str(screen.query_one("#last").render())
        assert "pull: done" in str(screen.query_one("#phase").render())
        assert "supervisor" in app.session.roles
    settings = SyncSettings.load(store)
    assert (settings.district, settings.user) == (district, user)
    assert store.get("child:new")["district"] == district  # adopted before the push
    db = CouchServer(server.url, user, "secret-wang").database(f"careforms-district-{district}")
    assert db.get("child:new")["answers"]["name"] == "新"


async def test_a_wrong_password_is_reported_and_nothing_breaks(
    server: ServerUnderTest, store: Store, tmp_path: Path
) -> None:
    app = app_on(store, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#server", Input).value = server.url
        screen.query_one("#district", Input).value = "tui"
        screen.query_one("#user", Input).value = "nobody"
        screen.query_one("#password", Input).value = "wrong"
        await pilot.click("#start")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Sync did not finish" in str(screen.query_one("#summary").render())
        assert not screen.query_one("#start").disabled
        await pilot.press("f9")  # the worker switches to Chinese: the problem is said again
        await pilot.pause()
        said = str(app.screen.query_one("#summary").render())
        assert t("sync.error.not_allowed", "zh-CN") in said and "Sync did not finish" not in said


async def test_a_problem_on_the_sync_screen_is_said_in_the_language_switched_to(
    store: Store, tmp_path: Path
) -> None:
    app = app_on(store, tmp_path, "zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("f6")  # nothing typed: server, district and user are missing
        await pilot.pause()
        said = str(app.screen.query_one("#summary").render())
        assert t("sync.failed", "zh-CN", error=t("sync.missing", "zh-CN")) in said
        await pilot.press("f9")
        await pilot.pause()
        said = str(app.screen.query_one("#summary").render())
        assert t("sync.failed", "en", error=t("sync.missing", "en")) in said
        assert t("sync.missing", "zh-CN") not in said


async def test_conflicts_are_merged_only_when_every_field_has_a_choice(
    store: Store, tmp_path: Path
) -> None:
    fill(store, 6, TODAY)
    conflicted = store.conflicted()
    assert len(conflicted) == 3
    app = app_on(store, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        doc_id = screen.current.doc_id
        choices = list(screen.query(FieldChoice))
        pointers = {c.difference.pointer for c in choices}
        assert {"/answers/guardian_name", "/answers/school"} <= pointers
        assert "/device" not in pointers  # bookkeeping: the winner's is kept, not asked
        await pilot.click("#save")
        await pilot.pause()
        assert "still need a choice" in str(screen.query_one("#conflict-error").render())
        assert store.conflicted() == conflicted  # nothing discarded
        for choice in choices:
            buttons = choice.query(RadioButton)
            if choice.difference.pointer == "/answers/guardian_name":
                buttons[len(choice.versions)].value = True  # type a value
                await pilot.pause()
                choice.query_one("#typed", Input).value = "外祖母（核实后）"
            elif choice.difference.pointer == "/answers/school":
                buttons[1].value = True  # the colleague's version
            else:
                buttons[0].value = True
        await pilot.pause()
        await pilot.click("#save")
        await pilot.pause()
        assert screen.current is None or screen.current.doc_id != doc_id
    merged = store.get(doc_id, conflicts=True)
    assert "_conflicts" not in merged
    assert merged["answers"]["guardian_name"] == "外祖母（核实后）"
    assert merged["answers"]["school"] == "镇中学"
    assert len(store.conflicted()) == 2
