"""The one queue interface the desk, the kiosk and the hall display talk to.

`LocalQueue` implements it on the desk's own SQLite database (a desk working alone, and any
desk while the central store is unreachable: then it issues offline numbers). The central
store's shared queue will implement the same protocol over HTTP: every method takes plain
values and returns frozen dataclasses, and call_next takes a request id so that a retried
request returns the ticket it already called instead of calling another."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from typing import Literal, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.accounts import require_role
from app.clock import hall_day
from app.queue import board, calling, day_end, issuing, tickets, visits, window_actions
from app.queue.announce import announcement_text
from app.queue.views import (
    AnnouncedCall,
    CallResult,
    LineInfo,
    TicketView,
    WaitingCounts,
    WindowState,
)
from app.services.changes import DeskContext
from app.services.hall import MANAGER_ROLES
from db.base import utcnow
from db.engine import Database
from db.models.hall import Line, Window
from db.models.queue import Ticket

T = TypeVar("T")


class QueueBackend(Protocol):
    """The queue as seen by the desk, the kiosk and the hall display."""

    def hall_name(self) -> str: ...

    def lines(self) -> tuple[LineInfo, ...]: ...

    def window_state(self, window_number: int) -> WindowState: ...

    def windows(self) -> tuple[WindowState, ...]: ...

    def issue_ticket(
        self,
        ctx: DeskContext,
        line_code: str,
        kind: str = "normal",
        priority_group: str | None = None,
        id_number: str | None = None,
    ) -> TicketView: ...

    def call_next(self, ctx: DeskContext, request_id: str) -> CallResult: ...

    def call_ticket(self, ctx: DeskContext, ticket_id: str) -> CallResult: ...

    def recall(self, ctx: DeskContext, ticket_id: str) -> CallResult: ...

    def start_service(self, ctx: DeskContext, ticket_id: str) -> TicketView: ...

    def mark_no_show(self, ctx: DeskContext, ticket_id: str, reason: str) -> TicketView: ...

    def reactivate(self, ctx: DeskContext, ticket_id: str) -> TicketView: ...

    def transfer(
        self,
        ctx: DeskContext,
        ticket_id: str,
        to_line: str | None = None,
        to_window: int | None = None,
    ) -> TicketView: ...

    def end_service(self, ctx: DeskContext, ticket_id: str) -> TicketView: ...

    def pause_window(self, ctx: DeskContext) -> WindowState: ...

    def resume_window(self, ctx: DeskContext) -> WindowState: ...

    def current_ticket(self, window_number: int) -> TicketView | None: ...

    def window_queue(self, window_number: int) -> tuple[TicketView, ...]: ...

    def passed_tickets(self) -> tuple[TicketView, ...]: ...

    def waiting_counts(self) -> WaitingCounts: ...

    def latest_calls(self, limit: int = 8) -> tuple[AnnouncedCall, ...]: ...

    def waiting_ahead(self, ticket_id: str) -> int: ...

    def record_evaluation(
        self, ctx: DeskContext, ticket_id: str, rating: int, comment: str = ""
    ) -> None: ...

    def day_end_preview(self) -> day_end.DayEndPreview: ...

    def close_day(
        self,
        ctx: DeskContext,
        reason: str,
        end_service_at: Collection[int] | Literal["all"] | None = None,
    ) -> int:
        """end_service_at: the windows whose service ends too (None: the desk's own only)."""
        ...


def _window_state(window: Window) -> WindowState:
    return WindowState(
        number=window.number,
        name=window.name,
        paused=window.paused,
        line_codes=tuple(served.line_code for served in window.lines),
    )


def _call_result(ticket: Ticket | None, replayed: bool = False) -> CallResult:
    if ticket is None:
        return CallResult(ticket=None, announcement=None, replayed=replayed)
    assert ticket.window_number is not None  # a called ticket is at a window
    return CallResult(
        ticket=tickets.to_view(ticket),
        announcement=announcement_text(ticket.number, ticket.window_number),
        replayed=replayed,
    )


class LocalQueue:
    """The queue on this desk's database; one transaction per action.

    `offline=True` when this desk stands in for the unreachable shared queue: its tickets are
    then numbered in the window's own space ("A3-007") and marked offline."""

    def __init__(
        self,
        store: Database | sessionmaker[Session],
        *,
        offline: bool = False,
        kiosk: int | None = None,
        clock: Callable[[], datetime] = utcnow,
        on_wait: Callable[[int], None] | None = None,
    ) -> None:
        """`store`: the desk's `Database` (reads on WAL snapshots that never wait for a
        writer; writes tried again while another process holds the lock, then `StoreBusy`;
        `on_wait(attempt)` is told before each new try), or a bare sessionmaker (tests and
        tools: one plain transaction per call)."""
        if isinstance(store, Database):
            self._database: Database | None = store
            self._sessions = store.session
        else:
            self._database = None
            self._sessions = store
        self.offline = offline
        self.kiosk = kiosk  # a kiosk's offline number space ("AK2-001"), with offline=True
        self._clock = clock
        self._on_wait = on_wait

    def _write(self, action: Callable[[Session, datetime], T]) -> T:
        if self._database is not None:
            return self._database.run_write(
                lambda s: action(s, self._clock()), on_wait=self._on_wait
            )
        with self._sessions.begin() as session:
            return action(session, self._clock())

    def _read(self, action: Callable[[Session, datetime], T]) -> T:
        factory = self._database.read if self._database is not None else self._sessions
        with factory() as session:
            return action(session, self._clock())

    # --- configuration ------------------------------------------------------------------

    def hall_name(self) -> str:
        return self._read(lambda s, _now: tickets.get_hall(s).name)

    def lines(self) -> tuple[LineInfo, ...]:
        def read(s: Session, _now: datetime) -> tuple[LineInfo, ...]:
            rows = s.scalars(select(Line).order_by(Line.position, Line.code)).all()
            return tuple(
                LineInfo(code=r.code, name=r.name, prefix=r.ticket_prefix, position=r.position)
                for r in rows
            )

        return self._read(read)

    def window_state(self, window_number: int) -> WindowState:
        return self._read(lambda s, _now: _window_state(tickets.get_window(s, window_number)))

    def windows(self) -> tuple[WindowState, ...]:
        def read(s: Session, _now: datetime) -> tuple[WindowState, ...]:
            rows = s.scalars(select(Window).order_by(Window.number)).all()
            return tuple(_window_state(w) for w in rows)

        return self._read(read)

    # --- tickets ------------------------------------------------------------------------

    def issue_ticket(
        self,
        ctx: DeskContext,
        line_code: str,
        kind: str = "normal",
        priority_group: str | None = None,
        id_number: str | None = None,
    ) -> TicketView:
        return self._write(
            lambda s, now: tickets.to_view(
                issuing.issue_ticket(
                    s,
                    ctx,
                    line_code=line_code,
                    now=now,
                    kind=kind,
                    priority_group=priority_group,
                    id_number=id_number,
                    offline=self.offline,
                    kiosk=self.kiosk,
                )
            )
        )

    def call_next(self, ctx: DeskContext, request_id: str) -> CallResult:
        def act(s: Session, now: datetime) -> CallResult:
            ticket, replayed = calling.call_next(s, ctx, request_id=request_id, now=now)
            return _call_result(ticket, replayed)

        return self._write(act)

    def call_ticket(self, ctx: DeskContext, ticket_id: str) -> CallResult:
        return self._write(
            lambda s, now: _call_result(calling.call_ticket(s, ctx, ticket_id=ticket_id, now=now))
        )

    def recall(self, ctx: DeskContext, ticket_id: str) -> CallResult:
        return self._write(
            lambda s, now: _call_result(window_actions.recall(s, ctx, ticket_id=ticket_id, now=now))
        )

    def start_service(self, ctx: DeskContext, ticket_id: str) -> TicketView:
        return self._write(
            lambda s, now: tickets.to_view(
                window_actions.start_service(s, ctx, ticket_id=ticket_id, now=now)
            )
        )

    def mark_no_show(self, ctx: DeskContext, ticket_id: str, reason: str) -> TicketView:
        return self._write(
            lambda s, now: tickets.to_view(
                window_actions.mark_no_show(s, ctx, ticket_id=ticket_id, reason=reason, now=now)
            )
        )

    def reactivate(self, ctx: DeskContext, ticket_id: str) -> TicketView:
        return self._write(
            lambda s, now: tickets.to_view(
                window_actions.reactivate(s, ctx, ticket_id=ticket_id, now=now)
            )
        )

    def transfer(
        self,
        ctx: DeskContext,
        ticket_id: str,
        to_line: str | None = None,
        to_window: int | None = None,
    ) -> TicketView:
        return self._write(
            lambda s, now: tickets.to_view(
                window_actions.transfer(
                    s, ctx, ticket_id=ticket_id, now=now, to_line=to_line, to_window=to_window
                )
            )
        )

    def end_service(self, ctx: DeskContext, ticket_id: str) -> TicketView:
        return self._write(
            lambda s, now: tickets.to_view(
                window_actions.end_service(s, ctx, ticket_id=ticket_id, now=now)
            )
        )

    def pause_window(self, ctx: DeskContext) -> WindowState:
        return self._write(
            lambda s, _now: _window_state(window_actions.set_paused(s, ctx, paused=True))
        )

    def resume_window(self, ctx: DeskContext) -> WindowState:
        return self._write(
            lambda s, _now: _window_state(window_actions.set_paused(s, ctx, paused=False))
        )

    # --- views --------------------------------------------------------------------------

    def current_ticket(self, window_number: int) -> TicketView | None:
        def read(s: Session, _now: datetime) -> TicketView | None:
            ticket = tickets.current_ticket(s, window_number)
            return None if ticket is None else tickets.to_view(ticket)

        return self._read(read)

    def window_queue(self, window_number: int) -> tuple[TicketView, ...]:
        def read(s: Session, now: datetime) -> tuple[TicketView, ...]:
            window = tickets.get_window(s, window_number)
            return tuple(tickets.to_view(t) for t in board.window_queue(s, window, now=now))

        return self._read(read)

    def passed_tickets(self) -> tuple[TicketView, ...]:
        return self._read(
            lambda s, now: tuple(tickets.to_view(t) for t in board.passed_tickets(s, now=now))
        )

    def waiting_counts(self) -> WaitingCounts:
        return self._read(lambda s, now: board.waiting_counts(s, now=now))

    def latest_calls(self, limit: int = 8) -> tuple[AnnouncedCall, ...]:
        return self._read(lambda s, now: board.latest_calls(s, now=now, limit=limit))

    def waiting_ahead(self, ticket_id: str) -> int:
        return self._read(lambda s, _now: board.waiting_ahead(s, tickets.get_ticket(s, ticket_id)))

    # --- ratings and the day's end ------------------------------------------------------

    def record_evaluation(
        self, ctx: DeskContext, ticket_id: str, rating: int, comment: str = ""
    ) -> None:
        self._write(
            lambda s, _now: visits.record_evaluation(
                s, ctx, ticket_id=ticket_id, rating=rating, comment=comment
            )
        )

    def day_end_preview(self) -> day_end.DayEndPreview:
        return self._read(lambda s, now: day_end.day_end_preview(s, day=hall_day(now)))

    def close_day(
        self,
        ctx: DeskContext,
        reason: str,
        end_service_at: Collection[int] | Literal["all"] | None = None,
    ) -> int:
        if end_service_at is None:
            end_service_at = () if ctx.window_number is None else (ctx.window_number,)
        windows = end_service_at

        def close(s: Session, now: datetime) -> int:
            # Closing the hall's day is a manager's (the start-up's closing of days left open
            # calls day_end.close_day itself, as nobody).
            require_role(s, ctx, MANAGER_ROLES)
            return day_end.close_day(
                s, ctx, day=hall_day(now), reason=reason, now=now, end_service_at=windows
            )

        return self._write(close)
