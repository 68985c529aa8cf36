"""The documents the server refused and that are still as they were refused: one line each
(which document, why, when); delete dismisses the highlighted one."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Label, ListItem, ListView

from sync.rejections import RememberedRejection
from tui.commands.texts import local_time
from tui.session import relabel
from tui.words import t


class RejectionList(ListView):
    """Shown by the sync screen; the screen owns the replica and does the dismissing."""

    DEFAULT_CSS = """
    RejectionList { height: auto; max-height: 8; }
    RejectionList > ListItem { height: auto; }
    RejectionList Label { width: 1fr; }
    """
    BINDINGS = [Binding("delete", "dismiss_rejection", "key.dismiss")]

    class Dismissed(Message):
        """The user no longer wants to see this refusal (the document stays as it is)."""

        def __init__(self, doc_id: str) -> None:
            super().__init__()
            self.doc_id = doc_id

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.shown: list[RememberedRejection] = []

    async def show(self, rejections: list[RememberedRejection], lang: str) -> None:
        self.shown = rejections
        relabel(self, lang)  # its key's name in the footer
        await self.clear()
        await self.extend(
            ListItem(
                Label(
                    t(
                        "sync.kept",
                        lang,
                        id=r.doc_id,
                        reason=f"{r.error}: {r.reason}",
                        at=local_time(r.at),
                    )
                )
            )  # fmt: skip
            for r in rejections
        )
        self.index = 0 if rejections else None
        self.display = bool(rejections)

    def action_dismiss_rejection(self) -> None:
        if self.index is not None and 0 <= self.index < len(self.shown):
            self.post_message(self.Dismissed(self.shown[self.index].doc_id))
