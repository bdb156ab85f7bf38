"""One sync round of a desk with the central store: push the outbox, then pull the hall's
feed (its configuration and its queue) and, when a new catalogue version is out, the
catalogue.

- Push: the oldest operations in batches; each reply's results are applied in one write
  transaction: applied and duplicate leave the outbox (the event log stays), rejected ones
  move to rejected_operation (kept and shown, blocking nothing). A crash between the reply
  and that transaction leaves the batch in the outbox: the next round pushes it again and the
  store answers "duplicate".
- Pull: each page is applied and the cursor advanced in one write transaction; a crash
  mid-pull loses nothing and applies nothing twice (the changes are upserts by id).
- Clock: every reply carries the store's time; the difference is kept (clock_offset_s) and a
  desk off by more than CLOCK_WARN_S is told. Nothing orders by the desk's clock: the store
  stamps what it receives."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, inspect, select, true
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from app.services.changes import Operation, device_id, row_payload
from app.sync.client import CentralClient
from db.base import utcnow
from db.engine import Database
from db.models.catalogue import CatalogueVersion
from db.models.queue import Ticket
from db.models.sync import Event, Outbox, RejectedOperation, SyncState

CLOCK_WARN_S = 300.0
PUSH_BATCH = 1000
PULL_PAGE = 1000
#: Catalogue rows per staging transaction when a pulled catalogue is imported (a few tens of
#: milliseconds of the write lock each, on a worker).
SYNC_CATALOGUE_CHUNK = 5000


@dataclasses.dataclass
class SyncReport:
    pushed: int = 0
    duplicates: int = 0
    rejected: int = 0
    pulled: int = 0
    skipped: int = 0
    catalogue: str | None = None
    clock_offset_s: float | None = None

    @property
    def clock_warning(self) -> bool:
        return self.clock_offset_s is not None and abs(self.clock_offset_s) > CLOCK_WARN_S

    def line(self) -> str:
        text = (
            f"同步完成：推送 {self.pushed} 条（重复 {self.duplicates}），"
            f"拉取 {self.pulled} 条，被拒 {self.rejected} 条"
        )
        if self.catalogue:
            text += f"，目录更新为 {self.catalogue}"
        return text


def _state(session: Session) -> SyncState:
    device_id(session)  # creates the row when missing
    state = session.get(SyncState, 1)
    assert state is not None
    return state


def _offset(server_time: str, local: datetime) -> float:
    return (datetime.fromisoformat(server_time) - local).total_seconds()


def _settle(s: Session, reply: dict[str, Any], received: datetime) -> None:
    """A push's results, in one transaction: acknowledged operations leave the outbox,
    refused ones move to rejected_operation."""
    results = reply["results"]
    acked = [r["op_id"] for r in results if r["result"] in ("applied", "duplicate")]
    refused = [r for r in results if r["result"] == "rejected"]
    if acked:
        s.execute(delete(Outbox).where(Outbox.op_id.in_(acked)))
    for r in refused:
        s.execute(delete(Outbox).where(Outbox.op_id == r["op_id"]))
        if s.get(RejectedOperation, r["op_id"]) is None:
            s.add(RejectedOperation(op_id=r["op_id"], reason=str(r.get("reason"))[:300]))
    st = _state(s)
    st.last_push_at = received
    st.clock_offset_s = _offset(reply["server_time"], received)


def _mappers() -> dict[str, Any]:
    from db.base import Base

    return {
        str(getattr(m.local_table, "name", "")): m
        for m in Base.registry.mappers
        if m.class_ is not Event and len(m.primary_key) == 1
    }


def _plain(value: Any) -> Any:
    """A column value as JSON carries it (as app.services.changes.row_payload does)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _labelled(mapper: Any) -> list[Any]:
    return [attr.columns[0].label(attr.key) for attr in mapper.column_attrs]


def collect_operations(session: Session, limit: int, after: str | None = None) -> list[Operation]:
    """The oldest `limit` operations, as `pending_operations` builds them, but reading rows
    as plain tuples, each kind of row in one query (a push of thousands reads a few queries,
    not one ORM object per row)."""
    event_mapper = inspect(Event)
    rows = session.execute(
        select(
            Outbox.op_id.label("_op"), Outbox.attempts.label("_attempts"), *_labelled(event_mapper)
        )
        .join(Event, Event.id == Outbox.op_id)
        .where(Outbox.op_id > after if after is not None else true())
        .order_by(Outbox.op_id)
        .limit(limit)
    ).all()
    if not rows:
        return []
    events = []
    for r in rows:
        m = dict(r._mapping)
        op_id, attempts = m.pop("_op"), m.pop("_attempts")
        events.append((op_id, attempts, {k: _plain(v) for k, v in m.items()}))
    mappers = _mappers()
    wanted: dict[str, set[str]] = {}
    for _op, _attempts, ev in events:
        if ev["entity"] in mappers:
            wanted.setdefault(ev["entity"], set()).add(ev["entity_id"])
    states: dict[tuple[str, str], dict[str, Any]] = {}
    for entity, ids in wanted.items():
        mapper = mappers[entity]
        column = mapper.primary_key[0]
        key_attr = mapper.get_property_by_column(column).key
        try:
            kind = column.type.python_type
            keys = [kind(i) for i in ids]
        except (NotImplementedError, ValueError):
            keys = list(ids)
        for row in session.execute(select(*_labelled(mapper)).where(column.in_(keys))):
            payload = {k: _plain(v) for k, v in row._mapping.items()}
            states[(entity, str(row._mapping[key_attr]))] = payload
    ops = []
    for op_id, attempts, ev in events:
        if ev["entity"] in mappers:
            state = states.get((ev["entity"], ev["entity_id"]))
        else:  # a composite key: the general, row-by-row reader
            state = pending_operations_one(session, ev["entity"], ev["entity_id"])
        ops.append(Operation(op_id=op_id, event=ev, state=state, attempts=attempts))
    return ops


def pending_operations_one(session: Session, entity: str, entity_id: str) -> dict[str, Any] | None:
    from app.services.changes import _entity_row

    row = _entity_row(session, entity, entity_id)
    return None if row is None else row_payload(row)


def push_outbox(
    database: Database,
    client: CentralClient,
    report: SyncReport,
    progress: Callable[[int, int], None] | None = None,
    batch: int = PUSH_BATCH,
    prepare: Callable[[Operation], dict[str, Any] | None] | None = None,
) -> None:
    """Push the outbox batch by batch. The next batch is read while the store applies the
    current one (one request in flight at a time, in order); each reply is settled before the
    next is sent, so a crash loses nothing (unsettled operations are pushed again). `prepare`:
    the state an operation carries, if not its row's as read (a kiosk leaves out the ID
    number a ticket of its was issued for: app.queue.kiosk_offline)."""
    with database.read() as s:
        total = s.query(Outbox).count()
        state = s.get(SyncState, 1)
        device = state.device_id if state else ""
    done = 0

    def read(after: str | None) -> list[Operation]:
        with database.read() as s:
            return collect_operations(s, batch, after)

    def send(ops: list[Operation]) -> dict[str, Any]:
        payload = [
            {
                "op_id": o.op_id,
                "event": o.event,
                "state": o.state if prepare is None else prepare(o),
            }
            for o in ops
        ]
        return client.push(payload, device, utcnow().isoformat())

    ops = read(None)
    with ThreadPoolExecutor(1, thread_name_prefix="sync-push") as pool:
        while ops:
            in_flight = pool.submit(send, ops)
            try:
                following = read(ops[-1].op_id)
            finally:
                reply = in_flight.result()
            received = utcnow()
            database.run_write(functools.partial(_settle, reply=reply, received=received))
            for r in reply["results"]:
                key = {"applied": "pushed", "duplicate": "duplicates", "rejected": "rejected"}
                attr = key.get(r["result"])
                if attr:
                    setattr(report, attr, getattr(report, attr) + 1)
            report.clock_offset_s = _offset(reply["server_time"], received)
            done += len(ops)
            if progress is not None:
                progress(done, max(total, done))
            ops = following


def _from_json(model: type[Any], state: dict[str, Any]) -> dict[str, Any]:
    """A row's JSON state back into its columns' Python values."""
    values: dict[str, Any] = {}
    for attr in inspect(model).column_attrs:
        if attr.key not in state:
            continue
        value = state[attr.key]
        column_type = attr.columns[0].type
        if isinstance(column_type, TypeDecorator):
            column_type = column_type.impl_instance
        try:
            kind = column_type.python_type
        except NotImplementedError:
            kind = object
        if value is not None and kind is datetime:
            value = datetime.fromisoformat(value)
        elif value is not None and kind is date:
            value = date.fromisoformat(value)
        values[attr.key] = value
    return values


def apply_ticket_state(s: Session, state: dict[str, Any]) -> bool:
    values = _from_json(Ticket, state)
    if "id" not in values:
        return False
    try:
        with s.begin_nested():
            row = s.get(Ticket, values["id"])
            if row is None:
                s.add(Ticket(**values))
            else:
                if values.get("id_number") is None:
                    # The store never holds ID numbers: the one this machine issued the
                    # ticket for stays for its own check of one place per line and day.
                    values.pop("id_number", None)
                for key, value in values.items():
                    setattr(row, key, value)
            s.flush()
    except (IntegrityError, StatementError, TypeError, ValueError):
        return False
    return True


def _apply_hall(s: Session, state: dict[str, Any]) -> bool:
    from app.errors import UserError
    from app.services.hall import apply_config, desk_context, parse_config

    try:
        with s.begin_nested():
            apply_config(s, desk_context(s), parse_config(state))
    except UserError:
        return False
    return True


def _apply_page(s: Session, reply: dict[str, Any], received: datetime) -> tuple[int, int]:
    """One pulled page applied and the cursor moved on, in one transaction. What the page
    changes locally (a hall configuration applied writes its event) is pushed like any other
    event: it is a link of the desk's audit chain, which the store checks link by link
    (app/central/chain.py). It does not echo back: desks pull the hall's configuration and
    queue, not the events."""
    applied = skipped = 0
    for change in reply["changes"]:
        entity, state = change["entity"], change["state"]
        ok = False
        if isinstance(state, dict) and entity == "ticket":
            ok = apply_ticket_state(s, state)
        elif isinstance(state, dict) and entity == "hall_config":
            ok = _apply_hall(s, state)
        elif isinstance(state, dict) and entity == "account":
            from app.sync.accounts import apply_account_state

            ok = apply_account_state(s, state)
        applied += ok
        skipped += not ok
    st = _state(s)
    st.pull_cursor = reply["cursor"]
    st.last_pull_at = received
    st.clock_offset_s = _offset(reply["server_time"], received)
    return applied, skipped


def pull_feed(
    database: Database, client: CentralClient, report: SyncReport, page: int = PULL_PAGE
) -> str | None:
    """Pull until the feed is exhausted; the newest catalogue version the store announced."""
    catalogue: str | None = None
    while True:
        with database.read() as s:
            state = s.get(SyncState, 1)
            cursor = state.pull_cursor if state else None
            device = state.device_id if state else ""
        reply = client.pull(cursor, page, device)
        received = utcnow()
        catalogue = reply.get("catalogue_version")
        if not reply["changes"] and reply["cursor"] == cursor and not reply["more"]:
            # Nothing new: no write transaction (an idle round writes nothing).
            report.clock_offset_s = _offset(reply["server_time"], received)
            return catalogue

        applied, skipped = database.run_write(
            functools.partial(_apply_page, reply=reply, received=received)
        )
        report.pulled += applied
        report.skipped += skipped
        report.clock_offset_s = _offset(reply["server_time"], received)
        if not reply["more"]:
            return catalogue


def update_catalogue(
    database: Database, client: CentralClient, version: str | None, report: SyncReport
) -> None:
    if not version:
        return
    with database.read() as s:
        current = s.scalar(select(CatalogueVersion.version).where(CatalogueVersion.is_current))
    if current == version:
        return
    from app.catalogue.importer import check_catalogue_bytes, import_catalogue_staged

    raw = client.catalogue_bytes(version)
    checked = check_catalogue_bytes(raw, f"中心库目录 {version}", strict=False)
    # The staged import: the desk's write lock is held a chunk at a time (the clerk keeps
    # working while a large catalogue arrives), the swap is one short transaction.
    import_catalogue_staged(
        database, f"central:{version}", checked=checked, chunk=SYNC_CATALOGUE_CHUNK
    )

    def note(s: Session) -> None:
        _state(s).catalogue_version = version

    database.run_write(note)
    report.catalogue = version


def pending_count(database: Database) -> int:
    """Operations waiting for the central store."""
    with database.read() as s:
        return int(s.scalar(select(func.count()).select_from(Outbox)) or 0)


def sync_once(
    database: Database,
    client: CentralClient,
    progress: Callable[[int, int], None] | None = None,
) -> SyncReport:
    """One round: push, pull, catalogue. Raises CentralUnreachable / CentralRefused; what was
    done before the failure stays done."""
    report = SyncReport()
    try:
        push_outbox(database, client, report, progress)
        version = pull_feed(database, client, report)
        if report.pulled and pending_count(database):
            # The event(s) applying the pull recorded (a link of the desk's chain): pushed now,
            # so a round ends with an empty outbox; the store's own change, so not counted.
            push_outbox(database, client, SyncReport())
        update_catalogue(database, client, version, report)
    except Exception as exc:
        _note(database, str(exc)[:300])
        raise
    _note(database, None)
    return report


#: An idle desk notes its successful sync at most this often (each note is a write).
NOTE_EVERY_S = 60.0


def _note(database: Database, error: str | None) -> None:
    with database.read() as s:
        state = s.get(SyncState, 1)
        if (
            state is not None
            and error is None
            and state.last_sync_error is None
            and state.last_sync_at is not None
            and (utcnow() - state.last_sync_at).total_seconds() < NOTE_EVERY_S
        ):
            return

    def note(s: Session) -> None:
        st = _state(s)
        st.last_sync_error = error
        if error is None:
            st.last_sync_at = utcnow()

    database.run_write(note)
