"""XLSForm in: spreadsheets built here with openpyxl become forms that pass the check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from engine.definitions import lint_paths
from engine.forms.classification import classify
from engine.forms.form import Form
from engine.forms.validation import validate
from engine.forms.xlsform import import_xlsform


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


SURVEY = [
    ["type", "name", "label::中文 (zh-CN)", "label::English (en)", "required", "relevant",
     "constraint", "score_domain", "calculation"],
    ["begin_group", "basic", "基本情况", "Basics", "", "", "", "", ""],
    ["text", "name", "姓名", "Name", "yes", "", "regex(., '^\\p{Han}{2,4}$')", "", ""],
    ["integer", "age", "年龄", "Age", "yes", "", ". >= 0 and . <= 17", "", ""],
    ["date", "visit_date", "走访日期", "Visit date", "", "", "", "", ""],
    ["select_one yes_no", "in_school", "是否在校", "In school", "yes", "", "", "", ""],
    ["text", "school", "学校", "School", "yes", "${in_school} = 'yes'", "", "", ""],
    ["note", "intro", "请如实填写", "Answer truthfully", "", "", "", "", ""],
    ["end_group", "", "", "", "", "", "", "", ""],
    ["begin group", "risk", "风险", "Risk", "", "", "", "", ""],
    ["select_one rating", "mood", "情绪", "Mood", "yes", "", "", "psych", ""],
    ["select_multiple problems", "behaviour", "行为问题", "Behaviour", "", "${age} > 10", "",
     "psych", ""],
    ["decimal", "income", "月收入", "Income", "", "not(${in_school} = 'no')", "", "", ""],
    ["calculate", "total", "", "", "", "", "", "", "${age} * 2"],
    ["end group", "", "", "", "", "", "", "", ""],
    ["begin_repeat", "members", "家庭成员", "Members", "", "", "", "", ""],
    ["text", "relation", "关系", "Relation", "yes", "", "", "", ""],
    ["select_one yes_no", "alive", "在世", "Alive", "", "", "", "", ""],
    ["text", "work", "工作", "Work", "", "selected(${alive}, 'yes')", "", "", ""],
    ["end_repeat", "", "", "", "", "", "", "", ""],
]  # fmt: skip
CHOICES = [
    ["list_name", "name", "label::中文 (zh-CN)", "label::English (en)", "score"],
    ["yes_no", "yes", "是", "Yes", None],
    ["yes_no", "no", "否", "No", None],
    ["rating", "0", "0 很好", "0 fine", 0],
    ["rating", "3", "3 很差", "3 poor", 3],
    ["rating", "unknown", "不清楚", "Unknown", "unknown"],
    ["problems", "truancy", "逃学", "Truancy", 2],
    ["problems", "fighting", "打架", "Fighting", 3],
]
OURS = {
    "settings": [["form_id", "version", "form_title::中文 (zh-CN)", "form_title::English (en)",
                  "kind"], ["school-check", 2, "到校了解", "School check", "risk"]],
    "domains": [["name", "label::中文 (zh-CN)", "label::English (en)"],
                ["psych", "心理", "Psychology"]],
    "bands": [["name", "label::中文 (zh-CN)", "label::English (en)", "color", "min", "max"],
              ["red", "红色 · 高风险", "Red · high", "#D32F2F", 5, None],
              ["green", "绿色 · 稳定", "Green · stable", "#388E3C", 0, 4]],
    "red_flags": [["name", "label::中文 (zh-CN)", "label::English (en)", "condition"],
                  ["poor_mood", "情绪很差", "Very poor mood", "${mood} = 3 and ${age} < 16"]],
}  # fmt: skip


def test_a_scored_xlsform_becomes_a_form_that_passes_the_check(tmp_path: Path) -> None:
    path = workbook(tmp_path / "school.xlsx", {"survey": SURVEY, "choices": CHOICES, **OURS})
    result = import_xlsform(path)
    assert result.problems == [], [p.render("en") for p in result.problems]
    assert [(w.code, w.row) for w in result.warnings] == [("calculation", 14)]
    assert "survey!14 I (calculation)" in result.warnings[0].render("en")
    doc = result.form
    assert (
        doc is not None and doc["x-form"]["id"] == "school-check" and doc["x-form"]["version"] == 2
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "school-check.v2.json").write_text(__import__("json").dumps(doc, ensure_ascii=False))
    assert lint_paths([out]) == []

    form = Form(doc)
    assert [s.id for s in form.sections] == ["basic", "risk", "main"] or [
        s.id for s in form.sections
    ] == ["main", "basic", "risk"]
    assert form.fields["mood"].options == [0, 3, "unknown"]
    assert form.fields["behaviour"].score is not None
    good = {"name": "王小明", "age": 12, "in_school": "no", "mood": 3, "behaviour": ["fighting"],
            "members": [{"relation": "祖母", "alive": "no"}]}  # fmt: skip
    assert validate(good, form) == []
    # constraint → pattern and bounds; required only while relevant; repeat items checked
    bad = {**good, "name": "Wang", "age": 30, "in_school": "yes", "members": [{"alive": "yes"}]}
    assert sorted(e.pointer for e in validate(bad, form)) == [
        "/age", "/members/0/relation", "/name", "/school"]  # fmt: skip
    result_band = classify(good, form)
    assert result_band.total == 6 and result_band.band is not None
    assert result_band.band.id == "red" and [f.id for f in result_band.red_flags] == ["poor_mood"]
    assert (
        form.fields["income"].visible is not None and form.fields["income"].visible(good) is False
    )


def test_problems_name_sheet_row_and_column(tmp_path: Path) -> None:
    survey = [
        ["type", "name", "label", "relevant"],
        ["select_one missing", "a", "A", ""],
        ["text", "b c", "B", ""],
        ["geopoint", "where", "Where", ""],
        ["text", "d", "D", "${a} = "],
        ["end_group", "", "", ""],
    ]
    result = import_xlsform(workbook(tmp_path / "bad.xlsx", {"survey": survey}))
    assert result.form is None
    found = [(p.code, p.row, p.column) for p in result.problems]
    assert found == [
        ("unknown-list", 2, "A (type)"),
        ("bad-name", 3, "B (name)"),
        ("unmatched-end", 6, "A (type)"),
    ]
    assert [(w.code, w.row) for w in result.warnings] == [
        ("unsupported-type", 4),
        ("untranslated", 5),
    ]
    text = result.problems[0].render("zh-CN")
    assert "bad.xlsx [survey!2 A (type)]" in text and "missing" in text
    assert import_xlsform(tmp_path / "nothing.xlsx").problems[0].code == "unreadable"
