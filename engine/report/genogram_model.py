"""The genogram as placed on the page: people with their symbols and labels, and lines
that say which people they connect. Points, y upwards, as ReportLab draws them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from engine.report.family_tree import Member, Note
from engine.report.geometry import Box, Point

SIZE_MAX, SLOT_MAX = 22.0, 70.0
RING = 4.0  # the child's second outline
LANE = 6.0  # between two couple lines, or two sibship bars
LEADING = 1.18  # label line height, in font sizes
SIDE = 16.0  # free channel left, right and below, for lines that must go round
HOME = {  # left-to-right order within a row when nothing else decides
    "paternal_grandfather": 0,
    "paternal_grandmother": 1,
    "maternal_grandfather": 2,
    "maternal_grandmother": 3,
    "uncle": 0,
    "stepmother": 1,
    "father": 2,
    "mother": 3,
    "stepfather": 4,
    "aunt": 5,
}

Measure = Callable[[str, float], float]  # (text, font size) -> width in points


@dataclass
class Person:
    member: Member
    row: int
    x: float = 0.0
    y: float = 0.0
    size: float = SIZE_MAX
    lines: list[str] = field(default_factory=list)
    font_size: float = 6.5
    label: Box = field(default_factory=lambda: Box(0, 0, 0, 0))

    @property
    def key(self) -> str:
        return self.member.key

    @property
    def half(self) -> float:
        """Half the width of what is drawn, the child's second outline included."""
        return self.size / 2 + (RING if self.member.is_child else 0)

    @property
    def box(self) -> Box:
        h = self.half
        return Box(self.x - h, self.y - h, self.x + h, self.y + h)


@dataclass
class Line:
    kind: str  # "couple", "descent" or "tie"
    style: str  # a couple's status, "descent", or the tie (close, distant, hostile, abusive)
    points: list[Point]
    ends: frozenset[str]  # the people this line connects
    mark: Point | None = None  # where a couple's slashes (or "?") go


@dataclass
class Row:
    people: list[Person]
    lanes: int = 0  # couple lines under the row
    bars: int = 0  # sibship bars over the row
    top: float = 0.0  # y of the band above the symbols, where bars and drops run
    zone: float = 0.0  # y of a free line just over the symbols


@dataclass
class GenogramLayout:
    width: float
    height: float
    people: dict[str, Person]
    rows: list[Row]
    lines: list[Line] = field(default_factory=list)
    household: list[list[Point]] = field(default_factory=list)  # outline rings
    notes: list[Note] = field(default_factory=list)
    slot: float = SLOT_MAX


def wrap(text: str, width: float, size: float, measure: Measure) -> list[str]:
    """Lines no wider than `width`: broken at spaces, and inside a word only when it must."""
    out: list[str] = []
    for word in text.split(" ") if " " in text else [text]:
        if out and measure(out[-1] + " " + word, size) <= width:
            out[-1] += " " + word
            continue
        while measure(word, size) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and measure(word[:cut], size) > width:
                cut -= 1
            out.append(word[:cut])
            word = word[cut:]
        out.append(word)
    return out
