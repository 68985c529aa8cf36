"""Screens that speak the interface language, switch it at runtime and never lose the focus."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from engine.forms.i18n import DEFAULT_LANGUAGE
from tui.session import relabel

R = TypeVar("R")


def usable(widget: Widget | None, screen: Screen[Any]) -> bool:
    """A widget keys can reach: still in the screen, shown and focusable."""
    if widget is None or not widget.is_attached or not widget.is_mounted:
        return False
    return widget.screen is screen and widget.focusable


def mend_focus(screen: Screen[Any], prefer: Widget | None = None) -> None:
    """Give the focus to a live widget when the focused one was removed (a recompose, a
    section redrawn), so that the screen's keys keep working: the preferred widget, else
    the screen's first focusable one, else none (the screen's own bindings answer)."""
    if usable(screen.focused, screen):
        return
    if prefer is not None and prefer.is_attached and prefer.focusable:
        screen.set_focus(prefer)
        return
    chain = screen.focus_chain
    fields = [w for w in chain if not isinstance(w, ScrollableContainer)]  # a field first
    first = fields or chain
    screen.set_focus(first[0] if first else None)


class LocalisedScreen(Screen[R], Generic[R]):
    """Keeps its state in attributes, so that it can be recomposed in another language."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.shown_lang = lang

    def on_mount(self) -> None:
        relabel(self, self.lang)
        self.refill()
        self.call_after_refresh(self.focus_first)

    def focus_first(self) -> None:
        """Where the cursor goes when the screen opens: its first field, unless a field has
        it already (Textual's own choice may be a scrolling container)."""
        if isinstance(self.focused, ScrollableContainer):
            self.set_focus(None)
        mend_focus(self)

    async def set_language(self, lang: str) -> None:
        self.lang = lang
        relabel(self, lang)
        if self.is_current:
            await self._show_language()

    async def on_screen_resume(self) -> None:
        if self.shown_lang != self.lang:
            await self._show_language()
        self.call_after_refresh(mend_focus, self)

    async def _show_language(self) -> None:
        await self.recompose()
        self.shown_lang = self.lang
        self.refill()

    async def recompose(self) -> None:
        """Compose again, then focus the widget that had the focus (same id, or same kind
        under the same parent id), or the first one: a removed widget never keeps it."""
        focused = self.focused
        anchor = _anchor(focused)
        await super().recompose()
        prefer: Widget | None = None
        if focused is not None and anchor is not None:
            found = self.query(f"#{anchor}")
            if found:
                holder = found.first()
                if type(holder) is type(focused):
                    prefer = holder
                else:
                    same = [w for w in holder.query(type(focused)) if w.focusable]
                    prefer = same[0] if same else None
        self.set_focus(None)
        self.call_after_refresh(mend_focus, self, prefer)

    def refill(self) -> None:
        """Put the screen's state into freshly composed widgets."""


def _anchor(widget: Widget | None) -> str | None:
    """The id of the widget or of its nearest ancestor that has one."""
    node = widget
    while node is not None and isinstance(node, Widget):
        if node.id and not node.id.startswith("-"):
            return node.id
        node = node.parent  # type: ignore[assignment]
    return None


class Dialog(ModalScreen[R], Generic[R]):
    """A dialog: opens with the cursor in its first field and closes on esc (None)."""

    BINDINGS = [Binding("escape", "cancel", "cancel", show=False)]

    def on_mount(self) -> None:
        relabel(self, getattr(self, "lang", DEFAULT_LANGUAGE))
        self.call_after_refresh(mend_focus, self)

    def action_cancel(self) -> None:
        self.dismiss(None)
