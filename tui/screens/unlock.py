"""Opening the encrypted replica: the passphrase is set on first run and asked at each start."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label

from sync.errors import StoreError, WrongPassphrase
from sync.store import Store
from tui.commands.texts import describe
from tui.session import relabel
from tui.words import t

MIN_LENGTH = 8


class UnlockScreen(Screen[None]):
    class Opened(Message):
        def __init__(self, store: Store) -> None:
            super().__init__()
            self.store = store

    def __init__(self, path: Path, lang: str) -> None:
        super().__init__()
        self.path, self.lang = path, lang
        self.first_run = not path.exists()
        self.first: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock"):
            yield Label(t("unlock.title", self.lang), id="unlock-title")
            yield Label(
                t("unlock.new" if self.first_run else "unlock.ask", self.lang), id="unlock-prompt"
            )
            yield Input(password=True, id="passphrase")
            yield Label("", id="unlock-error", classes="wrap")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        relabel(self.app, self.lang)  # the footer's keys (quit, language) in its language
        self.query_one(Input).focus()

    def _error(self, key: str) -> None:
        self.query_one("#unlock-error", Label).update(t(key, self.lang))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value
        event.input.value = ""
        if self.first_run and self.first is None:
            if len(value) < MIN_LENGTH:
                return self._error("unlock.short")
            self.first = value
            self.query_one("#unlock-prompt", Label).update(t("unlock.again", self.lang))
            return self._error_clear()
        if self.first_run and value != self.first:
            self.first = None
            self.query_one("#unlock-prompt", Label).update(t("unlock.new", self.lang))
            return self._error("unlock.differ")
        self._error("unlock.opening")
        self.open_store(value)
        return None

    def _error_clear(self) -> None:
        self.query_one("#unlock-error", Label).update("")

    @work(thread=True, exclusive=True)
    def open_store(self, passphrase: str) -> None:
        """The key derivation is slow on purpose: run it off the UI thread."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            store = Store.open(self.path, passphrase)
        except WrongPassphrase as exc:
            if exc.certain or not self.path.exists():
                self.app.call_from_thread(self._error, "unlock.wrong")
            else:  # the key check could not tell: say both
                self.app.call_from_thread(self._say, describe(exc, self.lang))
            return
        except StoreError as exc:  # a damaged, empty, read-only or busy replica: never replaced
            self.app.call_from_thread(self._say, describe(exc, self.lang))
            return
        self.post_message(self.Opened(store))

    def _say(self, text: str) -> None:
        self.query_one("#unlock-error", Label).update(text)
