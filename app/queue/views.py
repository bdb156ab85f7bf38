"""What the queue interface returns: plain frozen values, never ORM rows, so that the desk's
local queue and the central store's shared queue (over HTTP) can return the same things."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class TicketView:
    id: str
    number: str
    line_code: str
    day: date
    seq: int
    kind: str  # normal | priority | appointment
    priority_group: str | None
    status: str  # waiting | called | serving | passed | done | closed
    issued_at: datetime
    called_at: datetime | None
    last_called_at: datetime | None
    call_count: int
    window_number: int | None
    service_started_at: datetime | None
    ended_at: datetime | None
    passed_reason: str | None
    close_reason: str | None
    transferred_from_line: str | None
    target_window: int | None
    offline: bool
    # For the clerk's desk only (to prefill the case); the hall display never receives it.
    id_number: str | None = None


@dataclass(frozen=True)
class CallResult:
    """The outcome of a call: `ticket` is None when nobody is waiting for this window;
    `replayed` is True when a retried request returned the ticket it had already called."""

    ticket: TicketView | None
    announcement: str | None
    replayed: bool = False


@dataclass(frozen=True)
class LineWaiting:
    line_code: str
    line_name: str
    prefix: str
    waiting: int
    priority_waiting: int
    longest_wait_minutes: int


@dataclass(frozen=True)
class WaitingCounts:
    at: datetime
    lines: tuple[LineWaiting, ...]

    @property
    def total(self) -> int:
        return sum(line.waiting for line in self.lines)


@dataclass(frozen=True)
class AnnouncedCall:
    """One call as the hall display shows it: a number and a window, nothing personal.
    (ticket_id, call_count) identifies the announcement, so a recall is announced again."""

    ticket_id: str
    number: str
    window_number: int
    called_at: datetime
    call_count: int
    offline: bool


@dataclass(frozen=True)
class LineInfo:
    code: str
    name: str
    prefix: str
    position: int


@dataclass(frozen=True)
class WindowState:
    number: int
    name: str
    paused: bool
    line_codes: tuple[str, ...]
