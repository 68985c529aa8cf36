"""A document's revision tree, kept as one value (as PouchDB keeps it). Pure functions.

The tree maps every known revision to its parent (None at a root, or once ancestors are
stemmed) and whether that revision is a deletion. Leaves are the revisions nobody's parent.
"""

from __future__ import annotations

import orjson

from sync.revisions import Leaf, generation

Tree = dict[str, tuple[str | None, bool]]


def loads(text: str | None) -> Tree:
    if not text:
        return {}
    return {rev: (parent, bool(deleted)) for rev, (parent, deleted) in orjson.loads(text).items()}


def dumps(tree: Tree) -> str:
    return orjson.dumps(
        {rev: [parent, int(deleted)] for rev, (parent, deleted) in tree.items()}
    ).decode()


def leaves(tree: Tree) -> list[Leaf]:
    """Every leaf, the winner first (CouchDB's order)."""
    parents = {parent for parent, _ in tree.values()}
    found = [Leaf(rev, deleted) for rev, (_, deleted) in tree.items() if rev not in parents]
    if len(found) > 1:  # (most documents have one: nothing to order)
        found.sort(key=lambda leaf: leaf.sort_key, reverse=True)
    return found


def from_chain(chain: list[str], deleted: bool) -> Tree:
    """The tree of one replicated revision and its ancestors (newest first)."""
    parents: list[str | None] = [*chain[1:], None]
    tree: Tree = {rev: (parent, False) for rev, parent in zip(chain, parents, strict=True)}
    tree[chain[0]] = (chain[1] if len(chain) > 1 else None, deleted)
    return tree


def add_chain(tree: Tree, chain: list[str], deleted: bool) -> bool:
    """Graft a replicated revision and its ancestors (newest first); whether it was new.
    A revision known without its parent (stemmed, or received alone) gets it back."""
    if chain[0] in tree:
        return False
    for i in range(len(chain) - 1, -1, -1):
        rev = chain[i]
        parent = chain[i + 1] if i + 1 < len(chain) else None
        known = tree.get(rev)
        if known is None:
            tree[rev] = (parent, deleted and i == 0)
        elif known[0] is None and parent is not None:
            tree[rev] = (parent, known[1])
    return True


def ancestry(tree: Tree, rev: str, limit: int) -> list[str]:
    """`rev` and its known ancestors, newest first, at most `limit` long."""
    chain = [rev]
    while len(chain) < limit:
        parent = tree.get(chain[-1], (None, False))[0]
        if parent is None:
            break
        chain.append(parent)
    return chain


def needs_stemming(tree: Tree, limit: int) -> bool:
    if len(tree) <= limit:  # every revision is within `limit` of a leaf below it
        return False
    gens = [generation(rev) for rev in tree]
    return max(gens) - min(gens) + 1 > limit


def stem(tree: Tree, limit: int) -> list[str]:
    """Forget ancestors more than `limit` revisions behind every leaf; returns those dropped."""
    keep: set[str] = set()
    for leaf in leaves(tree):
        keep.update(ancestry(tree, leaf.rev, limit))
    dropped = [rev for rev in tree if rev not in keep]
    for rev in dropped:
        del tree[rev]
    for rev, (parent, deleted) in list(tree.items()):
        if parent is not None and parent not in tree:
            tree[rev] = (None, deleted)
    return dropped


def common_ancestor(tree: Tree, revs: list[str]) -> str | None:
    """The newest revision in the history of every one of `revs` (the first one's order)."""
    histories = [ancestry(tree, rev, len(tree) + 1) for rev in revs]
    shared = set(histories[0]).intersection(*histories[1:])
    return next((rev for rev in histories[0] if rev in shared), None)
