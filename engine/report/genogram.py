"""A genogram drawn from the family-structure answers (conventions in FORMS.md).

Square male, circle female (diamond when not recorded), a cross through the deceased, the
child with a double outline, a dotted line around everyone who lives with the child, line
styles for couples (married, cohabiting, separated, divorced) and for the child's ties
(close, distant, hostile, abusive).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Shape, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from engine.report.layout import Outline, rect
from engine.report.words import word

GENERATIONS: tuple[tuple[str, ...], ...] = (
    (
        "paternal_grandfather",
        "paternal_grandmother",
        "maternal_grandfather",
        "maternal_grandmother",
    ),
    ("uncle", "stepmother", "father", "mother", "stepfather", "aunt", "other"),
    ("brother", "sister"),
)
PARENTS = {
    "father": ("paternal_grandfather", "paternal_grandmother"),
    "mother": ("maternal_grandfather", "maternal_grandmother"),
}
CHILD_ID = "\0child"
SIZE, ROW_GAP, SLOT = 22.0, 92.0, 66.0
INK = colors.black
ABUSE = colors.HexColor("#B71C1C")
HEALTH = frozenset({"disabled", "ill"})


@dataclass
class Person:
    id: str
    relationship: str
    sex: str | None
    alive: bool
    lives_with_child: bool
    lines: list[str]
    x: float = 0.0
    y: float = 0.0


def _people(
    family: dict[str, Any],
    child_name: str,
    child_sex: str | None,
    lang: str,
    label_of: Callable[[str, str, Any], str],
) -> list[Person]:
    people = [Person(CHILD_ID, "child", child_sex, True, True, [child_name, word("child", lang)])]
    for i, member in enumerate(m for m in family.get("members", []) if isinstance(m, dict)):
        relationship = str(member.get("relationship", "other"))
        lines = [label_of("/members/0/relationship", "relationship", relationship)]
        detail = " ".join(str(member[k]) for k in ("name", "birth_year") if member.get(k))
        if detail:
            lines.append(detail)
        notes = (
            [label_of("/members/0/health", "health", member["health"])]
            if member.get("health") in HEALTH
            else []
        )
        notes += [
            label_of("/members/0/special_status", "special_status", s)
            for s in member.get("special_status", [])
        ]
        if notes:
            lines.append(" ".join(notes))
        people.append(
            Person(
                str(member.get("id") or f"m{i}"),
                relationship,
                member.get("sex"),
                member.get("alive") is not False,
                bool(member.get("lives_with_child")),
                lines,
            )
        )
    return people


def _place(people: list[Person], width: float) -> float:
    """Positions by generation; returns the height used."""
    rows: list[list[Person]] = [[], [], []]
    for p in people:
        if p.id == CHILD_ID:
            continue
        generation = next((i for i, g in enumerate(GENERATIONS) if p.relationship in g), 1)
        rows[generation].append(p)
    for i, row in enumerate(rows):
        row.sort(
            key=lambda p: (
                GENERATIONS[i].index(p.relationship) if p.relationship in GENERATIONS[i] else 99
            )
        )
    child = next(p for p in people if p.id == CHILD_ID)
    rows[2].insert(len(rows[2]) // 2, child)
    rows = [r for r in rows if r]
    height = ROW_GAP * len(rows) + 10
    for r, row in enumerate(rows):
        slot = min(SLOT, width / max(1, len(row)))
        start = (width - slot * len(row)) / 2 + slot / 2
        for k, p in enumerate(row):
            p.x, p.y = start + k * slot, height - 20 - r * ROW_GAP - SIZE / 2
    return height


def _symbol(d: Drawing, p: Person, size: float = SIZE) -> None:
    h = size / 2
    style: Outline = {"strokeColor": INK, "strokeWidth": 1.2, "fillColor": colors.white}
    shapes: list[Shape]
    if p.sex == "male":
        shapes = [rect(p.x - h, p.y - h, size, size, **style)]
        if p.id == CHILD_ID:
            shapes.append(
                rect(
                    p.x - h - 3,
                    p.y - h - 3,
                    size + 6,
                    size + 6,
                    strokeColor=INK,
                    strokeWidth=1.2,
                    fillColor=None,
                )
            )
    elif p.sex == "female":
        shapes = [Circle(p.x, p.y, h, **style)]
        if p.id == CHILD_ID:
            shapes.append(Circle(p.x, p.y, h + 3, strokeColor=INK, strokeWidth=1.2, fillColor=None))
    else:
        shapes = [Polygon([p.x, p.y - h, p.x + h, p.y, p.x, p.y + h, p.x - h, p.y], **style)]
        if p.id == CHILD_ID:
            g = h + 4
            shapes.append(
                Polygon(
                    [p.x, p.y - g, p.x + g, p.y, p.x, p.y + g, p.x - g, p.y],
                    strokeColor=INK,
                    strokeWidth=1.2,
                    fillColor=None,
                )
            )
    for shape in shapes:
        d.add(shape)
    if not p.alive:
        d.add(Line(p.x - h, p.y - h, p.x + h, p.y + h, strokeColor=INK, strokeWidth=1.2))
        d.add(Line(p.x - h, p.y + h, p.x + h, p.y - h, strokeColor=INK, strokeWidth=1.2))


def _couple(d: Drawing, a: Person, b: Person, status: str) -> float:
    """A U-shaped line under the partners; returns the x of its middle (for descent lines)."""
    drop = a.y - SIZE / 2 - 8
    # None is ReportLab's own default (a solid line); the stubs leave None out of the type.
    dash = [3, 2] if status == "cohabiting" else None
    for p in (a, b):
        d.add(
            Line(
                p.x,
                p.y - SIZE / 2,
                p.x,
                drop,
                strokeColor=INK,
                strokeWidth=1,
                strokeDashArray=dash,  # type: ignore[arg-type]
            )
        )
    d.add(Line(a.x, drop, b.x, drop, strokeColor=INK, strokeWidth=1, strokeDashArray=dash))  # type: ignore[arg-type]
    middle = (a.x + b.x) / 2
    slashes = {"separated": 1, "divorced": 2}.get(status, 0)
    for k in range(slashes):
        x = middle - 6 + 8 * k + (4 if slashes == 1 else 0)
        d.add(Line(x - 3, drop - 5, x + 3, drop + 5, strokeColor=INK, strokeWidth=1.2))
    return middle


def _descent(d: Drawing, x: float, y: float, children: list[Person]) -> None:
    if not children:
        return
    bar = max(c.y for c in children) + SIZE / 2 + 30
    d.add(Line(x, y, x, bar, strokeColor=INK, strokeWidth=0.9))
    xs = [c.x for c in children] + [x]
    d.add(Line(min(xs), bar, max(xs), bar, strokeColor=INK, strokeWidth=0.9))
    for c in children:
        d.add(Line(c.x, bar, c.x, c.y + SIZE / 2 + 3, strokeColor=INK, strokeWidth=0.9))


def tie_line(d: Drawing, x1: float, y1: float, x2: float, y2: float, tie: str) -> None:
    """close: two parallel lines; distant: dotted; hostile: zigzag; abusive: red zigzag + arrow."""
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    nx, ny = -uy, ux
    if tie == "close":
        for off in (-1.6, 1.6):
            d.add(
                Line(
                    x1 + nx * off,
                    y1 + ny * off,
                    x2 + nx * off,
                    y2 + ny * off,
                    strokeColor=INK,
                    strokeWidth=0.7,
                )
            )
    elif tie == "distant":
        d.add(Line(x1, y1, x2, y2, strokeColor=INK, strokeWidth=0.8, strokeDashArray=[1, 3]))
    elif tie in ("hostile", "abusive"):
        color = ABUSE if tie == "abusive" else INK
        steps = max(2, int(length // 6))
        points = []
        for k in range(steps + 1):
            t = k / steps
            off = 0 if k in (0, steps) else (3 if k % 2 else -3)
            points += [x1 + (x2 - x1) * t + nx * off, y1 + (y2 - y1) * t + ny * off]
        for k in range(0, len(points) - 2, 2):
            d.add(
                Line(
                    points[k],
                    points[k + 1],
                    points[k + 2],
                    points[k + 3],
                    strokeColor=color,
                    strokeWidth=1.1,
                )
            )
        if tie == "abusive":
            d.add(
                Polygon(
                    [
                        x2,
                        y2,
                        x2 - ux * 7 + nx * 3.5,
                        y2 - uy * 7 + ny * 3.5,
                        x2 - ux * 7 - nx * 3.5,
                        y2 - uy * 7 - ny * 3.5,
                    ],
                    fillColor=color,
                    strokeColor=color,
                )
            )


def genogram(
    family: dict[str, Any],
    *,
    child_name: str,
    child_sex: str | None,
    lang: str,
    font: str,
    width: float,
    label_of: Callable[[str, str, Any], str],
) -> Drawing:
    people = _people(family, child_name, child_sex, lang, label_of)
    height = _place(people, width)
    d = Drawing(width, height)
    by_id = {p.id: p for p in people}
    child = by_id[CHILD_ID]
    household = [p for p in people if p.lives_with_child]
    if len(household) > 1:
        xs, ys = [p.x for p in household], [p.y for p in household]
        left, bottom = min(xs) - SLOT / 2 + 2, min(ys) - SIZE / 2 - 40
        box_w, box_h = max(xs) - min(xs) + SLOT - 4, max(ys) - min(ys) + SIZE + 48
        d.add(
            rect(left, bottom, box_w, box_h, rx=8, ry=8, strokeColor=colors.HexColor("#555555"),
                 strokeWidth=0.9, strokeDashArray=[1.5, 2.5], fillColor=None)
        )  # fmt: skip
    middles: dict[str, tuple[float, float]] = {}
    for couple in family.get("couples", []):
        if not isinstance(couple, dict):
            continue
        a, b = by_id.get(str(couple.get("partner_a"))), by_id.get(str(couple.get("partner_b")))
        if a is None or b is None or a is b:
            continue
        a, b = sorted((a, b), key=lambda p: p.x)
        middle = _couple(d, a, b, str(couple.get("status", "married")))
        middles[f"{a.id}+{b.id}"] = middles[f"{b.id}+{a.id}"] = (middle, a.y - SIZE / 2 - 8)
    parents = {p.relationship: p for p in people if p.relationship in ("father", "mother")}
    children = [p for p in people if p.relationship in ("brother", "sister") or p.id == CHILD_ID]
    if (
        "father" in parents
        and "mother" in parents
        and f"{parents['father'].id}+{parents['mother'].id}" in middles
    ):
        x, y = middles[f"{parents['father'].id}+{parents['mother'].id}"]
        _descent(d, x, y, children)
    elif parents:
        only = next(iter(parents.values()))
        _descent(d, only.x, only.y - SIZE / 2, children)
    for relationship, (ga, gb) in PARENTS.items():
        target = parents.get(relationship)
        grand = [p for p in people if p.relationship in (ga, gb)]
        if target is None or not grand:
            continue
        if len(grand) == 2 and f"{grand[0].id}+{grand[1].id}" in middles:
            x, y = middles[f"{grand[0].id}+{grand[1].id}"]
        else:
            x, y = grand[0].x, grand[0].y - SIZE / 2
        _descent(d, x, y, [target])
    for p in people:
        tie = next(
            (
                m.get("tie_to_child")
                for m in family.get("members", [])
                if isinstance(m, dict) and str(m.get("id")) == p.id
            ),
            None,
        )
        if p.id != CHILD_ID and tie in ("close", "distant", "hostile", "abusive"):
            length = math.hypot(child.x - p.x, child.y - p.y) or 1
            ux, uy = (child.x - p.x) / length, (child.y - p.y) / length
            r = SIZE / 2 + 4
            tie_line(
                d, p.x + ux * r, p.y + uy * r, child.x - ux * (r + 2), child.y - uy * (r + 2), tie
            )
    for p in people:
        _symbol(d, p)
        for k, line in enumerate(p.lines):
            y = p.y - SIZE / 2 - 18 - 8 * k
            half = stringWidth(line, font, 6.5) / 2 + 1
            d.add(rect(p.x - half, y - 2, 2 * half, 8, fillColor=colors.white, strokeColor=None))
            d.add(String(p.x, y, line, fontName=font, fontSize=6.5, textAnchor="middle"))
    return d


def legend(lang: str, font: str, width: float) -> Drawing:
    d = Drawing(width, 46)
    x, y = 8.0, 32.0
    entries: list[tuple[str, Callable[[float, float], None]]] = [
        (
            "legend.male",
            lambda x, y: _symbol(d, Person("m", "", "male", True, False, [], x, y), 10),
        ),
        (
            "legend.female",
            lambda x, y: _symbol(d, Person("f", "", "female", True, False, [], x, y), 10),
        ),
        (
            "legend.child",
            lambda x, y: _symbol(d, Person(CHILD_ID, "", "male", True, False, [], x, y), 10),
        ),
        (
            "legend.deceased",
            lambda x, y: _symbol(d, Person("d", "", "male", False, False, [], x, y), 10),
        ),
        (
            "legend.household",
            lambda x, y: d.add(
                rect(
                    x - 7, y - 6, 14, 12, strokeDashArray=[1.5, 2], strokeColor=INK, fillColor=None
                )
            ),
        ),
    ]
    for status in ("married", "cohabiting", "separated", "divorced"):
        entries.append((f"legend.{status}", _couple_sample(d, status)))
    for tie in ("close", "distant", "hostile", "abusive"):
        entries.append((f"legend.{tie}", _tie_sample(d, tie)))
    for key, draw in entries:
        label = word(key, lang)
        span = 30 + len(label) * (9 if lang == "zh-CN" else 4.4)
        if x + span > width:
            x, y = 8.0, y - 22
        draw(x + 6, y)
        d.add(String(x + 20, y - 3, label, fontName=font, fontSize=7.5))
        x += span
    return d


def _couple_sample(d: Drawing, status: str) -> Callable[[float, float], None]:
    return lambda x, y: _legend_couple(d, x, y, status)


def _tie_sample(d: Drawing, tie: str) -> Callable[[float, float], None]:
    return lambda x, y: tie_line(d, x - 9, y, x + 9, y, tie)


def _legend_couple(d: Drawing, x: float, y: float, status: str) -> None:
    dash = [3, 2] if status == "cohabiting" else None  # None: solid, as in _couple
    d.add(Line(x - 10, y, x + 10, y, strokeColor=INK, strokeWidth=1, strokeDashArray=dash))  # type: ignore[arg-type]
    for k in range({"separated": 1, "divorced": 2}.get(status, 0)):
        d.add(Line(x - 3 + 5 * k, y - 4, x + 1 + 5 * k, y + 4, strokeColor=INK, strokeWidth=1))
