"""Page set-up shared by every report: styles in the CJK font, footer with "page N of M"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from reportlab.graphics.shapes import Rect
from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from engine.report.fonts import report_font
from engine.report.pdf_lock import PasswordLock
from engine.report.words import word

if TYPE_CHECKING:
    from reportlab.graphics.shapes import _SolidShapeKwArgs

PAGE = A4
MARGIN = 16 * mm
INK = colors.HexColor("#222222")
GREY = colors.HexColor("#888888")
LIGHT = colors.HexColor("#E6E6E6")


@dataclass(frozen=True)
class Styles:
    font: str
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle


class _Common(TypedDict):
    """What every report style shares."""

    fontName: str
    textColor: Color
    wordWrap: str


def styles(lang: str = "zh-CN") -> Styles:
    """Chinese wraps between any two characters; English only at spaces (a word longer than
    its cell is split, as the last resort), so no English word is broken inside a cell."""
    font = report_font().name
    base: _Common = {
        "fontName": font,
        "textColor": INK,
        "wordWrap": "CJK" if lang == "zh-CN" else "",
    }
    return Styles(
        font=font,
        title=ParagraphStyle("title", fontSize=16, leading=21, spaceAfter=4, **base),
        heading=ParagraphStyle(
            "heading", fontSize=12, leading=16, spaceBefore=8, spaceAfter=4, **base
        ),
        body=ParagraphStyle("body", fontSize=9.5, leading=13.5, **base),
        small=ParagraphStyle("small", fontSize=8, leading=10.5, **base),
        cell=ParagraphStyle("cell", fontSize=8.5, leading=11, **base),
    )


def text(value: object) -> str:
    """Plain text made safe for a Paragraph (which reads a little markup)."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def para(value: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text(value), style)


def grid(
    rows: list[list[Any]],
    widths: list[float],
    *,
    header: bool = True,
    extra: list[Any] | None = None,
) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), report_font().name),  # numbers too, as in the text
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, GREY),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), LIGHT))
    table.setStyle(TableStyle(commands + (extra or [])))
    table.hAlign, table.spaceAfter = "LEFT", 4
    return table


def numbered_canvas(lang: str, font: str, title: str) -> Callable[..., Canvas]:
    """A canvas that waits for the last page to write "page N of M" and the footer on each."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **{**kwargs, "initialFontName": font})  # not even Helvetica
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            # ReportLab's own fresh-page set-up; private, so the stubs leave it out.
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._footer(number, total)
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int) -> None:
            width, _ = PAGE
            self.setFont(font, 7.5)
            self.setFillColor(GREY)
            self.drawString(MARGIN, 9 * mm, word("footer", lang))
            self.drawRightString(width - MARGIN, 9 * mm, word("page", lang, n=number, of=total))
            self.drawString(MARGIN, PAGE[1] - 10 * mm, title)
            self.setStrokeColor(LIGHT)
            self.line(MARGIN, 12 * mm, width - MARGIN, 12 * mm)

    return NumberedCanvas


class Outline(TypedDict):
    """The stroke and fill of a closed shape, passed as keywords."""

    strokeColor: Color
    strokeWidth: float
    fillColor: Color


def rect(
    x: float,
    y: float,
    width: float,
    height: float,
    rx: float = 0,
    ry: float = 0,
    **kw: Unpack[_SolidShapeKwArgs],
) -> Rect:
    """ReportLab's Rect, with its keywords typed: the stubs annotate Rect's `**kw` without
    `Unpack` (unlike Circle's and Polygon's), so every keyword would have to be the whole dict."""
    return Rect(x, y, width, height, rx, ry, **kw)  # type: ignore[arg-type]


def build(
    out: Any,
    story: list[Flowable],
    *,
    lang: str,
    title: str,
    running_title: str | None = None,
    password: str | None = None,
) -> int:
    """Write the story as a PDF; returns the number of pages.

    `title` goes into the PDF's metadata, so it never names the child; `running_title` is
    printed at the top of each page. With a password the PDF is encrypted (AES-256)."""
    doc = SimpleDocTemplate(
        str(out) if isinstance(out, PurePath) else out,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 2 * mm,
        title=title,
        author="careforms",
        subject="",
        creator="careforms",
        keywords=[],
        lang=lang,
        encrypt=PasswordLock(password) if password else None,
    )
    canvas = numbered_canvas(lang, report_font().name, running_title or title)
    doc.build(story, canvasmaker=canvas)
    return int(doc.page)


def content_width() -> float:
    return PAGE[0] - 2 * MARGIN
