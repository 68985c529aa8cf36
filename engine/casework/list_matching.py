"""Matching a department's records against the register of children, with the reason.

Three tiers, the first that holds wins: the same ID number; else the same name and birth
date; else a similar name (at most one character apart) with a similar village and
guardian, scored 0–1. Names and places are compared normalised (`engine.casework.names`).
Every lookup is by index, so a 10,000-row list against a 10,000-child register takes a
fraction of a second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from engine.casework.casefile import child_uuid, object_at, parse_date
from engine.casework.department_lists import ListRecord
from engine.casework.id_numbers import BadIdNumber, parse_id_number
from engine.casework.names import normalise, similarity

SIMILAR_ENOUGH = 0.75  # tier three: the least score that makes a candidate
# Words departments use for the categories of children (the profile form's ids).
CATEGORY_WORDS: tuple[tuple[str, str], ...] = (
    ("留守", "left_behind"), ("残疾", "disability"), ("残", "disability"),
    ("孤儿", "orphan"), ("事实无人抚养", "unsupported"), ("无人抚养", "unsupported"),
    ("低保", "poverty"), ("特困", "poverty"), ("困难", "poverty"), ("贫困", "poverty"),
    ("监护", "guardianship"), ("流动", "migrant"), ("单亲", "single_parent"),
    ("心理", "psychological"),
)  # fmt: skip


def categories_in(text: str, known: Iterable[str] = ()) -> list[str]:
    """The category ids a department's text names (its own ids are accepted as they are)."""
    found = [c for c in known if c == text.strip()]
    for word, category in CATEGORY_WORDS:
        if word in text and category not in found:
            found.append(category)
    return found


@dataclass(frozen=True, slots=True)
class RegisteredChild:
    id: str  # the child's uuid
    name: str
    key: str  # the normalised name
    birth_date: date | None
    id_number: str | None
    township: str
    village: str
    village_key: str
    guardian_key: str
    categories: tuple[str, ...]
    closed: bool


def registered(child: dict[str, Any]) -> RegisteredChild:
    answers = object_at(child, "answers")
    number = None
    if isinstance(answers.get("id_number"), str):
        try:
            number = parse_id_number(answers["id_number"]).number
        except BadIdNumber:
            number = None
    name, village = str(answers.get("name", "")), str(answers.get("village", ""))
    return RegisteredChild(
        id=child_uuid(str(child.get("_id", ""))),
        name=name,
        key=normalise(name),
        birth_date=parse_date(answers.get("birth_date")),
        id_number=number,
        township=str(answers.get("township", "")),
        village=village,
        village_key=normalise(village),
        guardian_key=normalise(str(answers.get("guardian_name", ""))),
        categories=tuple(str(c) for c in answers.get("categories", []) if isinstance(c, str)),
        closed=object_at(child, "case").get("state") == "closed",
    )


def _deletions(key: str) -> set[str]:
    """The name and every form of it with one character left out: two names at most one
    character apart (changed, added or dropped) share one of these."""
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))} if len(key) > 1 else {key}


class Register:
    """The children of the register, indexed for the three tiers."""

    def __init__(self, children: Iterable[dict[str, Any]]) -> None:
        self.children = [registered(c) for c in children]
        self.by_id_number: dict[str, RegisteredChild] = {}
        self.by_name_birth: dict[tuple[str, date], list[RegisteredChild]] = defaultdict(list)
        self.by_variant: dict[str, list[RegisteredChild]] = defaultdict(list)
        self.village_keys: list[tuple[str, str, str]] = []  # (key, village, township)
        self._addresses: dict[str, tuple[str, str]] = {}  # see _address_place
        places: dict[str, tuple[str, str]] = {}
        for child in self.children:
            if child.id_number:
                self.by_id_number.setdefault(child.id_number, child)
            if child.birth_date:
                self.by_name_birth[(child.key, child.birth_date)].append(child)
            for variant in _deletions(child.key):
                self.by_variant[variant].append(child)
            if child.village_key:
                places.setdefault(child.village_key, (child.village, child.township))
        # longest first, so that 上湾村 is not taken for 湾村 inside an address
        self.village_keys = sorted(
            ((k, v, t) for k, (v, t) in places.items()), key=lambda p: -len(p[0])
        )

    def place_of(self, record: ListRecord) -> tuple[str, str]:
        """(township, village) of a record: its columns, else a known village in its address."""
        village = record.fields.get("village", "")
        township = record.fields.get("township", "")
        if village:
            return township, village
        known_township, village = self._address_place(record.fields.get("address", ""))
        return township or known_township, village

    def _address_place(self, address: str) -> tuple[str, str]:
        """(township, village) a known village in the address gives, else the village the
        address names; found once per address (matching asks several times per record)."""
        found = self._addresses.get(address)
        if found is None:
            normalised = normalise(address)
            found = next(
                ((t, name) for key, name, t in self.village_keys if key and key in normalised),
                ("", _village_in(address)),
            )
            self._addresses[address] = found
        return found


def _village_in(address: str) -> str:
    """The first 村 or 社区 named in an address, with what comes before it after the 镇."""
    for mark in ("村", "社区", "居委会"):
        end = address.find(mark)
        if end > 0:
            start = max(address.rfind(s, 0, end) for s in ("镇", "乡", "街道", "县", "区", "市"))
            return address[start + 1 : end + len(mark)]
    return ""


@dataclass(frozen=True, slots=True)
class Match:
    """What the register says about one record, and why (message codes, with details)."""

    tier: str | None  # "id_number", "name_birth", "similar" or None (nobody)
    child: str | None
    child_name: str
    score: float
    reason: str
    differences: tuple[tuple[str, str], ...]  # (code, detail)
    new_categories: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "child": self.child,
            "child_name": self.child_name,
            "score": round(self.score, 3),
            "reason": self.reason,
            "differences": [list(d) for d in self.differences],
            "new_categories": list(self.new_categories),
        }


def match(record: ListRecord, register: Register, categories: Iterable[str] = ()) -> Match:
    """The registered child the record names, by the first tier that holds, or nobody."""
    wanted = tuple(categories)
    key = normalise(record.name)
    if record.id_number and (child := register.by_id_number.get(record.id_number)):
        return _found("id_number", child, 1.0, "match.id", record, key, register, wanted)
    if record.birth_date:
        same = register.by_name_birth.get((key, record.birth_date), [])
        if same:
            found = _found("name_birth", same[0], 1.0, "match.name-birth", record, key,
                           register, wanted)  # fmt: skip
            if len(same) > 1:
                extra = (("differs.ambiguous", str(len(same))),)
                return replace(found, differences=found.differences + extra)
            return found
    best: tuple[float, RegisteredChild] | None = None
    _, village = register.place_of(record)
    village_key = normalise(village)
    guardian_key = normalise(record.fields.get("guardian", ""))
    seen: set[str] = set()
    for variant in _deletions(key):
        for child in register.by_variant.get(variant, ()):
            if child.id in seen:
                continue
            seen.add(child.id)
            if record.id_number and child.id_number and record.id_number != child.id_number:
                continue  # two different people, whatever their names
            score = _score(key, child, village_key, guardian_key)
            if score >= SIMILAR_ENOUGH and (best is None or score > best[0]):
                best = (score, child)
    if best is not None:
        return _found("similar", best[1], best[0], "match.similar", record, key, register, wanted)
    return Match(None, None, "", 0.0, "match.none", (), wanted)


def _score(key: str, child: RegisteredChild, village_key: str, guardian_key: str) -> float:
    """Name half, village and guardian a quarter each; a missing side counts half."""
    name = similarity(key, child.key)
    village = similarity(village_key, child.village_key) if village_key else 0.5
    if 0.5 * name + 0.25 * village + 0.25 < SIMILAR_ENOUGH:
        return 0.0  # cannot reach a candidate whatever the guardian
    guardian = (
        similarity(guardian_key, child.guardian_key) if guardian_key and child.guardian_key else 0.5
    )
    return 0.5 * name + 0.25 * village + 0.25 * guardian


def _found(
    tier: str,
    child: RegisteredChild,
    score: float,
    reason: str,
    record: ListRecord,
    key: str,
    register: Register,
    wanted: tuple[str, ...],
) -> Match:
    differences: list[tuple[str, str]] = []
    if key != child.key:
        differences.append(("differs.name", child.name))
    _, village = register.place_of(record)
    if village and normalise(village) != child.village_key:
        differences.append(("differs.village", child.village))
    if record.birth_date and child.birth_date and record.birth_date != child.birth_date:
        differences.append(("differs.birth_date", child.birth_date.isoformat()))
    if record.id_number and child.id_number and record.id_number != child.id_number:
        differences.append(("differs.id_number", ""))
    new = tuple(c for c in wanted if c not in child.categories)
    if new:
        differences.append(("differs.category", ",".join(new)))
    if child.closed:
        differences.append(("differs.closed", ""))
    return Match(tier, child.id, child.name, score, reason, tuple(differences), new)
