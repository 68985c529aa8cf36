"""The careforms terminal app: case list, child file, forms, results, sync, conflicts."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from concurrent.futures import Future
from datetime import date
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from engine.casework.rules import CaseworkRules, RulesUnusable
from engine.forms.i18n import DEFAULT_LANGUAGE, LANGUAGES
from engine.forms.registry import FormRegistry
from sync.errors import StoreError
from sync.store import Store
from tui.form_sources import app_rules, checked_forms
from tui.screens.base import LocalisedScreen, mend_focus, usable
from tui.screens.case_list import CaseListScreen
from tui.screens.form_versions import word as versions_word
from tui.screens.unlock import UnlockScreen
from tui.session import Session, Worker, relabel
from tui.widgets.case_table import CaseTable
from tui.words import t


class CareformsApp(App[None]):
    CSS_PATH = "styles/app.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit", "key.quit", priority=True),
        Binding("f9", "switch_language", "key.lang", priority=True),
        Binding("f3", "due", "key.due", show=False),
        Binding("f4", "conflicts", "key.conflicts", show=False),
        Binding("f6", "sync", "key.sync", show=False),
        Binding("ctrl+t", "tasks", "key.tasks", show=False),
        Binding("f10", "versions", "key.versions", show=False),
    ]
    lang: reactive[str] = reactive(DEFAULT_LANGUAGE, init=False)

    def __init__(
        self,
        replica: Path,
        *,
        lang: str = DEFAULT_LANGUAGE,
        store: Store | None = None,
        forms: FormRegistry | None = None,
        today: date | None = None,
        form_folders: tuple[Path, ...] = (),
        worker: Worker | None = None,
    ) -> None:
        super().__init__()
        self.replica = replica
        self.set_reactive(CareformsApp.lang, lang)
        self.store = store
        self.owns_store = store is None  # a store handed in is closed by whoever opened it
        self.forms = forms
        self.today = today
        self.form_folders = form_folders
        self.worker = worker  # who works here, when known ahead (else asked on first run)
        self.form_problems: list[str] = []
        # A passphrase given ahead: derive the key (scrypt, slow on purpose; it lets other
        # threads run) while Textual starts, instead of after.
        self._opening: Future[Store] | None = None
        passphrase = os.environ.get("CAREFORMS_PASSPHRASE")
        if store is None and passphrase and replica.exists():
            self._opening = Future()
            threading.Thread(target=self._open, args=(passphrase,), daemon=True).start()
        self.session: Session | None = None

    def on_mount(self) -> None:
        self.title = t("app.title", self.lang)
        relabel(self, self.lang)
        if self.store is not None:
            self.start(self.store)
            return
        if self._opening is not None:
            try:
                self.start(self._opening.result())
                return
            except StoreError:  # a wrong passphrase, or a file that is not a replica: ask
                pass
        self.push_screen(UnlockScreen(self.replica, self.lang))

    def _open(self, passphrase: str) -> None:
        assert self._opening is not None
        try:
            self._opening.set_result(Store.open(self.replica, passphrase))
        except BaseException as exc:  # handed to on_mount, which asks for the passphrase
            self._opening.set_exception(exc)

    def on_unlock_screen_opened(self, message: UnlockScreen.Opened) -> None:
        self.pop_screen()
        self.start(message.store)

    def start(self, store: Store) -> None:
        self.store = store
        forms = self.forms or checked_forms(store, self.form_folders)
        problems = list(forms.problems)  # a broken form is reported; everything else works
        try:
            rules = app_rules(store, forms)
        except RulesUnusable as exc:  # no schedules or warnings until the file is mended
            problems += exc.problems
            rules = CaseworkRules(
                id="none", version=0, title={}, band_form="risk", assessments=(), contacts=()
            )
        self.form_problems = [p.render(self.lang) for p in problems]
        if problems:  # one summary; the details on their own screen
            files = sorted({p.file for p in problems})
            self.notify(
                t("bad_forms.summary", self.lang, n=len(problems), files=len(files),
                  first=problems[0].render(self.lang)),
                severity="warning", timeout=20,
            )  # fmt: skip
        self.session = Session.open(store, forms, rules)
        self.session.reports = self.replica.parent / "reports"
        if self.worker is not None:
            self.worker.save(store)
            self.session.adopt(self.worker)
        self.push_screen(CaseListScreen(self.session, self.lang, self.today))
        if not self.session.known:
            from tui.screens.worker import WorkerDialog

            self.push_screen(WorkerDialog(self.session.district, self.lang), self._worker_given)

    def _worker_given(self, worker: Worker | None) -> None:
        if worker is None or self.session is None:
            return  # asked again at the next start; the login name is used meanwhile
        worker.save(self.session.store)
        self.session.adopt(worker)

    def action_problems(self) -> None:
        from tui.screens.problems import ProblemsScreen

        if self.form_problems and not isinstance(self.screen, ProblemsScreen):
            self.push_screen(ProblemsScreen(self.form_problems, self.lang))

    async def on_event(self, event: events.Event) -> None:
        """Before a key is handled: a focus left on a removed widget would swallow it."""
        if isinstance(event, events.Key) and self._screen_stack:
            screen = self.screen
            if screen.focused is not None and not usable(screen.focused, screen):
                mend_focus(screen)
        await super().on_event(event)

    def on_case_table_opened(self, message: CaseTable.Opened) -> None:
        from tui.screens.child_file import ChildFileScreen

        assert self.session is not None
        self.push_screen(ChildFileScreen(self.session, message.child, self.lang, self.today))

    def action_due(self) -> None:
        from tui.screens.due import DueScreen

        if self.session is not None and not isinstance(self.screen, DueScreen):
            self.push_screen(DueScreen(self.session, self.lang, self.today))

    async def action_switch_language(self) -> None:
        self.lang = LANGUAGES[(LANGUAGES.index(self.lang) + 1) % len(LANGUAGES)]

    async def watch_lang(self, lang: str) -> None:
        self.title = t("app.title", lang)
        relabel(self, lang)
        for screen in self.screen_stack:
            if isinstance(screen, LocalisedScreen):
                await screen.set_language(lang)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p) lists the main actions, in the current language."""
        yield from super().get_system_commands(screen)
        lang = self.lang
        yield SystemCommand(t("key.lang", lang), "zh-CN / English", self.action_switch_language)
        if self.session is None:
            return
        yield SystemCommand(t("key.new_child", lang), t("key.new_child", lang), self._new_child)
        if isinstance(screen, CaseListScreen) and not screen.rows:
            yield SystemCommand(t("key.demo", lang), t("list.empty", lang), screen.action_demo)
        yield SystemCommand(t("key.due", lang), t("due.title", lang, days=14), self.action_due)
        yield SystemCommand(t("key.sync", lang), t("sync.title", lang), self.action_sync)
        yield SystemCommand(t("key.bundles", lang), t("bundle.title", lang), self.action_bundles)
        yield SystemCommand(
            t("key.conflicts", lang), t("conflicts.title", lang), self.action_conflicts
        )
        yield SystemCommand(t("key.tasks", lang), t("tasks.title", lang), self.action_tasks)
        yield SystemCommand(t("key.batches", lang), t("batches.title", lang), self.action_batches)
        yield SystemCommand(
            versions_word("title", lang), versions_word("col.arrived", lang), self.action_versions
        )

        if self.form_problems:
            problems = t("problems.title", lang)
            yield SystemCommand(problems, t("bad_forms", lang), self.action_problems)
        yield SystemCommand(t("worker.title", lang), t("worker.help", lang), self.action_worker)

    def action_versions(self) -> None:
        from tui.screens.form_versions import FormVersionsScreen

        if self.session is not None and not isinstance(self.screen, FormVersionsScreen):
            self.push_screen(FormVersionsScreen(self.session, self.lang))

    def action_worker(self) -> None:
        from tui.screens.worker import WorkerDialog

        if self.session is not None:
            self.push_screen(WorkerDialog(self.session.district, self.lang), self._worker_given)

    def _new_child(self) -> None:
        while len(self.screen_stack) > 2 and not isinstance(self.screen, CaseListScreen):
            self.pop_screen()
        if isinstance(self.screen, CaseListScreen):
            self.screen.action_new_child()

    def action_sync(self) -> None:
        from tui.screens.sync_screen import SyncScreen

        if self.session is not None and not isinstance(self.screen, SyncScreen):
            self.push_screen(SyncScreen(self.session, self.lang))

    def action_bundles(self) -> None:
        from tui.screens.bundle_screen import BundleScreen

        if self.session is not None and not isinstance(self.screen, BundleScreen):
            self.push_screen(BundleScreen(self.session, self.lang))

    def action_conflicts(self) -> None:
        from tui.screens.conflicts import ConflictsScreen

        if self.session is not None and not isinstance(self.screen, ConflictsScreen):
            self.push_screen(ConflictsScreen(self.session, self.lang))

    def action_tasks(self) -> None:
        from tui.screens.verification_tasks import VerificationTasksScreen

        if self.session is not None and not isinstance(self.screen, VerificationTasksScreen):
            self.push_screen(VerificationTasksScreen(self.session, self.lang))

    def action_batches(self) -> None:
        from tui.screens.screening_progress import BatchProgressScreen

        if self.session is not None and not isinstance(self.screen, BatchProgressScreen):
            self.push_screen(BatchProgressScreen(self.session, self.lang))

    def on_unmount(self) -> None:
        if self.store is not None and self.owns_store:
            self.store.close()
