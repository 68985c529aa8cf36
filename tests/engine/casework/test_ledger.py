"""The ledger and the answers export, written and read back cell by cell (and, where
LibreOffice is installed, converted by it to CSV)."""

from __future__ import annotations

import copy
import csv
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from engine.casework.answers_export import answers_tables
from engine.casework.casefile import CaseFile
from engine.casework.demo_caseload import caseload
from engine.casework.ledger import ledger_rows, ledger_tables
from engine.casework.rules import load_rules
from engine.casework.spreadsheets import write_tables
from engine.forms.i18n import display_width
from engine.forms.registry import FormRegistry
from tests.engine.casework.discovery_lists import id_number

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def cases() -> list[CaseFile]:
    made = caseload(12, today=TODAY, seed=7)
    files = []
    for n, child in enumerate(made):
        doc = copy.deepcopy(child.child)
        if n % 2 == 0:
            doc["answers"]["id_number"] = id_number("20120304", 11 + n)
        files.append(CaseFile.from_documents(doc, child.documents))
    files[1].child["answers"]["name"] = '=HYPERLINK("http://x","点我")'  # hostile text
    return files


@pytest.fixture(scope="module")
def forms() -> FormRegistry:
    return FormRegistry.load()


def test_the_ledger_reads_back_cell_by_cell(
    cases: list[CaseFile], forms: FormRegistry, tmp_path: Path
) -> None:
    rules = load_rules()
    risk, profile = forms.get("risk"), forms.get("child-profile")
    rows = ledger_rows(cases, rules, TODAY)
    path = tmp_path / "ledger.xlsx"
    write_tables(path, ledger_tables(rows, profile, risk, "zh-CN"))
    assert path.stat().st_mode & 0o777 == 0o600
    book = load_workbook(path)
    sheet = book["儿童台账"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["姓名", "性别", "年龄", "身份证号", "儿童类别"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:P{len(rows) + 1}"
    for i, text in enumerate(header):  # wide enough for the Chinese header
        letter = sheet.cell(row=1, column=i + 1).column_letter
        assert sheet.column_dimensions[letter].width >= display_width(str(text))
    colours = {b.id: b.color.lstrip("#").upper() for b in risk.bands}
    words = {b.id: b.label["zh-CN"].split(" ")[0] for b in risk.bands}
    for n, row in enumerate(rows, start=2):
        cells = {h: sheet.cell(row=n, column=i + 1) for i, h in enumerate(header)}
        assert cells["姓名"].value == row.name and cells["姓名"].data_type == "s"
        assert cells["年龄"].value == row.age
        band = cells["风险等级"]
        if row.band:
            assert band.value == words[row.band]
            assert band.fill.fgColor.rgb[-6:] == colours[row.band]
        if row.last_assessment:
            assert cells["最近评估日期"].value == datetime.combine(
                row.last_assessment, datetime.min.time()
            )
            assert cells["最近评估日期"].number_format == "yyyy-mm-dd"
        assert cells["是否逾期"].value == ("是" if row.overdue_days else "否")
        number = cells["身份证号"].value
        assert number is None or (number[6:14] == "********" and len(number) == 18)
    counts = book["统计"]
    table = [[c.value for c in r] for r in counts.iter_rows()]
    assert table[0][0] == "类别 \\ 色级"
    bands = len(risk.bands) + 1  # and "not rated"
    total_row = table[len(profile.fields["categories"].options or []) + 1]
    assert total_row[0] == "合计（人）" and total_row[bands + 1] == len(rows)
    villages = table[-1]  # by village: the children, and how many of them are overdue
    assert villages[0] == "合计（人）" and villages[bands + 1] == len(rows)
    assert villages[bands + 2] == sum(1 for r in rows if r.overdue_days)

    full = tmp_path / "full.xlsx"
    write_tables(
        full, ledger_tables(ledger_rows(cases, rules, TODAY, full_id=True), profile, risk, "en")
    )
    english = load_workbook(full)["Ledger"]
    assert english["A1"].value == "Name"
    assert {c.value for c in english["D"][1:]} >= {id_number("20120304", 11)}


def test_csv_has_a_bom_and_defuses_formulas(cases: list[CaseFile], forms: FormRegistry,
                                            tmp_path: Path) -> None:  # fmt: skip
    rows = ledger_rows(cases, load_rules(), TODAY)
    path = tmp_path / "ledger.csv"
    written = write_tables(
        path, ledger_tables(rows, forms.get("child-profile"), forms.get("risk"), "zh-CN")
    )
    assert written == [path, tmp_path / "ledger.统计.csv"]
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert lines[0][0] == "姓名" and len(lines) == len(rows) + 1
    assert any(line[0].startswith("'=HYPERLINK") for line in lines)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed: "
                    "apt-get install libreoffice-calc-nogui to run this check")  # fmt: skip
def test_libreoffice_converts_the_ledger_to_csv(
    cases: list[CaseFile], forms: FormRegistry, tmp_path: Path
) -> None:
    rows = ledger_rows(cases, load_rules(), TODAY)
    path = tmp_path / "ledger.xlsx"
    write_tables(path, ledger_tables(rows, forms.get("child-profile"), forms.get("risk"), "zh-CN"))
    done = subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1",
         "--outdir", str(tmp_path / "out"), str(path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out" / "ledger.csv"
    lines = list(csv.reader(out.read_text("utf-8").splitlines()))
    assert lines[0][:3] == ["姓名", "性别", "年龄"] and len(lines) == len(rows) + 1
    first = rows[0]
    assert lines[1][0] == first.name and lines[1][2] == str(first.age)
    assert first.last_assessment is None or lines[1][9] == first.last_assessment.isoformat()


def test_answers_of_a_form_with_codes_and_repeating_groups(
    cases: list[CaseFile], forms: FormRegistry, tmp_path: Path
) -> None:
    profiles = {c.id: c.profile for c in cases}
    risk = forms.get("risk")
    finals = [o for c in cases for o in c.finals("risk")]
    path = tmp_path / "risk.xlsx"
    write_tables(path, answers_tables(risk, finals, profiles, "zh-CN"))
    book = load_workbook(path)
    assert book.sheetnames == ["评估答案", "代码"]
    answers, codes = book["评估答案"], book["代码"]
    header = [c.value for c in answers[1]]
    code_header = [c.value for c in codes[1]]
    assert answers.max_row == len(finals) + 1
    place = header.index("评估地点")
    assert code_header[place] == "place"
    first = finals[0]
    assert answers.cell(row=2, column=1).value == first.id
    assert codes.cell(row=2, column=place + 1).value == first.answers["place"]
    label = risk.fields["place"].option_label(first.answers["place"])
    assert answers.cell(row=2, column=place + 1).value == label["zh-CN"]  # type: ignore[index]
    total = header.index("总分")
    assert answers.cell(row=2, column=total + 1).value == first.total
    assert "调整理由" in header and any(h.startswith("得分：") for h in header)

    family = forms.get("family")
    finals = [o for c in cases for o in c.finals("family")]
    written = write_tables(
        tmp_path / "family.csv", answers_tables(family, finals, profiles, "en", codes=True)
    )
    assert [p.name for p in written] == [
        "family.csv",
        "family.Family-members.csv",
        "family.Couples.csv",
    ]
    members = list(csv.reader(written[1].read_text("utf-8-sig").splitlines()))
    assert members[0][:3] == ["assessment", "child", "entry"]
    expected = sum(len(o.answers.get("members", [])) for o in finals)
    assert len(members) == expected + 1 and members[1][0] == finals[0].id and members[1][2] == "1"
    assert members[1][members[0].index("Relationship to the child")] == "father"  # a code
