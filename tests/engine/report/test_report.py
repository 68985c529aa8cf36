"""The printed reports: opened with pypdf, read back as text, and looked at as pixels."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from engine.casework.case_documents import finalise, new_child, new_entry
from engine.casework.casefile import CaseFile
from engine.casework.demo_caseload import caseload
from engine.casework.rules import load_rules
from engine.forms.form import Form
from engine.forms.registry import FormRegistry
from engine.forms.results import Override
from engine.report.child_report import child_report
from engine.report.roster import roster
from tests.conftest import form_document, risk_answers
from tests.engine.report.families import FIFTEEN

NOW = datetime(2026, 11, 23, 10, 0)
WHO = {"by": "李老师", "device": "test", "at": datetime(2026, 11, 2, 10, 0)}


def make_child(registry: FormRegistry, name: str, sex: str = "female") -> dict[str, Any]:
    profile = {
        "name": name,
        "sex": sex,
        "birth_date": "2015-06-01",
        "categories": ["left_behind", "poverty"],
        "township": "青山镇",
        "village": "石桥村",
        "intake_date": "2026-10-20",
    }
    return new_child("c" + str(abs(hash(name)))[:8], profile, registry.get("child-profile"),
                     district="demo", **WHO)  # fmt: skip


def filled(
    form: Form, child: dict[str, Any], answers: dict[str, Any], override: Override | None = None
) -> dict[str, Any]:
    doc = new_entry(
        child["_id"].split(":")[1], f"{form.id}-{len(answers)}", form, district="demo", **WHO
    )
    doc["answers"] = answers
    return finalise(doc, form, override=override, **WHO)


def pdf_text(path: Path) -> tuple[str, list[str]]:
    reader = PdfReader(path)
    pages = [page.extract_text() for page in reader.pages]
    return "\n".join(pages), pages


def assert_numbered(pages: list[str], lang: str) -> None:
    for n, page in enumerate(pages, start=1):
        expected = (
            f"第 {n} 页 / 共 {len(pages)} 页" if lang == "zh-CN" else f"Page {n} of {len(pages)}"
        )
        assert expected in page


def needs_answers(registry: FormRegistry, rating: int) -> dict[str, Any]:
    form = registry.get("needs")
    answers: dict[str, Any] = {"assessment_date": "2026-11-02", "assessor": "李老师"}
    for name in form.fields:
        if name.startswith(("need_", "strength_")):
            answers[name] = rating
    return answers


def test_a_red_child_through_a_red_flag_in_chinese(registry: FormRegistry, tmp_path: Path) -> None:
    risk = registry.get("risk")
    child = make_child(registry, "王小红")
    answers = risk_answers(risk, 1, rf_violence_abuse=True, mood="unknown")
    docs = [
        filled(risk, child, answers),
        filled(registry.get("needs"), child, needs_answers(registry, 2)),
    ]
    path = tmp_path / "red.pdf"
    pages = child_report(
        path, CaseFile.from_documents(child, docs), registry, generated_at=NOW, sync_state="local"
    )
    text, per_page = pdf_text(path)
    assert len(per_page) == pages
    for expected in (
        "王小红",
        "红色 · 高风险",
        "风险等级 1/4",
        "总分：25",
        "正在遭受暴力",
        "本机有修改尚未同步",
        "心理情感",
        "无法评估的项目",
        "评估人签字",
    ):
        assert expected in text, expected
    assert "risk v1 · " + risk.digest[:8] in text
    assert_numbered(per_page, "zh-CN")
    assert "尚未登记家庭结构" in text


def test_a_red_child_by_override_in_english_shows_who_and_why(
    registry: FormRegistry, tmp_path: Path
) -> None:
    risk = registry.get("risk")
    child = make_child(registry, "张小橙", sex="male")
    override = Override(
        to_band="red", reason="Caregiver drinks; the child is often alone", by="Supervisor Wang"
    )
    docs = [
        filled(
            risk, child, risk_answers(risk, 1, caregiver_type=2, care_capacity=2, mood=3), override
        )
    ]
    path = tmp_path / "override.pdf"
    child_report(
        path,
        CaseFile.from_documents(child, docs),
        registry,
        lang="en",
        generated_at=NOW,
        sync_state="synced",
    )
    text, pages = pdf_text(path)
    for expected in (
        "张小橙",
        "Red · high risk",
        "Supervisor Wang",
        "Caregiver drinks; the child is often alone",
        "Orange",
        "Discretionary override",
        "synced",
        "Total: 30",
    ):
        assert expected in text, expected
    assert_numbered(pages, "en")


def test_a_green_child_with_no_family_recorded(registry: FormRegistry, tmp_path: Path) -> None:
    risk = registry.get("risk")
    child = make_child(registry, "李小绿")
    path = tmp_path / "green.pdf"
    case = CaseFile.from_documents(child, [filled(risk, child, risk_answers(risk, 0))])
    child_report(path, case, registry, generated_at=NOW, lang="en")
    text, pages = pdf_text(path)
    assert "Green · stable" in text and "No family structure recorded yet." in text
    assert "No needs assessment yet." in text and "Red flags: none fired." in text
    assert_numbered(pages, "en")


def test_the_fifteen_member_family_is_drawn_with_every_member_and_its_facts(
    registry: FormRegistry, tmp_path: Path
) -> None:
    risk, family = registry.get("risk"), registry.get("family")
    child = make_child(registry, "王小明", sex="male")
    docs = [filled(risk, child, risk_answers(risk, 1)), filled(family, child, FIFTEEN)]
    assert family.version == 2 and docs[1]["status"] == "final"
    path = tmp_path / "family.pdf"
    child_report(path, CaseFile.from_documents(child, docs), registry, generated_at=NOW)
    text, pages = pdf_text(path)
    for member in FIFTEEN["members"]:
        label = family.option_label_at("/members/0/relationship", member["relationship"])
        assert label["zh-CN"] in text and member["name"] in text
    for legend in ("离异", "已故", "与儿童共同生活", "评估对象儿童（双线）", "敌对", "虐待"):
        assert legend in text
    for fact in ("广东深圳", "30 个月", "每月", "浙江宁波", "18 个月", "每周",
                 "家庭收入来源：务农、外出务工", "最低生活保障（低保）、临时救助"):  # fmt: skip
        assert fact in text, fact
    assert_numbered(pages, "zh-CN")
    # No plan and no review yet: the signatures still do not stand alone on the last page.
    assert "评估人签字" in pages[-1] and "历次评估得分" in pages[-1]


def test_a_roster_of_500_children_sorted_by_band_then_due_date(
    registry: FormRegistry, tmp_path: Path
) -> None:
    today = date(2026, 11, 23)
    children = caseload(500, today=today, forms=registry)
    cases = [CaseFile.from_documents(c.child, c.documents) for c in children]
    path = tmp_path / "roster.pdf"
    pages = roster(
        path, cases, registry, load_rules(), today=today, generated_at=NOW, district="demo"
    )
    text, per_page = pdf_text(path)
    assert len(per_page) == pages > 5
    assert_numbered(per_page, "zh-CN")
    assert "共 500 名儿童" in text
    missing = {c.name for c in cases if c.name not in text}
    assert not missing
    marks = {"■■■■ 红色": 0, "■■■□ 橙色": 1, "■■□□ 黄色": 2, "■□□□ 绿色": 3}
    bands = [line.strip() for line in text.splitlines() if line.strip() in marks]
    listed = bands[4:]  # after the chart's four labels
    assert len(listed) == 500 and listed == sorted(listed, key=marks.__getitem__)
    assert "逾期" in text and "图例" in text
    closed = [c.name for c in cases if c.state == "closed"]
    assert closed and all(f"{name}（已结案）" in text for name in closed)


def dominant_colour(png: Path) -> tuple[tuple[int, int, int], float]:
    """The commonest clearly coloured pixel (not white, black or grey) and its share of the page."""
    data = png.read_bytes()
    header, _, rest = data.partition(b"\n")
    assert header == b"P6"
    dims, _, rest = rest.partition(b"\n")
    width, height = map(int, dims.split())
    _, _, pixels = rest.partition(b"\n")
    counts: Counter[tuple[int, int, int]] = Counter()
    for i in range(0, width * height * 3, 3):
        r, g, b = pixels[i], pixels[i + 1], pixels[i + 2]
        if max(r, g, b) - min(r, g, b) > 40:
            counts[(r, g, b)] += 1
    colour, count = counts.most_common(1)[0]
    return colour, count / (width * height)


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is installed by make test"
)
@pytest.mark.parametrize(("rating", "band"), [(2, "red"), (1, "yellow"), (0, "green")])
def test_the_band_block_carries_the_band_colour(
    registry: FormRegistry, tmp_path: Path, rating: int, band: str
) -> None:
    risk = registry.get("risk")
    child = make_child(registry, "赵小彩")
    answers = risk_answers(risk, rating)
    if rating == 1:
        answers.update({k: 0 for k in list(answers)[3:12] if isinstance(answers[k], int)})
    doc = filled(risk, child, answers)
    assert doc["result"]["classification"]["band"]["id"] == band
    path = tmp_path / "band.pdf"
    child_report(path, CaseFile.from_documents(child, [doc]), registry, generated_at=NOW)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    colour, share = dominant_colour(next(tmp_path.glob("page*.ppm")))
    expected = risk.band(band).color
    wanted = tuple(int(expected[i : i + 2], 16) for i in (1, 3, 5))
    assert all(abs(a - b) <= 6 for a, b in zip(colour, wanted, strict=True)), (colour, wanted)
    assert share > 0.03


def test_bad_data_still_gives_a_correct_report(registry: FormRegistry, tmp_path: Path) -> None:
    """An assessment on an older form version, a district's three-band form, an odd result."""
    folder = tmp_path / "forms"
    folder.mkdir()
    newer = form_document("risk.v1.json")
    newer["x-form"]["version"] = 2
    (folder / "risk.v2.json").write_text(json.dumps(newer, ensure_ascii=False), "utf-8")
    three = form_document("risk.v1.json")
    three["x-form"]["id"] = "risk-chunan"
    three["x-bands"] = [
        {
            "id": "red",
            "label": {"zh-CN": "红码", "en": "Red code"},
            "color": "#C62828",
            "min": 30,
            "max": None,
        },
        {
            "id": "yellow",
            "label": {"zh-CN": "黄码", "en": "Yellow code"},
            "color": "#F9A825",
            "min": 10,
            "max": 29,
        },
        {
            "id": "green",
            "label": {"zh-CN": "绿码", "en": "Green code"},
            "color": "#2E7D32",
            "min": 0,
            "max": 9,
        },
    ]
    (folder / "risk-chunan.v1.json").write_text(json.dumps(three, ensure_ascii=False), "utf-8")
    forms = FormRegistry.load([folder])
    assert forms.problems == [] and forms.versions("risk") == [1, 2]
    child = make_child(forms, "钱小旧")
    old = filled(forms.get("risk", 1), child, risk_answers(forms.get("risk", 1), 1))
    path = tmp_path / "old.pdf"
    child_report(path, CaseFile.from_documents(child, [old]), forms, generated_at=NOW, lang="en")
    text, _ = pdf_text(path)
    assert "Filled with risk version 1 (now version 2)" in text and "Yellow" in text

    chunan = forms.get("risk-chunan")
    doc = filled(chunan, child, risk_answers(chunan, 1))
    rules = load_rules().model_copy(update={"band_form": "risk-chunan"})
    path = tmp_path / "three.pdf"
    child_report(
        path, CaseFile.from_documents(child, [doc]), forms, generated_at=NOW, lang="en", rules=rules
    )
    text, _ = pdf_text(path)
    assert "Yellow code" in text and "level 2 of 3" in text

    odd = {**old, "result": {"classification": {"band": "red"}}}
    path = tmp_path / "odd.pdf"
    child_report(path, CaseFile.from_documents(child, [odd]), forms, generated_at=NOW, lang="en")
    assert "cannot be read" in pdf_text(path)[0]


def test_without_a_truetype_cjk_font_the_builtin_cid_font_writes_chinese(tmp_path: Path) -> None:
    script = f"""
import engine.report.fonts as fonts
fonts.CANDIDATES = ()
from datetime import datetime
from engine.casework.casefile import CaseFile
from engine.forms.registry import FormRegistry
from engine.report.child_report import child_report
assert fonts.report_font().name == "STSong-Light"
child = {{"_id": "child:x", "type": "child", "answers": {{"name": "孙小字", "village": "竹林村"}}}}
child_report({str(tmp_path / "cid.pdf")!r}, CaseFile.from_documents(child, []), FormRegistry.load(),
             generated_at=datetime(2026, 11, 23))
"""
    env = {"PATH": "/usr/bin:/bin", "CAREFORMS_CJK_FONT": ""}
    subprocess.run(
        [sys.executable, "-c", script], check=True, env=env, cwd=Path(__file__).parents[3]
    )
    text, pages = pdf_text(tmp_path / "cid.pdf")
    assert "孙小字" in text and "尚无已定稿的评估" in text
    assert_numbered(pages, "zh-CN")
