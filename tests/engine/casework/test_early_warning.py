"""Early warning: each rule on hand-made histories, and the model on a fictional caseload."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import pytest

from engine.casework.casefile import CaseFile
from engine.casework.demo_caseload import caseload
from engine.casework.early_warning import early_warnings
from engine.casework.lifecycle import transition
from engine.casework.rules import CaseworkRules, load_rules
from tests.engine.casework.cases import case, child, observed


@pytest.fixture(scope="module")
def rules() -> CaseworkRules:
    return load_rules()


def visits(*totals: int, bands: tuple[str, ...] = (), start: int = 1) -> list[dict]:
    return [
        observed("visit", f"2026-{start + i:02d}-10", total=t, band=bands[i] if bands else "green")
        for i, t in enumerate(totals)
    ]


def fired(c: CaseFile, rules: CaseworkRules) -> set[str]:
    return {w.rule for w in early_warnings(c, rules)}


def test_a_calm_history_fires_nothing(rules: CaseworkRules) -> None:
    assert fired(case(*visits(2, 1, 3, 3, 2)), rules) == set()


def test_three_observations_in_the_top_two_bands_fire_persistent_high(
    rules: CaseworkRules,
) -> None:
    history = [
        observed("risk", "2026-01-05", band="red", total=41),
        *visits(9, 10, bands=("orange", "orange"), start=2),
    ]
    warnings = early_warnings(case(*history), rules)
    assert [w.rule for w in warnings] == ["persistent-high"]
    assert [o.on for o in warnings[0].evidence] == [
        date(2026, 1, 5),
        date(2026, 2, 10),
        date(2026, 3, 10),
    ]
    assert "2026-01-05 risk red" in warnings[0].describe("en")
    history.append(observed("visit", "2026-04-10", total=3, band="yellow"))
    assert fired(case(*history), rules) == set()  # the latest observations decide


def test_a_score_rising_three_times_running_fires_rising(rules: CaseworkRules) -> None:
    assert fired(case(*visits(4, 1, 2, 4)), rules) == {"rising"}
    assert fired(case(*visits(1, 2, 2)), rules) == set()  # level is not rising
    # scores of different forms are never compared with each other
    mixed = [observed("risk", "2026-01-01", total=1, band="green"), *visits(2, 3, start=2)]
    assert fired(case(*mixed), rules) == set()


def test_a_jump_above_the_threshold_fires_and_one_at_it_does_not(rules: CaseworkRules) -> None:
    assert fired(case(*visits(2, 8)), rules) == {"jump-visit"}
    assert fired(case(*visits(2, 7)), rules) == set()  # a rise of 5 is not more than 5
    risk = [
        observed("risk", "2025-03-01", total=10, band="green"),
        observed("risk", "2026-03-01", total=23, band="yellow"),
    ]
    assert fired(case(*risk), rules) == {"jump-risk"}


def test_an_urgent_item_in_the_latest_visit_fires(rules: CaseworkRules) -> None:
    history = visits(1, 1)
    history.append(observed("visit", "2026-03-10", total=2, band="red", flags=("injury_marks",)))
    warnings = early_warnings(case(*history), rules)
    assert [w.rule for w in warnings] == ["urgent"]
    assert "injury_marks" in warnings[0].describe("zh-CN")
    history.append(observed("visit", "2026-04-10", total=1, band="green"))
    assert fired(case(*history), rules) == set()


def test_drafts_and_closed_cases_never_warn(rules: CaseworkRules) -> None:
    draft = observed("visit", "2026-03-10", total=2, flags=("injury_marks",), status="draft")
    assert fired(case(*visits(1, 1), draft), rules) == set()
    record = transition(child(), "closed", "王督导", datetime(2026, 5, 1), "迁出")
    assert fired(case(*visits(2, 9), profile=record), rules) == set()


def test_the_model_on_a_fictional_caseload_of_300_children(
    rules: CaseworkRules, capsys: pytest.CaptureFixture[str]
) -> None:
    """Yuhuan's pilot flagged 14 of 300 children (4.6%); the caseload plants that share."""
    children = caseload(300, today=date(2026, 11, 23))
    flagged: Counter[str] = Counter()
    by_rule: Counter[str] = Counter()
    for planted in children:
        warnings = early_warnings(CaseFile.from_documents(planted.child, planted.documents), rules)
        expected = {
            "stable": set(),
            "persistent_high": {"persistent_band"},
            "rising": {"rising"},
            "jump": {"jump"},
            "urgent": {"urgent"},
        }[planted.course]
        assert {w.kind for w in warnings} == expected, planted.course
        if warnings:
            flagged[planted.course] += 1
            by_rule.update(w.rule for w in warnings)
    total = sum(flagged.values())
    with capsys.disabled():
        print(f"\nearly warning: {total} of 300 flagged ({total / 3:.1f}%): {dict(by_rule)}")
    assert total == 14
