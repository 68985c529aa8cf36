"""The family: the genogram with its legend and notes, then the facts that matter for a
left-behind child (where each parent works and for how long, how often they are in touch,
who can act as guardian) and the household's income and benefits."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import KeepTogether, Spacer
from reportlab.platypus.flowables import Flowable

from engine.forms.form import Form
from engine.report.context import ReportContext, find_form
from engine.report.family_tree import Note
from engine.report.genogram import draw, genogram_layout, legend
from engine.report.layout import grid

FAMILY_FORM = "family"
FACTS = ("work_location", "months_away", "contact_frequency", "guardianship_capacity")


def note_text(ctx: ReportContext, note: Note) -> str:
    params = dict(note.params)
    if params.get("what") in ("father", "mother"):
        params["what"] = ctx.w(f"what.{params['what']}")
    return ctx.w(note.code, **params)


def family(ctx: ReportContext) -> list[Flowable]:
    title = ctx.heading("family")
    latest = ctx.case.latest(FAMILY_FORM)
    if latest is None or not latest.answers.get("members"):
        return [title, ctx.body(ctx.w("no_family"))]
    form = find_form(ctx.forms, FAMILY_FORM, latest.form_version)
    profile = ctx.case.profile
    _, layout = genogram_layout(
        latest.answers,
        child_name=str(profile.get("name", "?")),
        child_sex=profile.get("sex"),
        child_birth=profile.get("birth_date"),
        lang=ctx.lang,
        font=ctx.s.font,
        width=ctx.width,
        label_of=lambda pointer, value: ctx.option(form, pointer, value),
    )
    drawn: list[Flowable] = [
        title,
        draw(layout, ctx.s.font),
        legend(ctx.lang, ctx.s.font, ctx.width),
    ]
    drawn += [ctx.small("• " + note_text(ctx, n)) for n in layout.notes]
    return [KeepTogether(drawn), Spacer(1, 6), *facts(ctx, latest.answers, form)]


def facts(ctx: ReportContext, answers: dict[str, Any], form: Form | None) -> list[Flowable]:
    members = [m for m in answers.get("members", []) if isinstance(m, dict)]
    rows: list[list[Any]] = [
        [ctx.small(ctx.w(k)) for k in
         ("family.member", "family.work", "family.away", "family.contact", "family.capacity")]
    ]  # fmt: skip
    for m in members:
        if m.get("alive") is False or not any(m.get(k) not in (None, "", 0) for k in FACTS):
            continue
        who = ctx.option(form, "/members/0/relationship", m.get("relationship", "other"))
        if m.get("name"):
            who += f" {m['name']}"
        away = m.get("months_away")
        rows.append(
            [
                ctx.cell(who),
                ctx.cell(m.get("work_location") or "-"),
                ctx.cell(ctx.w("family.away.value", n=away) if away else "-"),
                ctx.cell(
                    ctx.option(form, "/members/0/contact_frequency", m["contact_frequency"])
                    if m.get("contact_frequency")
                    else ctx.w("family.not_recorded")
                ),
                ctx.cell(
                    ctx.option(form, "/members/0/guardianship_capacity", m["guardianship_capacity"])
                    if m.get("guardianship_capacity")
                    else "-"
                ),
            ]  # fmt: skip
        )
    out: list[Flowable] = [ctx.heading("family.facts")]
    if len(rows) > 1:
        out.append(grid(rows, [ctx.width * w for w in (0.26, 0.2, 0.14, 0.22, 0.18)]))
    for key, field in (("family.income", "income_sources"), ("family.benefits", "benefits")):
        values = answers.get(field)
        listed = (
            [ctx.option(form, "/" + field, v) for v in values] if isinstance(values, list) else []
        )
        text = ctx.join(listed) or ctx.w("none")
        out.append(ctx.body(ctx.labelled(key, text)))
    return [KeepTogether(out[:2]), *out[2:]] if len(out) > 2 else out
