"""A path finder for ties no simple curve can carry: A* over a grid of 4 pt cells.

Symbols are walls; labels cost extra; a cell a line already runs through may be crossed but
not followed in that line's direction, so a tie never hides another line. The path found is
pulled straight where it can be and its corners are rounded.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable

from engine.report.geometry import Box, Point

CELL = 4.0
# Eight moves; each move's orientation: 0 horizontal, 1 vertical, 2 rising, 3 falling.
MOVES = (
    (1, 0, 0),
    (-1, 0, 0),
    (0, 1, 1),
    (0, -1, 1),
    (1, 1, 2),
    (-1, -1, 2),
    (1, -1, 3),
    (-1, 1, 3),
)
LABEL_COST = 12.0
ALONG_COST = 60.0


def orientation(dx: float, dy: float) -> int:
    angle = math.degrees(math.atan2(dy, dx)) % 180
    if angle < 22.5 or angle >= 157.5:
        return 0
    if 67.5 <= angle < 112.5:
        return 1
    return 2 if angle < 67.5 else 3


class Grid:
    def __init__(self, width: float, height: float, spread: int = 1) -> None:
        self.spread = spread  # cells either side of a line that count as on it
        self.nx, self.ny = math.ceil(width / CELL), math.ceil(height / CELL)
        self.wall = bytearray(self.nx * self.ny)
        self.label = bytearray(self.nx * self.ny)
        self.lines = bytearray(self.nx * self.ny)  # bit o: a line of orientation o runs here

    def cells(self, box: Box) -> list[int]:
        x0, x1 = max(0, int(box.x0 // CELL)), min(self.nx - 1, int(box.x1 // CELL))
        y0, y1 = max(0, int(box.y0 // CELL)), min(self.ny - 1, int(box.y1 // CELL))
        return [y * self.nx + x for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]

    def cell_of(self, p: Point) -> int:
        x = min(self.nx - 1, max(0, int(p[0] // CELL)))
        y = min(self.ny - 1, max(0, int(p[1] // CELL)))
        return y * self.nx + x

    def centre(self, c: int) -> Point:
        return ((c % self.nx + 0.5) * CELL, (c // self.nx + 0.5) * CELL)

    def add_line(self, points: list[Point]) -> None:
        """Mark the cells a line runs through (and their neighbours) with its orientation."""
        for a, b in zip(points, points[1:], strict=False):
            d = math.dist(a, b)
            if d == 0:
                continue
            bit = 1 << orientation(b[0] - a[0], b[1] - a[1])
            for k in range(int(d // 2) + 1):
                t = k * 2 / d if d else 0
                c = self.cell_of((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t))
                near = (c, c - 1, c + 1, c - self.nx, c + self.nx) if self.spread else (c,)
                for n in near:
                    if 0 <= n < len(self.lines):
                        self.lines[n] |= bit

    def find(
        self,
        starts: list[int],
        goals: set[int],
        strict: bool = True,
        free: frozenset[int] | set[int] = frozenset(),
    ) -> list[int] | None:
        """The cheapest chain of cells from any start to any goal, or None. Strict: never
        along another line (except in the `free` cells, round the ends); else at a high cost."""
        nx, total = self.nx, self.nx * self.ny
        gx = [g % nx for g in goals]
        gy = [g // nx for g in goals]
        tx, ty = sum(gx) / len(gx), sum(gy) / len(gy)

        def guess(c: int) -> float:
            return 0.9 * math.hypot(c % nx - tx, c // nx - ty)

        best: dict[int, float] = {}
        came: dict[int, int] = {}
        queue: list[tuple[float, float, int]] = []
        for s in starts:
            best[s] = 0.0
            queue.append((guess(s), 0.0, s))
        heapq.heapify(queue)
        while queue:
            _, cost, c = heapq.heappop(queue)
            if cost > best.get(c, math.inf):
                continue
            if c in goals:
                path = [c]
                while path[-1] in came:
                    path.append(came[path[-1]])
                return path[::-1]
            x, y = c % nx, c // nx
            for dx, dy, o in MOVES:
                if not (0 <= x + dx < nx and 0 <= y + dy < self.ny):
                    continue
                n = c + dy * nx + dx
                if n < 0 or n >= total or self.wall[n]:
                    continue
                step = 1.4142 if dx and dy else 1.0
                if self.label[n]:
                    step += LABEL_COST
                if self.lines[n] & (1 << o) and n not in free:
                    if strict:
                        continue
                    step += ALONG_COST
                new = cost + step
                if new < best.get(n, math.inf):
                    best[n] = new
                    came[n] = c
                    heapq.heappush(queue, (new + guess(n), new, n))
        return None


def pulled(path: list[Point], fits: Callable[[Point, Point], bool]) -> list[Point]:
    """The path with every corner dropped that a straight segment can skip."""
    out = [path[0]]
    i = 0
    while i < len(path) - 1:
        j = len(path) - 1
        while j > i + 1 and not fits(path[i], path[j]):
            j -= 1
        out.append(path[j])
        i = j
    return out


def rounded(points: list[Point], passes: int = 2) -> list[Point]:
    """Chaikin's corner cutting: the ends stay, the corners become curves."""
    for _ in range(passes):
        if len(points) < 3:
            return points
        out = [points[0]]
        last = len(points) - 2
        for i, (a, b) in enumerate(zip(points, points[1:], strict=False)):
            if i > 0:
                out.append((0.75 * a[0] + 0.25 * b[0], 0.75 * a[1] + 0.25 * b[1]))
            if i < last:
                out.append((0.25 * a[0] + 0.75 * b[0], 0.25 * a[1] + 0.75 * b[1]))
        out.append(points[-1])
        points = out
    return points
