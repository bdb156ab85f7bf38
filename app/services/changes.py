"""Every domain change goes through here: the change, its event and its outbox row are written
in one transaction (the caller's session), so the sync with the central store never sees a
change without its record, nor a record without its change."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from db.base import utcnow
from db.ids import new_id
from db.models.sync import Event, Outbox, SyncState


@dataclasses.dataclass(frozen=True)
class DeskContext:
    """Who acts, and where: stamped on every event."""

    window_number: int | None
    clerk_id: str | None


def device_id(session: Session) -> str:
    state = session.get(SyncState, 1)
    if state is None:
        state = SyncState(id=1)
        session.add(state)
        session.flush()
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


def record(
    session: Session,
    ctx: DeskContext,
    row: object,
    kind: str,
    data: dict[str, Any] | None = None,
) -> Event:
    """Record that `row` changed as `kind`: an event, and an outbox row carrying the row's
    current state. Flushes so the row has its defaults (id, created_at) before it is copied."""
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
        data={k: _jsonable(v) for k, v in (data or {}).items()},
    )
    session.add(ev)
    # The row's new state and the event both travel to the central store.
    session.add(Outbox(entity=table, entity_id=entity_id, payload=row_payload(row)))
    session.add(Outbox(entity="event", entity_id=ev.id, payload=row_payload(ev)))
    return ev
