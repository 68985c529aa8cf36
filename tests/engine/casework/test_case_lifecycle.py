"""The case lifecycle, the review chain and service plans."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pydantic import ValidationError

from engine.casework.casefile import CaseFile
from engine.casework.lifecycle import TransitionRefused, transition
from engine.casework.plans import ServicePlan
from engine.casework.review_chain import (
    APPROVED,
    NOT_SUBMITTED,
    RETURNED,
    SUBMITTED,
    ReviewRefused,
    add_review_step,
    review_state,
)
from tests.engine.casework.cases import child, observed

T = datetime(2026, 3, 1, 9, 30)


def test_a_case_goes_from_intake_to_closure_with_a_trail() -> None:
    record = child()
    for state in ("assessing", "planned", "in_service"):
        record = transition(record, state, "李老师", T, "")
    record = transition(record, "closed", "王督导", T, "  儿童年满十八周岁  ")
    history = CaseFile(record).history
    assert [(s.start, s.to) for s in history] == [
        (None, "intake"),
        ("intake", "assessing"),
        ("assessing", "planned"),
        ("planned", "in_service"),
        ("in_service", "closed"),
    ]
    assert history[-1].by == "王督导" and history[-1].note == "儿童年满十八周岁"
    assert history[-1].at == T
    assert CaseFile(record).state == "closed"


def test_closing_needs_a_reason_and_moves_out_of_order_are_refused() -> None:
    record = transition(child(), "assessing", "李老师", T)
    with pytest.raises(TransitionRefused) as refused:
        transition(record, "closed", "王督导", T, "   ")
    assert refused.value.code == "lifecycle.reason-required"
    with pytest.raises(TransitionRefused) as refused:
        transition(record, "in_service", "李老师", T)
    assert refused.value.code == "lifecycle.not-allowed"
    assert "case" not in child()  # the original is never changed


def test_a_closed_case_reopens_into_assessment_from_the_reopening_date() -> None:
    record = transition(child(intake="2025-01-10"), "closed", "王督导", T, "迁出")
    with pytest.raises(TransitionRefused):
        transition(record, "planned", "王督导", T)
    reopened = transition(record, "assessing", "王督导", datetime(2026, 9, 1, 8), "返乡")
    assert CaseFile(reopened).opened_on == date(2026, 9, 1)
    assert CaseFile(record).opened_on == date(2025, 1, 10)


def test_the_review_chain_submitted_returned_resubmitted_approved_with_advice() -> None:
    final = observed("risk", "2026-02-20", band="red", total=44)
    assert review_state(final) == NOT_SUBMITTED
    doc = add_review_step(final, "submit", "李老师", set(), T)
    assert review_state(doc) == SUBMITTED
    with pytest.raises(ReviewRefused) as refused:
        add_review_step(doc, "approve", "李老师", {"worker"}, T)
    assert refused.value.code == "review.role-required"
    with pytest.raises(ReviewRefused) as refused:
        add_review_step(doc, "return", "王督导", {"supervisor"}, T, "")
    assert refused.value.code == "review.comment-required"
    doc = add_review_step(doc, "return", "王督导", {"supervisor"}, T, "请补充监护人情况")
    assert review_state(doc) == RETURNED
    doc = add_review_step(doc, "advise", "张专家", {"expert"}, T, "建议转介心理咨询")
    doc = add_review_step(doc, "submit", "李老师", set(), T)
    doc = add_review_step(doc, "approve", "王督导", {"supervisor"}, T)
    assert review_state(doc) == APPROVED
    assert [s["step"] for s in doc["review"]] == ["submit", "return", "advise", "submit", "approve"]
    with pytest.raises(ReviewRefused) as refused:
        add_review_step(doc, "approve", "王督导", {"supervisor"}, T)
    assert refused.value.code == "review.out-of-order"


def test_only_a_final_assessment_can_be_reviewed() -> None:
    draft = observed("risk", "2026-02-20", status="draft")
    with pytest.raises(ReviewRefused) as refused:
        add_review_step(draft, "submit", "李老师", set(), T)
    assert refused.value.code == "review.not-final"


def test_a_service_plan_names_services_needs_and_progress() -> None:
    plan = ServicePlan.model_validate(
        {
            "goals": ["按时上学"],
            "services": [
                {
                    "kind": "individual",
                    "description": "学业辅导",
                    "needs": ["education"],
                    "responsible": "陈社工",
                    "start": "2026-03-01",
                    "end": "2026-06-30",
                },
                {
                    "kind": "group",
                    "description": "暑期小组",
                    "needs": ["social"],
                    "responsible": "儿童之家",
                    "start": "2026-07-01",
                },
            ],
        }
    )
    assert plan.answered_needs() == {"education", "social"}
    later = plan.with_progress(T, "陈社工", "第一次辅导完成")
    assert [p.note for p in later.progress] == ["第一次辅导完成"] and plan.progress == []
    with pytest.raises(ValidationError):
        ServicePlan.model_validate({"goals": ["x"], "services": [{**plan.services[0].model_dump(),
                                    "end": "2026-01-01"}]})  # fmt: skip
    with pytest.raises(ValidationError):
        ServicePlan.model_validate({"goals": [], "services": []})


def test_an_override_after_submission_sends_the_assessment_back_through_review() -> None:
    from datetime import datetime

    from engine.casework.review_chain import (
        NOT_SUBMITTED,
        ReviewRefused,
        add_review_step,
        review_state,
    )

    at = datetime(2026, 11, 23, 10, 0)
    doc = {"_id": "assessment:c:a", "status": "final"}
    with pytest.raises(ReviewRefused):  # nothing to reopen before submission
        add_review_step(doc, "reopen", "李老师", set(), at, "调整为红色")
    doc = add_review_step(doc, "submit", "李老师", set(), at)
    doc = add_review_step(doc, "approve", "王督导", {"supervisor"}, at)
    doc = add_review_step(doc, "reopen", "李老师", set(), at, "调整为红色")
    assert review_state(doc) == NOT_SUBMITTED
    doc = add_review_step(doc, "submit", "李老师", set(), at)  # submitted again
    assert [s["step"] for s in doc["review"]] == ["submit", "approve", "reopen", "submit"]
