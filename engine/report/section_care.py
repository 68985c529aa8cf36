"""Needs and strengths, the score history, the service plan with its progress notes, the
review chain and the signatures."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from engine.casework.casefile import Observation, plan_body
from engine.casework.review_chain import STEP_LABELS
from engine.forms.i18n import first_word
from engine.forms.results import Classification, NeedsAssessment
from engine.report.charts import Point, Threshold, trend
from engine.report.context import ReportContext, find_form
from engine.report.layout import grid


def classification(o: Observation) -> Classification | None:
    try:
        return Classification.model_validate(o.result.get("classification"))
    except ValidationError:
        return None


def _needs(o: Observation) -> NeedsAssessment | None:
    try:
        return NeedsAssessment.model_validate(o.result.get("needs"))
    except ValidationError:
        return None


def _level(ctx: ReportContext, rating: int, label: Any) -> str:
    """A level with its meaning ("2 需要服务"), from the form when it says so."""
    text = ctx.pick(label) if label else ""
    if text and text.startswith(str(rating)):
        return text
    return ctx.w(f"need.{rating}") if 0 <= rating <= 3 else str(rating)


def needs(ctx: ReportContext) -> list[Flowable]:
    out: list[Flowable] = [ctx.heading("needs")]
    found = [o for o in ctx.case.finals() if o.result.get("needs")]
    assessment = _needs(found[-1]) if found else None
    if assessment is None:
        return [*out, ctx.body(ctx.w("no_needs_form"))]
    if assessment.categories:
        rows: list[list[Any]] = [
            [ctx.small(ctx.w(k)) for k in ("need", "need.level", "need.items", "services")]
        ]
        for c in assessment.categories:
            top = max(c.items, key=lambda i: i.rating, default=None)
            rows.append(
                [
                    ctx.cell(ctx.pick(c.label)),
                    ctx.cell(_level(ctx, c.rating, top.rating_label if top else None)),
                    ctx.cell(ctx.join([f"{ctx.pick(i.label)} {i.rating}" for i in c.items])),
                    ctx.cell(ctx.join([ctx.pick(s) for s in c.services], "sep.items")),
                ]
            )
        out.append(grid(rows, [ctx.width * w for w in (0.15, 0.15, 0.28, 0.42)]))
    else:
        out.append(ctx.body(ctx.w("no_needs")))
    rows = [[ctx.small(ctx.w("strengths")), ctx.small(ctx.w("strength.level"))]]
    rows += [
        [ctx.cell(ctx.pick(s.label)),
         ctx.cell(ctx.pick(s.rating_label) if s.rating_label else str(s.rating))]
        for s in assessment.strengths
    ]  # fmt: skip
    if len(rows) > 1:
        out.append(KeepTogether([grid(rows, [ctx.width * 0.35, ctx.width * 0.3])]))
    return [KeepTogether(out[:2]), *out[2:]]


def history(ctx: ReportContext, band_form: str) -> list[Flowable]:
    finals = [o for o in ctx.case.finals(band_form) if o.total is not None]
    if not finals:
        return []
    form = find_form(ctx.forms, band_form)
    bands = list(form.bands) if form else []
    ids = [b.id for b in bands]
    points = []
    results = [classification(o) for o in finals]
    for o, result in zip(finals, results, strict=True):
        band = result.band if result else None
        points.append(
            Point(
                o.on,
                o.total or 0,
                first_word(band.label, ctx.lang) if band else "?",
                band.color if band else "#9E9E9E",
                ids.index(band.id) + 1 if band and band.id in ids else len(ids) or 1,
            )
        )
    thresholds = [Threshold(b.min, b.word(ctx.lang)) for b in bands if b.min]
    top = max((r.high for r in results if r), default=0)
    out: list[Flowable] = [
        ctx.heading("history"),
        trend(points, thresholds, top, ctx.width, ctx.s.font),
    ]
    if len(points) == 1:
        out.append(ctx.small(ctx.w("history.none")))
    for o, point in zip(finals, points, strict=True):  # the version each was answered on
        on = o.on.isoformat() if o.on else "-"
        line = ctx.w("answered_on", on=on, form=o.form_id, version=o.form_version,
                     migrated=ctx.migrated(o), band=point.band_label, total=o.total)  # fmt: skip
        out.append(ctx.small(line))
    return [KeepTogether(out)]


def plan(ctx: ReportContext) -> list[Flowable]:
    """The latest plan: goals, its services as a table, and its progress notes."""
    if not ctx.case.plans:
        return []
    body = plan_body(ctx.case.plans[-1])
    form = find_form(ctx.forms, "plan")
    out: list[Flowable] = [ctx.heading("plan")]
    goals = [str(g) for g in body.get("goals", []) if g]
    if goals:
        out.append(ctx.body(ctx.labelled("plan.goals", "")))
        out += [ctx.body(f"{i}. {g}") for i, g in enumerate(goals, start=1)]
    services = [s for s in body.get("services", []) if isinstance(s, dict)]
    if services:
        rows: list[list[Any]] = [
            [ctx.small(ctx.w(k)) for k in
             ("plan.kind", "plan.what", "plan.needs", "plan.responsible", "plan.dates")]
        ]  # fmt: skip
        for s in services:
            needs = s["needs"] if isinstance(s.get("needs"), list) else []
            dates = " – ".join(str(s[k]) for k in ("start", "end") if s.get(k))
            rows.append(
                [
                    ctx.cell(
                        ctx.option(form, "/services/0/kind", s["kind"]) if s.get("kind") else "-"
                    ),
                    ctx.cell(s.get("description", "")),
                    ctx.cell(
                        ctx.join([ctx.option(form, "/services/0/needs", n) for n in needs]) or "-"
                    ),
                    ctx.cell(s.get("responsible", "")),
                    ctx.cell(dates or "-"),
                ]
            )
        out.append(grid(rows, [ctx.width * w for w in (0.11, 0.36, 0.2, 0.13, 0.2)]))
    notes = [n for n in body.get("progress", []) if isinstance(n, dict)]
    out.append(ctx.body(ctx.w("plan.progress")))
    if notes:
        rows = [[ctx.small(ctx.w(k)) for k in ("plan.when", "plan.by", "plan.note")]]
        rows += [
            [ctx.cell(str(n.get("at", ""))[:16].replace("T", " ")), ctx.cell(n.get("by", "")),
             ctx.cell(n.get("note", ""))]
            for n in notes
        ]  # fmt: skip
        out.append(grid(rows, [ctx.width * w for w in (0.2, 0.15, 0.65)]))
    else:
        out.append(ctx.small(ctx.w("plan.no_progress")))
    return [KeepTogether(out[:3]), *out[3:]]


def review(ctx: ReportContext, assessment: Observation | None) -> list[Flowable]:
    out: list[Flowable] = [ctx.heading("review")]
    steps = assessment.review if assessment else ()
    if not steps:
        return [*out, ctx.body(ctx.w("review.none"))]
    for step in steps:
        label = ctx.pick(STEP_LABELS.get(str(step.get("step")), {"zh-CN": str(step.get("step"))}))
        when = str(step.get("at", ""))[:16].replace("T", " ")
        comment = f"{ctx.w('sep.colon')}{step['comment']}" if step.get("comment") else ""
        out.append(ctx.body(f"{when}  {step.get('by', '')}  {label}{comment}"))
    return out


def signatures(ctx: ReportContext) -> list[Flowable]:
    line = "_" * 22
    rows = [
        [ctx.w("signature.assessor") + " " + line, ctx.w("signature.date") + " " + "_" * 12],
        [ctx.w("signature.reviewer") + " " + line, ctx.w("signature.date") + " " + "_" * 12],
    ]
    table = Table(
        [[ctx.body(c) for c in r] for r in rows], colWidths=[ctx.width * 0.6, ctx.width * 0.4]
    )
    table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 3 * mm)]))
    return [ctx.heading("signatures"), table]
