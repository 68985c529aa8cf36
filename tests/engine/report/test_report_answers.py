"""What a case meeting reads in the child's report: the answers behind the colour, the
family facts, needs with their meaning, the plan, in words a supervisor uses; every number
in the CJK font; English without broken words or Chinese punctuation; no last page of
signatures alone. Read back from the PDF with pypdf."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from engine.casework.casefile import CaseFile
from engine.casework.demo_caseload import caseload
from engine.forms.form import Form
from engine.forms.registry import FormRegistry
from engine.report.child_report import child_report
from engine.report.roster import roster
from engine.report.words import WORDS
from tests.conftest import risk_answers
from tests.engine.report.families import FIFTEEN
from tests.engine.report.test_report import NOW, filled, make_child, needs_answers, pdf_text

# Full-width and ideographic punctuation (，。；：、（）…); curly quotes are English too.
CJK_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]")


def fonts_of_text(path: Path) -> set[str]:
    """The fonts that showed any visible text, on every page."""
    used: set[str] = set()

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip() and font is not None:
            used.add(str(font.get("/BaseFont")))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return used


@pytest.fixture(scope="module")
def demo_red(registry: FormRegistry) -> CaseFile:
    """A demo child who is red through a red flag, with a plan, a review chain and a family."""
    for planted in caseload(40, today=date(2026, 11, 23), forms=registry):
        case = CaseFile.from_documents(planted.child, planted.documents)
        latest = case.latest("risk")
        if latest and latest.red_flags and case.plans and case.latest("family"):
            return case
    raise AssertionError("no such demo child")


def test_the_answers_behind_the_colour(registry: FormRegistry, tmp_path: Path) -> None:
    risk = registry.get("risk")
    child = make_child(registry, "王小红")
    answers = risk_answers(
        risk, 0, caregiver_type=2, home_violence=3, mood="unknown", rf_runaway=True
    )
    doc = filled(risk, child, answers)
    path = tmp_path / "why.pdf"
    child_report(path, CaseFile.from_documents(child, [doc]), registry, generated_at=NOW)
    text, _ = pdf_text(path)
    flat = text.replace("\n", "")

    def label(name: str, value: Any = None) -> str:
        field = risk.fields[name]
        return (
            (field.option_label(value) or {})["zh-CN"]
            if value is not None
            else field.label["zh-CN"]
        )

    for name, value, points in (("caregiver_type", 2, "2"), ("home_violence", 3, "3")):
        assert label(name) in flat and label(name, value) in flat, name
        assert f"{label(name, value)}{points}".replace(" ", "") in flat.replace(" ", "")
    # Unknown answers are listed where they fall, and counted.
    assert label("mood") in flat and "未知，无法评估（按 0 分计）" in flat
    assert "无法评估的项目：共 1 项" in flat
    # Each red flag with the answer that raised it.
    assert "高危指标（一票否决项）" in flat
    assert f"{label('home_violence')}：{label('home_violence', 3)}" in flat
    assert f"{label('rf_runaway')}：是" in flat
    for old in ("红旗项", "未知的回答"):  # read as translations; a supervisor's words instead
        assert old not in flat


def test_family_facts_needs_meaning_and_the_plan(
    demo_red: CaseFile, registry: FormRegistry, tmp_path: Path
) -> None:
    path = tmp_path / "case.pdf"
    child_report(path, demo_red, registry, generated_at=NOW)
    text, pages = pdf_text(path)
    flat = text.replace("\n", "")
    # Needs show what each level means, not bare numbers.
    assert re.search(r"[23] (需要服务|需立即服务)", flat)
    # The plan as a table with a header, and its progress notes.
    for heading in ("服务类型", "服务内容", "回应的需求", "负责人", "起止日期", "服务进展记录"):
        assert heading in flat, heading
    assert "个案服务" in flat and "完成第一次个案辅导。" in flat
    # Family facts for a left-behind child, as the family form records them.
    assert "家庭情况" in flat and "家庭收入来源：" in flat and "享受的救助：" in flat
    # The last page is never the signatures alone: the review chain travels with them.
    last = pages[-1]
    assert "评估人签字" in last and "审核记录" in last


def test_every_number_is_in_the_cjk_font(
    demo_red: CaseFile, registry: FormRegistry, tmp_path: Path
) -> None:
    from engine.report.fonts import report_font

    path = tmp_path / "fonts.pdf"
    child_report(path, demo_red, registry, generated_at=NOW, lang="en")
    roster_path = tmp_path / "roster.pdf"
    roster(roster_path, [demo_red], registry, _rules(), today=date(2026, 11, 23),
           generated_at=NOW)  # fmt: skip
    for pdf in (path, roster_path):
        used = fonts_of_text(pdf)
        assert used, pdf
        expected = "WenQuanYi" if report_font().embedded else "STSong"
        assert all(expected in f for f in used), used


def _rules() -> Any:
    from engine.casework.rules import load_rules

    return load_rules()


def english_words(forms: FormRegistry) -> set[str]:
    """Every English word the forms and the report's own words can print."""
    texts: list[str] = [w["en"] for w in WORDS.values() if "en" in w]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("en"), str):
                texts.append(node["en"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for form in forms:
        walk(form.document)
    return {w.lower() for t in texts for w in re.findall(r"[A-Za-z]+", t)}


def test_english_cells_break_no_word_and_carry_no_chinese_punctuation(
    registry: FormRegistry, tmp_path: Path
) -> None:
    risk, needs, family = registry.get("risk"), registry.get("needs"), registry.get("family")
    child = make_child(registry, "Li Ming", sex="male")
    child["answers"].update(village="Stone Bridge", township="Green Hill")
    docs = [
        filled(risk, child, risk_answers(risk, 2, mood="unknown", rf_self_harm=True)),
        filled(needs, child, needs_answers(registry, 3)),
        filled(family, child, _english(FIFTEEN)),
    ]
    path = tmp_path / "en.pdf"
    child_report(path, CaseFile.from_documents(child, docs), registry, generated_at=NOW,
                 lang="en")  # fmt: skip
    text, _ = pdf_text(path)
    assert not CJK_PUNCTUATION.findall(text)
    assert not broken_words(text, english_words(registry))
    assert "rehabilitation" in text  # a long word that used to break ("rehabili|tation")


def broken_words(text: str, words: set[str]) -> list[tuple[str, str]]:
    """Line ends whose word goes on at the start of the next line ("rehabili" "tation")."""
    lines = [line.split() for line in text.splitlines() if line.split()]
    return [
        (a[-1], b[0])
        for a, b in zip(lines, lines[1:], strict=False)
        if (a[-1] + b[0]).lower().strip(".,;:()") in words
        and a[-1].lower().strip(".,;:()") not in words
    ]


def _english(family: dict[str, Any]) -> dict[str, Any]:
    members = [
        {**m, "name": f"Member {i}", "work_location": "Shenzhen"} if m.get("work_location")
        else {**m, "name": f"Member {i}"}
        for i, m in enumerate(family["members"], start=1)
    ]  # fmt: skip
    return {**family, "members": members}


def test_english_roster_has_its_legend_and_no_chinese_punctuation(
    registry: FormRegistry, tmp_path: Path
) -> None:
    children = caseload(30, today=date(2026, 11, 23), forms=registry)
    cases = [CaseFile.from_documents(c.child, c.documents) for c in children]
    path = tmp_path / "roster-en.pdf"
    roster(path, cases, registry, _rules(), today=date(2026, 11, 23), generated_at=NOW,
           lang="en")  # fmt: skip
    text, _ = pdf_text(path)
    flat = " ".join(text.split())
    assert "Legend: ■■■■ to ■□□□" in flat and "▲ under Warning" in flat
    assert not broken_words(text, english_words(registry))
    names = {c.name for c in cases}
    fixed = " ".join(w for w in text.split() if w not in names and not _chinese_data(w))
    assert not CJK_PUNCTUATION.findall(fixed)


def _chinese_data(word: str) -> bool:
    """Place names and categories typed in Chinese in the demo data."""
    return bool(re.search(r"[\u4e00-\u9fff]", word))


def test_report_pdf_metadata_never_names_the_child(
    demo_red: CaseFile, registry: FormRegistry, tmp_path: Path
) -> None:
    path = tmp_path / "meta.pdf"
    child_report(path, demo_red, registry, generated_at=NOW)
    metadata = PdfReader(path).metadata or {}
    assert metadata.get("/Title") == "儿童入户评估报告（四色分类）"
    assert all(demo_red.name not in str(v) for v in metadata.values())
    assert demo_red.name in pdf_text(path)[0]  # on the page, where it belongs


def _unused(_: Form, __: datetime) -> None:  # keeps imports honest for type checkers
    return None
