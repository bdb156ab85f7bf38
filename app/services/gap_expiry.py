"""容缺 cases whose gap was not supplied by its deadline: as the commitment says, the
application is deemed withdrawn (视为撤回) — never decided (已办结)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import hall_day
from app.rules.lifecycle import GAP_OVERDUE_REASON, GAP_STATUSES, CaseStatus
from app.services.changes import DeskContext, record
from db.base import utcnow
from db.models.case import Case, CaseMaterial

# A case under review in parallel with an open gap expires the same way.
_EXPIRING = frozenset({*GAP_STATUSES, CaseStatus.IN_REVIEW})


def overdue_gap_case_ids(session: Session, today: date) -> list[str]:
    """Cases with a gap material not supplied and its deadline passed."""
    rows = session.execute(
        select(Case.id)
        .join(CaseMaterial, CaseMaterial.case_id == Case.id)
        .where(
            Case.status.in_([s.value for s in _EXPIRING]),
            CaseMaterial.gap_deadline < today,
            CaseMaterial.supplied_at.is_(None),
        )
        .distinct()
    ).all()
    return sorted(row[0] for row in rows)


def expire_overdue_gaps(
    session: Session, ctx: DeskContext, now: datetime | None = None
) -> list[str]:
    """Move every case with an overdue gap to withdrawn (视为撤回) with the reason, each with
    its event; returns their case numbers. The caller commits."""
    now = now or utcnow()
    expired: list[str] = []
    for case_id in overdue_gap_case_ids(session, hall_day(now)):
        case = session.get(Case, case_id)
        assert case is not None
        before = case.status
        case.status = CaseStatus.WITHDRAWN.value
        case.status_reason = GAP_OVERDUE_REASON
        case.updated_at = now
        record(
            session,
            ctx,
            case,
            "case.status",
            {
                "case_no": case.case_no,
                "from": before,
                "to": CaseStatus.WITHDRAWN.value,
                "reason": GAP_OVERDUE_REASON,
            },
        )
        expired.append(case.case_no)
    return expired
