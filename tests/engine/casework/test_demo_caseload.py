"""The fictional caseload is dated back from the day it is made: mostly up to date."""

from __future__ import annotations

from datetime import date

import pytest

from engine.casework.casefile import CaseFile
from engine.casework.demo_caseload import caseload
from engine.casework.rules import load_rules
from engine.casework.schedule import next_due


@pytest.mark.parametrize("today", [date(2026, 11, 23), date(2027, 7, 20), date(2030, 2, 1)])
def test_a_demo_made_any_day_is_mostly_up_to_date(today: date) -> None:
    rules = load_rules()
    cases = [CaseFile.from_documents(k.child, k.documents) for k in caseload(60, today=today)]
    late = [
        item.overdue_days(today)
        for case in cases
        if (item := next_due(case, rules, today)) and item.overdue_days(today)
    ]
    assert 3 <= len(late) <= 20  # some lateness to see, not a list of nothing else
    assert max(late) <= 60
    assert {c.latest("risk").band for c in cases if c.latest("risk")} == {
        "red", "orange", "yellow", "green"
    }  # fmt: skip
