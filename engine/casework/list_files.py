"""The file of a department's list, before any row is judged: its format, its size, a zip
bomb refused, and its rows streamed (openpyxl read-only for XLSX, imported only here and only
when a list is read; CSV as UTF-8 with or without BOM, or GB18030 as Chinese Windows saves it).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.casework.discovery_messages import say

MAX_FILE_BYTES = 64 * 2**20  # a CSV or XLSX file as stored
MAX_UNPACKED_BYTES = 256 * 2**20  # an XLSX's parts once unpacked
MAX_RATIO = 200  # unpacked / packed for a large part: more is a zip bomb
MAX_COLUMNS = 60
HEADER_SEARCH = 10  # rows looked at for the header (titles stand above it)


class ListUnreadable(ValueError):
    """The file as a whole cannot be used; nothing was read from it."""

    def __init__(self, code: str, file: str, **place: object) -> None:
        self.code, self.file, self.place = code, file, place
        super().__init__(self.render("en"))

    def render(self, lang: str) -> str:
        params = {"sheet": "", "detail": "", "limit": "", "row": "", **self.place}
        return say(self.code, lang, file=self.file, **params)


def sheet_rows(
    path: Path, sheet: str | None, max_rows: int
) -> tuple[str, Iterator[tuple[int, list[Any]]]]:
    """The sheet's name and its rows as (row number, values); a formula comes as a
    Formula, merged ranges last as row -1. ListUnreadable for a file that is no list."""
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            head = file.read(4096)  # enough to tell the kind of file, and binary from text
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
    elif b"\x00" in head or path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise ListUnreadable("list.format", name, detail=head[:4].hex())
    else:
        sheet_name, rows = path.stem, _csv_rows(path, max_rows)
    return sheet_name, rows


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


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

    return sheet_name, _with_merged(rows(), merged)


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
    rows: Iterator[tuple[int, list[Any]]], merged: list[tuple[str, int, str, int]]
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
