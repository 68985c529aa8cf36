"""Department lists and registers built in the tests: XLSX by openpyxl, CSV by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from engine.casework.id_numbers import check_character

HEADER = ["序号", "姓名", "身份证号", "性别", "出生日期", "户籍地址", "监护人", "联系电话"]


def id_number(birth: str, sequence: int, region: str = "321081") -> str:
    """A valid 18-character number for a birth date (YYYYMMDD); odd sequences are boys."""
    first = f"{region}{birth}{sequence:03d}"
    return first + check_character(first)


def xlsx(path: Path, rows: list[list[Any]], *, title: str | None = "某镇困境儿童名单",
         header: list[str] = HEADER, sheet: str = "名单") -> Path:  # fmt: skip
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def child_doc(uid: str, name: str, *, birth: str, village: str, guardian: str = "",
              number: str | None = None, categories: tuple[str, ...] = ("left_behind",),
              state: str = "in_service") -> dict[str, Any]:  # fmt: skip
    answers: dict[str, Any] = {
        "name": name, "sex": "male", "birth_date": birth, "categories": list(categories),
        "township": "青山镇", "village": village, "intake_date": "2024-01-01",
    }  # fmt: skip
    if guardian:
        answers["guardian_name"] = guardian
    if number:
        answers["id_number"] = number
    return {
        "_id": f"child:{uid}", "type": "child", "district": "demo", "answers": answers,
        "case": {"state": state, "history": [
            {"from": None, "to": state, "at": "2024-01-01T09:00:00", "by": "x", "note": ""}]},
    }  # fmt: skip
