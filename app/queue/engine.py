"""The queue rules on one database session: issuing tickets, the window actions, the day's end,
visits and ratings. Every function works inside the caller's transaction and records each
change with `record(...)`; a refused action raises UserError before anything is written.

Decisions (documented for the hall):
- Appointment check-ins (预约) are tickets of the line that serves them, numbered from their own
  prefix "Y" (Y001…, one daily sequence shared with any line whose prefix is Y) and called like
  priority tickets: they booked a slot.
- A ticket transferred to a specific window waits for that window alone, and that window calls
  such tickets before its own lines (the hand-off was agreed between clerks).
- Lines are served in the window's order of preference; the priority policy applies within a
  line. "every_n" counts the line's calls of the day: after N normal calls in a row, the oldest
  waiting priority ticket goes next.
- A passed ticket (过号) that is reactivated returns to its former place in its line; the clerk
  may also call it directly (call_ticket).
- close_day ends the service of tickets still being served (done) and closes every other
  unfinished ticket of that day and of any earlier day (closed, with the reason).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Date,
    Select,
    bindparam,
    case,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from app.clock import hall_day
from app.errors import UserError
from app.messages import Message, label
from app.queue.views import AnnouncedCall, LineWaiting, TicketView, WaitingCounts
from app.rules.identity import normalise_id_number
from app.services.changes import DeskContext, device_id, record
from app.services.numbering import next_in_sequence
from db.base import UTCDateTime
from db.models.hall import Hall, Line, Window, WindowLine
from db.models.queue import (
    FINAL_STATUSES,
    PRIORITY_GROUPS,
    RATINGS,
    TICKET_KINDS,
    VISIT_PURPOSES,
    CallRequest,
    Evaluation,
    Ticket,
    Visit,
)

APPOINTMENT_PREFIX = "Y"
PRIORITY_KINDS = ("priority", "appointment")
# A ticket that holds its place in a line for the same ID number.
HOLDING_STATUSES = ("waiting", "called", "passed")
# Names for people (app.messages): the UI translates them, the command line prints them.
STATUS_NAMES: dict[str, Message] = {
    s: label("ticket.status", s) for s in ("waiting", "called", "serving", "passed", "done", "closed")
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


def ticket_id_number(raw: str | None) -> str | None:
    """The ID number a ticket holds its place by, normalised (so "…x" and "…X" are the same
    ID); None when none was given."""
    value = normalise_id_number(raw or "")
    if not value:
        return None
    if not value.isalnum() or not 6 <= len(value) <= 30:
        raise UserError("queue.bad_id_number")
    return value


# --- lookups -----------------------------------------------------------------------------


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


def _require_at_window(ticket: Ticket, window_number: int, statuses: Iterable[str]) -> None:
    allowed = tuple(statuses)
    if ticket.status not in allowed:
        raise UserError(
            "queue.wrong_status", number=ticket.number, status=STATUS_NAMES[ticket.status],
            wanted=[STATUS_NAMES[s] for s in allowed],
        )
    if ticket.window_number != window_number:
        raise UserError("queue.other_window", number=ticket.number, window=ticket.window_number)


# --- issuing -------------------------------------------------------------------------------


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
) -> Ticket:
    """Take a ticket. Offline tickets are numbered per window ("A3-007"), a space that never
    meets the shared one ("A007") nor another window's."""
    line = get_line(session, line_code)
    if kind not in TICKET_KINDS:
        raise UserError("queue.unknown_kind", kind=kind)
    if kind == "priority" and priority_group not in PRIORITY_GROUPS:
        raise UserError("queue.choose_group")
    if kind != "priority" and priority_group is not None:
        raise UserError("queue.group_not_priority")
    id_value = ticket_id_number(id_number)
    day = hall_day(now)
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
            raise UserError("queue.already_holding", number=holding.number, line=line.name)
    prefix = APPOINTMENT_PREFIX if kind == "appointment" else line.ticket_prefix
    if offline:
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


# --- choosing whom to call -----------------------------------------------------------------


@dataclass(frozen=True)
class _WindowConfig:
    """What calling needs to know about a window, its current ticket and the hall: one query."""

    number: int
    paused: bool
    line_codes: tuple[str, ...]
    priority_policy: str
    priority_every_n: int
    busy_number: str | None
    busy_status: str | None


# Calling is the hot path (target: under 5 ms with 2,000 waiting), so its statements are built
# once with bind parameters: SQLAlchemy then only looks up the cached compiled SQL.
_BUSY = (Ticket.window_number == bindparam("w"), Ticket.status.in_(("called", "serving")))
_WINDOW_CONFIG = (
    select(
        Window.paused,
        WindowLine.line_code,
        Hall.priority_policy,
        Hall.priority_every_n,
        select(Ticket.number).where(*_BUSY).limit(1).scalar_subquery().label("busy_number"),
        select(Ticket.status).where(*_BUSY).limit(1).scalar_subquery().label("busy_status"),
    )
    .select_from(Window)
    .outerjoin(WindowLine, WindowLine.window_number == Window.number)
    .outerjoin(Hall, Hall.id == 1)
    .where(Window.number == bindparam("w"))
    .order_by(WindowLine.preference, WindowLine.line_code)
)
_CALL_REQUEST = select(CallRequest.ticket_id, CallRequest.window_number).where(
    CallRequest.request_id == bindparam("rid")
)
_CLAIM = (
    update(Ticket)
    .where(Ticket.id == bindparam("tid"), Ticket.status.in_(bindparam("from", expanding=True)))
    .values(
        status="called",
        window_number=bindparam("w"),
        clerk_id=bindparam("clerk"),
        # The first call stays the first: waiting time is issued_at → called_at.
        called_at=func.coalesce(Ticket.called_at, bindparam("now", type_=UTCDateTime())),
        last_called_at=bindparam("now", type_=UTCDateTime()),
        call_count=Ticket.call_count + 1,
    )
    .returning(Ticket)
)


def _window_config(session: Session, window_number: int | None) -> _WindowConfig:
    if window_number is None:
        raise UserError("queue.no_desk_window")
    rows = session.execute(_WINDOW_CONFIG, {"w": window_number}).all()
    if not rows:
        raise UserError("queue.no_window", window=window_number)
    first = rows[0]
    return _WindowConfig(
        number=window_number,
        paused=bool(first.paused),
        line_codes=tuple(r.line_code for r in rows if r.line_code is not None),
        # An unconfigured hall calls priority tickets first.
        priority_policy=first.priority_policy or "priority_first",
        priority_every_n=3 if first.priority_every_n is None else first.priority_every_n,
        busy_number=first.busy_number,
        busy_status=first.busy_status,
    )


def _normal_streak(session: Session, line_code: str, day: date, limit: int) -> int:
    """How many normal tickets the line has called in a row, most recent first (at most
    `limit`)."""
    kinds = session.scalars(
        select(Ticket.kind)
        .where(Ticket.line_code == line_code, Ticket.day == day, Ticket.called_at.is_not(None))
        .order_by(Ticket.called_at.desc())
        .limit(limit)
    ).all()
    streak = 0
    for kind in kinds:
        if kind != "normal":
            break
        streak += 1
    return streak


def _head(slot: int, *conditions: Any) -> Select[str, int, int, int]:
    """The oldest waiting ticket matching `conditions`, tagged with its slot."""
    return (
        select(Ticket.id, literal(slot).label("slot"), Ticket.order_key, Ticket.seq)
        .where(
            Ticket.status == "waiting", Ticket.day == bindparam("day", type_=Date()), *conditions
        )
        .order_by(Ticket.order_key, Ticket.seq)
        .limit(1)
    )


# Per line, one slot per kind: each is then a single index lookup (an IN over kinds would
# make SQLite walk the line's whole queue when no such ticket waits).
_KIND_SLOTS = ("appointment", "priority", "normal")


@functools.cache
def _candidates_statement(line_count: int) -> CompoundSelect[str, int, int, int]:
    """Every candidate for a window serving `line_count` lines: tickets transferred to the
    window (slot 0); per line i in order of preference, its oldest appointment, priority and
    normal ticket (slots 3i+1, 3i+2, 3i+3). Each is one index lookup."""
    heads = [_head(0, Ticket.target_window == bindparam("w"))]
    for i in range(line_count):
        for k, kind in enumerate(_KIND_SLOTS):
            heads.append(
                _head(
                    3 * i + k + 1,
                    Ticket.line_code == bindparam(f"l{i}"),
                    Ticket.kind == kind,
                    Ticket.target_window.is_(None),
                )
            )
    return union_all(*(select(h.subquery()) for h in heads))


def pick_next(session: Session, window: _WindowConfig, day: date) -> str | None:
    """The id of the ticket this window should call next, without claiming it."""
    params: dict[str, Any] = {"w": window.number, "day": day}
    params.update({f"l{i}": code for i, code in enumerate(window.line_codes)})
    found = {
        slot: (order_key, seq, tid)
        for tid, slot, order_key, seq in session.execute(
            _candidates_statement(len(window.line_codes)), params
        )
    }
    if 0 in found:
        return found[0][2]
    for i, code in enumerate(window.line_codes):
        # Appointments are called like priority tickets: the older of the two goes first.
        urgent = [found[s] for s in (3 * i + 1, 3 * i + 2) if s in found]
        priority = min(urgent)[2] if urgent else None
        normal = found[3 * i + 3][2] if 3 * i + 3 in found else None
        if priority is None or normal is None:
            if priority or normal:
                return priority or normal
            continue
        if window.priority_policy != "every_n":
            return priority
        every_n = max(window.priority_every_n, 0)
        if _normal_streak(session, code, day, every_n) >= every_n:
            return priority
        return normal
    return None


def _claim(
    session: Session,
    ticket_id: str,
    ctx: DeskContext,
    window_number: int,
    from_statuses: tuple[str, ...],
    now: datetime,
) -> Ticket | None:
    """Mark the ticket called by this window only if it is still in one of `from_statuses`:
    a compare-and-set, so two windows racing for the same ticket cannot both get it. Returns
    the ticket, or None when another window was faster."""
    return session.scalars(
        _CLAIM,
        {
            "tid": ticket_id,
            "from": list(from_statuses),
            "w": window_number,
            "clerk": ctx.clerk_id,
            "now": now,
        },
        execution_options={"synchronize_session": False, "populate_existing": True},
    ).one_or_none()


def _ready_to_call(session: Session, window_number: int | None) -> _WindowConfig:
    window = _window_config(session, window_number)
    if window.paused:
        raise UserError("queue.window_paused", window=window.number)
    if window.busy_number is not None and window.busy_status is not None:
        raise UserError(
            "queue.window_busy",
            number=window.busy_number, status=STATUS_NAMES[window.busy_status],
        )
    return window


def call_next(
    session: Session, ctx: DeskContext, *, request_id: str | None, now: datetime
) -> tuple[Ticket | None, bool]:
    """Call the next ticket for the window in `ctx`. Returns (ticket or None, replayed):
    a request id already answered returns the ticket it called, without calling another."""
    if request_id:
        answered = session.execute(_CALL_REQUEST, {"rid": request_id}).first()
        if answered is not None:
            if answered.window_number != ctx.window_number:
                raise UserError("queue.request_other_window")
            return get_ticket(session, answered.ticket_id), True
    window = _ready_to_call(session, ctx.window_number)
    day = hall_day(now)
    # Another desk may claim the candidate between our read and our write: try the next one.
    for _attempt in range(20):
        candidate = pick_next(session, window, day)
        if candidate is None:
            return None, False
        ticket = _claim(session, candidate, ctx, window.number, ("waiting",), now)
        if ticket is not None:
            break
    else:
        raise UserError("queue.call_conflicts")
    if request_id:
        session.execute(
            insert(CallRequest),
            {
                "request_id": request_id,
                "ticket_id": ticket.id,
                "window_number": window.number,
                "at": now,
            },
        )
    record(
        session,
        ctx,
        ticket,
        "ticket.called",
        {"number": ticket.number, "window": window.number, "request_id": request_id},
    )
    return ticket, False


def call_ticket(session: Session, ctx: DeskContext, *, ticket_id: str, now: datetime) -> Ticket:
    """Call one ticket out of order (or a passed one, to serve it later)."""
    window = _ready_to_call(session, ctx.window_number)
    ticket = get_ticket(session, ticket_id)
    if ticket.day != hall_day(now):
        raise UserError("queue.not_today", number=ticket.number)
    if ticket.status not in ("waiting", "passed"):
        raise UserError("queue.cannot_call", number=ticket.number, status=STATUS_NAMES[ticket.status])
    if ticket.target_window is not None and ticket.target_window != window.number:
        raise UserError("queue.transferred_to", number=ticket.number, window=ticket.target_window)
    claimed = _claim(session, ticket.id, ctx, window.number, ("waiting", "passed"), now)
    if claimed is None:
        raise UserError("queue.taken", number=ticket.number)
    record(
        session,
        ctx,
        claimed,
        "ticket.called",
        {"number": claimed.number, "window": window.number, "out_of_order": True},
    )
    return claimed


# --- the window's actions on its ticket ----------------------------------------------------


def _acting_window(ctx: DeskContext) -> int:
    if ctx.window_number is None:
        raise UserError("queue.no_window_set")
    return ctx.window_number


def recall(session: Session, ctx: DeskContext, *, ticket_id: str, now: datetime) -> Ticket:
    """Announce the called ticket again (重呼); every recall is counted."""
    window_number = _acting_window(ctx)
    ticket = get_ticket(session, ticket_id)
    _require_at_window(ticket, window_number, ("called",))
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
    _require_at_window(ticket, window_number, ("called",))
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
    _require_at_window(ticket, window_number, ("called",))
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
    _require_at_window(ticket, window_number, ("called", "serving"))
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
    _require_at_window(ticket, window_number, ("serving",))
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


# --- what the hall sees --------------------------------------------------------------------


def waiting_counts(session: Session, *, now: datetime) -> WaitingCounts:
    """Waiting tickets per line today (every line, zeros included)."""
    day = hall_day(now)
    rows = session.execute(
        select(
            Ticket.line_code,
            func.count(),
            func.sum(case((Ticket.kind.in_(PRIORITY_KINDS), 1), else_=0)),
            func.min(Ticket.issued_at),
        )
        .where(Ticket.status == "waiting", Ticket.day == day)
        .group_by(Ticket.line_code)
    ).all()
    by_line = {code: (count, prio or 0, oldest) for code, count, prio, oldest in rows}
    lines = session.scalars(select(Line).order_by(Line.position, Line.code)).all()
    result = []
    for line in lines:
        count, prio, oldest = by_line.get(line.code, (0, 0, None))
        longest = 0
        if oldest is not None:
            if oldest.tzinfo is None:  # an aggregate bypasses the column's type
                oldest = oldest.replace(tzinfo=UTC)
            longest = max(0, int((now - oldest).total_seconds() // 60))
        result.append(
            LineWaiting(
                line_code=line.code,
                line_name=line.name,
                prefix=line.ticket_prefix,
                waiting=int(count),
                priority_waiting=int(prio),
                longest_wait_minutes=longest,
            )
        )
    return WaitingCounts(at=now, lines=tuple(result))


def latest_calls(session: Session, *, now: datetime, limit: int = 8) -> tuple[AnnouncedCall, ...]:
    """Today's most recent calls and recalls, newest first: numbers and windows only."""
    rows = session.execute(
        select(
            Ticket.id,
            Ticket.number,
            Ticket.window_number,
            Ticket.last_called_at,
            Ticket.call_count,
            Ticket.offline,
        )
        .where(
            Ticket.day == hall_day(now),
            Ticket.last_called_at.is_not(None),
            Ticket.window_number.is_not(None),
        )
        .order_by(Ticket.last_called_at.desc())
        .limit(limit)
    ).all()
    return tuple(
        AnnouncedCall(
            ticket_id=tid,
            number=number,
            window_number=window,
            called_at=at,
            call_count=count,
            offline=offline,
        )
        for tid, number, window, at, count, offline in rows
        if window is not None and at is not None  # guaranteed by the query; narrows the types
    )


def waiting_ahead(session: Session, ticket: Ticket) -> int:
    """How many people wait before this ticket in its line (for the printed ticket). Under
    "priority first" every waiting priority ticket is ahead of a normal one."""
    if ticket.status != "waiting":
        return 0
    hall = get_hall(session)
    same_queue = [
        Ticket.status == "waiting",
        Ticket.line_code == ticket.line_code,
        Ticket.day == ticket.day,
        Ticket.id != ticket.id,
        Ticket.target_window.is_(None)
        if ticket.target_window is None
        else Ticket.target_window == ticket.target_window,
    ]
    earlier = (Ticket.order_key < ticket.order_key) | (
        (Ticket.order_key == ticket.order_key) & (Ticket.seq < ticket.seq)
    )
    count_query = select(func.count()).select_from(Ticket).where(*same_queue)
    if hall.priority_policy == "priority_first" and ticket.target_window is None:
        if ticket.kind in PRIORITY_KINDS:
            count_query = count_query.where(Ticket.kind.in_(PRIORITY_KINDS), earlier)
        else:
            count_query = count_query.where(Ticket.kind.in_(PRIORITY_KINDS) | earlier)
    else:
        count_query = count_query.where(earlier)
    return int(session.scalar(count_query) or 0)


def window_queue(session: Session, window: Window, *, now: datetime) -> list[Ticket]:
    """Today's tickets this window could call, in call order per line (targeted first), for
    calling one out of order."""
    day = hall_day(now)
    codes = [served.line_code for served in window.lines]
    targeted = session.scalars(
        select(Ticket)
        .where(Ticket.status == "waiting", Ticket.target_window == window.number, Ticket.day == day)
        .order_by(Ticket.order_key, Ticket.seq)
    ).all()
    in_lines = session.scalars(
        select(Ticket)
        .where(
            Ticket.status == "waiting",
            Ticket.line_code.in_(codes),
            Ticket.target_window.is_(None),
            Ticket.day == day,
        )
        .order_by(Ticket.order_key, Ticket.seq)
    ).all()
    rank = {code: i for i, code in enumerate(codes)}
    ordered = sorted(
        in_lines,
        key=lambda t: (rank[t.line_code], t.kind not in PRIORITY_KINDS, t.order_key, t.seq),
    )
    return [*targeted, *ordered]


def passed_tickets(session: Session, *, now: datetime) -> list[Ticket]:
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.status == "passed", Ticket.day == hall_day(now))
            .order_by(Ticket.order_key)
        ).all()
    )


# --- visits and ratings --------------------------------------------------------------------


def link_case(
    session: Session, ctx: DeskContext, *, ticket_id: str, case_id: str, purpose: str = "new"
) -> Visit:
    """Record that `case_id` was served during this ticket's visit (idempotent)."""
    if purpose not in VISIT_PURPOSES:
        raise UserError("queue.unknown_purpose", purpose=purpose)
    if not case_id:
        raise UserError("queue.visit_needs_case")
    get_ticket(session, ticket_id)
    existing = session.scalars(
        select(Visit).where(Visit.ticket_id == ticket_id, Visit.case_id == case_id)
    ).first()
    if existing is not None:
        return existing
    visit = Visit(ticket_id=ticket_id, case_id=case_id, purpose=purpose)
    session.add(visit)
    record(session, ctx, visit, "visit.linked", {"purpose": purpose})
    return visit


def visits_per_case(session: Session, case_id: str) -> int:
    """How many separate visits (tickets) a case took: 1 means 只跑一次."""
    return int(
        session.scalar(
            select(func.count(func.distinct(Visit.ticket_id))).where(Visit.case_id == case_id)
        )
        or 0
    )


def record_evaluation(
    session: Session,
    ctx: DeskContext,
    *,
    ticket_id: str,
    rating: int,
    comment: str = "",
    case_id: str | None = None,
) -> Evaluation:
    """好差评 for a finished service. A rating of 不满意 or worse is flagged for follow-up."""
    if rating not in RATINGS:
        raise UserError("queue.bad_rating")
    ticket = get_ticket(session, ticket_id)
    if ticket.status != "done":
        raise UserError("queue.rate_not_done", number=ticket.number)
    already = session.scalars(select(Evaluation).where(Evaluation.ticket_id == ticket_id)).first()
    if already is not None:
        raise UserError("queue.already_rated", number=ticket.number)
    if case_id is None:
        case_id = session.scalars(
            select(Visit.case_id).where(Visit.ticket_id == ticket_id).order_by(Visit.created_at)
        ).first()
    evaluation = Evaluation(
        ticket_id=ticket_id,
        case_id=case_id,
        window_number=ticket.window_number,
        clerk_id=ticket.clerk_id,
        rating=rating,
        comment=comment.strip()[:1000],
        follow_up_needed=rating <= 2,
    )
    session.add(evaluation)
    record(
        session,
        ctx,
        evaluation,
        "evaluation.recorded",
        {"rating": rating, "follow_up_needed": evaluation.follow_up_needed},
    )
    return evaluation
