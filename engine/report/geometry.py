"""Plane geometry the genogram layout checks itself with: boxes, polylines, polygons."""

from __future__ import annotations

import math
from dataclasses import dataclass

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def grown(self, by: float) -> Box:
        return Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)

    def holds(self, p: Point) -> bool:
        return self.x0 <= p[0] <= self.x1 and self.y0 <= p[1] <= self.y1

    @property
    def centre(self) -> Point:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)


def segment_meets_box(a: Point, b: Point, box: Box) -> bool:
    """Whether the segment a–b passes through the inside of the box (Liang–Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in (
        (-dx, a[0] - box.x0),
        (dx, box.x1 - a[0]),
        (-dy, a[1] - box.y0),
        (dy, box.y1 - a[1]),
    ):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 >= t1:
            return False
    return True


def length(points: list[Point]) -> float:
    return sum(math.dist(a, b) for a, b in zip(points, points[1:], strict=False))


def resample(points: list[Point], step: float) -> list[Point]:
    """Points every `step` along a polyline, its ends included."""
    out = [points[0]]
    for a, b in zip(points, points[1:], strict=False):
        d = math.dist(a, b)
        n = max(1, math.ceil(d / step))
        out += [
            (a[0] + (b[0] - a[0]) * k / n, a[1] + (b[1] - a[1]) * k / n) for k in range(1, n + 1)
        ]
    return out


def bezier(p0: Point, c: Point, p2: Point, n: int) -> list[Point]:
    """A quadratic Bézier curve as n + 1 points."""
    out = []
    for k in range(n + 1):
        t = k / n
        u = 1 - t
        out.append(
            (
                u * u * p0[0] + 2 * u * t * c[0] + t * t * p2[0],
                u * u * p0[1] + 2 * u * t * c[1] + t * t * p2[1],
            )
        )
    return out


def offset_polyline(points: list[Point], by: float) -> list[Point]:
    """The polyline moved sideways by `by` (left of the direction of travel), mitred."""
    out = []
    for i, p in enumerate(points):
        normals = []
        for a, b in (
            (points[i - 1], p) if i else (p, p),
            (p, points[i + 1]) if i + 1 < len(points) else (p, p),
        ):
            d = math.dist(a, b)
            if d:
                normals.append((-(b[1] - a[1]) / d, (b[0] - a[0]) / d))
        if not normals:
            out.append(p)
            continue
        nx = sum(n[0] for n in normals) / len(normals)
        ny = sum(n[1] for n in normals) / len(normals)
        norm = math.hypot(nx, ny) or 1.0
        nx, ny = nx / norm, ny / norm
        # Mitre: keep the distance to both neighbouring segments (bounded at sharp turns).
        cos = max(0.5, abs(nx * normals[0][0] + ny * normals[0][1]))
        out.append((p[0] + nx * by / cos, p[1] + ny * by / cos))
    return out
