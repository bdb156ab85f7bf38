"""The hall's shared queue over HTTP: a QueueBackend whose issuing, calling and window
actions go to the central store (one numbering, one claim per ticket for the whole hall).

Each ticket the store returns is mirrored into the desk's own ticket table (no outbox row:
the store already has it), so the desk's views (its current ticket, the board) read locally
and never wait on the network. When the store cannot be reached the desk carries on with its
local queue in its offline number space ("A3-007"); those tickets are pushed by the sync and
join the shared queue without colliding. Every window action goes to the store (transfer,
pause, ratings and the day's end too: app.queue.http_actions), each with a request id so a
retry after a lost reply acts once; on an offline ticket, or while the store cannot be
reached, the local queue acts and the outbox carries the change to the store later."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, Literal, TypeVar

from app.errors import UserError
from app.queue import http_actions, visits
from app.queue.announce import announcement_text
from app.queue.backend import LocalQueue
from app.queue.day_end import DayEndPreview
from app.queue.tickets import to_view
from app.queue.views import (
    AnnouncedCall,
    CallResult,
    LineInfo,
    TicketView,
    WaitingCounts,
    WindowState,
)
from app.services.changes import DeskContext, device_id
from app.sync.client import CentralClient, CentralRefused, CentralUnreachable
from db.base import utcnow
from db.engine import Database
from db.ids import new_id
from db.models.queue import Ticket

T = TypeVar("T")


class HttpQueueBackend:
    def __init__(self, database: Database, client: CentralClient) -> None:
        self._database = database
        self._client = client
        self._local = LocalQueue(database)
        self._offline = LocalQueue(database, offline=True)
        self.online = True
        with database.session.begin() as s:
            self._device = device_id(s)

    def close(self) -> None:
        self._client.close()

    # --- mirroring ----------------------------------------------------------------------

    def _mirror(self, state: dict[str, Any]) -> TicketView:
        from app.sync.engine import apply_ticket_state

        def write(s: Any) -> TicketView:
            apply_ticket_state(s, state)
            row = s.get(Ticket, state["id"])
            assert row is not None
            return to_view(row)

        return self._database.run_write(write)

    def _shared(self, call: Callable[[], T], fallback: Callable[[], T]) -> T:
        """`call` on the store; its refusal of the action (409) is the clerk's one line, and
        while the store cannot be reached the local queue acts (`fallback`)."""
        try:
            result = call()
        except CentralUnreachable:
            self.online = False
            return fallback()
        except CentralRefused as exc:
            if exc.status != 409:
                raise
            raise UserError("queue.central_refused", detail=exc.detail) from exc
        self.online = True
        return result

    def _is_offline_ticket(self, ticket_id: str) -> bool:
        """A ticket only this desk's queue knows: one it issued offline (the store has it only
        once pushed; the local queue acts and the push merges). Another machine's offline
        ticket (a window's or a kiosk's) came from the store: the store acts on it."""
        with self._database.read() as s:
            row = s.get(Ticket, ticket_id)
            return row is None or (row.offline and row.device_id in (None, self._device))

    # --- the shared actions -------------------------------------------------------------

    def issue_ticket(
        self,
        ctx: DeskContext,
        line_code: str,
        kind: str = "normal",
        priority_group: str | None = None,
        id_number: str | None = None,
    ) -> TicketView:
        # The kind and priority group go to the store; the ID number stays here (the check of
        # one place per line and day runs on this desk's tickets).
        with self._database.read() as s:
            held_by = http_actions.check_issue(
                s, line_code, kind, priority_group, id_number, utcnow()
            )
        ticket_id = new_id()

        def remote() -> TicketView:
            state = self._client.issue(ticket_id, line_code, kind, self._device, priority_group)
            return self._database.run_write(
                lambda s: to_view(http_actions.mirror_issued(s, state, held_by))
            )

        return self._shared(
            remote,
            lambda: self._offline.issue_ticket(ctx, line_code, kind, priority_group, id_number),
        )

    def call_next(self, ctx: DeskContext, request_id: str) -> CallResult:
        with self._database.read() as s:
            http_actions.check_not_paused(s, ctx)

        def remote() -> CallResult:
            reply = self._client.call_next(request_id)
            if reply["ticket"] is None:
                return CallResult(ticket=None, announcement=None, replayed=reply["replayed"])
            view = self._mirror(reply["ticket"])
            assert view.window_number is not None
            return CallResult(
                ticket=view,
                announcement=announcement_text(view.number, view.window_number),
                replayed=reply["replayed"],
            )

        return self._shared(remote, lambda: self._local.call_next(ctx, request_id))

    def _act(
        self,
        ticket_id: str,
        action: str,
        fallback: Callable[[], T],
        wrap: Callable[[TicketView], T],
    ) -> T:
        if self._is_offline_ticket(ticket_id):
            return fallback()
        return self._shared(
            lambda: wrap(self._mirror(self._client.act(ticket_id, action))), fallback
        )

    def recall(self, ctx: DeskContext, ticket_id: str) -> CallResult:
        def called(view: TicketView) -> CallResult:
            assert view.window_number is not None
            return CallResult(view, announcement_text(view.number, view.window_number))

        return self._act(ticket_id, "recall", lambda: self._local.recall(ctx, ticket_id), called)

    def start_service(self, ctx: DeskContext, ticket_id: str) -> TicketView:
        return self._act(
            ticket_id, "start", lambda: self._local.start_service(ctx, ticket_id), lambda v: v
        )

    def end_service(self, ctx: DeskContext, ticket_id: str) -> TicketView:
        return self._act(
            ticket_id, "end", lambda: self._local.end_service(ctx, ticket_id), lambda v: v
        )

    def mark_no_show(self, ctx: DeskContext, ticket_id: str, reason: str) -> TicketView:
        return self._act(
            ticket_id,
            "no-show",
            lambda: self._local.mark_no_show(ctx, ticket_id, reason),
            lambda v: v,
        )

    # --- the rest: the desk's own database ----------------------------------------------

    def hall_name(self) -> str:
        return self._local.hall_name()

    def lines(self) -> tuple[LineInfo, ...]:
        return self._local.lines()

    def window_state(self, window_number: int) -> WindowState:
        return self._local.window_state(window_number)

    def windows(self) -> tuple[WindowState, ...]:
        return self._local.windows()

    def call_ticket(self, ctx: DeskContext, ticket_id: str) -> CallResult:
        return self._local.call_ticket(ctx, ticket_id)

    def reactivate(self, ctx: DeskContext, ticket_id: str) -> TicketView:
        return self._local.reactivate(ctx, ticket_id)

    def transfer(
        self,
        ctx: DeskContext,
        ticket_id: str,
        to_line: str | None = None,
        to_window: int | None = None,
    ) -> TicketView:
        request_id = new_id()

        def local() -> TicketView:
            return self._local.transfer(ctx, ticket_id, to_line, to_window)

        if self._is_offline_ticket(ticket_id):
            return local()
        return self._shared(
            lambda: self._mirror(self._client.transfer(request_id, ticket_id, to_line, to_window)),
            local,
        )

    def _set_paused(self, ctx: DeskContext, paused: bool) -> WindowState:
        def local() -> WindowState:
            if paused:
                return self._local.pause_window(ctx)
            return self._local.resume_window(ctx)

        with self._database.read() as s:
            http_actions.check_pause(s, ctx, paused)
        request_id = new_id()

        def remote() -> WindowState:
            state = self._client.set_paused(request_id, paused)
            return self._database.run_write(lambda s: http_actions.mirror_window(s, state))

        return self._shared(remote, local)

    def pause_window(self, ctx: DeskContext) -> WindowState:
        return self._set_paused(ctx, True)

    def resume_window(self, ctx: DeskContext) -> WindowState:
        return self._set_paused(ctx, False)

    def current_ticket(self, window_number: int) -> TicketView | None:
        return self._local.current_ticket(window_number)

    def window_queue(self, window_number: int) -> tuple[TicketView, ...]:
        return self._local.window_queue(window_number)

    def passed_tickets(self) -> tuple[TicketView, ...]:
        return self._local.passed_tickets()

    def waiting_counts(self) -> WaitingCounts:
        return self._local.waiting_counts()

    def latest_calls(self, limit: int = 8) -> tuple[AnnouncedCall, ...]:
        return self._local.latest_calls(limit)

    def waiting_ahead(self, ticket_id: str) -> int:
        return self._local.waiting_ahead(ticket_id)

    def record_evaluation(
        self, ctx: DeskContext, ticket_id: str, rating: int, comment: str = ""
    ) -> None:
        if self._is_offline_ticket(ticket_id):
            return self._local.record_evaluation(ctx, ticket_id, rating, comment)
        with self._database.read() as s:
            body = http_actions.evaluation_request(s, ctx, ticket_id, rating, comment)
        # One id for the request and the rating: a store that committed it while every reply
        # was lost holds it under the id the desk then records locally, so the later push
        # updates that one record instead of adding a second rating of the ticket.
        request_id = body["evaluation_id"]

        def local() -> None:
            self._database.run_write(
                lambda s: visits.record_evaluation(
                    s,
                    ctx,
                    ticket_id=ticket_id,
                    rating=rating,
                    comment=comment,
                    case_id=body["case_id"],
                    evaluation_id=request_id,
                )
            )

        def remote() -> None:
            state = self._client.rate(request_id, body)
            self._database.run_write(lambda s: http_actions.mirror_evaluation(s, state))

        return self._shared(remote, local)

    def day_end_preview(self) -> DayEndPreview:
        """The store's view of every window (this desk's copy of the others' tickets may lag),
        with this desk's offline tickets the store does not hold yet; the desk's own view
        while the store cannot be reached."""

        def remote() -> DayEndPreview:
            try:
                reply = self._client.day_end_preview()
            except CentralRefused:  # a store without this view: the desk's own says enough
                return self._local.day_end_preview()
            with self._database.read() as s:
                return http_actions.day_end_preview(s, reply, utcnow())

        return self._shared(remote, self._local.day_end_preview)

    def close_day(
        self,
        ctx: DeskContext,
        reason: str,
        end_service_at: Collection[int] | Literal["all"] | None = None,
    ) -> int:
        """The hall's day's end on the store (every desk's tickets), then this desk's offline
        tickets the store does not hold yet."""
        if end_service_at is None:
            end_service_at = () if ctx.window_number is None else (ctx.window_number,)
        windows = end_service_at
        with self._database.read() as s:
            http_actions.check_close(s, ctx, reason)
        request_id = new_id()

        def remote() -> int:
            wanted = windows if windows == "all" else sorted(windows)
            reply = self._client.close_day(request_id, reason, wanted)

            def apply(s: Any) -> int:
                from app.sync.engine import apply_ticket_state

                for state in reply["tickets"]:
                    apply_ticket_state(s, state)
                s.flush()
                return int(reply["changed"]) + http_actions.close_offline(
                    s, ctx, reason, utcnow(), windows
                )

            return self._database.run_write(apply)

        return self._shared(remote, lambda: self._local.close_day(ctx, reason, windows))


#: The queue waits on the network in the desk's worker: short, so an unreachable store
#: falls back to the local queue within seconds.
QUEUE_TIMEOUT_S = 3.0
QUEUE_ATTEMPTS = 2


def shared_queue_for(database: Database) -> HttpQueueBackend | None:
    """The hall's shared queue when this desk has a central store and a token, else None
    (the desk keeps its own queue)."""
    from app.sync.settings import load_token, tls_verify
    from app.sync.status import central_url

    with database.read() as s:
        url = central_url(s)
    if database.path is None or not url:
        return None
    token = load_token(database.path.parent)
    if not token:
        return None
    client = CentralClient(
        url,
        token,
        attempts=QUEUE_ATTEMPTS,
        wait_max_s=0.5,
        timeout_s=QUEUE_TIMEOUT_S,
        verify=tls_verify(database.path.parent),
    )
    return HttpQueueBackend(database, client)
