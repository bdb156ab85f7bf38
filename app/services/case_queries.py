"""Reading cases: one case by id or number, its summary, finding cases as typed or scanned,
and the case list with its deadlines."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum
from typing import Any

from sqlalchemy import Date, Text, literal_column, select, type_coerce
from sqlalchemy import text as text_sql
from sqlalchemy.orm import Session

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
)

SEARCH_LIMIT = 100
_PHONE = re.compile(r"\d{3,4}-\d{7,8}")


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
    applicant_phone: str = ""
    #: The decision's reasons as stored (JSON of app.messages.to_stored's forms); `reasons`
    #: reads them when shown, not for every row of a page (compared as `reasons`).
    reasons_json: str = field(default="[]", compare=False)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(from_stored(r) for r in json.loads(self.reasons_json))


def get_case(session: Session, case_id_or_no: str) -> Case:
    """The case with this id or case number; UserError if there is none."""
    key = "".join(case_id_or_no.split())
    case = session.get(Case, key) if key else None
    if case is None and key:
        case = session.scalars(select(Case).where(Case.case_no == key)).one_or_none()
    if case is None:
        raise UserError("case.not_found", case=case_id_or_no.strip() or Message("value.empty"))
    return case


_DUE_IS_PROMISED = frozenset(
    {
        CaseStatus.ACCEPTED,
        CaseStatus.ACCEPTED_WITH_GAP,
        CaseStatus.AWAITING_SUPPLEMENT,
        CaseStatus.SUPPLEMENTED,
        CaseStatus.IN_REVIEW,
    }
)


def _due(status: CaseStatus, first_gap: date | None, promised: date | None) -> date | None:
    """The nearest open deadline: an unsupplied gap's while gaps are open, else the promised
    date while the case is being handled."""
    if status in GAP_STATUSES and first_gap is not None:
        return first_gap
    if status in _DUE_IS_PROMISED:
        return promised
    return None


def summary_of(case: Case, today: date, calendar: WorkCalendar) -> CaseSummary:
    """The plain summary of a case, its deadline judged on `today`."""
    status = CaseStatus(case.status)
    open_gaps = [
        m.gap_deadline
        for m in case.materials
        if m.gap_deadline is not None and m.supplied_at is None
    ]
    due = _due(status, min(open_gaps) if open_gaps else None, case.promised_date)
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
        reasons_json=json.dumps(case.decision_reasons or []),
        applicant_phone=case.applicant_phone or "",
    )


def casesummary_of(session: Session, case_id: str, today: date) -> CaseSummary:
    return summary_of(get_case(session, case_id), today, calendar_for(session))


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _search_rowids(columns: tuple[str, ...], text: str) -> Any:
    """The rowids of the newest SEARCH_LIMIT cases whose `columns` contain `text` (3
    characters or more), from the FTS5 trigram index (db/models/case.py), read newest rowid
    first so that a common number stops after a page instead of collecting every match."""
    match = "{" + " ".join(columns) + "} : " + _fts_phrase(text)
    return text_sql(
        f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :match"
        f" ORDER BY rowid DESC LIMIT {SEARCH_LIMIT}"
    ).bindparams(match=match)


# The two columns each have their index, but most cases have no agent: once ANALYZE has run,
# SQLite judges the agent's indexes (all NULL to it) worthless and scans the table for an OR.
# Each side is asked through its own index by name.
_BY_ID_NUMBER = (
    'SELECT rowid FROM "case" INDEXED BY ix_case_applicant_id_number'
    " WHERE applicant_id_number = :q"
    ' UNION SELECT rowid FROM "case" INDEXED BY ix_case_agent_id_number'
    " WHERE agent_id_number = :q"
)
_BY_NAME_START = (
    'SELECT rowid FROM "case" INDEXED BY ix_case_applicant_name'
    " WHERE applicant_name >= :lo AND applicant_name < :hi"
    ' UNION SELECT rowid FROM "case" INDEXED BY ix_case_agent_name'
    " WHERE agent_name >= :lo AND agent_name < :hi"
)


def find_cases(session: Session, query: str, today: date | None = None) -> list[CaseSummary]:
    """Cases matching `query`, newest first, at most SEARCH_LIMIT, each through an index: a
    full case number (as typed or scanned: spaces ignored) finds that case; an 18-character ID
    number or USCC finds the applicant's and the agent's cases; other digits (3 or more), or a
    phone as written with its area code, match part of a case number, ID number or phone;
    anything else matches part of the applicant's or
    agent's name (1 or 2 characters: the start of the name). An empty query finds nothing.
    Part of a number or name finds the newest SEARCH_LIMIT cases by when they were saved."""
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
        stmt = stmt.where(rowid.in_(text_sql(_BY_ID_NUMBER).bindparams(q=q)))
    elif q.isdigit() or _PHONE.fullmatch(q):
        # digits, or a phone as written with its area code (0436-3212345)
        if sum(c.isdigit() for c in q) < 3:
            return []
        stmt = stmt.where(rowid.in_(_search_rowids(SEARCH_NUMBER_COLUMNS, q)))
    else:
        text = query.strip()
        if len(text) >= 3:
            stmt = stmt.where(rowid.in_(_search_rowids(SEARCH_NAME_COLUMNS, text)))
        else:
            stmt = stmt.where(
                rowid.in_(text_sql(_BY_NAME_START).bindparams(lo=text, hi=text + "\U0010ffff"))
            )
    return _summaries(session, stmt.order_by(Case.received_at.desc()).limit(SEARCH_LIMIT), today)


_SEP = "\x1f"  # between a case's matter names in one column (a control character)
#: The columns a summary shows, in one read: no ORM objects, and a case's matter names and
#: open gaps (count, nearest deadline) by correlated lookups through their case_id indexes.
#: The decision's reasons are read as their JSON text, parsed only when shown.
_SUMMARY_COLUMNS: tuple[Any, ...] = (
    Case.id,
    Case.case_no,
    Case.status,
    Case.decision,
    Case.applicant_name,
    Case.applicant_id_number,
    Case.received_at,
    Case.promised_date,
    Case.window_number,
    Case.previous_case_id,
    Case.applicant_phone,
    type_coerce(Case.decision_reasons, Text).label("reasons_json"),
    literal_column(
        "(SELECT group_concat(matter_name, char(31)) FROM (SELECT matter_name FROM case_matter"
        ' WHERE case_matter.case_id = "case".id ORDER BY case_matter.position))'
    ).label("matter_names"),
    type_coerce(
        literal_column(
            "(SELECT min(gap_deadline) FROM case_material WHERE case_material.case_id ="
            ' "case".id AND gap_deadline IS NOT NULL AND supplied_at IS NULL)'
        ),
        Date,
    ).label("first_gap"),
    literal_column(
        "(SELECT count(*) FROM case_material WHERE case_material.case_id ="
        ' "case".id AND gap_deadline IS NOT NULL AND supplied_at IS NULL)'
    ).label("open_gaps"),
)


def _summaries(session: Session, stmt: Any, today: date | None) -> list[CaseSummary]:
    """The summaries of the cases `stmt` selects (a select of the case rows, ordered), read
    as plain rows in one statement."""
    rows = session.execute(stmt.with_only_columns(*_SUMMARY_COLUMNS)).all()
    if not rows:
        return []
    calendar = calendar_for(session)
    day = today or hall_day(utcnow())
    out: list[CaseSummary] = []
    for r in rows:
        status = CaseStatus(r.status)
        due = _due(status, r.first_gap, r.promised_date)
        out.append(
            CaseSummary(
                id=r.id,
                case_no=r.case_no,
                status=status,
                status_label=STATUS_LABELS[status],
                decision=r.decision,
                decision_label=DECISION_LABELS[DecisionKind(r.decision)],
                applicant_name=r.applicant_name,
                applicant_id_number=r.applicant_id_number,
                matter_names=tuple(r.matter_names.split(_SEP)) if r.matter_names else (),
                received_at=r.received_at,
                promised_date=r.promised_date,
                due=due,
                deadline=deadline_state(due, day, calendar) if due else None,
                open_gaps=r.open_gaps,
                window_number=r.window_number,
                previous_case_id=r.previous_case_id,
                applicant_phone=r.applicant_phone or "",
                reasons_json=r.reasons_json or "[]",
            )
        )
    return out


def summaries_of(session: Session, ids: Sequence[str], today: date) -> list[CaseSummary]:
    """The summaries of the cases `ids`, in that order (ids of cases that are gone left out)."""
    found: dict[str, CaseSummary] = {}
    for chunk in range(0, len(ids), 500):
        stmt = select(Case).where(Case.id.in_(ids[chunk : chunk + 500]))
        found.update((s.id, s) for s in _summaries(session, stmt, today))
    return [found[i] for i in ids if i in found]


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


def _gap_case_ids(session: Session, offset: int, limit: int) -> list[str]:
    """The open gap cases, nearest unsupplied gap's deadline first (then the oldest): the
    unsupplied gaps walked in deadline order through ix_case_material_gap, each case at its
    first (nearest) gap, reading only as far as the page needs."""
    # Written out so that SQLite walks the gap index in order (a join would have it filter the
    # whole case table first), each gap's case looked up by its key.
    statuses = ", ".join(f"'{s.value}'" for s in GAP_STATUSES)
    stmt = text_sql(
        "SELECT m.case_id FROM case_material AS m INDEXED BY ix_case_material_gap"
        " WHERE m.gap_deadline IS NOT NULL AND m.supplied_at IS NULL"
        f' AND (SELECT c.status FROM "case" AS c WHERE c.id = m.case_id) IN ({statuses})'
        ' ORDER BY m.gap_deadline, (SELECT c.received_at FROM "case" AS c WHERE c.id = m.case_id)'
    )
    seen: dict[str, None] = {}
    want = offset + limit
    result = session.execute(stmt)
    try:
        for (case_id,) in result:
            seen.setdefault(case_id, None)
            if len(seen) >= want:
                break
    finally:
        result.close()
    return list(seen)[offset:want]


def _section_ids(
    session: Session, section: Section, today: date, open_only: bool, offset: int, limit: int
) -> list[str]:
    """One bounded, indexed query per section: each reads `limit` rows after `offset`."""
    stmt: Any
    if section is Section.GAPS:
        return _gap_case_ids(session, offset, limit)
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
        # Through ix_case_previous_case_id by name: ANALYZE judges it worthless (most cases
        # have no previous case) and SQLite would scan the table for every notified case.
        not_back = text_sql(
            'NOT EXISTS (SELECT 1 FROM "case" AS later INDEXED BY ix_case_previous_case_id'
            ' WHERE later.previous_case_id = "case".id)'
        )
        stmt = (
            select(Case.id)
            .where(Case.status == CaseStatus.NOTIFIED.value, not_back)
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
