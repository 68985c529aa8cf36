"""Matching a list against the register, the screening batch, closing its tasks, figures."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from engine.casework.department_lists import ListRecord, read_department_list
from engine.casework.list_matching import Register, match
from engine.casework.screening import batch_progress, screening_batch
from engine.casework.verification import (
    TaskRefused,
    confirm_categories,
    confirm_exit,
    confirm_new_child,
    not_confirmed,
)
from engine.forms.registry import FormRegistry
from engine.forms.validation import validate
from tests.engine.casework.discovery_lists import child_doc, id_number, xlsx

AT = datetime(2026, 11, 23, 10, 0)
WHO = {"by": "周主任", "device": "laptop-1", "at": AT}


def register() -> Register:
    return Register(
        [
            child_doc("a", "陈晓明", birth="2012-03-04", village="石桥村", guardian="陈大军",
                      number=id_number("20120304", 13)),
            child_doc("b", "王芳", birth="2010-05-06", village="柳塘村"),
            child_doc("c", "李思远", birth="2014-07-08", village="上湾村", guardian="李国强"),
        ]
    )  # fmt: skip


def record(name: str, *, number: str | None = None, birth: date | None = None,
           **fields: str) -> ListRecord:  # fmt: skip
    return ListRecord(2, name, number, None, birth, fields)


def test_three_tiers_each_with_its_reason() -> None:
    reg = register()
    by_id = match(record("陳曉明", number=id_number("20120304", 13), village="柳塘村"), reg)
    assert (by_id.tier, by_id.child, by_id.reason) == ("id_number", "a", "match.id")
    assert [c for c, _ in by_id.differences] == ["differs.village"]  # the name is the same
    by_birth = match(record("王 芳", birth=date(2010, 5, 6), village="石桥村"), reg, ["disability"])
    assert (by_birth.tier, by_birth.child) == ("name_birth", "b")
    assert dict(by_birth.differences) == {
        "differs.village": "柳塘村",
        "differs.category": "disability",
    }
    similar = match(record("李思源", address="青山镇上湾村5组", guardian="李國強"), reg)
    assert (similar.tier, similar.child) == ("similar", "c") and 0.75 <= similar.score < 1
    assert dict(similar.differences) == {"differs.name": "李思远"}
    assert reg.place_of(record("x", address="青山镇上湾村5组")) == ("青山镇", "上湾村")
    nobody = match(record("李思源", address="白溪镇竹林村", guardian="张三"), reg)
    assert (nobody.tier, nobody.child, nobody.reason) == (None, None, "match.none")
    other_id = match(
        record("陈晓明", number=id_number("20120304", 15), birth=date(2012, 3, 4)), reg
    )
    assert other_id.tier == "name_birth" and ("differs.id_number", "") in other_id.differences


def test_a_batch_makes_one_task_per_good_record_and_closing_them_counts(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "disabled.xlsx",
        [
            [1, "陈晓明", id_number("20120304", 13), "男", None, "青山镇石桥村", "", ""],
            [2, "王芳", None, "女", "2010-05-06", "青山镇柳塘村", "", ""],
            [3, "刘洋", id_number("20150101", 23), "男", None, "青山镇石桥村2组", "刘军", ""],
            [4, "张伟", "123", "男", None, "", "", ""],
        ],
    )
    listing = read_department_list(path)
    made = screening_batch(
        listing, register(), uuid="b1", source="残联", categories=("disability",),
        district="demo", digest="d", **WHO,
    )  # fmt: skip
    batch, tasks = made.batch, made.tasks
    assert batch["_id"] == "screening:b1" and (batch["records"], batch["bad_rows"]) == (4, [6])
    assert [t["_id"] for t in tasks] == [f"verification:b1:{n:07d}" for n in (3, 4, 5)]
    assert (made.matched, made.unmatched) == (2, 1)
    new = tasks[2]
    assert (new["village"], new["record"]["name"], new["match"]["child"]) == (
        "石桥村",
        "刘洋",
        None,
    )
    assert new["district"] == "demo" and new["type"] == "verification" and new["status"] == "open"

    profile = FormRegistry.load().get("child-profile")
    with pytest.raises(TaskRefused, match="task.categories-required"):
        confirm_new_child(new, profile, [], uuid="n1", district="demo", **WHO)
    closed, child = confirm_new_child(
        new, profile, ["disability"], uuid="n1", district="demo", **WHO
    )
    assert child["_id"] == "child:n1" and child["case"]["state"] == "intake"
    assert child["answers"]["birth_date"] == "2015-01-01" and child["answers"]["sex"] == "male"
    assert (
        child["answers"]["discovery"] == "data_matching" and child["answers"]["village"] == "石桥村"
    )
    assert child["source"] == {"kind": "screening", "department": "残联", "batch": "screening:b1",
                               "task": new["_id"], "row": 5}  # fmt: skip
    assert validate(child["answers"], profile) == []  # a draft profile, as intake makes it
    with pytest.raises(TaskRefused, match="task.closed"):
        not_confirmed(closed, "again", **WHO)

    chen = child_doc("a", "陈晓明", birth="2012-03-04", village="石桥村")
    with pytest.raises(TaskRefused, match="task.no-child"):
        confirm_categories(tasks[1], chen, ["disability"], **WHO)
    changed, chen2 = confirm_categories(tasks[0], chen, ["left_behind", "disability"], **WHO)
    assert chen2["answers"]["categories"] == ["left_behind", "disability"]
    assert chen2["changes"][0]["categories"] == {
        "from": ["left_behind"],
        "to": ["left_behind", "disability"],
    }
    wang = child_doc("b", "王芳", birth="2010-05-06", village="柳塘村")
    with pytest.raises(TaskRefused, match="task.reason-required"):
        confirm_exit(tasks[1], wang, " ", **WHO)
    with pytest.raises(TaskRefused, match="task.has-child"):
        confirm_new_child(tasks[1], profile, ["poverty"], uuid="x", district="demo", **WHO)
    exited, wang2 = confirm_exit(tasks[1], wang, "已随父母迁往外省", **WHO)
    assert wang2["case"]["state"] == "closed" and "残联" in wang2["case"]["history"][-1]["note"]

    figures = batch_progress(batch, [closed, changed, exited])
    assert (figures.records, figures.bad_rows, figures.candidates) == (4, 1, 3)
    assert (figures.verified, figures.confirmed, figures.not_confirmed, figures.open) == (
        3,
        3,
        0,
        0,
    )
    assert (figures.new_children, figures.category_changes, figures.exits) == (1, 1, 1)
    refused = not_confirmed(tasks[0], "查无此人", **WHO)
    assert refused["status"] == "not_confirmed" and refused["outcome"]["note"] == "查无此人"
    assert batch_progress(batch, [refused, *tasks[1:]]).not_confirmed == 1
