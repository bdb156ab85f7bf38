"""A case's life: its states, the transitions the hall allows, and how close it is to its
deadline.

    received            -> accepted | accepted_with_gap | notified | rejected | withdrawn
    accepted            -> in_review | withdrawn
    accepted_with_gap   -> awaiting_supplement (some gaps in) | supplemented (all in)
                           | withdrawn (视为撤回: not supplied by the deadline, as the
                             commitment says; never decided)
                           | in_review, where the matter's local rule allows review while a
                             gap is open (parallel_review); it is decided only once every gap
                             is in
    awaiting_supplement -> supplemented | withdrawn | in_review (parallel_review)
    supplemented        -> in_review | withdrawn
    in_review           -> decided | withdrawn
    decided             -> delivered
    notified, rejected, withdrawn, delivered: final. A notified applicant who comes back
    starts a NEW case linked to the first.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from app.errors import UserError
from app.messages import Message, label
from app.rules.decision import DecisionKind
from app.rules.workdays import WorkCalendar


class CaseStatus(StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    ACCEPTED_WITH_GAP = "accepted_with_gap"
    AWAITING_SUPPLEMENT = "awaiting_supplement"  # some gaps supplied, others still due
    SUPPLEMENTED = "supplemented"
    IN_REVIEW = "in_review"
    DECIDED = "decided"
    DELIVERED = "delivered"
    NOTIFIED = "notified"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


STATUS_LABELS: dict[CaseStatus, Message] = {s: label("case.status", s.value) for s in CaseStatus}

S = CaseStatus
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.RECEIVED: frozenset({S.ACCEPTED, S.ACCEPTED_WITH_GAP, S.NOTIFIED, S.REJECTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.IN_REVIEW, S.WITHDRAWN}),
    S.ACCEPTED_WITH_GAP: frozenset({S.AWAITING_SUPPLEMENT, S.SUPPLEMENTED, S.WITHDRAWN}),
    S.AWAITING_SUPPLEMENT: frozenset({S.SUPPLEMENTED, S.WITHDRAWN}),
    S.SUPPLEMENTED: frozenset({S.IN_REVIEW, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.DECIDED, S.WITHDRAWN}),
    S.DECIDED: frozenset({S.DELIVERED}),
    S.NOTIFIED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.DELIVERED: frozenset(),
}

# Where the matter's local rule allows it (catalogue `parallel_review`), review starts while a
# gap is still open.
PARALLEL_REVIEW_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.ACCEPTED_WITH_GAP: frozenset({S.IN_REVIEW}),
    S.AWAITING_SUPPLEMENT: frozenset({S.IN_REVIEW}),
}

# Why a gap case not supplied in time ends: the commitment's consequence.
GAP_OVERDUE_REASON = "逾期未补齐容缺材料，按承诺视为撤回申请"

# States in which the hall still owes the applicant something (the open case list).
OPEN_STATUSES = frozenset(
    {
        S.RECEIVED,
        S.ACCEPTED,
        S.ACCEPTED_WITH_GAP,
        S.AWAITING_SUPPLEMENT,
        S.SUPPLEMENTED,
        S.IN_REVIEW,
        S.DECIDED,
    }
)

# States of a case with gap materials still owed (容缺): supplements are recorded in them.
GAP_STATUSES = frozenset({S.ACCEPTED_WITH_GAP, S.AWAITING_SUPPLEMENT})

# The state a new case takes from the counter's decision.
STATUS_FOR_DECISION: dict[DecisionKind, CaseStatus] = {
    DecisionKind.ACCEPT: S.ACCEPTED,
    DecisionKind.ACCEPT_WITH_GAP: S.ACCEPTED_WITH_GAP,
    DecisionKind.NOTIFY: S.NOTIFIED,
    DecisionKind.REJECT: S.REJECTED,
}


def allowed_transitions(
    from_status: CaseStatus, *, parallel_review: bool = False
) -> frozenset[CaseStatus]:
    allowed = TRANSITIONS[from_status]
    if parallel_review:
        allowed |= PARALLEL_REVIEW_TRANSITIONS.get(from_status, frozenset())
    return allowed


def check_transition(
    from_status: CaseStatus | str, to_status: CaseStatus | str, *, parallel_review: bool = False
) -> None:
    """Raise UserError unless a case may go from `from_status` to `to_status`
    (`parallel_review`: the case's matters allow review while a gap is open)."""
    for status in (from_status, to_status):
        if status not in CaseStatus.__members__.values():
            raise UserError("case.unknown_status", status=str(status))
    src, dst = CaseStatus(from_status), CaseStatus(to_status)
    targets = allowed_transitions(src, parallel_review=parallel_review)
    if dst in targets:
        return
    if not targets:
        raise UserError("case.final_status", current=STATUS_LABELS[src], wanted=STATUS_LABELS[dst])
    allowed = [STATUS_LABELS[s] for s in CaseStatus if s in targets]
    raise UserError(
        "case.bad_transition",
        current=STATUS_LABELS[src],
        wanted=STATUS_LABELS[dst],
        allowed=allowed,
    )


class DeadlineState(StrEnum):
    NORMAL = "normal"
    WARNING = "warning"
    OVERDUE = "overdue"


DEADLINE_LABELS: dict[DeadlineState, Message] = {
    s: label("deadline", s.value) for s in DeadlineState
}


def deadline_state(
    due: date, today: date, calendar: WorkCalendar, warn_days: int = 2
) -> DeadlineState:
    """OVERDUE once `today` is past `due`; WARNING when `warn_days` working days or fewer are
    left (the due day itself counts as left); NORMAL otherwise."""
    if today > due:
        return DeadlineState.OVERDUE
    if not calendar.more_working_days_than(today, due, warn_days):
        return DeadlineState.WARNING
    return DeadlineState.NORMAL
