"""Filling a form: sections, fields from the registry, live visibility and errors, progress,
autosave of every change to the replica as a draft, and finalisation."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, Label, ListItem, ListView

from engine.casework.case_documents import NotComplete, finalise, stamp
from engine.forms.form import Form
from engine.forms.i18n import pick
from engine.forms.validation import AnswerError, validate
from tui.fields.registry import field_widget
from tui.fields.spec import FieldSpec, form_sections, get_at, set_at, top_level
from tui.fields.widgets import FieldWidget, all_fields
from tui.screens.base import LocalisedScreen, mend_focus
from tui.session import Session
from tui.words import t

SAVE_DELAY = 0.4  # seconds of quiet before a typed value is written ...
SAVE_AT_MOST = 1.0  # ... but never later than this after the first unsaved change


class FormScreen(LocalisedScreen[dict[str, Any] | None]):
    """Dismissed with the final document, or None when left as a draft."""

    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("f8", "section(1)", "key.next_section"),
        Binding("f7", "section(-1)", "key.prev_section"),
        Binding("f2", "help", "key.help"),
        Binding("f5", "finalise", "key.finalise"),
    ]

    def __init__(
        self,
        session: Session,
        doc: dict[str, Any],
        form: Form,
        lang: str,
        *,
        finalisable: bool = True,
        answers: dict[str, Any] | None = None,
    ) -> None:
        """`answers`: where a new document starts (given, not yet typed: a document never
        written is written only once the worker changes something)."""
        super().__init__(lang)
        self.session, self.doc, self.form = session, doc, form
        self.finalisable = finalisable
        self.answers: dict[str, Any] = dict(answers or doc.get("answers") or {})
        self.untouched = dict(self.answers)
        self.root = top_level(form)
        self.specs: dict[str, FieldSpec] = {}
        self.sections = form_sections(form, self.root, self.specs)
        self.section = 0
        self.final_errors = False
        self._timer: Timer | None = None
        self._unsaved_since: float | None = None
        self.saved_at: datetime | None = None

    # --- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="sections"):
                yield Label(pick(self.form.title, self.lang), id="form-title", classes="wrap")
                yield ListView(
                    *[ListItem(Label(pick(s.label, self.lang), classes="wrap"))
                      for s in self.sections],
                    id="section-list",
                    initial_index=self.section,
                )  # fmt: skip
            with Vertical(id="entry"):
                yield Label(self._progress(), id="progress", classes="wrap")
                yield VerticalScroll(*self._section_widgets(), id="fields")
        yield Footer(compact=True)

    def _all_errors(self) -> list[AnswerError]:
        return validate(self.answers, self.form, final=self.final_errors)

    def _errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        for error in self._all_errors():
            errors.setdefault(error.pointer, error.message(self.lang))
        return errors

    def _section_widgets(self) -> list[FieldWidget]:
        """The current section's fields, already shown or hidden and with their errors, so
        that the section is laid out once."""
        errors = self._errors()
        widgets = []
        for name in self.sections[self.section].fields if self.sections else ():
            spec = self.specs.get(name)
            if spec is None:
                continue
            widget = field_widget(spec, self.answers.get(name), self.lang)
            widget.display = self._shown(spec, self.answers, errors)
            widget.error_text = errors.get(spec.pointer)
            widget.set_class(bool(widget.error_text), "has-error")
            widgets.append(widget)
        return widgets

    @staticmethod
    def _shown(spec: FieldSpec, holder: Any, errors: dict[str, str]) -> bool:
        """Shown when its condition holds, and always when an answer is asked of it: a
        required field is never hidden."""
        if spec.condition is None or spec.pointer in errors:
            return True
        return bool(spec.condition(holder if isinstance(holder, dict) else {}))

    def show_section(self, index: int, focus: str | None = None) -> None:
        self.section = max(0, min(index, len(self.sections) - 1))
        self.run_worker(self._redraw(focus), group="section", exclusive=True)

    async def _redraw(self, focus: str | None) -> None:
        scroll = self.query_one("#fields", VerticalScroll)
        self.set_focus(None)
        await scroll.remove_children()
        await scroll.mount_all(self._section_widgets())
        listing = self.query_one("#section-list", ListView)
        if listing.index != self.section:
            listing.index = self.section
        self.refresh_state()
        self.focus_field(focus)

    def focus_field(self, focus: str | None = None) -> None:
        """The cursor into a field: the one at `focus` (or the first under it), else the
        section's first shown field."""
        widgets = [w for w in all_fields(self) if w.display and w.is_mounted]
        chosen = None
        if focus is not None and "#" in focus:  # a group's button: the same one again
            pointer, button = focus.split("#", 1)
            group = next((w for w in widgets if w.spec.pointer == pointer), None)
            found = group.query(f"#{button}") if group is not None else None
            if found:
                found.first().focus()
                found.first().scroll_visible(animate=False)
                return
            focus = pointer
        if focus is not None:
            chosen = next((w for w in widgets if w.spec.pointer == focus), None) or next(
                (w for w in widgets if w.spec.pointer.startswith(focus + "/")), None
            )
        chosen = chosen or next((w for w in widgets if w.has_control()), None)
        if chosen is not None:
            chosen.focus_control()
            chosen.scroll_visible(animate=False)
        mend_focus(self)

    def focus_first(self) -> None:
        """Opening the form: the cursor in its first field, so the first keys land there."""
        self.focus_field()

    # --- state ----------------------------------------------------------------------------
    def _progress(self) -> str:
        """Required answers given of those asked now (conditional ones included), truly:
        the validator's missing answers and the required fields shown."""
        missing = {
            e.pointer for e in validate(self.answers, self.form, final=True) if e.code == "required"
        }
        required = set(missing)
        for spec in self.specs.values():
            if spec.required and self._shown(spec, self.answers, {}):
                required.add(spec.pointer)
        done = len(required - missing)
        text = t("form.progress", self.lang, answered=done, required=len(required))
        if self.saved_at:
            text += "  ·  " + t("form.saved", self.lang, time=self.saved_at.strftime("%H:%M:%S"))
        return text

    def refresh_state(self, focus: str | None = None) -> None:
        errors = self._errors()
        for widget in all_fields(self):
            spec = widget.spec
            widget.display = self._shown(
                spec, get_at(self.answers, spec.parent_pointer, {}), errors
            )
            widget.set_error(errors.get(spec.pointer))
        self.query_one("#progress", Label).update(self._progress())
        if focus is not None:
            self.focus_field(focus)

    @on(FieldWidget.Changed)
    def _changed(self, event: FieldWidget.Changed) -> None:
        event.stop()
        self.answers = set_at(self.answers, event.pointer, event.value)
        if event.rebuild:
            self.save()
            self.show_section(self.section, focus=event.focus)
            return
        self._schedule_save()
        self.refresh_state()

    def _schedule_save(self) -> None:
        """Save after a short quiet, and at most SAVE_AT_MOST after the first unsaved change
        even while the worker keeps typing: a crash loses at most a second of typing."""
        now = time.monotonic()
        if self._unsaved_since is None:
            self._unsaved_since = now
        if self._timer is not None:
            self._timer.stop()
        delay = min(SAVE_DELAY, SAVE_AT_MOST - (now - self._unsaved_since))
        if delay <= 0:
            self.save()
        else:
            self._timer = self.set_timer(delay, self.save)

    def save(self) -> None:
        """Write the answers to the replica as a draft (a new revision of the document)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._unsaved_since = None
        if self.doc.get("answers") == self.answers:
            return  # nothing changed
        if "_rev" not in self.doc and self.answers == self.untouched:
            return  # a new document left untouched is not written at all
        by = self.session.stamp()
        draft = stamp({**self.doc, "answers": self.answers}, by["by"], by["device"], by["at"])
        draft["_rev"] = self.session.store.put(draft)
        self.doc = draft
        self.saved_at = datetime.now()
        for label in self.query("#progress").results(Label):
            label.update(self._progress())

    # --- actions --------------------------------------------------------------------------
    @on(ListView.Selected, "#section-list")
    def _section_chosen(self, event: ListView.Selected) -> None:
        if event.list_view.index is not None and event.list_view.index != self.section:
            self.show_section(event.list_view.index)

    def action_section(self, step: int) -> None:
        self.show_section(self.section + step)

    def action_help(self) -> None:
        focused = self.focused
        while focused is not None and not isinstance(focused, FieldWidget):
            focused = focused.parent  # type: ignore[assignment]
        if not isinstance(focused, FieldWidget):
            self.notify(t("form.help_where", self.lang), timeout=3)
        elif not focused.spec.help:
            self.notify(t("form.no_help", self.lang, label=focused.title()), timeout=3)
        else:
            focused.toggle_help()

    def action_back(self) -> None:
        self.save()
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.finalisable if action == "finalise" else True

    def action_finalise(self) -> None:
        if not self.finalisable:
            return
        self.save()
        by = self.session.stamp()
        try:
            final = finalise(self.doc, self.form, by=by["by"], device=by["device"], at=by["at"])
        except NotComplete as refused:
            self.final_errors = True
            first = refused.errors[0].pointer
            top = first.lstrip("/").split("/")[0]
            index = next((i for i, s in enumerate(self.sections) if top in s.fields), self.section)
            missing = sum(1 for e in refused.errors if e.code == "required")
            wrong = len(refused.errors) - missing
            parts = [t("form.missing", self.lang, n=missing)] if missing else []
            parts += [t("form.wrong", self.lang, n=wrong)] if wrong else []
            first_error = refused.errors[0].message(self.lang)
            self.notify(
                "；".join(parts) + "\n" + t("form.first_problem", self.lang, what=first_error),
                severity="warning",
            )
            self.show_section(index, focus=first)
            return
        final["_rev"] = self.session.store.put(final)
        self.doc = final
        self.dismiss(final)

    def on_unmount(self) -> None:
        self.save()
