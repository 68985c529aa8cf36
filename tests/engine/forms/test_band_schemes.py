"""A district switches colour schemes by editing the form's JSON only."""

from __future__ import annotations

import json
from pathlib import Path

from engine import FormRegistry, classify
from engine.definitions import lint_paths
from tests.conftest import form_document, risk_answers

WUJIN = [  # red / yellow / blue / green: high, medium, low risk, healthy
    {
        "id": "red",
        "label": {"zh-CN": "红色 · 高风险", "en": "Red · high risk"},
        "color": "#D32F2F",
        "min": 40,
        "max": None,
    },
    {
        "id": "yellow",
        "label": {"zh-CN": "黄色 · 中风险", "en": "Yellow · medium risk"},
        "color": "#FBC02D",
        "min": 25,
        "max": 39,
    },
    {
        "id": "blue",
        "label": {"zh-CN": "蓝色 · 低风险", "en": "Blue · low risk"},
        "color": "#1976D2",
        "min": 13,
        "max": 24,
    },
    {
        "id": "green",
        "label": {"zh-CN": "绿色 · 健康", "en": "Green · healthy"},
        "color": "#388E3C",
        "min": 0,
        "max": 12,
    },
]
THREE = [
    {
        "id": "red",
        "label": {"zh-CN": "红", "en": "Red"},
        "color": "#D32F2F",
        "min": 30,
        "max": None,
    },
    {
        "id": "yellow",
        "label": {"zh-CN": "黄", "en": "Yellow"},
        "color": "#FBC02D",
        "min": 10,
        "max": 29,
    },
    {
        "id": "green",
        "label": {"zh-CN": "绿", "en": "Green"},
        "color": "#388E3C",
        "min": 0,
        "max": 9,
    },
]


def _publish(tmp_path: Path, bands: list[dict[str, object]], version: int) -> FormRegistry:
    doc = form_document("risk.v1.json")
    doc["x-form"]["version"] = version
    doc["x-bands"] = bands
    path = tmp_path / f"risk.v{version}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    assert lint_paths([path]) == []
    return FormRegistry.load([tmp_path])


def test_red_yellow_blue_green(tmp_path: Path) -> None:
    registry = _publish(tmp_path, WUJIN, 2)
    form = registry.get("risk")
    assert form.version == 2 and [b.id for b in form.bands] == ["red", "yellow", "blue", "green"]
    answers = risk_answers(form, 0)
    for name in [f.name for f in form.scored][:8]:
        answers[name] = 2  # 16 points
    assert classify(answers, form).band.id == "blue"  # type: ignore[union-attr]
    assert classify(risk_answers(form, 0, rf_runaway=True), form).band.id == "red"  # type: ignore[union-attr]
    # the old version is still there for assessments filled with it
    assert classify(answers, registry.get("risk", 1)).band.id == "yellow"  # type: ignore[union-attr]


def test_three_bands(tmp_path: Path) -> None:
    form = _publish(tmp_path, THREE, 3).get("risk")
    assert classify(risk_answers(form, 0), form).band.id == "green"  # type: ignore[union-attr]
    assert classify(risk_answers(form, 1), form).band.id == "yellow"  # type: ignore[union-attr]
    result = classify(risk_answers(form, 1), form, _override("red"))
    assert result.band.id == "red"  # type: ignore[union-attr]


def test_per_domain_codes_like_chunan(tmp_path: Path) -> None:
    doc = form_document("risk.v1.json")
    doc["x-form"]["version"] = 4
    for domain in doc["x-domains"]:
        if domain["id"] == "education":  # two items: 0..6
            domain["bands"] = [
                {
                    "id": "red",
                    "label": {"zh-CN": "红", "en": "red"},
                    "color": "#D32F2F",
                    "min": 4,
                    "max": None,
                },
                {
                    "id": "yellow",
                    "label": {"zh-CN": "黄", "en": "yellow"},
                    "color": "#FBC02D",
                    "min": 2,
                    "max": 3,
                },
                {
                    "id": "green",
                    "label": {"zh-CN": "绿", "en": "green"},
                    "color": "#388E3C",
                    "min": 0,
                    "max": 1,
                },
            ]
    (tmp_path / "risk.v4.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    form = FormRegistry.load([tmp_path]).get("risk", 4)
    result = classify(risk_answers(form, 0, enrolment=2, attendance=1), form)
    education = next(d for d in result.domains if d.id == "education")
    assert education.band is not None and education.band.id == "yellow"


def _override(to_band: str):  # type: ignore[no-untyped-def]
    from engine import Override

    return Override(to_band=to_band, reason="caregiver left last week", by="wang")
