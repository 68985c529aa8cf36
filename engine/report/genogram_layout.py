"""Where each person of the genogram goes.

Three rows (grandparents, parents, the child's generation). Children sit under their own
parents' line, oldest on the left; a partner who married in sits beside the partner; each
row is placed as near its targets as the spacing allows, parents centred over their children.
The structural lines come from `genogram_lines`, the ties and the household outline after.
"""

from __future__ import annotations

from engine.report.family_tree import CHILD, FamilyTree, Sibship
from engine.report.genogram_lines import StructuralLines
from engine.report.genogram_model import (
    HOME,
    LANE,
    LEADING,
    RING,
    SIDE,
    SIZE_MAX,
    SLOT_MAX,
    GenogramLayout,
    Measure,
    Person,
    Row,
    wrap,
)
from engine.report.geometry import Box


def _isotonic(targets: list[float], gap: float, low: float, high: float) -> list[float]:
    """Positions in the given order, at least `gap` apart, within [low, high], as near the
    targets as can be (pool-adjacent-violators on the positions less their minimum offsets)."""
    shifted = [t - i * gap for i, t in enumerate(targets)]
    blocks: list[list[float]] = []  # [sum, count]
    for value in shifted:
        blocks.append([value, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    out: list[float] = []
    top = high - (len(targets) - 1) * gap
    for total, count in blocks:
        out += [min(max(total / count, low), top)] * int(count)
    return [v + i * gap for i, v in enumerate(out)]


class _Placer(StructuralLines):
    def __init__(self, tree: FamilyTree, width: float, measure: Measure) -> None:
        self.tree, self.width, self.measure = tree, width, measure
        generations = sorted({m.generation for m in tree.members})
        self.rows = [
            Row([Person(m, r) for m in tree.members if m.generation == g])
            for r, g in enumerate(generations)
        ]
        self.people = {p.key: p for row in self.rows for p in row.people}
        widest = max(len(r.people) for r in self.rows)
        self.slot = min(SLOT_MAX, (width - 2 * SIDE) / widest)
        self.size = max(4.0, min(SIZE_MAX, self.slot - 14 - 2 * RING))
        self.partners: dict[str, list[str]] = {}
        for c in tree.couples:
            self.partners.setdefault(c.a, []).append(c.b)
            self.partners.setdefault(c.b, []).append(c.a)
        self.sibship_of = {k: s for s in tree.sibships for k in s.children}

    # --- order and x ------------------------------------------------------------------
    def union_x(self, s: Sibship) -> float:
        return sum(self.people[p].x for p in s.parents) / len(s.parents)

    def order(self, row: Row) -> list[Person]:
        """Sibships under their parents (oldest left), others by their usual place,
        partners who married in beside their partner."""
        anchored: dict[str, tuple[float, float]] = {}
        for p in row.people:
            s = self.sibship_of.get(p.key)
            if s is not None and all(q in self.people for q in s.parents):
                anchored[p.key] = (self.union_x(s), s.children.index(p.key))
        keys = {p.key for p in row.people}
        married_in: dict[str, str] = {}
        frontier = list(anchored)
        while frontier:  # partners reachable from anchored people, through couples
            k = frontier.pop(0)
            for q in self.partners.get(k, []):
                if q in keys and q not in anchored and q not in married_in:
                    married_in[q] = k
                    frontier.append(q)
        rest = [p for p in row.people if p.key not in anchored and p.key not in married_in]
        placed = sorted(anchored.items(), key=lambda kv: kv[1])
        ranked = [(HOME.get(self.people[k].member.relationship, 9), x) for k, (x, _) in placed]

        def guess(p: Person) -> tuple[float, float]:
            home = HOME.get(p.member.relationship, 9)
            if p.member.relationship in ("brother", "sister") and CHILD in anchored:
                older = (p.member.born or (9999, 0)) < (self.people[CHILD].member.born or (9999, 0))
                return (anchored[CHILD][0] + (-0.4 if older else 0.4) * self.slot, p.member.number)
            left = [x for h, x in ranked if h < home]
            right = [x for h, x in ranked if h > home]
            if left:
                return (max(left) + 0.3 * self.slot, p.member.number)
            if right:
                return (min(right) - 0.3 * self.slot, p.member.number)
            return (home * self.slot, p.member.number)

        # People with no place yet keep partners together: a couple is placed as one unit.
        units: list[tuple[tuple[float, float], list[Person]]] = []
        done: set[str] = set()
        for p in sorted(rest, key=lambda p: (HOME.get(p.member.relationship, 9), p.member.number)):
            if p.key in done:
                continue
            unit, stack = [], [p.key]
            while stack:
                k = stack.pop()
                if k in done or k not in keys or k in married_in or k in anchored:
                    continue
                done.add(k)
                unit.append(self.people[k])
                stack += self.partners.get(k, [])
            unit.sort(key=lambda q: (HOME.get(q.member.relationship, 9), q.member.number))
            units.append((guess(unit[0]), unit))
        ordered = [(key, [self.people[k]]) for k, key in placed] + units
        ordered.sort(key=lambda item: item[0])
        line = [p for _, people in ordered for p in people]
        for spouse, partner in married_in.items():
            self._beside(line, self.people[spouse], self.people[partner])
        return line

    def _beside(self, line: list[Person], spouse: Person, partner: Person) -> None:
        i = line.index(partner)
        left = HOME.get(spouse.member.relationship, 9) < HOME.get(partner.member.relationship, 9)
        taken = {
            side
            for side, j in (("left", i - 1), ("right", i + 1))
            if 0 <= j < len(line) and line[j].key in self.partners.get(partner.key, [])
        }
        side = "left" if left else "right"
        if side in taken and ({"left", "right"} - taken):
            side = ({"left", "right"} - taken).pop()
        line.insert(i if side == "left" else i + 1, spouse)

    def place_row(self, row: Row, targets: dict[str, float]) -> None:
        xs = _isotonic(
            [targets.get(p.key, p.x) for p in row.people],
            self.slot,
            SIDE + self.slot / 2,
            self.width - SIDE - self.slot / 2,
        )
        for p, x in zip(row.people, xs, strict=True):
            p.x = x

    def down(self, row: Row) -> None:
        targets = {}
        for p in row.people:
            s = self.sibship_of.get(p.key)
            if s is not None and all(q in self.people for q in s.parents):
                here = [c for c in s.children if c in {q.key for q in row.people}]
                i = here.index(p.key)
                targets[p.key] = self.union_x(s) + (i - (len(here) - 1) / 2) * self.slot
        for p in row.people:
            for q in self.partners.get(p.key, []):
                if p.key not in targets and q in targets:
                    side = -1 if row.people.index(p) < row.people.index(self.people[q]) else 1
                    targets[p.key] = targets[q] + side * self.slot
        self.place_row(row, targets)

    def up(self, row: Row) -> None:
        """Parents centred over their children."""
        wanted: dict[str, list[float]] = {}
        for s in self.tree.sibships:
            if not s.parents or self.people[s.parents[0]].row != self.rows.index(row):
                continue
            centre = sum(self.people[c].x for c in s.children) / len(s.children)
            if len(s.parents) == 1:
                wanted.setdefault(s.parents[0], []).append(centre)
            else:
                a, b = sorted((self.people[q] for q in s.parents), key=lambda q: q.x)
                wanted.setdefault(a.key, []).append(centre - self.slot / 2)
                wanted.setdefault(b.key, []).append(centre + self.slot / 2)
        self.place_row(row, {k: sum(v) / len(v) for k, v in wanted.items()})

    def place(self) -> None:
        for i, row in enumerate(self.rows):
            row.people = self.order(row)
            start = (self.width - self.slot * (len(row.people) - 1)) / 2
            for k, p in enumerate(row.people):
                p.x = start + k * self.slot
            if i:
                self.down(row)
        for _ in range(2):
            for row in reversed(self.rows[:-1]):
                self.up(row)
            for row in self.rows[1:]:
                self.down(row)

    # --- labels -------------------------------------------------------------------------
    def labels(self) -> None:
        font = min(6.5, max(3.5, self.slot / 8))
        width = self.slot - 14
        for p in self.people.values():
            p.size, p.font_size = self.size, font
            p.lines = [w for line in p.member.lines for w in wrap(line, width, font, self.measure)]

    # --- heights ----------------------------------------------------------------------------
    def heights(self) -> float:
        bands = []
        for row in self.rows:
            font = row.people[0].font_size
            label = max(len(p.lines) for p in row.people) * font * LEADING + 3
            bands.append(
                (12 + row.bars * LANE, 2 * (self.size / 2 + RING), 5 + row.lanes * LANE, label)
            )
        height = 4 + sum(sum(b) + 6 for b in bands) + SIDE
        cursor = height - 4
        for row, (top, symbol, lanes, label) in zip(self.rows, bands, strict=True):
            row.top = cursor
            y = cursor - top - symbol / 2
            row.zone = y + self.size / 2 + RING + 4.5
            for p in row.people:
                p.y = y
            label_top = y - self.size / 2 - RING - lanes
            for p in row.people:
                width = max((self.measure(t, p.font_size) for t in p.lines), default=0)
                p.label = Box(
                    p.x - width / 2,
                    label_top - len(p.lines) * p.font_size * LEADING - 1,
                    p.x + width / 2,
                    label_top,
                )
            cursor -= sum((top, symbol, lanes, label)) + 6
        return height


def place(tree: FamilyTree, width: float, measure: Measure) -> GenogramLayout:
    """People placed and the couple and descent lines drawn; ties and the household outline
    are added by `genogram_routes`."""
    placer = _Placer(tree, width, measure)
    placer.place()
    placer.labels()
    links = [placer.links(r) for r in range(len(placer.rows))]
    bars = [placer.bars(r, links[r]) for r in range(len(placer.rows) - 1)]
    height = placer.heights()
    layout = GenogramLayout(width, height, placer.people, placer.rows, notes=list(tree.notes))
    layout.slot = placer.slot
    layout.lines = placer.structural_lines(links, bars)
    return layout
