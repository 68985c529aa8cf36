"""Who is working: name, role and district, asked on first run (or from the palette)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Footer, Input, Label, Select

from tui.screens.base import Dialog
from tui.session import WORKER_ROLES, Worker
from tui.words import t


class WorkerDialog(Dialog[Worker | None]):
    """Dismissed with the worker, or None (esc: asked again at the next start)."""

    def __init__(self, district: str, lang: str) -> None:
        super().__init__()
        self.district, self.lang = district, lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        district = "" if self.district == "local" else self.district
        with Vertical(id="worker-box", classes="dialog"):
            yield Label(t("worker.title", lang), classes="dialog-title")
            yield Label(t("worker.help", lang), classes="wrap")
            yield Label(t("worker.name", lang))
            yield Input(id="worker-name", compact=True)
            yield Label(t("worker.role", lang))
            roles = [(t(f"worker.role.{r}", lang), r) for r in WORKER_ROLES]
            yield Select(
                roles, id="worker-role", allow_blank=False, value=WORKER_ROLES[0], compact=True
            )
            yield Label(t("worker.district", lang))
            yield Input(district, id="worker-district", compact=True)
            yield Label("", id="worker-error", classes="error wrap")
            yield Button(t("review.save", lang), id="ok", variant="primary")
        yield Footer(compact=True)

    @on(Button.Pressed, "#ok")
    @on(Input.Submitted)
    def _ok(self) -> None:
        name = self.query_one("#worker-name", Input).value.strip()
        if not name:
            self.query_one("#worker-error", Label).update(t("worker.name_required", self.lang))
            self.query_one("#worker-name", Input).focus()
            return
        role = str(self.query_one("#worker-role", Select).value)
        district = self.query_one("#worker-district", Input).value.strip()
        self.dismiss(Worker(name, role, district))
