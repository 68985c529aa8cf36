"""Reading every child's file from the replica, one child at a time."""

from __future__ import annotations

from collections import defaultdict

import pytest

import sync.store
from engine.casework.casefile import child_uuid
from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tui.case_files import case_files, each_case_file

CHILDREN = ["c1", "c10", "c2", "u", "u0", "u00", "\u738b", "lonely"]
OTHERS = [
    ("assessment", "c1:a"), ("assessment", "c10:b"), ("assessment", "c10:c"),
    ("visit", "c1:v"), ("visit", "c2:v"), ("plan", "c10:p"), ("plan", "c1:p"),
    ("assessment", "u"),  # an odd id without the entry part: still the child's
    ("assessment", "u0:z"), ("visit", "u00:y"), ("visit", "u0"),
    ("assessment", "\u738b:1"), ("visit", "zz:1"), ("plan", "c3:1"),  # no such children
]  # fmt: skip


def _by_child(files: list) -> dict[str, list[str]]:  # type: ignore[type-arg]
    return {f.child["_id"]: sorted([o.id for o in f.observations] + [p["_id"] for p in f.plans])
            for f in files}  # fmt: skip


@pytest.mark.parametrize("page", [1, 2, 3, 1000])
def test_each_file_gets_exactly_its_childs_documents_whatever_the_page(
    tmp_path, monkeypatch, page: int
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sync.store, "ALL_DOCS_PAGE", page)
    with Store.open(tmp_path / "replica.db", "pass", kdf_cost=FAST_KDF) as store:
        docs = [{"_id": f"child:{c}", "type": "child", "district": "d" if c != "c2" else "e",
                 "answers": {"name": c}} for c in CHILDREN]  # fmt: skip
        docs += [
            {"_id": f"{kind}:{rest}", "type": kind, "status": "final"} for kind, rest in OTHERS
        ]
        store.put_many(docs)
        expected: dict[str, list[str]] = defaultdict(list)
        for kind, rest in OTHERS:
            owner = child_uuid(f"{kind}:{rest}")
            if owner in CHILDREN:
                expected[f"child:{owner}"].append(f"{kind}:{rest}")
        walked = list(each_case_file(store))
        assert _by_child(walked) == {f"child:{c}": sorted(expected[f"child:{c}"]) for c in CHILDREN}
        assert _by_child(case_files(store)) == _by_child(walked)
        in_d = _by_child(list(each_case_file(store, "d")))
        assert set(in_d) == {f"child:{c}" for c in CHILDREN if c != "c2"}
