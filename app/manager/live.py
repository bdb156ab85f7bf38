"""The live hall, Qt-free: every window with its clerk, state and current ticket; every line's
waiting count and longest current wait; alerts when a wait passes the hall's target or a window
is idle while people wait for a line it serves. A few small queries on today's tickets (the
queue's own indexes), cheap enough to run every few seconds.

A window's state: `serving` (a ticket called or in service there), `paused`, `idle` (it has
worked today), or `offline` (no ticket called there today, and not this desk's window): a desk
alone cannot see the other desks, so a window that has done nothing today counts as not there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import hall_day
from db.base import utcnow
from db.models.hall import Clerk, Desk, Hall, Line, Window, WindowLine
from db.models.queue import Ticket

#: A window idle this long while people wait for one of its lines is an alert.
IDLE_ALERT_MIN = 5
STATES = ("serving", "idle", "paused", "offline")


@dataclass(frozen=True)
class WindowNow:
    number: int
    name: str
    clerk_id: str | None
    clerk_name: str
    state: str
    ticket: str | None  # the number of the ticket called or in service
    ticket_status: str | None
    in_service_s: float | None  # since service started (or since the call)
    idle_s: float | None  # since its last ticket ended, when idle
    lines: tuple[str, ...]


@dataclass(frozen=True)
class LineNow:
    code: str
    name: str
    waiting: int
    longest_wait_s: float | None


@dataclass(frozen=True)
class Alert:
    kind: str  # "wait_over_target" | "idle_while_waiting"
    line: str | None = None
    window: int | None = None
    minutes: int = 0


@dataclass(frozen=True)
class HallNow:
    at: datetime
    day: date
    target_wait_min: int
    windows: list[WindowNow]
    lines: list[LineNow]
    alerts: list[Alert]

    @property
    def waiting(self) -> int:
        return sum(line.waiting for line in self.lines)


def _seconds(now: datetime, then: datetime | None) -> float | None:
    return None if then is None else max(0.0, (now - then).total_seconds())


def live(s: Session, now: datetime | None = None) -> HallNow:
    now = now or utcnow()
    day = hall_day(now)
    target = s.scalar(select(Hall.target_wait_minutes)) or 30
    desk_window = s.scalar(select(Desk.window_number))
    clerks: dict[str, str] = {i: n for i, n in s.execute(select(Clerk.id, Clerk.name))}
    windows = list(s.scalars(select(Window).order_by(Window.number)))
    serves = _serves(s)
    current = {
        t.window_number: t
        for t in s.scalars(
            # Today's, by the day's index: a desk's statistics (a year of tickets, all done or
            # closed) would make the status index look useless to SQLite's planner.
            select(Ticket).where(Ticket.day == day, Ticket.status.in_(("called", "serving")))
        )
        if t.window_number is not None
    }
    # Grouped by an expression, so that SQLite reads today's tickets by the day's index rather
    # than every ticket in window order.
    window = (Ticket.window_number + 0).label("window")
    last = {
        w: (ended, clerk)
        for w, ended, clerk in s.execute(
            select(window, func.max(Ticket.ended_at), func.max(Ticket.clerk_id))
            .where(Ticket.day == day)
            .group_by(window)
        )
        if w is not None
    }
    line_rows = s.execute(
        select(Line.code, Line.name, func.count(Ticket.id), func.min(Ticket.issued_at))
        .outerjoin(Ticket, (Ticket.line_code == Line.code) & (Ticket.status == "waiting"))
        .group_by(Line.code, Line.name, Line.position)
        .order_by(Line.position, Line.code)
    ).all()
    lines = [LineNow(c, n, int(k), _seconds(now, oldest)) for c, n, k, oldest in line_rows]
    waiting_lines = {ln.code for ln in lines if ln.waiting}
    alerts = [
        Alert("wait_over_target", line=ln.code, minutes=int(ln.longest_wait_s // 60))
        for ln in lines
        if ln.longest_wait_s is not None and ln.longest_wait_s > target * 60
    ]
    out: list[WindowNow] = []
    for w in windows:
        t = current.get(w.number)
        ended, last_clerk = last.get(w.number, (None, None))
        clerk = (t.clerk_id if t is not None else None) or last_clerk
        if clerk is None and w.number == desk_window:
            clerk = s.scalar(select(Desk.clerk_id))
        idle_s = None
        if t is not None:
            state = "serving"
        elif w.paused:
            state = "paused"
        elif w.number in last or w.number == desk_window:
            state = "idle"
            idle_s = _seconds(now, ended)
        else:
            state = "offline"
        started = None if t is None else (t.service_started_at or t.called_at)
        own = serves.get(w.number, ())
        out.append(
            WindowNow(
                number=w.number,
                name=w.name,
                clerk_id=clerk,
                clerk_name=clerks.get(clerk, "") if clerk else "",
                state=state,
                ticket=None if t is None else t.number,
                ticket_status=None if t is None else t.status,
                in_service_s=_seconds(now, started),
                idle_s=idle_s,
                lines=own,
            )
        )
        long_idle = idle_s is None or idle_s >= IDLE_ALERT_MIN * 60
        if state == "idle" and long_idle and waiting_lines.intersection(own):
            minutes = int((idle_s or 0) // 60)
            alerts.append(Alert("idle_while_waiting", window=w.number, minutes=minutes))
    return HallNow(now, day, target, out, lines, alerts)


def _serves(s: Session) -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = {}
    for w, line in s.execute(
        select(WindowLine.window_number, WindowLine.line_code).order_by(
            WindowLine.window_number, WindowLine.preference
        )
    ):
        out.setdefault(w, []).append(line)
    return {w: tuple(v) for w, v in out.items()}


def is_manager(s: Session, clerk_id: str | None) -> bool:
    """Whether the clerk has the manager role in the hall's configuration (an admin too)."""
    from app.services.hall import MANAGER_ROLES

    if clerk_id is None:
        return False
    clerk = s.get(Clerk, clerk_id)
    return clerk is not None and clerk.active and clerk.role in MANAGER_ROLES
