"""Field widgets: one template (label, control, help, error) around one control per kind.

Widgets post `FieldWidget.Changed` with their JSON pointer and the new value; the form screen
keeps the answers. They never reach into the app.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import (
    Button,
    Input,
    Label,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from engine.forms.i18n import pick
from engine.forms.vocabulary import option_key, options_of
from tui.fields.spec import MISSING, FieldSpec, deref, object_children
from tui.widgets.marks import MarkedRadioButton, MarkedSelectionList
from tui.words import t


class FieldWidget(Vertical):
    """The template: label (with * when required), the control, help on a key, the error."""

    DEFAULT_CSS = """
    FieldWidget { height: auto; margin-bottom: 1; }
    FieldWidget > .field-label { text-style: bold; }
    FieldWidget > .field-help { color: $text-muted; display: none; }
    FieldWidget.show-help > .field-help { display: block; }
    FieldWidget > .field-error { color: $error; display: none; }
    FieldWidget RadioSet { border: none; padding: 0 1; background: transparent; }
    FieldWidget.has-error > .field-error { display: block; }
    """

    class Changed(Message):
        """A new value at `pointer`; `rebuild`: the section must be drawn again (a group
        changed shape), with the cursor at `focus` (a pointer) afterwards."""

        def __init__(
            self, pointer: str, value: Any, *, rebuild: bool = False, focus: str | None = None
        ) -> None:
            super().__init__()
            self.pointer, self.value, self.rebuild, self.focus = pointer, value, rebuild, focus

    def __init__(self, spec: FieldSpec, value: Any, lang: str) -> None:
        super().__init__(classes="field")
        self.spec, self.value, self.lang = spec, value, lang
        self.error_text: str | None = None
        self.options: list[Any] = choices(spec.schema) or []

    def title(self) -> str:
        if self.spec.label is None and self.spec.name.isdigit():
            return ""  # a member of a group: the group's "entry n" names it
        return pick(self.spec.label, self.lang) or self.spec.name

    def compose(self) -> ComposeResult:
        title = self.title()
        if title:
            yield Label(title + (" *" if self.spec.required else ""), classes="field-label")
        yield from self.compose_control()
        if self.spec.help:
            yield Static(pick(self.spec.help, self.lang), classes="field-help")
        yield Label(self.error_text or "", classes="field-error")

    def compose_control(self) -> ComposeResult:
        yield from ()

    def post_value(self, value: Any) -> None:
        self.value = value
        self.post_message(self.Changed(self.spec.pointer, value))

    def set_error(self, text: str | None) -> None:
        self.error_text = text
        self.set_class(bool(text), "has-error")
        for label in self.query(".field-error").results(Label):
            label.update(text or "")

    def toggle_help(self) -> None:
        self.toggle_class("show-help")

    def has_control(self) -> bool:
        return any(w.focusable for w in self.query("*"))

    def focus_control(self) -> None:
        focusable = [w for w in self.query("*") if w.focusable]
        if focusable:
            focusable[0].focus()


def choices(schema: dict[str, Any]) -> list[Any] | None:
    """The options of a field: those of the vocabulary, and `anyOf` consts too (the form
    playgrounds' way of giving options titles)."""
    found = options_of(schema)
    if found is not None:
        return found
    target = schema.get("items") if schema.get("type") == "array" else schema
    branches = target.get("anyOf") if isinstance(target, dict) else None
    if (
        isinstance(branches, list)
        and branches
        and all(isinstance(b, dict) and "const" in b for b in branches)
    ):
        return [b["const"] for b in branches]
    return None


def _titles(schema: dict[str, Any]) -> dict[str, Any]:
    """Option titles given the playground way: `oneOf`/`anyOf` of {"const", "title"}."""
    target = schema.get("items") if schema.get("type") == "array" else schema
    titles: dict[str, Any] = {}
    for keyword in ("oneOf", "anyOf"):
        for branch in target.get(keyword, []) if isinstance(target, dict) else []:
            if isinstance(branch, dict) and "const" in branch and branch.get("title"):
                titles[option_key(branch["const"])] = branch["title"]
    return titles


def option_text(spec: FieldSpec, value: Any, lang: str) -> str:
    labels = spec.schema.get("x-options") or (spec.schema.get("items") or {}).get("x-options") or {}
    label = labels.get(option_key(value)) if isinstance(labels, dict) else None
    label = label or _titles(spec.schema).get(option_key(value))
    if label:
        text = pick(label, lang)
        numbered = isinstance(value, int) and not isinstance(value, bool)
        return f"{value} · {text}" if numbered and not text.startswith(str(value)) else text
    if isinstance(value, bool):
        return t("form.yes" if value else "form.no", lang)
    if isinstance(value, dict):  # an object as an option: its title, else its fields
        title = value.get("title") or value.get("label") or value.get("name")
        if title is not None:
            return pick(title, lang) if isinstance(title, dict) else str(title)
        return "、".join(f"{k}: {v}" for k, v in value.items())
    if value is None:
        return t("none", lang)
    return str(value)


class TextField(FieldWidget):
    def compose_control(self) -> ComposeResult:
        yield Input(value="" if self.value is None else str(self.value), id="control")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_value(event.value if event.value else MISSING)


class DateField(TextField):
    def compose_control(self) -> ComposeResult:
        yield Input(
            value=self.value or "",
            placeholder=t("form.date_format", self.lang),
            max_length=10,
            id="control",
        )


class NumberField(FieldWidget):
    def compose_control(self) -> ComposeResult:
        kind: Literal["integer", "number"] = (
            "integer" if self.spec.schema.get("type") == "integer" else "number"
        )
        yield Input(value="" if self.value is None else str(self.value), type=kind, id="control")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            return self.post_value(MISSING)
        try:
            number: float | int = (
                int(text) if self.spec.schema.get("type") == "integer" else float(text)
            )
        except ValueError:
            return self.set_error(t("form.invalid_number", self.lang))
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        return self.post_value(number)


class TextAreaField(FieldWidget):
    DEFAULT_CSS = "TextAreaField TextArea { height: 5; }"

    def compose_control(self) -> ComposeResult:
        yield TextArea(self.value or "", id="control", soft_wrap=True)

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_value(event.text_area.text or MISSING)


class ChoiceField(FieldWidget):
    """Options as a radio list (ratings with their anchors, yes/no, short enums)."""

    def compose_control(self) -> ComposeResult:
        with RadioSet(id="control"):
            for option in self.options:
                yield MarkedRadioButton(
                    option_text(self.spec, option, self.lang),
                    value=option == self.value and self.value is not None,
                )

    @on(RadioSet.Changed)
    def _changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.post_value(self.options[event.index])


class SelectField(FieldWidget):
    def compose_control(self) -> ComposeResult:
        shown = [(option_text(self.spec, o, self.lang), i) for i, o in enumerate(self.options)]
        current = self.options.index(self.value) if self.value in self.options else Select.NULL
        yield Select(shown, value=current, id="control", prompt="—")

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        # The choices' values are the options' indexes (compose_control); else it is NULL.
        value = event.value
        self.post_value(self.options[value] if isinstance(value, int) else MISSING)


class MultiSelectField(FieldWidget):
    DEFAULT_CSS = "MultiSelectField SelectionList { height: auto; max-height: 12; }"

    def compose_control(self) -> ComposeResult:
        chosen = self.value if isinstance(self.value, list) else []
        yield MarkedSelectionList(
            *[
                (option_text(self.spec, o, self.lang), i, o in chosen)
                for i, o in enumerate(self.options)
            ],
            id="control",
        )

    @on(SelectionList.SelectedChanged)
    def _changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        picked = sorted(event.selection_list.selected)
        self.post_value([self.options[i] for i in picked])


class HiddenField(FieldWidget):
    """Not shown; an identifier the answers need (a family member's id) is made on mount."""

    DEFAULT_CSS = "HiddenField { display: none; }"

    def on_mount(self) -> None:
        if self.value is None:
            self.post_value(uuid.uuid4().hex[:8])


class UnsupportedField(FieldWidget):
    """A schema construct nothing can render: said plainly, with where it is."""

    def compose_control(self) -> ComposeResult:
        yield Label(
            t("form.unsupported", self.lang, pointer=self.spec.pointer or "/"),
            classes="unsupported",
        )


class ObjectField(FieldWidget):
    """Nested properties, each rendered by the registry."""

    DEFAULT_CSS = (
        "ObjectField > .object-body { height: auto; padding-left: 2; border-left: solid $panel; }"
    )

    def compose_control(self) -> ComposeResult:
        from tui.fields.registry import field_widget

        value = self.value if isinstance(self.value, dict) else {}
        with Vertical(classes="object-body"):
            for child in object_children(self.spec):
                widget = field_widget(child, value.get(child.name), self.lang)
                if child.condition is not None:
                    widget.display = bool(child.condition(value))
                yield widget


class GroupField(FieldWidget):
    """A repeating group of objects (family members): add, edit, remove, reorder."""

    DEFAULT_CSS = """
    GroupField .group-item { height: auto; border: round $panel; padding: 0 1; }
    GroupField .group-buttons { height: auto; }
    GroupField .group-buttons Button { min-width: 8; margin-right: 1; }
    """

    def compose_control(self) -> ComposeResult:
        from tui.fields.registry import field_widget

        items = self.value if isinstance(self.value, list) else []
        item_schema = self.spec.schema.get("items", {})
        for index, item in enumerate(items):
            with Vertical(classes="group-item"):
                with Horizontal(classes="group-buttons"):
                    yield Label(t("form.entry", self.lang, n=index + 1))
                    yield Button(t("form.up", self.lang), id=f"up-{index}", compact=True)
                    yield Button(t("form.down", self.lang), id=f"down-{index}", compact=True)
                    yield Button(
                        t("form.remove", self.lang),
                        id=f"remove-{index}",
                        compact=True,
                        variant="error",
                    )
                child = self.spec.child(
                    str(index), item_schema, True, pointer=f"{self.spec.pointer}/{index}"
                )
                child.label = None
                yield field_widget(child, item, self.lang)
        yield Button(t("form.add", self.lang), id="add", compact=True, variant="primary")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        items = list(self.value) if isinstance(self.value, list) else []
        action, _, index_text = (event.button.id or "").partition("-")
        index = int(index_text) if index_text else -1
        at = self.spec.pointer
        if action == "add":
            kind = deref(self.spec.form, self.spec.schema.get("items", {})).get("type")
            items.append({} if kind == "object" or kind is None else "")
            focus = f"{at}/{len(items) - 1}"  # into the new member's first field
        elif action == "remove":
            items.pop(index)
            focus = f"{at}#remove-{min(index, len(items) - 1)}" if items else f"{at}#add"
        elif action == "up" and index > 0:
            items[index - 1], items[index] = items[index], items[index - 1]
            focus = f"{at}#up-{index - 1}"  # the same button, on the member that moved
        elif action == "down" and index < len(items) - 1:
            items[index + 1], items[index] = items[index], items[index + 1]
            focus = f"{at}#down-{index + 1}"
        else:
            return
        self.value = items
        self.post_message(self.Changed(at, items, rebuild=True, focus=focus))

    def on_field_widget_changed(self, event: FieldWidget.Changed) -> None:
        """Keep the group's own copy in step with edits inside its items."""
        if event.pointer.startswith(self.spec.pointer + "/") and not event.rebuild:
            from tui.fields.spec import set_at

            holder = set_at(
                {"v": self.value or []}, "/v" + event.pointer[len(self.spec.pointer) :], event.value
            )
            self.value = holder["v"]


def all_fields(root: Widget) -> list[FieldWidget]:
    return list(root.query(FieldWidget))
