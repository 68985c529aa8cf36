"""The supervisor's roster: every child with band, categories, last assessment and next due
date (overdue marked), sorted by band then due date, with the count per band as a chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from engine.casework.casefile import CaseFile
from engine.casework.early_warning import early_warnings
from engine.casework.rules import CaseworkRules
from engine.casework.schedule import CLOSED, band_of, next_due
from engine.forms.form import Form
from engine.forms.i18n import pick
from engine.forms.registry import FormRegistry, UnknownForm
from engine.report.band_block import ink_on
from engine.report.charts import Bar, domain_bars
from engine.report.layout import build, content_width, grid, para, styles
from engine.report.words import joined, word

OVERDUE = colors.HexColor("#E0E0E0")  # grey survives the photocopier
CLOSED_INK = colors.HexColor("#757575")


@dataclass(frozen=True, slots=True)
class RosterLine:
    name: str
    band: str | None
    categories: list[str]
    last: date | None
    due: date | None
    overdue: int
    warned: bool
    closed: bool = False


def roster_lines(
    cases: list[CaseFile], rules: CaseworkRules, band_ids: list[str], today: date
) -> list[RosterLine]:
    lines = []
    for case in cases:
        latest = case.latest(rules.band_form)
        item = next_due(case, rules, today)
        lines.append(
            RosterLine(
                case.name,
                band_of(case, rules),
                [str(c) for c in case.profile.get("categories", [])],
                latest.on if latest else None,
                item.due if item else None,
                item.overdue_days(today) if item else 0,
                bool(early_warnings(case, rules)),
                case.state == CLOSED,
            )
        )
    order = {band: i for i, band in enumerate(band_ids)}
    return sorted(
        lines, key=lambda r: (order.get(r.band or "", len(order)), r.due or date.max, r.name)
    )


def roster(
    out: Any,
    cases: list[CaseFile],
    forms: FormRegistry,
    rules: CaseworkRules,
    *,
    today: date,
    generated_at: datetime,
    district: str | None = None,
    lang: str = "zh-CN",
    password: str | None = None,
) -> int:
    """Write the roster as a PDF; returns the number of pages (encrypted with a password)."""
    s = styles(lang)
    width = content_width()
    try:
        band_form: Form | None = forms.get(rules.band_form)
    except UnknownForm:
        band_form = None
    bands = {b.id: b for b in band_form.bands} if band_form else {}
    try:
        profile: Form | None = forms.get("child-profile")
    except UnknownForm:
        profile = None
    lines = roster_lines(cases, rules, list(bands), today)

    def band_word(band: str | None) -> str:
        if band in bands:
            return bands[band].word(lang)
        return band or word("roster.no_band", lang)

    def marker(band: str | None) -> str:
        """The band block's marker (■■■■ top band … ■□□□ lowest): a shape beside the colour."""
        if band not in bands:
            return ""
        level, levels = list(bands).index(band) + 1, len(bands)
        return "■" * (levels - level + 1) + "□" * (level - 1) + " "

    def category(c: str) -> str:
        label = profile.option_label_at("/categories", c) if profile else None
        return pick(label, lang) if label else c

    title = word("roster.title", lang)
    story: list[Any] = [
        para(title, s.title),
        para(word("roster.district", lang, district=district or word("roster.all", lang)), s.body),
        para(
            f"{word('generated', lang)}: {generated_at:%Y-%m-%d %H:%M} · "
            f"{word('roster.total', lang, n=len(lines))}",
            s.body,
        ),  # fmt: skip
        para(word("roster.counts", lang), s.heading),
    ]
    counts = [
        Bar(
            marker(b) + band_word(b),
            sum(1 for r in lines if r.band == b),
            len(lines) or 1,
            bands[b].color,
        )
        for b in bands
    ]
    unassessed = sum(1 for r in lines if r.band not in bands)
    if unassessed:
        counts.append(Bar(word("roster.no_band", lang), unassessed, len(lines) or 1))
    story += [
        domain_bars(counts, width * 0.7, s.font),
        Spacer(1, 3 * mm),
        para(word("roster.legend", lang), s.small),
        Spacer(1, 2 * mm),
    ]
    header = [
        "#",
        "roster.name",
        "roster.band",
        "categories",
        "roster.last",
        "roster.next",
        "roster.warning",
    ]
    rows: list[list[Any]] = [[para(word(h, lang) if h != "#" else h, s.small) for h in header]]
    extra: list[Any] = []
    for i, line in enumerate(lines, start=1):
        due = line.due.isoformat() if line.due else "-"
        if line.overdue:
            due += "  " + word("roster.overdue", lang, n=line.overdue)
        rows.append(
            [
                str(i),
                para(
                    word("roster.closed", lang, name=line.name) if line.closed else line.name,
                    s.cell,
                ),
                para(marker(line.band) + band_word(line.band), s.cell),
                para(joined([category(c) for c in line.categories], lang), s.cell),
                line.last.isoformat() if line.last else "-",
                para(("! " if line.overdue else "") + due, s.cell),
                "▲" if line.warned else "",
            ]
        )
        if line.overdue:
            extra.append(("BACKGROUND", (5, i), (5, i), OVERDUE))
        if line.band in bands:
            color = colors.HexColor(bands[line.band].color)
            rows[-1][2] = para(
                marker(line.band) + band_word(line.band),
                ParagraphStyle("band", parent=s.cell, textColor=ink_on(color)),
            )
            extra.append(("BACKGROUND", (2, i), (2, i), color))
        if line.closed:
            extra.append(("TEXTCOLOR", (0, i), (-1, i), CLOSED_INK))
    widths = [0.05, 0.14, 0.14, 0.25, 0.12, 0.21, 0.09]
    extra += [
        ("FONTNAME", (0, 0), (-1, -1), s.font),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    story.append(grid(rows, [width * w for w in widths], extra=extra))
    return build(out, story, lang=lang, title=title, password=password)
