"""The hall's desk-shaped mirror on the central store: the columns of the desk's tickets,
visits, cases (with their matters and materials) and ratings that the manager's KPIs and live
view read, in tables of their own with `hall_id` first in the key (db.central.models.Mirror*),
so the desk's KPI SQL (app.manager.kpi) runs on them filtered by hall and period, and the live
view reads today's tickets by an index.

The mirror follows the hall's record feed (app.central.feed), whatever wrote a record (a desk's
push, the shared queue, the PostgreSQL call statement): `catch_up` reads the records changed
since its cursor, in feed order and with the feed's guarantee that nothing committed late is
skipped, upserts their rows (a record with no state deletes its row) and moves the cursor, in
one transaction. A manager's request catches up first, so its cost is the records changed since
the last request, not the hall's history. Concurrent catch-ups write the same upserts; the
cursor only moves forward.

Windows (who signed in, paused, when its desk was last heard from) are kept at push and pull
time (`note_push`, `seen`): a desk's own row (`desk`) has the same id on every desk, so its
record alone cannot tell the windows apart; the credential can."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    Table,
    delete,
    literal,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.base import UTCDateTime, utcnow
from db.central.models import (
    MirrorCase,
    MirrorCaseMaterial,
    MirrorCaseMatter,
    MirrorCursor,
    MirrorEvaluation,
    MirrorTicket,
    MirrorVisit,
    MirrorWindow,
    Record,
)
from db.central.store import CentralStore
from db.models.case import Case, CaseMaterial, CaseMatter
from db.models.queue import Evaluation, Ticket, Visit

log = logging.getLogger(__name__)

#: Entity (the desk's table) -> (the desk's model, its mirror).
MIRRORED: dict[str, tuple[type[Any], type[Any]]] = {
    "ticket": (Ticket, MirrorTicket),
    "visit": (Visit, MirrorVisit),
    "case": (Case, MirrorCase),
    "case_matter": (CaseMatter, MirrorCaseMatter),
    "case_material": (CaseMaterial, MirrorCaseMaterial),
    "evaluation": (Evaluation, MirrorEvaluation),
}
#: Records read per round of a catch-up.
PAGE = 5000
#: A window's last-seen time is written at most this often per server process.
SEEN_EVERY = timedelta(seconds=10)
_SEEN: dict[tuple[str, str, int], datetime] = {}


def _table(model: type[Any]) -> Table:
    return model.__table__


class _Bad(Exception):
    """A value that does not fit its column."""


def _converter(column: Any) -> Callable[[Any], Any]:
    """A function checking and converting a JSON value for `column` (raises _Bad): a desk's
    record is any JSON object, and one bad value must not stop the mirror."""
    kind = column.type
    if isinstance(kind, UTCDateTime):

        def when(v: Any) -> datetime:
            try:
                at = datetime.fromisoformat(v)
            except (TypeError, ValueError):
                raise _Bad from None
            return at if at.tzinfo is not None else at.replace(tzinfo=UTC)

        return when
    if isinstance(kind, Date):

        def day(v: Any) -> date:
            try:
                return date.fromisoformat(v)
            except (TypeError, ValueError):
                raise _Bad from None

        return day
    if isinstance(kind, Boolean):

        def flag(v: Any) -> bool:
            if not isinstance(v, bool):
                raise _Bad
            return v

        return flag
    if isinstance(kind, Integer):

        def number(v: Any) -> int:
            if not isinstance(v, int) or isinstance(v, bool) or not -(2**31) <= v < 2**31:
                raise _Bad
            return v

        return number
    length = getattr(kind, "length", None) or 10_000

    def text(v: Any) -> str:
        if not isinstance(v, str) or len(v) > length or "\x00" in v:
            raise _Bad
        return v

    return text


_COLUMNS: dict[str, list[tuple[str, Callable[[Any], Any], bool, Any]]] = {}


def _columns(mirror: type[Any]) -> list[tuple[str, Callable[[Any], Any], bool, Any]]:
    """(name, converter, nullable, default) of the mirror's columns but hall_id."""
    table = _table(mirror)
    found = _COLUMNS.get(table.name)
    if found is None:
        found = _COLUMNS[table.name] = [
            (c.name, _converter(c), bool(c.nullable), getattr(c.default, "arg", None))
            for c in table.c
            if c.name != "hall_id"
        ]
    return found


def _row(hall_id: str, mirror: type[Any], state: Any) -> dict[str, Any] | None:
    """The mirror's row of a record's state, or None when it is not a usable row."""
    if not isinstance(state, dict):
        return None
    row: dict[str, Any] = {"hall_id": hall_id}
    try:
        for name, convert, nullable, default in _columns(mirror):
            value = state.get(name)
            if value is None:
                if not nullable:
                    if default is None:
                        return None
                    value = default
            else:
                value = convert(value)
            row[name] = value
    except _Bad:
        return None
    return row


def _upsert(conn: Any, store: CentralStore, mirror: type[Any], rows: list[dict[str, Any]]) -> None:
    """Rows upserted in one statement. PostgreSQL: the page's columns as arrays through
    `unnest` (a handful of parameters; about half the time of an executemany of the same rows,
    measured on a catch-up of 69,000 records). SQLite: one executemany."""
    table = _table(mirror)
    keys = {"hall_id", "id"}
    if store.is_postgres:
        statement, binds = _pg_upsert(table, conn.dialect)
        conn.execute(
            statement,
            {
                c: [r[c] for r in rows] if bind is None else [bind(r[c]) for r in rows]
                for c, bind in binds.items()
            },
        )
        return
    stmt = sqlite.insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=sorted(keys),
        set_={c.name: stmt.excluded[c.name] for c in table.c if c.name not in keys},
    )
    conn.execute(stmt, rows)


_PG_UPSERT: dict[str, tuple[Any, dict[str, Any]]] = {}


def _pg_upsert(table: Table, dialect: Any) -> tuple[Any, dict[str, Any]]:
    """The table's upsert over arrays, and each column's bind conversion (the column types'
    own: aware times become the naive UTC the columns hold, as through the ORM)."""
    found = _PG_UPSERT.get(table.name)
    if found is None:
        columns = [c.name for c in table.c]
        arrays = ", ".join(f"CAST(:{c.name} AS {c.type.compile(dialect)}[])" for c in table.c)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in ("hall_id", "id"))
        statement = text(
            f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) "
            f"ON CONFLICT (hall_id, id) DO UPDATE SET {updates}"
        )
        binds: dict[str, Any] = {c.name: c.type.bind_processor(dialect) for c in table.c}
        found = _PG_UPSERT[table.name] = (statement, binds)
    return found


def _page(
    conn: Any, store: CentralStore, hall_id: str, after: tuple[int, int], size: int = PAGE
) -> list[Any]:
    """The next `size` records of the mirrored entities after `after` (txid, seq), in feed
    order, with app.central.feed.pull's guarantee (PostgreSQL: only transactions below the
    snapshot's xmin, so no late commit is skipped). Core rows, not ORM ones: a catch-up of a
    month reads hundreds of thousands."""
    r = _table(Record)
    conds = after_cursor(store, hall_id, after)
    return list(
        conn.execute(
            select(r.c.entity, r.c.entity_id, r.c.state, r.c.txid, r.c.seq)
            .where(*conds)
            .order_by(r.c.txid, r.c.seq)
            .limit(size)
        )
    )


def after_cursor(store: CentralStore, hall_id: str, after: tuple[int, int]) -> list[Any]:
    """The conditions of the hall's mirrored records after `after` (txid, seq) that a
    catch-up may read now."""
    r = _table(Record)
    txid, seq = after
    conds = [
        r.c.hall_id == hall_id,
        # A row comparison: an index range from the cursor on (an OR of the two made
        # PostgreSQL read the hall's feed from its start at every page).
        tuple_(r.c.txid, r.c.seq) > tuple_(literal(txid), literal(seq)),
        r.c.entity.in_(tuple(MIRRORED)),
    ]
    if store.is_postgres:
        conds.append(r.c.txid < text("pg_snapshot_xmin(pg_current_snapshot())::text::bigint"))
    return conds


def catch_up(
    store: CentralStore,
    hall_id: str,
    page_size: int = PAGE,
    stop: Callable[[], bool] | None = None,
) -> int:
    """Bring the hall's mirror up to its feed, `page_size` records per transaction (or until
    `stop()` says so between two of them); returns how many records were applied."""
    applied = 0
    while stop is None or not stop():
        with store.write() as s:
            # One catch-up of a hall at a time (the row lock on PostgreSQL, the store's write
            # lock on SQLite): a slower one can never put back an older state.
            insert = postgresql.insert if store.is_postgres else sqlite.insert
            s.execute(
                insert(MirrorCursor)
                .values(hall_id=hall_id, txid=-1, seq=-1)
                .on_conflict_do_nothing(index_elements=["hall_id"])
            )
            cursor = s.scalars(
                select(MirrorCursor).where(MirrorCursor.hall_id == hall_id).with_for_update()
            ).one()
            conn = s.connection()
            page = _page(conn, store, hall_id, (cursor.txid, cursor.seq), page_size)
            if not page:
                return applied
            latest: dict[tuple[str, str], Any] = {}
            for entity, entity_id, state, _txid, _seq in page:
                latest[(entity, entity_id)] = state
            for entity, (_desk, mirror) in MIRRORED.items():
                rows: list[dict[str, Any]] = []
                gone: list[str] = []
                for (kind, entity_id), state in latest.items():
                    if kind != entity:
                        continue
                    row = _row(hall_id, mirror, state)
                    if row is None or row["id"] != entity_id:
                        gone.append(entity_id)
                    else:
                        rows.append(row)
                if rows:
                    _upsert(conn, store, mirror, rows)
                if gone:
                    table = _table(mirror)
                    conn.execute(
                        delete(table).where(table.c.hall_id == hall_id, table.c.id.in_(gone))
                    )
            cursor.txid, cursor.seq = int(page[-1].txid), int(page[-1].seq)
            applied += len(page)
        if len(page) < page_size:
            return applied
    return applied


def _window_upsert(
    s: Session, store: CentralStore, values: dict[str, Any], keep: list[str]
) -> None:
    insert = postgresql.insert if store.is_postgres else sqlite.insert
    stmt = insert(MirrorWindow).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["hall_id", "window_number"], set_={k: stmt.excluded[k] for k in keep}
    )
    s.execute(stmt)


def note_push(
    s: Session, store: CentralStore, hall_id: str, window: int | None, entity: str, state: Any
) -> None:
    """In a push's transaction: the window's desk signed in or out (`desk`), or paused or
    resumed its window (`window`)."""
    if window is None or not isinstance(state, dict):
        return
    now = utcnow()
    if entity == "desk":
        clerk = state.get("clerk_id")
        clerk = clerk if isinstance(clerk, str) else None
        values = {"hall_id": hall_id, "window_number": window, "clerk_id": clerk, "seen_at": now}
        _window_upsert(s, store, values, ["clerk_id", "seen_at"])
    elif entity == "window" and state.get("number") == window:
        values = {
            "hall_id": hall_id,
            "window_number": window,
            "paused": bool(state.get("paused")),
            "seen_at": now,
        }
        _window_upsert(s, store, values, ["paused", "seen_at"])


def seen(
    store: CentralStore, hall_id: str, window: int | None, now: datetime | None = None
) -> None:
    """A desk of `window` was heard from (it pushed or pulled). A failure here never fails the
    desk's request: it only leaves the window's last-seen time older."""
    if window is None:
        return
    now = now or utcnow()
    key = (str(store.engine.url), hall_id, window)
    last = _SEEN.get(key)
    if last is not None and timedelta(0) <= now - last < SEEN_EVERY:
        return  # written moments ago by this process: a pull stays a read
    _SEEN[key] = now
    try:
        with store.write() as s:
            done = s.execute(
                update(MirrorWindow)
                .where(MirrorWindow.hall_id == hall_id, MirrorWindow.window_number == window)
                .values(seen_at=now)
            )
            if not getattr(done, "rowcount", 0):
                values = {"hall_id": hall_id, "window_number": window, "seen_at": now}
                _window_upsert(s, store, values, ["seen_at"])
    except Exception:
        log.warning("could not note window %s of %s as seen", window, hall_id, exc_info=True)


def windows(s: Session, hall_id: str) -> dict[int, MirrorWindow]:
    return {
        w.window_number: w
        for w in s.scalars(select(MirrorWindow).where(MirrorWindow.hall_id == hall_id))
    }
