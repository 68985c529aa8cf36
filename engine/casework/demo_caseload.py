"""A fictional caseload, so that a newcomer sees every colour and every screen at once.

Every name and place is invented. Children follow a planted course ("stable", or one of the
early-warning patterns), so tests can check the early-warning model against a known truth.
Assessments are finalised by the real engine: bands, scores and needs are computed, not typed.
"""

from __future__ import annotations

import json
import random
import uuid as uuidlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from engine.casework.case_documents import finalise, new_child, new_entry, new_plan
from engine.casework.lifecycle import transition
from engine.casework.review_chain import add_review_step
from engine.forms.form import Form
from engine.forms.registry import FormRegistry
from engine.forms.results import Override

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "子涵欣怡浩然梓萱宇轩一诺雨桐俊杰思远佳怡明轩心悦晨曦嘉豪诗琪博文若汐天佑"
PLACES = (
    ("青山镇", "石桥村"),
    ("青山镇", "柳塘村"),
    ("青山镇", "上湾村"),
    ("白溪镇", "白溪社区"),
    ("白溪镇", "竹林村"),
    ("白溪镇", "松岭村"),
    ("云岗乡", "云岗村"),
    ("云岗乡", "下坪村"),
)
CATEGORIES = (
    "left_behind",
    "poverty",
    "disability",
    "guardianship",
    "orphan",
    "unsupported",
    "migrant",
    "single_parent",
    "psychological",
)
COURSES = ("persistent_high", "rising", "jump", "urgent")
DEVICE = "demo-laptop"
WORKERS = ("李老师", "陈社工", "周主任", "王督导")


@dataclass
class FictionalChild:
    """One child's documents, and the course it was planted with."""

    uuid: str
    course: str
    target_band: str
    child: dict[str, Any]
    documents: list[dict[str, Any]] = field(default_factory=list)

    def all(self) -> list[dict[str, Any]]:
        return [self.child, *self.documents]


def caseload(
    count: int,
    *,
    today: date,
    seed: int = 2026,
    warned_share: float = 0.046,
    district: str = "demo",
    forms: FormRegistry | None = None,
) -> list[FictionalChild]:
    """`count` fictional children; about `warned_share` of them follow an early-warning course."""
    forms = forms or FormRegistry.load()
    rng = random.Random(seed)
    warned = round(count * warned_share)
    courses = [COURSES[i % len(COURSES)] for i in range(warned)] + ["stable"] * (count - warned)
    rng.shuffle(courses)
    bands = ("red", "orange", "yellow", "green")
    return [
        _child(rng, i, course, bands[i % 4], today, district, forms)
        for i, course in enumerate(courses)
    ]


def _uuid(rng: random.Random) -> str:
    return uuidlib.UUID(int=rng.getrandbits(128), version=4).hex


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(9 + rng.randrange(8), rng.randrange(60)))


def _child(
    rng: random.Random,
    index: int,
    course: str,
    band: str,
    today: date,
    district: str,
    forms: FormRegistry,
) -> FictionalChild:
    uid = _uuid(rng)
    sex = rng.choice(("male", "female"))
    township, village = PLACES[(index * 3 + index // 4) % len(PLACES)]
    # Dated back from today, so that the caseload is mostly up to date whenever it is made:
    # the latest assessment within the year (one child in twelve is late for the yearly
    # one), assessed yearly since intake; at least 60 days ago, so that the visits since
    # (the last three observations, that early warning reads) follow the planted course.
    late_assessment = index % 12 == 7
    latest = today - timedelta(days=rng.randrange(370, 420) if late_assessment
                               else rng.randrange(60, 330))  # fmt: skip
    years = rng.randrange(0, 2)  # two assessments at most: three could rise by chance
    first = latest - timedelta(days=365 * years)
    intake = first - timedelta(days=rng.randrange(5, 25))
    worker = WORKERS[index % 3]
    categories = sorted({CATEGORIES[index % len(CATEGORIES)], rng.choice(CATEGORIES)})
    birth = today - timedelta(days=rng.randrange(3 * 365, 16 * 365))
    profile: dict[str, Any] = {
        "name": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
        "sex": sex,
        "birth_date": birth.isoformat(),
        "categories": categories,
        "district": district,
        "township": township,
        "village": village,
        "school": f"{township}中心小学",
        "guardian_relation": rng.choice(("grandparent", "parent", "relative")),
        "child_director": worker,
        "intake_date": intake.isoformat(),
        "discovery": rng.choice(("screening", "data_matching", "mandatory_report")),
    }
    if "left_behind" in categories:
        profile["father_months_away"] = rng.randrange(3, 13)
    made = _at(intake, rng)
    child = new_child(
        uid,
        profile,
        forms.get("child-profile"),
        district=district,
        by=worker,
        device=DEVICE,
        at=made,
    )
    record = FictionalChild(uid, course, band, child)
    stamp = {"district": district, "by": worker, "device": DEVICE}

    def entry(
        form: Form, answers: dict[str, Any], on: date, override: Override | None = None
    ) -> dict[str, Any]:
        doc = new_entry(uid, _uuid(rng), form, at=_at(on, rng), **stamp)
        doc["answers"] = answers
        return finalise(doc, form, by=worker, device=DEVICE, at=_at(on, rng), override=override)

    # Assessments at intake and every year since, risk near the planted band.
    risk, needs, visit = forms.get("risk"), forms.get("needs"), forms.get("visit")
    assessed = [first + timedelta(days=365 * n) for n in range(years + 1)]
    base = {"red": 44, "orange": 31, "yellow": 18, "green": 6}[band]
    for n, on in enumerate(assessed):
        last = n == len(assessed) - 1
        flags = last and band == "red" and index % 24 == 0
        answers = _risk_answers(rng, risk, base + rng.randrange(-4, 5), on, worker, flags)
        override = None
        if last and band == "orange" and index % 36 == 1:
            override = Override(
                to_band="red", reason="监护人近期多次酗酒，儿童独自在家", by="王督导"
            )
        doc = entry(risk, answers, on, override)
        if last and index % 5 == 0:
            doc = add_review_step(doc, "submit", worker, set(), _at(on + timedelta(days=1), rng))
            doc = add_review_step(
                doc, "approve", "王督导", {"supervisor"}, _at(on + timedelta(days=3), rng)
            )
        record.documents.append(doc)
        record.documents.append(entry(needs, _needs_answers(rng, needs, base, on, worker), on))
    if index % 10 != 3:  # some children have no family recorded yet
        family = forms.get("family")
        record.documents.append(entry(family, _family(rng, index, sex, assessed[0]), assessed[0]))

    # Visits at the cadence the rules ask of the band (weekly for red, every two weeks
    # otherwise), back from a recent one; one child in six has not been seen for a while.
    every = 7 if band == "red" else 14
    seen = today - timedelta(days=rng.randrange(0, every))
    if index % 6 == 5:
        seen -= timedelta(days=rng.randrange(every + 5, every + 40))
    days = [seen - timedelta(days=every * k) for k in range(24)]
    days = sorted(d for d in days if d > assessed[-1])
    totals = _visit_totals(rng, course, len(days))
    for k, (on, total) in enumerate(zip(days, totals, strict=True)):
        urgent = course == "urgent" and k == len(days) - 1
        # home often enough for every home-visit rule (every second visit: two to four weeks)
        home = (len(days) - 1 - k) % 2 == 0
        kind = "home" if home or urgent else rng.choice(("phone", "school"))
        record.documents.append(entry(visit, _visit_answers(rng, total, on, kind, urgent), on))

    # The case's course: assessed, planned, in service; a few closed.
    state_at = _at(assessed[0] + timedelta(days=1), rng)
    child = transition(child, "assessing", worker, state_at, "")
    if index % 4 != 2:
        child = transition(
            child, "planned", worker, state_at + timedelta(days=10), "一人一策已制定"
        )
        record.documents.append(_plan(rng, uid, worker, assessed[0], district))
        child = transition(child, "in_service", worker, state_at + timedelta(days=20), "")
    if index % 25 == 24 and course == "stable":
        child = transition(
            child,
            "closed",
            "王督导",
            _at(today - timedelta(days=20), rng),
            "儿童随父母迁往外省，转介当地",
        )
    record.child = child
    return record


def _risk_answers(
    rng: random.Random, form: Form, total: int, on: date, assessor: str, red_flag: bool
) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "assessment_date": on.isoformat(),
        "assessor": assessor,
        "place": "home",
    }
    items = [f.name for f in form.scored]
    flags = json.dumps(form.document.get("x-red-flags", []))
    ceiling = {n: 2 if f'"{n}"' in flags else 3 for n in items}  # a 3 there is a red flag
    ratings = dict.fromkeys(items, 0)
    total = max(0, min(total, sum(ceiling.values())))
    while sum(ratings.values()) < total:
        name = rng.choice(items)
        if ratings[name] < ceiling[name]:
            ratings[name] += 1
    answers.update(ratings)
    if total < 25 and rng.random() < 0.2:  # low bands only: an override must stay one step
        answers[rng.choice(items)] = "unknown"
    if ratings.get("illness_disability", 0) >= 1:
        answers["disability_type"] = "physical"
        answers["disability_grade"] = 3
    if ratings.get("behaviour_problems", 0) >= 1:
        answers["behaviour_kinds"] = ["truancy"]
    for name in form.fields:
        if name.startswith("rf_"):
            answers[name] = False
    if red_flag:
        answers["rf_violence_abuse"] = True
    answers["analysis"] = "入户评估完成，详见各项评分。"
    return {k: v for k, v in answers.items() if k in form.fields}


def _needs_answers(
    rng: random.Random, form: Form, base: int, on: date, assessor: str
) -> dict[str, Any]:
    answers: dict[str, Any] = {"assessment_date": on.isoformat(), "assessor": assessor}
    level = min(3, base // 12)
    for name in form.fields:
        if name.startswith("need_"):
            answers[name] = max(0, min(3, level + rng.randrange(-2, 2)))
        elif name.startswith("strength_"):
            answers[name] = rng.randrange(0, 4)
    return answers


def _visit_totals(rng: random.Random, course: str, count: int) -> list[int]:
    """Visit scores (six areas, 0–18) whose last three follow the planted course."""
    calm = [rng.choice((0, 1, 2, 3, 2, 1)) for _ in range(count)]
    for i in range(2, count):  # a calm course must not rise three times running
        if calm[i - 2] < calm[i - 1] < calm[i]:
            calm[i] = calm[i - 1]
    tail = {
        "persistent_high": [10, 9, 10],
        "rising": [1, 3, 5],
        "jump": [2, 2, 9],
        "urgent": [1, 1, 2],
    }.get(course)
    if tail and count >= 3:
        calm[-3:] = tail
    return calm


def _visit_answers(
    rng: random.Random, total: int, on: date, kind: str, urgent: bool
) -> dict[str, Any]:
    areas = [
        "family_situation",
        "appearance",
        "community_behaviour",
        "neighbour_relations",
        "social_support",
        "key_concerns",
    ]
    ratings = dict.fromkeys(areas, 0)
    while sum(ratings.values()) < total:
        name = rng.choice(areas)
        if ratings[name] < 3:
            ratings[name] += 1
    answers: dict[str, Any] = {
        "visit_date": on.isoformat(),
        "kind": kind,
        "present": ["child", "caregiver"],
        **ratings,
        "urgent_injury": urgent,
        "urgent_behaviour": False,
        "notes": "儿童身上发现新伤痕，已报告。" if urgent else "情况平稳。",
    }
    return answers


def _family(rng: random.Random, index: int, child_sex: str, on: date) -> dict[str, Any]:
    """Parents and grandparents, each member with their own parents (family form version 2).

    Every 9th family is large: a divorce, the father remarried, a deceased grandfather, a
    full brother, a half-sister (father and stepmother), a stepbrother (the stepmother's son,
    father unknown), an uncle and an aunt. Every 7th has a mother who remarried a man now in
    prison, and a half-brother from that marriage. No draws from `rng`: the planted courses of
    the caseload stay as they were.
    """
    year = on.year
    father_home, mother_home = index % 3 == 0, index % 2 == 0
    members = [
        _member("f", "father", "male", year - 38, alive=True, lives=father_home,
                parents=("gf", "gm"), work=None if father_home else ("广东东莞", 10, "monthly")),
        _member("m", "mother", "female", year - 36, alive=index % 11 != 5, lives=mother_home,
                work=None if mother_home else ("浙江义乌", 8, "weekly")),
        _member("gf", "paternal_grandfather", "male", year - 66, alive=True, lives=True),
        _member("gm", "paternal_grandmother", "female", year - 64, alive=True, lives=True),
    ]  # fmt: skip
    couples = [("f", "m", "married")]
    if index % 7 == 2:
        members[0]["health"] = "disabled"
    if index % 9 == 0:
        couples[0] = ("f", "m", "divorced")
        members[1]["parents"] = ("mgf", "mgm")
        members += [
            _member("sm", "stepmother", "female", year - 34, alive=True, lives=True),
            _member("mgf", "maternal_grandfather", "male", year - 70, alive=False, lives=False),
            _member("mgm", "maternal_grandmother", "female", year - 68, alive=True, lives=False),
            _member("b", "brother", "male", year - 15, alive=True, lives=True, parents=("f", "m")),
            _member("s", "sister", "female", year - 6, alive=True, lives=True,
                    parents=("f", "sm")),
            _member("sb", "brother", "male", year - 12, alive=True, lives=True,
                    parents=("unknown", "sm"), tie="distant"),
            _member("u", "uncle", "male", year - 40, alive=True, lives=False, tie="distant",
                    parents=("gf", "gm")),
            _member("a", "aunt", "female", year - 39, alive=True, lives=False,
                    parents=("mgf", "mgm")),
            _member("o", "other", "male", year - 45, alive=False, lives=False),
        ]  # fmt: skip
        couples += [("f", "sm", "married"), ("mgf", "mgm", "married")]
    elif index % 7 == 3 and members[1]["alive"]:
        couples[0] = ("f", "m", "divorced")
        members += [
            _member("sf", "stepfather", "male", year - 40, alive=True, lives=False),
            _member("hb", "brother", "male", year - 4, alive=True, lives=False,
                    parents=("sf", "m")),
        ]  # fmt: skip
        members[-2]["special_status"] = ["in_prison"]
        members[-2]["tie_to_child"] = "hostile"
        couples.append(("m", "sf", "married"))
    couples.append(("gf", "gm", "married"))
    if index % 13 == 4:
        members[0]["tie_to_child"] = "hostile"
    number = {m["id"]: i for i, m in enumerate(members, start=1)}
    for m in members:  # parents by entry number, as the form records them
        for slot, parent in zip(("father", "mother"), m.pop("parents", (None, None)), strict=True):
            if parent is not None:
                m[slot] = number.get(parent, "unknown")
    return {
        "recorded_on": on.isoformat(),
        "members": members,
        "couples": [
            {"partner_a": number[a], "partner_b": number[b], "status": status}
            for a, b, status in couples
        ],
        "income_sources": ["farming", "migrant_work"],
        "benefits": ["dibao"] if index % 3 == 0 else [],
    }


def _member(
    mid: str,
    relationship: str,
    sex: str,
    birth_year: int,
    *,
    alive: bool,
    lives: bool,
    tie: str = "normal",
    parents: tuple[str, str] | None = None,
    work: tuple[str, int, str] | None = None,
) -> dict[str, Any]:
    member: dict[str, Any] = {
        "id": mid,
        "relationship": relationship,
        "name": {"father": "父", "mother": "母"}.get(relationship, "") + "某",
        "sex": sex,
        "birth_year": birth_year,
        "alive": alive,
    }
    if parents:
        member["parents"] = parents
    if alive:
        member.update(
            lives_with_child=lives,
            health="healthy",
            guardianship_capacity="fair",
            tie_to_child="close" if lives else tie,
        )
        if work:
            place, months, contact = work
            member.update(work_location=place, months_away=months, contact_frequency=contact)
    return member


def _plan(rng: random.Random, child: str, worker: str, on: date, district: str) -> dict[str, Any]:
    body = {
        "goals": ["保障日常照料与安全", "每月学业跟进"],
        "services": [
            {
                "kind": "individual",
                "description": "个案辅导：情绪支持与安全自护教育",
                "needs": ["emotional", "safety"],
                "responsible": worker,
                "start": (on + timedelta(days=14)).isoformat(),
            },
            {
                "kind": "group",
                "description": "暑期儿童之家小组活动",
                "needs": ["social"],
                "responsible": "儿童之家",
                "start": (on + timedelta(days=30)).isoformat(),
            },
        ],
        "progress": [
            {
                "at": _at(on + timedelta(days=45), rng).isoformat(),
                "by": worker,
                "note": "完成第一次个案辅导。",
            }
        ],
    }
    return new_plan(
        child,
        _uuid(rng),
        body,
        district=district,
        by=worker,
        device=DEVICE,
        at=_at(on + timedelta(days=10), rng),
    )


def documents(children: list[FictionalChild]) -> Iterator[dict[str, Any]]:
    for child in children:
        yield from child.all()
