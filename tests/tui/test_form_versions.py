"""The app shows the form versions in use (source, arrival) and offers one child's older
assessments the newest version: walked by keyboard at 80x24 and 120x40."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable

from engine.casework.case_documents import finalise, new_child, new_entry
from engine.forms.form import Origin
from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.sync.test_published_forms import risk_v2, yellow_until_mood_doubles
from tests.tui.conftest import TEST_WORKER
from tui.app import CareformsApp
from tui.form_sources import app_forms

AT = datetime(2026, 11, 2, 10, 0).astimezone()
WHO = {"by": "李老师", "device": "laptop-1", "at": AT}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_versions_screen_and_migrating_one_child(
    size: tuple[int, int], tmp_path: Path
) -> None:
    store = Store.open(tmp_path / "replica.db", "pw", kdf_cost=FAST_KDF)
    forms = app_forms(store)
    v1 = forms.get("risk")
    forms.add_document(
        risk_v2(),
        Path("published/form:risk:2"),
        "k",
        [],
        {"k"},
        Origin("published", "careforms-forms", "2026-11-01T08:00:00+00:00"),
    )
    store.put(new_child("c1", {"name": "王小明"}, forms.get("child-profile"), district="d", **WHO))
    old = new_entry("c1", "a1", v1, district="d", **WHO)
    old["answers"] = yellow_until_mood_doubles(v1)
    store.put(finalise(old, v1, **WHO))
    app = CareformsApp(
        tmp_path / "replica.db", lang="en", store=store, forms=forms, worker=TEST_WORKER
    )
    async with app.run_test(size=size) as pilot:
        app.action_versions()
        await pilot.pause()
        table = app.screen.query_one("#versions-table", DataTable)
        rows = [table.get_row(key) for key in ("risk:1", "risk:2")]
        assert rows[0][2:5] == ["built-in", "-", "kept for older ones"] and rows[0][5] == "1"
        assert rows[1][2:5] == ["published", "2026-11-01 08:00", "new assessments"]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # the child's file
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        shown = " ".join(str(label.render()) for label in app.screen.query("Label"))
        assert "Yellow → Orange" in shown
        await pilot.press("enter")  # Migrate (focused)
        await pilot.pause()
    migrated = store.get("assessment:c1:a1")
    assert migrated["form"]["version"] == 2 and migrated["migrations"][0]["from"]["version"] == 1
    assert migrated["result"]["classification"]["band"]["id"] == "orange"
    store.close()
