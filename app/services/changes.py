"""Every domain change goes through here: the change, its event and its outbox row are written
in one transaction (the caller's session), so the sync with the central store never sees a
change without its record, nor a record without its change.

Each change is written once. The event says what happened to which row; the outbox row only
names the event (its op id), and the row's state is read from the row itself when a push is
built (`pending_operations`), so neither the state nor the event is copied into the outbox."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.audit import chain
from db.base import Base, utcnow
from db.ids import new_id
from db.models.sync import Event, Outbox, SyncState


@dataclasses.dataclass(frozen=True)
class DeskContext:
    """Who acts, and where: stamped on every event. `terminal` names a device that acts for
    no one ("kiosk", "display"): its events carry no person, and say which device wrote them
    (the event's data["terminal"])."""

    window_number: int | None
    clerk_id: str | None
    terminal: str | None = None

    def __post_init__(self) -> None:
        if self.terminal is not None and self.clerk_id is not None:
            raise ValueError("a kiosk's or display's event carries no person")


def event_data(ctx: DeskContext, data: dict[str, Any] | None) -> dict[str, Any]:
    """An event's data as stored: JSON-ready, with the device that acts for no one named."""
    out = {k: _jsonable(v) for k, v in (data or {}).items()}
    if ctx.terminal is not None:
        out["terminal"] = ctx.terminal
    return out


def device_id(session: Session) -> str:
    # Kept for the session's life: a save records several events, and each get() of the row
    # went through the session's flush and identity map again (about a millisecond each).
    known = session.info.get("device_id")
    if known is not None:
        return str(known)
    state = session.get(SyncState, 1)
    if state is None:
        state = SyncState(id=1)
        session.add(state)
        session.flush()
    session.info["device_id"] = state.device_id
    return state.device_id


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def row_payload(row: object) -> dict[str, Any]:
    """The row's columns as JSON-ready values: what the outbox carries to the central store."""
    mapper = inspect(row).mapper
    return {attr.key: _jsonable(getattr(row, attr.key)) for attr in mapper.column_attrs}


def _only_records_pending(session: Session) -> bool:
    """Whether all the session would flush is events and outbox rows (the previous record()'s
    of a save that records several rows): those need not be written before the next event
    is built, and are written together with it."""
    if session.dirty or session.deleted:
        return False
    return all(isinstance(obj, Event | Outbox) for obj in session.new)


def record(
    session: Session,
    ctx: DeskContext,
    row: object,
    kind: str,
    data: dict[str, Any] | None = None,
) -> Event:
    """Record that `row` changed as `kind`: an event, and an outbox row naming the event.
    Flushes so the row has its key (id) before the event names it, unless all that waits
    is earlier events and outbox rows (those are written with the next flush)."""
    if not _only_records_pending(session):
        session.flush()
    mapper = inspect(row).mapper
    table = mapper.local_table.name
    pk = mapper.primary_key_from_instance(row)
    entity_id = "/".join(str(v) for v in pk)
    ev = Event(
        id=new_id(),
        at=utcnow(),
        entity=table,
        entity_id=entity_id,
        kind=kind,
        window_number=ctx.window_number,
        clerk_id=ctx.clerk_id,
        device_id=device_id(session),
        data=event_data(ctx, data),
    )
    chain(session, ev)
    session.add(ev)
    session.add(Outbox(op_id=ev.id))
    return ev


@dataclasses.dataclass(frozen=True)
class Operation:
    """One pending operation as a push carries it: the event (immutable; op_id is the
    idempotency key) and the changed row's state when the push is built (None if the row is
    gone). Several operations on one row carry the same, latest, state."""

    op_id: str
    event: dict[str, Any]
    state: dict[str, Any] | None
    attempts: int


def _entity_row(session: Session, entity: str, entity_id: str) -> object | None:
    table = Base.metadata.tables.get(entity)
    for mapper in Base.registry.mappers:
        if table is not None and mapper.local_table is table and mapper.class_ is not Event:
            columns = mapper.primary_key
            parts = entity_id.split("/")
            if len(parts) != len(columns):
                return None
            try:
                key = tuple(c.type.python_type(p) for c, p in zip(columns, parts, strict=True))
            except (NotImplementedError, ValueError):
                key = tuple(parts)
            return session.get(mapper.class_, key)
    return None


def pending_operations(session: Session, limit: int = 500) -> list[Operation]:
    """The oldest `limit` operations waiting for the central store, in the order they were
    written (op ids sort by time), each with its event and its row's state."""
    rows = session.execute(
        select(Outbox, Event)
        .join(Event, Event.id == Outbox.op_id)
        .order_by(Outbox.op_id)
        .limit(limit)
    ).all()
    ops = []
    for box, ev in rows:
        row = _entity_row(session, ev.entity, ev.entity_id)
        ops.append(
            Operation(
                op_id=box.op_id,
                event=row_payload(ev),
                state=None if row is None else row_payload(row),
                attempts=box.attempts,
            )
        )
    return ops
