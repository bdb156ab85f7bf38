"""Reading cases: one case by id or number, its summary, finding cases as typed or scanned,
and the case list with its deadlines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum
from typing import Any

from sqlalchemy import and_, exists, func, literal_column, or_, select
from sqlalchemy import text as text_sql
from sqlalchemy.orm import Session, aliased, selectinload

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
from db.models.case import (
    SEARCH_NAME_COLUMNS,
    SEARCH_NUMBER_COLUMNS,
    SEARCH_TABLE,
    Case,
    CaseMaterial,
)

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
    applicant_phone: str = ""


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
        applicant_phone=case.applicant_phone or "",
    )


def casesummary_of(session: Session, case_id: str, today: date) -> CaseSummary:
    return summary_of(get_case(session, case_id), today, calendar_for(session))


def _with_children() -> tuple[Any, ...]:
    return (selectinload(Case.matters), selectinload(Case.materials))


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _prefix(column: Any, text: str) -> Any:
    """`column` starts with `text`, as a range the column's index answers."""
    return and_(column >= text, column < text + "\U0010ffff")


def _search_rowids(columns: tuple[str, ...], text: str) -> Any:
    """The rowids of cases whose `columns` contain `text` (3 characters or more), from the
    FTS5 trigram index (db/models/case.py)."""
    match = "{" + " ".join(columns) + "} : " + _fts_phrase(text)
    return text_sql(
        f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :match"
    ).bindparams(match=match)


def find_cases(session: Session, query: str, today: date | None = None) -> list[CaseSummary]:
    """Cases matching `query`, newest first, at most SEARCH_LIMIT, each through an index: a
    full case number (as typed or scanned: spaces ignored) finds that case; an 18-character ID
    number or USCC finds the applicant's and the agent's cases; other digits (3 or more) match
    part of a case number, ID number or phone; anything else matches part of the applicant's or
    agent's name (1 or 2 characters: the start of the name). An empty query finds nothing."""
    # Control characters (a NUL ends an FTS5 string early) are in no stored value.
    query = "".join(c for c in query if c.isprintable() or c.isspace())
    q = "".join(query.split()).upper()
    if not q:
        return []
    stmt = select(Case)
    rowid: Any = literal_column('"case".rowid')
    if len(q) == 20 and q.isdigit():
        stmt = stmt.where(Case.case_no == q)
    elif len(q) == 18 and q.isalnum() and q.isascii():
        stmt = stmt.where(or_(Case.applicant_id_number == q, Case.agent_id_number == q))
    elif q.isdigit():
        if len(q) < 3:
            return []
        stmt = stmt.where(rowid.in_(_search_rowids(SEARCH_NUMBER_COLUMNS, q)))
    else:
        text = query.strip()
        if len(text) >= 3:
            stmt = stmt.where(rowid.in_(_search_rowids(SEARCH_NAME_COLUMNS, text)))
        else:
            stmt = stmt.where(
                or_(_prefix(Case.applicant_name, text), _prefix(Case.agent_name, text))
            )
    return _summaries(session, stmt.order_by(Case.received_at.desc()).limit(SEARCH_LIMIT), today)


def _summaries(session: Session, stmt: Any, today: date | None) -> list[CaseSummary]:
    rows = session.scalars(stmt.options(*_with_children())).all()
    calendar = calendar_for(session)
    day = today or hall_day(utcnow())
    return [summary_of(c, day, calendar) for c in rows]


def summaries_of(session: Session, ids: Sequence[str], today: date) -> list[CaseSummary]:
    """The summaries of the cases `ids`, in that order (ids of cases that are gone left out)."""
    by_id = {s.id: s for s in _summaries(session, select(Case).where(Case.id.in_(ids)), today)}
    return [by_id[i] for i in ids if i in by_id]


# --- the worklist -------------------------------------------------------------------------------


class Section(IntEnum):
    """The worklist's parts, in the order the list shows them."""

    GAPS = 0  # open gaps (容缺), nearest due date first
    TODAY = 1  # received today, newest first
    HAND_OVER = 2  # decided, to hand over (待送达), oldest first
    NOTIFIED = 3  # notified, the applicant not back yet, newest first


@dataclass(frozen=True)
class WorklistCursor:
    section: Section = Section.GAPS
    offset: int = 0


@dataclass(frozen=True)
class WorklistPage:
    """A page of the worklist: its case ids (a case may recur in a later section) with their
    summaries, and where the next page starts (None at the end)."""

    ids: tuple[str, ...]
    rows: tuple[CaseSummary, ...]
    next: WorklistCursor | None


WORKLIST_PAGE = 100


def _section_ids(
    session: Session, section: Section, today: date, open_only: bool, offset: int, limit: int
) -> list[str]:
    """One bounded, indexed query per section: each reads `limit` rows after `offset`."""
    stmt: Any
    if section is Section.GAPS:
        # The open gap cases (a day's work, not the history): ix_case_status_day.
        due = (
            select(func.min(CaseMaterial.gap_deadline))
            .where(
                CaseMaterial.case_id == Case.id,
                CaseMaterial.gap_deadline.is_not(None),
                CaseMaterial.supplied_at.is_(None),
            )
            .scalar_subquery()
        )
        stmt = (
            select(Case.id)
            .where(Case.status.in_([s.value for s in GAP_STATUSES]))
            .order_by(due, Case.received_at)
        )
    elif section is Section.TODAY:
        stmt = select(Case.id).where(Case.received_day == today)
        if open_only:
            stmt = stmt.where(Case.status.in_([s.value for s in OPEN_STATUSES]))
        stmt = stmt.order_by(Case.received_at.desc())
    elif section is Section.HAND_OVER:
        stmt = (
            select(Case.id)
            .where(Case.status == CaseStatus.DECIDED.value)
            .order_by(Case.status, Case.received_day)
        )
    else:
        if open_only:
            return []
        later = aliased(Case)
        stmt = (
            select(Case.id)
            .where(
                Case.status == CaseStatus.NOTIFIED.value,
                ~exists().where(later.previous_case_id == Case.id),
            )
            .order_by(Case.status.desc(), Case.received_day.desc())
        )
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def list_cases(
    session: Session,
    *,
    today: date,
    open_only: bool = False,
    after: WorklistCursor | None = None,
    limit: int = WORKLIST_PAGE,
) -> WorklistPage:
    """A page of the case list as the clerk acts on it: open gaps by due date, today's cases
    (only the open ones with `open_only`), decided cases to hand over, and notified cases whose
    applicant has not come back (left out with `open_only`). At most `limit` ids, each section
    read through its index with LIMIT, so a page costs the same at 100 cases or 100,000; the
    next page starts at the returned cursor."""
    cursor = after or WorklistCursor()
    ids: list[str] = []
    section, offset = cursor.section, cursor.offset
    next_cursor: WorklistCursor | None = None
    while True:
        want = limit - len(ids)
        got = _section_ids(session, section, today, open_only, offset, want + 1)
        if len(got) > want:
            ids += got[:want]
            next_cursor = WorklistCursor(section, offset + want)
            break
        ids += got
        if section is Section.NOTIFIED:
            break
        section, offset = Section(section + 1), 0
        if len(ids) == limit:
            next_cursor = WorklistCursor(section, 0)
            break
    unique = list(dict.fromkeys(ids))
    return WorklistPage(tuple(ids), tuple(summaries_of(session, unique, today)), next_cursor)
