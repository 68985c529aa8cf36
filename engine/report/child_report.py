"""The child's four-colour assessment report: who, the band and why (every answer that
scored), needs, family, history, plan, review.

Everything printed comes from the stored documents (the result as computed at finalisation),
so a report printed years later shows what the assessor saw; form labels come from the form
version the assessment was filled with, when it is still known.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from engine.casework.casefile import CaseFile, Observation, age_on, parse_date
from engine.casework.rules import CaseworkRules
from engine.forms.registry import FormRegistry
from engine.forms.results import Classification
from engine.report.band_block import BandBlock
from engine.report.context import ReportContext, find_form
from engine.report.layout import GREY, build, para, text
from engine.report.section_care import classification, history, needs, plan, review, signatures
from engine.report.section_family import family
from engine.report.section_why import why
from engine.report.words import word

PROFILE_FORM, BAND_FORM = "child-profile", "risk"


class _Report(ReportContext):
    def __init__(
        self,
        case: CaseFile,
        forms: FormRegistry,
        lang: str,
        generated_at: datetime,
        sync_state: str,
        band_form: str,
        assessment_id: str | None,
    ) -> None:
        super().__init__(case, forms, lang)
        self.generated_at, self.sync_state, self.band_form = generated_at, sync_state, band_form
        finals = case.finals(band_form)
        chosen = (
            [o for o in case.observations if o.id == assessment_id]
            if assessment_id
            else finals[-1:]
        )
        self.assessment: Observation | None = chosen[0] if chosen else None
        self.form = (
            find_form(forms, self.assessment.form_id, self.assessment.form_version)
            if self.assessment
            else find_form(forms, band_form)
        )
        self.profile_form = find_form(forms, PROFILE_FORM)

    def header(self) -> list[Flowable]:
        p, a = self.case.profile, self.assessment
        on = a.on if a and a.on else self.generated_at.date()
        age = age_on(parse_date(p.get("birth_date")), on)
        categories = self.join(
            [self.option(self.profile_form, "/categories", c) for c in p.get("categories", [])]
        )
        form_text = "-"
        if a is not None:
            digest = str(
                a.doc.get("form", {}).get("digest")
                or a.result.get("classification", {}).get("form_digest", "")
            )
            title = self.pick(self.form.title) if self.form else a.form_id
            form_text = f"{title} ({a.form_id} v{a.form_version}"
            form_text += f" · {digest[:8]})" if digest else ")"
            form_text += self.migrated(a)
        pairs = [
            ("child", p.get("name", "?")),
            ("sex", self.option(self.profile_form, "/sex", p["sex"]) if p.get("sex") else "-"),
            ("age", self.w("age.value", n=age) if age is not None else "-"),
            ("categories", categories or "-"),
            ("village", " ".join(str(p[k]) for k in ("township", "village") if p.get(k)) or "-"),
            ("assessed_on", a.on.isoformat() if a and a.on else "-"),
            (
                "assessor",
                (a.answers.get("assessor") or a.doc.get("finalised_by", "-")) if a else "-",
            ),
            ("form", form_text),
            ("generated", self.generated_at.strftime("%Y-%m-%d %H:%M")),
            (
                "sync",
                self.w(f"sync.{self.sync_state}")
                if f"sync.{self.sync_state}" in _SYNC
                else self.sync_state,
            ),
        ]
        rows = []
        for i in range(0, len(pairs), 2):
            row: list[Any] = []
            for key, value in pairs[i : i + 2]:
                row += [self.small(self.w(key)), self.cell(value)]
            rows.append(row)
        label, value = self.width * 0.17, self.width * 0.33
        table = Table(rows, colWidths=[label, value, label, value])
        table.setStyle(
            TableStyle(
                [("LINEBELOW", (0, 0), (-1, -1), 0.3, GREY), ("VALIGN", (0, 0), (-1, -1), "TOP")]
            )
        )
        return [para(self.w("report.title"), self.s.title), table, Spacer(1, 4 * mm)]

    def band(self, result: Classification | None) -> list[Flowable]:
        if self.assessment is None:
            return [self.body(self.w("no_assessment"))]
        if result is None or result.band is None:
            return [self.body(self.w("result_unreadable"))]
        ids = [b.id for b in self.form.bands] if self.form else [result.band.id]
        level = ids.index(result.band.id) + 1 if result.band.id in ids else 1
        block = BandBlock(
            self.pick(result.band.label), result.band.color, level, len(ids), self.lang, self.s.font
        )
        return [block, Spacer(1, 3 * mm)]

    def story(self) -> list[Flowable]:
        a = self.assessment
        result = classification(a) if a else None
        reasons = why(self, a, self.form, result) if a is not None and result is not None else []
        body = [*self.header(), *self.band(result), *reasons, *needs(self), *family(self)]
        # The signatures never stand alone on a last page: they travel with the review, and
        # with the history and the plan before it (or the end of the family section).
        tail = [*history(self, self.band_form), *plan(self)]
        if not tail:
            tail, body = body[-2:], body[:-2]
        tail += [*review(self, a), *signatures(self)]
        return [*body, KeepTogether(tail)]


_SYNC = {"sync.synced", "sync.local", "sync.conflicted", "sync.unknown"}


def child_report(
    out: Any,
    case: CaseFile,
    forms: FormRegistry,
    *,
    lang: str = "zh-CN",
    generated_at: datetime,
    sync_state: str = "unknown",
    rules: CaseworkRules | None = None,
    assessment_id: str | None = None,
    password: str | None = None,
) -> int:
    """Write the child's report as a PDF to `out` (a path or a binary file); returns pages.
    With a password the PDF is encrypted and opens only with it."""
    band_form = rules.band_form if rules else BAND_FORM
    report = _Report(case, forms, lang, generated_at, sync_state, band_form, assessment_id)
    title = word("report.title", lang)
    running = f"{title} · {text(case.profile.get('name', '?'))}"  # on the page, not in metadata
    return build(out, report.story(), lang=lang, title=title, running_title=running,
                 password=password)  # fmt: skip
