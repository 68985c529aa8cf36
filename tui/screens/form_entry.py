"""Filling a form: sections, fields from the registry, live visibility and errors, progress,
autosave of every change to the replica as a draft, and finalisation."""

from __future__ import annotations

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
from engine.forms.validation import validate
from tui.fields.registry import field_widget
from tui.fields.spec import FieldSpec, get_at, object_children, set_at, top_level
from tui.fields.widgets import FieldWidget, all_fields
from tui.screens.base import LocalisedScreen
from tui.session import Session
from tui.words import t

SAVE_DELAY = 0.4  # seconds of quiet before a typed value is written


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
    ) -> None:
        super().__init__(lang)
        self.session, self.doc, self.form = session, doc, form
        self.finalisable = finalisable
        self.answers: dict[str, Any] = dict(doc.get("answers") or {})
        root = top_level(form)
        self.specs: dict[str, FieldSpec] = {s.name: s for s in object_children(root)}
        self.sections = [s for s in form.sections if s.fields]
        self.section = 0
        self.final_errors = False
        self._timer: Timer | None = None
        self.saved_at: datetime | None = None

    # --- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="sections"):
                yield Label(pick(self.form.title, self.lang), id="form-title")
                yield ListView(
                    *[ListItem(Label(pick(s.label, self.lang))) for s in self.sections],
                    id="section-list",
                    initial_index=self.section,
                )
            with Vertical(id="entry"):
                yield Label(self._progress(), id="progress")
                yield VerticalScroll(*self._section_widgets(), id="fields")
        yield Footer(compact=True)

    def _errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        for error in validate(self.answers, self.form, final=self.final_errors):
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
            if spec.condition is not None:
                widget.display = bool(spec.condition(self.answers))
            widget.error_text = errors.get(spec.pointer)
            widget.set_class(bool(widget.error_text), "has-error")
            widgets.append(widget)
        return widgets

    def show_section(self, index: int, focus: str | None = None) -> None:
        self.section = max(0, min(index, len(self.sections) - 1))
        scroll = self.query_one("#fields", VerticalScroll)
        scroll.remove_children()
        scroll.mount_all(self._section_widgets())
        listing = self.query_one("#section-list", ListView)
        if listing.index != self.section:
            listing.index = self.section
        self.call_after_refresh(self.refresh_state, focus)

    # --- state ----------------------------------------------------------------------------
    def _progress(self) -> str:
        visible = self.form.visible_fields(self.answers)
        required = [n for n in visible if self.form.fields[n].required]
        answered = [n for n in visible if n in self.answers]
        text = t("form.progress", self.lang, answered=len(answered), required=len(required))
        if self.saved_at:
            text += "  ·  " + t("form.saved", self.lang, time=self.saved_at.strftime("%H:%M:%S"))
        return text

    def refresh_state(self, focus: str | None = None) -> None:
        errors = self._errors()
        for widget in all_fields(self):
            spec = widget.spec
            if spec.condition is not None:
                parent = get_at(self.answers, spec.parent_pointer, {})
                widget.display = bool(spec.condition(parent))
            widget.set_error(errors.get(spec.pointer))
            if focus is not None and spec.pointer == focus:
                widget.focus_control()
                focus = None
        self.query_one("#progress", Label).update(self._progress())

    @on(FieldWidget.Changed)
    def _changed(self, event: FieldWidget.Changed) -> None:
        event.stop()
        self.answers = set_at(self.answers, event.pointer, event.value)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SAVE_DELAY, self.save)
        if event.rebuild:
            self.save()
            self.show_section(self.section)
            return
        self.refresh_state()

    def save(self) -> None:
        """Write the answers to the replica as a draft (a new revision of the document)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.doc.get("answers") == self.answers:
            return
        by = self.session.stamp()
        draft = stamp({**self.doc, "answers": self.answers}, by["by"], by["device"], by["at"])
        draft["_rev"] = self.session.store.put(draft)
        self.doc = draft
        self.saved_at = datetime.now()

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
        if isinstance(focused, FieldWidget):
            focused.toggle_help()

    def action_back(self) -> None:
        self.save()
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.finalisable if action == "finalise" else True

    def action_finalise(self) -> None:
        self.save()
        by = self.session.stamp()
        try:
            final = finalise(self.doc, self.form, by=by["by"], device=by["device"], at=by["at"])
        except NotComplete as refused:
            self.final_errors = True
            first = refused.errors[0].pointer
            top = first.lstrip("/").split("/")[0]
            index = next((i for i, s in enumerate(self.sections) if top in s.fields), self.section)
            self.notify(t("form.missing", self.lang, n=len(refused.errors)), severity="warning")
            self.show_section(index, focus=first)
            return
        final["_rev"] = self.session.store.put(final)
        self.doc = final
        self.dismiss(final)

    def on_unmount(self) -> None:
        self.save()
