from __future__ import annotations

from datetime import datetime

import pytest

from engine import Form, Override, OverrideRefused, classify
from tests.conftest import risk_answers


def test_thresholds_place_the_total_in_a_band(risk: Form) -> None:
    # 26 scored items: rating 0 -> 0 (green), 1 -> 26 (orange), 2 -> 52 (red)
    assert classify(risk_answers(risk, 0), risk).band.id == "green"  # type: ignore[union-attr]
    assert classify(risk_answers(risk, 1), risk).band.id == "orange"  # type: ignore[union-attr]
    assert classify(risk_answers(risk, 2), risk).band.id == "red"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("total", "band"),
    [(12, "green"), (13, "yellow"), (24, "yellow"), (25, "orange"), (39, "orange"), (40, "red")],
)
def test_band_edges(risk: Form, total: int, band: str) -> None:
    answers = risk_answers(risk, 0)
    scored = [f.name for f in risk.scored]
    for name in scored[: total // 3]:
        answers[name] = 3
    if total % 3:
        answers[scored[total // 3]] = total % 3
    result = classify(answers, risk)
    assert (result.total, result.score_band.id if result.score_band else None) == (total, band)


def test_domain_subtotals_add_up_to_the_total(risk: Form) -> None:
    answers = risk_answers(risk, 1, mood=3, self_harm=2, household_income=0)
    result = classify(answers, risk)
    domains = {d.id: d.score for d in result.domains}
    assert sum(domains.values()) == result.total == 26 + 2 + 1 - 1
    assert domains["psychology"] == 3 + 1 + 2
    assert {d.id: (d.low, d.high) for d in result.domains}["home_safety"] == (0, 21)


def test_a_red_flag_forces_the_top_band_and_says_why(risk: Form) -> None:
    result = classify(risk_answers(risk, 0, rf_runaway=True), risk)
    assert result.band.id == "red" and result.score_band.id == "green"  # type: ignore[union-attr]
    assert [f.id for f in result.red_flags] == ["runaway"]
    assert any(r.kind == "red_flag" and "离家出走" in r.text["zh-CN"] for r in result.reasons)
    assert "Red flag: Has run away" in " ".join(result.explain("en"))


def test_an_item_rating_can_raise_a_red_flag(risk: Form) -> None:
    result = classify(risk_answers(risk, 0, self_harm=3), risk)
    assert [f.id for f in result.red_flags] == ["self_harm"]
    assert result.band.id == "red"  # type: ignore[union-attr]


def test_unknown_and_missing_answers_score_zero_and_are_listed(risk: Form) -> None:
    answers = risk_answers(risk, 2, mood="unknown")
    del answers["attendance"]
    result = classify(answers, risk)
    assert result.total == 2 * 24
    assert {u.field for u in result.unknown} == {"mood", "attendance"}
    assert any(r.kind == "unknown" and "2" in r.text["en"] for r in result.reasons)


def test_hidden_scored_items_are_not_unknown() -> None:
    from engine.forms.form import Form as FormClass

    doc = {
        "x-form": {"id": "t", "version": 1, "title": {"en": "t"}},
        "type": "object",
        "properties": {
            "a": {"enum": [0, 1], "x-score": {"points": {"0": 0, "1": 1}}},
            "b": {
                "enum": [0, 5],
                "x-score": {"points": {"0": 0, "5": 5}},
                "x-visible-if": {"properties": {"a": {"const": 1}}, "required": ["a"]},
            },
        },
        "x-bands": [
            {"id": "hi", "label": {"en": "hi"}, "color": "#000000", "min": 3, "max": None},
            {"id": "lo", "label": {"en": "lo"}, "color": "#ffffff", "min": 0, "max": 2},
        ],
    }
    form = FormClass(doc)
    assert classify({"a": 0, "b": 5}, form).total == 0
    assert classify({"a": 0, "b": 5}, form).unknown == []
    assert classify({"a": 1, "b": 5}, form).band.id == "hi"  # type: ignore[union-attr]


def test_contributions_list_the_answers_that_added_points(risk: Form) -> None:
    result = classify(risk_answers(risk, 0, mood=3, water_danger=1), risk)
    assert [(c.field, c.points) for c in result.contributions] == [("mood", 3), ("water_danger", 1)]
    assert result.contributions[0].answer_label == {
        "zh-CN": "3 严重困扰",
        "en": "3 in severe distress",
    }


def test_override_moves_one_band_with_reason_and_author(risk: Form) -> None:
    at = datetime(2026, 11, 2, 15, 30)
    result = classify(
        risk_answers(risk, 1),
        risk,
        Override(to_band="red", reason="母亲刚离家，情况在恶化", by="wang", at=at),
    )
    assert result.band.id == "red" and result.score_band.id == "orange"  # type: ignore[union-attr]
    assert result.override is not None
    assert (result.override.from_band, result.override.by, result.override.at) == (
        "orange",
        "wang",
        at,
    )
    assert "母亲刚离家" in result.explain("zh-CN")[-1]


@pytest.mark.parametrize(
    ("to_band", "reason", "by", "code"),
    [
        ("red", "", "wang", "override.reason_required"),
        ("red", "   ", "wang", "override.reason_required"),
        ("red", "worse", "", "override.by_required"),
        ("green", "better", "wang", "override.too_far"),
        ("purple", "why", "wang", "override.unknown_band"),
    ],
)
def test_override_refusals(risk: Form, to_band: str, reason: str, by: str, code: str) -> None:
    with pytest.raises(OverrideRefused) as refused:
        classify(risk_answers(risk, 1), risk, Override(to_band=to_band, reason=reason, by=by))
    assert refused.value.code == code
    assert refused.value.message("zh-CN") and refused.value.message("en")


def test_override_cannot_lower_a_red_flag(risk: Form) -> None:
    with pytest.raises(OverrideRefused) as refused:
        classify(
            risk_answers(risk, 0, rf_no_carer=True),
            risk,
            Override(to_band="orange", reason="grandmother moved in", by="wang"),
        )
    assert refused.value.code == "override.down_from_red_flag"


def test_result_is_a_serialisable_model(risk: Form) -> None:
    result = classify(risk_answers(risk, 1, rf_runaway=True), risk)
    again = type(result).model_validate_json(result.model_dump_json())
    assert again == result
    assert again.form_id == "risk" and again.form_version == 1 and len(again.form_digest) == 64
