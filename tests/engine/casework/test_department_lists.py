"""Reading department lists: every row checked and reported by number; bad files refused."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from engine.casework.department_lists import (
    ListUnreadable,
    parse_mapping,
    read_department_list,
)
from tests.engine.casework.discovery_lists import HEADER, id_number, xlsx


def test_rows_are_checked_and_bad_ones_reported_by_row_and_column(tmp_path: Path) -> None:
    boy = id_number("20120304", 13)
    path = xlsx(
        tmp_path / "edu.xlsx",
        [
            [1, "陈晓明", boy, "男", "2012-03-04", "青山镇石桥村3组", "陈大军", "13800000000"],
            [2, "王芳", boy[:-1] + ("0" if boy[-1] != "0" else "1"), "女", None, "", "", ""],
            [3, None, None, "男", None, "青山镇柳塘村", "", ""],
            [4, "李明", None, "男", "2012年13月1日", "", "", ""],
            [5, "赵雷", id_number("20100101", 11), "女", "2010/1/1", "", "", ""],
            [6, "周杰", id_number("20100101", 21), "男", "2010-01-02", "", "", ""],
            [7, "孙丽", boy, "男", "20120304", "", "", ""],  # the same number as row 3
            [8, '=HYPERLINK("http://x")', None, "女", date(2013, 5, 6), "", "", ""],
            [None, None, None, None, None, None, None, None],  # blank rows are no records
            [9, "吴敏", None, "f", date(2013, 5, 6), "白溪镇竹林村", "", ""],
        ],
    )
    listing = read_department_list(path)
    assert listing.header_row == 2 and listing.columns["id_number"].letter == "C"
    assert [r.row for r in listing.records] == [3, 12]
    first = listing.records[0]
    assert (first.name, first.id_number, first.sex, first.birth_date) == (
        "陈晓明", boy, "male", date(2012, 3, 4),
    )  # fmt: skip
    assert first.fields["address"] == "青山镇石桥村3组" and first.fields["phone"] == "13800000000"
    found = {(p.row, p.column.letter if p.column else None, p.code) for p in listing.problems}
    assert found == {
        (4, "C", "id.checksum"),
        (5, "B", "row.name-required"),
        (6, "E", "row.bad-date"),
        (7, "D", "id.sex-differs"),
        (8, "E", "id.birth-differs"),
        (9, "C", "row.duplicate"),
        (10, "B", "row.formula"),
    }
    assert listing.rows_read == 9 and listing.bad_rows == [4, 5, 6, 7, 8, 9, 10]
    zh = next(p for p in listing.problems if p.row == 4).render("zh-CN")
    assert zh.startswith("第 4 行，C 列（身份证号）：") and "校验位" in zh
    en = next(p for p in listing.problems if p.row == 9).render("en")
    assert en == "row 9, column C (身份证号): the same ID number as row 3"


def test_a_list_written_without_its_size_ahead_is_read(tmp_path: Path) -> None:
    book = Workbook(write_only=True)  # as many generators write: no <dimension>
    sheet = book.create_sheet("Sheet1")
    sheet.append(["姓名", "出生日期"])
    sheet.append(["陈晓明", date(2012, 3, 4)])
    book.save(tmp_path / "streamed.xlsx")
    listing = read_department_list(tmp_path / "streamed.xlsx")
    assert [(r.row, r.birth_date) for r in listing.records] == [(2, date(2012, 3, 4))]


def test_csv_with_bom_or_from_chinese_windows_and_a_mapping(tmp_path: Path) -> None:
    text = "学生名字,证件,家庭住址\n陈晓明,{},青山镇石桥村\n".format(id_number("20120304", 13))
    for encoding in ("utf-8-sig", "gb18030"):
        path = tmp_path / f"list-{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        listing = read_department_list(path, mapping=parse_mapping(["name=学生名字,id_number=B"]))
        assert [(r.name, r.birth_date) for r in listing.records] == [("陈晓明", date(2012, 3, 4))]
        assert listing.columns["address"].header == "家庭住址"
    with pytest.raises(ListUnreadable, match="--columns"):
        parse_mapping(["nome=姓名"])


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "list.empty-file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "list.old-xls"),
        (b"%PDF-1.7\n\0\0\0binary", "list.format"),
        (b"PK\x03\x04 this is not really a zip", "list.bad-zip"),
    ],
)
def test_files_that_are_not_lists_are_refused_whole(
    tmp_path: Path, content: bytes, code: str
) -> None:
    path = tmp_path / "list.xlsx"
    path.write_bytes(content)
    with pytest.raises(ListUnreadable) as caught:
        read_department_list(path)
    assert caught.value.code == code and "list.xlsx" in caught.value.render("zh-CN")


def test_a_missing_header_an_empty_sheet_and_no_records(tmp_path: Path) -> None:
    cases = {
        "list.no-header": xlsx(tmp_path / "a.xlsx", [["x"]] * 3, title=None, header=["甲", "乙"]),
        "list.no-rows": xlsx(tmp_path / "b.xlsx", [], title=None, header=[]),
        "list.no-records": xlsx(tmp_path / "c.xlsx", []),
    }
    for code, path in cases.items():
        with pytest.raises(ListUnreadable) as caught:
            read_department_list(path)
        assert caught.value.code == code, code
        assert "“名单”" in caught.value.render("zh-CN")
    with pytest.raises(ListUnreadable, match="no sheet"):
        read_department_list(cases["list.no-records"], sheet="Sheet9")


def test_merged_cells_among_the_records_are_refused_with_the_range(tmp_path: Path) -> None:
    path = tmp_path / "merged.xlsx"
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "名单"
    ws.append(HEADER)
    for n in range(3):
        ws.append([n, f"儿童{n}", None, "男", None, "青山镇石桥村", "", ""])
    ws.merge_cells("F2:F4")  # one address for three children
    book.save(path)
    with pytest.raises(ListUnreadable) as caught:
        read_department_list(path)
    assert caught.value.code == "list.merged" and "F2:F4" in caught.value.render("en")


def test_a_million_rows_are_refused_before_reading_them(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(HEADER)
    ws.cell(row=1_000_001, column=2, value="最后一名")  # the sheet claims a million rows
    book.save(path)
    with pytest.raises(ListUnreadable) as caught:
        read_department_list(path)
    assert caught.value.code == "list.too-many-rows" and "1000001" in caught.value.render("en")
    csv = tmp_path / "long.csv"  # a CSV says nothing ahead: counted while read
    csv.write_text("姓名,性别\n" + "张三,男\n" * 12, encoding="utf-8")
    with pytest.raises(ListUnreadable, match="more than 10 rows"):
        read_department_list(csv, max_rows=10)


def test_a_zip_bomb_is_refused_without_unpacking_it(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 2**20))  # 8 MB of zeros
    assert path.stat().st_size < 64 * 1024
    with pytest.raises(ListUnreadable) as caught:
        read_department_list(path)
    assert caught.value.code == "list.too-big"
