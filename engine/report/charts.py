"""Charts drawn with ReportLab's graphics: domain scores as bars, and the band trend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Shape, String
from reportlab.lib import colors

from engine.report.layout import GREY, INK, LIGHT, Outline, rect


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
    high: int
    color: str | None = None  # a band's colour for the bar, else ink


def domain_bars(bars: list[Bar], width: float, font: str) -> Drawing:
    """One horizontal bar per domain: the score against the most it can reach."""
    row, label_width = 15.0, width * 0.4
    drawing = Drawing(width, row * len(bars) + 4)
    track = width - label_width - 50
    for i, bar in enumerate(bars):
        y = drawing.height - (i + 1) * row
        drawing.add(String(0, y + 4, bar.label, fontName=font, fontSize=8, fillColor=INK))
        drawing.add(
            rect(label_width, y + 2, track, 9, fillColor=LIGHT, strokeColor=GREY, strokeWidth=0.4)
        )
        share = bar.value / bar.high if bar.high else 0
        fill = colors.HexColor(bar.color) if bar.color else INK
        drawing.add(
            rect(
                label_width,
                y + 2,
                track * max(0.0, min(1.0, share)),
                9,
                fillColor=fill,
                strokeColor=INK,
                strokeWidth=0.4,
            )
        )
        drawing.add(
            String(
                label_width + track + 4,
                y + 4,
                f"{bar.value} / {bar.high}",
                fontName=font,
                fontSize=8,
                fillColor=INK,
            )
        )
    return drawing


@dataclass(frozen=True, slots=True)
class Point:
    on: date | None
    total: int
    band_label: str
    color: str
    level: int  # 1 for the top band


@dataclass(frozen=True, slots=True)
class Threshold:
    value: int
    label: str


def _marker(x: float, y: float, level: int, color: str) -> list[Shape]:
    """A shape per level, so the trend reads without colour: ■ ▲ ◆ ●."""
    fill, r = colors.HexColor(color), 4.5
    stroke: Outline = {"strokeColor": colors.black, "strokeWidth": 0.8, "fillColor": fill}
    if level == 1:
        return [rect(x - r, y - r, 2 * r, 2 * r, **stroke)]
    if level == 2:
        return [Polygon([x - r, y - r, x + r, y - r, x, y + r], **stroke)]
    if level == 3:
        return [Polygon([x, y - r, x + r, y, x, y + r, x - r, y], **stroke)]
    return [Circle(x, y, r, **stroke)]


def trend(
    points: list[Point], thresholds: list[Threshold], top: int, width: float, font: str
) -> Drawing:
    """Totals across assessments, each marked with its band, over the bands' thresholds."""
    height, left, bottom = 150.0, 34.0, 26.0
    drawing = Drawing(width, height)
    plot_w, plot_h = width - left - 70, height - bottom - 10
    top = max(top, max((p.total for p in points), default=0), 1)

    def y_of(value: float) -> float:
        return bottom + plot_h * value / top

    drawing.add(Line(left, bottom, left, bottom + plot_h, strokeColor=INK, strokeWidth=0.6))
    drawing.add(Line(left, bottom, left + plot_w, bottom, strokeColor=INK, strokeWidth=0.6))
    for mark in (0, top // 2, top):
        drawing.add(
            String(left - 4, y_of(mark) - 3, str(mark), fontName=font, fontSize=7, textAnchor="end")
        )
    for t in thresholds:
        y = y_of(t.value)
        drawing.add(
            Line(
                left, y, left + plot_w, y, strokeColor=GREY, strokeWidth=0.4, strokeDashArray=[2, 2]
            )
        )
        drawing.add(
            String(left + plot_w + 3, y - 3, t.label, fontName=font, fontSize=7, fillColor=GREY)
        )
    step = plot_w / max(1, len(points))
    xs = [left + step * (i + 0.5) for i in range(len(points))]
    if len(points) > 1:
        line: list[float] = []
        for x, p in zip(xs, points, strict=True):
            line += [x, y_of(p.total)]
        drawing.add(PolyLine(line, strokeColor=INK, strokeWidth=1))
    for x, p in zip(xs, points, strict=True):
        for shape in _marker(x, y_of(p.total), p.level, p.color):
            drawing.add(shape)
        drawing.add(
            String(
                x,
                y_of(p.total) + 7,
                f"{p.total} {p.band_label}",
                fontName=font,
                fontSize=7,
                textAnchor="middle",
            )
        )
        drawing.add(
            String(
                x,
                bottom - 11,
                p.on.isoformat() if p.on else "?",
                fontName=font,
                fontSize=7,
                textAnchor="middle",
            )
        )
    return drawing
