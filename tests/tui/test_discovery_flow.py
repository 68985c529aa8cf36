"""双排查 end to end: a list imported at the office, its tasks synced through a real CouchDB to
a worker's laptop, visited and closed in the app by keyboard, the figures back at the office."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Label

from sync.couch import CouchServer
from sync.replicator import Replicator
from sync.server_setup import add_user, district_database, init_server
from sync.settings import SyncSettings
from sync.store import Store
from tests.engine.casework.discovery_lists import id_number, xlsx
from tests.sync.conftest import FAST_KDF
from tests.sync.server import ServerUnderTest
from tui.app import CareformsApp
from tui.cli import main
from tui.commands.demo import fill
from tui.screens.child_file import ChildFileScreen
from tui.screens.dialogs import NoteDialog
from tui.screens.screening_progress import BatchProgressScreen
from tui.screens.verification_dialogs import ConfirmDialog
from tui.screens.verification_tasks import TaskScreen, VerificationTasksScreen

TODAY = date(2026, 11, 23)
OFFICE_PASS = "office pass"


def laptop(path: Path, district: str, user: str, **open_args: int) -> Store:
    store = Store.open(path, OFFICE_PASS, **open_args)
    settings = SyncSettings.load(store)
    settings.district, settings.user = district, user
    settings.save(store)
    return store


def labels(screen: object) -> str:
    return "\n".join(str(w.render()) for w in screen.query(Label))  # type: ignore[attr-defined]


async def open_row(pilot: object, screen: VerificationTasksScreen, task_id: str) -> None:
    table = screen.query_one(DataTable)
    for _ in range(table.get_row_index(task_id)):
        await pilot.press("down")  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_a_batch_from_import_to_a_confirmed_new_child(
    server: ServerUnderTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.require_couchdb()  # the worker's edits go through the district's validation
    admin = CouchServer(server.url, server.admin, server.password)
    district = server.new_district("yz")
    init_server(admin, [district])
    people = {role: server.new_database_name(role) for role in ("supervisor", "worker")}
    for role, name in people.items():
        add_user(admin, name, "pw-" + name, district=district, role=role)

    def remote(role: str) -> object:
        name = people[role]
        return CouchServer(server.url, name, "pw-" + name).database(district_database(district))

    # At the office: the register, and the education bureau's list imported by the command.
    office_home = tmp_path / "office"
    with laptop(office_home / "replica.db", district, people["supervisor"]) as office:
        fill(office, 4, TODAY, district=district)
        known = next(office.all_docs("child:"))["answers"]
    listing = xlsx(
        tmp_path / "教育局.xlsx",
        [
            [1, known["name"], None, "男" if known["sex"] == "male" else "女",
             known["birth_date"], known["township"] + known["village"], "", ""],
            [2, "刘小雨", id_number("20160707", 22), "女", None, "云岗乡下坪村4组", "刘军", "139"],
        ],
    )  # fmt: skip
    monkeypatch.setenv("CAREFORMS_PASSPHRASE", OFFICE_PASS)
    imported = ["--home", str(office_home), "discover", "import", str(listing),
                "--source", "教育局", "--category", "留守"]  # fmt: skip
    assert main(imported) == 0
    with Store.open(office_home / "replica.db", OFFICE_PASS) as office:
        tasks = {t["record"]["name"]: t for t in office.all_docs("verification:")}
        assert Replicator(office, remote("supervisor")).sync().rejected == []

    # The worker's laptop pulls the tasks like any document, and visits.
    worker = laptop(tmp_path / "worker.db", district, people["worker"], kdf_cost=FAST_KDF)
    try:
        assert Replicator(worker, remote("worker")).sync().pulled.written >= len(tasks) + 1
        app = CareformsApp(tmp_path / "worker.db", store=worker, lang="zh-CN", today=TODAY)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+t")
            await pilot.pause()
            listed = app.screen
            assert isinstance(listed, VerificationTasksScreen)
            table = listed.query_one(DataTable)
            assert table.row_count == 2 and "待核查 2 个，共 2 个" in labels(listed)

            new = tasks["刘小雨"]
            await open_row(pilot, listed, new["_id"])
            task = app.screen
            assert isinstance(task, TaskScreen)
            shown = labels(task)
            assert "教育局" in shown and "刘军" in shown and "云岗乡下坪村4组" in shown
            assert "名册中没有此人" in shown  # the match reason
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("tab")  # the categories the list suggests are chosen already
            await pilot.press(*"入户核实，父母均在外务工")
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is task and task.doc["status"] == "confirmed"
            made = task.doc["outcome"]["child"]
            child = worker.get(f"child:{made}")
            assert child["case"]["state"] == "intake" and child["district"] == district
            assert child["source"]["department"] == "教育局" and child["source"]["row"] == 4
            assert child["answers"]["categories"] == ["left_behind"]
            assert child["answers"]["birth_date"] == "2016-07-07"
            await pilot.press("o")  # the new child's file opens from the task
            await pilot.pause()
            assert isinstance(app.screen, ChildFileScreen) and app.screen.child_id == made
            await pilot.press("escape", "escape")
            await pilot.pause()

            assert app.screen is listed and listed.query_one(DataTable).row_count == 1
            await open_row(pilot, listed, tasks[known["name"]]["_id"])
            matched = app.screen
            assert isinstance(matched, TaskScreen) and "姓名和出生日期相同" in labels(matched)
            await pilot.press("x")
            await pilot.pause()
            assert isinstance(app.screen, NoteDialog)
            await pilot.press("enter")  # a reason is required
            await pilot.pause()
            assert isinstance(app.screen, NoteDialog)
            app.screen.query_one(Input).focus()
            await pilot.press(*"已核实情况无变化")
            await pilot.press("enter")
            await pilot.pause()
            assert matched.doc["status"] == "not_confirmed"
            assert matched.doc["outcome"]["note"] == "已核实情况无变化"
            await pilot.press("escape", "b")
            await pilot.pause()
            assert isinstance(app.screen, BatchProgressScreen)
        assert Replicator(worker, remote("worker")).sync().rejected == []
    finally:
        worker.close()

    # Back at the office: the supervisor sees the batch's figures (120x40).
    with Store.open(office_home / "replica.db", OFFICE_PASS) as office:
        Replicator(office, remote("supervisor")).sync()
        app = CareformsApp(office_home / "replica.db", store=office, lang="en", today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+t", "b")
            await pilot.pause()
            progress = app.screen
            assert isinstance(progress, BatchProgressScreen)
            row = progress.query_one(DataTable).get_row_at(0)
            # source, file, imported, records, bad, candidates, verified, confirmed, new,
            # category changes, exits, open
            assert row[0] == "教育局" and row[3:] == [2, 0, 2, 2, 1, 1, 0, 0, 0]
        assert office.get(f"child:{made}")["source"]["department"] == "教育局"
