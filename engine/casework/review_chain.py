"""The review chain of a final assessment: submitted, then approved or returned, with advice.

Yuhuan's practice: the director's or social worker's form goes to a reviewer (a supervisor),
who approves it or returns it with comments; an expert may add advice at any point after it
was submitted. Every step stays on the assessment, in order.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

NOT_SUBMITTED, SUBMITTED, APPROVED, RETURNED = "not_submitted", "submitted", "approved", "returned"
SUBMIT, APPROVE, RETURN, ADVISE = "submit", "approve", "return", "advise"
REOPEN = "reopen"  # the band was overridden after submission: it must be reviewed again
STEP_LABELS: dict[str, dict[str, str]] = {
    SUBMIT: {"zh-CN": "提交审核", "en": "submitted for review"},
    APPROVE: {"zh-CN": "审核通过", "en": "approved"},
    RETURN: {"zh-CN": "退回修改", "en": "returned"},
    ADVISE: {"zh-CN": "专家意见", "en": "expert advice"},
    REOPEN: {"zh-CN": "提交后调整了色级，需重新审核", "en": "band overridden after submission"},
}
# step → (states it may follow, role needed, whether a comment is required)
_STEPS: dict[str, tuple[frozenset[str], str | None, bool]] = {
    SUBMIT: (frozenset({NOT_SUBMITTED, RETURNED}), None, False),
    APPROVE: (frozenset({SUBMITTED}), "supervisor", False),
    RETURN: (frozenset({SUBMITTED}), "supervisor", True),
    ADVISE: (frozenset({SUBMITTED, APPROVED, RETURNED}), "expert", True),
    REOPEN: (frozenset({SUBMITTED, APPROVED}), None, True),
}
_AFTER = {SUBMIT: SUBMITTED, APPROVE: APPROVED, RETURN: RETURNED, REOPEN: NOT_SUBMITTED}


class ReviewRefused(ValueError):
    def __init__(self, code: str, step: str) -> None:
        self.code, self.step = code, step
        super().__init__(f"{code}: {step}")


def review_state(assessment: dict[str, Any]) -> str:
    state = NOT_SUBMITTED
    for entry in assessment.get("review", []):
        if isinstance(entry, dict):
            state = _AFTER.get(entry.get("step", ""), state)
    return state


def add_review_step(
    assessment: dict[str, Any],
    step: str,
    by: str,
    roles: set[str],
    at: datetime,
    comment: str = "",
) -> dict[str, Any]:
    """The assessment with one more step in its review chain, if the chain allows it."""
    if step not in _STEPS:
        raise ReviewRefused("review.unknown-step", step)
    if assessment.get("status") != "final":
        raise ReviewRefused("review.not-final", step)
    follows, role, needs_comment = _STEPS[step]
    if review_state(assessment) not in follows:
        raise ReviewRefused("review.out-of-order", step)
    if role is not None and role not in roles:
        raise ReviewRefused("review.role-required", step)
    if needs_comment and not comment.strip():
        raise ReviewRefused("review.comment-required", step)
    reviewed = copy.deepcopy(assessment)
    reviewed.setdefault("review", []).append(
        {
            "step": step,
            "by": by,
            "role": role or "author",
            "at": at.isoformat(),
            "comment": comment.strip(),
        }
    )
    return reviewed
