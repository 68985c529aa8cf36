"""The dialog that closes a verification task as confirmed: for a new child the categories;
for a registered child either new categories or an exit with its reason."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList

from engine.casework.discovery_messages import say
from tui.words import t

CATEGORIES, EXIT = "categories", "exit"


@dataclass(frozen=True, slots=True)
class Confirmation:
    kind: str  # "new_child", "categories" or "exit"
    categories: list[str]
    note: str


class ConfirmDialog(ModalScreen[Confirmation | None]):
    """Categories (chosen with space), a kind of change for a registered child, a note."""

    CSS_PATH = "../styles/discovery.tcss"
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(
        self,
        lang: str,
        *,
        new_child: bool,
        categories: list[tuple[str, str]],
        chosen: list[str],
    ) -> None:
        super().__init__()
        self.lang, self.new_child = lang, new_child
        self.categories, self.chosen = categories, chosen

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll(id="confirm-box"):
            title = "task.new_child_title" if self.new_child else "task.change_title"
            yield Label(t(title, lang), classes="dialog-title")
            if not self.new_child:
                yield Label(t("task.kind", lang))
                yield Select(
                    [
                        (t("task.kind.categories", lang), CATEGORIES),
                        (t("task.kind.exit", lang), EXIT),
                    ],
                    value=CATEGORIES,
                    allow_blank=False,
                    id="kind",
                    compact=True,
                )
            yield Label(t("task.categories", lang))
            yield SelectionList[str](
                *[(label, key, key in self.chosen) for key, label in self.categories],
                id="categories",
            )
            yield Label(t("task.note", lang))
            yield Input(id="note", compact=True)
            yield Label("", id="confirm-error")
            with Horizontal(id="confirm-buttons"):
                yield Button(t("review.save", lang), id="ok", variant="primary", compact=True)
                yield Button(t("cancel", lang), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#categories", SelectionList).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#ok")
    @on(Input.Submitted, "#note")
    def _ok(self) -> None:
        kind = "new_child"
        if not self.new_child:
            kind = str(self.query_one("#kind", Select).value)
        chosen = list(self.query_one("#categories", SelectionList).selected)
        note = self.query_one("#note", Input).value.strip()
        error = None
        if kind == EXIT and not note:
            error = say("task.reason-required", self.lang)
        elif kind != EXIT and not chosen:
            error = say("task.categories-required", self.lang)
        if error:
            self.query_one("#confirm-error", Label).update(error)
            return
        self.dismiss(Confirmation(kind, chosen, note))
