from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.revisions import (
    BadRevision,
    Leaf,
    chain_from_revisions,
    new_rev,
    parse_rev,
    revisions_field,
    winner,
)

hexes = st.text("0123456789abcdef", min_size=32, max_size=32)
revs = st.builds(lambda g, h: f"{g}-{h}", st.integers(1, 30), hexes)


def test_new_rev_ids_are_generation_and_32_lowercase_hex() -> None:
    rev = new_rev(None, {"name": "x"}, False)
    assert parse_rev(rev)[0] == 1 and len(rev) == 34 and rev == rev.lower()
    child = new_rev(rev, {"name": "y"}, False)
    assert parse_rev(child)[0] == 2


def test_any_revision_id_couchdb_accepts_is_accepted() -> None:
    # CouchDB takes any suffix from a replicated write; only 32 characters must be hex
    odd = ("9-dddd", "1-ABC", "0-abc", "2-" + "a" * 40, "3-a-b", "4-日本", "1-", "5-" + "F" * 32)
    for rev in odd:
        assert parse_rev(rev)[0] == int(rev.split("-")[0])
    for bad in ("1-" + "g" * 32, "x", "-1-a", "01-a", "1a-b", "", None):
        with pytest.raises(BadRevision):
            parse_rev(bad)  # type: ignore[arg-type]


def test_the_order_is_couchdbs_bytes_not_the_string() -> None:
    # seen on CouchDB 3.4.3: 32 hex characters compare as their 16 bytes, others as text
    hexed, text = "2-7f" + "0" * 30, "2-abc"
    assert hexed < text  # as strings "abc" would win
    assert winner([Leaf(hexed, False), Leaf(text, False)]).rev == hexed
    assert winner([Leaf("2-ff", False), Leaf("2-" + "f" * 32, False)]).rev == "2-" + "f" * 32
    assert winner([Leaf("3-dddd", False), Leaf("2-" + "f" * 32, False)]).rev == "3-dddd"


def test_winner_prefers_live_then_generation_then_rev_string() -> None:
    a, b = "3-" + "a" * 32, "3-" + "b" * 32
    assert winner([Leaf(a, False), Leaf(b, False)]).rev == b
    assert winner([Leaf("4-" + "0" * 32, True), Leaf(a, False)]).rev == a
    assert winner([Leaf("10-" + "0" * 32, False), Leaf("9-" + "f" * 32, False)]).rev.startswith(
        "10-"
    )  # generations compare as numbers, not strings


@given(st.lists(st.tuples(revs, st.booleans()), min_size=1, max_size=6, unique_by=lambda t: t[0]))
def test_winner_does_not_depend_on_order(leaves: list[tuple[str, bool]]) -> None:
    as_leaves = [Leaf(r, d) for r, d in leaves]
    assert winner(as_leaves) == winner(list(reversed(as_leaves)))


def test_revisions_round_trip() -> None:
    chain = ["3-" + "c" * 32, "2-" + "b" * 32, "1-" + "a" * 32]
    assert revisions_field(chain) == {"start": 3, "ids": ["c" * 32, "b" * 32, "a" * 32]}
    assert chain_from_revisions(revisions_field(chain)) == chain
    assert chain_from_revisions({"start": 1, "ids": ["q", "p"]}) == ["1-q", "0-p"]  # as CouchDB
    for bad in ({"start": 0, "ids": ["a", "b"]}, {"start": "2", "ids": ["a"]}, {"start": 1}):
        with pytest.raises((BadRevision, KeyError)):
            chain_from_revisions(bad)
