"""The result of a final assessment: the band in colour and words, scores, red flags, why,
needs with services; and a discretionary override with its required reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, Select, Static

from engine.casework.case_documents import stamp
from engine.casework.review_chain import (
    ADVISE,
    APPROVE,
    NOT_SUBMITTED,
    REOPEN,
    RETURN,
    STEP_LABELS,
    SUBMIT,
    SUBMITTED,
    ReviewRefused,
    add_review_step,
    review_state,
)
from engine.forms.classification import OverrideRefused, classify
from engine.forms.form import Form
from engine.forms.i18n import pick
from engine.forms.results import Classification, NeedsAssessment, Override
from tui.screens.base import Dialog, LocalisedScreen
from tui.screens.dialogs import NoteDialog
from tui.session import Session
from tui.words import t


def _ink(color: str) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "white"


class BandBanner(Static):
    """The band as a coloured block with its name in words (and its level for no-colour)."""

    DEFAULT_CSS = (
        "BandBanner { height: 3; content-align: left middle; padding: 0 2; text-style: bold; }"
    )

    def __init__(self, label: str, color: str, level: int, levels: int) -> None:
        marker = "■" * (levels - level + 1) + "□" * (level - 1)
        super().__init__(f"{label}   {marker}")
        self.styles.background = color
        self.styles.color = _ink(color)


def allowed_bands(form: Form, answers: dict[str, Any], current: str) -> list[str]:
    """The bands an override may move to under the form's rules (steps, red flags)."""
    allowed = []
    for band in form.bands:
        if band.id == current:
            continue
        try:
            classify(answers, form, Override(to_band=band.id, reason="-", by="-"))
        except OverrideRefused:
            continue
        allowed.append(band.id)
    return allowed


class OverrideDialog(Dialog[Override | None]):
    """The bands the rules allow and a reason; a refusal is said here, the reason kept."""

    def __init__(
        self, form: Form, current: str, lang: str, by: str, answers: dict[str, Any]
    ) -> None:
        super().__init__()
        self.form, self.current, self.lang, self.by = form, current, lang, by
        self.answers = answers

    def compose(self) -> ComposeResult:
        allowed = allowed_bands(self.form, self.answers, self.current)
        bands = [(pick(b.label, self.lang), b.id) for b in self.form.bands if b.id in allowed]
        with Vertical(id="override", classes="dialog"):
            yield Label(t("override.title", self.lang), classes="dialog-title")
            if not bands:
                yield Label(t("override.none", self.lang), classes="wrap")
            else:
                yield Label(t("override.band", self.lang))
                yield Select(bands, id="to-band", allow_blank=False, compact=True)
                yield Label(t("override.reason", self.lang))
                yield Input(id="reason", compact=True)
                yield Label("", id="override-error", classes="error wrap")
                yield Button(t("override.save", self.lang), id="save", variant="primary")
            yield Button(t("cancel", self.lang), id="cancel")
        yield Footer(compact=True)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted, "#reason")
    def _save(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        error = self.query_one("#override-error", Label)
        if not reason:
            error.update(t("override.reason", self.lang))
            self.query_one("#reason", Input).focus()
            return
        band = str(self.query_one("#to-band", Select).value)
        override = Override(to_band=band, reason=reason, by=self.by, at=datetime.now().astimezone())
        try:
            classify(self.answers, self.form, override)
        except OverrideRefused as refused:  # said here; the typed reason stays
            error.update(refused.message(self.lang))
            return
        self.dismiss(override)


class Confirm(Dialog[bool | None]):
    """A question answered yes (enter on the first button) or no (esc)."""

    def __init__(self, question: str, yes: str, lang: str) -> None:
        super().__init__()
        self.question, self.yes, self.lang = question, yes, lang

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Label(self.question, classes="wrap")
            yield Button(self.yes, id="yes", variant="primary")
            yield Button(t("cancel", self.lang), id="no")
        yield Footer(compact=True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes" or None)


class ResultScreen(LocalisedScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("o", "override", "key.override"),
        Binding("s", "review('submit')", "key.submit"),
        Binding("a", "review('approve')", "key.approve"),
        Binding("b", "review('return')", "key.return"),
        Binding("x", "review('advise')", "key.advise"),
    ]

    def __init__(self, session: Session, doc: dict[str, Any], form: Form, lang: str) -> None:
        super().__init__(lang)
        self.session, self.doc, self.form = session, doc, form

    def _classification(self) -> Classification | None:
        try:
            return Classification.model_validate(self.doc.get("result", {}).get("classification"))
        except ValidationError:
            return None

    def _needs(self) -> NeedsAssessment | None:
        try:
            return NeedsAssessment.model_validate(self.doc.get("result", {}).get("needs"))
        except ValidationError:
            return None

    def compose(self) -> ComposeResult:
        lang = self.lang
        result, needs = self._classification(), self._needs()
        with VerticalScroll(id="result"):
            yield Label(
                f"{t('result.title', lang)} · {pick(self.form.title, lang)}", classes="screen-title"
            )
            if result is not None and result.band is not None:
                ids = [b.id for b in self.form.bands]
                level = ids.index(result.band.id) + 1 if result.band.id in ids else 1
                yield BandBanner(pick(result.band.label, lang), result.band.color, level, len(ids))
                yield Label(
                    t("result.total", lang, total=result.total, low=result.low, high=result.high)
                )
                yield Label(t("result.domains", lang), classes="section-title")
                for d in result.domains:
                    bar = "█" * round(12 * d.score / d.high) if d.high else ""
                    yield Label(
                        f"  {pick(d.label, lang)}: {d.score}/{d.high} {bar}", classes="wrap"
                    )
                    scored = [c for c in result.contributions if c.domain == d.id and c.points]
                    for c in scored:
                        answer = pick(c.answer_label, lang) if c.answer_label else str(c.answer)
                        yield Label(
                            f"      +{c.points}  {pick(c.label, lang)}：{answer}",
                            classes="wrap contribution",
                        )
                yield Label(t("result.flags", lang), classes="section-title")
                for flag in result.red_flags or []:
                    yield Label(f"  ⚑ {pick(flag.label, lang)}", classes="red-flag")
                if not result.red_flags:
                    yield Label("  " + t("none", lang))
                yield Label(t("result.reasons", lang), classes="section-title")
                for line in result.explain(lang):
                    yield Label("  • " + line, classes="wrap")
            yield Label(t("review.title", lang), classes="section-title")
            for step in self.doc.get("review", []):
                label = pick(
                    STEP_LABELS.get(step.get("step", ""), {"zh-CN": step.get("step", "")}), lang
                )
                when = str(step.get("at", ""))[:16].replace("T", " ")
                comment = f": {step['comment']}" if step.get("comment") else ""
                yield Label(
                    f"  {when}  {step.get('by', '')}  {label}{comment}",
                    classes="review-step wrap",
                )
            if not self.doc.get("review"):
                yield Label("  " + t("review.none", lang))
            if needs is not None:
                yield Label(t("result.needs", lang), classes="section-title")
                for category in needs.categories:
                    services = "；".join(pick(s, lang) for s in category.services)
                    yield Label(
                        f"  {pick(category.label, lang)} ({category.rating}): {services}",
                        classes="wrap",
                    )
                if not needs.categories:
                    yield Label("  " + t("none", lang))
                yield Label(t("result.strengths", lang), classes="section-title")
                for strength in needs.strengths:
                    rated = pick(strength.rating_label, lang) if strength.rating_label else ""
                    yield Label(
                        f"  {pick(strength.label, lang)}: {strength.rating} {rated}",
                        classes="wrap",
                    )
                if not needs.strengths:
                    yield Label("  " + t("none", lang))
        yield Footer(compact=True)

    def action_back(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "override":  # needs are not banded: nothing to override
            return bool(self.form.bands)
        return True

    def action_review(self, step: str) -> None:
        state = review_state(self.doc)
        if step == APPROVE and state != SUBMITTED:  # refused at once, not after a dialog
            self.notify(t("review.approve_unsubmitted", self.lang), severity="error")
            return
        if step == SUBMIT:
            if state not in (NOT_SUBMITTED, "returned"):
                self.notify(t("review.out-of-order", self.lang), severity="error")
                return

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.call_later(self._review, step, (None, ""))

            question = t("review.confirm_submit", self.lang)
            self.app.push_screen(
                Confirm(question, t("key.submit", self.lang), self.lang), confirmed
            )
            return
        dialog = NoteDialog(
            pick(STEP_LABELS[step], self.lang),
            self.lang,
            note_label=t("review.comment", self.lang),
            required=step in (RETURN, ADVISE),
        )

        def answered(answer: tuple[str | None, str] | None) -> None:
            self.call_later(self._review, step, answer)

        self.app.push_screen(dialog, answered)

    async def _review(self, step: str, answer: tuple[str | None, str] | None) -> None:
        if answer is None:
            return
        by = self.session.stamp()
        try:
            reviewed = add_review_step(
                self.doc, step, by["by"], self.session.roles, by["at"], answer[1]
            )
        except ReviewRefused as refused:
            self.notify(t(refused.code, self.lang), severity="error")
            return
        reviewed = stamp(reviewed, by["by"], by["device"], by["at"])
        reviewed["_rev"] = self.session.store.put(reviewed)
        self.doc = reviewed
        await self.recompose()

    def action_override(self) -> None:
        result = self._classification()
        if result is None or result.band is None:
            return
        base = classify(self.doc.get("answers", {}), self.form)  # the band before any override
        current = base.band.id if base.band else result.band.id
        self.app.push_screen(
            OverrideDialog(
                self.form, current, self.lang, self.session.user, self.doc.get("answers", {})
            ),
            self._overridden,
        )

    async def _overridden(self, override: Override | None) -> None:
        if override is None:
            return
        try:
            changed = classify(self.doc.get("answers", {}), self.form, override)
        except OverrideRefused as refused:
            self.notify(refused.message(self.lang), severity="error")
            return
        by = self.session.stamp()
        result = {**self.doc.get("result", {}), "classification": changed.model_dump(mode="json")}
        doc: dict[str, Any] = {**self.doc, "result": result}
        if review_state(doc) in (SUBMITTED, "approved"):  # reviewed again, with the reason
            doc = add_review_step(doc, REOPEN, by["by"], self.session.roles, by["at"],
                                  override.reason)  # fmt: skip
        doc = stamp(doc, by["by"], by["device"], by["at"])
        doc["_rev"] = self.session.store.put(doc)
        self.doc = doc
        await self.recompose()
