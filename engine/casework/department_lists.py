"""Reading a department's list of children (XLSX or CSV) for 双排查, with every row checked.

A list from education, health, medical insurance, the disabled persons' federation or the
women's federation names its columns in Chinese; they are guessed from common headers (a
mapping overrides). Every row is checked — a name, the ID number with its checksum, birth
date and sex, dates — and a bad row is reported by number without stopping. A bad file
(another format, empty, too many rows, merged cells among the records, a zip bomb) is
refused as a whole with one message naming the place (`list_files`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from engine.casework.discovery_messages import say
from engine.casework.id_numbers import BadIdNumber, parse_id_number
from engine.casework.list_files import HEADER_SEARCH, Formula, ListUnreadable, sheet_rows
from engine.forms.xlsform.sheets import column_letter

__all__ = [  # ListUnreadable is raised from here too, so it is offered here
    "FIELDS", "HEADERS", "Column", "DepartmentList", "ListRecord", "ListUnreadable",
    "RowProblem", "parse_mapping", "read_department_list",
]  # fmt: skip

FIELDS = (
    "name", "id_number", "sex", "birth_date", "address", "township", "village",
    "guardian", "phone", "category", "school", "note",
)  # fmt: skip
# Common headers of department lists (compared without spaces, in half width), per field.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "儿童姓名", "学生姓名", "幼儿姓名", "名字", "name"),
    "id_number": (
        "身份证号", "身份证号码", "公民身份号码", "公民身份证号", "证件号码", "身份证",
        "儿童身份证号", "学生身份证号", "idnumber", "id",
    ),
    "sex": ("性别", "sex", "gender"),
    "birth_date": ("出生日期", "出生年月", "出生年月日", "生日", "birthdate", "birth"),
    "address": ("户籍地址", "户籍地", "户籍所在地", "家庭住址", "家庭地址", "住址", "现住址",
                "居住地址", "地址", "address"),
    "township": ("乡镇", "乡镇(街道)", "镇街", "所属乡镇", "镇(街道)", "街道", "township"),
    "village": ("村", "村(社区)", "村居", "所属村", "村社区", "村(居)", "社区", "village"),
    "guardian": ("监护人", "监护人姓名", "家长姓名", "法定监护人", "父母姓名", "guardian"),
    "phone": ("联系电话", "电话", "监护人电话", "联系方式", "手机号", "手机", "家长电话", "phone"),
    "category": ("类别", "儿童类别", "困境类型", "人员类别", "救助类别", "类型", "category"),
    "school": ("学校", "就读学校", "所在学校", "school"),
    "note": ("备注", "说明", "note"),
}  # fmt: skip

MAX_ROWS = 100_000  # a township's list is far smaller; a million rows is refused at once
MAX_CELL = 500  # characters in one cell


@dataclass(frozen=True, slots=True)
class Column:
    letter: str  # A, B, …, as the spreadsheet shows
    header: str


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    column: Column | None
    code: str
    detail: str = ""

    def render(self, lang: str) -> str:
        where = f"第 {self.row} 行" if lang == "zh-CN" else f"row {self.row}"
        if self.column is not None:
            col = f"{self.column.letter} 列（{self.column.header}）"
            where += f"，{col}" if lang == "zh-CN" else f", column {self.column.letter} "
            if lang != "zh-CN":
                where += f"({self.column.header})"
        colon = "：" if lang == "zh-CN" else ": "
        return f"{where}{colon}{say(self.code, lang, detail=self.detail)}"


@dataclass(frozen=True, slots=True)
class ListRecord:
    """One good row: who the department names, as it wrote it, with the ID number checked."""

    row: int
    name: str
    id_number: str | None
    sex: str | None  # "male" or "female"
    birth_date: date | None
    fields: dict[str, str]  # every mapped column as text: address, village, guardian …


@dataclass(slots=True)
class DepartmentList:
    file: str
    sheet: str
    header_row: int
    columns: dict[str, Column]
    records: list[ListRecord] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems})

    @property
    def rows_read(self) -> int:
        return len(self.records) + len(self.bad_rows)


def parse_mapping(texts: Iterable[str]) -> dict[str, str]:
    """`name=学生姓名,id_number=D` (repeatable) as {field: header text or column letter}."""
    mapping: dict[str, str] = {}
    for text in texts:
        for part in filter(None, (p.strip() for p in text.replace("，", ",").split(","))):
            key, sep, value = part.partition("=")
            if not sep or key.strip() not in FIELDS or not value.strip():
                raise ListUnreadable("list.bad-mapping", "", detail=part, limit=", ".join(FIELDS))
            mapping[key.strip()] = value.strip()
    return mapping


def read_department_list(
    path: Path,
    *,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    max_rows: int = MAX_ROWS,
) -> DepartmentList:
    """The list in `path` (XLSX or CSV), every row checked; ListUnreadable for a bad file."""
    sheet_name, rows = sheet_rows(path, sheet, max_rows)
    return _read_rows(path.name, sheet_name, rows, mapping or {}, max_rows)


# --- rows to records -----------------------------------------------------------------------
def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


_BY_HEADER = {_key(h): f for f, headers in HEADERS.items() for h in headers}


def _guess(cells: list[Any]) -> dict[str, int]:
    """Field → column index for a header row; the first column of a field wins."""
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip():
            continue
        key = _key(cell)
        chosen = _BY_HEADER.get(key)
        if chosen is None:  # "学生身份证号码（必填）": the longest known header inside it
            inside = [(len(h), f) for h, f in _BY_HEADER.items() if len(h) > 1 and h in key]
            chosen = max(inside)[1] if inside else None
        if chosen is not None and chosen not in found:
            found[chosen] = i
    return found


def _read_rows(
    file: str,
    sheet: str,
    rows: Iterator[tuple[int, list[Any]]],
    mapping: dict[str, str],
    max_rows: int,
) -> DepartmentList:
    header_row, columns = 0, {}
    seen_any = False
    for n, cells in rows:
        if n == -1:
            break
        seen_any = seen_any or any(c not in (None, "") for c in cells)
        found = _guess(cells)
        if "name" in found and (len(found) >= 2 or "name" in mapping) or _mapped(mapping, cells):
            header_row = n
            columns = _columns(file, sheet, cells, found, mapping)
            break
        if n >= HEADER_SEARCH:
            break
    if not header_row:
        if not seen_any:
            raise ListUnreadable("list.no-rows", file, sheet=sheet)
        raise ListUnreadable("list.no-header", file, sheet=sheet, limit=HEADER_SEARCH)
    result = DepartmentList(file, sheet, header_row, {f: c for f, (_, c) in columns.items()})
    first_id: dict[str, int] = {}
    count = 0
    for n, cells in rows:
        if n == -1:
            _refuse_merged(cells, header_row, file, sheet)
            continue
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        count += 1
        if count > max_rows:
            raise ListUnreadable(
                "list.too-many-rows", file, sheet=sheet, limit=max_rows, detail=f"> {max_rows}"
            )
        _record(result, n, cells, columns, first_id)
    if not count:
        raise ListUnreadable("list.no-records", file, sheet=sheet, row=header_row)
    return result


def _mapped(mapping: dict[str, str], cells: list[Any]) -> bool:
    texts = {_key(c) for c in cells if isinstance(c, str)}
    headers = [v for v in mapping.values() if not _is_letter(v)]
    return bool(headers) and all(_key(v) in texts for v in headers)


def _is_letter(text: str) -> bool:
    return text.isascii() and text.isalpha() and text.isupper() and len(text) <= 3


def _index_of_letter(text: str) -> int:
    index = 0
    for ch in text:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _columns(
    file: str, sheet: str, header: list[Any], found: dict[str, int], mapping: dict[str, str]
) -> dict[str, tuple[int, Column]]:
    chosen = dict(found)
    keys = [_key(c) if isinstance(c, str) else "" for c in header]
    for name, target in mapping.items():
        if _is_letter(target):
            chosen[name] = _index_of_letter(target)
        elif _key(target) in keys:
            chosen[name] = keys.index(_key(target))
        else:
            raise ListUnreadable("list.mapped-column-missing", file, sheet=sheet, detail=target)
    if "name" not in chosen:
        raise ListUnreadable("list.no-header", file, sheet=sheet, limit=HEADER_SEARCH)
    return {
        f: (i, Column(column_letter(i), str(header[i]) if i < len(header) and header[i] else ""))
        for f, i in chosen.items()
    }


def _refuse_merged(
    merged: list[tuple[str, int, str, int]], header_row: int, file: str, sheet: str
) -> None:
    for first_col, first_row, last_col, last_row in merged:
        if last_row > header_row:  # a title above the header may be merged; records may not
            where = f"{first_col}{first_row}:{last_col}{last_row}"
            raise ListUnreadable("list.merged", file, sheet=sheet, detail=where)


def _record(
    result: DepartmentList,
    n: int,
    cells: list[Any],
    columns: dict[str, tuple[int, Column]],
    first_id: dict[str, int],
) -> None:
    problems: list[RowProblem] = []
    values: dict[str, Any] = {}
    for name, (i, column) in columns.items():
        value = cells[i] if i < len(cells) else None
        if isinstance(value, Formula):
            problems.append(RowProblem(n, column, "row.formula", value.text[:40]))
            continue
        if isinstance(value, str):
            value = value.strip()
            if len(value) > MAX_CELL:
                problems.append(RowProblem(n, column, "row.too-long", str(len(value))))
                continue
        if value not in (None, ""):
            values[name] = value
    name = _text(values.get("name"))
    if not name and not any(p.column == columns["name"][1] for p in problems):
        problems.append(RowProblem(n, columns["name"][1], "row.name-required"))
    id_number = sex = birth = None
    if "id_number" in values:
        column = columns["id_number"][1]
        try:
            checked = parse_id_number(_text(values["id_number"]))
        except BadIdNumber as exc:
            problems.append(RowProblem(n, column, exc.code, exc.detail))
        else:
            id_number, sex, birth = checked.number, checked.sex, checked.birth_date
            if id_number in first_id:
                problems.append(RowProblem(n, column, "row.duplicate", str(first_id[id_number])))
            else:
                first_id[id_number] = n
    if "birth_date" in values:
        column = columns["birth_date"][1]
        given = _date(values["birth_date"])
        if given is None:
            problems.append(RowProblem(n, column, "row.bad-date", _text(values["birth_date"])))
        elif birth is not None and given != birth:
            problems.append(RowProblem(n, column, "id.birth-differs", given.isoformat()))
        birth = birth or given
    if "sex" in values:
        column = columns["sex"][1]
        given_sex = _sex(_text(values["sex"]))
        if given_sex is None:
            problems.append(RowProblem(n, column, "row.bad-sex", _text(values["sex"])))
        elif sex is not None and given_sex != sex:
            problems.append(RowProblem(n, column, "id.sex-differs", _text(values["sex"])))
        sex = sex or given_sex
    if problems:
        result.problems.extend(problems)
        return
    texts = {k: _text(v) for k, v in values.items() if k not in ("name", "id_number")}
    result.records.append(ListRecord(n, name, id_number, sex, birth, texts))


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", _text(value))
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = _DATE_TEXT.match(text)
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


_SEXES = {"男": "male", "女": "female", "male": "male", "female": "female", "m": "male",
          "f": "female", "男性": "male", "女性": "female"}  # fmt: skip


def _sex(text: str) -> str | None:
    return _SEXES.get(_key(text))
