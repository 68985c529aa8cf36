"""A virtual list of children: only the visible lines are drawn, so 10,000 rows stay fast."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from engine.forms.i18n import fit, pad
from tui.case_index import CaseRow


@dataclass(frozen=True)
class Column:
    title: str
    width: int


@dataclass(frozen=True)
class BandLook:
    word: str
    color: str


class CaseTable(ScrollView, can_focus=True):
    """Children as lines: band, name, category, village, next due, warning."""

    DEFAULT_CSS = """
    CaseTable { height: 1fr; }
    CaseTable > .case-table--cursor { background: $accent 40%; }
    CaseTable > .case-table--header { text-style: bold; background: $panel; }
    """
    COMPONENT_CLASSES = {"case-table--cursor", "case-table--header"}
    BINDINGS = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "move(-10)", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("home", "move(-1000000)", show=False),
        Binding("end", "move(1000000)", show=False),
        Binding("enter", "open", show=False),
    ]
    cursor: reactive[int] = reactive(0)

    class Opened(Message):
        """The user chose a child (enter or double click)."""

        def __init__(self, child: str) -> None:
            super().__init__()
            self.child = child

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.rows: list[CaseRow] = []
        self.columns: list[Column] = []
        self.bands: dict[str, BandLook] = {}
        self.categories: dict[str, str] = {}
        self.words: dict[str, str] = {"none": "-", "overdue": "{n}"}

    def show(self, rows: list[CaseRow]) -> None:
        self.rows = rows
        self.cursor = min(self.cursor, max(0, len(rows) - 1))
        self.virtual_size = Size(sum(c.width + 1 for c in self.columns), len(rows) + 1)
        self.refresh()

    @property
    def current(self) -> CaseRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def action_move(self, by: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + by))

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current.id))

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        visible = max(1, self.size.height - 1)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False)
        self.refresh()

    def on_click(self, event: Click) -> None:
        index = event.y - 1 + self.scroll_offset.y
        if 0 <= index < len(self.rows):
            if index == self.cursor and event.chain >= 2:
                self.action_open()
            self.cursor = index

    def _cells(self, row: CaseRow) -> list[tuple[str, Style]]:
        look = self.bands.get(row.band or "")
        band_style = (
            Style(bgcolor=look.color, color="black" if look else None, bold=True)
            if look
            else Style()
        )
        due = row.due.isoformat() if row.due else "-"
        if row.overdue:
            due = self.words["overdue"].format(n=row.overdue)
        category = (
            self.categories.get(row.categories[0], row.categories[0]) if row.categories else ""
        )
        return [
            (look.word if look else self.words["none"], band_style),
            (row.name, Style()),
            (category + ("+" if len(row.categories) > 1 else ""), Style()),
            (row.village, Style()),
            (due, Style(color="red", bold=True) if row.overdue else Style()),
            (
                ("▲" if row.warned else "") + ("✎" if row.drafts else ""),
                Style(color="red", bold=True),
            ),
        ]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            style = self.get_component_rich_style("case-table--header")
            text = " ".join(fit(c.title, c.width) for c in self.columns)
            return Strip([Segment(pad(text, width), style)]).crop(0, width)
        index = y - 1 + self.scroll_offset.y
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        segments = []
        base = (
            self.get_component_rich_style("case-table--cursor")
            if index == self.cursor
            else self.rich_style
        )
        for (value, style), column in zip(
            self._cells(self.rows[index]), self.columns, strict=False
        ):
            segments.append(Segment(fit(value, column.width), base + style))
            segments.append(Segment(" ", base))
        used = sum(c.width + 1 for c in self.columns)
        if used < width:
            segments.append(Segment(" " * (width - used), base))
        return Strip(segments).crop(self.scroll_offset.x, self.scroll_offset.x + width)
