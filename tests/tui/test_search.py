"""Searching the case list: by name, pinyin, initials and village; ids only when the text
could be one; names sorted in pinyin order."""

from __future__ import annotations

from tui.case_index import Query, matching, ordered, row_from_child

CHILDREN = [
    ("0a1b2c3d4e5f60718293a4b5c6d7e8f9", "王小明", "石桥村"),
    ("bbbbbbbb4e5f60718293a4b5c6d7e8f9", "李华", "柳塘村"),
    ("cccccccc4e5f60718293a4b5c6d7e8f9", "张伟", "石桥村"),
]
ROWS = [
    row_from_child({"_id": f"child:{uid}", "answers": {"name": name, "village": village}})
    for uid, name, village in CHILDREN
]


def names(text: str) -> list[str]:
    return [r.name for r in matching(ROWS, Query(text=text))]


def test_a_name_is_found_by_its_characters_pinyin_and_initials() -> None:
    assert names("王小") == ["王小明"]
    assert names("wangxiaoming") == ["王小明"]
    assert names("wang xiao") == ["王小明"]
    assert names("wxm") == ["王小明"]
    assert names("lh") == ["李华"]


def test_a_village_finds_its_children() -> None:
    assert names("石桥") == ["王小明", "张伟"]


def test_ids_match_only_text_that_looks_like_an_id() -> None:
    assert names("b") == []  # was: every child, through hidden ids full of b
    assert names("bbbbbbbb") == ["李华"]
    assert names("0a1b") == ["王小明"]


def test_names_sort_in_pinyin_order() -> None:
    assert [r.name for r in ordered(ROWS, "name", {})] == ["李华", "王小明", "张伟"]
