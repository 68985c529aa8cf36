"""Reading an XLSForm workbook with openpyxl: rows as dictionaries, each cell placed.

Costs are bounded before anything is built: the file's size, the rows and columns read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.forms.i18n import DEFAULT_LANGUAGE, pick
from engine.forms.messages import message

MAX_BYTES = 10_000_000
MAX_ROWS = 5000
MAX_COLUMNS = 60

# How XLSForm authors name languages in column headers, and the careforms language of each.
LANGUAGE_NAMES = {
    "en": "en", "english": "en", "english (en)": "en",
    "zh-cn": "zh-CN", "zh": "zh-CN", "zh-hans": "zh-CN", "chinese": "zh-CN", "中文": "zh-CN",
    "简体中文": "zh-CN", "chinese (zh)": "zh-CN",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SheetProblem:
    """A problem or a warning placed in the spreadsheet: sheet, row, column."""

    code: str
    file: str
    sheet: str
    row: int | None = None
    column: str | None = None  # "C (relevant)"
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def location(self) -> str:
        place = self.sheet
        if self.row is not None:
            place += f"!{self.row}"
        if self.column:
            place += f" {self.column}"
        return f"{self.file} [{place}]"

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        params = {k: pick(v, lang) if isinstance(v, dict) else v for k, v in self.params.items()}
        return message(f"xls.{self.code}", lang, **params)

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return f"{self.location}: [{self.code}] {self.message(lang)}"


@dataclass
class Row:
    number: int  # as the spreadsheet shows it
    cells: dict[str, Any]
    letters: dict[str, str]  # header → column letter

    def text(self, key: str) -> str:
        value = self.cells.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def column(self, key: str) -> str:
        return f"{self.letters.get(key, '?')} ({key})"


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: list[Row]

    def localised(self, base: str) -> dict[str, str]:
        """Headers of one column in several languages: {header: language}, e.g.
        `label::English (en)` → en; a bare `label` gets the empty language (the default)."""
        found: dict[str, str] = {}
        for header in self.headers:
            if header == base:
                found[header] = ""
            elif header.startswith(base + "::"):
                found[header] = language_of(header[len(base) + 2 :])
        return found


def language_of(name: str) -> str:
    """`English (en)`, `zh-CN`, `中文 (zh-CN)` → en / zh-CN; anything else as written."""
    text = name.strip()
    if text.endswith(")") and "(" in text:
        code = text[text.rindex("(") + 1 : -1].strip()
        return LANGUAGE_NAMES.get(code.lower(), code)
    return LANGUAGE_NAMES.get(text.lower(), text)


def column_letter(index: int) -> str:
    """A spreadsheet's column letters for a 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_workbook(path: Path) -> tuple[dict[str, Sheet], list[SheetProblem]]:
    """The workbook's sheets by lower-case name; or the problems that prevent reading it."""
    from openpyxl import load_workbook  # the spreadsheet library loads only when used

    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return {}, [SheetProblem("unreadable", name, "-", params={"detail": str(exc)})]
    if size > MAX_BYTES:
        return {}, [SheetProblem("too-large", name, "-", params={"limit": MAX_BYTES})]
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip, XML or format errors of a file that is not a workbook
        return {}, [SheetProblem("unreadable", name, "-", params={"detail": type(exc).__name__})]
    sheets: dict[str, Sheet] = {}
    problems: list[SheetProblem] = []
    try:
        for ws in book.worksheets:
            rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            header_row = next(rows, None) or ()
            headers = [str(h).strip() if h is not None else "" for h in header_row]
            letters = {h: column_letter(i) for i, h in enumerate(headers) if h}
            sheet = Sheet(ws.title, [h for h in headers if h], [])
            for number, values in enumerate(rows, start=2):
                if number > MAX_ROWS + 1:
                    problems.append(SheetProblem("too-many-rows", name, ws.title, number,
                                                 params={"limit": MAX_ROWS}))  # fmt: skip
                    break
                cells = {h: v for h, v in zip(headers, values, strict=False) if h and v is not None}
                if cells:
                    sheet.rows.append(Row(number, cells, letters))
            sheets[ws.title.strip().lower()] = sheet
    finally:
        book.close()
    return sheets, problems
