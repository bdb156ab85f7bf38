"""The live hall, Qt-free: every window with its clerk, state and current ticket; every line's
waiting count and longest current wait; alerts when a wait passes the hall's target or a window
is idle while people wait for a line it serves. A few small queries on today's tickets (the
queue's own indexes), cheap enough to run every few seconds.

A window's state: `serving` (a ticket called or in service there), `paused`, `idle` (it has
worked today), or `offline` (no ticket called there today, and not this desk's window): a desk
alone cannot see the other desks, so a window that has done nothing today counts as not there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

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


@dataclass(frozen=True)
class Layout:
    """What the live view needs of the hall besides its tickets: from a desk's database, or
    from the central store (the hall's file and the windows' desks)."""

    target_wait_min: int
    windows: list[tuple[int, str, bool]]  # number, name, paused
    serves: dict[int, tuple[str, ...]]
    lines: list[tuple[str, str]]  # code, name, in the hall's order
    clerks: dict[str, str]
    present: dict[int, str | None]  # windows whose desk is there now -> who signed in there
    #: True on the central store, which hears from every desk: a window whose desk is not
    #: there is offline. A desk alone only knows its own.
    present_known: bool = False


@dataclass(frozen=True)
class Current:
    """The ticket called or in service at a window."""

    number: str
    status: str
    clerk_id: str | None
    called_at: datetime | None
    service_started_at: datetime | None


@dataclass(frozen=True)
class Tickets:
    """Today's tickets as the live view counts them."""

    current: Mapping[int, Current]
    last: Mapping[int, tuple[datetime | None, str | None]]  # window -> (last end, a clerk)
    waiting: Mapping[str, tuple[int, datetime | None]]  # line -> (waiting, oldest issue)


def live(s: Session, now: datetime | None = None) -> HallNow:
    """The hall now, from a desk's own database."""
    now = now or utcnow()
    day = hall_day(now)
    return assemble(now, day, desk_layout(s), desk_tickets(s, day))


def desk_layout(s: Session) -> Layout:
    desk_window, desk_clerk = s.execute(select(Desk.window_number, Desk.clerk_id)).first() or (
        None,
        None,
    )
    return Layout(
        target_wait_min=s.scalar(select(Hall.target_wait_minutes)) or 30,
        windows=[
            (n, name, bool(paused))
            for n, name, paused in s.execute(
                select(Window.number, Window.name, Window.paused).order_by(Window.number)
            )
        ],
        serves=_serves(s),
        lines=[(c, n) for c, n in s.execute(select(Line.code, Line.name).order_by(Line.position, Line.code))],
        clerks={i: n for i, n in s.execute(select(Clerk.id, Clerk.name))},
        present={} if desk_window is None else {desk_window: desk_clerk},
    )  # fmt: skip


def desk_tickets(s: Session, day: date) -> Tickets:
    current = {
        t.window_number: Current(t.number, t.status, t.clerk_id, t.called_at, t.service_started_at)
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
    waiting = {
        c: (int(k), oldest)
        for c, k, oldest in s.execute(
            select(Line.code, func.count(Ticket.id), func.min(Ticket.issued_at))
            .outerjoin(Ticket, (Ticket.line_code == Line.code) & (Ticket.status == "waiting"))
            .group_by(Line.code)
        )
    }
    return Tickets(current, last, waiting)


def assemble(now: datetime, day: date, hall: Layout, tickets: Tickets) -> HallNow:
    """The hall now from its layout and today's tickets (the same on a desk and centrally).

    A window is `serving` with a ticket called or in service there; else `paused`; else
    `idle` if its desk is there (or, on a desk alone, it has worked today); else `offline`.
    Centrally a window whose desk is not there is `offline` even if paused."""
    target = hall.target_wait_min
    lines: list[LineNow] = []
    for code, name in hall.lines:
        k, oldest = tickets.waiting.get(code, (0, None))
        lines.append(LineNow(code, name, k, _seconds(now, oldest) if k else None))
    waiting_lines = {ln.code for ln in lines if ln.waiting}
    alerts = [
        Alert("wait_over_target", line=ln.code, minutes=int(ln.longest_wait_s // 60))
        for ln in lines
        if ln.longest_wait_s is not None and ln.longest_wait_s > target * 60
    ]
    out: list[WindowNow] = []
    for number, name, paused in hall.windows:
        t = tickets.current.get(number)
        ended, last_clerk = tickets.last.get(number, (None, None))
        there = number in hall.present
        clerk = (t.clerk_id if t is not None else None) or hall.present.get(number) or last_clerk
        idle_s = None
        if t is not None:
            state = "serving"
        elif hall.present_known and not there:
            state = "offline"
        elif paused:
            state = "paused"
        elif there or (not hall.present_known and number in tickets.last):
            state = "idle"
            idle_s = _seconds(now, ended)
        else:
            state = "offline"
        started = None if t is None else (t.service_started_at or t.called_at)
        own = hall.serves.get(number, ())
        out.append(
            WindowNow(
                number=number,
                name=name,
                clerk_id=clerk,
                clerk_name=hall.clerks.get(clerk, "") if clerk else "",
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
            alerts.append(Alert("idle_while_waiting", window=number, minutes=minutes))
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


def to_json(now: HallNow) -> dict[str, Any]:
    """The hall now as the central store serves it (`GET /v1/halls/{hall}/live`)."""
    return {
        "at": now.at.isoformat(),
        "day": now.day.isoformat(),
        "target_wait_min": now.target_wait_min,
        "windows": [{**asdict(w), "lines": list(w.lines)} for w in now.windows],
        "lines": [asdict(ln) for ln in now.lines],
        "alerts": [asdict(a) for a in now.alerts],
    }


def from_json(data: dict[str, Any]) -> HallNow:
    """`to_json`'s answer back; a malformed one raises ValueError."""
    try:
        return HallNow(
            at=datetime.fromisoformat(data["at"]),
            day=date.fromisoformat(data["day"]),
            target_wait_min=int(data["target_wait_min"]),
            windows=[
                WindowNow(**{**w, "lines": tuple(str(x) for x in w["lines"])})
                for w in data["windows"]
            ],
            lines=[LineNow(**ln) for ln in data["lines"]],
            alerts=[Alert(**a) for a in data["alerts"]],
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not the hall now: {exc}") from exc
