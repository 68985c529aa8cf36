"""The family as the genogram needs it: who is whose child, who are couples, who lives with
the child, read from the family form's answers (version 1 or 2).

Version 2 records each member's mother and father as the member's number in the list (or
"unknown"), and couples by number too. Version 1 records neither parents nor numbers: there a
brother or sister is presumed to be a child of the child's father and mother, the father a
child of the paternal grandparents and the mother of the maternal ones, and the drawing says
so in a note. Anything inconsistent (a mother who is her own daughter's daughter, a number
beyond the list) is left out of the drawing and named in a note, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CHILD = "\0child"
UNKNOWN = "unknown"

GENERATION = {
    "paternal_grandfather": 0,
    "paternal_grandmother": 0,
    "maternal_grandfather": 0,
    "maternal_grandmother": 0,
    "father": 1,
    "mother": 1,
    "stepfather": 1,
    "stepmother": 1,
    "uncle": 1,
    "aunt": 1,
    "brother": 2,
    "sister": 2,
    "child": 2,
}
# Whose child a member is presumed to be when the form does not say (version 1).
PRESUMED = {
    "father": ("paternal_grandfather", "paternal_grandmother"),
    "mother": ("maternal_grandfather", "maternal_grandmother"),
    "brother": ("father", "mother"),
    "sister": ("father", "mother"),
    "child": ("father", "mother"),
}
COUPLE_STATUSES = frozenset({"married", "separated", "divorced", "cohabiting"})
TIES = frozenset({"close", "distant", "hostile", "abusive"})
HEALTH_NOTES = frozenset({"disabled", "ill"})

Label = Callable[[str, Any], str]  # (JSON pointer of the field, value) -> the option's words


@dataclass
class Member:
    key: str
    number: int  # position in the form's list, from 1; 0 for the child
    relationship: str
    sex: str | None
    alive: bool
    household: bool
    born: tuple[int, int] | None  # (year, month) for birth order; month 0 when unknown
    tie: str | None
    lines: list[str]
    generation: int = 1
    father: str | None = None
    mother: str | None = None

    @property
    def is_child(self) -> bool:
        return self.key == CHILD


@dataclass(frozen=True)
class Couple:
    a: str
    b: str
    status: str  # married, separated, divorced, cohabiting; "unrecorded" for parents only


@dataclass
class Sibship:
    """Children of one pair of parents (or of one known parent), oldest first."""

    father: str | None
    mother: str | None
    children: list[str]

    @property
    def parents(self) -> tuple[str, ...]:
        return tuple(p for p in (self.father, self.mother) if p is not None)


@dataclass
class Note:
    """Something the drawing could not show as recorded; printed under it."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class FamilyTree:
    members: list[Member]
    couples: list[Couple]
    sibships: list[Sibship]
    notes: list[Note]


def _born(value: Any) -> tuple[int, int] | None:
    if type(value) is int and 1800 < value < 2200:
        return (value, 0)
    return None


def _child_born(birth_date: Any) -> tuple[int, int] | None:
    text = str(birth_date or "")
    if len(text) >= 7 and text[:4].isdigit() and text[5:7].isdigit():
        return (int(text[:4]), int(text[5:7]))
    return _born(int(text[:4])) if text[:4].isdigit() else None


def _lines(member: dict[str, Any], relationship: str, label: Label) -> list[str]:
    lines = [label("/members/0/relationship", relationship)]
    detail = " ".join(str(member[k]) for k in ("name", "birth_year") if member.get(k))
    if detail:
        lines.append(detail)
    notes = (
        [label("/members/0/health", member["health"])]
        if member.get("health") in HEALTH_NOTES
        else []
    )
    statuses = member.get("special_status")
    if isinstance(statuses, list):
        notes += [label("/members/0/special_status", s) for s in statuses if isinstance(s, str)]
    if notes:
        lines.append(" ".join(notes))
    return lines


class _Reader:
    def __init__(self, answers: dict[str, Any]) -> None:
        raw = answers.get("members")
        self.raw = [m for m in raw if isinstance(m, dict)] if isinstance(raw, list) else []
        self.notes: list[Note] = []
        self.keys: list[str] = []
        seen: set[str] = set()
        for i, m in enumerate(self.raw):
            key = str(m.get("id") or "")
            if not key or key in seen or key == CHILD:
                key = f"#{i + 1}"
            seen.add(key)
            self.keys.append(key)
        self.by_id = {str(m.get("id")): k for m, k in zip(self.raw, self.keys, strict=True)}

    def ref(self, value: Any, where: int, what: str) -> str | None:
        """The member a reference names: a number in the list, or (version 1) a member id."""
        if value is None or value == UNKNOWN:
            return None
        if type(value) is int or (isinstance(value, str) and value.isdigit()):
            n = int(value)
            if 1 <= n <= len(self.keys):
                return self.keys[n - 1]
        elif isinstance(value, str) and value in self.by_id:
            return self.by_id[value]
        code = "note.couple_reference" if what == "couple" else "note.member_reference"
        self.notes.append(Note(code, {"n": where, "what": what, "value": value}))
        return None


def family_tree(
    answers: dict[str, Any],
    *,
    child_name: str,
    child_sex: str | None,
    child_birth: Any,
    child_word: str,
    label: Label,
) -> FamilyTree:
    """The family from the form's answers, with the child (not a member of the list) added."""
    reader = _Reader(answers)
    born = _child_born(child_birth)
    child = Member(
        CHILD, 0, "child", child_sex, True, True, born, None,
        [child_name, child_word + (f" {born[0]}" if born else "")], 2,
    )  # fmt: skip
    members = [child]
    slots: dict[str, dict[str, Any]] = {}
    for i, (m, key) in enumerate(zip(reader.raw, reader.keys, strict=True), start=1):
        relationship = m.get("relationship")
        relationship = relationship if isinstance(relationship, str) else "other"
        alive = m.get("alive") is not False
        tie = m.get("tie_to_child")
        members.append(
            Member(
                key,
                i,
                relationship,
                m.get("sex") if m.get("sex") in ("male", "female") else None,
                alive,
                alive and m.get("lives_with_child") is True,
                _born(m.get("birth_year")),
                tie if tie in TIES else None,
                _lines(m, relationship, label),
            )
        )
        slots[key] = {
            s: reader.ref(m[s], i, s) if s in m else _ABSENT for s in ("father", "mother")
        }
    by_key = {m.key: m for m in members}
    first: dict[str, str] = {}
    for member in members[1:]:
        first.setdefault(member.relationship, member.key)
    _parents(members, slots, first, by_key, reader.notes)
    couples = _couples(answers, reader, by_key)
    sibships = _sibships(members, couples)
    return FamilyTree(members, couples, sibships, reader.notes)


_ABSENT = "\0absent"


def _parents(
    members: list[Member],
    slots: dict[str, dict[str, Any]],
    first: dict[str, str],
    by_key: dict[str, Member],
    notes: list[Note],
) -> None:
    """Generations, then each member's parents: recorded, else presumed (version 1)."""
    presumed_both: list[Member] = []
    for m in members:
        m.generation = GENERATION.get(m.relationship, -1)
        recorded = slots.get(m.key, {})
        pair = PRESUMED.get(m.relationship, (None, None))
        for slot, presumption in zip(("father", "mother"), pair, strict=True):
            value = recorded.get(slot, _ABSENT)
            if value == _ABSENT:
                value = first.get(presumption) if presumption else None
            setattr(m, slot, value)
        if m.relationship in ("brother", "sister") and all(
            recorded.get(s, _ABSENT) == _ABSENT for s in ("father", "mother")
        ):
            presumed_both.append(m)
    # Members of no fixed generation ("other") take theirs from their parents or children.
    for _ in range(3):
        for m in members:
            if m.generation >= 0 and m.relationship in GENERATION:
                continue
            above = [by_key[p].generation for p in (m.father, m.mother) if p in by_key]
            below = [c.generation for c in members if m.key in (c.father, c.mother)]
            if any(g >= 0 for g in above):
                m.generation = min(2, max(g for g in above if g >= 0) + 1)
            elif any(g >= 0 for g in below):
                m.generation = max(0, min(g for g in below if g >= 0) - 1)
    for m in members:
        if m.generation < 0:
            m.generation = 1
    for m in members:
        if m.father is not None and m.father == m.mother:
            m.father = m.mother = None
            notes.append(Note("note.same_parents", {"n": m.number}))
        for slot in ("father", "mother"):
            parent = getattr(m, slot)
            if parent is None:
                continue
            p = by_key.get(parent)
            if p is None or p is m or p.generation != m.generation - 1:
                setattr(m, slot, None)
                notes.append(Note("note.parent_generation", {"n": m.number, "what": slot}))
            elif p.sex is not None and p.sex != ("male" if slot == "father" else "female"):
                notes.append(Note("note.parent_sex", {"n": m.number, "what": slot}))
    if any(m.father or m.mother for m in presumed_both):
        notes.append(Note("note.presumed_siblings"))


def _couples(answers: dict[str, Any], reader: _Reader, by_key: dict[str, Member]) -> list[Couple]:
    couples: list[Couple] = []
    seen: set[frozenset[str]] = set()
    raw = answers.get("couples")
    for i, c in enumerate(raw if isinstance(raw, list) else [], start=1):
        if not isinstance(c, dict):
            continue
        a = reader.ref(c.get("partner_a"), i, "couple")
        b = reader.ref(c.get("partner_b"), i, "couple")
        if a is None or b is None or a == b:
            continue
        pair = frozenset((a, b))
        if pair in seen:
            reader.notes.append(Note("note.couple_twice", {"n": i}))
            continue
        if by_key[a].generation != by_key[b].generation:
            reader.notes.append(Note("note.couple_generation", {"n": i}))
            continue
        seen.add(pair)
        status = c.get("status")
        couples.append(Couple(a, b, status if status in COUPLE_STATUSES else "married"))
    return couples


def _sibships(members: list[Member], couples: list[Couple]) -> list[Sibship]:
    """Children grouped by their parents, oldest first (unknown birth years last)."""
    groups: dict[frozenset[str | None], list[Member]] = {}
    pairs: dict[frozenset[str | None], tuple[str | None, str | None]] = {}
    for m in members:
        if m.father or m.mother:
            key = frozenset((m.father, m.mother))  # the same two people, whichever is which
            groups.setdefault(key, []).append(m)
            pairs.setdefault(key, (m.father, m.mother))
    recorded = {frozenset((c.a, c.b)) for c in couples}
    sibships = []
    for key, children in groups.items():
        father, mother = pairs[key]
        if father and mother and frozenset((father, mother)) not in recorded:
            couples.append(Couple(father, mother, "unrecorded"))
            recorded.add(frozenset((father, mother)))
        children.sort(key=lambda m: (m.born is None, m.born or (0, 0), m.number))
        sibships.append(Sibship(father, mother, [m.key for m in children]))
    return sibships
