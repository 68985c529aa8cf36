"""Small dialogs: a note (with an optional choice), answered or cancelled."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Footer, Input, Label, Select

from engine.report import MIN_PASSWORD
from tui.screens.base import Dialog
from tui.words import t


class NoteDialog(Dialog[tuple[str | None, str] | None]):
    """A title, an optional choice, a note (required or not); dismissed with both or None."""

    def __init__(
        self,
        title: str,
        lang: str,
        *,
        note_label: str,
        required: bool,
        choices: list[tuple[str, str]] | None = None,
        choice_label: str = "",
    ) -> None:
        super().__init__()
        self.title_text, self.lang, self.note_label = title, lang, note_label
        self.required, self.choices, self.choice_label = required, choices, choice_label

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box", classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            if self.choices:
                yield Label(self.choice_label)
                yield Select(self.choices, id="choice", allow_blank=False, compact=True)
            yield Label(self.note_label)
            yield Input(id="note", compact=True)
            yield Label("", id="note-error", classes="error wrap")
            yield Button(t("review.save", self.lang), id="ok", variant="primary")
            yield Button(t("cancel", self.lang), id="cancel")
        yield Footer(compact=True)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#ok")
    @on(Input.Submitted, "#note")
    def _ok(self) -> None:
        note = self.query_one("#note", Input).value.strip()
        if self.required and not note:
            self.query_one("#note-error", Label).update(self.note_label)
            return
        choice = str(self.query_one("#choice", Select).value) if self.choices else None
        self.dismiss((choice, note))


class PasswordDialog(Dialog[str | None]):
    """A new password typed twice (hidden); dismissed with it, or None when cancelled."""

    MIN_LENGTH = MIN_PASSWORD

    def __init__(self, title: str, lang: str) -> None:
        super().__init__()
        self.title_text, self.lang = title, lang

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Label(self.title_text, classes="dialog-title")
            yield Label(t("password.first", self.lang))
            yield Input(id="first", password=True)
            yield Label(t("password.again", self.lang))
            yield Input(id="again", password=True)
            yield Label("", id="password-error")
            yield Button(t("password.ok", self.lang), id="ok", variant="primary")
            yield Button(t("cancel", self.lang), id="cancel")
        yield Footer(compact=True)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted, "#first")
    def _next(self) -> None:
        self.query_one("#again", Input).focus()

    @on(Button.Pressed, "#ok")
    @on(Input.Submitted, "#again")
    def _ok(self) -> None:
        first = self.query_one("#first", Input).value
        again = self.query_one("#again", Input).value
        error = ""
        if len(first) < self.MIN_LENGTH:
            error = t("password.short", self.lang, n=self.MIN_LENGTH)
        elif first != again:
            error = t("password.differ", self.lang)
        if error:
            self.query_one("#password-error", Label).update(error)
            return
        self.dismiss(first)
