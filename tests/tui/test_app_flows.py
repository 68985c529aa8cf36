"""The app's main flows, driven through Textual's pilot on a real encrypted replica."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, RadioButton, RadioSet

from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.tui.conftest import TEST_WORKER
from tui.app import CareformsApp
from tui.commands.demo import fill
from tui.fields.widgets import ChoiceField, FieldWidget
from tui.screens.case_list import CaseListScreen
from tui.screens.child_file import ChildFileScreen, ContinueDraft, FormChooser
from tui.screens.form_entry import FormScreen
from tui.screens.result import OverrideDialog, ResultScreen
from tui.widgets.case_table import CaseTable

TODAY = date(2026, 11, 23)


@pytest.fixture
def replica(tmp_path: Path) -> Path:
    return tmp_path / "replica.db"


@pytest.fixture
def store(replica: Path) -> Iterator[Store]:
    with Store.open(replica, "pass phrase", kdf_cost=FAST_KDF) as opened:
        yield opened


def app_on(store: Store, replica: Path, lang: str = "zh-CN") -> CareformsApp:
    return CareformsApp(replica, store=store, lang=lang, today=TODAY, worker=TEST_WORKER)


def field(screen: FormScreen, pointer: str) -> FieldWidget:
    return next(w for w in screen.query(FieldWidget) if w.spec.pointer == pointer)


async def answer(pilot: Any, screen: FormScreen, pointer: str, value: Any) -> None:
    """Answer one field the way the user would: type into its input or press its option."""
    widget = field(screen, pointer)
    if isinstance(widget, ChoiceField):
        widget.query(RadioButton)[widget.options.index(value)].value = True
    else:
        widget.query_one(Input).value = str(value)
    await pilot.pause()


async def fill_section(pilot: Any, screen: FormScreen, values: dict[str, Any]) -> None:
    for name in screen.sections[screen.section].fields:
        if name in values and field_present(screen, "/" + name):
            await answer(pilot, screen, "/" + name, values[name])


async def fill_form(pilot: Any, screen: FormScreen, values: dict[str, Any]) -> None:
    """Every section in turn, as the user pages through the form."""
    for index in range(len(screen.sections)):
        screen.show_section(index)
        await pilot.pause()
        await fill_section(pilot, screen, values)


def field_present(screen: FormScreen, pointer: str) -> bool:
    return any(w.spec.pointer == pointer for w in screen.query(FieldWidget))


def risk_values(screen: FormScreen, rating: int) -> dict[str, Any]:
    values: dict[str, Any] = {
        "assessment_date": "2026-11-20",
        "assessor": "李老师",
        "place": "home",
    }
    for name, f in screen.form.fields.items():
        if f.score is not None:
            values[name] = rating
        elif name.startswith("rf_"):
            values[name] = False
    return values


async def new_child(pilot: Any, app: CareformsApp, name: str) -> str:
    await pilot.press("ctrl+n")
    await pilot.pause()
    profile = app.screen
    assert isinstance(profile, FormScreen) and profile.form.id == "child-profile"
    await answer(pilot, profile, "/name", name)
    await answer(pilot, profile, "/sex", "female")
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(app.screen, ChildFileScreen)
    return app.screen.case.id


async def open_form(pilot: Any, app: CareformsApp, form_id: str) -> FormScreen:
    await pilot.press("n")
    await pilot.pause()
    chooser = app.screen
    assert isinstance(chooser, FormChooser)
    index = [f.id for f in chooser.forms].index(form_id)
    chooser.dismiss(chooser.forms[index].id)
    await pilot.pause()
    if isinstance(app.screen, ContinueDraft):
        await pilot.click("#continue")
        await pilot.pause()
    assert isinstance(app.screen, FormScreen)
    return app.screen


async def test_a_new_child_assessed_red_through_a_red_flag_then_overridden(
    store: Store, replica: Path
) -> None:
    app = app_on(store, replica)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CaseListScreen)
        child = await new_child(pilot, app, "测试儿童")
        assert store.get(f"child:{child}")["answers"]["name"] == "测试儿童"
        form = await open_form(pilot, app, "risk")
        values = risk_values(form, 0) | {"rf_violence_abuse": True}
        await fill_form(pilot, form, values)
        await pilot.press("f5")
        await pilot.pause()
        result = app.screen
        assert isinstance(result, ResultScreen)
        stored = store.get(result.doc["_id"])
        assert stored["status"] == "final"
        assert stored["result"]["classification"]["band"]["id"] == "red"
        assert [f["id"] for f in stored["result"]["classification"]["red_flags"]] == [
            "violence_abuse"
        ]
        await pilot.press("o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OverrideDialog)
        # red is the top band and a red flag may not be lowered: the rules allow no band,
        # and the dialog says so instead of offering bands it would refuse
        assert not dialog.query("#to-band") and not dialog.query("#save")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ResultScreen)
    assert store.get(stored["_id"])["result"]["classification"]["override"] is None


async def test_an_orange_result_overridden_to_red_with_a_reason(
    store: Store, replica: Path
) -> None:
    app = app_on(store, replica, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await new_child(pilot, app, "Override child")
        form = await open_form(pilot, app, "risk")
        values = risk_values(form, 1)
        await fill_form(pilot, form, values)
        await pilot.press("f5")
        await pilot.pause()
        result = app.screen
        assert isinstance(result, ResultScreen)
        assert result.doc["result"]["classification"]["band"]["id"] == "orange"
        await pilot.press("o")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OverrideDialog)
        dialog.query_one("#to-band").value = "red"
        dialog.query_one("#reason", Input).value = "Carer drinks; the child is often alone"
        await pilot.click("#save")
        await pilot.pause()
        doc_id = result.doc["_id"]
    classification = store.get(doc_id)["result"]["classification"]
    assert classification["band"]["id"] == "red"
    assert classification["override"]["reason"] == "Carer drinks; the child is often alone"
    assert classification["override"]["from_band"] == "orange"


async def test_finalising_an_incomplete_form_jumps_to_the_first_missing_answer(
    store: Store, replica: Path
) -> None:
    app = app_on(store, replica)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await new_child(pilot, app, "未完成")
        form = await open_form(pilot, app, "risk")
        form.show_section(len(form.sections) - 1)
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert app.screen is form and form.section == 0
        assert field(form, "/assessment_date").has_class("has-error")


async def test_autosave_survives_closing_the_app_mid_form_and_the_draft_is_offered(
    store: Store, replica: Path
) -> None:
    app = app_on(store, replica)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await new_child(pilot, app, "草稿儿童")
        form = await open_form(pilot, app, "risk")
        await answer(pilot, form, "/assessor", "王社工")
        await answer(pilot, form, "/place", "school")
        await pilot.pause(0.6)  # the quiet after typing, when the draft is written
        draft_id = form.doc["_id"]
        # written already, while the app runs: a second connection (another process after a
        # crash) reads it; nothing waits for the app to close
        with Store.open(replica, "pass phrase", kdf_cost=FAST_KDF) as other:
            assert other.get(draft_id)["answers"] == {"assessor": "王社工", "place": "school"}
    assert store.get(draft_id)["answers"] == {"assessor": "王社工", "place": "school"}
    again = app_on(store, replica)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = again.screen.query_one(CaseTable)
        table.cursor = next(i for i, r in enumerate(table.rows) if r.name == "草稿儿童")
        await pilot.press("enter")
        await pilot.pause()
        form = await open_form(pilot, again, "risk")
        assert form.doc["_id"] == draft_id
        assert form.answers == {"assessor": "王社工", "place": "school"}
        radio = field(form, "/place").query_one(RadioSet)
        assert radio.pressed_index == 1
        assert field(form, "/assessor").query_one(Input).value == "王社工"


async def test_switching_language_relabels_the_screen_and_keeps_the_search(
    store: Store, replica: Path
) -> None:
    fill(store, 12, TODAY)
    app = app_on(store, replica)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        name = screen.rows[0].name
        screen.query_one("#search", Input).value = name[:2]
        await pilot.pause()
        shown = len(screen.query_one(CaseTable).rows)
        await pilot.press("f9")
        await pilot.pause()
        assert app.lang == "en"
        assert screen.query_one("#search", Input).value == name[:2]
        assert len(screen.query_one(CaseTable).rows) == shown
        assert "children" in str(screen.query_one("#count").render())
        assert screen.query_one(CaseTable).columns[1].title == "Name"


async def test_the_case_list_searches_filters_and_sorts(store: Store, replica: Path) -> None:
    fill(store, 40, TODAY)
    app = app_on(store, replica)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one(CaseTable)
        assert len(table.rows) == 40 and all(r.band for r in table.rows if r.state != "closed")
        order = {b.id: i for i, b in enumerate(screen.bands)}
        ranks = [order.get(r.band or "", 9) for r in table.rows]
        assert ranks == sorted(ranks)
        target = table.rows[5]
        screen.query_one("#search", Input).value = target.name
        await pilot.pause()
        assert target.id in {r.id for r in table.rows} and all(
            target.name in r.name for r in table.rows
        )
        screen.query_one("#search", Input).value = ""
        screen.query_one("#overdue").value = True
        await pilot.pause()
        assert table.rows and all(r.overdue > 0 for r in table.rows)


async def test_a_child_found_by_typing_is_opened_with_down_and_enter(
    store: Store, replica: Path
) -> None:
    fill(store, 40, TODAY)
    app = app_on(store, replica)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(CaseTable)
        wanted = table.rows[7]
        for character in wanted.name:  # typed on the list: goes to the search box
            await pilot.press(character)
            await pilot.pause()
        assert app.screen.query_one("#search", Input).value == wanted.name
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ChildFileScreen) and app.screen.case.id == wanted.id


async def test_an_empty_replica_offers_demo_data(store: Store, replica: Path) -> None:
    app = app_on(store, replica, lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "ctrl+d for fictional demo data" in str(app.screen.query_one("#count").render())
        await pilot.press("ctrl+d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = app.screen.query_one(CaseTable).rows
        assert len(rows) == 60 and {r.band for r in rows} >= {"red", "orange", "yellow", "green"}
        await pilot.press("ctrl+d")  # only an empty replica is filled
        await app.workers.wait_for_complete()
    assert sum(1 for _ in store.all_docs("child:")) == 60


async def test_a_broken_form_is_reported_and_the_app_keeps_working(
    store: Store, replica: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "district-forms"
    folder.mkdir()
    (folder / "bad.v1.json").write_text(
        '{"x-form": {"id": "bad", "version": 1, "title": {"zh-CN": "坏"}}, "type": "object",'
        ' "properties": {"q": {"type": "strin"}}}',
        "utf-8",
    )
    app = CareformsApp(
        replica, store=store, lang="en", today=TODAY, form_folders=(folder,), worker=TEST_WORKER
    )
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
        assert any("bad.v1.json#/properties/q/type" in n for n in notes)
        assert isinstance(app.screen, CaseListScreen)
        await new_child(pilot, app, "still works")


async def test_a_passphrase_given_ahead_opens_the_list_and_a_wrong_one_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.screens.unlock import UnlockScreen

    replica = tmp_path / "replica.db"
    Store.open(replica, "the right one").close()
    monkeypatch.setenv("CAREFORMS_PASSPHRASE", "the right one")
    app = CareformsApp(replica, today=TODAY, worker=TEST_WORKER)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CaseListScreen)
    monkeypatch.setenv("CAREFORMS_PASSPHRASE", "a wrong one")
    app = CareformsApp(replica, today=TODAY, worker=TEST_WORKER)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen) and not app.screen.first_run


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_unlock_screen_switches_language_with_all_it_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """F9 on the first screen a worker sees: title, prompt and the problem said, each in
    the language switched to, at whatever step of choosing a passphrase."""
    from tui.screens.unlock import UnlockScreen
    from tui.words import t

    monkeypatch.delenv("CAREFORMS_PASSPHRASE", raising=False)
    app = CareformsApp(tmp_path / "replica.db", today=TODAY, lang="zh-CN", worker=TEST_WORKER)

    def shown() -> list[str]:
        return [str(app.screen.query_one(f"#unlock-{part}").render()) for part in
                ("title", "prompt", "error")]  # fmt: skip

    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press(*"short", "enter")
        await pilot.pause()
        zh = [t(key, "zh-CN") for key in ("unlock.title", "unlock.new", "unlock.short")]
        assert shown() == zh
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        assert shown() == [t(key, "en") for key in ("unlock.title", "unlock.new", "unlock.short")]
        await pilot.press(*"long enough 1", "enter")  # the first time: asked again
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert shown() == [t("unlock.title", "zh-CN"), t("unlock.again", "zh-CN"), ""]
        await pilot.press(*"long enough 1", "enter")  # the same again: the list opens
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CaseListScreen)


async def test_the_unlock_screen_sets_a_passphrase_then_asks_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.screens.unlock import UnlockScreen

    monkeypatch.delenv("CAREFORMS_PASSPHRASE", raising=False)
    replica = tmp_path / "home" / "replica.db"
    app = CareformsApp(replica, today=TODAY, lang="en", worker=TEST_WORKER)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen) and app.screen.first_run
        for text in ("short", "long enough 1", "long enough 2"):  # too short, then differ
            await pilot.press(*text, "enter")
            await pilot.pause()
        assert "differ" in str(app.screen.query_one("#unlock-error").render())
        for text in ("long enough 1", "long enough 1"):
            await pilot.press(*text, "enter")
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CaseListScreen)
    app = CareformsApp(replica, today=TODAY, lang="en", worker=TEST_WORKER)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"long enough 2", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Wrong passphrase" in str(app.screen.query_one("#unlock-error").render())
        await pilot.press(*"long enough 1", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CaseListScreen)
