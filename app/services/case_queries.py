"""Reading cases: one case by id or number, its summary, finding cases as typed or scanned,
and the case list with its deadlines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app.clock import hall_day
from app.errors import UserError
from app.messages import Message, from_stored
from app.rules.decision import DECISION_LABELS, DecisionKind
from app.rules.lifecycle import (
    GAP_STATUSES,
    OPEN_STATUSES,
    STATUS_LABELS,
    CaseStatus,
    DeadlineState,
    deadline_state,
)
from app.rules.workdays import WorkCalendar
from app.services.intake import calendar_for
from db.base import utcnow
from db.models.case import Case

SEARCH_LIMIT = 100


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list / search results: plain values, safe to keep after the
    session ends. `due` is the nearest open deadline (an unsupplied gap's, else the promised
    date) and `deadline` its state; both None for a case that owes no deadline."""

    id: str
    case_no: str
    status: CaseStatus
    status_label: Message
    decision: str
    decision_label: Message
    applicant_name: str
    applicant_id_number: str
    matter_names: tuple[str, ...]
    received_at: datetime
    promised_date: date | None
    due: date | None
    deadline: DeadlineState | None
    open_gaps: int
    window_number: int | None
    previous_case_id: str | None = None
    reasons: tuple[str, ...] = field(default=())


def get_case(session: Session, case_id_or_no: str) -> Case:
    """The case with this id or case number; UserError if there is none."""
    key = "".join(case_id_or_no.split())
    case = session.get(Case, key) if key else None
    if case is None and key:
        case = session.scalars(select(Case).where(Case.case_no == key)).one_or_none()
    if case is None:
        raise UserError("case.not_found", case=case_id_or_no.strip() or Message("value.empty"))
    return case


def summary_of(case: Case, today: date, calendar: WorkCalendar) -> CaseSummary:
    """The plain summary of a case, its deadline judged on `today`."""
    status = CaseStatus(case.status)
    open_gaps = [
        m.gap_deadline
        for m in case.materials
        if m.gap_deadline is not None and m.supplied_at is None
    ]
    due: date | None = None
    if status in GAP_STATUSES and open_gaps:
        due = min(open_gaps)
    elif status in (
        CaseStatus.ACCEPTED,
        CaseStatus.ACCEPTED_WITH_GAP,
        CaseStatus.AWAITING_SUPPLEMENT,
        CaseStatus.SUPPLEMENTED,
        CaseStatus.IN_REVIEW,
    ):
        due = case.promised_date
    return CaseSummary(
        id=case.id,
        case_no=case.case_no,
        status=status,
        status_label=STATUS_LABELS[status],
        decision=case.decision,
        decision_label=DECISION_LABELS[DecisionKind(case.decision)],
        applicant_name=case.applicant_name,
        applicant_id_number=case.applicant_id_number,
        matter_names=tuple(m.matter_name for m in case.matters),
        received_at=case.received_at,
        promised_date=case.promised_date,
        due=due,
        deadline=deadline_state(due, today, calendar) if due else None,
        open_gaps=len(open_gaps),
        window_number=case.window_number,
        previous_case_id=case.previous_case_id,
        reasons=tuple(from_stored(r) for r in case.decision_reasons),
    )


def casesummary_of(session: Session, case_id: str, today: date) -> CaseSummary:
    return summary_of(get_case(session, case_id), today, calendar_for(session))


def _with_children() -> tuple[Any, ...]:
    return (selectinload(Case.matters), selectinload(Case.materials))


def find_cases(session: Session, query: str, today: date | None = None) -> list[CaseSummary]:
    """Cases matching `query`, newest first: a full case number (as typed or scanned: spaces
    ignored) finds that case; an 18-character ID number or USCC finds the applicant's and the
    agent's cases; other digits (4 or more) match part of a case number; anything else
    matches part of the applicant's or agent's name. An empty query finds nothing."""
    q = "".join(query.split()).upper()
    if not q:
        return []
    stmt = select(Case)
    if len(q) == 20 and q.isdigit():
        stmt = stmt.where(Case.case_no == q)
    elif len(q) == 18 and q.isalnum() and q.isascii():
        stmt = stmt.where(or_(Case.applicant_id_number == q, Case.agent_id_number == q))
    elif q.isdigit() and len(q) >= 4:
        stmt = stmt.where(Case.case_no.contains(q, autoescape=True))
    else:
        text = query.strip()
        stmt = stmt.where(
            or_(
                Case.applicant_name.contains(text, autoescape=True),
                Case.agent_name.contains(text, autoescape=True),
            )
        )
    rows = session.scalars(
        stmt.options(*_with_children()).order_by(Case.received_at.desc()).limit(SEARCH_LIMIT)
    ).all()
    calendar = calendar_for(session)
    day = today or hall_day(utcnow())
    return [summary_of(c, day, calendar) for c in rows]


_STATE_ORDER = {DeadlineState.OVERDUE: 0, DeadlineState.WARNING: 1, DeadlineState.NORMAL: 2}


def list_cases(
    session: Session,
    *,
    today: date,
    open_only: bool = False,
    overdue_first: bool = True,
    text: str | None = None,
) -> list[CaseSummary]:
    """The case list: today's cases and every open case (only the open ones with
    `open_only`), optionally narrowed by `text` (part of the case number, ID number or name).
    With `overdue_first`: overdue, then warning, then the rest, each nearest-deadline first;
    otherwise (and within equal deadlines) newest first."""
    open_values = [s.value for s in OPEN_STATUSES]
    stmt = select(Case)
    if open_only:
        stmt = stmt.where(Case.status.in_(open_values))
    else:
        stmt = stmt.where(or_(Case.status.in_(open_values), Case.received_day == today))
    needle = (text or "").strip()
    if needle:
        stmt = stmt.where(
            or_(
                Case.case_no.contains(needle, autoescape=True),
                Case.applicant_id_number.contains(needle.upper(), autoescape=True),
                Case.applicant_name.contains(needle, autoescape=True),
                Case.agent_name.contains(needle, autoescape=True),
            )
        )
    rows = session.scalars(stmt.options(*_with_children()).order_by(Case.received_at.desc())).all()
    calendar = calendar_for(session)
    summaries = [summary_of(c, today, calendar) for c in rows]
    if overdue_first:
        # Stable sort: equal keys stay newest first.
        summaries.sort(
            key=lambda s: (_STATE_ORDER[s.deadline] if s.deadline else 3, s.due or date.max)
        )
    return summaries
