"""The lines a genogram draws around its people: the child's ties and the household outline.

Ties (close, distant, hostile, abusive) are gentle curves from the child to each member,
bent until they pass no symbol, cross as few labels as they can, and never run along another
line (a crossing is fine; two lines on top of each other would hide one). When no curve fits,
the tie goes round through the free channels over the rows and at the sides.

"""

from __future__ import annotations

import math
from collections.abc import Iterator

from engine.report.family_tree import CHILD
from engine.report.genogram_model import GenogramLayout, Line, Person
from engine.report.genogram_paths import Grid, pulled, rounded
from engine.report.geometry import Box, Point, bezier, length, segment_meets_box

BENDS = (0, 16, -16, 32, -32, 50, -50, 72, -72, 100, -100, 135, -135, 175, -175)
NEAR = 4.0  # closer than this to another line, in its direction, counts as running along it
RUN = 2.0  # how far (pt) a tie may run that close beside another line
PARALLEL = math.cos(math.radians(25))  # within 25° counts as running along, not crossing
PORT_GAP = 7.0  # between two ties where they leave the child


class _Index:
    """Sample points of the lines drawn so far, with the line's direction there, hashed by
    cell: a new line may cross them, but not run beside one in the same direction."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def add(self, points: list[Point]) -> None:
        for x, y, ux, uy in _directed(points, 2.5):
            self.cells.setdefault((int(x // NEAR), int(y // NEAR)), []).append((x, y, ux, uy))

    def along(self, x: float, y: float, ux: float, uy: float, near: float = NEAR) -> bool:
        cx, cy = int(x // NEAR), int(y // NEAR)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for qx, qy, vx, vy in self.cells.get((cx + dx, cy + dy), ()):
                    close = (qx - x) ** 2 + (qy - y) ** 2 < near * near
                    if close and abs(ux * vx + uy * vy) > PARALLEL:
                        return True
        return False


def _directed(points: list[Point], step: float) -> Iterator[tuple[float, float, float, float]]:
    """Points every `step` along a polyline, each with the unit direction of its segment."""
    for a, b in zip(points, points[1:], strict=False):
        d = math.dist(a, b)
        if d == 0:
            continue
        ux, uy = (b[0] - a[0]) / d, (b[1] - a[1]) / d
        n = max(1, math.ceil(d / step))
        for k in range(n):
            yield a[0] + ux * d * k / n, a[1] + uy * d * k / n, ux, uy


class _Obstacles:
    """Symbol boxes (hard) and label boxes (soft), hashed by 40 pt cells."""

    def __init__(self, people: list[Person]) -> None:
        self.cells: dict[tuple[int, int], list[tuple[Box, str, bool]]] = {}
        for p in people:
            self._add(p.box.grown(2), p.key, True)
            if p.lines:
                self._add(p.label.grown(1), p.key, False)

    def _add(self, box: Box, key: str, hard: bool) -> None:
        for cx in range(int(box.x0 // 40), int(box.x1 // 40) + 1):
            for cy in range(int(box.y0 // 40), int(box.y1 // 40) + 1):
                self.cells.setdefault((cx, cy), []).append((box, key, hard))

    def along(self, a: Point, b: Point) -> Iterator[tuple[Box, str, bool]]:
        seen: set[int] = set()
        for cx in range(int(min(a[0], b[0]) // 40), int(max(a[0], b[0]) // 40) + 1):
            for cy in range(int(min(a[1], b[1]) // 40), int(max(a[1], b[1]) // 40) + 1):
                for item in self.cells.get((cx, cy), ()):
                    if id(item) not in seen:
                        seen.add(id(item))
                        yield item


def port(p: Person, toward: Point, gap: float = 3.0) -> Point:
    """Where a line towards `toward` leaves p's symbol, `gap` outside its outline."""
    dx, dy = toward[0] - p.x, toward[1] - p.y
    d = math.hypot(dx, dy) or 1.0
    ux, uy = dx / d, dy / d
    h = p.half + gap
    t = h if p.member.sex == "female" else h / max(abs(ux), abs(uy), 1e-9)
    return (p.x + ux * t, p.y + uy * t)


def enters(p: Person, s: Point, t: Point, margin: float = 0.5) -> bool:
    """Whether the segment s–t enters p's drawn symbol (a circle for women, else its square)."""
    h = p.half - margin
    if p.member.sex != "female":
        return segment_meets_box(s, t, Box(p.x - h, p.y - h, p.x + h, p.y + h))
    dx, dy = t[0] - s[0], t[1] - s[1]
    k = ((p.x - s[0]) * dx + (p.y - s[1]) * dy) / (dx * dx + dy * dy or 1.0)
    k = max(0.0, min(1.0, k))
    return math.dist((s[0] + k * dx, s[1] + k * dy), (p.x, p.y)) < h


class _Router:
    def __init__(self, layout: GenogramLayout) -> None:
        self.layout = layout
        self.people = list(layout.people.values())
        self.obstacles = _Obstacles(self.people)
        self.index = _Index()
        for line in layout.lines:
            self.index.add(line.points)
        self.round_trips = 0
        self.grids: dict[bool, Grid] = {}
        self.routed: list[list[Point]] = []  # ties so far
        self.near = NEAR
        self.ports: list[Point] = []  # where ties already leave the child: one each
        self.port_gap = PORT_GAP

    def _grid(self, tight: bool = False) -> Grid:
        """The routing grid; `tight` marks only the cells lines run through (for the last
        tries, when a tie may pass closer beside a line)."""
        grid = self.grids.get(tight)
        if grid is None:
            grid = self.grids[tight] = Grid(
                self.layout.width, self.layout.height, 0 if tight else 1
            )
            for p in self.people:
                for c in grid.cells(p.box.grown(3)):
                    grid.wall[c] = 1
                if p.lines:
                    for c in grid.cells(p.label.grown(1)):
                        grid.label[c] = 1
            for line in [*(line.points for line in self.layout.lines), *self.routed]:
                grid.add_line(line)
        return grid

    def searched(
        self, a: Person, b: Person, strict: bool = True, hub: float = 9.0, tight: bool = False
    ) -> list[Point] | None:
        """A path found on the grid, pulled straight and rounded."""
        grid = self._grid(tight)

        def ring(p: Person, inner: float, outer: float) -> list[int]:
            box = p.box.grown(outer)
            return [
                c
                for c in grid.cells(box)
                if not grid.wall[c] and inner <= math.dist(grid.centre(c), (p.x, p.y)) - p.half
            ]

        starts = [
            c
            for c in ring(a, 5, 9)
            if all(math.dist(grid.centre(c), q) >= self.port_gap for q in self.ports)
        ]
        goals = set(ring(b, 4, 8))
        if not starts or not goals:
            return None
        free = set(grid.cells(a.box.grown(hub))) | set(grid.cells(b.box.grown(9)))
        cells = grid.find(starts, goals, strict, free)
        if cells is None:
            return None
        path = [grid.centre(c) for c in cells]  # starts and ends just outside the symbols
        straight = pulled(path, lambda s, t: self.check([s, t], a, b) == 0)
        for candidate in (rounded(straight), straight, rounded(path, 1)):
            if self.check(candidate, a, b) is not None:
                return candidate
        return path if not strict else None

    def check(self, points: list[Point], a: Person, b: Person) -> float | None:
        """Labels crossed (soft), or None when the path touches a symbol or runs along a line."""
        w, h = self.layout.width, self.layout.height
        crossed: set[str] = set()
        for s, t in zip(points, points[1:], strict=False):
            if not (1 <= t[0] <= w - 1 and 1 <= t[1] <= h - 1):
                return None
            for box, key, hard in self.obstacles.along(s, t):
                if hard and key in (a.key, b.key):
                    continue  # the ends: checked against their real shapes below
                if segment_meets_box(s, t, box):
                    if hard:
                        return None
                    crossed.add(key)
        if any(math.dist(points[0], q) < self.port_gap for q in self.ports):
            return None
        if any(enters(p, s, t) for p in (a, b) for s, t in zip(points, points[1:], strict=False)):
            return None
        run, last = 0.0, None
        hub_a, hub_b = a.box.grown(9), b.box.grown(6)  # where lines meet a symbol anyway
        for x, y, ux, uy in _directed(points, 1.5):
            step = math.dist(last, (x, y)) if last else 0.0
            last = (x, y)
            if hub_a.holds((x, y)) or hub_b.holds((x, y)):
                run = 0.0
            elif self.index.along(x, y, ux, uy, self.near):
                run += step
                if run > RUN:
                    return None
            else:
                run = 0.0
        return float(len(crossed))

    def curve(self, a: Person, b: Person) -> list[Point] | None:
        mx, my = (a.x + b.x) / 2, (a.y + b.y) / 2
        d = math.hypot(b.x - a.x, b.y - a.y) or 1.0
        nx, ny = -(b.y - a.y) / d, (b.x - a.x) / d
        best: tuple[float, list[Point]] | None = None
        for bend in BENDS:
            c = (mx + nx * bend, my + ny * bend)
            start, end = port(a, c, 6.0 if a.member.is_child else 3.0), port(b, c)
            points = bezier(start, c, end, max(6, int(d / 8)))
            crossed = self.check(points, a, b)
            if crossed is None:
                continue
            cost = length(points) + 60 * crossed
            if best is None or cost < best[0]:
                best = (cost, points)
            if crossed == 0:
                break
        return best[1] if best else None

    def round_trip(self, a: Person, b: Person, k: int) -> list[Point]:
        """Over a's row, out to a side channel, over b's row and down into b."""
        rows = self.layout.rows
        up_a = rows[a.row].zone + (k % 2) * 3.5
        up_b = rows[b.row].zone + (k % 2) * 3.5
        off = 5.0 + (k % 2) * 3
        start = (a.x + off, a.y + a.half + (3 if a.member.is_child else 2))
        end = (b.x + off, b.y + b.half + 2)
        if a.row == b.row:
            return [start, (start[0], up_a), (end[0], up_a), end]
        side = (
            4.0 + (k % 4) * 3
            if b.x < self.layout.width / 2
            else self.layout.width - 4 - (k % 4) * 3
        )
        return [start, (start[0], up_a), (side, up_a), (side, up_b), (end[0], up_b), end]

    def tie(self, member: Person, tie: str) -> tuple[Line, bool]:
        """The tie's line, and whether it keeps clear of every other line."""
        child = self.layout.people[CHILD]
        points = self.curve(child, member) or self.searched(child, member)
        trips = [self.round_trip(child, member, self.round_trips + k) for k in range(6)]
        if points is None:
            points = next((t for t in trips if self.check(t, child, member) is not None), None)
            self.round_trips += 1
        for hub in (18.0, 30.0):  # crowded round the child: leave it more freely
            points = points or self.searched(child, member, hub=hub)
        if points is None:  # every way out of the child taken: share one
            self.port_gap = 0.0
            points = self.searched(child, member, hub=30.0)
            self.near = 3.0  # and pass closer beside other lines
            points = points or self.searched(child, member, hub=30.0, tight=True)
            self.port_gap, self.near = PORT_GAP, NEAR
        clear = points is not None
        if points is None:  # nothing keeps clear of every line: the least overlap
            points = self.searched(child, member, strict=False) or trips[0]
        self.index.add(points)
        self.ports.append(points[0])
        self.routed.append(points)
        for grid in self.grids.values():
            grid.add_line(points)
        return Line("tie", tie, points, frozenset((CHILD, member.key))), clear


def add_ties(layout: GenogramLayout) -> None:
    """Every tie routed; when one cannot keep clear of the others, the drawing gets a wider
    free band at the bottom and all ties are routed again (a few times at most)."""
    structure = list(layout.lines)
    for attempt in range(4):
        router = _Router(layout)
        child = layout.people[CHILD]
        tied = [p for p in layout.people.values() if p.member.tie and not p.member.is_child]
        ties, clear = [], True
        # The farthest first: they need the free channels most; near ones always find a way.
        for p in sorted(tied, key=lambda p: -math.hypot(p.x - child.x, p.y - child.y)):
            line, fine = router.tie(p, p.member.tie or "")
            ties.append(line)
            clear = clear and fine
        if clear or attempt == 3:
            layout.lines = structure + ties
            return
        _raise(layout, 18.0)
        structure = list(layout.lines)


def _raise(layout: GenogramLayout, by: float) -> None:
    """Everything moved up by `by` points, the drawing as much taller."""
    layout.height += by
    for p in layout.people.values():
        p.y += by
        p.label = Box(p.label.x0, p.label.y0 + by, p.label.x1, p.label.y1 + by)
    for row in layout.rows:
        row.top += by
        row.zone += by
    for line in layout.lines:
        line.points = [(x, y + by) for x, y in line.points]
        if line.mark is not None:
            line.mark = (line.mark[0], line.mark[1] + by)
