"""Sync by file where there is no network: write a bundle onto a USB stick for the office,
read the office's answer back, and see first what the bundle would carry."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Input, Label

from sync.bundle_file import BundleUnreadable, check_bundle
from sync.bundles import (
    MIN_PASSPHRASE,
    BundleRefused,
    bundle_name,
    outbound_since,
    read_answer,
    write_outbound,
)
from sync.preview import preview_bundle
from sync.server_setup import BadDistrict, district_database
from sync.settings import SyncSettings
from tui.commands.sync_preview import preview_lines
from tui.form_sources import checked_forms
from tui.screens.base import LocalisedScreen
from tui.screens.sync_screen import LOCAL_DISTRICT
from tui.session import Session
from tui.words import t

FOLDER_ID = "_local/careforms-bundle-folder"  # where the last bundle was written


def known_district(session: Session) -> str:
    """The district the worker gave, unless it is still the placeholder of a new laptop."""
    return "" if session.district == LOCAL_DISTRICT else session.district


class BundleScreen(LocalisedScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("f6", "write", "bundle.write"),
        Binding("f7", "read", "bundle.read"),
        Binding("f8", "preview", "bundle.preview"),
    ]

    def __init__(self, session: Session, lang: str) -> None:
        super().__init__(lang)
        self.session = session
        store = session.store
        self.settings = SyncSettings.load(store)
        last = (store.get_local(FOLDER_ID) or {}).get("folder")
        self.typed: dict[str, str] = {
            "folder": str(last or session.reports.parent / "bundles"),
            "district": self.settings.district or known_district(session),
        }
        self.result = ""
        self.running = False

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll(id="bundle"):
            yield Label(t("bundle.title", lang), classes="screen-title")
            yield Label(t("bundle.help", lang), classes="wrap")
            yield Label(t("bundle.folder", lang))
            yield Input(self.typed.get("folder", ""), id="folder")
            with Horizontal(classes="sync-row"):
                with Vertical():
                    yield Label(t("sync.district", lang))
                    yield Input(self.typed.get("district", ""), id="district")
                with Vertical():
                    yield Label(t("bundle.passphrase", lang))
                    yield Input(self.typed.get("passphrase", ""), password=True, id="passphrase")
            yield Label(t("bundle.answer", lang))
            yield Input(self.typed.get("answer", ""), placeholder="…-answer.bundle", id="answer")
            with Horizontal(classes="buttons"):
                yield Button(t("bundle.preview", lang), id="preview")
                yield Button(t("bundle.write", lang), id="write", variant="primary")
                yield Button(t("bundle.read", lang), id="read")
            yield Label(self.result, id="result", classes="wrap")
        yield Footer(compact=True)

    def focus_first(self) -> None:
        self.query_one("#passphrase", Input).focus()

    def refill(self) -> None:
        self.query_one("#result", Label).update(self.result)
        for button in self.query(Button):
            button.disabled = self.running

    @on(Input.Changed)
    def _remember(self, event: Input.Changed) -> None:
        if event.input.id:
            self.typed[event.input.id] = event.value

    def _say(self, text: str) -> None:
        self.running, self.result = False, text
        self.refill()

    def _value(self, name: str) -> str:
        return self.typed.get(name, "").strip()

    def _district(self) -> str | None:
        district = self._value("district")
        try:
            district_database(district)
        except BadDistrict:
            self._say(t("bundle.no_district", self.lang))
            return None
        return district

    def _passphrase(self, *, new: bool) -> str | None:
        """The bundle passphrase typed; one that seals a new bundle has 8 characters or more."""
        words = self.typed.get("passphrase", "")
        if len(words) < (MIN_PASSPHRASE if new else 1):
            self._say(t("bundle.short", self.lang))
            return None
        return words

    @on(Button.Pressed, "#preview")
    def action_preview(self) -> None:
        store = self.session.store
        preview = preview_bundle(store, outbound_since(store))
        self._say("\n".join(preview_lines(preview, self.lang, bundle=True)))

    @on(Button.Pressed, "#write")
    def action_write(self) -> None:
        district, words = self._district(), self._passphrase(new=True)
        if self.running or district is None or words is None:
            return
        folder = Path(self._value("folder")).expanduser()
        self.running, self.result = True, t("bundle.writing", self.lang)
        self.refill()
        self._write(folder, district, words)

    @work(thread=True, exclusive=True, group="bundle")
    def _write(self, folder: Path, district: str, words: str) -> None:
        store = self.session.store
        path = folder / bundle_name(datetime.now())
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            summary = write_outbound(store, path, words, district)
        except OSError as exc:
            text = t("bundle.cannot_write", self.lang, path=folder, detail=exc.strerror or exc)
            self.app.call_from_thread(self._say, text)
            return
        settings = SyncSettings.load(store)
        if settings.district != district:
            settings.district = district
            settings.save(store)
        store.put_local({"_id": FOLDER_ID, "folder": str(folder)})
        text = t("bundle.written", self.lang, path=path, n=summary.documents)
        self.app.call_from_thread(self._say, text)

    @on(Button.Pressed, "#read")
    def action_read(self) -> None:
        words = self._passphrase(new=False)
        answer = self._value("answer")
        if self.running or words is None:
            return
        if not answer:
            self._say(t("bundle.no_answer", self.lang))
            return
        self.running, self.result = True, t("bundle.reading", self.lang)
        self.refill()
        self._read(Path(answer).expanduser(), words)

    @work(thread=True, exclusive=True, group="bundle")
    def _read(self, path: Path, words: str) -> None:
        store = self.session.store
        try:
            bundle = check_bundle(path, words)
            summary = read_answer(store, bundle, SyncSettings.load(store).district)
        except (BundleUnreadable, BundleRefused) as exc:
            self.app.call_from_thread(self._say, exc.words[self.lang])
            return
        if summary.forms.arrived:  # new published versions serve new assessments at once
            self.session.forms = checked_forms(store, getattr(self.app, "form_folders", ()))
        lines = [
            t("bundle.applied", self.lang, n=summary.documents, written=summary.written,
              rejected=len(summary.rejected), forms=len(summary.forms.arrived))
        ]  # fmt: skip
        lines += [
            t("sync.rejected", self.lang, id=r.doc_id, reason=f"{r.error}: {r.reason}")
            for r in summary.rejected
        ]
        self.app.call_from_thread(self._say, "\n".join(lines))

    def action_back(self) -> None:
        self.dismiss(None)
