"""Offering one child's older assessments the newest version of their form: what would
change is shown first (a dry run); the migration runs only when confirmed."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from engine.casework.casefile import CaseFile
from engine.forms.i18n import pick
from tui.migrations import StoreMigration, describe, migrate_stored
from tui.session import Session

WORDS = {
    "title": {"zh-CN": "迁移到新版表单", "en": "Move to the newer form version"},
    "none": {
        "zh-CN": "此儿童的记录都已使用各表单的最新版本。",
        "en": "This child's records already use the newest version of each form.",
    },
    "apply": {"zh-CN": "迁移", "en": "Migrate"},
    "cancel": {"zh-CN": "取消", "en": "Cancel"},
}


def outdated(session: Session, case: CaseFile) -> list[tuple[str, int]]:
    """(form id, newest version) for each form this child has documents on older versions of
    and that the newest version can be reached from by migrations."""
    found = []
    for form_id in sorted({o.form_id for o in case.observations}):
        versions = session.forms.versions(form_id)
        if versions and any(
            o.form_version < versions[-1] for o in case.observations if o.form_id == form_id
        ):
            found.append((form_id, versions[-1]))
    return found


def preview(session: Session, case: CaseFile) -> list[StoreMigration]:
    stamp = session.stamp()
    return [
        migrate_stored(
            session.store, session.forms, form_id, target, dry_run=True, child=case.id, **stamp
        )
        for form_id, target in outdated(session, case)
    ]


class MigrateChildDialog(ModalScreen[bool]):
    """Dismissed with True once the child's documents were migrated."""

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, session: Session, case: CaseFile, lang: str) -> None:
        super().__init__()
        self.session, self.case, self.lang = session, case, lang
        self.plans = [p for p in preview(session, case) if p.entries]

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="note-box"):
            yield Label(pick(WORDS["title"], lang), classes="dialog-title")
            if not self.plans:
                yield Label(pick(WORDS["none"], lang))
            for plan in self.plans:
                lines = describe(plan, self.session.store, self.session.forms, lang)
                yield Label("\n".join(lines[:-1] if lines[-1].startswith(("(", "（")) else lines))
            if self.plans:
                yield Button(pick(WORDS["apply"], lang), id="migrate", variant="primary")
            yield Button(pick(WORDS["cancel"], lang), id="cancel")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed, "#migrate")
    def _migrate(self) -> None:
        stamp = self.session.stamp()
        for plan in self.plans:
            migrate_stored(
                self.session.store,
                self.session.forms,
                plan.form_id,
                plan.target,
                child=self.case.id,
                **stamp,
            )
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
