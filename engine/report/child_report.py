"""The child's four-colour assessment report: who, the band and why, needs, family, history.

Everything printed comes from the stored documents (the result as computed at finalisation),
so a report printed years later shows what the assessor saw; form labels come from the form
version the assessment was filled with, when it is still known.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from engine.casework.casefile import CaseFile, Observation, parse_date, plan_body
from engine.casework.migrations import migrated_from
from engine.casework.review_chain import STEP_LABELS
from engine.casework.rules import CaseworkRules
from engine.forms.form import Form
from engine.forms.i18n import pick
from engine.forms.registry import FormRegistry, UnknownForm
from engine.forms.results import Classification, NeedsAssessment
from engine.report.band_block import BandBlock
from engine.report.charts import Bar, Point, Threshold, domain_bars, trend
from engine.report.genogram import genogram, legend
from engine.report.layout import GREY, Styles, build, content_width, grid, para, styles, text
from engine.report.words import word

PROFILE_FORM, FAMILY_FORM, BAND_FORM = "child-profile", "family", "risk"


def _form(forms: FormRegistry, form_id: str, version: int | None = None) -> Form | None:
    try:
        return forms.get(form_id, version or None)
    except UnknownForm:
        try:
            return forms.get(form_id)
        except UnknownForm:
            return None


def _classification(o: Observation) -> Classification | None:
    try:
        return Classification.model_validate(o.result.get("classification"))
    except ValidationError:
        return None


def _needs(o: Observation) -> NeedsAssessment | None:
    try:
        return NeedsAssessment.model_validate(o.result.get("needs"))
    except ValidationError:
        return None


def _age(birth: Any, on: date) -> int | None:
    born = parse_date(birth)
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class _Report:
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
        self.case, self.forms, self.lang = case, forms, lang
        self.generated_at, self.sync_state, self.band_form = generated_at, sync_state, band_form
        self.s: Styles = styles()
        self.width = content_width()
        finals = case.finals(band_form)
        chosen = (
            [o for o in case.observations if o.id == assessment_id]
            if assessment_id
            else finals[-1:]
        )
        self.assessment: Observation | None = chosen[0] if chosen else None
        self.form = (
            _form(forms, self.assessment.form_id, self.assessment.form_version)
            if self.assessment
            else _form(forms, band_form)
        )
        self.profile_form = _form(forms, PROFILE_FORM)

    # --- helpers ------------------------------------------------------------------
    def w(self, key: str, **params: object) -> str:
        return word(key, self.lang, **params)

    def heading(self, key: str) -> Paragraph:
        return para(self.w(key), self.s.heading)

    def option(self, form: Form | None, pointer: str, value: Any) -> str:
        label = form.option_label_at(pointer, value) if form else None
        return pick(label, self.lang) if label else str(value)

    def field_label(self, form: Form | None, name: str) -> str:
        label = form.label_at("/" + name) if form else None
        return pick(label, self.lang) if label else name

    # --- sections -----------------------------------------------------------------
    def header(self) -> list[Flowable]:
        p, a = self.case.profile, self.assessment
        on = a.on if a and a.on else self.generated_at.date()
        age = _age(p.get("birth_date"), on)
        categories = "、".join(
            self.option(self.profile_form, "/categories", c) for c in p.get("categories", [])
        )
        form_text = "-"
        if a is not None:
            digest = str(
                a.doc.get("form", {}).get("digest")
                or a.result.get("classification", {}).get("form_digest", "")
            )
            title = pick(self.form.title, self.lang) if self.form else a.form_id
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
                row += [para(self.w(key), self.s.small), para(value, self.s.cell)]
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
            return [para(self.w("no_assessment"), self.s.body)]
        if result is None or result.band is None:
            return [para(self.w("result_unreadable"), self.s.body)]
        ids = [b.id for b in self.form.bands] if self.form else [result.band.id]
        level = ids.index(result.band.id) + 1 if result.band.id in ids else 1
        block = BandBlock(
            pick(result.band.label, self.lang),
            result.band.color,
            level,
            len(ids),
            self.lang,
            self.s.font,
        )
        return [block, Spacer(1, 3 * mm)]

    def why(self, result: Classification | None) -> list[Flowable]:
        if result is None:
            return []
        out: list[Flowable] = [self.heading("why")]
        a = self.assessment
        assert a is not None
        newest = _form(self.forms, a.form_id)
        if newest is not None and newest.version != a.form_version:
            out.append(
                para(
                    self.w(
                        "older_form", form=a.form_id, version=a.form_version, current=newest.version
                    ),
                    self.s.small,
                )
            )
        out.append(
            para(f"{self.w('total')}: {result.total}  ({result.low}–{result.high})", self.s.body)
        )
        if result.domains:
            rows: list[list[Paragraph | str]] = [
                [para(self.w(k), self.s.small) for k in ("domain", "score", "range")]
            ]
            rows += [
                [para(pick(d.label, self.lang), self.s.cell), str(d.score), f"{d.low}–{d.high}"]
                for d in result.domains
            ]
            table = grid(rows, [self.width * 0.22, self.width * 0.09, self.width * 0.12])
            bars = domain_bars(
                [Bar(pick(d.label, self.lang), d.score, d.high) for d in result.domains],
                self.width * 0.55,
                self.s.font,
            )
            both = Table([[table, bars]], colWidths=[self.width * 0.44, self.width * 0.56])
            both.setStyle(
                TableStyle(
                    [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
                )
            )
            out.append(both)
        flags = "；".join(pick(f.label, self.lang) for f in result.red_flags) or self.w("none")
        out.append(para(f"{self.w('red_flags')}: {flags}", self.s.body))
        if result.override is not None:
            o = result.override
            band_label = (
                {b.id: pick(b.label, self.lang) for b in self.form.bands} if self.form else {}
            )
            sentence = self.w(
                "override.text",
                by=o.by,
                from_band=band_label.get(o.from_band, o.from_band),
                to_band=band_label.get(o.to_band, o.to_band),
                reason=o.reason,
            )
            out.append(para(f"{self.w('override')}: {sentence}", self.s.body))
        unknown = "；".join(pick(u.label, self.lang) for u in result.unknown) or self.w("none")
        out.append(para(f"{self.w('unknown')}: {unknown}", self.s.body))
        out.append(para(self.w("reasons"), self.s.small))
        out += [para("• " + line, self.s.small) for line in result.explain(self.lang)]
        return out

    def needs(self) -> list[Flowable]:
        out: list[Flowable] = [self.heading("needs")]
        found = [o for o in self.case.finals() if o.result.get("needs")]
        assessment = _needs(found[-1]) if found else None
        if assessment is None:
            return [*out, para(self.w("no_needs_form"), self.s.body)]
        if assessment.categories:
            rows: list[list[Paragraph | str]] = [
                [para(self.w(k), self.s.small) for k in ("need", "score", "services")]
            ]
            rows += [
                [para(pick(c.label, self.lang), self.s.cell), str(c.rating),
                 para("；".join(pick(s, self.lang) for s in c.services), self.s.cell)]
                for c in assessment.categories
            ]  # fmt: skip
            needs_table: Flowable = grid(
                rows, [self.width * 0.16, self.width * 0.07, self.width * 0.37]
            )
        else:
            needs_table = para(self.w("no_needs"), self.s.body)
        rows = [[para(self.w("strengths"), self.s.small), para(self.w("score"), self.s.small)]]
        rows += [
            [para(pick(s.label, self.lang), self.s.cell),
             para(pick(s.rating_label, self.lang) if s.rating_label else s.rating, self.s.cell)]
            for s in assessment.strengths
        ]  # fmt: skip
        strengths = grid(rows, [self.width * 0.22, self.width * 0.15])
        both = Table([[needs_table, strengths]], colWidths=[self.width * 0.61, self.width * 0.39])
        both.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        return [KeepTogether([*out, both])]

    def family(self) -> list[Flowable]:
        title = self.heading("family")
        latest = self.case.latest(FAMILY_FORM)
        if latest is None or not latest.answers.get("members"):
            return [title, para(self.w("no_family"), self.s.body)]
        form = _form(self.forms, FAMILY_FORM, latest.form_version)
        drawing = genogram(
            latest.answers,
            child_name=str(self.case.profile.get("name", "?")),
            child_sex=self.case.profile.get("sex"),
            lang=self.lang,
            font=self.s.font,
            width=self.width,
            label_of=lambda pointer, _key, value: self.option(form, pointer, value),
        )
        return [KeepTogether([title, drawing, legend(self.lang, self.s.font, self.width)])]

    def history(self) -> list[Flowable]:
        finals = [o for o in self.case.finals(self.band_form) if o.total is not None]
        if not finals:
            return []
        form = _form(self.forms, self.band_form)
        bands = list(form.bands) if form else []
        ids = [b.id for b in bands]
        points = []
        for o in finals:
            result = _classification(o)
            band = result.band if result else None
            points.append(
                Point(
                    o.on,
                    o.total or 0,
                    pick(band.label, self.lang).split(" ")[0] if band else "?",
                    band.color if band else "#9E9E9E",
                    ids.index(band.id) + 1 if band and band.id in ids else len(ids) or 1,
                )
            )
        thresholds = [
            Threshold(b.min, pick(b.label, self.lang).split(" ")[0]) for b in bands if b.min
        ]
        top = max((r.high for o in finals if (r := _classification(o))), default=0)
        chart = trend(points, thresholds, top, self.width, self.s.font)
        out: list[Flowable] = [self.heading("history"), chart]
        if len(points) == 1:
            out.append(para(self.w("history.none"), self.s.small))
        for o, point in zip(finals, points, strict=True):  # the version each was answered on
            on = o.on.isoformat() if o.on else "-"
            out.append(para(self.w("answered_on", on=on, form=o.form_id, version=o.form_version,
                                   migrated=self.migrated(o), band=point.band_label, total=o.total),
                            self.s.small))  # fmt: skip
        return [KeepTogether(out)]

    def migrated(self, o: Observation) -> str:
        """ " · migrated from v1" when the assessment was moved from older versions."""
        versions = migrated_from(o.doc)
        if not versions:
            return ""
        shown = ", ".join(str(v) for v in versions)
        return (" · " if self.lang == "en" else "，") + self.w("migrated_from", versions=shown)

    def plan(self) -> list[Flowable]:
        if not self.case.plans:
            return []
        plan = plan_body(self.case.plans[-1])
        out: list[Flowable] = [self.heading("plan")]
        out += [para("• " + str(goal), self.s.body) for goal in plan.get("goals", [])]
        rows = [
            [para(str(s.get(k, "")), self.s.cell) for k in ("description", "responsible", "start")]
            for s in plan.get("services", []) if isinstance(s, dict)
        ]  # fmt: skip
        if rows:
            out.append(
                grid(rows, [self.width * 0.6, self.width * 0.2, self.width * 0.2], header=False)
            )
        return out

    def review(self) -> list[Flowable]:
        out: list[Flowable] = [self.heading("review")]
        steps = self.assessment.review if self.assessment else ()
        if not steps:
            return [*out, para(self.w("review.none"), self.s.body)]
        for step in steps:
            label = pick(
                STEP_LABELS.get(str(step.get("step")), {"zh-CN": str(step.get("step"))}), self.lang
            )
            when = str(step.get("at", ""))[:16].replace("T", " ")
            comment = f"：{step['comment']}" if step.get("comment") else ""
            out.append(para(f"{when}  {step.get('by', '')}  {label}{comment}", self.s.body))
        return out

    def signatures(self) -> list[Flowable]:
        line = "_" * 22
        rows = [
            [self.w("signature.assessor") + " " + line, self.w("signature.date") + " " + "_" * 12],
            [self.w("signature.reviewer") + " " + line, self.w("signature.date") + " " + "_" * 12],
        ]
        table = Table(
            [[para(c, self.s.body) for c in r] for r in rows],
            colWidths=[self.width * 0.6, self.width * 0.4],
        )
        table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 10)]))
        return [KeepTogether([self.heading("signatures"), table])]

    def story(self) -> list[Flowable]:
        result = _classification(self.assessment) if self.assessment else None
        return [
            *self.header(),
            *self.band(result),
            *self.why(result),
            *self.needs(),
            *self.family(),
            *self.history(),
            *self.plan(),
            *self.review(),
            *self.signatures(),
        ]


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
) -> int:
    """Write the child's report as a PDF to `out` (a path or a binary file); returns pages."""
    band_form = rules.band_form if rules else BAND_FORM
    report = _Report(case, forms, lang, generated_at, sync_state, band_form, assessment_id)
    title = f"{word('report.title', lang)} · {text(case.profile.get('name', '?'))}"
    return build(out, report.story(), lang=lang, title=title)
