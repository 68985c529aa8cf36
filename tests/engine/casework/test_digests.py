"""A child's digest gives the lists exactly what the whole file gives them: band, every due
item, early warnings, the ledger row and the drafts, on any day of the year."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import orjson
import pytest

from engine.casework.casefile import CaseFile, digest, from_digest
from engine.casework.demo_caseload import caseload
from engine.casework.early_warning import early_warnings
from engine.casework.ledger import ledger_row
from engine.casework.names import spelling
from engine.casework.rules import CaseworkRules, load_rules
from engine.casework.schedule import band_of, due_items
from tests.engine.casework.cases import child, observed

TODAY = date(2026, 11, 23)
# days inside and outside the holiday seasons, a new year, a leap day
DAYS = [TODAY, date(2027, 1, 20), date(2027, 2, 26), date(2027, 7, 10), date(2028, 2, 29)]


def _lists_see(case: CaseFile, rules: CaseworkRules, today: date) -> object:
    warnings = [(w.rule, [o.id for o in w.evidence]) for w in early_warnings(case, rules)]
    return (
        band_of(case, rules),
        due_items(case, rules, today),
        warnings,
        ledger_row(case, rules, today, full_id=False),
        sum(1 for o in case.observations if not o.final),
        case.state,
        case.opened_on,
    )


@pytest.fixture(scope="module")
def files() -> list[tuple[dict, list[dict]]]:  # type: ignore[type-arg]
    made = caseload(150, today=TODAY, seed=11, warned_share=0.2)
    return [(c.child, c.documents) for c in made]


def test_the_digest_of_every_demo_child_gives_the_lists_what_the_file_gives(files) -> None:  # type: ignore[no-untyped-def]
    rules = load_rules()
    for record, others in files:
        full = CaseFile.from_documents(record, others)
        stored = orjson.loads(orjson.dumps(digest(record, others)))  # as the replica keeps it
        slim = from_digest(stored)
        assert slim.spelled_name == spelling(full.name)
        for day in DAYS:
            assert _lists_see(slim, rules, day) == _lists_see(full, rules, day), full.id


def test_the_latest_answers_of_each_form_are_kept_for_the_rules_and_older_ones_are_not() -> None:
    record = child(categories=("left_behind",))
    record["case"] = {"history": [{"to": "intake"}, {"from": "intake", "to": "closed",
                      "at": "2026-03-01T10:00:00"}, {"from": "closed", "to": "intake",
                      "at": "2026-04-02T09:00:00"}]}  # fmt: skip
    record["edits"] = [{"at": "2026-01-10T10:00:00", "by": "w", "fields": ["/answers/name"]}]
    others = [
        observed("risk", "2026-02-01", band="yellow", total=9, answers={"q1": 1, "note": "旧"}),
        observed("risk", "2026-05-01", band="red", total=14, flags=("abuse",),
                 answers={"q1": 3, "note": "新"}),  # fmt: skip
        observed("visit", "2026-06-01", kind="phone", answers={"talk": "long text"}),
        observed("visit", "2026-07-01", kind="home", status="draft", answers={"talk": "草稿"}),
        {"_id": "assessment:c1", "type": "assessment", "status": "final",  # an odd id
         "observed_on": "2026-01-20", "form": {"id": "needs"}, "answers": {"x": 1}},
    ]  # fmt: skip
    made = digest(record, others)
    slim = from_digest(orjson.loads(orjson.dumps(made)))
    full = CaseFile.from_documents(record, others)
    assert "edits" not in made["child"]
    assert [o.id for o in slim.observations] == [o.id for o in full.observations]
    answers = {o.id: o.answers for o in slim.observations}
    assert answers[full.finals("risk")[-1].id] == {"q1": 3, "note": "新", "place": "home"}
    assert answers[full.finals("risk")[0].id] == {"place": "home"}  # how, not what
    assert answers[full.finals("visit")[-1].id] == {"talk": "long text", "kind": "phone"}
    assert [o.answers for o in slim.observations if not o.final] == [{}]
    assert slim.facts() == full.facts()
    assert slim.opened_on == full.opened_on == date(2026, 4, 2)
    assert slim.state == full.state == "intake"
    rules = load_rules()
    for day in (date(2026, 7, 1) + timedelta(days=40 * n) for n in range(12)):
        assert _lists_see(slim, rules, day) == _lists_see(full, rules, day)


def test_odd_records_make_a_digest_and_read_back() -> None:
    record = {"_id": "child:c1", "answers": "not an object", "case": {"history": "x"}}
    others = [{"_id": "visit:c1:v", "type": "visit", "answers": None, "result": []}]
    slim = from_digest(orjson.loads(orjson.dumps(digest(copy.deepcopy(record), others))))
    assert slim.name == "?" and slim.state == "intake" and slim.opened_on is None
    assert [o.id for o in slim.observations] == ["visit:c1:v"]
