"""Call next on PostgreSQL in one round trip, with little Python around it.

The statement is app.central.calling's data-modifying CTE (`pick … FOR UPDATE SKIP LOCKED`,
`req` records the request id with the ticket picked, `claimed`, `rec`): one statement in
autocommit, so the claim and the request id commit together or not at all. It is compiled
once per (policy, lines, due lines) into driver SQL and sent on the pooled psycopg connection
as it is (psycopg prepares it on the server after a few uses): no SQLAlchemy compilation,
cache-key walk or expanding-IN rendering per call."""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime
from typing import Any

from psycopg import sql
from sqlalchemy.dialects.postgresql import psycopg as pg_psycopg

from app.central.calling import _pg_call_statement

_DIALECT = pg_psycopg.dialect()

#: The request id recorded before, and the ticket it called (a replay).
REPLAY_SQL = "SELECT ticket_id FROM shared_call WHERE hall_id = %(h)s AND request_id = %(rid)s"
#: A window that serves no line: the request is recorded, nobody is called.
NO_LINE_SQL = (
    "INSERT INTO shared_call (hall_id, request_id, window_number, at, ticket_id) "
    "VALUES (%(h)s, %(rid)s, 0, %(now)s, NULL) "
    "ON CONFLICT (hall_id, request_id) DO NOTHING RETURNING request_id, ticket_id, NULL"
)
STATE_SQL = (
    "SELECT state FROM record WHERE hall_id = %(h)s AND entity = 'ticket' AND entity_id = %(tid)s"
)


@functools.lru_cache(maxsize=256)
def call_sql(policy: str, lines: tuple[str, ...], due: frozenset[str]) -> str:
    """The driver's SQL of the call statement, its fixed values (the lines' codes, the kinds,
    the ORDER BY's constants) written into it as literals, so that a call sends and adapts
    only its own six parameters (h, w, rid, now, now_s, qday): the statement has about 65
    constants, and adapting each of them per call cost more than the rest of the call's
    Python."""
    per_call = {"h": "", "w": 0, "rid": "", "now": datetime.now(UTC), "now_s": "", "qday": ""}
    compiled = _pg_call_statement(policy, lines, due).compile(dialect=_DIALECT)
    expanded = compiled.construct_expanded_state(per_call)
    fixed = {k: v for k, v in expanded.parameters.items() if k not in per_call}

    def inline(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fixed:
            return match.group(0)
        return sql.Literal(fixed[name]).as_string(None)

    return re.sub(r"%\((\w+)\)s", inline, expanded.statement)


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def _params(hall_id: str, window: int, request_id: str, now: datetime, day: str) -> dict[str, Any]:
    return {
        "h": hall_id,
        "w": window,
        "rid": request_id,
        "now": _naive_utc(now),
        "now_s": now.isoformat(),
        "qday": day,
    }


def _called(row: tuple[Any, ...]) -> tuple[dict[str, Any] | None, bool] | None:
    if row[1] is None:
        return None, False
    if row[2] is None:
        return None
    return dict(row[2]), False


def run_call(
    dbapi: Any,
    hall_id: str,
    window: int,
    request_id: str,
    now: datetime,
    day: str,
    statement: str | None,
) -> tuple[dict[str, Any] | None, bool] | None:
    """(the ticket called, replayed) on an autocommit psycopg connection; None when the
    ticket's feed record is missing (the caller's general path then writes it).
    `statement` is call_sql(...) for the window's lines, None when it serves none."""
    params = _params(hall_id, window, request_id, now, day)
    with dbapi.cursor() as cur:
        cur.execute(statement or NO_LINE_SQL, params)
        row = cur.fetchone()
        if row is None:  # the request id was answered before
            cur.execute(REPLAY_SQL, params)
            before = cur.fetchone()
            if before is None or before[0] is None:
                return None, True
            cur.execute(STATE_SQL, {"h": hall_id, "tid": before[0]})
            state = cur.fetchone()
            return (dict(state[0]) if state and state[0] else None), True
    return _called(row)


async def run_call_async(
    conn: Any,
    hall_id: str,
    window: int,
    request_id: str,
    now: datetime,
    day: str,
    statement: str | None,
) -> tuple[dict[str, Any] | None, bool] | None:
    """run_call on an autocommit psycopg AsyncConnection (app.central.fast_call)."""
    params = _params(hall_id, window, request_id, now, day)
    async with conn.cursor() as cur:
        await cur.execute(statement or NO_LINE_SQL, params)
        row = await cur.fetchone()
        if row is None:  # the request id was answered before
            await cur.execute(REPLAY_SQL, params)
            before = await cur.fetchone()
            if before is None or before[0] is None:
                return None, True
            await cur.execute(STATE_SQL, {"h": hall_id, "tid": before[0]})
            state = await cur.fetchone()
            return (dict(state[0]) if state and state[0] else None), True
    return _called(row)


async def due_lines_async(
    conn: Any, hall_id: str, day: str, lines: tuple[str, ...], n: int
) -> frozenset[str]:
    """app.central.calling.normal_streaks on an AsyncConnection (an every_n hall's call)."""
    from app.central.calling import due_lines, streaks_query

    if n <= 0:
        return frozenset(lines)
    compiled = streaks_query(hall_id, day, lines, n).compile(
        dialect=_DIALECT, compile_kwargs={"render_postcompile": True}
    )
    async with conn.cursor() as cur:
        await cur.execute(compiled.string, compiled.params)
        return frozenset(due_lines(await cur.fetchall(), n))
