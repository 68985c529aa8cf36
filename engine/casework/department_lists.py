"""Reading a department's list of children (XLSX or CSV) for 双排查, with every row checked.

A list from education, health, medical insurance, the disabled persons' federation or the
women's federation names its columns in Chinese; they are guessed from common headers (a
mapping overrides). Every row is checked — a name, the ID number with its checksum, birth
date and sex, dates — and a bad row is reported by number without stopping. A bad file
(another format, empty, too many rows, merged cells among the records, a zip bomb) is
refused as a whole with one message naming the place. openpyxl (read-only, streaming) reads
XLSX; it is imported only when a list is read.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from engine.casework.discovery_messages import say
from engine.casework.id_numbers import BadIdNumber, parse_id_number

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

MAX_FILE_BYTES = 64 * 2**20  # a CSV or XLSX file as stored
MAX_UNPACKED_BYTES = 256 * 2**20  # an XLSX's parts once unpacked
MAX_RATIO = 200  # unpacked / packed for a large part: more is a zip bomb
MAX_ROWS = 100_000  # a township's list is far smaller; a million rows is refused at once
MAX_COLUMNS = 60
MAX_CELL = 500  # characters in one cell
HEADER_SEARCH = 10  # rows looked at for the header (titles stand above it)


class ListUnreadable(ValueError):
    """The file as a whole cannot be used; nothing was read from it."""

    def __init__(self, code: str, file: str, **place: object) -> None:
        self.code, self.file, self.place = code, file, place
        super().__init__(self.render("en"))

    def render(self, lang: str) -> str:
        params = {"sheet": "", "detail": "", "limit": "", "row": "", **self.place}
        return say(self.code, lang, file=self.file, **params)


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
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            head = file.read(8)
    except FileNotFoundError:
        raise ListUnreadable("list.missing", name) from None
    except OSError as exc:
        raise ListUnreadable("list.unreadable", name, detail=exc.strerror or exc) from exc
    if size == 0:
        raise ListUnreadable("list.empty-file", name)
    if size > MAX_FILE_BYTES:
        raise ListUnreadable(
            "list.too-large-file", name, detail=_mb(size), limit=_mb(MAX_FILE_BYTES)
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ListUnreadable("list.old-xls", name)
    if head.startswith(b"PK"):
        sheet_name, rows = _xlsx_rows(path, sheet, max_rows)
    elif _looks_binary(path) or path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise ListUnreadable("list.format", name, detail=head[:4].hex())
    else:
        sheet_name, rows = path.stem, _csv_rows(path, max_rows)
    return _read_rows(name, sheet_name, rows, mapping or {}, max_rows)


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def _looks_binary(path: Path) -> bool:
    with path.open("rb") as file:
        return b"\x00" in file.read(4096)


# --- CSV -----------------------------------------------------------------------------------
def _csv_rows(path: Path, max_rows: int) -> Iterator[tuple[int, list[Any]]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves GBK CSV
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte sequence
        raise ListUnreadable("list.format", path.name, detail="encoding")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return ((n, row) for n, row in enumerate(reader, start=1))


# --- XLSX ----------------------------------------------------------------------------------
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_DIMENSION = re.compile(r"^[A-Z]+[0-9]+:[A-Z]+([0-9]+)$")


def _xlsx_rows(
    path: Path, wanted: str | None, max_rows: int
) -> tuple[str, Iterator[tuple[int, list[Any]]]]:
    name = path.name
    _check_zip(path)
    from openpyxl import load_workbook  # the spreadsheet library loads only for a list

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise ListUnreadable("list.bad-zip", name, detail=type(exc).__name__) from exc
    names = list(book.sheetnames)
    if wanted is not None and wanted not in names:
        raise ListUnreadable("list.no-sheet", name, sheet=wanted, detail="、".join(names))
    sheet_name = wanted or names[0]
    sheet = book[sheet_name]
    try:
        dimension = sheet.calculate_dimension()
    except (AttributeError, ValueError):  # no size written ahead: the rows are counted instead
        dimension = ""
    match = _DIMENSION.match(str(dimension))
    if match and int(match.group(1)) > max_rows + HEADER_SEARCH:  # refused before reading
        raise ListUnreadable(
            "list.too-many-rows", name, sheet=sheet_name, limit=max_rows, detail=match.group(1)
        )
    merged = _merged_ranges(path, book, sheet_name)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        n = 0
        try:
            values = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            for n, cells in enumerate(values, start=1):
                yield n, [_cell_value(c) for c in cells]
        except (ValueError, KeyError, TypeError, SyntaxError, zipfile.BadZipFile) as exc:
            # malformed sheet XML (a SyntaxError subclass) or a damaged part, after row n
            detail = f"{type(exc).__name__}, row {n + 1}"
            raise ListUnreadable("list.bad-zip", name, detail=detail) from exc
        finally:
            book.close()

    return sheet_name, _with_merged(rows(), merged, name, sheet_name)


def _check_zip(path: Path) -> None:
    """Refuse a damaged archive or one that unpacks to far more than it holds."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ListUnreadable("list.bad-zip", path.name, detail=str(exc)) from exc
    unpacked = sum(i.file_size for i in infos)
    worst = max(
        (i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > 2**20), default=0
    )
    if unpacked > MAX_UNPACKED_BYTES or worst > MAX_RATIO or len(infos) > 10_000:
        detail = f"{_mb(unpacked)}, ×{worst:.0f}, {len(infos)}"
        raise ListUnreadable("list.too-big", path.name, detail=detail)


def _merged_ranges(path: Path, book: Any, sheet_name: str) -> list[tuple[str, int, str, int]]:
    """Merged ranges of the sheet, read from its XML: the read-only reader does not keep them."""
    part = _sheet_part(book, sheet_name)
    if part is None:
        return []
    found: list[tuple[str, int, str, int]] = []
    with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            text = tail + chunk
            for m in _MERGE.finditer(text):
                first_col, first_row, last_col, last_row = m.groups()
                found.append(
                    (
                        first_col.decode(),
                        int(first_row),
                        (last_col or first_col).decode(),
                        int(last_row or first_row),
                    )
                )
            tail = text[-200:]  # a tag cut in two is found whole next time; repeats are one
    return sorted(set(found), key=lambda r: (r[1], r[0]))


def _sheet_part(book: Any, sheet_name: str) -> str | None:
    try:
        index = book.sheetnames.index(sheet_name)
        relation = book._sheets[index]._worksheet_path  # openpyxl's own path of the sheet part
        return str(relation).lstrip("/")
    except (AttributeError, IndexError, ValueError):
        return None


def _with_merged(
    rows: Iterator[tuple[int, list[Any]]],
    merged: list[tuple[str, int, str, int]],
    file: str,
    sheet: str,
) -> Iterator[tuple[int, list[Any]]]:
    """Rows, with merged ranges passed on as a marker the header search can judge."""
    yield from rows
    if merged:
        yield -1, list(merged)


def _cell_value(value: Any) -> Any:
    """A cell's value; a formula (read as its text, never evaluated) is marked as one."""
    if isinstance(value, str) and value.startswith("="):
        return Formula(value)
    return value


@dataclass(frozen=True, slots=True)
class Formula:
    text: str


# --- rows to records -----------------------------------------------------------------------
def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
    buffered: list[tuple[int, list[Any]]] = []
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
        buffered.append((n, cells))
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
        f: (i, Column(_letter(i), str(header[i]) if i < len(header) and header[i] else ""))
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
