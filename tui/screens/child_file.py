"""The child's file (一人一档): profile, family, assessments and visits with their bands,
plans, warnings and what is due, and the change history."""

from __future__ import annotations

import copy
import uuid
from datetime import date, datetime
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Label, OptionList, TabbedContent, TabPane

from engine.casework.case_documents import date_field, new_entry, stamp
from engine.casework.casefile import CaseFile, object_at, plan_body
from engine.casework.early_warning import early_warnings
from engine.casework.lifecycle import MOVES, STATE_LABELS, STATES, TransitionRefused, transition
from engine.casework.migrations import migrated_from
from engine.casework.plans import ServicePlan
from engine.casework.review_chain import review_state
from engine.casework.schedule import due_items
from engine.forms.form import Form
from engine.forms.i18n import pick
from engine.forms.registry import UnknownForm
from tui.case_files import case_file, change_history, sync_state
from tui.screens.base import Dialog, LocalisedScreen
from tui.screens.dialogs import NoteDialog, PasswordDialog
from tui.screens.form_entry import FormScreen
from tui.screens.result import ResultScreen
from tui.session import Session
from tui.words import WORDS, t

PROFILE = "child-profile"
PRESENT_STATE = ("profile", "family")  # form kinds that describe how things are now


def kind_of(form: Form) -> str:
    return str(form.document.get("x-form", {}).get("kind", "other"))


class FormChooser(Dialog[str | None]):
    def __init__(self, forms: list[Form], lang: str) -> None:
        super().__init__()
        self.forms, self.lang = forms, lang

    def compose(self) -> ComposeResult:
        with Vertical(id="chooser"):
            yield Label(t("file.choose_form", self.lang), classes="dialog-title")
            yield OptionList(
                *[f"{pick(f.title, self.lang)} ({f.id} v{f.version})" for f in self.forms]
            )

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.forms[event.option_index].id)


class ContinueDraft(Dialog[bool | None]):
    def __init__(self, when: str, lang: str) -> None:
        super().__init__()
        self.when, self.lang = when, lang

    def compose(self) -> ComposeResult:
        with Vertical(id="continue-box"):
            yield Label(t("file.continue_draft", self.lang, date=self.when))
            yield Button(t("file.continue", self.lang), id="continue", variant="primary")
            yield Button(t("file.start_new", self.lang), id="new")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "continue")


class ChildFileScreen(LocalisedScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("n", "new_entry", "key.new_assessment"),
        Binding("e", "edit_profile", "file.profile"),
        Binding("f", "edit_family", "key.family"),
        Binding("l", "lifecycle", "key.lifecycle"),
        Binding("r", "report", "key.report"),
        Binding("R", "report_encrypted", "key.report_encrypted"),
        Binding("p", "progress", "key.progress"),
        Binding("m", "migrate", "key.migrate"),
    ]

    def __init__(self, session: Session, child: str, lang: str, today: date | None = None) -> None:
        super().__init__(lang)
        self.session, self.child_id = session, child
        self.today = today or date.today()
        self.case: CaseFile = self._read()
        self.tab = "tab-profile"  # kept across redraws: back from a form, the same tab

    def _read(self) -> CaseFile:
        case = case_file(self.session.store, self.child_id)
        assert case is not None
        return case

    def _form(self, form_id: str, version: int | None = None) -> Form | None:
        try:
            return self.session.forms.get(form_id, version or None)
        except UnknownForm:
            return None

    # --- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        lang, case = self.lang, self.case
        rules = self.session.rules
        latest = case.latest(rules.band_form)
        band_form = self._form(rules.band_form)
        band = band_form.band(latest.band) if band_form and latest and latest.band else None
        state = pick(STATE_LABELS.get(case.state, {"zh-CN": case.state}), lang)
        head = (
            f"{case.name}  ·  {pick(band.label, lang) if band else t('no_band', lang)}  ·  {state}"
        )
        title = Label(head, id="file-title")
        if band:
            title.styles.background = band.color
        yield title
        with TabbedContent(id="file-tabs", initial=self.tab):
            with TabPane(t("file.profile", lang), id="tab-profile"), VerticalScroll():
                yield from self._profile()
            with TabPane(t("file.assessments", lang), id="tab-assessments"):
                yield self._entries("assessment")
            with TabPane(t("file.visits", lang), id="tab-visits"):
                yield self._entries("visit")
            with TabPane(t("file.warnings", lang), id="tab-warnings"), VerticalScroll():
                yield from self._warnings()
            with TabPane(t("file.family", lang), id="tab-family"), VerticalScroll():
                yield from self._family()
            with TabPane(t("file.plans", lang), id="tab-plans"), VerticalScroll():
                yield from self._plans()
            with TabPane(t("file.history", lang), id="tab-history"), VerticalScroll():
                yield from self._history()
        yield Footer(compact=True)

    def _profile(self) -> list[Label]:
        form = self._form(PROFILE)
        lines = []
        for name, value in self.case.profile.items():
            field = form.fields.get(name) if form else None
            label = pick(field.label, self.lang) if field else name
            if field and field.options is not None:
                values = value if isinstance(value, list) else [value]
                shown = "、".join(pick(field.option_label(v), self.lang) or str(v) for v in values)
            else:
                shown = str(value)
            lines.append(Label(f"{label}: {shown}"))
        return lines

    def _entries(self, kind: str) -> DataTable[str]:
        table: DataTable[str] = DataTable(cursor_type="row", id=f"{kind}-table")
        table.add_columns(
            *(
                t(f"col.{c}", self.lang)
                for c in ("date", "form", "status", "band", "total", "review")
            )
        )
        for o in reversed([o for o in self.case.observations if o.kind == kind]):
            form = self._form(o.form_id, o.form_version)
            band = form.band(o.band) if form and o.band else None
            table.add_row(
                o.on.isoformat() if o.on else "-",
                (pick(form.title, self.lang) if form else o.form_id)
                + f" v{o.form_version}"
                + "".join(f" ←v{v}" for v in migrated_from(o.doc)[:1]),
                t("file.final" if o.final else "file.draft", self.lang),
                band.word(self.lang) if band else "",
                "" if o.total is None else str(o.total),
                t(f"review.state.{review_state(o.doc)}", self.lang) if o.final else "",
                key=o.id,
            )
        return table

    def _warnings(self) -> list[Label]:
        lines = [
            Label(f"▲ {w.describe(self.lang)}", classes="warning")
            for w in early_warnings(self.case, self.session.rules)
        ]
        for item in due_items(self.case, self.session.rules, self.today):
            late = item.overdue_days(self.today)
            when = t("overdue", self.lang, n=late) if late else item.due.isoformat()
            lines.append(Label(f"{when}  {pick(item.because, self.lang)}"))
        return lines or [Label(t("none", self.lang))]

    def _family(self) -> list[Label]:
        latest = self.case.latest("family")
        if latest is None:
            return [Label(t("file.no_family", self.lang))]
        form = self._form("family", latest.form_version)
        lines = []
        for m in latest.answers.get("members", []):
            rel = (
                form.option_label_at("/members/0/relationship", m.get("relationship"))
                if form
                else None
            )
            alive = "" if m.get("alive", True) else " ✝"
            home = " ⌂" if m.get("lives_with_child") else ""
            who = pick(rel, self.lang) if rel else str(m.get("relationship"))
            lines.append(Label(f"{who} {m.get('name', '')} {m.get('birth_year', '')}{alive}{home}"))
        return lines

    def _plans(self) -> list[Label]:
        lines = [Label(t("file.plan_hint", self.lang), classes="hint")] if self.case.plans else []
        for plan in map(plan_body, self.case.plans):
            lines += [Label("◆ " + str(goal)) for goal in plan.get("goals", [])]
            for s in plan.get("services", []):
                parts = (str(s.get(k, "")) for k in ("description", "responsible", "start"))
                lines.append(Label("  " + " · ".join(parts)))
            for p in plan.get("progress", []):
                lines.append(
                    Label(f"    {str(p.get('at', ''))[:10]} {p.get('by', '')}: {p.get('note', '')}")
                )
        return lines or [Label(t("none", self.lang))]

    def _field_name(self, doc_id: str, pointer: str) -> str:
        """A changed field by its label in the form the document was filled with."""
        doc = next((o.doc for o in self.case.observations if o.id == doc_id), self.case.child)
        form_ref = object_at(doc, "form")
        form = self._form(str(form_ref.get("id", PROFILE)), form_ref.get("version"))
        if form is not None and pointer.startswith("/answers/"):
            label = form.label_at(pointer[len("/answers") :])
            if label:
                return pick(label, self.lang)
        return pointer.rsplit("/", 1)[-1]

    def _history(self) -> list[Label]:
        rows: list[tuple[str, str]] = []
        for step in self.case.history:
            state = pick(STATE_LABELS.get(step.to, {"zh-CN": step.to}), self.lang)
            rows.append(
                (step.at.isoformat()[:16] if step.at else "", f"{step.by} → {state} {step.note}")
            )
        for change in change_history(self.case):
            kind = change.doc_id.split(":")[0]
            what = t(f"history.{kind}", self.lang) if f"history.{kind}" in WORDS else kind
            fields = "、".join(self._field_name(change.doc_id, p) for p in change.fields[:6])
            if len(change.fields) > 6:
                fields += " …"
            done = (
                t("history.changed", self.lang, fields=fields)
                if fields
                else t("history.created", self.lang)
            )
            rows.append((change.at[:16], f"{change.by} @ {change.device}  {what}: {done}"))
        return [
            Label(f"{when.replace('T', ' ')}  {what}") for when, what in sorted(rows, reverse=True)
        ]

    # --- actions --------------------------------------------------------------------------
    def action_back(self) -> None:
        self.dismiss(None)

    async def reload(self) -> None:
        self.case = self._read()
        await self.recompose()

    @on(TabbedContent.TabActivated)
    def _tab(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id:
            self.tab = event.pane.id

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        doc_id = str(event.row_key.value)
        observation = next(o for o in self.case.observations if o.id == doc_id)
        form = self._form(observation.form_id, observation.form_version)
        if form is None:
            return
        doc = self.session.store.get(doc_id)
        if observation.final:
            self.app.push_screen(ResultScreen(self.session, doc, form, self.lang), self._returned)
        else:
            self.app.push_screen(FormScreen(self.session, doc, form, self.lang), self._filled)

    def action_new_entry(self) -> None:
        forms = [
            f
            for f in self.session.forms
            if f.id != PROFILE and f.version == self.session.forms.versions(f.id)[-1]
        ]
        self.app.push_screen(FormChooser(forms, self.lang), self._chosen)

    def _chosen(self, form_id: str | None) -> None:
        if form_id is None:
            return
        drafts = [o for o in self.case.observations if o.form_id == form_id and not o.final]
        if drafts:
            when = str(drafts[-1].doc.get("updated_at", ""))[:16].replace("T", " ")
            self.app.push_screen(
                ContinueDraft(when, self.lang),
                lambda keep: (
                    self._start(form_id, drafts[-1].id if keep else None)
                    if keep is not None
                    else None
                ),
            )
            return
        self._start(form_id, None)

    def _start(self, form_id: str, draft_id: str | None) -> None:
        form = self.session.forms.get(form_id)
        if draft_id is not None:
            doc = self.session.store.get(draft_id)
            form = self._form(form_id, doc.get("form", {}).get("version")) or form
        else:
            by = self.session.stamp()
            doc = new_entry(
                self.case.id, uuid.uuid4().hex, form, district=self.session.district, **by
            )
            doc["answers"] = self._present_state(form)
            doc["_rev"] = self.session.store.put(doc)
        self.app.push_screen(FormScreen(self.session, doc, form, self.lang), self._filled)

    def _present_state(self, form: Form) -> dict[str, Any]:
        """A form about how things are now (the family) starts from the latest answers, dated
        today: the worker changes what changed and nothing else is lost."""
        latest = self.case.latest(form.id)
        if kind_of(form) not in PRESENT_STATE or latest is None:
            return {}
        answers = copy.deepcopy(latest.answers)
        when = date_field(form)
        if when is not None:
            answers[when] = self.today.isoformat()
        return answers

    def action_edit_family(self) -> None:
        """The family as recorded last, to change (an unfinished family draft first)."""
        family = next((f for f in self.session.forms if kind_of(f) == "family"), None)
        if family is not None:
            self._chosen(family.id)

    def action_edit_profile(self) -> None:
        form = self.session.forms.get(PROFILE)
        doc = self.session.store.get(f"child:{self.case.id}")
        self.app.push_screen(
            FormScreen(self.session, doc, form, self.lang, finalisable=False), self._returned
        )

    async def _filled(self, final: dict[str, Any] | None) -> None:
        await self.reload()
        if final is not None:
            form = self._form(final["form"]["id"], final["form"]["version"])
            if form is not None and (form.bands or form.needs):
                self.app.push_screen(
                    ResultScreen(self.session, final, form, self.lang), self._returned
                )

    async def _returned(self, _: Any = None) -> None:
        await self.reload()

    def action_lifecycle(self) -> None:
        choices = [
            (pick(STATE_LABELS[s], self.lang), s)
            for s in STATES
            if s in MOVES.get(self.case.state, ())
        ]
        dialog = NoteDialog(
            t("key.lifecycle", self.lang),
            self.lang,
            note_label=t("lifecycle.note", self.lang),
            required=False,
            choices=choices,
            choice_label=t("lifecycle.to", self.lang),
        )

        def answered(answer: tuple[str | None, str] | None) -> None:
            self.call_later(self._move, answer)

        self.app.push_screen(dialog, answered)

    async def _move(self, answer: tuple[str | None, str] | None) -> None:
        if answer is None or answer[0] is None:
            return
        by = self.session.stamp()
        child = self.session.store.get(f"child:{self.case.id}")
        try:
            moved = transition(child, answer[0], by["by"], by["at"], answer[1])
        except TransitionRefused as refused:
            self.notify(t(refused.code, self.lang), severity="error")
            return
        self.session.store.put(stamp(moved, by["by"], by["device"], by["at"]))
        await self.reload()

    def action_report(self) -> None:
        self.write_report()

    def action_report_encrypted(self) -> None:
        """The report encrypted with a password typed twice, for sending to a case meeting."""

        def answered(password: str | None) -> None:
            if password:
                self.write_report(password)

        self.app.push_screen(
            PasswordDialog(t("report.encrypted_title", self.lang), self.lang), answered
        )

    @work(thread=True, exclusive=True, group="report")
    def write_report(self, password: str | None = None) -> None:
        """The child's PDF report, owner-only, into the reports folder beside the replica."""
        from engine.casework.private_files import private_folder, write_private
        from engine.report.child_report import child_report

        now = datetime.now().astimezone()
        state = sync_state(self.session.store, self.case)
        try:
            folder = private_folder(self.session.reports)
            path = folder / f"report-{self.case.id[:8]}-{now:%Y%m%d-%H%M%S}.pdf"
            write_private(path, lambda out: child_report(
                out, self.case, self.session.forms, lang=self.lang, generated_at=now,
                sync_state=state, rules=self.session.rules, password=password))  # fmt: skip
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self.app.call_from_thread(
                self.notify, t("report.failed", self.lang, reason=reason), severity="error"
            )
            return
        self.app.call_from_thread(
            self.notify, t("report.written", self.lang, path=str(path)), timeout=10
        )

    def action_migrate(self) -> None:
        """Offer this child's older records the newest form versions (see migrate_child)."""
        from tui.screens.migrate_child import MigrateChildDialog

        self.app.push_screen(MigrateChildDialog(self.session, self.case, self.lang), self._returned)

    def action_progress(self) -> None:
        """A progress note on the child's latest service plan."""
        if not self.case.plans:
            self.notify(t("file.no_plan", self.lang), severity="warning")
            return
        dialog = NoteDialog(
            t("key.progress", self.lang),
            self.lang,
            note_label=t("file.progress_note", self.lang),
            required=True,
        )

        def answered(answer: tuple[str | None, str] | None) -> None:
            self.call_later(self._progress, answer)

        self.app.push_screen(dialog, answered)

    async def _progress(self, answer: tuple[str | None, str] | None) -> None:
        if answer is None:
            return
        by = self.session.stamp()
        doc = self.session.store.get(str(self.case.plans[-1]["_id"]))
        plan = ServicePlan.model_validate(plan_body(doc)).with_progress(
            by["at"], by["by"], answer[1]
        )
        doc["progress"] = plan.model_dump(mode="json")["progress"]
        self.session.store.put(stamp(doc, by["by"], by["device"], by["at"]))
        await self.reload()
