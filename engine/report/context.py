"""What every section of the child's report reads: the case, the forms, the language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from engine.casework.casefile import CaseFile, Observation
from engine.casework.migrations import migrated_from
from engine.forms.form import Form
from engine.forms.i18n import pick
from engine.forms.registry import FormRegistry, UnknownForm
from engine.report.layout import Styles, content_width, para, styles
from engine.report.words import joined, word


def find_form(forms: FormRegistry, form_id: str, version: int | None = None) -> Form | None:
    """The version asked for, else the newest, else None."""
    try:
        return forms.get(form_id, version or None)
    except UnknownForm:
        try:
            return forms.get(form_id)
        except UnknownForm:
            return None


@dataclass
class ReportContext:
    case: CaseFile
    forms: FormRegistry
    lang: str
    s: Styles = field(init=False)
    width: float = field(init=False)

    def __post_init__(self) -> None:
        self.s = styles(self.lang)
        self.width = content_width()

    def w(self, key: str, **params: object) -> str:
        return word(key, self.lang, **params)

    def pick(self, text: Any) -> str:
        return pick(text, self.lang) if text else ""

    def join(self, items: list[str], sep: str = "sep.list") -> str:
        return joined(items, self.lang, sep)

    def labelled(self, key: str, text: object) -> str:
        """ "Label: text" with the language's colon (： or ": ")."""
        return f"{self.w(key)}{self.w('sep.colon')}{text}"

    def heading(self, key: str) -> Paragraph:
        return para(self.w(key), self.s.heading)

    def small(self, text: object) -> Paragraph:
        return para(text, self.s.small)

    def migrated(self, o: Observation) -> str:
        """ " · migrated from v1" when the assessment was moved from older versions."""
        versions = migrated_from(o.doc)
        if not versions:
            return ""
        shown = ", ".join(str(v) for v in versions)
        return (" · " if self.lang == "en" else "，") + self.w("migrated_from", versions=shown)

    def cell(self, text: object) -> Paragraph:
        return para(text, self.s.cell)

    def body(self, text: object) -> Paragraph:
        return para(text, self.s.body)

    def option(self, form: Form | None, pointer: str, value: Any) -> str:
        label = form.option_label_at(pointer, value) if form else None
        if label:
            return pick(label, self.lang)
        if isinstance(value, bool):
            return self.w("yes" if value else "no")
        return str(value)

    def side_by_side(self, left: Flowable, right: Flowable, share: float) -> Table:
        both = Table([[left, right]], colWidths=[self.width * share, self.width * (1 - share)])
        both.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (0, -1), 3 * mm),
                ]
            )
        )
        return both
