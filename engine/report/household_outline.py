"""The household outline: a dotted line round exactly the people who live with the child,
following them as genogram conventions do.

A region of small cells round each of them (symbol and label), joined by corridors that keep
clear of everyone else (fewest turns first), closed so that neighbours share one outline, and
traced as rings; a ring inside another is a hole, so nobody else is ever inside.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator

from engine.report.genogram_model import GenogramLayout, Person
from engine.report.geometry import Box

CELL = 6.0


def add_household(layout: GenogramLayout) -> None:
    inside = [p for p in layout.people.values() if p.member.household]
    if len(inside) < 2:
        return
    nx, ny = math.ceil(layout.width / CELL), math.ceil(layout.height / CELL)
    blocked = bytearray(nx * ny)
    soft = bytearray(nx * ny)
    region = bytearray(nx * ny)

    def cells(box: Box, centres: bool) -> Iterator[int]:
        """Cells meeting the box, or (centres) whose centres lie in it."""
        if centres:
            x0, x1 = math.ceil(box.x0 / CELL - 0.5), math.floor(box.x1 / CELL - 0.5)
            y0, y1 = math.ceil(box.y0 / CELL - 0.5), math.floor(box.y1 / CELL - 0.5)
        else:
            x0, x1 = math.floor(box.x0 / CELL), math.ceil(box.x1 / CELL) - 1
            y0, y1 = math.floor(box.y0 / CELL), math.ceil(box.y1 / CELL) - 1
        for cx in range(max(0, x0), min(nx - 1, x1) + 1):
            for cy in range(max(0, y0), min(ny - 1, y1) + 1):
                yield cy * nx + cx

    for p in layout.people.values():
        if not p.member.household:
            for c in cells(p.box.grown(3), False):
                blocked[c] = 1
            if p.lines:
                for c in cells(p.label.grown(1), False):
                    soft[c] = 1
    for p in inside:
        around = p.box.grown(5)
        if p.lines:
            around = Box(
                min(around.x0, p.label.x0 - 1),
                min(around.y0, p.label.y0 - 1),
                max(around.x1, p.label.x1 + 1),
                around.y1,
            )
        for c in cells(around, False):
            if not blocked[c]:
                region[c] = 1
    _join(region, blocked, soft, nx, ny, [cy * nx + cx for cx, cy in (_cell(p) for p in inside)])
    _close(region, blocked, soft, nx, ny, 3)
    layout.household = [[(x * CELL, y * CELL) for x, y in ring] for ring in _trace(region, nx, ny)]


_BITS = bytes([48, 49] + [48] * 254)  # cell values 0 and 1 as the digits "0" and "1"


def _close(
    region: bytearray, blocked: bytearray, soft: bytearray, nx: int, ny: int, r: int
) -> None:
    """Morphological closing (grow by r cells, then shrink by r), never into anyone else's
    cells: gaps between neighbours who both live with the child are filled, so the outline
    follows the group instead of each person. Rows are bit masks, so this is quick."""

    def masks(cells: bytearray) -> list[int]:
        return [
            int(bytes(reversed(cells[y * nx : (y + 1) * nx])).translate(_BITS) or b"0", 2)
            for y in range(ny)
        ]

    full = (1 << nx) - 1
    keep_out = [b | s for b, s in zip(masks(blocked), masks(soft), strict=True)]
    rows = masks(region)

    def spread(rows: list[int], grow: bool) -> list[int]:
        out = []
        for m in rows:
            acc = m
            for k in range(1, r + 1):
                acc = (acc | (m << k) | (m >> k)) if grow else (acc & (m << k) & (m >> k))
            out.append(acc & full)
        result = []
        for y in range(ny):
            acc = out[y]
            for k in range(1, r + 1):
                above = out[y + k] if y + k < ny else 0
                below = out[y - k] if y - k >= 0 else 0
                acc = (acc | above | below) if grow else (acc & above & below)
            result.append(acc)
        return result

    grown = [m & ~k for m, k in zip(spread(rows, True), keep_out, strict=True)]
    closed = spread(grown, False)
    for y in range(ny):
        m = closed[y] | rows[y]
        for x in range(nx):
            region[y * nx + x] = (m >> x) & 1


def _cell(p: Person) -> tuple[int, int]:
    return int(p.x // CELL), int(p.y // CELL)


def _components(region: bytearray, nx: int) -> list[int]:
    label = [-1] * len(region)
    n = 0
    for start in range(len(region)):
        if region[start] and label[start] < 0:
            stack = [start]
            label[start] = n
            while stack:
                c = stack.pop()
                for d in _neighbours(c, nx, len(region)):
                    if d is not None and region[d] and label[d] < 0:
                        label[d] = n
                        stack.append(d)
            n += 1
    return label


def _join(
    region: bytearray, blocked: bytearray, soft: bytearray, nx: int, ny: int, seeds: list[int]
) -> None:
    """Corridors from the child's part of the region to the nearest other part, again and
    again until all are one."""
    total = nx * ny
    for _ in range(len(seeds)):
        label = _components(region, nx)
        home = label[seeds[0]]
        if all(label[s] == home for s in seeds if label[s] >= 0):
            return
        path = _corridor(label, home, blocked, soft, nx, ny)
        if path is None:
            return  # nothing joins: the parts stay apart, each still drawn round its people
        for c in path:
            for w in (c, *(n for n in _neighbours(c, nx, total) if n is not None)):
                if not blocked[w] and not soft[w]:
                    region[w] = 1
            region[c] = 1


def _corridor(
    label: list[int], home: int, blocked: bytearray, soft: bytearray, nx: int, ny: int
) -> list[int] | None:
    """The cells from the home part to the nearest other part: A* over (cell, direction),
    a turn costing four steps, a label six, aimed at the nearest part's bounding box."""
    total = nx * ny
    boxes: dict[int, list[int]] = {}
    for c in range(total):
        if label[c] >= 0:
            x, y = c % nx, c // nx
            box = boxes.setdefault(label[c], [x, y, x, y])
            box[0], box[1] = min(box[0], x), min(box[1], y)
            box[2], box[3] = max(box[2], x), max(box[3], y)
    hx0, hy0, hx1, hy1 = boxes[home]

    def apart(b: list[int]) -> int:
        return max(0, b[0] - hx1, hx0 - b[2]) + max(0, b[1] - hy1, hy0 - b[3])

    target = min((k for k in boxes if k != home), key=lambda k: apart(boxes[k]))
    tx0, ty0, tx1, ty1 = boxes[target]

    def guess(c: int) -> int:
        x, y = c % nx, c // nx
        return max(0, tx0 - x, x - tx1) + max(0, ty0 - y, y - ty1)

    infinite = 1 << 30
    dist = [infinite] * (total * 4)
    came: dict[int, int] = {}
    queue: list[tuple[int, int, int]] = []
    for c in range(total):  # the edge of the home part starts the search
        if label[c] == home and any(
            n is not None and label[n] != home for n in _neighbours(c, nx, total)
        ):
            for d in range(4):
                dist[c * 4 + d] = 0
                queue.append((guess(c), 0, c * 4 + d))
    heapq.heapify(queue)
    while queue:
        _, cost, state = heapq.heappop(queue)
        if cost > dist[state]:
            continue
        c, d = divmod(state, 4)
        if label[c] == target:
            path = []
            while state in came:
                path.append(state // 4)
                state = came[state]
            return path
        for nd, n in enumerate(_neighbours(c, nx, total)):
            if n is None or blocked[n]:
                continue
            step = cost + 1 + (4 if nd != d else 0) + (6 if soft[n] else 0)
            if step < dist[n * 4 + nd]:
                dist[n * 4 + nd] = step
                came[n * 4 + nd] = state
                heapq.heappush(queue, (step + guess(n), step, n * 4 + nd))
    return None


def _neighbours(c: int, nx: int, total: int) -> tuple[int | None, ...]:
    x = c % nx
    return (
        c + 1 if x < nx - 1 else None,
        c - 1 if x > 0 else None,
        c + nx if c + nx < total else None,
        c - nx if c >= nx else None,
    )


def _trace(region: bytearray, nx: int, ny: int) -> list[list[tuple[int, int]]]:
    """The boundary of the region's cells as closed rings of grid corners (outer rings
    counter-clockwise, holes clockwise), collinear corners dropped."""

    def filled(x: int, y: int) -> bool:
        return 0 <= x < nx and 0 <= y < ny and bool(region[y * nx + x])

    edges: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for y in range(ny):
        for x in range(nx):
            if not filled(x, y):
                continue
            if not filled(x, y - 1):
                edges.setdefault((x, y), []).append((x + 1, y))
            if not filled(x + 1, y):
                edges.setdefault((x + 1, y), []).append((x + 1, y + 1))
            if not filled(x, y + 1):
                edges.setdefault((x + 1, y + 1), []).append((x, y + 1))
            if not filled(x - 1, y):
                edges.setdefault((x, y + 1), []).append((x, y))
    rings = []
    while edges:
        start = next(iter(edges))
        ring = [start]
        here = start
        previous: tuple[int, int] | None = None
        while True:
            options = edges[here]
            if len(options) > 1 and previous is not None:
                # Where two cells touch at a corner, turn left so the rings stay apart.
                heading = (here[0] - previous[0], here[1] - previous[1])
                left = (-heading[1], heading[0])
                options.sort(key=lambda o: (o[0] - here[0], o[1] - here[1]) != left)
            nxt = options.pop(0)
            if not options:
                del edges[here]
            previous, here = here, nxt
            if here == start:
                break
            ring.append(here)
        rings.append(_simplify(ring))
    return rings


def _simplify(ring: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    n = len(ring)
    for i, p in enumerate(ring):
        a, b = ring[i - 1], ring[(i + 1) % n]
        if (p[0] - a[0]) * (b[1] - p[1]) != (p[1] - a[1]) * (b[0] - p[0]):
            out.append(p)
    return out
