"""Call next on the hall's shared queue: the hall's priority policy, in a few round trips.

Whom a window calls follows the desk's own rules (app/queue/calling.py): the window's lines in
its order of preference; within a line, priority and appointment tickets first
("priority_first"), or, under "every_n", the oldest of them after N normal calls of the line
in a row. The choice and the claim are one statement, `UPDATE … WHERE id = (SELECT … ORDER BY
<the policy> LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING` (SQLite serialises writers), so
twenty desks calling at once never get the same ticket.

The path is Core statements on one transaction: record the request id (`INSERT … ON CONFLICT
DO NOTHING`: a retry, even one racing the first, finds the ticket already called), the claim,
the request's ticket, the ticket's state in the feed (read, then one upsert that takes its feed
position in the same statement on PostgreSQL). The hall's rules are cached (app.central.cache)."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from sqlalchemy import (
    JSON,
    Integer,
    Text,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
    text,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from app.central import cache, feed, queue_actions
from app.clock import hall_day
from db.base import UTCDateTime, utcnow
from db.central.models import Credential, Hall, Record, SharedCall, SharedTicket
from db.central.store import CentralStore

URGENT_KINDS = ("priority", "appointment")


@dataclasses.dataclass(frozen=True)
class HallRules:
    policy: str
    every_n: int
    #: window number -> its lines, in order of preference
    windows: dict[int, tuple[str, ...]]


def rules_of(config: dict[str, Any]) -> HallRules:
    hall = config.get("hall") or {}
    policy = hall.get("priority_policy") or "priority_first"
    every_n = hall.get("priority_every_n")
    return HallRules(
        policy=str(policy),
        every_n=3 if every_n is None else int(every_n),
        windows={
            int(w["number"]): tuple(str(code) for code in w.get("lines", []))
            for w in config.get("windows", [])
        },
    )


def _rules_key(store: CentralStore, hall_id: str) -> str:
    return f"{store.engine.url}|{hall_id}"


def hall_rules_cached(store: CentralStore, hall_id: str) -> HallRules | None:
    """The hall's rules if this process read them in the last seconds (no store)."""
    return cache.halls.get(_rules_key(store, hall_id))


def hall_rules(s: Session, store: CentralStore, hall_id: str) -> HallRules:
    key = _rules_key(store, hall_id)
    found = cache.halls.get(key)
    if found is None:
        config = s.scalar(select(Hall.config).where(Hall.id == hall_id)) or {}
        found = rules_of(config)
        cache.halls.put(key, found)
    return found


def streaks_query(hall_id: str, day: str, lines: tuple[str, ...], n: int) -> Any:
    """Per line of `lines`: how many of its last `n` calls today there were, and how many of
    them were normal tickets."""
    ranked = (
        select(
            SharedTicket.line_code,
            SharedTicket.kind,
            func.row_number()
            .over(partition_by=SharedTicket.line_code, order_by=SharedTicket.called_at.desc())
            .label("r"),
        )
        .where(
            SharedTicket.hall_id == hall_id,
            SharedTicket.day == day,
            SharedTicket.line_code.in_(lines),
            SharedTicket.called_at.is_not(None),
        )
        .subquery()
    )
    return (
        select(
            ranked.c.line_code,
            func.count(),
            func.sum(case((ranked.c.kind == "normal", 1), else_=0)),
        )
        .where(ranked.c.r <= n)
        .group_by(ranked.c.line_code)
    )


def due_lines(counts: Any, n: int) -> set[str]:
    return {line for line, total, normal in counts if total >= n and normal == total}


def normal_streaks(s: Session, hall_id: str, day: str, lines: tuple[str, ...], n: int) -> set[str]:
    """The lines whose last `n` calls today were all normal tickets (a priority one is due)."""
    if n <= 0:
        return set(lines)
    return due_lines(s.execute(streaks_query(hall_id, day, lines, n)).all(), n)


def _order(rules: HallRules, lines: tuple[str, ...], due: set[str]) -> list[Any]:
    """ORDER BY: the line's preference, then (per line) urgent or normal first."""
    by_line = case({code: i for i, code in enumerate(lines)}, value=SharedTicket.line_code)
    urgent_first = [code for code in lines if rules.policy != "every_n" or code in due]
    normal_rank = case((SharedTicket.kind.not_in(URGENT_KINDS), literal(0)), else_=literal(1))
    if urgent_first:
        normal_rank = case(
            (
                and_(SharedTicket.line_code.in_(urgent_first), SharedTicket.kind.in_(URGENT_KINDS)),
                literal(0),
            ),
            (SharedTicket.line_code.in_(urgent_first), literal(1)),
            else_=normal_rank,
        )
    first = queue_actions.targeted_first()
    return [first, by_line, normal_rank, SharedTicket.issued_at, SharedTicket.id]


def _put_ticket(s: Session, store: CentralStore, cred: Credential, state: dict[str, Any]) -> None:
    if not store.is_postgres:
        feed.put_records(
            s, store, cred.hall_id, [("ticket", state["id"], state, None, cred.window_number)]
        )
        return
    stmt = postgresql.insert(Record).values(
        hall_id=cred.hall_id,
        entity="ticket",
        entity_id=state["id"],
        state=state,
        device_id=None,
        window_number=cred.window_number,
        updated_at=utcnow(),
        txid=text("pg_current_xact_id()::text::bigint"),
        seq=func.nextval("record_seq"),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["hall_id", "entity", "entity_id"],
        set_={
            c: stmt.excluded[c]
            for c in ("state", "device_id", "window_number", "updated_at", "txid", "seq")
        },
    )
    s.execute(stmt)


def _ticket_state(s: Session, hall_id: str, ticket_id: str) -> dict[str, Any] | None:
    state = s.scalar(
        select(Record.state).where(
            Record.hall_id == hall_id, Record.entity == "ticket", Record.entity_id == ticket_id
        )
    )
    return dict(state) if state else None


@functools.lru_cache(maxsize=256)
def _pg_pick(policy: str, lines: tuple[str, ...], due: frozenset[str], h: Any, w: Any) -> Any:
    """The head of the window's queue, locked (SKIP LOCKED), without sorting the queue.

    _order's keys are lexicographic: the tickets transferred to this window, then each of the
    window's lines in its preference, within a line urgent or normal first. So the head is
    the first ticket of the first non-empty bucket in that sequence: each bucket is a CTE that
    reads its index in order and locks its first free row, and PostgreSQL runs a CTE only when
    its rows are fetched, so the buckets after the first non-empty one never run (nor lock).
    A call then costs the same with 5 or 5,000 tickets waiting; sorting the whole queue
    (about 0.5 ms of the store's CPU with 600 waiting) was most of a call."""
    rules = HallRules(policy, 0, {})
    base = (
        SharedTicket.hall_id == h,
        SharedTicket.status == "waiting",
        SharedTicket.day == bindparam("qday"),
    )

    def first(name: str, *where: Any, order: list[Any]) -> Any:
        return (
            select(SharedTicket.id)
            .where(*base, *where)
            .order_by(*order)
            .limit(1)
            .with_for_update(skip_locked=True)
            .cte(name)
        )

    by_time = [SharedTicket.issued_at, SharedTicket.id]
    buckets = [
        first("pick_t", SharedTicket.target_window == w, order=_order(rules, lines, set(due))[1:])
    ]
    urgent = SharedTicket.kind.in_(URGENT_KINDS)
    for i, code in enumerate(lines):
        line = (SharedTicket.line_code == code, SharedTicket.target_window.is_(None))
        classes = [urgent, ~urgent] if policy != "every_n" or code in due else [~urgent, urgent]
        for j, kind in enumerate(classes):
            buckets.append(first(f"pick_{i}_{j}", *line, kind, order=by_time))
    return (
        select(union_all(*(select(b.c.id) for b in buckets)).subquery().c.id).limit(1).cte("pick")
    )


def _pg_call_statement(policy: str, lines: tuple[str, ...], due: frozenset[str]) -> Any:
    """PostgreSQL: the whole call in one statement (data-modifying CTEs). `pick` locks the
    head of the queue (SKIP LOCKED); `req` records the request with the ticket picked, or
    nothing when the request id is known (a replay, or a twin that committed first); only
    then `claimed` marks the ticket called and `rec` moves its state to the end of the feed.
    Each step finds its row by key through a scalar subquery (a join with the CTE before let
    the planner scan the whole hall's tickets and records).
    A replay's pick claims nothing: its lock ends with the statement."""
    # Bind names must not be the updated tables' column names (SQLAlchemy reads those as SET).
    h = bindparam("h", type_=Text)
    w = bindparam("w", type_=Integer)
    now = bindparam("now", type_=UTCDateTime())
    pick = _pg_pick(policy, lines, due, h, w)
    req = (
        postgresql.insert(SharedCall)
        .from_select(
            ["hall_id", "request_id", "window_number", "at", "ticket_id"],
            select(h, bindparam("rid"), w, now, select(pick.c.id).scalar_subquery()),
        )
        .on_conflict_do_nothing(index_elements=["hall_id", "request_id"])
        .returning(SharedCall.request_id, SharedCall.ticket_id)
        .cte("req")
    )
    claimed = (
        update(SharedTicket)
        .where(
            SharedTicket.hall_id == h,
            SharedTicket.id == select(req.c.ticket_id).scalar_subquery(),
        )
        .values(status="called", window_number=w, called_at=now)
        .returning(SharedTicket.id)
        .cte("claimed")
    )
    now_s = cast(bindparam("now_s"), Text)
    patch = func.jsonb_build_object(
        literal_column("'status'"),
        literal_column("'called'"),
        literal_column("'window_number'"),
        w,
        literal_column("'called_at'"),
        now_s,
        literal_column("'last_called_at'"),
        now_s,
        literal_column("'call_count'"),
        func.coalesce(cast(Record.state.op("->>")("call_count"), Integer), 0) + 1,
    )
    rec = (
        update(Record)
        .where(
            Record.hall_id == h,
            Record.entity == "ticket",
            Record.entity_id == select(claimed.c.id).scalar_subquery(),
        )
        .values(
            state=cast(cast(Record.state, JSONB).op("||")(patch), JSON),
            # The store's change, as on SQLite: the issuing desk pulls it too (a record keeps
            # the issuing desk's device otherwise, and its own rows are left out of its pull).
            device_id=None,
            window_number=w,
            updated_at=now,
            txid=text("pg_current_xact_id()::text::bigint"),
            seq=func.nextval("record_seq"),
        )
        .returning(Record.entity_id, Record.state)
        .cte("rec")
    )
    return select(req.c.request_id, req.c.ticket_id, rec.c.state).select_from(
        req.outerjoin(rec, true())
    )


def _pg_call_next(
    store: CentralStore, cred: Credential, request_id: str
) -> tuple[dict[str, Any] | None, bool] | None:
    """One statement, one round trip (autocommit, app.central.pg_call); None when the
    ticket's feed record is missing (the general path then writes it)."""
    from app.central import pg_call

    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        s = Session(bind=conn)
        rules = hall_rules(s, store, cred.hall_id)
        lines = rules.windows.get(cred.window_number or 0, ())
        now = utcnow()
        day = hall_day(now).isoformat()
        due = (
            normal_streaks(s, cred.hall_id, day, lines, rules.every_n)
            if rules.policy == "every_n" and lines
            else set()
        )
        statement = pg_call.call_sql(rules.policy, lines, frozenset(due)) if lines else None
        return pg_call.run_call(
            conn.connection.dbapi_connection,
            cred.hall_id,
            cred.window_number or 0,
            request_id,
            now,
            day,
            statement,
        )


def call_next(
    store: CentralStore, cred: Credential, request_id: str
) -> tuple[dict[str, Any] | None, bool]:
    """(the ticket called, replayed)."""
    if store.is_postgres:
        done = _pg_call_next(store, cred, request_id)
        if done is not None:
            return done
        return state_written(store, cred, request_id)
    insert = postgresql.insert if store.is_postgres else sqlite.insert
    with store.write() as s:
        fresh = s.execute(
            insert(SharedCall)
            .values(
                hall_id=cred.hall_id,
                request_id=request_id,
                window_number=cred.window_number or 0,
                at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["hall_id", "request_id"])
            .returning(SharedCall.request_id)
        ).first()
        if fresh is None:
            before = s.scalar(
                select(SharedCall.ticket_id).where(
                    SharedCall.hall_id == cred.hall_id, SharedCall.request_id == request_id
                )
            )
            return (_ticket_state(s, cred.hall_id, before) if before else None), True
        rules = hall_rules(s, store, cred.hall_id)
        lines = rules.windows.get(cred.window_number or 0, ())
        if not lines:
            return None, False
        now = utcnow()
        day = hall_day(now).isoformat()
        due = (
            normal_streaks(s, cred.hall_id, day, lines, rules.every_n)
            if rules.policy == "every_n"
            else set()
        )
        head = (
            select(SharedTicket.id)
            .where(
                SharedTicket.hall_id == cred.hall_id,
                SharedTicket.status == "waiting",
                queue_actions.claimable(lines, cred.window_number),
                SharedTicket.day == day,
            )
            .order_by(*_order(rules, lines, due))
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        ticket_id = s.scalar(
            update(SharedTicket)
            .where(SharedTicket.hall_id == cred.hall_id, SharedTicket.id == head)
            .values(status="called", window_number=cred.window_number, called_at=now)
            .returning(SharedTicket.id),
            execution_options={"synchronize_session": False},
        )
        if ticket_id is None:
            return None, False
        s.execute(
            update(SharedCall)
            .where(SharedCall.hall_id == cred.hall_id, SharedCall.request_id == request_id)
            .values(ticket_id=ticket_id),
            execution_options={"synchronize_session": False},
        )
        state = _ticket_state(s, cred.hall_id, ticket_id) or {}
        state.update(
            status="called",
            window_number=cred.window_number,
            called_at=now.isoformat(),
            last_called_at=now.isoformat(),
            call_count=int(state.get("call_count") or 0) + 1,
        )
        _put_ticket(s, store, cred, state)
        return state, False


def state_written(
    store: CentralStore, cred: Credential, request_id: str
) -> tuple[dict[str, Any] | None, bool]:
    """The ticket called by `request_id` had no record in the feed: write its state."""
    with store.write() as s:
        ticket_id = s.scalar(
            select(SharedCall.ticket_id).where(
                SharedCall.hall_id == cred.hall_id, SharedCall.request_id == request_id
            )
        )
        row = s.get(SharedTicket, (cred.hall_id, ticket_id))
        assert row is not None and row.called_at is not None
        at = row.called_at.isoformat()
        state = _ticket_state(s, cred.hall_id, row.id) or {
            "id": row.id,
            "number": row.number,
            "line_code": row.line_code,
            "day": row.day,
            "kind": row.kind,
            "offline": row.offline,
        }
        state.update(
            status="called",
            window_number=cred.window_number,
            called_at=at,
            last_called_at=at,
            call_count=int(state.get("call_count") or 0) + 1,
        )
        _put_ticket(s, store, cred, state)
        return state, False
