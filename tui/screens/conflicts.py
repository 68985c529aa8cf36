"""Conflicts: for each conflicted document, the fields that differ side by side; pick a
version per field or type a value, then save the merge. Nothing is discarded without a choice:
saving waits until every differing field has one."""

from __future__ import annotations

import json
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, ListItem, ListView, RadioSet, Static

from engine.forms.i18n import pick
from engine.forms.registry import UnknownForm
from sync.conflicts import ABSENT, ConflictView, FieldDifference, describe, resolve
from tui.fields.spec import MISSING, set_at
from tui.screens.base import LocalisedScreen
from tui.session import Session
from tui.widgets.marks import MarkedRadioButton
from tui.words import t

# Fields every document carries about its own saving: never asked about, the winner's kept.
BOOKKEEPING = (
    "/updated_at", "/updated_by", "/device", "/district", "/created_at", "/created_by",
    "/type", "/child", "/form", "/finalised_at", "/finalised_by",
)  # fmt: skip


def bookkeeping(pointer: str) -> bool:
    return any(pointer == p or pointer.startswith(p + "/") for p in BOOKKEEPING)


def _short(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def shown(value: Any, lang: str) -> str:
    if value is ABSENT:
        return t("conflicts.absent", lang)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class FieldChoice(Vertical):
    """One differing field: each version as an option, and "type a value"."""

    DEFAULT_CSS = """
    FieldChoice { height: auto; margin-bottom: 1; }
    FieldChoice Input { display: none; }
    FieldChoice.editing Input { display: block; }
    """

    def __init__(
        self, difference: FieldDifference, label: str, versions: list[tuple[str, Any]], lang: str
    ) -> None:
        super().__init__()
        self.difference, self.label, self.versions, self.lang = difference, label, versions, lang
        self.choice: int | None = None  # index into versions, or len(versions) for a typed value

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label wrap")
        for title, value in self.versions:  # whole, wrapped; the buttons below name them
            yield Static(f"{title}：{shown(value, self.lang)}", classes="wrap value", markup=False)
        with RadioSet():
            for title, value in self.versions:
                yield MarkedRadioButton(f"{title}: {_short(shown(value, self.lang))}")
            yield MarkedRadioButton(t("conflicts.edit", self.lang))
        yield Input(id="typed")

    @on(RadioSet.Changed)
    def _chosen(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.choice = event.index
        self.set_class(self.choice == len(self.versions), "editing")

    @property
    def value(self) -> Any:
        if self.choice is None:
            raise LookupError(self.difference.pointer)
        if self.choice == len(self.versions):
            text = self.query_one("#typed", Input).value
            try:
                return json.loads(text) if text.strip()[:1] in "[{" else text
            except json.JSONDecodeError:
                return text
        return self.versions[self.choice][1]


class ConflictsScreen(LocalisedScreen[None]):
    BINDINGS = [Binding("escape", "back", "key.back"), Binding("ctrl+s", "save", "conflicts.save")]

    def __init__(self, session: Session, lang: str) -> None:
        super().__init__(lang)
        self.session = session
        self.ids: list[str] = []
        self.current: ConflictView | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="conflict-list-box"):
                yield Label(t("conflicts.title", self.lang), classes="screen-title")
                yield ListView(id="conflict-list")
            with VerticalScroll(id="conflict-detail"):
                yield Label("", id="conflict-head", classes="wrap")
                yield Vertical(id="choices")
                yield Label("", id="conflict-error", classes="wrap error")
                yield Button(t("conflicts.save", self.lang), id="save", variant="primary")
        yield Footer(compact=True)

    def refill(self) -> None:
        store = self.session.store
        self.ids = [i for i in store.conflicted() if not i.startswith("_design/")]
        listing = self.query_one("#conflict-list", ListView)
        listing.clear()
        listing.extend(ListItem(Label(self._title(i))) for i in self.ids)
        if self.ids:
            self.show(self.ids[0])
        else:
            self.current = None
            self.query_one("#conflict-head", Label).update(t("conflicts.none", self.lang))
            self.query_one("#choices").remove_children()
            self.query_one("#save", Button).display = False

    def _title(self, doc_id: str) -> str:
        kind = doc_id.split(":")[0]
        try:
            child = self.session.store.get(f"child:{doc_id.split(':')[1]}") if ":" in doc_id else {}
        except Exception:  # a document of a child not on this laptop
            child = {}
        name = child.get("answers", {}).get("name", "") if isinstance(child, dict) else ""
        key = f"conflicts.kind.{kind}"
        return f"{name} · {t(key, self.lang) if key in _KINDS else kind}"

    def _label(self, doc: dict[str, Any], pointer: str) -> str:
        form = doc.get("form") if isinstance(doc.get("form"), dict) else None
        if form and pointer.startswith("/answers/"):
            try:
                found = self.session.forms.get(form["id"], form.get("version"))
            except (UnknownForm, KeyError):
                found = None
            label = found.label_at(pointer[len("/answers") :]) if found else None
            if label:
                return pick(label, self.lang)
        elif pointer.startswith("/answers/"):  # the child's profile: the profile form's labels
            try:
                profile = self.session.forms.get("child-profile")
            except UnknownForm:
                return pointer
            label = profile.label_at(pointer[len("/answers") :])
            return pick(label, self.lang) if label else pointer
        return pointer

    def show(self, doc_id: str) -> None:
        view = describe(self.session.store, doc_id)
        self.current = view
        devices = [view.winner.get("device", "?")] + [o.get("device", "?") for o in view.others]
        head = t(
            "conflicts.head",
            self.lang,
            id=doc_id,
            n=len(view.others) + 1,
            devices=", ".join(map(str, devices)),
        )
        self.query_one("#conflict-head", Label).update(head)
        choices = self.query_one("#choices")
        choices.remove_children()
        widgets = []
        for difference in view.differences:
            if bookkeeping(difference.pointer):
                continue  # the winner's is kept (merged starts from it)
            versions = [
                (
                    t("conflicts.version", self.lang, n=1, device=view.winner.get("device", "?")),
                    difference.winner,
                )
            ]
            for n, other in enumerate(view.others, start=2):
                title = t("conflicts.version", self.lang, n=n, device=other.get("device", "?"))
                versions.append((title, difference.others.get(other["_rev"], ABSENT)))
            widgets.append(
                FieldChoice(
                    difference, self._label(view.winner, difference.pointer), versions, self.lang
                )
            )
        choices.mount_all(widgets)
        self.query_one("#save", Button).display = True
        self.query_one("#conflict-error", Label).update("")

    @on(ListView.Highlighted, "#conflict-list")
    def _picked(self, event: ListView.Highlighted) -> None:
        index = event.list_view.index
        if (
            index is not None
            and 0 <= index < len(self.ids)
            and (self.current is None or self.current.doc_id != self.ids[index])
        ):
            self.show(self.ids[index])

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        view = self.current
        if view is None:
            return
        choices = list(self.query(FieldChoice))
        missing = [c for c in choices if c.choice is None]
        if missing:
            self.query_one("#conflict-error", Label).update(
                t("conflicts.choose", self.lang, n=len(missing))
            )
            missing[0].query_one(RadioSet).focus()
            return
        merged = {k: v for k, v in view.winner.items() if not k.startswith("_")}
        for choice in choices:
            value = choice.value
            merged = set_at(
                merged, choice.difference.pointer, MISSING if value is ABSENT else value
            )
        by = self.session.stamp()
        merged.update(updated_by=by["by"], updated_at=by["at"].isoformat(), device=by["device"])
        resolve(self.session.store, view.doc_id, merged)
        self.notify(t("conflicts.saved", self.lang), timeout=3)
        self.refill()

    def action_back(self) -> None:
        self.dismiss(None)


_KINDS = {
    "conflicts.kind.child",
    "conflicts.kind.assessment",
    "conflicts.kind.visit",
    "conflicts.kind.plan",
}
