from __future__ import annotations

from engine import Form, FormRegistry, is_complete, validate
from tests.conftest import risk_answers


def test_complete_risk_answers_are_valid(risk: Form) -> None:
    assert validate(risk_answers(risk), risk) == []
    assert is_complete(risk_answers(risk), risk)


def test_a_draft_may_be_incomplete_but_a_final_may_not(risk: Form) -> None:
    partial = {"assessment_date": "2026-11-02", "mood": 2}
    assert validate(partial, risk, final=False) == []
    missing = {e.pointer for e in validate(partial, risk, final=True) if e.code == "required"}
    assert "/assessor" in missing and "/mood" not in missing and "/rf_runaway" in missing


def test_a_draft_still_rejects_wrong_values(risk: Form) -> None:
    (error,) = validate({"mood": 7, "assessment_date": "2026-13-40"}, risk, final=False)[:1]
    codes = {
        (e.pointer, e.code)
        for e in validate({"mood": 7, "assessment_date": "2026-13-40"}, risk, final=False)
    }
    assert codes == {("/mood", "enum"), ("/assessment_date", "format")}
    assert error.label is not None


def test_messages_are_localised_with_the_field_label(risk: Form) -> None:
    answers = risk_answers(risk)
    del answers["assessor"]
    (error,) = validate(answers, risk)
    assert error.message("zh-CN") == "必填：请回答“评估人”"
    assert error.message("en") == "Required: please answer “Assessor”"


def test_type_and_format_messages_name_the_expectation(risk: Form) -> None:
    errors = {
        e.pointer: e
        for e in validate({"assessor": 5, "assessment_date": "yesterday"}, risk, final=False)
    }
    assert errors["/assessor"].message("en") == "Must be text"
    assert errors["/assessor"].message("zh-CN") == "应为文字"
    assert "YYYY-MM-DD" in errors["/assessment_date"].message("en")


def test_hidden_answers_are_neither_required_nor_validated(risk: Form) -> None:
    # disability_grade shows only for some disability types; a stale value is ignored.
    answers = risk_answers(risk, illness_disability=0, disability_grade="garbage")
    assert validate(answers, risk) == []
    answers = risk_answers(
        risk, illness_disability=2, disability_type="physical", disability_grade="garbage"
    )
    assert [e.pointer for e in validate(answers, risk)] == ["/disability_grade"]


def test_errors_inside_repeating_groups_point_at_the_member(registry: FormRegistry) -> None:
    family = registry.get("family")
    answers = {
        "members": [
            {"id": "m1", "relationship": "mother", "sex": "female", "alive": True},
            {
                "id": "m2",
                "relationship": "father",
                "sex": "male",
                "alive": True,
                "birth_year": 1850,
                "health": "disabled",
                "disability_grade": 9,
            },
            {"id": "m3", "relationship": "grandfather", "alive": False},
        ]
    }
    found = {(e.pointer, e.code) for e in validate(answers, family)}
    assert found == {
        ("/members/1/birth_year", "minimum"),
        ("/members/1/disability_grade", "enum"),
        ("/members/2/relationship", "enum"),
        ("/members/2/sex", "required"),
    }
    labels = {e.pointer: e.label for e in validate(answers, family)}
    assert labels["/members/1/birth_year"] == {"zh-CN": "出生年份", "en": "Birth year"}


def test_deceased_members_skip_living_questions(registry: FormRegistry) -> None:
    family = registry.get("family")
    member = {
        "id": "m1",
        "relationship": "father",
        "sex": "male",
        "alive": False,
        "months_away": "not asked",
    }
    assert validate({"members": [member]}, family) == []


def test_unknown_items_are_reported(risk: Form) -> None:
    errors = validate(risk_answers(risk, favourite_colour="blue"), risk)
    assert [(e.pointer, e.code) for e in errors] == [("/favourite_colour", "additionalProperties")]


def test_answers_that_are_not_an_object(risk: Form) -> None:
    (error,) = validate([1, 2], risk)
    assert (error.pointer, error.code) == ("", "type")
