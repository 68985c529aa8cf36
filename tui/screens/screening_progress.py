"""The supervisor's view of 双排查: per batch, the records imported, the candidates, how many
were verified and confirmed, new children, category changes, exits and what is still open."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Label

from engine.casework.screening import batch_progress
from tui.screens.base import LocalisedScreen
from tui.session import Session
from tui.words import t

COLUMNS = (
    "source", "file", "imported", "records", "bad_rows", "candidates", "verified",
    "confirmed", "new_children", "category_changes", "exits", "open",
)  # fmt: skip


class BatchProgressScreen(LocalisedScreen[None]):
    CSS_PATH = "../styles/discovery.tcss"
    BINDINGS = [Binding("escape", "back", "key.back")]

    def __init__(self, session: Session, lang: str) -> None:
        super().__init__(lang)
        self.session = session
        store = session.store  # read once: a language switch only draws again
        tasks = list(store.all_docs("verification:"))
        self.figures = [
            (str(b.get("file", "")), batch_progress(b, tasks)) for b in store.all_docs("screening:")
        ]
        self.figures.sort(key=lambda f: f[1].imported_at, reverse=True)

    def compose(self) -> ComposeResult:
        yield Label(t("batches.title", self.lang), classes="screen-title")
        yield DataTable(cursor_type="row", id="batches-table", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).focus()

    def refill(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(*(t(f"batches.col.{c}", self.lang) for c in COLUMNS))
        for file, f in self.figures:
            table.add_row(
                f.source, file, f.imported_at[:10], f.records, f.bad_rows, f.candidates,
                f.verified, f.confirmed, f.new_children, f.category_changes, f.exits, f.open,
                key=f.batch,
            )  # fmt: skip
        if not self.figures:
            table.add_row(t("batches.none", self.lang), *[""] * (len(COLUMNS) - 1))

    def action_back(self) -> None:
        self.dismiss(None)
