"""Call next on PostgreSQL without the framework around it: the hall's busiest request.

When every window calls at once (after a break) twenty calls reach two cores together, and
what each costs in the server's Python decides how long the last one waits. Through FastAPI
a call crossed a dozen ASGI layers, a dependency, body validation and a hop to a worker
thread, and took about as much CPU in Python as PostgreSQL took to run it. Here a pure ASGI
layer in front of the app answers the common case itself: a desk's valid call, its token in
the short cache (app.central.cache), its hall's rules known. It sends the same one statement
(app.central.pg_call) on a small pool of asynchronous connections, so neither a thread nor
a wait on the database holds the event loop.

Everything else goes on to the app untouched, with the body it had read: a token to look up
or refused, another hall, a body to refuse with its reasons, a hall whose rules this process
has not read in the last seconds, a dropped connection. The app's answer to those is the one
clients already know; a call retried there after a dropped connection is a replay by its
request id, never a second ticket."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi.concurrency import run_in_threadpool

from app.central import admin, calling, pg_call
from app.central.call_route import called_body
from app.clock import hall_day
from db.base import utcnow
from db.central.store import CentralStore

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

log = logging.getLogger(__name__)

PATH = re.compile(r"^/v1/halls/([^/]{1,64})/queue/call-next$")
REQUEST_ID = re.compile(r"^[\x21-\x7e]{1,64}$")
#: A call's body is `{"request_id": "…"}`: anything longer is the app's to judge.
MAX_BODY = 1024
#: Statements in flight per server process (`central serve` runs a process per core): one
#: running while another waits on its round trip. More only adds calls contending for the
#: same head of the queue (locks skipped, rows re-checked): measured with 20 desks calling at
#: once on 2 processes, 8 a process cost PostgreSQL 0.59 ms of CPU a call against 0.36 at 2,
#: and the burst's p95 went from about 14 ms to 23-32.
POOL_SIZE = 2


class ConnectionPool:
    """A few autocommit psycopg AsyncConnections, opened on first need, one per call at a
    time. A connection that failed is dropped, not returned."""

    def __init__(self, conninfo: str, size: int = POOL_SIZE) -> None:
        self.conninfo, self.size = conninfo, size
        self._idle: list[Any] = []
        self._opened = 0
        self._freed: asyncio.Condition | None = None

    async def take(self) -> Any:
        import psycopg

        if self._freed is None:
            self._freed = asyncio.Condition()
        async with self._freed:
            while not self._idle and self._opened >= self.size:
                await self._freed.wait()
            if self._idle:
                return self._idle.pop()
            self._opened += 1
        try:
            # The call's statement is prepared once per connection and planned once: with
            # its fifteen small CTEs a fresh plan costs more than running it.
            return await psycopg.AsyncConnection.connect(
                self.conninfo, autocommit=True, options="-c plan_cache_mode=force_generic_plan"
            )
        except BaseException:
            await self._lost()
            raise

    async def give(self, conn: Any, broken: bool = False) -> None:
        if broken or conn.closed:
            await conn.close()
            await self._lost()
            return
        assert self._freed is not None
        async with self._freed:
            self._idle.append(conn)
            self._freed.notify()

    async def _lost(self) -> None:
        assert self._freed is not None
        async with self._freed:
            self._opened -= 1
            self._freed.notify()

    async def close(self) -> None:
        while self._idle:
            await self._idle.pop().close()

    @classmethod
    def of(cls, store: CentralStore) -> ConnectionPool | None:
        """The pool of the store's database; None for the embedded SQLite store."""
        if not store.is_postgres:
            return None
        url = store.engine.url.set(drivername="postgresql")
        return cls(url.render_as_string(hide_password=False))


async def _body(receive: Receive) -> tuple[bytes, bool]:
    """The request's body, and whether it all fitted in MAX_BODY."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BODY:
            return b"".join(chunks), False
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replaying(body: bytes, receive: Receive, complete: bool) -> Receive:
    """`receive` for the app, starting with the body already read."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": not complete}
        return await receive()

    return replay


def _request_id(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    value = data.get("request_id") if isinstance(data, dict) else None
    return value if isinstance(value, str) and REQUEST_ID.match(value) else None


class FastCallNext:
    """ASGI: answers a desk's call-next on PostgreSQL itself when it can (see the module's
    docstring); passes every other request on to `app`."""

    def __init__(self, app: Any, store: CentralStore, pool: ConnectionPool) -> None:
        self.app, self.store, self.pool = app, store, pool

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or (match := PATH.match(scope["path"])) is None
        ):
            await self.app(scope, receive, send)
            return
        body, complete = await _body(receive)
        reply = await self._answer(scope, match.group(1), body) if complete else None
        if reply is None:
            await self.app(scope, _replaying(body, receive, complete), send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(reply)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": reply})

    async def _answer(self, scope: Scope, hall: str, body: bytes) -> bytes | None:
        """The reply's body, or None when the app is to answer."""
        request_id = _request_id(body)
        if request_id is None:
            return None
        authorization = b""
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value
        scheme, _, token = authorization.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer":
            return None
        cred = admin.cached_credential(token.strip())
        if cred is None or cred.hall_id != hall or cred.role != "desk":
            return None
        rules = calling.hall_rules_cached(self.store, hall)
        if rules is None:
            return None
        lines = rules.windows.get(cred.window_number or 0, ())
        now = utcnow()
        day = hall_day(now).isoformat()
        conn = await self.pool.take()
        broken = True
        try:
            due: frozenset[str] = frozenset()
            if rules.policy == "every_n" and lines:
                due = await pg_call.due_lines_async(conn, hall, day, lines, rules.every_n)
            statement = pg_call.call_sql(rules.policy, lines, due) if lines else None
            done = await pg_call.run_call_async(
                conn,
                hall,
                cred.window_number or 0,
                request_id,
                now,
                day,
                statement,
            )
            broken = False
        except Exception:
            # A dropped connection may have committed the call: the app's path retries it
            # by its request id, a replay that claims nothing new.
            log.warning("call-next in front of the app failed; the app answers it", exc_info=True)
            return None
        finally:
            await self.pool.give(conn, broken)
        if done is None:  # the ticket's feed record is missing: the general path writes it
            done = await run_in_threadpool(calling.state_written, self.store, cred, request_id)
        ticket, replayed = done
        return called_body(ticket, replayed)
