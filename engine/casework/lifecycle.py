"""A case moves intake → assessing → planned → in service → closed, and can be re-opened."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from engine.casework.casefile import CaseFile

INTAKE, ASSESSING, PLANNED, IN_SERVICE, CLOSED = (
    "intake",
    "assessing",
    "planned",
    "in_service",
    "closed",
)
STATES = (INTAKE, ASSESSING, PLANNED, IN_SERVICE, CLOSED)
STATE_LABELS: dict[str, dict[str, str]] = {
    INTAKE: {"zh-CN": "接案", "en": "intake"},
    ASSESSING: {"zh-CN": "评估中", "en": "assessing"},
    PLANNED: {"zh-CN": "已制定方案", "en": "planned"},
    IN_SERVICE: {"zh-CN": "服务中", "en": "in service"},
    CLOSED: {"zh-CN": "已结案", "en": "closed"},
}
# Where a case may go from each state. Any open case may be closed; a closed one re-opens
# into assessing, because a re-opened case is assessed again.
MOVES: dict[str, frozenset[str]] = {
    INTAKE: frozenset({ASSESSING, CLOSED}),
    ASSESSING: frozenset({PLANNED, CLOSED}),
    PLANNED: frozenset({IN_SERVICE, ASSESSING, CLOSED}),
    IN_SERVICE: frozenset({ASSESSING, PLANNED, CLOSED}),
    CLOSED: frozenset({ASSESSING}),
}


class TransitionRefused(ValueError):
    """A move the lifecycle does not allow, or a closing without a reason."""

    def __init__(self, code: str, start: str, to: str) -> None:
        self.code, self.start, self.to = code, start, to
        super().__init__(f"{code}: {start} → {to}")


def transition(
    child: dict[str, Any], to: str, by: str, at: datetime, note: str = ""
) -> dict[str, Any]:
    """The child document with the case moved to `to`, recorded with who, when and a note."""
    start = CaseFile(child).state
    if to not in MOVES.get(start, frozenset()):
        raise TransitionRefused("lifecycle.not-allowed", start, to)
    if to == CLOSED and not note.strip():
        raise TransitionRefused("lifecycle.reason-required", start, to)
    moved = copy.deepcopy(child)
    case = moved.setdefault("case", {})
    history = case.setdefault("history", [])
    if not history:  # the intake itself, so that the trail starts where the case did
        history.append(
            {
                "from": None,
                "to": INTAKE,
                "at": child.get("created_at"),
                "by": child.get("created_by", ""),
                "note": "",
            }
        )
    history.append({"from": start, "to": to, "at": at.isoformat(), "by": by, "note": note.strip()})
    case["state"] = to
    return moved
