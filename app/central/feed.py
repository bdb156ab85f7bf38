"""The pull feed: every record a hall's desks (or the store) wrote, at its latest change.

A change is placed by (txid, seq). On PostgreSQL txid is the writing transaction's id
(`pg_current_xact_id()`, xid8) and seq a sequence value; both are handed out before commit,
so commits can land out of order. A pull therefore only hands out rows whose txid is below
the xmin of the current snapshot (`pg_current_snapshot()`): every transaction below it has
ended, so no row can later appear behind the cursor. On SQLite the store's writes are
serialised (BEGIN IMMEDIATE), txid is 0 and seq alone orders the feed.

The cursor is "txid:seq" of the last row handed out; a page ends anywhere, even inside one
transaction's rows, and the next page continues after exactly that row."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Table, func, literal, select, text, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.base import utcnow
from db.central.models import Record
from db.central.store import CentralStore

#: (entity, entity_id, state, device_id, window_number)
RecordChange = tuple[str, str, Any, str | None, int | None]


def _stamp(s: Session, store: CentralStore, hall_id: str, n: int) -> tuple[int, list[int]]:
    """This transaction's txid and `n` new sequence values."""
    if store.is_postgres:
        rows = s.execute(
            text(
                "SELECT pg_current_xact_id()::text::bigint, nextval('record_seq') "
                "FROM generate_series(1, :n)"
            ),
            {"n": n},
        ).all()
        return int(rows[0][0]), [int(r[1]) for r in rows]
    top = (
        s.scalar(
            select(func.coalesce(func.max(Record.seq), 0)).where(
                Record.hall_id == hall_id, Record.txid == 0
            )
        )
        or 0
    )
    return 0, list(range(top + 1, top + 1 + n))


def put_records(
    s: Session, store: CentralStore, hall_id: str, changes: Iterable[RecordChange]
) -> int:
    """Upsert records and move each to the end of the hall's feed. Returns how many."""
    items = list(changes)
    if not items:
        return 0
    txid, seqs = _stamp(s, store, hall_id, len(items))
    now = utcnow()
    rows = [
        {
            "hall_id": hall_id,
            "entity": entity,
            "entity_id": entity_id,
            "state": state,
            "device_id": device,
            "window_number": window,
            "updated_at": now,
            "txid": txid,
            "seq": seq,
        }
        for (entity, entity_id, state, device, window), seq in zip(items, seqs, strict=True)
    ]
    insert = postgresql.insert if store.is_postgres else sqlite.insert
    # One statement per distinct key (a batch may touch one row twice: the last state wins).
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        latest[(row["entity"], row["entity_id"])] = row
    # The table, not the mapped class: Core's executemany, without the ORM's bulk-insert
    # bookkeeping per row (a third of a 10,000-operation push's CPU time).
    stmt = insert(cast(Table, Record.__table__))
    stmt = stmt.on_conflict_do_update(
        index_elements=["hall_id", "entity", "entity_id"],
        set_={
            c: stmt.excluded[c]
            for c in ("state", "device_id", "window_number", "updated_at", "txid", "seq")
        },
    )
    # executemany: one compiled statement, sent in batches (insertmanyvalues).
    s.execute(stmt, list(latest.values()))
    return len(latest)


@dataclasses.dataclass(frozen=True)
class Page:
    changes: list[dict[str, Any]]
    cursor: str | None
    more: bool


def parse_cursor(cursor: str | None) -> tuple[int, int]:
    if not cursor:
        return (-1, -1)
    try:
        txid, seq = cursor.split(":")
        return int(txid), int(seq)
    except ValueError:
        return (-1, -1)


def pull(
    s: Session,
    store: CentralStore,
    hall_id: str,
    cursor: str | None,
    limit: int,
    exclude_device: str | None = None,
    entities: tuple[str, ...] | None = None,
) -> Page:
    """The next page of the hall's feed after `cursor`: at most `limit` changes."""
    after_txid, after_seq = parse_cursor(cursor)
    conds = [
        Record.hall_id == hall_id,
        # A row comparison: an index range from the cursor on (an OR of the two made
        # PostgreSQL read the hall's feed from its start at every page, even an idle pull's).
        tuple_(Record.txid, Record.seq) > tuple_(literal(after_txid), literal(after_seq)),
    ]
    if entities is not None:
        conds.append(Record.entity.in_(entities))
    if store.is_postgres:
        # In the same statement (one snapshot): only transactions that have all ended.
        xmin = text("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        conds.append(Record.txid < xmin)
    rows = s.execute(
        select(
            Record.entity,
            Record.entity_id,
            Record.state,
            Record.device_id,
            Record.txid,
            Record.seq,
        )
        .where(*conds)
        .order_by(Record.txid, Record.seq)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    if not rows:
        return Page([], cursor, False)
    last = rows[-1]
    changes = [
        {"entity": r.entity, "entity_id": r.entity_id, "state": r.state, "device_id": r.device_id}
        for r in rows
        if exclude_device is None or r.device_id != exclude_device
    ]
    return Page(changes, f"{last.txid}:{last.seq}", more)
