"""The window actions on the hall's shared queue that are not a call: transfer, pause and
resume, ratings (好差评) and the day's end (日终). Each goes through the store at once, so
every desk and display of the hall sees it without waiting for a sync.

Each takes the caller's request id, recorded (shared_action) in the same transaction as the
action's effect with the answer: a retry after a lost reply, even one racing the first, gets
that answer and changes nothing (a transfer retried would otherwise find the ticket gone from
the window; a rating, already rated; a day's end, nothing left to close). The same request id
for another action is refused.

Actions a desk did offline on the shared tickets reach the store by its push; `merge_pushed`
then brings the claim table in line (app.central.push)."""

# No `from __future__ import annotations`: FastAPI reads the routes' annotations.
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query
from pydantic import BaseModel, Field
from sqlalchemy import and_, case, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.central import feed
from app.central.errors import CentralError
from app.central.shared_queue import ticket_state
from app.clock import hall_day
from db.base import utcnow
from db.central.models import Credential, Hall, Record, SharedAction, SharedTicket
from db.central.store import CentralStore

FINAL = ("done", "closed")
STATUSES = ("waiting", "called", "serving", "passed", "done", "closed")
REQUEST_ID = r"^[\x21-\x7e]{1,64}$"
TICKET_ID = r"^[0-9A-Z]{26}$"


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _order_key(at: datetime) -> int:
    return int(at.timestamp() * 1_000_000)


def once(
    store: CentralStore,
    cred: Credential,
    request_id: str,
    action: str,
    act: Callable[[Session], dict[str, Any]],
) -> dict[str, Any]:
    """`act` once per request id: its answer is recorded with its effect, in one transaction;
    a request id seen before returns the recorded answer (a refusal records nothing)."""
    insert = postgresql.insert if store.is_postgres else sqlite.insert
    with store.write() as s:
        fresh = s.execute(
            insert(SharedAction)
            .values(
                hall_id=cred.hall_id,
                request_id=request_id,
                action=action,
                window_number=cred.window_number,
                at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["hall_id", "request_id"])
            .returning(SharedAction.request_id)
        ).first()
        if fresh is None:
            before = s.get(SharedAction, (cred.hall_id, request_id))
            assert before is not None
            if before.action != action or before.result is None:
                raise CentralError("queue.request_reused", request=request_id)
            return dict(before.result)
        result = act(s)
        row = s.get(SharedAction, (cred.hall_id, request_id))
        assert row is not None
        row.result = result
        return result


def _config(s: Session, hall_id: str) -> dict[str, Any]:
    return dict(s.scalar(select(Hall.config).where(Hall.id == hall_id)) or {})


def _at_window(s: Session, cred: Credential, ticket_id: str, statuses: tuple[str, ...]) -> Any:
    row = s.get(SharedTicket, (cred.hall_id, ticket_id), with_for_update=True)
    if row is None:
        raise CentralError("queue.no_ticket", ticket=ticket_id)
    if row.status not in statuses or row.window_number != cred.window_number:
        raise CentralError("queue.bad_action", ticket=row.number, status=row.status)
    return row


def _put(
    s: Session, store: CentralStore, cred: Credential, entity: str, key: str, state: Any
) -> None:
    feed.put_records(s, store, cred.hall_id, [(entity, key, state, None, cred.window_number)])


# --- the actions ------------------------------------------------------------------------


def transfer(
    store: CentralStore,
    cred: Credential,
    request_id: str,
    ticket_id: str,
    to_line: str | None = None,
    to_window: int | None = None,
) -> dict[str, Any]:
    """The window's ticket (called or in service) goes back to waiting on another line and/or
    for one window only; it keeps its place by its issue time, or goes to the back, as the
    hall's `transfer_keeps_place` says. Returns the ticket's state."""

    def act(s: Session) -> dict[str, Any]:
        if to_line is None and to_window is None:
            raise CentralError("queue.choose_transfer")
        row = _at_window(s, cred, ticket_id, ("called", "serving"))
        config = _config(s, cred.hall_id)
        lines = {ln.get("code") for ln in config.get("lines", [])}
        windows = {w.get("number") for w in config.get("windows", [])}
        if to_line is not None:
            if to_line not in lines:
                raise CentralError("queue.no_line", line=to_line)
            if to_line == row.line_code and to_window is None:
                raise CentralError("queue.same_line", ticket=row.number, line=to_line)
        if to_window is not None:
            if to_window not in windows:
                raise CentralError("desk.bad_window", window=to_window, code=cred.hall_id)
            if to_window == cred.window_number:
                raise CentralError("queue.same_window")
        now = utcnow()
        state = ticket_state(s, cred.hall_id, ticket_id) or {"id": ticket_id}
        if to_line is not None and to_line != row.line_code:
            state["transferred_from_line"] = row.line_code
            row.line_code = to_line
        keeps = (config.get("hall") or {}).get("transfer_keeps_place", True)
        if not keeps:
            row.issued_at = now  # the ticket's place in the shared queue: the back
            state["order_key"] = _order_key(now)
        row.status, row.window_number, row.target_window = "waiting", None, to_window
        state.update(
            line_code=row.line_code,
            target_window=to_window,
            status="waiting",
            window_number=None,
            service_started_at=None,
        )
        _put(s, store, cred, "ticket", ticket_id, state)
        return state

    return once(store, cred, request_id, "transfer", act)


def set_paused(
    store: CentralStore, cred: Credential, request_id: str, paused: bool
) -> dict[str, Any]:
    """Pause the desk's window (no more calls) or resume it; the window's state, as the desk's
    window row (number, name, paused)."""

    def act(s: Session) -> dict[str, Any]:
        number = cred.window_number
        key = str(number)
        state = s.scalar(
            select(Record.state).where(
                Record.hall_id == cred.hall_id, Record.entity == "window", Record.entity_id == key
            )
        )
        if not isinstance(state, dict):
            config = _config(s, cred.hall_id)
            named = [w for w in config.get("windows", []) if w.get("number") == number]
            state = {"number": number, "name": named[0].get("name", "") if named else ""}
            state["paused"] = False
        # A state, not a toggle: the desk refuses a pause of a paused window itself (its own
        # window's state is its own), so one it paused offline and pushes later agrees.
        state = dict(state)
        state["paused"] = paused
        _put(s, store, cred, "window", key, state)
        from app.central.mirror import note_push  # the manager's live view sees it at once

        note_push(s, store, cred.hall_id, number, "window", state)
        return state

    return once(store, cred, request_id, "pause" if paused else "resume", act)


def rate(
    store: CentralStore,
    cred: Credential,
    request_id: str,
    ticket_id: str,
    evaluation_id: str,
    rating: int,
    comment: str = "",
    case_id: str | None = None,
    clerk_id: str | None = None,
) -> dict[str, Any]:
    """好差评 of a finished service, one per ticket; 2 or less is flagged for follow-up. Returns
    the evaluation's state (the desk's evaluation row)."""

    def act(s: Session) -> dict[str, Any]:
        row = s.get(SharedTicket, (cred.hall_id, ticket_id), with_for_update=True)
        if row is None:
            raise CentralError("queue.no_ticket", ticket=ticket_id)
        if row.status != "done":
            raise CentralError("queue.rate_not_done", ticket=row.number)
        if row.rating is not None:
            raise CentralError("queue.already_rated", ticket=row.number)
        row.rating = rating
        state = {
            "id": evaluation_id,
            "created_at": _iso(utcnow()),
            "ticket_id": ticket_id,
            "case_id": case_id,
            "window_number": row.window_number,
            "clerk_id": clerk_id,
            "rating": rating,
            "comment": comment.strip()[:1000],
            "follow_up_needed": rating <= 2,
        }
        _put(s, store, cred, "evaluation", evaluation_id, state)
        return state

    return once(store, cred, request_id, "rate", act)


def close_day(
    store: CentralStore,
    cred: Credential,
    request_id: str,
    reason: str,
    end_service_at: list[int] | Literal["all"],
) -> dict[str, Any]:
    """The hall's day's end: every unfinished ticket of today or earlier not in service is
    closed with the reason; one in service is ended only at the windows in `end_service_at`.
    Returns {"changed": how many, "tickets": their states}."""
    reason = reason.strip()

    def act(s: Session) -> dict[str, Any]:
        if not reason:
            raise CentralError("queue.close_reason")
        now = utcnow()
        rows = s.scalars(
            select(SharedTicket)
            .where(
                SharedTicket.hall_id == cred.hall_id,
                SharedTicket.day <= hall_day(now).isoformat(),
                SharedTicket.status.not_in(FINAL),
            )
            .order_by(SharedTicket.issued_at, SharedTicket.id)
            .with_for_update()
        ).all()
        states: list[dict[str, Any]] = []
        for row in rows:
            state = ticket_state(s, cred.hall_id, row.id) or {"id": row.id, "number": row.number}
            if row.status == "serving":
                if end_service_at != "all" and row.window_number not in end_service_at:
                    continue
                row.status = "done"
            else:
                row.status = "closed"
                state["close_reason"] = reason[:200]
            row.ended_at = now
            state.update(status=row.status, ended_at=_iso(now))
            states.append(state)
        feed.put_records(
            s,
            store,
            cred.hall_id,
            [("ticket", st["id"], st, None, cred.window_number) for st in states],
        )
        return {"changed": len(states), "tickets": states}

    return once(store, cred, request_id, "close_day", act)


def _window(value: Any) -> int | None:
    """A window number as a pushed state carries it (anything else: none)."""
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 < value < 100_000
    return value if ok else None


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


MERGE_CHUNK = 500


def merge_pushed(s: Session, cred: Credential, items: list[tuple[str, dict[str, Any]]]) -> None:
    """A desk's push of the changes it made offline to shared tickets (or their ratings), in
    order, brings the claim table in line: a ticket's status, line, window, target and call
    time, when it is not final and not at another window; a rating, when the ticket has none.
    The tickets are read a chunk at a time (a push of thousands of the desk's own tickets costs
    a few queries); a state's odd values are left out, never an error."""
    keys: set[str] = set()
    for entity, state in items:
        key = state.get("ticket_id" if entity == "evaluation" else "id")
        if isinstance(key, str) and 0 < len(key) <= 26:
            keys.add(key)
    ordered = sorted(keys)
    rows: dict[str, SharedTicket] = {}
    for i in range(0, len(ordered), MERGE_CHUNK):
        chunk = ordered[i : i + MERGE_CHUNK]
        for row in s.scalars(
            select(SharedTicket).where(
                SharedTicket.hall_id == cred.hall_id, SharedTicket.id.in_(chunk)
            )
        ):
            rows[row.id] = row
    if not rows:
        return
    for entity, state in items:
        found = rows.get(str(state.get("ticket_id" if entity == "evaluation" else "id")))
        if found is None:
            continue
        row = found
        if entity == "evaluation":
            rating = state.get("rating")
            if row.rating is None and rating in (1, 2, 3, 4, 5):
                row.rating = int(rating)
            continue
        status = state.get("status")
        if row.status in FINAL or status not in STATUSES:
            continue
        if row.window_number not in (None, cred.window_number):
            continue
        row.status = str(status)
        row.window_number = _window(state.get("window_number"))
        row.target_window = _window(state.get("target_window"))
        line = state.get("line_code")
        if isinstance(line, str) and 0 < len(line) <= 20:
            row.line_code = line
        ended, called = _moment(state.get("ended_at")), _moment(state.get("called_at"))
        if ended is not None:
            row.ended_at = ended
        if row.called_at is None and called is not None:  # called offline: on the board
            row.called_at = called
        recalled = _moment(state.get("last_called_at"))
        first = None if row.called_at is None else _moment(row.called_at.isoformat())
        if recalled is not None and first is not None and recalled > first:
            row.recalled_at = recalled  # recalled offline: the board's latest call


def claimable(lines: Any, window: Any) -> Any:
    """Call next's filter on the shared queue (app.central.calling): a ticket of the window's
    lines not transferred to a window, or one transferred to this window (whatever its line)."""
    return or_(
        and_(SharedTicket.line_code.in_(lines), SharedTicket.target_window.is_(None)),
        SharedTicket.target_window == window,
    )


def targeted_first() -> Any:
    """Call next's first sort key: tickets transferred to the calling window come first."""
    return case((SharedTicket.target_window.is_(None), literal(1)), else_=literal(0))


# --- the routes ---------------------------------------------------------------------------


class TransferRequest(BaseModel):
    request_id: str = Field(pattern=REQUEST_ID)
    ticket_id: str = Field(pattern=TICKET_ID)
    to_line: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_]{1,20}$")
    to_window: int | None = Field(default=None, ge=1, le=9999)


class PauseRequest(BaseModel):
    request_id: str = Field(pattern=REQUEST_ID)
    paused: bool


class RateRequest(BaseModel):
    request_id: str = Field(pattern=REQUEST_ID)
    ticket_id: str = Field(pattern=TICKET_ID)
    evaluation_id: str = Field(pattern=TICKET_ID)
    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=1000)
    case_id: str | None = Field(default=None, pattern=TICKET_ID)
    clerk_id: str | None = Field(default=None, max_length=40)


class CloseDayRequest(BaseModel):
    request_id: str = Field(pattern=REQUEST_ID)
    reason: str = Field(max_length=200)
    end_service_at: list[int] | Literal["all"] = Field(default_factory=list, max_length=1000)


class ClosedDay(BaseModel):
    changed: int
    tickets: list[dict[str, Any]]


class BoardCall(BaseModel):
    ticket_id: str
    number: str
    window_number: int
    called_at: str
    call_count: int
    offline: bool


class BoardLine(BaseModel):
    line_code: str
    line_name: str
    prefix: str
    position: int
    waiting: int
    priority_waiting: int
    longest_wait_minutes: int


class BoardWindow(BaseModel):
    number: int
    name: str
    paused: bool
    line_codes: list[str]


class Board(BaseModel):
    hall_name: str
    calls: list[BoardCall]
    lines: list[BoardLine]
    windows: list[BoardWindow]
    server_time: str


def register(
    app: FastAPI,
    store: CentralStore,
    credential: Callable[..., Any],  # a FastAPI dependency (sync or async)
    hall_of: Callable[..., None],
) -> None:
    """The routes, on the API's app with its credential dependency and its hall check
    (`hall_of(cred, hall, desk=True)` for a desk's token)."""
    Cred = Annotated[Credential, Depends(credential)]

    def desk_only(cred: Credential, hall: str) -> None:
        hall_of(cred, hall, desk=True)

    @app.get("/v1/halls/{hall}/queue/board")
    def hall_board(hall: str, cred: Cred, history: Annotated[int, Query(ge=1, le=20)] = 8) -> Board:
        """The latest calls, waiting counts and windows: any token of the hall (a display's,
        a desk's or a manager's)."""
        from app.central.board import board

        hall_of(cred, hall)
        return Board(**board(store, hall, history))

    @app.post("/v1/halls/{hall}/queue/transfer")
    def transfer_ticket(hall: str, body: TransferRequest, cred: Cred) -> dict[str, Any]:
        desk_only(cred, hall)
        return transfer(store, cred, body.request_id, body.ticket_id, body.to_line, body.to_window)

    @app.post("/v1/halls/{hall}/queue/window")
    def pause_window(hall: str, body: PauseRequest, cred: Cred) -> dict[str, Any]:
        desk_only(cred, hall)
        return set_paused(store, cred, body.request_id, body.paused)

    @app.post("/v1/halls/{hall}/queue/ratings")
    def rate_service(hall: str, body: RateRequest, cred: Cred) -> dict[str, Any]:
        desk_only(cred, hall)
        return rate(
            store,
            cred,
            body.request_id,
            body.ticket_id,
            body.evaluation_id,
            body.rating,
            body.comment,
            body.case_id,
            body.clerk_id,
        )

    @app.post("/v1/halls/{hall}/queue/close-day")
    def end_day(hall: str, body: CloseDayRequest, cred: Cred) -> ClosedDay:
        desk_only(cred, hall)
        return ClosedDay(
            **close_day(store, cred, body.request_id, body.reason, body.end_service_at)
        )
