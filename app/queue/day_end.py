"""The day's end (日终): close_day closes every unfinished ticket of that day and of any earlier
day that is not in service (closed, with the reason), and ends the service (done) of tickets
being served only at the windows chosen: the desk's own, and another window's only when the
clerk chose it. `day_end_preview` says beforehand exactly what will close.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.services.changes import DeskContext, record
from db.models.queue import FINAL_STATUSES, Ticket

#: end_service_at: every window's service ends (the start-up's clean-up of an earlier day).
EVERY_WINDOW: Literal["all"] = "all"


@dataclass(frozen=True)
class InService:
    """A ticket being served at a window, as the day-end prompt names it."""

    window_number: int | None
    number: str


@dataclass(frozen=True)
class DayEndPreview:
    """What a day's end would change: tickets waiting (or passed), tickets called to a window
    but not yet served (both closed as not served), and the tickets in service, per window."""

    waiting: int
    called: int
    serving: tuple[InService, ...]

    def serving_at(self, window_number: int | None) -> tuple[InService, ...]:
        return tuple(t for t in self.serving if t.window_number == window_number)


def _open_tickets(session: Session, day: date) -> list[Ticket]:
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.day <= day, Ticket.status.not_in(FINAL_STATUSES))
            .order_by(Ticket.order_key)
        ).all()
    )


def day_end_preview(session: Session, *, day: date) -> DayEndPreview:
    tickets = _open_tickets(session, day)
    serving = sorted(
        (InService(t.window_number, t.number) for t in tickets if t.status == "serving"),
        key=lambda s: (s.window_number is None, s.window_number or 0, s.number),
    )
    return DayEndPreview(
        waiting=sum(t.status in ("waiting", "passed") for t in tickets),
        called=sum(t.status == "called" for t in tickets),
        serving=tuple(serving),
    )


def close_day(
    session: Session,
    ctx: DeskContext,
    *,
    day: date,
    reason: str,
    now: datetime,
    end_service_at: Collection[int] | Literal["all"],
) -> int:
    """The day's end: every unfinished ticket of `day` or earlier that is not in service is
    closed as not served, with the reason; a ticket in service is ended (done) only when its
    window is in `end_service_at` (or that is EVERY_WINDOW), else left in service. Returns how
    many changed."""
    reason = reason.strip()
    if not reason:
        raise UserError("queue.close_reason")
    changed = 0
    for ticket in _open_tickets(session, day):
        if ticket.status == "serving":
            if end_service_at != EVERY_WINDOW and ticket.window_number not in end_service_at:
                continue
            ticket.status = "done"
            ticket.ended_at = now
            record(session, ctx, ticket, "ticket.service_ended", {"by": "close_day"})
        else:
            was = ticket.status
            ticket.status = "closed"
            ticket.close_reason = reason[:200]
            ticket.ended_at = now
            record(session, ctx, ticket, "ticket.closed", {"reason": reason, "was": was})
        changed += 1
    return changed
