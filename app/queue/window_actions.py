"""The window's actions on its ticket: recall, start and end the service, no-show (过号),
reactivate, transfer, pause.

A passed ticket that is reactivated returns to its former place in its line.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.clock import hall_day
from app.errors import UserError
from app.queue.tickets import (
    STATUS_NAMES,
    get_hall,
    get_line,
    get_ticket,
    get_window,
    order_key_of,
    require_at_window,
)
from app.services.changes import DeskContext, record
from db.models.hall import Window
from db.models.queue import Ticket

# The ticket statuses each action on the window's ticket accepts (the desk enables its buttons
# by them).
ACTION_STATUSES: dict[str, tuple[str, ...]] = {
    "recall": ("called",),
    "start_service": ("called",),
    "mark_no_show": ("called",),
    "transfer": ("called", "serving"),
    "end_service": ("serving",),
}


def _acting_window(ctx: DeskContext) -> int:
    if ctx.window_number is None:
        raise UserError("queue.no_window_set")
    return ctx.window_number


def recall(session: Session, ctx: DeskContext, *, ticket_id: str, now: datetime) -> Ticket:
    """Announce the called ticket again (重呼); every recall is counted."""
    window_number = _acting_window(ctx)
    ticket = get_ticket(session, ticket_id)
    require_at_window(ticket, window_number, ACTION_STATUSES["recall"])
    ticket.call_count += 1
    ticket.last_called_at = now
    record(
        session,
        ctx,
        ticket,
        "ticket.recalled",
        {"number": ticket.number, "window": window_number, "call_count": ticket.call_count},
    )
    return ticket


def start_service(session: Session, ctx: DeskContext, *, ticket_id: str, now: datetime) -> Ticket:
    window_number = _acting_window(ctx)
    ticket = get_ticket(session, ticket_id)
    require_at_window(ticket, window_number, ACTION_STATUSES["start_service"])
    ticket.status = "serving"
    ticket.service_started_at = now
    ticket.clerk_id = ctx.clerk_id
    record(session, ctx, ticket, "ticket.service_started", {"window": window_number})
    return ticket


def mark_no_show(
    session: Session, ctx: DeskContext, *, ticket_id: str, reason: str, now: datetime
) -> Ticket:
    """过号: the applicant did not come to the window. The ticket may be reactivated or called
    again later today."""
    window_number = _acting_window(ctx)
    reason = reason.strip()
    if not reason:
        raise UserError("queue.no_show_reason")
    ticket = get_ticket(session, ticket_id)
    require_at_window(ticket, window_number, ACTION_STATUSES["mark_no_show"])
    ticket.status = "passed"
    ticket.passed_reason = reason[:200]
    record(
        session,
        ctx,
        ticket,
        "ticket.passed",
        {"window": window_number, "reason": ticket.passed_reason, "at": now},
    )
    return ticket


def reactivate(session: Session, ctx: DeskContext, *, ticket_id: str, now: datetime) -> Ticket:
    """A passed ticket goes back to waiting, at its former place in its line."""
    ticket = get_ticket(session, ticket_id)
    if ticket.status != "passed":
        raise UserError(
            "queue.cannot_reactivate", number=ticket.number, status=STATUS_NAMES[ticket.status]
        )
    if ticket.day != hall_day(now):
        raise UserError("queue.reactivate_not_today", number=ticket.number)
    ticket.status = "waiting"
    ticket.window_number = None
    record(session, ctx, ticket, "ticket.reactivated", {"number": ticket.number})
    return ticket


def transfer(
    session: Session,
    ctx: DeskContext,
    *,
    ticket_id: str,
    now: datetime,
    to_line: str | None = None,
    to_window: int | None = None,
) -> Ticket:
    """Send the window's ticket to another line and/or to a specific window. It keeps its place
    by its original issue time, or goes to the back, as the hall decides."""
    window_number = _acting_window(ctx)
    if to_line is None and to_window is None:
        raise UserError("queue.choose_transfer")
    ticket = get_ticket(session, ticket_id)
    require_at_window(ticket, window_number, ACTION_STATUSES["transfer"])
    if to_line is not None:
        line = get_line(session, to_line)
        if line.code == ticket.line_code and to_window is None:
            raise UserError("queue.same_line", number=ticket.number, line=line.name)
    if to_window is not None:
        get_window(session, to_window)
        if to_window == window_number:
            raise UserError("queue.same_window")
    hall = get_hall(session)
    from_line = ticket.line_code
    if to_line is not None and to_line != ticket.line_code:
        ticket.transferred_from_line = ticket.line_code
        ticket.line_code = to_line
    ticket.target_window = to_window
    ticket.status = "waiting"
    ticket.window_number = None
    ticket.service_started_at = None
    ticket.order_key = order_key_of(ticket.issued_at if hall.transfer_keeps_place else now)
    record(
        session,
        ctx,
        ticket,
        "ticket.transferred",
        {
            "from_window": window_number,
            "from_line": from_line,
            "to_line": ticket.line_code,
            "to_window": to_window,
            "keeps_place": hall.transfer_keeps_place,
        },
    )
    return ticket


def end_service(session: Session, ctx: DeskContext, *, ticket_id: str, now: datetime) -> Ticket:
    window_number = _acting_window(ctx)
    ticket = get_ticket(session, ticket_id)
    if ticket.status == "called":
        raise UserError("queue.not_serving", number=ticket.number)
    require_at_window(ticket, window_number, ACTION_STATUSES["end_service"])
    ticket.status = "done"
    ticket.ended_at = now
    record(session, ctx, ticket, "ticket.service_ended", {"window": window_number})
    return ticket


def set_paused(session: Session, ctx: DeskContext, *, paused: bool) -> Window:
    """Pause the window (no more calls; the ticket in service carries on) or resume it."""
    window = get_window(session, ctx.window_number)
    if window.paused == paused:
        raise UserError(
            "queue.already_paused" if paused else "queue.already_calling", window=window.number
        )
    window.paused = paused
    record(session, ctx, window, "window.paused" if paused else "window.resumed")
    return window
