"""Case work in the app: the due view, the review chain, the lifecycle, the report action."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from engine.casework.rules import load_rules
from engine.casework.schedule import due_list
from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.tui.conftest import TEST_WORKER
from tui.app import CareformsApp
from tui.case_files import case_file, case_files
from tui.commands.demo import fill
from tui.screens.child_file import ChildFileScreen
from tui.screens.dialogs import NoteDialog
from tui.screens.due import DueScreen
from tui.screens.result import ResultScreen
from tui.widgets.case_table import CaseTable

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Store, Path]]:
    replica = tmp_path / "replica.db"
    with Store.open(replica, "pass phrase", kdf_cost=FAST_KDF) as store:
        fill(store, 30, TODAY)
        yield store, replica


async def test_the_due_view_lists_what_the_engine_says_and_opens_a_child(
    demo: tuple[Store, Path],
) -> None:
    store, replica = demo
    expected = due_list(case_files(store), load_rules(), TODAY, 14)
    app = CareformsApp(replica, store=store, today=TODAY, worker=TEST_WORKER)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DueScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == len(expected) > 0
        villages = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert villages == sorted(villages)
        first = table.get_row_at(0)
        late = [e for e in expected if e.name == first[3]]
        assert late and str(first[1]) in {e.item.due.isoformat() for e in late}
        await pilot.press("ctrl+o")  # by due date
        await pilot.pause()
        dues = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert dues == sorted(dues)
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChildFileScreen)
        assert app.screen.case.name == table.get_row_at(0)[3]


async def open_latest_risk(pilot: Pilot[None], app: CareformsApp, child: str) -> ResultScreen:
    app.post_message(CaseTable.Opened(child))
    await pilot.pause()
    file = app.screen
    assert isinstance(file, ChildFileScreen)
    latest = file.case.latest("risk")
    assert latest is not None
    table = file.query_one("#assessment-table", DataTable)
    file.query_one("TabbedContent").active = "tab-assessments"
    await pilot.pause()
    table.move_cursor(row=table.get_row_index(latest.id))
    table.focus()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ResultScreen)
    return app.screen


async def test_the_review_flow_submit_return_resubmit_approve(demo: tuple[Store, Path]) -> None:
    store, replica = demo
    child = next(c for c in case_files(store) if c.latest("risk") and not c.latest("risk").review)
    app = CareformsApp(replica, store=store, today=TODAY, lang="en", worker=TEST_WORKER)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        result = await open_latest_risk(pilot, app, child.id)
        doc_id = result.doc["_id"]
        await pilot.press("s")  # asks first; enter confirms
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("a")  # a worker may not approve
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        await pilot.click("#ok")
        await pilot.pause()
        assert "This needs the supervisor (or expert) role" in [
            str(n.message) for n in app._notifications
        ]
        app.session.roles = {"supervisor"}
        await pilot.press("b")
        await pilot.pause()
        app.screen.query_one("#note", Input).value = "Add the guardian's health"
        await pilot.click("#ok")
        await pilot.pause()
        await pilot.press("s")  # asks first; enter confirms
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.click("#ok")
        await pilot.pause()
        assert any("approved" in str(label.render()) for label in app.screen.query(".review-step"))
    steps = [(s["step"], s["comment"]) for s in store.get(doc_id)["review"]]
    assert steps == [
        ("submit", ""),
        ("return", "Add the guardian's health"),
        ("submit", ""),
        ("approve", ""),
    ]


async def test_the_lifecycle_moves_with_a_note_and_the_report_is_written(
    demo: tuple[Store, Path], tmp_path: Path
) -> None:
    store, replica = demo
    child = next(c for c in case_files(store) if c.state == "in_service")
    app = CareformsApp(replica, store=store, today=TODAY, worker=TEST_WORKER)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.post_message(CaseTable.Opened(child.id))
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        dialog.query_one("#choice").value = "closed"
        await pilot.click("#ok")  # closing without a reason is refused
        await pilot.pause()
        assert case_file(store, child.id).state == "in_service"
        await pilot.press("l")
        await pilot.pause()
        app.screen.query_one("#choice").value = "closed"
        app.screen.query_one("#note", Input).value = "随父母迁往外省"
        await pilot.click("#ok")
        await pilot.pause()
        assert case_file(store, child.id).state == "closed"
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
    [report] = list((replica.parent / "reports").glob("*.pdf"))
    assert child.name in "\n".join(p.extract_text() for p in PdfReader(report).pages)
    history = case_file(store, child.id).history
    assert history[-1].to == "closed" and history[-1].note == "随父母迁往外省"


async def test_a_progress_note_on_the_plan_and_the_review_state_in_the_file(
    demo: tuple[Store, Path],
) -> None:
    store, replica = demo
    child = next(c for c in case_files(store) if c.plans)
    approved = next(c for c in case_files(store) if c.latest("risk") and c.latest("risk").review)
    app = CareformsApp(replica, store=store, today=TODAY, lang="en", worker=TEST_WORKER)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.post_message(CaseTable.Opened(child.id))
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one("#note", Input).value = "Second tutoring session"
        await pilot.click("#ok")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        app.post_message(CaseTable.Opened(approved.id))
        await pilot.pause()
        table = app.screen.query_one("#assessment-table", DataTable)
        row = table.get_row(approved.latest("risk").id)
        assert str(row[-1]) == "approved"
    notes = [p["note"] for p in store.get(str(child.plans[-1]["_id"]))["progress"]]
    assert notes[-1] == "Second tutoring session" and len(notes) == 2


async def test_a_service_plan_is_written_in_the_app_from_the_plan_form(
    demo: tuple[Store, Path],
) -> None:
    from textual.widgets import RadioButton

    from tui.fields.widgets import FieldWidget, GroupField
    from tui.screens.child_file import FormChooser
    from tui.screens.form_entry import FormScreen

    store, replica = demo
    child = next(c for c in case_files(store) if not c.plans)
    app = CareformsApp(replica, store=store, today=TODAY, lang="en", worker=TEST_WORKER)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.post_message(CaseTable.Opened(child.id))
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        chooser = app.screen
        assert isinstance(chooser, FormChooser)
        chooser.dismiss("plan")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)

        def field(pointer: str) -> FieldWidget:
            return next(w for w in form.query(FieldWidget) if w.spec.pointer == pointer)

        async def wait_for(pointer: str) -> FieldWidget:
            for _ in range(200):
                found = [w for w in form.query(FieldWidget) if w.spec.pointer == pointer]
                if found and found[0].is_mounted:
                    return found[0]
                await pilot.pause(0.01)
            raise AssertionError(pointer)

        field("/made_on").query_one(Input).value = "2026-11-20"
        await pilot.pause()
        for pointer, first in (("/goals", "/goals/0"), ("/services", "/services/0/kind")):
            group = await wait_for(pointer)
            assert isinstance(group, GroupField)
            group.query_one("#add").press()
            await wait_for(first)
        (await wait_for("/goals/0")).query_one(Input).value = "每周按时到校"
        (await wait_for("/services/0/kind")).query(RadioButton)[0].value = True
        (await wait_for("/services/0/description")).query_one(Input).value = "学业辅导"
        (await wait_for("/services/0/responsible")).query_one(Input).value = "陈社工"
        (await wait_for("/services/0/start")).query_one(Input).value = "2026-11-25"
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, type(app.screen)) and not isinstance(app.screen, FormScreen)
    plans = [d for d in store.all_docs(f"plan:{child.id}:")]
    assert len(plans) == 1 and plans[0]["status"] == "final"
    assert plans[0]["answers"]["goals"] == ["每周按时到校"]
    assert plans[0]["answers"]["services"][0]["responsible"] == "陈社工"
