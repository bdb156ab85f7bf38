"""A hall display or kiosk on another machine following the hall's shared queue on the
central store (`python -m app display|kiosk --central URL --token T`, a display's token:
`central add-display`).

Each poll is one light request (`GET …/queue/board`: the latest calls, the waiting counts,
the windows), so the screen shows the tickets every desk calls. A kiosk issues its tickets
into the shared queue (mirrored into its own database). When the store cannot be reached,
the screen keeps showing this machine's own view (`online` is False: the screen says so) and
tries the store again at the next poll. A kiosk given a number with its token (`central
add-display --kiosk N`) then issues in its own offline number space ("AK2-001") and sends
those tickets to the store at its first poll that reaches it again, with the rest of its outbox
(its slips, ratings and events), through the push (app.queue.kiosk_offline.push_kiosk)."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.errors import UserError
from app.queue.backend import LocalQueue
from app.queue.tickets import to_view
from app.queue.views import (
    AnnouncedCall,
    LineWaiting,
    TicketView,
    WaitingCounts,
    WindowState,
)
from app.services.changes import DeskContext, device_id
from app.sync.client import CentralClient, CentralRefused, CentralUnreachable
from app.sync.engine import SyncReport
from db.base import utcnow
from db.engine import Database
from db.ids import new_id
from db.models.queue import Ticket
from db.models.sync import Outbox

#: A display waits this long for the store before showing its own view (it polls again soon).
BOARD_TIMEOUT_S = 2.0
#: A kiosk's push (up to 1,000 operations a request) waits longer: a timeout after the store
#: committed costs a resend answered "duplicate".
PUSH_TIMEOUT_S = 30.0

BoardReading = tuple[str, tuple[AnnouncedCall, ...], WaitingCounts]


def parse_board(reply: dict[str, Any]) -> tuple[BoardReading, tuple[WindowState, ...]]:
    calls = tuple(
        AnnouncedCall(
            ticket_id=c["ticket_id"],
            number=c["number"],
            window_number=int(c["window_number"]),
            called_at=datetime.fromisoformat(c["called_at"]),
            call_count=int(c["call_count"]),
            offline=bool(c["offline"]),
        )
        for c in reply["calls"]
    )
    counts = WaitingCounts(
        at=datetime.fromisoformat(reply["server_time"]),
        lines=tuple(
            LineWaiting(
                line_code=ln["line_code"],
                line_name=ln["line_name"],
                prefix=ln["prefix"],
                waiting=int(ln["waiting"]),
                priority_waiting=int(ln["priority_waiting"]),
                longest_wait_minutes=int(ln["longest_wait_minutes"]),
            )
            for ln in reply["lines"]
        ),
    )
    windows = tuple(
        WindowState(
            number=int(w["number"]),
            name=str(w["name"]),
            paused=bool(w["paused"]),
            line_codes=tuple(w["line_codes"]),
        )
        for w in reply["windows"]
    )
    return (str(reply["hall_name"]), calls, counts), windows


class FollowingQueue(LocalQueue):
    """The local queue, with the hall's view and the kiosk's issuing taken from the store."""

    def __init__(self, database: Database, client: CentralClient, kiosk: int | None = None) -> None:
        super().__init__(database)
        self._database_ = database
        self._client = client
        self.online = True
        #: The kiosk's offline number space (its token's number), or None: no offline issuing.
        self.kiosk = kiosk
        with database.session.begin() as s:
            self._device = device_id(s)
        # One push at a time (the board's worker, the kiosk's, its sync round's).
        self._pushing = threading.Lock()

    def push(self) -> SyncReport | None:
        """A kiosk's outbox to the store (its offline tickets, slips, ratings, events:
        app.queue.kiosk_offline.push_kiosk), on the caller's worker, never the UI thread.
        None when there was nothing to send, this is no kiosk (a display's token pushes
        nothing), another push is on its way, or the store could not be reached or refused
        (the operations stay for the next round)."""
        if self.kiosk is None or not self._pushing.acquire(blocking=False):
            return None
        try:
            with self._database_.read() as s:
                if s.scalars(select(Outbox.op_id).limit(1)).first() is None:
                    return None
            from app.queue.kiosk_offline import push_kiosk

            try:
                return push_kiosk(self._database_, self._client)
            except (CentralUnreachable, CentralRefused):
                return None
        finally:
            self._pushing.release()

    def _send_offline(self) -> None:
        """Once the store answers again: what waits in the kiosk's outbox."""
        self.push()

    def close(self) -> None:
        self._client.close()

    def board(self, history: int = 8) -> BoardReading:
        """The hall's name, latest calls and waiting counts: from the store, or (unreachable,
        or refusing this token) this machine's own view."""
        try:
            reading, _windows = parse_board(self._client.board(history))
        except (CentralUnreachable, CentralRefused):
            self.online = False
            return super().hall_name(), super().latest_calls(history), super().waiting_counts()
        self.online = True
        self._send_offline()  # the kiosk's offline tickets, on the board from the next poll
        return reading

    # hall_name() stays this machine's (the hall file it imported): a kiosk reads it while
    # building its page, where the network has no place.

    def latest_calls(self, limit: int = 8) -> tuple[AnnouncedCall, ...]:
        return self.board(limit)[1]

    def waiting_counts(self) -> WaitingCounts:
        return self.board(1)[2]

    def windows(self) -> tuple[WindowState, ...]:
        try:
            _reading, windows = parse_board(self._client.board(1))
        except (CentralUnreachable, CentralRefused):
            self.online = False
            return super().windows()
        self.online = True
        return windows

    def issue_ticket(
        self,
        ctx: DeskContext,
        line_code: str,
        kind: str = "normal",
        priority_group: str | None = None,
        id_number: str | None = None,
    ) -> TicketView:
        """Into the shared queue (the store numbers it), mirrored here; while the store
        cannot be reached, this kiosk's offline number space ("AK2-001"; a kiosk without a
        number has none: it says so), sent to the store when it answers again."""
        from app.queue import http_actions

        with self._database_.read() as s:
            held_by = http_actions.check_issue(
                s, line_code, kind, priority_group, id_number, utcnow()
            )
        ticket_id = new_id()
        try:
            state = self._client.issue(ticket_id, line_code, kind, self._device, priority_group)
        except CentralUnreachable:
            self.online = False
            if self.kiosk is None and ctx.window_number is None:
                raise UserError("queue.kiosk_no_offline") from None
            ticket = LocalQueue(self._database_, offline=True, kiosk=self.kiosk).issue_ticket(
                ctx, line_code, kind, priority_group, id_number
            )
            return ticket
        self.online = True
        # What waits in the outbox goes with the kiosk's next sync round, not in front of
        # this applicant's ticket.
        return self._database_.run_write(
            lambda s: to_view(http_actions.mirror_issued(s, state, held_by))
        )

    def waiting_ahead(self, ticket_id: str) -> int:
        """A ticket just issued into the shared queue (the newest of its line): the others
        waiting in its line on the board, or for a priority or appointment ticket the other
        such tickets; one of this machine's own: its own view."""
        with self._database_.read() as s:
            row = s.get(Ticket, ticket_id)
            own = row is None or row.offline
            line, urgent = (None, False) if row is None else (row.line_code, row.kind != "normal")
        if own:
            return super().waiting_ahead(ticket_id)
        for waiting in self.waiting_counts().lines:
            if waiting.line_code == line:
                return max(0, (waiting.priority_waiting if urgent else waiting.waiting) - 1)
        return 0


def following_queue_for(database: Database) -> FollowingQueue | None:
    """The hall's queue on the central store when this machine was given an address and a
    token (`--central URL --token T`, kept in its data directory), else None."""
    from app.sync.settings import load_token, tls_verify
    from app.sync.status import central_url

    with database.read() as s:
        url = central_url(s)
    if database.path is None or not url:
        return None
    token = load_token(database.path.parent)
    if not token:
        return None
    from app.queue.kiosk_offline import kiosk_of_token

    verify = tls_verify(database.path.parent)
    client = CentralClient(
        url,
        token,
        attempts=1,
        timeout_s=BOARD_TIMEOUT_S,
        verify=verify,
        push_timeout_s=PUSH_TIMEOUT_S,
    )
    return FollowingQueue(database, client, kiosk_of_token(token))
