"""Writing tables for people who open them in Excel or WPS: XLSX through openpyxl (streamed,
write-only), CSV as UTF-8 with a BOM so that Excel on Windows shows Chinese.

A table is a header and rows of plain values (text, numbers, dates, None) plus optional
cell fills. XLSX sheets get a frozen header, filters, dates as dates and column widths that
fit Chinese text. Text that would start a formula is written as text (in CSV with a leading
apostrophe), so a name from a department's list cannot run anything. Files are written
owner-only, to a temporary name first: a failed export leaves nothing half-written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from engine.casework.private_files import write_private
from engine.forms.i18n import display_width

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 48  # characters; longer text wraps in the cell's tooltip instead
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(slots=True)
class Table:
    """One sheet: a title (the sheet's name), a header and rows; `fills` colours cells by
    (row index, column index) with a hex colour, `widths` overrides the measured ones."""

    title: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    filters: bool = True


class ExportFailed(OSError):
    """The file could not be written; nothing was left at its path."""


def _private(path: Path, render: Callable[[BinaryIO], object]) -> None:
    """Written owner-only and whole (see `private_files`), or ExportFailed with nothing left."""
    try:
        write_private(path, render)
    except OSError as exc:
        raise ExportFailed(exc.errno or 0, f"{path}: {exc.strerror or exc}") from exc


def text_width(value: Any) -> int:
    if isinstance(value, datetime | date):
        return 10
    return display_width(str(value)) if value is not None else 0


def column_widths(table: Table, sample: int = 2000) -> list[float]:
    """Widths in Excel's units (about one per half-width character): the widest of the header
    and the first rows, wide characters counted twice, with a margin; at most MAX_WIDTH."""
    widths = [text_width(h) for h in table.header]
    for row in table.rows[:sample]:
        for i, value in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], text_width(value))
    return [min(MAX_WIDTH, w * 1.15 + 2) for w in widths]


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _ink(colour: str) -> str:
    """Black or white, whichever reads better on the fill."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return "000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "FFFFFF"


def write_xlsx(path: Path, tables: Sequence[Table]) -> None:
    """The tables as the sheets of one workbook."""
    from openpyxl import Workbook  # the spreadsheet library loads only when exporting
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    fills: dict[str, tuple[Any, Any]] = {}
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        for i, width in enumerate(column_widths(table)):
            sheet.column_dimensions[_letter(i)].width = width
        sheet.freeze_panes = "A2"
        if table.filters and table.header:
            sheet.auto_filter.ref = f"A1:{_letter(len(table.header) - 1)}{len(table.rows) + 1}"
        head = []
        for text in table.header:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            cell.alignment = Alignment(vertical="center")
            head.append(cell)
        sheet.append(head)

        def styled(value: Any, colour: str | None, sheet: Any = sheet) -> Any:
            # openpyxl gives a date its yyyy-mm-dd format itself; a cell object (slow) only
            # for a fill, or for text that must not become a formula
            if colour or _formula_like(value):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, never a formula
                if isinstance(value, datetime):
                    cell.number_format = DATE_FORMAT
                if colour:
                    hexa = colour.lstrip("#").upper()[:6]
                    if hexa not in fills:
                        fills[hexa] = (PatternFill("solid", fgColor=hexa), Font(color=_ink(hexa)))
                    cell.fill, cell.font = fills[hexa]
                return cell
            return value

        for r, row in enumerate(table.rows):
            sheet.append(
                [
                    styled(v, table.fills.get((r, c)) if table.fills else None)
                    for c, v in enumerate(row)
                ]
            )
    _private(path, book.save)


def _formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(path: Path, table: Table) -> None:
    """One table as CSV, UTF-8 with a BOM."""

    def render(file: BinaryIO) -> None:
        out = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
        writer = csv.writer(out)
        writer.writerow(table.header)
        writer.writerows([csv_text(v) for v in row] for row in table.rows)
        out.flush()
        out.detach()  # the file stays open for write_private to finish

    _private(path, render)


def write_tables(path: Path, tables: Sequence[Table]) -> list[Path]:
    """XLSX for a .xlsx path; for .csv the first table there and each other one beside it
    (`name.<sheet>.csv`, as ODK and Kobo export repeating groups). Returns the files written."""
    if path.suffix.lower() == ".csv":
        written = [path]
        write_csv(path, tables[0])
        for table in tables[1:]:
            other = path.with_name(f"{path.stem}.{'-'.join(table.title.split())}.csv")
            write_csv(other, table)
            written.append(other)
        return written
    write_xlsx(path, tables)
    return [path]


def count_table(
    title: str,
    corner: str,
    row_keys: Iterable[tuple[str, str]],
    column_keys: Iterable[tuple[str, str]],
    count: Callable[[str, str], int],
    total: str,
    totals: list[int] | None = None,
) -> Table:
    """A table of counts: one row per row key, one column per column key, a total column,
    and a total row (the column sums, or `totals` where rows overlap, e.g. categories)."""
    cols = list(column_keys)
    table = Table(title, [corner, *(label for _, label in cols), total], filters=False)
    sums = [0] * len(cols)
    for key, label in row_keys:
        values = [count(key, c) for c, _ in cols]
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        table.rows.append([label, *values, sum(values)])
    last = totals if totals is not None else sums
    table.rows.append([total, *last, sum(last)])
    return table
