"""The worker's verification tasks (入户核查, 双排查): the list by village, and one task with
the department's information and the match reason, closed after the visit as confirmed
(a new child enters intake, or a registered child's categories change, or it exits) or as
not confirmed with a reason."""

from __future__ import annotations

import uuid
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Label

from engine.casework.department_lists import FIELDS
from engine.casework.discovery_messages import say
from engine.casework.lifecycle import STATE_LABELS
from engine.casework.screening import OPEN
from engine.casework.verification import (
    TaskRefused,
    confirm_categories,
    confirm_exit,
    confirm_new_child,
    not_confirmed,
)
from engine.forms.i18n import pick
from sync.errors import BatchRefused, NotFound
from tui.screens.base import LocalisedScreen
from tui.screens.dialogs import NoteDialog
from tui.screens.verification_dialogs import EXIT, Confirmation, ConfirmDialog
from tui.session import Session
from tui.widgets.case_table import CaseTable
from tui.words import t


def reason_text(task: dict[str, Any], lang: str, labels: dict[str, str] | None = None) -> str:
    """Why the record matched (or did not), and what differs, categories by their labels."""
    found = task.get("match") if isinstance(task.get("match"), dict) else {}
    assert isinstance(found, dict)
    text = say(str(found.get("reason", "match.none")), lang, score=f"{found.get('score', 0):.2f}")
    labels = labels or {}
    details = [
        say(str(c), lang, detail="、".join(labels.get(x, x) for x in str(d).split(",")))
        for c, d in found.get("differences", [])
    ]
    return "；".join([text, *details]) if lang == "zh-CN" else "; ".join([text, *details])


def category_labels(session: Session, lang: str) -> dict[str, str]:
    field = session.forms.get("child-profile").fields["categories"]
    return {str(o): pick(field.option_label(o), lang) or str(o) for o in field.options or []}


class VerificationTasksScreen(LocalisedScreen[None]):
    CSS_PATH = "../styles/discovery.tcss"
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("enter", "open", "key.open", show=False),
        Binding("a", "toggle_all", "key.all_tasks"),
        Binding("b", "batches", "key.batches"),
    ]

    def __init__(self, session: Session, lang: str) -> None:
        super().__init__(lang)
        self.session = session
        self.show_all = False
        self.docs: list[dict[str, Any]] = self._tasks()
        self.left = False  # another screen was shown over this one since the tasks were read

    def compose(self) -> ComposeResult:
        yield Label(t("tasks.title", self.lang), id="tasks-title", classes="screen-title")
        yield Label("", id="tasks-count")
        yield DataTable(cursor_type="row", id="tasks-table", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).focus()

    def _tasks(self) -> list[dict[str, Any]]:
        return list(self.session.store.all_docs("verification:"))

    def on_screen_suspend(self) -> None:
        self.left = True

    async def on_screen_resume(self) -> None:
        await super().on_screen_resume()
        if self.left:  # a task may have been closed meanwhile (opening: read and drawn)
            self.left = False
            self.docs = self._tasks()
            self.refill()

    def refill(self) -> None:
        """Draw the tasks read (a language switch or `a` reads nothing again)."""
        lang = self.lang
        table = self.query_one(DataTable)
        table.clear(columns=True)
        widths = {"status": 8, "village": 16, "name": 10, "source": 10, "reason": 60}
        for column, width in widths.items():  # CJK text: widths in cells, set ahead
            table.add_column(t(f"tasks.col.{column}", lang), width=width)
        shown = [x for x in self.docs if self.show_all or x.get("status", OPEN) == OPEN]
        labels = category_labels(self.session, lang)
        shown.sort(key=lambda x: (str(x.get("township")), str(x.get("village")), str(x["_id"])))
        for task in shown:
            record = task.get("record") if isinstance(task.get("record"), dict) else {}
            assert isinstance(record, dict)
            table.add_row(
                t(f"task.status.{task.get('status', OPEN)}", lang),
                f"{task.get('township', '')} {task.get('village', '')}".strip(),
                str(record.get("name", "")),
                str(task.get("source", "")),
                reason_text(task, lang, labels),
                key=str(task["_id"]),
            )
        open_count = sum(1 for x in self.docs if x.get("status", OPEN) == OPEN)
        count = t("tasks.count", lang, open=open_count, total=len(self.docs))
        self.query_one("#tasks-count", Label).update(count if self.docs else t("tasks.none", lang))

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.refill()

    def action_open(self) -> None:
        self.query_one(DataTable).action_select_cursor()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(TaskScreen(self.session, str(event.row_key.value), self.lang))

    def action_batches(self) -> None:
        from tui.screens.screening_progress import BatchProgressScreen

        self.app.push_screen(BatchProgressScreen(self.session, self.lang))

    def action_back(self) -> None:
        self.dismiss(None)


class TaskScreen(LocalisedScreen[None]):
    CSS_PATH = "../styles/discovery.tcss"
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("c", "confirm", "key.confirm"),
        Binding("x", "not_confirmed", "key.not_confirmed"),
        Binding("o", "open_child", "key.open_child"),
    ]

    def __init__(self, session: Session, task_id: str, lang: str) -> None:
        super().__init__(lang)
        self.session, self.doc_id = session, task_id
        self.doc = session.store.get(task_id)

    def _child(self) -> dict[str, Any] | None:
        found = self.doc.get("match") or {}
        child = found.get("child") or (self.doc.get("outcome") or {}).get("child")
        if not child:
            return None
        try:
            return self.session.store.get(f"child:{child}")
        except NotFound:
            return None

    def _categories(self) -> list[tuple[str, str]]:
        return list(category_labels(self.session, self.lang).items())

    def compose(self) -> ComposeResult:
        lang, task = self.lang, self.doc
        record = task.get("record") or {}
        with VerticalScroll(id="task"):
            yield Label(t("task.title", lang, name=record.get("name", "")), classes="screen-title")
            yield Label(
                t("task.department", lang, source=task.get("source", ""),
                  file=task.get("file") or task.get("batch", ""), row=task.get("row", "")),
                classes="section-title",
            )  # fmt: skip
            for name in FIELDS:
                if record.get(name):
                    yield Label(f"  {t('task.field.' + name, lang)}: {record[name]}")
            place = f"{task.get('township', '')} {task.get('village', '')}".strip()
            if place:
                yield Label(f"  {t('task.field.village', lang)}: {place}")
            labels = dict(self._categories())
            if task.get("categories"):
                shown = "、".join(labels.get(c, c) for c in task["categories"])
                yield Label(f"  {t('task.suggested', lang)}: {shown}")
            yield Label(t("task.match", lang), classes="section-title")
            yield Label("  " + reason_text(task, lang, labels), id="task-reason")
            child = self._child()
            if child is not None:
                answers = child.get("answers") or {}
                assert isinstance(answers, dict)
                kinds = "、".join(labels.get(c, c) for c in answers.get("categories", []))
                code = (child.get("case") or {}).get("state", "intake")
                state = pick(STATE_LABELS.get(code, {"en": code}), lang)
                yield Label(t("task.child", lang), classes="section-title")
                who = (answers.get("name", ""), answers.get("village", ""), kinds, state)
                yield Label("  " + " · ".join(str(w) for w in who))
            yield Label(t("task.outcome", lang), classes="section-title")
            status = str(task.get("status", OPEN))
            outcome = task.get("outcome") or {}
            text = t(f"task.status.{status}", lang)
            if status != OPEN:
                text = t(f"task.outcome.{outcome.get('kind', 'none')}", lang)
                if outcome.get("note"):
                    text += f"：{outcome['note']}" if lang == "zh-CN" else f": {outcome['note']}"
                text += f"  ({task.get('closed_by', '')} {str(task.get('closed_at', ''))[:10]})"
            yield Label("  " + text, id="task-outcome")
        yield Footer(compact=True)

    def _save(self, docs: list[dict[str, Any]]) -> bool:
        store = self.session.store
        try:
            store.put_all(docs)  # the task and the child together, or neither
        except BatchRefused as exc:
            error = f"{exc.result['id']}: {exc.result['error']}"
            self.notify(t("task.save_failed", self.lang, error=error), severity="error")
            return False
        self.doc = store.get(self.doc_id)
        self.notify(t("task.saved", self.lang))
        return True

    def _refused(self, exc: TaskRefused) -> None:
        self.notify(say(exc.code, self.lang), severity="error")

    def action_confirm(self) -> None:
        if self.doc.get("status", OPEN) != OPEN:
            self.notify(say("task.closed", self.lang), severity="warning")
            return
        child = self._child()
        chosen = list(self.doc.get("categories") or [])
        if child is not None:
            current = list((child.get("answers") or {}).get("categories", []))
            chosen = current + [c for c in chosen if c not in current]
        dialog = ConfirmDialog(
            self.lang, new_child=child is None, categories=self._categories(), chosen=chosen
        )
        self.app.push_screen(dialog, self._confirmed)

    async def _confirmed(self, answer: Confirmation | None) -> None:
        if answer is None:
            return
        session, child = self.session, self._child()
        stamp = session.stamp()
        try:
            if child is None:
                district = str(self.doc.get("district") or session.district)
                done, made = confirm_new_child(
                    self.doc, session.forms.get("child-profile"), answer.categories,
                    uuid=uuid.uuid4().hex, district=district, note=answer.note, **stamp,
                )  # fmt: skip
            elif answer.kind == EXIT:
                done, made = confirm_exit(self.doc, child, answer.note, **stamp)
            else:
                done, made = confirm_categories(
                    self.doc, child, answer.categories, note=answer.note, **stamp
                )
        except TaskRefused as exc:
            self._refused(exc)
            return
        if self._save([done, made]):
            await self._redraw()

    def action_not_confirmed(self) -> None:
        if self.doc.get("status", OPEN) != OPEN:
            self.notify(say("task.closed", self.lang), severity="warning")
            return
        dialog = NoteDialog(
            t("task.not_confirmed_title", self.lang),
            self.lang,
            note_label=t("task.reason", self.lang),
            required=True,
        )
        self.app.push_screen(dialog, self._not_confirmed)

    async def _not_confirmed(self, answer: tuple[str | None, str] | None) -> None:
        if answer is None:
            return
        try:
            done = not_confirmed(self.doc, answer[1], **self.session.stamp())
        except TaskRefused as exc:
            self._refused(exc)
            return
        if self._save([done]):
            await self._redraw()

    async def _redraw(self) -> None:
        await self.recompose()
        self.query_one("#task", VerticalScroll).focus()  # not the removed one: keys stay alive

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#task", VerticalScroll).focus()

    def action_open_child(self) -> None:
        child = self._child()
        if child is not None:
            self.app.post_message(CaseTable.Opened(str(child["_id"]).removeprefix("child:")))

    def action_back(self) -> None:
        self.dismiss(None)
