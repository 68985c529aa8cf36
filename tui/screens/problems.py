"""The problems found in form definitions, each in full: file, place and what is wrong."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from tui.words import t


class ProblemsScreen(Screen[None]):
    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, problems: list[str], lang: str) -> None:
        super().__init__()
        self.problems, self.lang = problems, lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="problems"):
            yield Label(t("problems.title", self.lang), classes="screen-title")
            yield Label(t("bad_forms", self.lang), classes="wrap")
            for problem in self.problems:
                yield Static(f"• {problem}", classes="problem wrap", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_back(self) -> None:
        self.dismiss(None)
