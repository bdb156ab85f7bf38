"""The day's end (日终): close_day ends the service of tickets still being served (done) and
closes every other unfinished ticket of that day and of any earlier day (closed, with the
reason).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.services.changes import DeskContext, record
from db.models.queue import FINAL_STATUSES, Ticket


def close_day(session: Session, ctx: DeskContext, *, day: date, reason: str, now: datetime) -> int:
    """The day's end: tickets in service are ended (done), every other unfinished ticket of
    `day` or earlier is closed as not served, with the reason. Returns how many changed."""
    reason = reason.strip()
    if not reason:
        raise UserError("queue.close_reason")
    open_tickets = session.scalars(
        select(Ticket)
        .where(Ticket.day <= day, Ticket.status.not_in(FINAL_STATUSES))
        .order_by(Ticket.order_key)
    ).all()
    for ticket in open_tickets:
        if ticket.status == "serving":
            ticket.status = "done"
            ticket.ended_at = now
            record(session, ctx, ticket, "ticket.service_ended", {"by": "close_day"})
        else:
            was = ticket.status
            ticket.status = "closed"
            ticket.close_reason = reason[:200]
            ticket.ended_at = now
            record(session, ctx, ticket, "ticket.closed", {"reason": reason, "was": was})
    return len(open_tickets)
