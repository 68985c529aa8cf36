"""Closing a verification task (入户核查) after the visit: confirmed — a new child enters
intake with the source recorded, or a registered child's categories change, or the child
exits the register — or not confirmed, with a reason. Pure functions over documents: each
returns the documents to save together."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from engine.casework.case_documents import new_child, stamp
from engine.casework.casefile import CHILD, object_at
from engine.casework.lifecycle import CLOSED, transition
from engine.casework.screening import CONFIRMED, NOT_CONFIRMED, OPEN
from engine.forms.form import Form


class TaskRefused(ValueError):
    """The task cannot be closed so; `code` is a message key (discovery_messages)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


def _closed(
    task: dict[str, Any], status: str, outcome: dict[str, Any], by: str, device: str, at: datetime
) -> dict[str, Any]:
    if task.get("status", OPEN) != OPEN:
        raise TaskRefused("task.closed")
    done = copy.deepcopy(task)
    done.update(status=status, outcome=outcome, closed_by=by, closed_at=at.isoformat())
    return stamp(done, by, device, at)


def not_confirmed(
    task: dict[str, Any], reason: str, *, by: str, device: str, at: datetime
) -> dict[str, Any]:
    """The visit found nothing the list suggested; the reason is kept."""
    if not reason.strip():
        raise TaskRefused("task.reason-required")
    return _closed(task, NOT_CONFIRMED, {"kind": "none", "note": reason.strip()}, by, device, at)


def source_of(task: dict[str, Any]) -> dict[str, Any]:
    """Where a child or a change came from: the department, its list, the row, the task."""
    return {
        "kind": "screening",
        "department": task.get("source", ""),
        "batch": task.get("batch", ""),
        "task": task.get("_id", ""),
        "row": task.get("row"),
    }


def confirm_new_child(
    task: dict[str, Any],
    profile_form: Form,
    categories: list[str],
    *,
    uuid: str,
    district: str,
    note: str = "",
    by: str,
    device: str,
    at: datetime,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A child not in the register was found at the door: (the closed task, the new child in
    intake, its profile taken from the department's record)."""
    if (task.get("match") or {}).get("child"):
        raise TaskRefused("task.has-child")
    if not categories:
        raise TaskRefused("task.categories-required")
    record = object_at(task, "record")
    profile: dict[str, Any] = {
        "name": record.get("name", ""),
        "categories": list(categories),
        "district": district,
        "village": task.get("village") or "",
        "intake_date": at.date().isoformat(),
        "discovery": "data_matching",
        "child_director": by,
    }
    for key, value in (
        ("sex", record.get("sex") if record.get("sex") in ("male", "female") else None),
        ("birth_date", record.get("birth_date")),
        ("id_number", record.get("id_number")),
        ("township", task.get("township")),
        ("guardian_name", record.get("guardian")),
        ("school", record.get("school")),
    ):
        if value:
            profile[key] = value
    profile = {k: v for k, v in profile.items() if k in profile_form.fields}
    child = new_child(uuid, profile, profile_form, district=district, by=by, device=device, at=at)
    child["source"] = source_of(task)
    outcome = {"kind": "new_child", "child": uuid, "categories": list(categories), "note": note}
    return _closed(task, CONFIRMED, outcome, by, device, at), child


def confirm_categories(
    task: dict[str, Any],
    child: dict[str, Any],
    categories: list[str],
    *,
    note: str = "",
    by: str,
    device: str,
    at: datetime,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The registered child's situation changed: its categories become `categories`."""
    _check_child(task, child)
    if not categories:
        raise TaskRefused("task.categories-required")
    changed = copy.deepcopy(child)
    answers = changed.setdefault("answers", {})
    before = list(answers.get("categories", []))
    answers["categories"] = list(categories)
    changed.setdefault("changes", []).append(
        {**source_of(task), "categories": {"from": before, "to": list(categories)},
         "at": at.isoformat(), "by": by}
    )  # fmt: skip
    outcome = {
        "kind": "categories",
        "child": _uuid(child),
        "from": before,
        "to": list(categories),
        "note": note,
    }
    return _closed(task, CONFIRMED, outcome, by, device, at), stamp(changed, by, device, at)


def confirm_exit(
    task: dict[str, Any],
    child: dict[str, Any],
    reason: str,
    *,
    by: str,
    device: str,
    at: datetime,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The registered child no longer needs the register (退出): the case is closed with
    the reason and the source."""
    _check_child(task, child)
    if not reason.strip():
        raise TaskRefused("task.reason-required")
    department = task.get("source", "")
    note = f"{reason.strip()}（{department}）" if department else reason.strip()
    closed = stamp(transition(child, CLOSED, by, at, note), by, device, at)
    outcome = {"kind": "exit", "child": _uuid(child), "note": reason.strip()}
    return _closed(task, CONFIRMED, outcome, by, device, at), closed


def _uuid(child: dict[str, Any]) -> str:
    return str(child.get("_id", "")).removeprefix(f"{CHILD}:")


def _check_child(task: dict[str, Any], child: dict[str, Any]) -> None:
    matched = (task.get("match") or {}).get("child")
    if not matched or _uuid(child) != matched:
        raise TaskRefused("task.no-child")
