from __future__ import annotations

from typing import Any

from engine import FormRegistry, assess_needs, validate


def _answers(registry: FormRegistry, **changes: Any) -> dict[str, Any]:
    needs = registry.get("needs")
    answers: dict[str, Any] = {"assessment_date": "2026-11-02", "assessor": "张社工"}
    answers |= {name: 0 for name in needs.fields if name.startswith("need_")}
    answers |= {name: 3 for name in needs.strengths}
    return answers | changes


def test_ratings_of_two_or_three_make_need_categories(registry: FormRegistry) -> None:
    needs = registry.get("needs")
    answers = _answers(
        registry,
        need_medical=2,
        need_rehab=3,
        need_mood=1,
        need_schooling=2,
        strength_family=0,
        strength_talents=1,
    )
    assert validate(answers, needs) == []
    result = assess_needs(answers, needs)
    assert [c.id for c in result.categories] == ["health", "education"]
    health = result.categories[0]
    assert health.rating == 3 and [i.field for i in health.items] == ["need_medical", "need_rehab"]
    assert health.label == {"zh-CN": "医疗康复", "en": "Health and rehabilitation"}
    assert any("康复" in s["zh-CN"] for s in health.services)
    assert [(s.field, s.rating) for s in result.strengths][:2] == [
        ("strength_family", 0),
        ("strength_talents", 1),
    ]


def test_no_need_when_every_rating_is_low(registry: FormRegistry) -> None:
    result = assess_needs(_answers(registry, need_mood=1), registry.get("needs"))
    assert result.categories == []


def test_every_category_has_services_in_both_languages(registry: FormRegistry) -> None:
    needs = registry.get("needs")
    assert len(needs.needs) == 9
    for category in needs.needs:
        assert category.services
        assert all(set(s) == {"zh-CN", "en"} for s in category.services)
