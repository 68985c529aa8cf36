"""Why the child is in this band: domain scores, every answer that scored (with its points),
the red flags and the answers that raised them, answers given as unknown, the override.

All of it comes from the result stored at finalisation and the answers as saved, read with
the form version the assessment was filled with.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import KeepTogether, Spacer
from reportlab.platypus.flowables import Flowable

from engine.casework.casefile import Observation
from engine.forms.compiler import SchemaCompiler
from engine.forms.form import Form
from engine.forms.results import Classification
from engine.report.charts import Bar, domain_bars
from engine.report.context import ReportContext, find_form
from engine.report.layout import LIGHT, grid


def _holding_fields(schema: Any, answers: dict[str, Any], compiler: SchemaCompiler) -> list[str]:
    """The answered fields that make a red flag's condition hold (the branches that hold)."""
    if not isinstance(schema, dict):
        return []
    out: list[str] = []
    for key in ("anyOf", "oneOf"):
        for branch in schema.get(key, []):
            if compiler.predicate(branch)(answers):
                out += _holding_fields(branch, answers, compiler)
    for branch in schema.get("allOf", []):
        out += _holding_fields(branch, answers, compiler)
    properties = schema.get("properties")
    if isinstance(properties, dict):
        out += [name for name in properties if name in answers]
    return list(dict.fromkeys(out))


def raised_by(form: Form | None, flag_id: str, answers: dict[str, Any]) -> list[str]:
    if form is None:
        return []
    raw = next((r for r in form.document.get("x-red-flags", []) if r.get("id") == flag_id), None)
    if raw is None:
        return []
    compiler = form.derived.get("report.compiler")
    if not isinstance(compiler, SchemaCompiler):
        compiler = form.derived["report.compiler"] = SchemaCompiler(form.document)
    return _holding_fields(raw.get("when"), answers, compiler)


def why(
    ctx: ReportContext, a: Observation, form: Form | None, result: Classification
) -> list[Flowable]:
    out: list[Flowable] = [ctx.heading("why")]
    newest = find_form(ctx.forms, a.form_id)
    if newest is not None and newest.version != a.form_version:
        out.append(
            ctx.small(
                ctx.w("older_form", form=a.form_id, version=a.form_version, current=newest.version)
            )
        )
    out.append(
        ctx.body(
            f"{ctx.w('total')}{ctx.w('sep.colon')}{result.total}  ({result.low}–{result.high})"
        )
    )
    if result.domains:
        rows: list[list[Any]] = [[ctx.small(ctx.w(k)) for k in ("domain", "score", "range")]]
        rows += [
            [ctx.cell(ctx.pick(d.label)), str(d.score), f"{d.low}–{d.high}"] for d in result.domains
        ]
        table = grid(rows, [ctx.width * 0.22, ctx.width * 0.09, ctx.width * 0.12])
        bars = domain_bars(
            [Bar(ctx.pick(d.label), d.score, d.high) for d in result.domains],
            ctx.width * 0.55,
            ctx.s.font,
        )
        out.append(ctx.side_by_side(table, bars, 0.44))
    out += flags(ctx, a, form, result)
    if result.override is not None:
        o = result.override
        labels = {b.id: ctx.pick(b.label) for b in form.bands} if form else {}
        sentence = ctx.w(
            "override.text",
            by=o.by,
            from_band=labels.get(o.from_band, o.from_band),
            to_band=labels.get(o.to_band, o.to_band),
            reason=o.reason,
        )
        out.append(ctx.body(ctx.labelled("override", sentence)))
    out += items(ctx, form, result)
    if result.unknown:
        out.append(ctx.body(ctx.labelled("unknown", ctx.w("unknown.count", n=len(result.unknown)))))
    reasons: list[Flowable] = [ctx.small(ctx.w("reasons"))]
    reasons += [ctx.small("• " + line) for line in result.explain(ctx.lang)]
    out += [Spacer(1, 4), KeepTogether(reasons)]
    return out


def flags(
    ctx: ReportContext, a: Observation, form: Form | None, result: Classification
) -> list[Flowable]:
    """Each red flag that fired, with the answers that raised it."""
    if not result.red_flags:
        return [ctx.body(ctx.w("red_flags.none"))]
    rows: list[list[Any]] = [[ctx.small(ctx.w("red_flag")), ctx.small(ctx.w("raised_by"))]]
    for flag in result.red_flags:
        answers = []
        for name in raised_by(form, flag.id, a.answers):
            field = form.fields.get(name) if form else None
            label = ctx.pick(field.label) if field else name
            answers.append(
                f"{label}{ctx.w('sep.colon')}{ctx.option(form, '/' + name, a.answers[name])}"
            )
        rows.append(
            [ctx.cell(ctx.pick(flag.label)), ctx.cell(ctx.join(answers, "sep.items") or "-")]
        )
    return [ctx.heading("red_flags"), grid(rows, [ctx.width * 0.42, ctx.width * 0.58])]


def items(ctx: ReportContext, form: Form | None, result: Classification) -> list[Flowable]:
    """Per domain, the items that scored and those answered as unknown, where they fall."""
    per_domain: dict[str | None, list[list[Any]]] = {}
    for c in result.contributions:
        if c.points:
            if c.answer_label:
                answer = ctx.pick(c.answer_label)
            elif isinstance(c.answer, list):
                answer = ctx.join([ctx.option(form, "/" + c.field, v) for v in c.answer])
            else:
                answer = ctx.option(form, "/" + c.field, c.answer)
            per_domain.setdefault(c.domain, []).append(
                [ctx.cell(ctx.pick(c.label)), ctx.cell(answer), str(c.points)]
            )
    for u in result.unknown:
        field = form.fields.get(u.field) if form else None
        domain = field.score.domain if field and field.score else None
        per_domain.setdefault(domain, []).append(
            [ctx.cell(ctx.pick(u.label)), ctx.cell(ctx.w("unknown.answer")), "0"]
        )
    head = [ctx.small(ctx.w(k)) for k in ("domain", "item", "answer", "points")]
    if not per_domain:
        return [ctx.heading("items"), ctx.body(ctx.w("no_items"))]
    rows: list[list[Any]] = [head]
    spans: list[Any] = []
    named = [(d.id, f"{ctx.pick(d.label)} {d.score}/{d.high}") for d in result.domains]
    for domain, title in [*named, (None, ctx.w("other_items"))]:
        found = per_domain.pop(domain, [])
        if not found:
            continue
        first = len(rows)
        rows += [[ctx.cell(title) if k == 0 else "", *row] for k, row in enumerate(found)]
        spans += [
            ("SPAN", (0, first), (0, len(rows) - 1)),
            ("BACKGROUND", (0, first), (0, first), LIGHT),
        ]
    for found in per_domain.values():  # domains the form no longer names
        rows += [["", *row] for row in found]
    widths = [ctx.width * w for w in (0.2, 0.38, 0.34, 0.08)]
    return [
        ctx.heading("items"),
        grid(rows, widths, extra=[*spans, ("VALIGN", (0, 0), (0, -1), "TOP")]),
    ]
