"""What is due and overdue for a child, and why: the rules file read by pure functions."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.casework.lifecycle import transition
from engine.casework.rules import CaseworkRules, Interval, load_rules
from engine.casework.schedule import add_interval, due_items, next_due
from tests.engine.casework.cases import case, child, day, observed


@pytest.fixture(scope="module")
def rules() -> CaseworkRules:
    return load_rules()


def by_rule(items: list) -> dict:
    return {item.rule: item for item in items}


@pytest.mark.parametrize(
    ("start", "interval", "expected"),
    [
        ("2027-01-31", Interval(months=1), "2027-02-28"),
        ("2028-01-31", Interval(months=1), "2028-02-29"),  # leap year
        ("2028-02-29", Interval(months=12), "2029-02-28"),
        ("2026-12-31", Interval(months=2), "2027-02-28"),
        ("2026-11-30", Interval(months=3), "2027-02-28"),
        ("2026-03-31", Interval(months=1), "2026-04-30"),
        ("2026-12-25", Interval(days=7), "2027-01-01"),
        ("2028-02-22", Interval(days=7), "2028-02-29"),
    ],
)
def test_intervals_land_on_real_days(start: str, interval: Interval, expected: str) -> None:
    assert add_interval(day(start), interval) == day(expected)


def test_a_new_child_needs_both_assessments_within_a_month_of_intake(
    rules: CaseworkRules,
) -> None:
    items = by_rule(due_items(case(intake="2026-01-31"), rules, day("2026-03-10")))
    assert items["initial-risk"].due == day("2026-02-28")
    assert items["initial-needs"].due == day("2026-02-28")
    assert items["initial-risk"].since == day("2026-01-31")
    assert items["initial-risk"].overdue_days(day("2026-03-10")) == 10
    assert "yearly-risk" not in items  # the first assessment is what is due
    assert items["contact"].due == day("2026-02-28")  # counted from intake


def test_after_the_first_assessment_the_yearly_one_is_due(rules: CaseworkRules) -> None:
    risk = observed("risk", "2026-02-20", band="yellow", total=15)
    items = by_rule(due_items(case(risk), rules, day("2026-03-01")))
    assert "initial-risk" not in items
    assert items["yearly-risk"].due == day("2027-02-20")
    assert items["initial-needs"].due == day("2026-02-10")  # still missing


def test_a_leap_day_assessment_is_due_again_on_28_february(rules: CaseworkRules) -> None:
    risk = observed("risk", "2028-02-29", band="green", total=3)
    items = by_rule(due_items(case(risk, intake="2028-02-01"), rules, day("2028-03-01")))
    assert items["yearly-risk"].due == day("2029-02-28")


def test_contact_cadence_follows_the_band_and_says_which_rule(rules: CaseworkRules) -> None:
    green = observed("risk", "2026-03-01", band="green", total=4)
    items = by_rule(due_items(case(green), rules, day("2026-03-02")))
    assert items["contact"].due == day("2026-04-01")
    assert items["home-visit"].due == day("2026-06-01")
    red = observed("risk", "2026-03-01", band="red", total=45)
    items = by_rule(due_items(case(red), rules, day("2026-03-02")))
    assert items["contact-red"].due == day("2026-03-08")
    assert items["contact-red"].because["en"] == "weekly contact for a red child"
    assert items["home-visit-red"].due == day("2026-03-15")


def test_a_band_change_between_visits_counts_from_the_assessment_that_changed_it(
    rules: CaseworkRules,
) -> None:
    docs = [
        observed("risk", "2026-01-20", band="green", total=5),
        observed("visit", "2026-02-15", kind="home", total=2, band="green"),
        observed("risk", "2026-03-10", band="orange", total=30),
    ]
    items = by_rule(due_items(case(*docs), rules, day("2026-03-11")))
    assert items["contact-orange"].due == day("2026-03-24")  # 14 days after the new band
    assert items["home-visit-orange"].due == day("2026-04-10")
    # the visit form's own band does not set the cadence: only the risk form does
    docs.append(observed("visit", "2026-03-20", kind="phone", band="green", total=1))
    items = by_rule(due_items(case(*docs), rules, day("2026-03-21")))
    assert items["contact-orange"].due == day("2026-04-03")
    assert items["home-visit-orange"].due == day("2026-04-10")  # a phone call is not a home visit


def test_an_assessment_done_at_school_is_a_contact_but_not_a_home_visit(
    rules: CaseworkRules,
) -> None:
    docs = [
        observed("risk", "2026-01-15", band="green", total=5),
        observed("risk", "2026-06-01", band="green", total=5, kind="school"),
    ]
    items = by_rule(due_items(case(*docs), rules, day("2026-06-02")))
    assert items["contact"].due == day("2026-07-01")
    assert items["home-visit"].due == day("2026-04-15")


def test_psychological_problems_or_a_disabled_parent_shorten_the_cadence(
    rules: CaseworkRules,
) -> None:
    mood = observed("risk", "2026-03-01", band="yellow", total=14, answers={"mood": 2})
    items = by_rule(due_items(case(mood), rules, day("2026-03-02")))
    assert items["contact-psychological"].due == day("2026-03-15")
    listed = case(observed("risk", "2026-03-01", band="green", total=2),
                  categories=("psychological",))  # fmt: skip
    assert "contact-psychological" in by_rule(due_items(listed, rules, day("2026-03-02")))
    family = observed(
        "family",
        "2026-03-01",
        answers={"members": [{"relationship": "mother", "health": "disabled"}]},
    )
    items = by_rule(
        due_items(
            case(observed("risk", "2026-03-01", band="green", total=2), family),
            rules,
            day("2026-03-02"),
        )
    )
    assert items["home-visit-disability"].due == day("2026-05-01")
    grandmother = observed(
        "family", "2026-03-01", answers={"members": [{"relationship": "paternal_grandmother",
                                                        "health": "disabled"}]}
    )  # fmt: skip
    items = by_rule(due_items(case(grandmother), rules, day("2026-03-02")))
    assert "home-visit-disability" not in items


def test_holiday_visits_are_due_by_the_end_of_the_season(rules: CaseworkRules) -> None:
    risk = observed("risk", "2026-12-01", band="yellow", total=14)
    items = by_rule(due_items(case(risk), rules, day("2027-01-20")))
    assert items["winter-holiday"].due == day("2027-02-25")
    assert items["winter-holiday"].since == day("2027-01-15")
    visited = observed("visit", "2027-01-18", kind="home", total=1, band="green")
    assert "winter-holiday" not in by_rule(due_items(case(risk, visited), rules, day("2027-01-20")))
    # before the season, the next one is listed (here: summer, after the winter one passed)
    items = by_rule(due_items(case(risk), rules, day("2027-03-01")))
    assert items["summer-holiday"].due == day("2027-08-31")
    assert items["winter-holiday"].due == day("2028-02-25")


def test_a_season_may_cross_the_new_year_and_end_on_a_leap_day() -> None:
    base = load_rules()
    season = base.seasons[0].model_copy(update={"start": "12-20", "end": "02-29"})
    assert season.window(day("2027-01-05")) == (day("2026-12-20"), day("2027-02-28"))
    assert season.window(day("2027-12-25")) == (day("2027-12-20"), day("2028-02-29"))
    assert season.window(day("2027-06-01")) is None
    assert season.current_or_next(day("2027-06-01")) == (day("2027-12-20"), day("2028-02-29"))


def test_a_closed_case_has_nothing_due_and_a_reopened_one_is_assessed_again(
    rules: CaseworkRules,
) -> None:
    from datetime import datetime

    record = child(intake="2025-01-10")
    record = transition(record, "assessing", "李老师", datetime(2025, 1, 12, 9))
    closed = transition(record, "closed", "王督导", datetime(2026, 5, 1, 10), "迁往外省")
    risk = observed("risk", "2025-01-20", band="red", total=44)
    assert due_items(case(risk, profile=closed), rules, day("2026-06-01")) == []
    reopened = transition(closed, "assessing", "王督导", datetime(2026, 9, 1, 10), "返乡")
    items = by_rule(due_items(case(risk, profile=reopened), rules, day("2026-09-02")))
    assert items["initial-risk"].due == day("2026-10-01")
    assert next_due(case(risk, profile=reopened), rules, day("2026-09-02")) is not None


built_in_rules = cache(load_rules)  # loaded once, not per generated example
DAYS = st.integers(min_value=0, max_value=900)
EVENTS = st.lists(
    st.tuples(
        st.sampled_from(["risk", "needs", "visit", "family"]),
        DAYS,
        st.sampled_from(["red", "orange", "yellow", "green", None]),
        st.sampled_from(["home", "phone", "school"]),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(events=EVENTS, intake=DAYS, today=DAYS, closed_after=st.none() | DAYS)
def test_a_due_date_never_precedes_what_it_counts_from_and_closing_clears_dues(
    events: list, intake: int, today: int, closed_after: int | None
) -> None:
    from datetime import datetime

    rules = built_in_rules()
    origin = date(2025, 1, 1)
    docs = [
        observed(form, (origin + timedelta(days=d)).isoformat(), band=band, total=5, kind=kind)
        for form, d, band, kind in events
    ]
    record = child(intake=(origin + timedelta(days=intake)).isoformat())
    on = origin + timedelta(days=today)
    for item in due_items(case(*docs, profile=record), rules, on):
        assert item.since is not None and item.due > item.since
    if closed_after is not None:
        record = transition(record, "closed", "王督导", datetime(2026, 1, 1), "结案")
        assert due_items(case(*docs, profile=record), rules, on) == []
