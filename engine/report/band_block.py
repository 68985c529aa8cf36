"""The band as a large coloured block with its name in words, readable in black and white:
colour, words, a level marker ("level 1 of 4") and a pattern that differs per level."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus.flowables import Flowable

from engine.report.words import word

HEIGHT = 24 * mm
SWATCH = 24 * mm  # the patterned square at the left


def ink_on(color: colors.Color) -> colors.Color:
    """Black or white, whichever reads better on `color`."""
    luminance = 0.299 * color.red + 0.587 * color.green + 0.114 * color.blue
    return colors.black if luminance > 0.55 else colors.white


class BandBlock(Flowable):
    def __init__(
        self, label: str, color: str, level: int, levels: int, lang: str, font: str
    ) -> None:
        super().__init__()
        self.label, self.level, self.levels = label, level, levels
        self.color = colors.HexColor(color)
        self.lang, self.font = lang, font

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, HEIGHT

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setFillColor(self.color)
        c.setStrokeColor(colors.black)
        c.setLineWidth(1.5)
        c.rect(0, 0, self.width, HEIGHT, fill=1, stroke=1)
        self._pattern(c)
        ink = ink_on(self.color)
        c.setFillColor(ink)
        size = 20 if len(self.label) < 20 else 15
        c.setFont(self.font, size)
        c.drawString(SWATCH + 6 * mm, HEIGHT / 2 + 1 * mm, self.label)
        c.setFont(self.font, 10)
        marker = "■" * (self.levels - self.level + 1) + "□" * (self.level - 1)
        level = word("band.level", self.lang, n=self.level, of=self.levels)
        c.drawString(SWATCH + 6 * mm, HEIGHT / 2 - 7 * mm, f"{marker}  {level}")
        c.restoreState()

    def _pattern(self, c) -> None:  # type: ignore[no-untyped-def]
        """Top band: cross-hatched; then diagonal, horizontal, dotted; the lowest band plain."""
        ink = ink_on(self.color)
        c.setStrokeColor(ink)
        c.setFillColor(ink)
        c.setLineWidth(1.2)
        c.rect(0, 0, SWATCH, HEIGHT, fill=0, stroke=1)
        if self.level == self.levels:
            return
        kind = ("cross", "diagonal", "horizontal", "dots")[min(self.level - 1, 3)]
        c.saveState()
        clip = c.beginPath()
        clip.rect(0, 0, SWATCH, HEIGHT)
        c.clipPath(clip, stroke=0, fill=0)
        step = 4 * mm
        offsets = [k * step - HEIGHT for k in range(int((SWATCH + HEIGHT) // step) + 2)]
        if kind in ("cross", "diagonal"):
            for x0 in offsets:
                c.line(x0, 0, x0 + HEIGHT, HEIGHT)
        if kind == "cross":
            for x0 in offsets:
                c.line(x0 + HEIGHT, 0, x0, HEIGHT)
        if kind == "horizontal":
            for k in range(1, int(HEIGHT // step) + 1):
                c.line(0, k * step, SWATCH, k * step)
        if kind == "dots":
            for i in range(1, int(SWATCH // step) + 1):
                for j in range(1, int(HEIGHT // step) + 1):
                    c.circle(i * step - step / 2, j * step - step / 2, 0.8 * mm, stroke=0, fill=1)
        c.restoreState()
