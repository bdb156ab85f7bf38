"""What the hall sees (the board's read models): waiting counts per line, the latest calls,
how many wait ahead of a ticket, a window's queue, the passed tickets."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.clock import hall_day
from app.queue.tickets import PRIORITY_KINDS, get_hall
from app.queue.views import AnnouncedCall, LineWaiting, WaitingCounts
from db.models.hall import Line, Window
from db.models.queue import Ticket


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
