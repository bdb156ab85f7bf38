"""好差评 belongs to the applicant. When a service ends the desk records that a rating is
awaited for the ticket, and where it is to be asked (`place`: the desk's second screen facing
the applicant, or the hall's kiosk). That screen shows it and records the applicant's rating, or
"not rated" once nobody answered within the timeout. The clerk never rates: no desk screen
asks, and a rating is accepted only while one is awaited.

The states live in the event log (no table of their own): `ticket.rating_awaited` opens a
rating, an Evaluation row or `ticket.not_rated` closes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import hall_day
from app.errors import UserError
from app.queue import visits
from app.queue.tickets import get_ticket
from app.services.changes import DeskContext, record
from db.base import utcnow
from db.models.queue import Evaluation, Ticket
from db.models.sync import Event

PLACES = ("second_screen", "kiosk")
AWAITED = "ticket.rating_awaited"
NOT_RATED = "ticket.not_rated"
#: Nobody answered within this long: the rating is recorded as not rated.
RATING_TIMEOUT = timedelta(seconds=60)
#: A rating nobody showed (no kiosk running) is closed as not rated by the next desk that
#: ends a service after this long: generous, so a rating on screen is never closed under it.
STALE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class AwaitedRating:
    ticket_id: str
    number: str
    window_number: int | None
    place: str
    awaited_at: datetime

    def expired(self, now: datetime, timeout: timedelta = RATING_TIMEOUT) -> bool:
        return now - self.awaited_at >= timeout


def _events(session: Session, ticket_id: str, kind: str) -> list[Event]:
    return list(
        session.scalars(
            select(Event).where(
                Event.entity == "ticket", Event.entity_id == ticket_id, Event.kind == kind
            )
        ).all()
    )


def _rated(session: Session, ticket_id: str) -> bool:
    return (
        session.scalars(select(Evaluation.id).where(Evaluation.ticket_id == ticket_id)).first()
        is not None
    )


def _open(session: Session, ticket: Ticket) -> Event | None:
    """The event that opened the ticket's rating, if it is still open."""
    awaited = _events(session, ticket.id, AWAITED)
    if not awaited or _rated(session, ticket.id) or _events(session, ticket.id, NOT_RATED):
        return None
    return awaited[0]


def _view(ticket: Ticket, event: Event) -> AwaitedRating:
    return AwaitedRating(
        ticket.id,
        ticket.number,
        ticket.window_number,
        str(event.data.get("place", "kiosk")),
        event.at,
    )


def await_rating(session: Session, ctx: DeskContext, ticket_id: str, place: str) -> AwaitedRating:
    """The service of `ticket_id` has ended: its applicant is to rate it at `place`."""
    if place not in PLACES:
        raise ValueError(f"unknown rating place {place!r}")
    ticket = get_ticket(session, ticket_id)
    if ticket.status != "done":
        raise UserError("queue.rate_not_done", number=ticket.number)
    if _rated(session, ticket.id) or _events(session, ticket.id, NOT_RATED):
        raise UserError("queue.already_rated", number=ticket.number)
    existing = _events(session, ticket.id, AWAITED)
    if existing:
        return _view(ticket, existing[0])
    expire_awaited(session, ctx, timeout=STALE_AFTER)
    event = record(session, ctx, ticket, AWAITED, {"place": place})
    return _view(ticket, event)


def awaited_ratings(
    session: Session, *, now: datetime | None = None, place: str | None = None
) -> tuple[AwaitedRating, ...]:
    """Today's ratings still awaited (at `place`, or anywhere), the oldest first."""
    now = now or utcnow()
    rows = session.execute(
        select(Ticket, Event)
        .join(Event, (Event.entity == "ticket") & (Event.entity_id == Ticket.id))
        .where(Ticket.day == hall_day(now), Ticket.status == "done", Event.kind == AWAITED)
        .order_by(Event.at)
    ).all()
    found = []
    for ticket, event in rows:
        view = _view(ticket, event)
        if place is not None and view.place != place:
            continue
        if _rated(session, ticket.id) or _events(session, ticket.id, NOT_RATED):
            continue
        found.append(view)
    return tuple(found)


def rate(
    session: Session, ctx: DeskContext, ticket_id: str, rating: int, comment: str = ""
) -> Evaluation:
    """The applicant's rating, accepted only while it is awaited."""
    ticket = get_ticket(session, ticket_id)
    if _open(session, ticket) is None:
        if _rated(session, ticket.id):
            raise UserError("queue.already_rated", number=ticket.number)
        raise UserError("queue.rating_not_awaited", number=ticket.number)
    return visits.record_evaluation(
        session, ctx, ticket_id=ticket_id, rating=rating, comment=comment
    )


def record_not_rated(session: Session, ctx: DeskContext, ticket_id: str) -> bool:
    """Nobody answered: the awaited rating is closed as not rated. False when it was no longer
    awaited (rated meanwhile, or already closed)."""
    ticket = get_ticket(session, ticket_id)
    if _open(session, ticket) is None:
        return False
    record(session, ctx, ticket, NOT_RATED, {})
    return True


def expire_awaited(
    session: Session,
    ctx: DeskContext,
    *,
    now: datetime | None = None,
    timeout: timedelta = RATING_TIMEOUT,
) -> int:
    """Every awaited rating older than `timeout` is closed as not rated; returns how many."""
    now = now or utcnow()
    expired = [r for r in awaited_ratings(session, now=now) if r.expired(now, timeout)]
    return sum(record_not_rated(session, ctx, r.ticket_id) for r in expired)
