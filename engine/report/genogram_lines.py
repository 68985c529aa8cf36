"""The family's structural lines: a line per couple on its own lane under the row (marks for
separated and divorced), and from each couple (or single parent) a line down to a bar over
their children, with a drop to each child. They run only in the free bands between rows and
at the gaps between people, so none crosses a symbol or a label."""

from __future__ import annotations

from dataclasses import dataclass

from engine.report.family_tree import FamilyTree, Sibship
from engine.report.genogram_model import LANE, RING, Line, Person, Row


class StructuralLines:
    """What the placer knows that the lines need; the placer inherits these methods."""

    tree: FamilyTree
    rows: list[Row]
    people: dict[str, Person]
    slot: float
    size: float

    def boundaries(self, row: Row) -> list[float]:
        xs = [p.x for p in row.people]
        return (
            [xs[0] - self.slot / 2]
            + [(a + b) / 2 for a, b in zip(xs, xs[1:], strict=False)]
            + [xs[-1] + self.slot / 2]
        )

    def links(self, r: int) -> list[_Link]:
        """Couple lines and single parents' stubs of row r, with their lanes and the x
        where each one's children hang."""
        row = self.rows[r]
        here = {p.key for p in row.people}
        below = self.rows[r + 1].people if r + 1 < len(self.rows) else []
        links: dict[frozenset[str], _Link] = {}
        for c in self.tree.couples:
            if c.a in here and c.b in here:
                a, b = sorted((self.people[c.a], self.people[c.b]), key=lambda p: p.x)
                links[frozenset((c.a, c.b))] = _Link(a, b, c.status)
        out = list(links.values())
        for s in self.tree.sibships:
            if s.parents and s.parents[0] in here:
                if len(s.parents) == 2:
                    links[frozenset(s.parents)].sibship = s
                else:
                    out.append(_Link(self.people[s.parents[0]], None, "stub", sibship=s))
        used: list[float] = []
        free = self.boundaries(row)

        def clear(x: float, s: Sibship) -> bool:
            return all(abs(x - u) > 4 for u in used) and all(
                abs(x - p.x) > 5 or p.key in s.children for p in below
            )

        for link in sorted(out, key=lambda k: k.b is None):  # couples choose first
            if link.sibship is None:
                continue
            s = link.sibship
            centre = sum(self.people[c].x for c in s.children) / len(s.children)
            if link.b is not None:
                mid = (link.a.x + link.b.x) / 2
                inner = [x for x in free if link.a.x < x < link.b.x]
            else:
                mid = centre
                inner = [x for x in free if abs(x - link.a.x) < self.slot]
            near = sorted(inner, key=lambda x: abs(x - mid))
            options = [x + d for x in near for d in (0.0, -4.5, 4.5)]
            fits = [x for x in options if clear(x, s)]
            if fits:
                link.descent = fits[0]
            elif options:  # crowded: the spot farthest from the other descents
                link.descent = max(
                    options, key=lambda x: min((abs(x - u) for u in used), default=9)
                )
            else:
                link.descent = mid
            used.append(link.descent)
        # Attachment points: a person with several lines gets one point per line.
        ends: dict[str, list[tuple[float, _Link, str]]] = {}
        for link in out:
            far = link.b.x if link.b is not None else (link.descent or link.a.x)
            ends.setdefault(link.a.key, []).append((far, link, "a"))
            if link.b is not None:
                ends.setdefault(link.b.key, []).append((link.a.x, link, "b"))
        for key, points in ends.items():
            points.sort(key=lambda t: t[0])
            n = len(points)
            for j, (_, link, side) in enumerate(points):
                off = 0.0 if n == 1 else (-0.32 + 0.64 * j / (n - 1)) * self.size
                setattr(link, "xa" if side == "a" else "xb", self.people[key].x + off)
        for link in out:
            if link.b is None:
                link.xb = link.descent if link.descent is not None else link.xa
        row.lanes = _lanes([(min(k.xa, k.xb), max(k.xa, k.xb), k) for k in out])
        return out

    def bars(self, r: int, links: list[_Link]) -> list[tuple[_Link, float, float]]:
        spans = []
        for link in links:
            if link.sibship is None or link.descent is None:
                continue
            xs = [self.people[c].x for c in link.sibship.children] + [link.descent]
            spans.append((min(xs), max(xs), link))
        self.rows[r + 1].bars = _lanes(spans, attr="bar") if spans else 0
        return [(k, lo, hi) for lo, hi, k in spans]

    def structural_lines(
        self, links: list[list[_Link]], bars: list[list[tuple[_Link, float, float]]]
    ) -> list[Line]:
        out = []
        for r, row_links in enumerate(links):
            lane0 = self.rows[r].people[0].y - self.size / 2 - RING - 4
            for link in row_links:
                y = lane0 - link.lane * LANE
                a = link.a
                if link.b is not None:
                    b = link.b
                    points = [
                        (link.xa, a.y - a.half),
                        (link.xa, y),
                        (link.xb, y),
                        (link.xb, b.y - b.half),
                    ]
                    lo, hi = sorted((link.xa, link.xb))
                    mark_x = (lo + hi) / 2
                    if link.descent is not None:
                        mark_x = link.descent + (8 if hi - link.descent > link.descent - lo else -8)
                    out.append(
                        Line("couple", link.status, points, frozenset((a.key, b.key)), (mark_x, y))
                    )
                else:
                    points = [(link.xa, a.y - a.half), (link.xa, y), (link.xb, y)]
                    ends = frozenset((a.key, *(link.sibship.children if link.sibship else [])))
                    out.append(Line("descent", "descent", points, ends))
        for r, row_bars in enumerate(bars):
            nxt = self.rows[r + 1]
            bar0 = nxt.people[0].y + self.size / 2 + RING + 9
            lane0 = self.rows[r].people[0].y - self.size / 2 - RING - 4
            for link, lo, hi in row_bars:
                assert link.sibship is not None and link.descent is not None
                s = link.sibship
                y = bar0 + link.bar * LANE
                family = frozenset((*s.parents, *s.children))
                out.append(
                    Line(
                        "descent",
                        "descent",
                        [(link.descent, lane0 - link.lane * LANE), (link.descent, y)],
                        family,
                    )
                )
                if hi > lo:
                    out.append(Line("descent", "descent", [(lo, y), (hi, y)], family))
                for c in s.children:
                    p = self.people[c]
                    out.append(
                        Line(
                            "descent",
                            "descent",
                            [(p.x, y), (p.x, p.y + p.half)],
                            frozenset((*s.parents, c)),
                        )
                    )
        return out


@dataclass(eq=False)
class _Link:
    a: Person
    b: Person | None
    status: str  # a couple's status; "stub" for a single parent's line to the children
    sibship: Sibship | None = None
    descent: float | None = None
    xa: float = 0.0
    xb: float = 0.0
    lane: int = 0
    bar: int = 0

    @property
    def people(self) -> frozenset[str]:
        return frozenset(p.key for p in (self.a, self.b) if p is not None)


def _lanes(spans: list[tuple[float, float, _Link]], attr: str = "lane") -> int:
    """Shortest spans nearest the symbols; spans on one lane never touch, and two couple
    lines of one person never share a lane (a divorce and a remarriage stay two lines).
    Returns the lanes used."""
    lanes: list[list[tuple[float, float, frozenset[str]]]] = []
    for lo, hi, link in sorted(spans, key=lambda s: (s[1] - s[0], s[0])):
        people = link.people if attr == "lane" else frozenset()
        for i, taken in enumerate(lanes):
            if all((hi + 3 < a or lo - 3 > b) and not (people & p) for a, b, p in taken):
                taken.append((lo, hi, people))
                setattr(link, attr, i)
                break
        else:
            lanes.append([(lo, hi, people)])
            setattr(link, attr, len(lanes) - 1)
    return len(lanes)
