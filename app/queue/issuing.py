"""Issuing tickets (取号).

Appointment check-ins (预约) are tickets of the line that serves them, numbered from their own
prefix "Y" (Y001…, one daily sequence shared with any line whose prefix is Y). A person holds at
most one place per line and day (by ID number, when given).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import hall_day
from app.errors import UserError
from app.queue.tickets import APPOINTMENT_PREFIX, HOLDING_STATUSES, get_line, order_key_of
from app.rules.identity import check_id_number, normalise_id_number
from app.services.changes import DeskContext, device_id, record
from app.services.numbering import next_in_sequence
from db.models.queue import PRIORITY_GROUPS, TICKET_KINDS, Ticket


def ticket_id_number(raw: str | None, today: date | None = None) -> str | None:
    """The ID number a ticket holds its place by, normalised (so "…x" and "…X" are the same
    ID); None when none was given. Refused unless it is a valid resident ID number (length,
    region, birth date and the GB 11643 check character)."""
    value = normalise_id_number(raw or "")
    if not value:
        return None
    problem = check_id_number(value, today)
    if problem is not None:
        raise UserError(problem)
    return value


def check_request(
    session: Session,
    line_code: str,
    kind: str,
    priority_group: str | None,
    id_number: str | None,
    day: date,
) -> str | None:
    """The checks of a ticket's issue (a known line and kind, a priority group only for a
    priority ticket, and one place per line and day by ID number on this machine's tickets):
    the normalised ID number, or None. Refused with a UserError."""
    line = get_line(session, line_code)
    if kind not in TICKET_KINDS:
        raise UserError("queue.unknown_kind", kind=kind)
    if kind == "priority" and priority_group not in PRIORITY_GROUPS:
        raise UserError("queue.choose_group")
    if kind != "priority" and priority_group is not None:
        raise UserError("queue.group_not_priority")
    id_value = ticket_id_number(id_number, day)
    if id_value is not None:
        holding = session.scalars(
            select(Ticket).where(
                Ticket.id_number == id_value,
                Ticket.line_code == line.code,
                Ticket.status.in_(HOLDING_STATUSES),
                Ticket.day == day,
            )
        ).first()
        if holding is not None:
            raise UserError("queue.already_holding", line=line.name)
    return id_value


def issue_ticket(
    session: Session,
    ctx: DeskContext,
    *,
    line_code: str,
    now: datetime,
    kind: str = "normal",
    priority_group: str | None = None,
    id_number: str | None = None,
    offline: bool = False,
    kiosk: int | None = None,
) -> Ticket:
    """Take a ticket. Offline tickets are numbered per window ("A3-007"), a space that never
    meets the shared one ("A007") nor another window's; a kiosk's (no window, its number
    `kiosk` given with its token) per kiosk ("AK2-007")."""
    line = get_line(session, line_code)
    day = hall_day(now)
    id_value = check_request(session, line_code, kind, priority_group, id_number, day)
    prefix = APPOINTMENT_PREFIX if kind == "appointment" else line.ticket_prefix
    if offline and ctx.window_number is None and kiosk is not None:
        seq = next_in_sequence(session, f"ticket-offline:{prefix}:K{kiosk}", day)
        number = f"{prefix}K{kiosk}-{seq:03d}"
    elif offline:
        if ctx.window_number is None:
            raise UserError("queue.offline_needs_window")
        seq = next_in_sequence(session, f"ticket-offline:{prefix}:{ctx.window_number}", day)
        number = f"{prefix}{ctx.window_number}-{seq:03d}"
    else:
        seq = next_in_sequence(session, f"ticket:{prefix}", day)
        number = f"{prefix}{seq:03d}"
    ticket = Ticket(
        number=number,
        line_code=line.code,
        day=day,
        seq=seq,
        kind=kind,
        priority_group=priority_group,
        id_number=id_value,
        status="waiting",
        issued_at=now,
        call_count=0,
        order_key=order_key_of(now),
        offline=offline,
        device_id=device_id(session),
    )
    session.add(ticket)
    record(
        session,
        ctx,
        ticket,
        "ticket.issued",
        {"number": number, "line": line.code, "kind": kind, "offline": offline},
    )
    return ticket
