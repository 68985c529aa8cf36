"""Screens that speak the interface language and can switch it at runtime."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.screen import Screen

from tui.session import relabel

R = TypeVar("R")


class LocalisedScreen(Screen[R], Generic[R]):
    """Keeps its state in attributes, so that it can be recomposed in another language."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.shown_lang = lang

    def on_mount(self) -> None:
        relabel(self, self.lang)
        self.refill()

    async def set_language(self, lang: str) -> None:
        self.lang = lang
        relabel(self, lang)
        if self.is_current:
            await self._show_language()

    async def on_screen_resume(self) -> None:
        if self.shown_lang != self.lang:
            await self._show_language()

    async def _show_language(self) -> None:
        await self.recompose()
        self.shown_lang = self.lang
        self.refill()

    def refill(self) -> None:
        """Put the screen's state into freshly composed widgets."""
