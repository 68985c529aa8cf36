"""The genogram drawn from its layout (conventions in FORMS.md), and its legend.

Square male, circle female (diamond when not recorded), a cross through the deceased, the
child with a double outline, a dotted outline round the people who live with the child, a
line per couple (married solid, cohabiting dashed, separated /, divorced //, "?" where only
the children say the two are parents), and the child's ties (close: two lines, distant:
dotted, hostile: zigzag, abusive: red zigzag with an arrow to the child).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Shape, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from engine.report.family_tree import FamilyTree, family_tree
from engine.report.genogram_layout import place
from engine.report.genogram_model import LEADING, GenogramLayout
from engine.report.genogram_model import Line as Path
from engine.report.genogram_routes import add_ties
from engine.report.geometry import Box, Point, offset_polyline, resample
from engine.report.household_outline import add_household
from engine.report.layout import rect
from engine.report.words import word

INK = colors.black
ABUSE = colors.HexColor("#B71C1C")
OUTLINE = colors.HexColor("#3F6E8C")  # the household line: a blue grey, dark enough to copy
UNRECORDED = colors.HexColor("#666666")
SLASHES = {"separated": 1, "divorced": 2}


def genogram_layout(
    family: dict[str, Any],
    *,
    child_name: str,
    child_sex: str | None,
    child_birth: Any,
    lang: str,
    font: str,
    width: float,
    label_of: Callable[[str, Any], str],
) -> tuple[FamilyTree, GenogramLayout]:
    tree = family_tree(
        family,
        child_name=child_name,
        child_sex=child_sex,
        child_birth=child_birth,
        child_word=word("child.self", lang),
        label=label_of,
    )
    layout = place(tree, width, lambda text, size: stringWidth(text, font, size))
    add_ties(layout)
    add_household(layout)
    return tree, layout


def draw(layout: GenogramLayout, font: str) -> Drawing:
    d = Drawing(layout.width, layout.height)
    for line in layout.lines:
        if line.kind == "couple":
            _couple(d, line, font)
        elif line.kind == "descent":
            d.add(_poly(line.points, INK, 0.9))
    for line in layout.lines:
        if line.kind == "tie":
            tie_path(d, line.points, line.style)
    for p in layout.people.values():
        symbol(d, p.x, p.y, p.size, p.member.sex, p.member.alive, p.member.is_child)
        for k, text in enumerate(p.lines):
            y = p.label.y1 - (k + 1) * p.font_size * LEADING + 0.2 * p.font_size
            d.add(String(p.x, y, text, fontName=font, fontSize=p.font_size, textAnchor="middle"))
    for ring in layout.household:  # last, so that no line breaks the outline
        d.add(
            Polygon(
                [c for p in ring for c in p],
                strokeColor=OUTLINE,
                strokeWidth=1.1,
                strokeDashArray=[1.6, 2.2],
                fillColor=None,
            )
        )
    return d


def _poly(points: list[Point], color: colors.Color, width: float, dash: Any = None) -> PolyLine:
    # None is ReportLab's own default (a solid line); the stubs leave None out of the type.
    return PolyLine(
        [c for p in points for c in p],
        strokeColor=color,
        strokeWidth=width,
        strokeDashArray=dash,
    )


def _couple(d: Drawing, line: Path, font: str) -> None:
    unrecorded = line.style == "unrecorded"
    dash = [3, 2] if line.style == "cohabiting" else ([1.2, 1.8] if unrecorded else None)
    d.add(_poly(line.points, UNRECORDED if unrecorded else INK, 1.0, dash))
    if line.mark is None:
        return
    x, y = line.mark
    if unrecorded:
        d.add(String(x, y + 2, "?", fontName=font, fontSize=7, textAnchor="middle"))
    for k in range(SLASHES.get(line.style, 0)):
        dx = (k - (SLASHES[line.style] - 1) / 2) * 4
        d.add(Line(x + dx - 2.5, y - 4, x + dx + 2.5, y + 4, strokeColor=INK, strokeWidth=1.2))


def symbol(
    d: Drawing, x: float, y: float, size: float, sex: str | None, alive: bool, child: bool
) -> None:
    """Unfilled, so that a line through a symbol could never hide behind it."""
    h = size / 2
    style: dict[str, Any] = {"strokeColor": INK, "strokeWidth": 1.2, "fillColor": None}
    shapes: list[Shape]
    if sex == "male":
        shapes = [rect(x - h, y - h, size, size, **style)]
        if child:
            shapes.append(rect(x - h - 3, y - h - 3, size + 6, size + 6, **style))
    elif sex == "female":
        shapes = [Circle(x, y, h, **style)]
        if child:
            shapes.append(Circle(x, y, h + 3, **style))
    else:
        shapes = [Polygon([x, y - h, x + h, y, x, y + h, x - h, y], **style)]
        if child:
            g = h + 4
            shapes.append(Polygon([x, y - g, x + g, y, x, y + g, x - g, y], **style))
    for shape in shapes:
        d.add(shape)
    if not alive:
        d.add(Line(x - h, y - h, x + h, y + h, strokeColor=INK, strokeWidth=1.2))
        d.add(Line(x - h, y + h, x + h, y - h, strokeColor=INK, strokeWidth=1.2))


def _zigzag(points: list[Point], amplitude: float) -> list[Point]:
    path = resample(points, 3.0)
    out = [path[0]]
    for k in range(1, len(path) - 1):
        (ax, ay), (bx, by) = path[k - 1], path[k + 1]
        d = math.hypot(bx - ax, by - ay) or 1.0
        sign = 1 if k % 2 else -1
        out.append(
            (
                path[k][0] - (by - ay) / d * amplitude * sign,
                path[k][1] + (bx - ax) / d * amplitude * sign,
            )
        )
    out.append(path[-1])
    return out


def tie_path(d: Drawing, points: list[Point], tie: str) -> None:
    """A tie along a path that starts at the child: close, distant, hostile or abusive."""
    if tie == "close":
        for off in (-1.6, 1.6):
            d.add(_poly(offset_polyline(points, off), INK, 0.7))
    elif tie == "distant":
        d.add(_poly(points, INK, 0.8, [1, 3]))
    elif tie in ("hostile", "abusive"):
        color = ABUSE if tie == "abusive" else INK
        d.add(_poly(_zigzag(points, 2.6), color, 1.1))
        if tie == "abusive":  # the arrow points at the child, who suffers it
            (x2, y2), (x1, y1) = points[0], points[1]
            length = math.hypot(x2 - x1, y2 - y1) or 1.0
            ux, uy = (x2 - x1) / length, (y2 - y1) / length
            nx, ny = -uy, ux
            d.add(
                Polygon(
                    [x2, y2, x2 - ux * 7 + nx * 3.5, y2 - uy * 7 + ny * 3.5,
                     x2 - ux * 7 - nx * 3.5, y2 - uy * 7 - ny * 3.5],
                    fillColor=color,
                    strokeColor=color,
                )
            )  # fmt: skip


# --- the legend -----------------------------------------------------------------------------

LEGEND_KEYS = (
    "legend.male",
    "legend.female",
    "legend.unknown_sex",
    "legend.child",
    "legend.deceased",
    "legend.household",
    "legend.married",
    "legend.cohabiting",
    "legend.separated",
    "legend.divorced",
    "legend.unrecorded",
    "legend.close",
    "legend.distant",
    "legend.hostile",
    "legend.abusive",
)
LEGEND_FONT, LEGEND_ROW, SAMPLE = 7.5, 18.0, 26.0


@dataclass(frozen=True)
class LegendEntry:
    key: str
    x: float  # left of the sample
    y: float  # the middle of the row
    label: Box


def legend_entries(lang: str, font: str, width: float) -> tuple[list[LegendEntry], float]:
    """Where each legend entry goes (rows as wide as the page allows); and the height."""
    placed: list[tuple[str, float, int, float]] = []
    x, row = 0.0, 0
    for key in LEGEND_KEYS:
        text_width = stringWidth(word(key, lang), font, LEGEND_FONT)
        span = SAMPLE + 4 + text_width + 12
        if x > 0 and x + span - 12 > width:
            x, row = 0.0, row + 1
        placed.append((key, x, row, text_width))
        x += span
    height = (row + 1) * LEGEND_ROW + 4
    entries = []
    for key, left, r, text_width in placed:
        y = height - 2 - LEGEND_ROW * r - LEGEND_ROW / 2
        label = Box(
            left + SAMPLE + 4,
            y - LEGEND_FONT / 2,
            left + SAMPLE + 4 + text_width,
            y + LEGEND_FONT / 2,
        )
        entries.append(LegendEntry(key, left, y, label))
    return entries, height


def legend(lang: str, font: str, width: float) -> Drawing:
    entries, height = legend_entries(lang, font, width)
    d = Drawing(width, height)
    for e in entries:
        x, y = e.x + SAMPLE / 2, e.y
        kind = e.key.split(".", 1)[1]
        if kind in ("male", "female", "unknown_sex", "child", "deceased"):
            sex = {"female": "female", "unknown_sex": None}.get(kind, "male")
            symbol(d, x, y, 10, sex, kind != "deceased", kind == "child")
        elif kind == "household":
            d.add(rect(x - 8, y - 6, 16, 12, strokeDashArray=[1.6, 2.2], strokeColor=OUTLINE,
                       strokeWidth=1.1, fillColor=None))  # fmt: skip
        elif kind in ("married", "cohabiting", "separated", "divorced", "unrecorded"):
            _couple(d, Path("couple", kind, [(x - 11, y), (x + 11, y)], frozenset(), (x, y)), font)
        else:
            tie_path(d, [(x - 11, y), (x + 11, y)], kind)
        d.add(String(e.label.x0, y - LEGEND_FONT * 0.35, word(e.key, lang), fontName=font,
                     fontSize=LEGEND_FONT))  # fmt: skip
    return d
