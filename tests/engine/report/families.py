"""Families for the genogram tests: the issue's fifteen-member family, and random ones."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

# Three generations, a divorce, two remarriages, a deceased grandfather, a stepfather in
# prison, a full sister, a half-brother and a half-sister, a stepbrother; four people live
# with the child (grandmother, uncle, sister, cousin). Numbers are entry numbers (form v2).
FIFTEEN: dict[str, Any] = {
    "recorded_on": "2026-11-02",
    "members": [
        {"id": "pgf", "relationship": "paternal_grandfather", "name": "王德福", "sex": "male",
         "birth_year": 1950, "alive": False},
        {"id": "pgm", "relationship": "paternal_grandmother", "name": "李秀英", "sex": "female",
         "birth_year": 1953, "alive": True, "lives_with_child": True, "health": "ill",
         "guardianship_capacity": "fair", "tie_to_child": "close"},
        {"id": "mgf", "relationship": "maternal_grandfather", "name": "陈国强", "sex": "male",
         "birth_year": 1955, "alive": True, "lives_with_child": False},
        {"id": "mgm", "relationship": "maternal_grandmother", "name": "赵桂兰", "sex": "female",
         "birth_year": 1957, "alive": True, "lives_with_child": False},
        {"id": "f", "relationship": "father", "name": "王建军", "sex": "male", "birth_year": 1982,
         "alive": True, "lives_with_child": False, "father": 1, "mother": 2,
         "work_location": "广东深圳", "months_away": 30, "contact_frequency": "monthly",
         "guardianship_capacity": "poor", "tie_to_child": "distant"},
        {"id": "m", "relationship": "mother", "name": "陈丽", "sex": "female", "birth_year": 1985,
         "alive": True, "lives_with_child": False, "father": 3, "mother": 4,
         "work_location": "浙江宁波", "months_away": 18, "contact_frequency": "weekly",
         "tie_to_child": "close"},
        {"id": "sm", "relationship": "stepmother", "name": "刘芳", "sex": "female",
         "birth_year": 1988, "alive": True, "lives_with_child": False, "tie_to_child": "hostile"},
        {"id": "sf", "relationship": "stepfather", "name": "张伟", "sex": "male",
         "birth_year": 1980, "alive": True, "lives_with_child": False,
         "special_status": ["in_prison"], "tie_to_child": "abusive"},
        {"id": "u", "relationship": "uncle", "name": "王建国", "sex": "male", "birth_year": 1979,
         "alive": True, "lives_with_child": True, "father": 1, "mother": 2,
         "guardianship_capacity": "good", "tie_to_child": "close"},
        {"id": "a", "relationship": "aunt", "name": "陈静", "sex": "female", "birth_year": 1988,
         "alive": True, "lives_with_child": False, "father": 3, "mother": 4},
        {"id": "s", "relationship": "sister", "name": "王小红", "sex": "female",
         "birth_year": 2010, "alive": True, "lives_with_child": True, "father": 5, "mother": 6,
         "tie_to_child": "close"},
        {"id": "hb", "relationship": "brother", "name": "王小军", "sex": "male",
         "birth_year": 2019, "alive": True, "lives_with_child": False, "father": 5, "mother": 7},
        {"id": "hs", "relationship": "sister", "name": "张小美", "sex": "female",
         "birth_year": 2018, "alive": True, "lives_with_child": False, "father": 8, "mother": 6},
        {"id": "sb", "relationship": "brother", "name": "刘洋", "sex": "male", "birth_year": 2012,
         "alive": True, "lives_with_child": False, "father": "unknown", "mother": 7},
        {"id": "c", "relationship": "other", "name": "王浩", "sex": "male", "birth_year": 2013,
         "alive": True, "lives_with_child": True, "father": 9, "mother": "unknown",
         "tie_to_child": "close"},
    ],
    "couples": [
        {"partner_a": 1, "partner_b": 2, "status": "married"},
        {"partner_a": 3, "partner_b": 4, "status": "married"},
        {"partner_a": 5, "partner_b": 6, "status": "divorced"},
        {"partner_a": 5, "partner_b": 7, "status": "married"},
        {"partner_a": 6, "partner_b": 8, "status": "married"},
    ],
    "income_sources": ["farming", "migrant_work"],
    "benefits": ["dibao", "temporary_assistance"],
}  # fmt: skip
FIFTEEN_HOUSEHOLD = {"pgm", "u", "s", "c"}

GENERATIONS = (
    ("paternal_grandfather", "paternal_grandmother", "maternal_grandfather",
     "maternal_grandmother", "other"),
    ("father", "mother", "stepfather", "stepmother", "uncle", "aunt", "other"),
    ("brother", "sister", "other"),
)  # fmt: skip
SEX = {"father": "male", "stepfather": "male", "uncle": "male", "brother": "male",
       "paternal_grandfather": "male", "maternal_grandfather": "male", "mother": "female",
       "stepmother": "female", "aunt": "female", "sister": "female",
       "paternal_grandmother": "female", "maternal_grandmother": "female"}  # fmt: skip


@st.composite
def families(draw: st.DrawFn) -> dict[str, Any]:
    """A random family of 1–20 members over three generations, as form version 2 records it:
    parents among the generation above (or unknown, or not recorded), couples within a
    generation with any status, anyone alive or dead, living with the child or not."""
    size = draw(st.integers(1, 20))
    generations = sorted(draw(st.lists(st.integers(0, 2), min_size=size, max_size=size)))
    members: list[dict[str, Any]] = []
    for i, g in enumerate(generations):
        relationship = draw(st.sampled_from(GENERATIONS[g]))
        alive = draw(st.booleans()) if g == 0 else draw(st.integers(0, 9)) > 0
        member: dict[str, Any] = {
            "id": f"m{i}",
            "relationship": relationship,
            "name": draw(st.sampled_from(["王某", "李建华", "", "Li Na"])),
            "sex": SEX.get(relationship) or draw(st.sampled_from(["male", "female"])),
            "birth_year": 1940 + 25 * g + draw(st.integers(0, 24)),
            "alive": alive,
        }
        if alive:
            member["lives_with_child"] = draw(st.booleans())
            tie = draw(st.sampled_from(["close", "normal", "distant", "hostile", "abusive", None]))
            if tie:
                member["tie_to_child"] = tie
        above = [n for n, h in enumerate(generations, start=1) if h == g - 1]
        for slot in ("father", "mother"):
            if above and draw(st.integers(0, 3)):
                member[slot] = draw(st.sampled_from([*above, "unknown"]))
        members.append(member)
    couples = []
    for _ in range(draw(st.integers(0, min(6, size // 2 + 1)))):
        a, b = draw(st.integers(1, size)), draw(st.integers(1, size))
        if a != b and generations[a - 1] == generations[b - 1]:
            status = draw(st.sampled_from(["married", "separated", "divorced", "cohabiting"]))
            couples.append({"partner_a": a, "partner_b": b, "status": status})
    return {"members": members, "couples": couples}
