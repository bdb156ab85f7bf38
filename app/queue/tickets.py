"""The queue's shared vocabulary: ticket kinds and statuses with their names for people, a
ticket's place in its line, the plain view of a ticket, and the lookups every queue action
starts from.

The queue's functions (issuing, calling, window_actions, day_end, board, visits) work inside
the caller's transaction and record each change with `record(...)`; a refused action raises
UserError before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.messages import Message, label
from app.queue.views import TicketView
from db.models.hall import Hall, Line, Window
from db.models.queue import Ticket

APPOINTMENT_PREFIX = "Y"
PRIORITY_KINDS = ("priority", "appointment")
# A ticket that holds its place in a line for the same ID number.
HOLDING_STATUSES = ("waiting", "called", "passed")
# Names for people (app.messages): the UI translates them, the command line prints them.
STATUS_NAMES: dict[str, Message] = {
    s: label("ticket.status", s)
    for s in ("waiting", "called", "serving", "passed", "done", "closed")
}
KIND_NAMES: dict[str, Message] = {
    k: label("ticket.kind", k) for k in ("normal", "priority", "appointment")
}
PRIORITY_GROUP_NAMES: dict[str, Message] = {
    g: label("ticket.group", g) for g in ("elderly", "pregnant", "disability", "service_member")
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def order_key_of(at: datetime) -> int:
    """Microseconds since the epoch: the sort key of a ticket's place in its line."""
    return (at - _EPOCH) // timedelta(microseconds=1)


def to_view(ticket: Ticket) -> TicketView:
    return TicketView(
        id=ticket.id,
        number=ticket.number,
        line_code=ticket.line_code,
        day=ticket.day,
        seq=ticket.seq,
        kind=ticket.kind,
        priority_group=ticket.priority_group,
        status=ticket.status,
        issued_at=ticket.issued_at,
        called_at=ticket.called_at,
        last_called_at=ticket.last_called_at,
        call_count=ticket.call_count,
        window_number=ticket.window_number,
        service_started_at=ticket.service_started_at,
        ended_at=ticket.ended_at,
        passed_reason=ticket.passed_reason,
        close_reason=ticket.close_reason,
        transferred_from_line=ticket.transferred_from_line,
        target_window=ticket.target_window,
        offline=ticket.offline,
        id_number=ticket.id_number,
    )


def get_hall(session: Session) -> Hall:
    """The hall's settings; an unconfigured desk uses the defaults (priority first, a
    transferred ticket keeps its place)."""
    hall = session.get(Hall, 1)
    if hall is None:
        return Hall(
            id=1,
            name="政务服务大厅",
            division_code="",
            priority_policy="priority_first",
            priority_every_n=3,
            transfer_keeps_place=True,
            target_wait_minutes=30,
        )
    return hall


def get_line(session: Session, line_code: str) -> Line:
    line = session.get(Line, line_code)
    if line is None:
        raise UserError("queue.no_line", line=line_code)
    return line


def get_window(session: Session, window_number: int | None) -> Window:
    if window_number is None:
        raise UserError("queue.no_desk_window")
    window = session.get(Window, window_number)
    if window is None:
        raise UserError("queue.no_window", window=window_number)
    return window


def get_ticket(session: Session, ticket_id: str) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise UserError("queue.no_ticket")
    return ticket


def current_ticket(session: Session, window_number: int) -> Ticket | None:
    """The ticket a window is calling or serving now (at most one)."""
    return session.scalars(
        select(Ticket)
        .where(Ticket.window_number == window_number, Ticket.status.in_(("called", "serving")))
        .order_by(Ticket.last_called_at.desc())
        .limit(1)
    ).first()


def require_at_window(ticket: Ticket, window_number: int, statuses: Iterable[str]) -> None:
    allowed = tuple(statuses)
    if ticket.status not in allowed:
        raise UserError(
            "queue.wrong_status",
            number=ticket.number,
            status=STATUS_NAMES[ticket.status],
            wanted=[STATUS_NAMES[s] for s in allowed],
        )
    if ticket.window_number != window_number:
        raise UserError("queue.other_window", number=ticket.number, window=ticket.window_number)
