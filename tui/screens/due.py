"""What is due: everything overdue or due in the next days, by village, sortable."""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Label

from engine.casework.schedule import DueEntry
from engine.forms.i18n import fit, pick
from tui.case_index import CaseRow, due_entries, load_index, rules_fingerprint, up_to_date
from tui.screens.base import LocalisedScreen
from tui.session import Session
from tui.widgets.case_table import CaseTable
from tui.words import t

DUE_SORTS = ("village", "due", "band")


class DueScreen(LocalisedScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("ctrl+o", "sort", "key.sort"),
        Binding("enter", "open", "key.open", show=False),
    ]

    def __init__(
        self, session: Session, lang: str, today: date | None = None, days: int = 14
    ) -> None:
        super().__init__(lang)
        self.session, self.days = session, days
        self.today = today or date.today()
        self.entries: list[DueEntry] | None = None
        self.indexing: tuple[int, int] | None = None
        self.sort = "village"
        band_form = session.forms.get(session.rules.band_form)
        self.bands = {b.id: b for b in band_form.bands}
        self.band_order = {b.id: i for i, b in enumerate(band_form.bands)}
        self.fingerprint = rules_fingerprint(session.rules, band_form.digest)

    def compose(self) -> ComposeResult:
        yield Label(t("due.title", self.lang, days=self.days), id="due-title")
        yield DataTable(cursor_type="row", id="due-table", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.load()

    @work(thread=True, exclusive=True, group="due")
    def load(self) -> None:
        """From the case index (what the case list computed), brought up to date: at once
        when it is; else as it is computed, with the progress."""
        store, rules, today = self.session.store, self.session.rules, self.today

        def partial(rows: list[CaseRow], done: int, total: int) -> None:
            entries = due_entries(rows, today, self.days)
            self.app.call_from_thread(self._loaded, entries, (done, total))

        with self.session.index_lock:
            saved = load_index(store, today)
            rows, _ = up_to_date(
                store, rules, today, self.fingerprint, self.band_order, saved, partial
            )
        self.app.call_from_thread(self._loaded, due_entries(rows, today, self.days), None)

    def _loaded(self, entries: list[DueEntry], indexing: tuple[int, int] | None) -> None:
        self.entries, self.indexing = entries, indexing
        self.refill()

    def refill(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        lang = self.lang
        table.add_columns(
            *(t(f"due.col.{c}", lang) for c in ("village", "due", "late", "name", "band", "why"))
        )
        if self.entries is None:
            self.query_one("#due-title", Label).update(
                t("due.title", lang, days=self.days) + "  ·  " + t("due.loading", lang)
            )
            return
        keys = {
            "village": lambda e: (e.township, e.village, e.item.due, e.name),
            "due": lambda e: (e.item.due, e.village, e.name),
            "band": lambda e: (self.band_order.get(e.band or "", 99), e.item.due, e.name),
        }
        # the rule in the width left, cut with "…" rather than at the screen's edge
        rule_width = max(16, (self.size.width or self.app.size.width) - 62)
        for i, e in enumerate(sorted(self.entries, key=keys[self.sort])):
            late = e.item.overdue_days(self.today)
            band = self.bands.get(e.band or "")
            table.add_row(
                f"{e.township} {e.village}".strip(),
                e.item.due.isoformat(),
                t("overdue", lang, n=late) if late else "",
                e.name,
                band.word(lang) if band else t("no_band", lang),
                fit(pick(e.item.because, lang), rule_width).rstrip(),
                key=f"{e.child}#{i}",
            )
        title = (
            t("due.title", lang, days=self.days)
            + "  ·  "
            + t("due.count", lang, n=len(self.entries))
        )
        if self.indexing is not None:
            done, total = self.indexing
            title += "  ·  " + t("list.indexing", lang, done=done, total=total)
        self.query_one("#due-title", Label).update(title)

    def action_sort(self) -> None:
        self.sort = DUE_SORTS[(DUE_SORTS.index(self.sort) + 1) % len(DUE_SORTS)]
        self.refill()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        child = str(event.row_key.value).split("#")[0]
        self.post_message(CaseTable.Opened(child))

    def action_open(self) -> None:
        self.query_one(DataTable).action_select_cursor()

    def action_back(self) -> None:
        self.dismiss(None)
