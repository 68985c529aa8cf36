"""Opening the encrypted replica: the passphrase is set on first run and asked at each start."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Footer, Input, Label

from sync.errors import StoreError, WrongPassphrase
from sync.store import Store
from tui.commands.texts import describe
from tui.screens.base import LocalisedScreen
from tui.session import relabel
from tui.words import Said, in_each_language, t

MIN_LENGTH = 8


class UnlockScreen(LocalisedScreen[None]):
    """Kept in attributes (where the worker is in setting a passphrase, what is said under
    the field), so that F9 says it all again in the other language."""

    class Opened(Message):
        def __init__(self, store: Store) -> None:
            super().__init__()
            self.store = store

    def __init__(self, path: Path, lang: str) -> None:
        super().__init__(lang)
        self.path = path
        self.first_run = not path.exists()
        self.first: str | None = None  # a new passphrase typed once, until typed again
        self.said: Said | None = None  # under the field: a problem, or that it is opening

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock"):
            yield Label(t("unlock.title", self.lang), id="unlock-title")
            yield Label(t(self._prompt(), self.lang), id="unlock-prompt")
            yield Input(password=True, id="passphrase")
            yield Label(self._said(), id="unlock-error", classes="wrap")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        relabel(self.app, self.lang)  # the footer's keys (quit, language) in its language
        super().on_mount()

    def _prompt(self) -> str:
        if not self.first_run:
            return "unlock.ask"
        return "unlock.new" if self.first is None else "unlock.again"

    def _said(self) -> str:
        return self.said(self.lang) if self.said is not None else ""

    def _show(self, said: Said | None) -> None:
        self.said = said
        self.query_one("#unlock-prompt", Label).update(t(self._prompt(), self.lang))
        self.query_one("#unlock-error", Label).update(self._said())

    def _error(self, key: str) -> None:
        self._show(partial(t, key))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value
        event.input.value = ""
        if self.first_run and self.first is None:
            if len(value) < MIN_LENGTH:
                return self._error("unlock.short")
            self.first = value
            return self._show(None)
        if self.first_run and value != self.first:
            self.first = None
            return self._error("unlock.differ")
        self._error("unlock.opening")
        self.open_store(value)
        return None

    @work(thread=True, exclusive=True)
    def open_store(self, passphrase: str) -> None:
        """The key derivation is slow on purpose: run it off the UI thread."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            store = Store.open(self.path, passphrase)
        except StoreError as exc:  # a damaged, empty, read-only or busy replica: never replaced
            if isinstance(exc, WrongPassphrase) and (exc.certain or not self.path.exists()):
                self.app.call_from_thread(self._error, "unlock.wrong")
            else:  # what it is (when the key check could not tell: both possibilities)
                self.app.call_from_thread(self._show, in_each_language(partial(describe, exc)))
            return
        self.post_message(self.Opened(store))
