"""The central store's HTTP API (FastAPI). Every /v1 route needs a bearer token: none or an
unknown one is 401; a token of another hall (or a manager's where a desk's is needed) is 403.
The protocol is described in docs/sync-protocol.md; the OpenAPI description is served at
/openapi.json."""

# No `from __future__ import annotations`: FastAPI reads the routes' annotations, which name
# the local `Cred` dependency.
import contextlib
import re
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.central import admin, feed, kiosk_merge, mirror, push, queue_actions, shared_queue
from app.central.call_route import call_next_on, called_reply
from app.central.errors import CentralError
from db.base import utcnow
from db.central.models import Catalogue, Credential
from db.central.store import CentralStore

#: What a desk pulls from its hall's feed.
DESK_ENTITIES = ("hall_config", "ticket", "account")
#: A manager's token reads the feed without the staff accounts' hashes.
MANAGER_ENTITIES = ("hall_config", "ticket")
MAX_PUSH = 1000
MAX_PAGE = 5000
#: The largest request body the store reads (a push of MAX_PUSH operations is well below it).
MAX_BODY = 16 * 1024 * 1024
#: The longest period of a KPI request.
MAX_KPI_DAYS = 366


class PushRequest(BaseModel):
    device_id: str | None = None
    desk_time: str | None = None
    ops: list[Any] = Field(max_length=MAX_PUSH)


class OpResult(BaseModel):
    op_id: str | None
    result: str
    reason: str | None = None


class PushReply(BaseModel):
    results: list[OpResult]
    server_time: str


class Change(BaseModel):
    entity: str
    entity_id: str
    state: Any
    device_id: str | None


class PullReply(BaseModel):
    changes: list[Change]
    cursor: str | None
    more: bool
    catalogue_version: str | None
    server_time: str


class Health(BaseModel):
    ok: bool
    server_time: str


def _now() -> str:
    return utcnow().isoformat()


def create_app_from_env() -> FastAPI:
    """A server worker's app (`central serve --workers N`): the store named by
    $ONEWINDOW_CENTRAL_DB."""
    import os

    from app.central.cli import CENTRAL_DB_ENV
    from db.central.store import open_central

    return create_app(open_central(os.environ[CENTRAL_DB_ENV]), follow_mirror=True, serving=True)


class BodyLimit:
    """Refuses a request body before reading it: over MAX_BODY (413), or of unknown length
    (411: a chunked body could be endless). Pure ASGI, outside the routes."""

    def __init__(self, app: Any, limit: int = MAX_BODY) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH"):
            length = dict(scope["headers"]).get(b"content-length")
            refusal = None
            if length is None:
                refusal = (411, "a request body needs its Content-Length")
            elif not length.isdigit() or int(length) > self.limit:
                refusal = (413, f"request body over {self.limit} bytes")
            if refusal is not None:
                status, detail = refusal
                await JSONResponse({"detail": detail}, status)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(store: CentralStore, follow_mirror: bool = False, serving: bool = False) -> FastAPI:
    """The store's API. `follow_mirror` (as `central serve` runs it): the halls' mirrors are
    kept up to date in the background while it serves (app.central.mirror_follow).
    `serving` (also `central serve`'s): on PostgreSQL a desk's call-next is answered in front
    of the framework (app.central.fast_call), on connections of the server's event loop."""
    from app.central.fast_call import ConnectionPool, FastCallNext

    pool = ConnectionPool.of(store) if serving else None

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        follower = None
        if follow_mirror:
            from app.central.mirror_follow import Follower

            follower = app.state.follower = Follower(store)
            follower.start()
        try:
            yield
        finally:
            if follower is not None:
                await run_in_threadpool(follower.stop)
            if pool is not None:
                await pool.close()

    app = FastAPI(title="OneWindow central store", version="1", lifespan=lifespan)
    app.state.store = store
    if pool is not None:
        app.add_middleware(FastCallNext, store=store, pool=pool)
    app.add_middleware(BodyLimit)  # added last, so outermost: it sees every request first

    def lookup(token: str) -> Credential | None:
        with store.session() as s:
            return admin.authenticate(s, token)

    async def credential(authorization: Annotated[str | None, Header()] = None) -> Credential:
        # On the event loop: a token seen in the last seconds costs no thread hop (cache).
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(401, "a bearer token is needed", {"WWW-Authenticate": "Bearer"})
        cred = admin.cached_credential(token.strip())
        if cred is None:
            cred = await run_in_threadpool(lookup, token.strip())
        if cred is None:
            raise HTTPException(401, "unknown or revoked token", {"WWW-Authenticate": "Bearer"})
        return cred

    Cred = Annotated[Credential, Depends(credential)]

    def hall_of(cred: Credential, hall: str, desk: bool = False) -> None:
        if cred.hall_id != hall or (desk and cred.role != "desk"):
            raise HTTPException(403, "not this hall's desk" if desk else "not this hall")

    @app.get("/health")
    def health() -> Health:
        return Health(ok=True, server_time=_now())

    @app.post("/v1/halls/{hall}/push")
    def push_ops(hall: str, body: PushRequest, cred: Cred) -> PushReply:
        hall_of(cred, hall, desk=cred.role != "display" or cred.window_number is None)
        # A kiosk's token (a display's with a number) pushes what a kiosk writes, nothing
        # else (app.central.kiosk_push); it is no window, so it marks none as seen.
        results = push.apply_batch(store, cred, body.ops)
        if cred.role == "desk":
            mirror.seen(store, hall, cred.window_number)
        return PushReply(results=[OpResult(**r) for r in results], server_time=_now())

    @app.get("/v1/halls/{hall}/pull")
    def pull(
        hall: str,
        cred: Cred,
        cursor: str | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000,
        device_id: str | None = None,
    ) -> PullReply:
        hall_of(cred, hall)
        if cred.role == "desk":
            mirror.seen(store, hall, cred.window_number)
        with store.session() as s, s.begin():
            entities = DESK_ENTITIES if cred.role == "desk" else MANAGER_ENTITIES
            page = feed.pull(s, store, hall, cursor, limit, device_id, entities)
            current = admin.current_catalogue(s)
        return PullReply(
            changes=[Change(**c) for c in page.changes],
            cursor=page.cursor,
            more=page.more,
            catalogue_version=current.version if current else None,
            server_time=_now(),
        )

    class IssueRequest(BaseModel):
        ticket_id: str = Field(pattern=r"^[0-9A-Z]{26}$")
        line_code: str = Field(pattern=r"^[A-Za-z0-9_]{1,20}$")
        kind: Literal["normal", "priority", "appointment"] = "normal"
        device_id: str | None = Field(default=None, pattern=r"^[0-9A-Z]{26}$")
        priority_group: Literal["elderly", "pregnant", "disability", "service_member"] | None = None

    class CallRequest(BaseModel):
        request_id: str = Field(pattern=r"^[\x21-\x7e]{1,64}$")

    class Called(BaseModel):
        ticket: dict[str, Any] | None
        replayed: bool

    def desk_only(cred: Credential, hall: str) -> None:
        hall_of(cred, hall, desk=True)

    @app.post("/v1/halls/{hall}/queue/tickets")
    def issue_ticket(hall: str, body: IssueRequest, cred: Cred) -> dict[str, Any]:
        hall_of(cred, hall)
        if cred.role not in ("desk", "display"):  # a desk or a kiosk (a display's token)
            raise HTTPException(403, "a desk's or a display's token is needed")
        return shared_queue.issue(
            store,
            cred,
            body.ticket_id,
            body.line_code,
            body.kind,
            body.device_id,
            body.priority_group,
        )

    @app.post("/v1/halls/{hall}/queue/call-next", response_model=Called)
    async def call_next(hall: str, body: CallRequest, cred: Cred) -> Response:
        desk_only(cred, hall)
        ticket, replayed = await call_next_on(store, cred, body.request_id)
        return called_reply(ticket, replayed)

    @app.post("/v1/halls/{hall}/queue/tickets/{ticket_id}/{action}")
    def ticket_action(hall: str, ticket_id: str, action: str, cred: Cred) -> dict[str, Any]:
        desk_only(cred, hall)
        if action not in shared_queue.ACTIONS or not re.match(r"^[0-9A-Z]{26}$", ticket_id):
            raise HTTPException(404, "no such ticket or action")
        return shared_queue.act(store, cred, ticket_id, action)

    class OfflineTickets(BaseModel):
        device_id: str | None = Field(default=None, pattern=r"^[0-9A-Z]{26}$")
        tickets: list[Any] = Field(max_length=kiosk_merge.MAX_TICKETS)

    @app.post("/v1/halls/{hall}/queue/offline-tickets")
    def offline_tickets(hall: str, body: OfflineTickets, cred: Cred) -> dict[str, Any]:
        """A kiosk's offline tickets join the shared queue (app.central.kiosk_merge)."""
        hall_of(cred, hall)
        if cred.role != "display" or cred.window_number is None:
            raise HTTPException(403, "a kiosk's token is needed")
        results = kiosk_merge.merge(store, cred, body.tickets, body.device_id)
        return {"results": results, "server_time": _now()}

    @app.get("/v1/halls/{hall}/queue/day-end")
    def day_end_preview(hall: str, cred: Cred) -> dict[str, Any]:
        """What the hall's day's end would close, every window's (app.central.day_end_view)."""
        from app.central.day_end_view import preview

        hall_of(cred, hall)
        return preview(store, hall)

    queue_actions.register(app, store, credential, hall_of)

    @app.get("/v1/halls/{hall}/queue")
    def queue_board(hall: str, cred: Cred) -> list[dict[str, Any]]:
        hall_of(cred, hall)
        return shared_queue.waiting(store, hall)

    @app.exception_handler(CentralError)
    def refused(_request: Request, exc: CentralError) -> JSONResponse:
        return JSONResponse({"detail": str(exc), "code": exc.code}, status_code=409)

    @app.get("/v1/catalogue/{version}")
    def catalogue(version: str, cred: Cred) -> Response:
        with store.session() as s:
            row = s.get(Catalogue, version)
            if row is None:
                raise HTTPException(404, "no such catalogue version")
            return Response(row.content, media_type="application/json")

    @app.get("/v1/halls/{hall}/kpi")
    def hall_kpi(
        hall: str,
        cred: Cred,
        start: Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")],
        end: Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")],
    ) -> dict[str, Any]:
        """The hall's KPI parts for the days start..end (app.central.kpi), for a manager."""
        from datetime import date

        from app.central.kpi import hall_kpi_parts
        from app.manager.period import Period

        hall_of(cred, hall)
        if cred.role != "manager":
            raise HTTPException(403, "a manager's token is needed")
        try:
            first, last = date.fromisoformat(start), date.fromisoformat(end)
        except ValueError:
            raise HTTPException(422, "not a date") from None
        if not first <= last or (last - first).days >= MAX_KPI_DAYS:
            raise HTTPException(422, f"start..end must be 1 to {MAX_KPI_DAYS} days")
        return hall_kpi_parts(store, hall, Period.custom(first, last))

    @app.get("/v1/halls/{hall}/live")
    def hall_live(hall: str, cred: Cred) -> dict[str, Any]:
        """The whole hall now (app.central.live), for any token of the hall: a desk's shows
        what its manager's tab needs, and nothing a desk does not already pull (the queue)."""
        from app.central.live import hall_live
        from app.manager.live import to_json

        hall_of(cred, hall)
        return to_json(hall_live(store, hall))

    @app.get("/v1/halls/{hall}/status")
    def status(hall: str, cred: Cred) -> dict[str, Any]:
        hall_of(cred, hall)
        st = admin.hall_status(store, hall)
        return {
            "hall": st.code,
            "name": st.name,
            "counts": {k: {str(w): n for w, n in v.items()} for k, v in st.counts.items()},
        }

    return app
