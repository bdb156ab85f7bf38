"""Case states, legal transitions and deadline states."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import UserError
from app.rules.decision import DecisionKind
from app.rules.lifecycle import (
    OPEN_STATUSES,
    STATUS_FOR_DECISION,
    STATUS_LABELS,
    TRANSITIONS,
    CaseStatus,
    DeadlineState,
    check_transition,
    deadline_state,
)
from app.rules.workdays import WorkCalendar

S = CaseStatus

LEGAL = [
    (S.RECEIVED, S.ACCEPTED),
    (S.RECEIVED, S.NOTIFIED),
    (S.ACCEPTED, S.IN_REVIEW),
    (S.ACCEPTED_WITH_GAP, S.SUPPLEMENTED),
    (S.ACCEPTED_WITH_GAP, S.AWAITING_SUPPLEMENT),
    (S.AWAITING_SUPPLEMENT, S.SUPPLEMENTED),
    (S.ACCEPTED_WITH_GAP, S.WITHDRAWN),  # not supplemented in time: 视为撤回
    (S.SUPPLEMENTED, S.IN_REVIEW),
    (S.IN_REVIEW, S.DECIDED),
    (S.DECIDED, S.DELIVERED),
    (S.IN_REVIEW, S.WITHDRAWN),
]


@pytest.mark.parametrize(("src", "dst"), LEGAL)
def test_legal_transitions(src: CaseStatus, dst: CaseStatus) -> None:
    check_transition(src, dst)
    check_transition(src.value, dst.value)


@pytest.mark.parametrize(
    ("src", "dst", "message"),
    [
        (
            S.ACCEPTED,
            S.DELIVERED,
            "办件状态不能从「已受理」变为「已送达」（可变为：部门审查中、已撤回）",
        ),
        (
            S.ACCEPTED_WITH_GAP,
            S.IN_REVIEW,
            "办件状态不能从「容缺受理」变为「部门审查中」（可变为：待补齐、已补齐、已撤回）",
        ),
        # An overdue gap makes the case withdrawn, never decided.
        (
            S.ACCEPTED_WITH_GAP,
            S.DECIDED,
            "办件状态不能从「容缺受理」变为「已办结」（可变为：待补齐、已补齐、已撤回）",
        ),
        (
            S.AWAITING_SUPPLEMENT,
            S.DECIDED,
            "办件状态不能从「待补齐」变为「已办结」（可变为：已补齐、已撤回）",
        ),
        (S.NOTIFIED, S.ACCEPTED, "办件状态为「已一次性告知」，不能再变为「已受理」"),
        (S.DELIVERED, S.WITHDRAWN, "办件状态为「已送达」，不能再变为「已撤回」"),
        (S.DECIDED, S.WITHDRAWN, "办件状态不能从「已办结」变为「已撤回」（可变为：已送达）"),
    ],
)
def test_illegal_transitions(src: CaseStatus, dst: CaseStatus, message: str) -> None:
    with pytest.raises(UserError) as err:
        check_transition(src, dst)
    assert str(err.value) == message


@pytest.mark.parametrize("src", [S.ACCEPTED_WITH_GAP, S.AWAITING_SUPPLEMENT])
def test_review_in_parallel_with_an_open_gap_only_where_the_local_rule_allows(
    src: CaseStatus,
) -> None:
    check_transition(src, S.IN_REVIEW, parallel_review=True)
    with pytest.raises(UserError):
        check_transition(src, S.IN_REVIEW)
    with pytest.raises(UserError):
        check_transition(src, S.DECIDED, parallel_review=True)


def test_unknown_status_is_a_user_error() -> None:
    with pytest.raises(UserError, match="未知的办件状态"):
        check_transition("accepted", "lost")


def test_tables_cover_every_status() -> None:
    assert set(TRANSITIONS) == set(CaseStatus) == set(STATUS_LABELS)
    for kind in DecisionKind:
        check_transition(S.RECEIVED, STATUS_FOR_DECISION[kind])
    # An open case can always still move on; a closed one cannot.
    for status in CaseStatus:
        assert bool(TRANSITIONS[status]) == (status in OPEN_STATUSES)


CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("due", "today", "state"),
    [
        (date(2026, 12, 10), date(2026, 11, 26), DeadlineState.NORMAL),
        (date(2026, 12, 1), date(2026, 11, 26), DeadlineState.NORMAL),  # 3 working days left
        (date(2026, 11, 30), date(2026, 11, 26), DeadlineState.WARNING),  # Fri, Mon: 2 left
        (date(2026, 11, 26), date(2026, 11, 26), DeadlineState.WARNING),  # due today
        (date(2026, 11, 25), date(2026, 11, 26), DeadlineState.OVERDUE),
        (date(2026, 10, 9), date(2026, 9, 30), DeadlineState.WARNING),  # holiday week between
    ],
)
def test_deadline_state(due: date, today: date, state: DeadlineState) -> None:
    assert deadline_state(due, today, CAL) is state


def test_deadline_state_warn_days() -> None:
    assert deadline_state(date(2026, 12, 1), date(2026, 11, 26), CAL, warn_days=3) is (
        DeadlineState.WARNING
    )
