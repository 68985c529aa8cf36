"""Revision trees: stemming is skipped only where it would drop nothing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sync import revtree
from sync.revtree import Tree


@st.composite
def trees(draw: st.DrawFn) -> Tree:
    """Branches grafted as replication grafts them: each a chain of consecutive generations
    ending anywhere, sharing a prefix with an earlier one or stemmed (starting late)."""
    tree: Tree = {}
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(1, 30))
        length = draw(st.integers(1, 12))
        branch = draw(st.sampled_from("abc"))
        fork = start + length // 2  # shared with branch "a" up to here
        chain = [f"{g}-{branch if g > fork else 'a'}{g}" for g in range(start, start + length)]
        revtree.add_chain(tree, chain[::-1], draw(st.booleans()))
    return tree


@given(trees(), st.integers(1, 20))
def test_a_tree_said_not_to_need_stemming_loses_nothing_to_stemming(tree: Tree, limit: int) -> None:
    stemmed = dict(tree)
    dropped = revtree.stem(stemmed, limit)
    if not revtree.needs_stemming(tree, limit):
        assert dropped == [] and stemmed == tree


def test_a_small_tree_far_apart_in_generations_needs_no_stemming() -> None:
    tree: Tree = {}
    revtree.add_chain(tree, ["1-a"], False)
    revtree.add_chain(tree, ["1500-c", "1499-b"], False)  # stemmed: its ancestors unknown
    assert not revtree.needs_stemming(tree, 1000)
    assert revtree.stem(dict(tree), 1000) == []
