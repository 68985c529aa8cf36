"""x-migration: answers moved between versions, and the check against both versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine.definitions import lint_paths
from engine.forms.form import Form
from engine.forms.migration import NoMigration, chain, migrate_answers
from tests.sync.test_published_forms import risk_v2


def family(version: int, **migration: Any) -> dict[str, Any]:
    label = {"zh-CN": "x", "en": "x"}
    relation = {"enum": ["mother", "father", "grandparent"], "x-label": label,
                "x-options": {k: label for k in ("mother", "father", "grandparent")}}  # fmt: skip
    if version == 2:
        relation["enum"] = ["mother", "father", "grandmother", "grandfather"]
        relation["x-options"] = {k: label for k in relation["enum"]}
    member = {"type": "object", "x-label": label,
              "properties": {("relationship" if version == 2 else "relation"): relation,
                             "note": {"type": "string", "x-label": label}}}  # fmt: skip
    doc: dict[str, Any] = {
        "x-form": {"id": "fam", "version": version, "title": label},
        "type": "object",
        "properties": {"members": {"type": "array", "items": member, "x-label": label},
                       "old_only": {"type": "string", "x-label": label}},
    }  # fmt: skip
    if version == 2:
        del doc["properties"]["old_only"]
        doc["x-migration"] = {"from": 1, **migration}
    return doc


def check(tmp_path: Path, *docs: dict[str, Any]) -> list[tuple[str, str]]:
    for doc in docs:
        name = f"{doc['x-form']['id']}.v{doc['x-form']['version']}.json"
        (tmp_path / name).write_text(json.dumps(doc), "utf-8")
    return [(p.code, p.pointer) for p in lint_paths([tmp_path])]


GOOD = {
    "rename": {"members/relation": "members/relationship"},
    "values": {"members/relation": {"grandparent": "grandmother"}},
    "remove": ["old_only"],
}


def test_answers_move_through_renames_mappings_and_removals_in_every_member() -> None:
    v1, v2 = Form(family(1)), Form(family(2, **GOOD))
    answers = {"members": [{"relation": "grandparent", "note": "n"}, {"relation": "mother"}],
               "old_only": "x"}  # fmt: skip
    moved = migrate_answers(answers, chain({1: v1, 2: v2}, 1, 2))
    assert moved.answers == {
        "members": [{"relationship": "grandmother", "note": "n"}, {"relationship": "mother"}]
    }
    assert answers["old_only"] == "x"  # the input is left as it was
    assert sorted(c.kind for c in moved.changes) == ["mapped", "removed", "renamed", "renamed"]


def test_the_check_finds_unknown_items_unmapped_options_gaps_and_dropped_items(
    tmp_path: Path,
) -> None:
    a = tmp_path / "a"
    a.mkdir()
    assert check(a, family(1), family(2, **GOOD)) == []
    b = tmp_path / "b"
    b.mkdir()
    bad = {"rename": {"members/relation": "members/relashionship"}, "values": {"nope": {}}}
    assert sorted(check(b, family(1), family(2, **bad))) == [
        ("migration-dropped-item", "/x-migration"),  # old_only: neither kept nor removed
        ("migration-unknown-item", "/x-migration/rename/members~1relation"),
        ("migration-unknown-item", "/x-migration/values/nope"),
    ]
    c = tmp_path / "c"
    c.mkdir()
    unmapped = {**GOOD, "values": {}}
    assert check(c, family(1), family(2, **unmapped)) == [
        ("migration-unmapped-option", "/x-migration")  # grandparent maps to nothing
    ]
    d = tmp_path / "d"
    d.mkdir()
    assert check(d, family(2, **GOOD)) == [("migration-gap", "/x-migration/from")]
    e = tmp_path / "e"
    e.mkdir()
    assert check(e, risk_v2()) == []  # against the built-in risk v1


def test_a_chain_with_a_gap_cannot_migrate() -> None:
    v1 = Form(family(1))
    v3 = family(2, **GOOD)
    v3["x-form"]["version"], v3["x-migration"]["from"] = 3, 2
    try:
        chain({1: v1, 3: Form(v3)}, 1, 3)
    except NoMigration as exc:
        assert exc.missing == 2
    else:
        raise AssertionError("a gap was bridged")


def test_results_dumped_in_a_batch_equal_pydantic_s_own(risk: Form) -> None:
    from bench.engine_bench import realistic_answers
    from engine.forms.classification import classify
    from engine.forms.result_dump import ResultDumper
    from engine.forms.results import Override

    dumper = ResultDumper()
    for answers in realistic_answers(risk, 60):
        result = classify(answers, risk)
        assert dumper.classification(result) == result.model_dump(mode="json")
    lowered = classify({}, risk, Override(to_band="yellow", reason="见面了解", by="w"))
    assert lowered.override is not None
    assert dumper.classification(lowered) == lowered.model_dump(mode="json")
