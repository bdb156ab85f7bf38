"""Revealing an applicant's full ID and phone numbers in the open case: an event (who, at
which window, which case; never the numbers), chained and pushed like every other
(app/services/changes.py). Lists and searches only ever show them masked (app/privacy.py)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.errors import UserError
from app.services.applicant import ApplicantData
from app.services.changes import DeskContext, record
from db.models.case import Case

REVEAL_KIND = "case.numbers_revealed"


def reveal_numbers(session: Session, ctx: DeskContext, case_id: str) -> ApplicantData:
    """The applicant of `case_id` with their full numbers, recorded as revealed by ctx's
    clerk in the same transaction: the numbers come only with the event."""
    case = session.get(Case, case_id)
    if case is None:
        raise UserError("case.not_found", case=case_id)
    fields = [
        key
        for key in ("id_number", "phone", "agent_id_number", "agent_phone")
        if getattr(case, "applicant_" + key if not key.startswith("agent") else key)
    ]
    record(session, ctx, case, REVEAL_KIND, {"case_no": case.case_no, "fields": fields})
    return ApplicantData.of(case)
