"""The genogram follows the conventions: checked on the layout with plain geometry written
here (not the layout's own helpers), on random families, and on rendered pixels."""

from __future__ import annotations

import math
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from PIL import Image, ImageDraw, ImageFilter
from reportlab.graphics import renderPDF

from engine.forms.form import Form
from engine.forms.i18n import pick
from engine.forms.registry import FormRegistry
from engine.report.family_tree import CHILD, FamilyTree
from engine.report.fonts import report_font
from engine.report.genogram import OUTLINE, draw, genogram_layout, legend_entries
from engine.report.genogram_model import GenogramLayout, Line, Person
from engine.report.layout import content_width
from tests.engine.report.families import FIFTEEN, FIFTEEN_HOUSEHOLD, families

Point = tuple[float, float]


@cache
def family_form() -> Form:
    return FormRegistry.load().get("family")


def lay_out(
    family: dict[str, Any], lang: str = "zh-CN", sex: str = "male"
) -> tuple[FamilyTree, GenogramLayout]:
    form = family_form()

    def label(pointer: str, value: Any) -> str:
        text = form.option_label_at(pointer, value)
        return pick(text, lang) if text else str(value)

    return genogram_layout(
        family, child_name="王小明", child_sex=sex, child_birth="2014-05-01", lang=lang,
        font=report_font().name, width=content_width(), label_of=label,
    )  # fmt: skip


# --- plain geometry --------------------------------------------------------------------------


def samples(points: list[Point], step: float = 0.5) -> list[tuple[float, float, float, float]]:
    """Points along a polyline with the unit direction there."""
    out = []
    for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
        d = math.hypot(bx - ax, by - ay)
        if d == 0:
            continue
        n = max(1, int(d / step))
        out += [(ax + (bx - ax) * k / n, ay + (by - ay) * k / n, (bx - ax) / d, (by - ay) / d)
                for k in range(n + 1)]  # fmt: skip
    return out


def strictly_inside(p: Person, x: float, y: float, margin: float = 0.4) -> bool:
    """Inside the symbol as drawn: a circle for women, a square (or its diamond) else."""
    h = p.size / 2 + (4 if p.member.is_child else 0) - margin
    if p.member.sex == "female":
        return math.hypot(x - p.x, y - p.y) < h
    return abs(x - p.x) < h and abs(y - p.y) < h


def in_rings(x: float, y: float, rings: list[list[Point]]) -> bool:
    inside = False
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def distance(x: float, y: float, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = max(0.0, min(1.0, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy or 1)))
    return math.hypot(x - a[0] - t * dx, y - a[1] - t * dy)


def runs_along(line: Line, other: Line, skip: list[Person]) -> float:
    """The longest stretch (pt) of `line` lying within 2.5 pt of `other`, in its direction,
    away from the symbols at its ends (where lines meet anyway)."""
    longest = run = 0.0
    for x, y, ux, uy in samples(line.points, 1.0):
        if any(abs(x - p.x) < p.half + 9 and abs(y - p.y) < p.half + 9 for p in skip):
            run = 0.0
            continue
        close = False
        for a, b in zip(other.points, other.points[1:], strict=False):
            d = math.hypot(b[0] - a[0], b[1] - a[1])
            if d and distance(x, y, a, b) < 2.5:
                close = close or abs(ux * (b[0] - a[0]) / d + uy * (b[1] - a[1]) / d) > 0.94
        run = run + 1 if close else 0.0
        longest = max(longest, run)
    return longest


def hanging_point(layout: GenogramLayout, child: Person) -> Point:
    """Up from a child: its drop, the bar it hangs from, the trunk over that bar; the point
    where the trunk starts."""
    two = [line.points for line in layout.lines if line.kind == "descent" and len(line.points) == 2]
    drop = next(p for p in two if p[1] == (child.x, child.y + child.half))
    cx, bar_y = drop[0]
    bar = next(
        (p for p in two if p[0][1] == p[1][1] == bar_y
         and min(p[0][0], p[1][0]) - 0.01 <= cx <= max(p[0][0], p[1][0]) + 0.01),
        [(cx, bar_y), (cx, bar_y)],
    )  # fmt: skip
    lo, hi = sorted((bar[0][0], bar[1][0]))
    trunks = [
        p for p in two
        if p[0][0] == p[1][0] and p[1][1] == bar_y and p[0][1] > bar_y
        and lo - 0.01 <= p[0][0] <= hi + 0.01
    ]  # fmt: skip
    assert len(trunks) == 1, (child.key, trunks)
    return trunks[0][0]


# --- the rules ------------------------------------------------------------------------------


def check_rules(tree: FamilyTree, layout: GenogramLayout) -> None:
    people = list(layout.people.values())
    # No symbol overlaps another.
    for i, p in enumerate(people):
        for q in people[i + 1 :]:
            a, b = p.box, q.box
            assert a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0, (p.key, q.key)
    # No line passes through a symbol it does not connect, nor into those it connects;
    # family lines keep off the labels too.
    for line in layout.lines:
        xs, ys = [x for x, _ in line.points], [y for _, y in line.points]
        for p in people:
            box = p.box
            if box.x1 < min(xs) or box.x0 > max(xs) or box.y1 < min(ys) or box.y0 > max(ys):
                continue
            hits = [s for s in samples(line.points) if strictly_inside(p, s[0], s[1])]
            assert not hits, (line.kind, line.style, sorted(line.ends), p.key)
            if line.kind != "tie" and p.lines:
                lab = p.label
                assert not any(
                    lab.x0 + 0.5 < x < lab.x1 - 0.5 and lab.y0 + 0.5 < y < lab.y1 - 0.5
                    for x, y, _, _ in samples(line.points)
                ), (line.kind, sorted(line.ends), "label of", p.key)
    # The household outline holds exactly the people who live with the child.
    household = {p.key for p in people if p.member.household}
    if len(household) < 2:
        assert layout.household == []
    for p in people:
        b = p.box
        corners = [(b.x0, b.y0), (b.x0, b.y1), (b.x1, b.y0), (b.x1, b.y1), (p.x, p.y)]
        inside = [in_rings(x, y, layout.household) for x, y in corners]
        if p.key in household and len(household) > 1:
            assert all(inside), p.key
        else:
            assert not any(inside), p.key
    # Every couple its own line: one line per couple, no two sharing a stretch.
    couples = [line for line in layout.lines if line.kind == "couple"]
    assert sorted(sorted(c.ends) for c in couples) == sorted(
        sorted((c.a, c.b)) for c in tree.couples
    )
    flats = [(c, a, b) for c in couples for a, b in zip(c.points, c.points[1:], strict=False)
             if a[1] == b[1]]  # fmt: skip
    for i, (c, a, b) in enumerate(flats):
        for d, e, f in flats[i + 1 :]:
            if c is not d and abs(a[1] - e[1]) < 1:
                lo, hi = sorted((a[0], b[0]))
                lo2, hi2 = sorted((e[0], f[0]))
                assert min(hi, hi2) - max(lo, lo2) < 1, (sorted(c.ends), sorted(d.ends))
    for c in couples:
        if c.style in ("separated", "divorced"):
            assert c.mark is not None
            flat = [(a, b) for a, b in zip(c.points, c.points[1:], strict=False) if a[1] == b[1]]
            assert any(distance(*c.mark, a, b) < 0.01 for a, b in flat)
    # Children hang from their own parents' line; siblings in birth order.
    for s in tree.sibships:
        xs = []
        for key in s.children:
            child = layout.people[key]
            top = hanging_point(layout, child)
            if len(s.parents) == 2:
                own = next(c for c in couples if c.ends == frozenset(s.parents))
                on_line = own.points
            else:
                parent = layout.people[s.parents[0]]
                stub = next(
                    line for line in layout.lines
                    if line.kind == "descent" and line.points[-1] == top and len(line.points) == 3
                    and line.points[0][1] == parent.y - parent.half
                    and abs(line.points[0][0] - parent.x) < parent.size / 2
                )  # fmt: skip
                on_line = stub.points
            assert any(
                distance(*top, a, b) < 0.01 for a, b in zip(on_line, on_line[1:], strict=False)
            ), (key, s.parents)
            xs.append((child.member.born, child.x))
        known = [(born, x) for born, x in xs if born]
        assert [x for _, x in sorted(known)] == sorted(x for _, x in known), s.children
    # A tie per tied member; none runs along another line, so both stay visible.
    ties = [line for line in layout.lines if line.kind == "tie"]
    tied = {m.key for m in tree.members if m.tie and not m.is_child}
    assert sorted(k for t in ties for k in t.ends if k != CHILD) == sorted(tied)
    for t in ties:
        ends = [layout.people[k] for k in t.ends]
        for other in layout.lines:
            if other is not t:
                assert runs_along(t, other, ends) <= 8, (sorted(t.ends), other.kind, other.style)


@settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(families())
def test_random_families_follow_the_conventions(family: dict[str, Any]) -> None:
    tree, layout = lay_out(family)
    check_rules(tree, layout)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_fifteen_member_family_of_the_issue(lang: str) -> None:
    tree, layout = lay_out(FIFTEEN, lang)
    check_rules(tree, layout)
    assert {p.key for p in layout.people.values() if p.member.household} == {
        *FIFTEEN_HOUSEHOLD,
        CHILD,
    }
    statuses = sorted(line.style for line in layout.lines if line.kind == "couple")
    assert statuses == ["divorced", "married", "married", "married", "married"]
    parents = {m.key: (m.father, m.mother) for m in tree.members}
    assert parents["hb"] == ("f", "sm") and parents["hs"] == ("sf", "m")
    assert parents["sb"] == (None, "sm") and parents["s"] == ("f", "m")
    assert parents[CHILD] == ("f", "m") and parents["c"] == ("u", None)
    assert tree.notes == []


def test_a_version_1_family_presumes_full_siblings_and_says_so() -> None:
    members = [dict(m) for m in FIFTEEN["members"]]
    for m in members:
        m.pop("father", None)
        m.pop("mother", None)
    tree, layout = lay_out({"members": members, "couples": []})
    check_rules(tree, layout)
    parents = {m.key: (m.father, m.mother) for m in tree.members}
    assert parents["hb"] == parents["hs"] == parents["sb"] == ("f", "m")
    assert parents["f"] == ("pgf", "pgm") and parents["m"] == ("mgf", "mgm")
    assert [n.code for n in tree.notes] == ["note.presumed_siblings"]


def test_inconsistent_answers_are_left_out_and_named() -> None:
    family = {
        "members": [
            {"id": "f", "relationship": "father", "sex": "male", "alive": True, "father": 9},
            {"id": "s", "relationship": "sister", "sex": "female", "alive": True, "mother": 3},
            {"id": "b", "relationship": "brother", "sex": "male", "alive": True, "father": 2},
        ],
        "couples": [{"partner_a": 1, "partner_b": 1, "status": "married"},
                    {"partner_a": 1, "partner_b": 3, "status": "married"}],
    }  # fmt: skip
    tree, layout = lay_out(family)
    check_rules(tree, layout)
    codes = sorted(n.code for n in tree.notes)
    assert codes == [
        "note.couple_generation",
        "note.member_reference",
        "note.parent_generation",
        "note.parent_generation",
    ]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_legend_fits_and_nothing_in_it_overlaps(lang: str) -> None:
    entries, height = legend_entries(lang, report_font().name, content_width())
    boxes = [e.label for e in entries]
    for e in entries:
        assert e.label.y0 >= 0 and e.label.y1 <= height and e.label.x1 <= content_width()
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0


# --- on the page ----------------------------------------------------------------------------


def render(layout: GenogramLayout, tmp_path: Path, dpi: int = 100) -> Image.Image:
    pdf = tmp_path / "genogram.pdf"
    renderPDF.drawToFile(draw(layout, report_font().name), str(pdf))
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    return Image.open(tmp_path / "page.png").convert("RGB")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils)")
def demo_family() -> dict[str, Any]:
    """The first large family of the demo caseload (a divorce, a remarriage, half- and
    step-siblings)."""
    from datetime import date

    from engine.casework.demo_caseload import caseload

    planted = caseload(1, today=date(2026, 11, 23), forms=FormRegistry.load())[0]
    return next(d for d in planted.documents if d["form"]["id"] == "family")["answers"]


@pytest.mark.parametrize("which", ["fifteen", "demo"])
def test_on_the_page_the_outline_encloses_the_household_and_symbols_stay_clear(
    which: str, tmp_path: Path
) -> None:
    family = FIFTEEN if which == "fifteen" else demo_family()
    _, layout = lay_out(family)
    dpi = 100
    page = render(layout, tmp_path, dpi)
    scale = dpi / 72

    def pixel(x: float, y: float) -> tuple[int, int]:
        return round(x * scale), round((layout.height - y) * scale)

    r0, g0, b0 = (int(OUTLINE.red * 255), int(OUTLINE.green * 255), int(OUTLINE.blue * 255))
    rgb = page.tobytes()
    outline = bytes(
        255 if b - r > 30 and abs(r - r0) + abs(g - g0) + abs(b - b0) < 150 else 0
        for r, g, b in zip(rgb[0::3], rgb[1::3], rgb[2::3], strict=True)
    )
    mask = Image.frombytes("L", page.size, outline)
    walls = mask.filter(ImageFilter.MaxFilter(5))  # close the gaps of the dotted line
    ImageDraw.floodfill(walls, (0, 0), 128)
    household = {p.key for p in layout.people.values() if p.member.household}
    for p in layout.people.values():
        outside = walls.getpixel(pixel(p.x, p.y)) == 128
        assert outside == (p.key not in household or len(household) < 2), p.key
        if not p.member.alive:
            continue
        h = p.size / 2 - 2.5  # inside the outline: no line may show through
        x0, y0 = pixel(p.x - h, p.y + h)
        x1, y1 = pixel(p.x + h, p.y - h)
        dark = [
            (x, y)
            for x in range(x0, x1 + 1)
            for y in range(y0, y1 + 1)
            if (p.member.sex != "female" or math.hypot(x - (x0 + x1) / 2, y - (y0 + y1) / 2)
                < (x1 - x0) / 2)
            and sum(page.getpixel((x, y))) < 600
        ]  # fmt: skip
        assert not dark, (p.key, dark[:3])
