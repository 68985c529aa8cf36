"""Sync with the office server: settings, a sync in a worker with progress and phase, the
summary (pulled, pushed, conflicts, rejected with reasons) and the last successful sync."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, ProgressBar

from sync.couch import CouchError, CouchServer, Missing, NotAllowed, Unreachable
from sync.preview import preview_sync
from sync.published_forms import pull_published
from sync.replicator import Progress, Replicator, SyncReport
from sync.secrets import remember_password, stored_password
from sync.server_setup import BadDistrict, district_database
from sync.settings import SyncSettings
from sync.store import Store
from tui.commands.sync_preview import preview_lines
from tui.form_sources import checked_forms
from tui.screens.base import LocalisedScreen
from tui.session import ROLES_ID, Session
from tui.widgets.rejection_list import RejectionList
from tui.words import Said, in_each_language, t

LOCAL_DISTRICT = "local"


def adopt_district(store: Store, district: str) -> int:
    """Documents written before the laptop knew its district take the district now, so the
    server's access rules accept them. Returns how many were changed."""
    changed = 0
    with store.transaction():
        for prefix in ("child:", "assessment:", "visit:", "plan:"):
            for doc in store.all_docs(prefix):
                if doc.get("district") in (None, "", LOCAL_DISTRICT):
                    store.put({**doc, "district": district})
                    changed += 1
    return changed


def sync_problem(exc: BaseException, lang: str, server: str, database: str) -> str:
    """What went wrong, in the user's words, whole (the technical detail after it)."""
    if isinstance(exc, BadDistrict):
        return t("sync.error.district", lang)
    if isinstance(exc, Unreachable):
        return t("sync.error.unreachable", lang, server=server) + "\n" + str(exc)
    if isinstance(exc, NotAllowed):
        return t("sync.error.not_allowed", lang)
    if isinstance(exc, Missing):
        return t("sync.error.missing", lang, database=database)
    if isinstance(exc, CouchError):
        return t("sync.error.server", lang, status=exc.status, reason=exc.reason or exc.error)
    return t("sync.error.other", lang, detail=str(exc) or type(exc).__name__)


def problem_said(exc: BaseException, server: str, database: str) -> Said:
    """`sync_problem`, in whichever language the screen is in when it is shown."""
    return in_each_language(lambda lang: sync_problem(exc, lang, server, database))


class SyncScreen(LocalisedScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("f6", "sync", "key.sync"),
        Binding("f7", "preview", "sync.preview"),
        Binding("f8", "bundles", "key.bundles"),
    ]

    def __init__(self, session: Session, lang: str) -> None:
        super().__init__(lang)
        self.session = session
        self.settings = SyncSettings.load(session.store)
        self.report: SyncReport | None = None
        self.error: Said | None = None  # said again in the language switched to (F9)
        self.running = False
        self.progress: Progress | None = None
        self.typed: dict[str, str] = {}  # what the worker typed, kept across a failure or F9

    def _typed(self, name: str, saved: str | None) -> str:
        return self.typed.get(name, saved or "")

    def compose(self) -> ComposeResult:
        lang, s = self.lang, self.settings
        with VerticalScroll(id="sync"):
            yield Label(t("sync.title", lang), classes="screen-title")
            yield Label(t("sync.server", lang))
            yield Input(
                self._typed("server", s.server), placeholder="https://couch.example.org",
                id="server",
            )  # fmt: skip
            with Horizontal(classes="sync-row"):
                with Vertical():
                    yield Label(t("sync.district", lang))
                    yield Input(self._typed("district", s.district), id="district")
                with Vertical():
                    yield Label(t("sync.user", lang))
                    yield Input(self._typed("user", s.user), id="user")
                with Vertical():
                    yield Label(t("sync.password", lang))
                    yield Input(self.typed.get("password", ""), password=True, id="password")
            with Horizontal(classes="buttons"):
                yield Button(t("key.sync", lang), id="start", variant="primary")
                yield Button(t("sync.preview", lang), id="preview")
                yield Button(t("key.bundles", lang), id="bundles")
            yield Label("", id="phase")
            yield ProgressBar(id="bar", show_eta=False)
            yield Label("", id="summary", classes="wrap")
            yield Label(t("sync.kept_title", lang), id="kept-title")
            yield RejectionList(id="kept")
            yield Label("", id="last", classes="wrap")
        yield Footer(compact=True)

    def refill(self) -> None:
        self._show()

    def focus_first(self) -> None:
        """The cursor in the first setting: the server."""
        self.query_one("#server", Input).focus()

    def _show(self) -> None:
        lang = self.lang
        last = self.settings.last_sync
        self.query_one("#last", Label).update(
            t("sync.last", lang, when=last.replace("T", " ")[:19])
            if last
            else t("sync.never", lang)
        )
        self.query_one(ProgressBar).display = self.progress is not None
        if self.progress is not None:
            p = self.progress
            self.query_one("#phase", Label).update(
                t(f"sync.phase.{p.phase}", lang, direction=t(f"sync.{p.direction}", lang))
            )
            bar = self.query_one(ProgressBar)
            bar.update(total=p.total if p.total else None, progress=p.done)
        lines: list[str] = []
        if self.error:
            lines.append(t("sync.failed", lang, error=self.error(lang)))
        if self.report is not None:
            r = self.report
            lines.append(t("sync.summary", lang, pulled=r.pulled.written, pushed=r.pushed.written,
                           conflicts=len(r.conflicts), rejected=len(r.rejected)))  # fmt: skip
            lines += [
                t("sync.rejected", lang, id=x.doc_id, reason=f"{x.error}: {x.reason}")
                for x in r.rejected
            ]
            lines += [t("sync.conflict", lang, id=c) for c in r.conflicts]
        self.query_one("#summary", Label).update("\n".join(lines))
        self.query_one("#start", Button).disabled = self.running
        if not self.running:  # the sync's thread holds the replica meanwhile
            self._show_kept()

    @work(exclusive=True, group="kept")
    async def _show_kept(self) -> None:
        """The refusals the replica remembers, from every sync until changed or dismissed."""
        kept = self.session.store.rejections()
        self.query_one("#kept-title", Label).display = bool(kept)
        await self.query_one(RejectionList).show(kept, self.lang)

    def on_rejection_list_dismissed(self, message: RejectionList.Dismissed) -> None:
        self.session.store.dismiss_rejections([message.doc_id])
        self._show_kept()

    @on(Input.Changed)
    def _remember(self, event: Input.Changed) -> None:
        if event.input.id:
            self.typed[event.input.id] = event.value

    @on(Button.Pressed, "#start")
    def action_sync(self) -> None:
        if self.running:
            return
        server, district, user, password = self._target()
        if not server or not user or not district:
            self.error = partial(t, "sync.missing")
            return self._show()
        database = self._database(server, district)
        if database is None:
            return None
        self.running, self.error, self.report = True, None, None
        self._show()
        self.run_sync(server, district, database, user, password or "")
        return None

    def _target(self) -> tuple[str, str, str, str | None]:
        """Server, district and user as typed; the password typed, else the one remembered."""
        server, district, user = (
            self.query_one(f"#{field}", Input).value.strip()
            for field in ("server", "district", "user")
        )
        password = self.query_one("#password", Input).value or (
            stored_password(server, user) if server and user else None
        )
        return server, district, user, password

    def _database(self, server: str, district: str) -> str | None:
        """The district's database, or None with the problem shown."""
        try:
            return district_database(district)
        except BadDistrict as exc:
            self.error = problem_said(exc, server, "")
            self._show()
            return None

    @work(thread=True, exclusive=True, group="sync")
    def run_sync(self, server: str, district: str, database: str, user: str, password: str) -> None:
        """The replication runs here; the app stays usable and sees progress as it comes."""
        store = self.session.store
        try:
            couch = CouchServer(server, user, password)
            roles = couch.roles()  # the server answers and knows the user ...
            target = couch.database(database)
            target.info()  # ... and the district's database is there and open to them:
            adopt_district(store, district)  # only now may local documents take the district
            report = Replicator(store, target).sync(
                lambda p: self.app.call_from_thread(self._progress, p)
            )
            pulled = pull_published(store, couch, district)  # the forms databases too
        except Exception as exc:  # every failure is said on the screen, never a traceback
            self.app.call_from_thread(self._failed, problem_said(exc, server, database))
            return
        settings = SyncSettings.load(store)
        settings.server, settings.district, settings.user = couch.url, district, user
        settings.synced_at(datetime.now(UTC), store.update_seq)
        settings.save(store)
        store.put_local({"_id": ROLES_ID, "roles": roles})
        remember_password(couch.url, user, password)
        if pulled.arrived:  # new published versions: the newest serve new assessments now
            self.session.forms = checked_forms(store, getattr(self.app, "form_folders", ()))
        self.app.call_from_thread(self._finished, report, settings, roles)

    def _progress(self, progress: Progress) -> None:
        self.progress = progress
        self._show()

    def _failed(self, error: Said) -> None:
        self.running, self.error = False, error
        self._show()

    def _finished(self, report: SyncReport, settings: SyncSettings, roles: list[str]) -> None:
        self.running, self.report, self.settings = False, report, settings
        self.session.district = settings.district or self.session.district
        self.session.user = settings.user or self.session.user
        self.session.roles = {r.split(":")[0] for r in roles} or self.session.roles
        self._show()

    @on(Button.Pressed, "#preview")
    def action_preview(self) -> None:
        """What a sync would send and receive; nothing is sent."""
        if self.running:
            return
        server, district, user, password = self._target()
        database = self._database(server, district)
        if database is None:
            return None
        self.running, self.error, self.report = True, None, None
        self.query_one("#summary", Label).update(t("sync.previewing", self.lang))
        self.run_preview(server, database, user, password)
        return None

    @work(thread=True, exclusive=True, group="sync")
    def run_preview(self, server: str, database: str, user: str, password: str | None) -> None:
        store = self.session.store
        try:
            target = CouchServer(server or "http://127.0.0.1:9", user, password or "")
            preview = preview_sync(
                store, target.database(database), reachable=bool(server and user and password)
            )
        except Exception as exc:  # said on the screen like a sync's failure
            self.app.call_from_thread(self._failed, problem_said(exc, server, database))
            return
        self.app.call_from_thread(self._previewed, "\n".join(preview_lines(preview, self.lang)))

    def _previewed(self, text: str) -> None:
        self.running = False
        self._show()
        self.query_one("#summary", Label).update(text)

    @on(Button.Pressed, "#bundles")
    def action_bundles(self) -> None:
        from tui.screens.bundle_screen import BundleScreen

        if not self.running:
            self.app.push_screen(BundleScreen(self.session, self.lang))

    def action_back(self) -> None:
        self.dismiss(None)
