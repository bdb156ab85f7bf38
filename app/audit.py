"""The tamper-evident audit trail: every event of a device is a link in a hash chain.

Each event carries its device's sequence number (`seq`: 1, 2, 3, … with no gaps), the hash
of the device's previous event (`prev_hash`; the first link's is `GENESIS`) and its own
(`hash`). An event's hash is SHA-256 over its canonical form: the JSON of its fields (`FIELDS`,
`prev_hash` included, `hash` not), keys sorted, no spaces, UTF-8, with `at` written as the
database stores it ("YYYY-MM-DD HH:MM:SS.ffffff", UTC) and `data` as its JSON value. `record()`
(app/services/changes.py) links each event in the transaction that writes it (`chain`).

`verify` walks every device's chain in `seq` order and reports the first event that was
altered (its content no longer gives its hash, or the next link's `prev_hash` no longer names
it), removed (a gap in `seq`) or inserted (a link out of place, or an event with no place in
the chain).

Events written before the chain existed (migration 0009): the migration closes them with an
anchor event (kind `audit.chain_started`, the device's seq 1) whose data holds how many there
were and the SHA-256 over their canonical forms in id order (`legacy_digest`), so from the
migration on a change to an old event is detected too; an unchained event that is not among
them (written after the anchor) is an insertion.

What a hash chain cannot show on its own: the newest events removed all together, or the whole
chain rewritten by someone who recomputes every hash. The central store, which holds every
pushed event, is what shows those."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from app.messages import Message

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from db.engine import Database
    from db.models.sync import Event

#: The `prev_hash` of a device's first event.
GENESIS = "0" * 64
#: The kind of the event that starts the chain of a database that had events before it.
ANCHOR_KIND = "audit.chain_started"
#: An event's fields, in the order the queries below read them.
FIELDS = (  # sorted: the canonical form's order
    "at",
    "clerk_id",
    "data",
    "device_id",
    "entity",
    "entity_id",
    "id",
    "kind",
    "prev_hash",
    "seq",
    "window_number",
)
AT_FORMAT = "%Y-%m-%d %H:%M:%S.%f"
_COLUMNS = ", ".join(FIELDS)


def stored_at(at: datetime) -> str:
    """A timestamp as the database stores it (UTC, no zone)."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.strftime(AT_FORMAT)


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


#: `canonical()` of a row in `FIELDS` order, written out: the keys are fixed and sorted.
_TEMPLATE = "{" + ",".join(f'"{name}":%s' for name in FIELDS) + "}"


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def _number(value: int | None) -> str:
    return "null" if value is None else str(int(value))


def _stored_hash(row: Sequence[Any]) -> str:
    """The hash of a row read in `FIELDS` order, taking its data as stored: the database
    stores JSON in canonical form (db.engine.canonical_json), so this is `canonical()`
    without parsing and writing the data again (what makes `verify` fast). A row whose data
    is stored otherwise (a hand-made or an old row) gives another hash: `_row_ok` then
    hashes it the long way."""
    at, clerk, data, device, entity, entity_id, event_id, kind, prev, seq, window = row
    text = _TEMPLATE % (
        _text(at),
        _text(clerk),
        data,
        _text(device),
        _text(entity),
        _text(entity_id),
        _text(event_id),
        _text(kind),
        _text(prev),
        _number(seq),
        _number(window),
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _row_ok(row: Sequence[Any], stored: str | None) -> bool:
    try:
        if _stored_hash(row) == stored:
            return True
    except (TypeError, ValueError):  # a value of another type than the column's: by content
        pass
    return event_hash(_fields(row)) == stored


def event_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()


def _fields(row: Sequence[Any]) -> dict[str, Any]:
    """An event row as read by `_COLUMNS` (at and data as stored) in its canonical fields."""
    out = dict(zip(FIELDS, row, strict=True))
    data = out["data"]
    out["data"] = json.loads(data) if isinstance(data, str | bytes) else data
    return out


def stored_row_hash(row: dict[str, Any]) -> str:
    """The hash of an event row as stored (a column name -> value mapping)."""
    return event_hash(_fields([row[name] for name in FIELDS]))


def _event_fields(ev: Event) -> dict[str, Any]:
    out = {name: getattr(ev, name) for name in FIELDS}
    out["at"] = stored_at(ev.at)
    # As stored and read back: JSON (a tuple becomes a list, and so on).
    out["data"] = json.loads(json.dumps(ev.data))
    return out


def _transaction_key(session: Session) -> tuple[object, object]:
    """The transaction a chain head read in `session` holds for: the root transaction and the
    innermost savepoint. A commit or rollback (of either) gives another key."""
    return session.get_transaction(), session.get_nested_transaction()


def chain(session: Session, ev: Event) -> None:
    """Link `ev` (not yet added; its device_id and every other field set) after its device's
    newest event: the next `seq` and that event's hash. The write transaction (BEGIN
    IMMEDIATE) keeps two processes from taking the same place.

    The head is read from the database once per transaction (and savepoint) and device, then
    kept in the session for the transaction's next events (a save records several): nothing
    else writes this device's events while the transaction holds the write lock."""
    key = _transaction_key(session)
    heads = session.info.get(_HEADS)
    if heads is None or heads[0] != key:
        heads = session.info[_HEADS] = (key, {})
    known: dict[str | None, tuple[int, str]] = heads[1]
    head = known.get(ev.device_id)
    if head is None or ev.device_id is None:
        row = session.execute(
            text(
                "SELECT seq, hash FROM event WHERE device_id = :device AND seq IS NOT NULL "
                "ORDER BY seq DESC LIMIT 1"
            ),
            {"device": ev.device_id},
        ).first()
        head = (0, GENESIS) if row is None else (row[0], row[1])
    ev.seq, ev.prev_hash = head[0] + 1, head[1]
    ev.hash = event_hash(_event_fields(ev))
    known[ev.device_id] = (ev.seq, ev.hash)


#: session.info's key for the chain heads of its current transaction.
_HEADS = "audit_chain_heads"


@dataclass(frozen=True)
class ChainReport:
    """The verdict on a database's audit trail: `problem` is None when every chain holds."""

    events: int
    problem: Message | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def legacy_digest(rows: Iterable[Sequence[Any]]) -> tuple[int, str]:
    """How many events there are and the SHA-256 over their canonical forms (rows read by
    `_COLUMNS`, in id order): what the anchor event of migration 0009 holds."""
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(hashlib.sha256(canonical(_fields(row))).digest())
        count += 1
    return count, digest.hexdigest()


def _rows(conn: Any, sql: str) -> Iterator[Sequence[Any]]:
    """The rows of `sql` as the driver gives them (plain tuples: no SQLAlchemy rows for a
    walk over every event), in the session's transaction."""
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(5000):
            yield from batch
    finally:
        cursor.close()


def verify(session: Session) -> ChainReport:
    """Walk every device's chain (and the events from before it) and report the first break."""
    conn = session.connection()
    count = 0
    anchor: dict[str, Any] | None = None
    device: object = object()
    expected_seq, expected_prev = 1, GENESIS
    chained = f"SELECT {_COLUMNS}, hash FROM event WHERE seq IS NOT NULL ORDER BY device_id, seq"
    previous_id = ""
    for row in _rows(conn, chained):
        count += 1
        if row[3] != device:
            device, expected_seq, expected_prev = row[3], 1, GENESIS
        seq, event_id = row[9], row[6]
        if seq < expected_seq:
            return ChainReport(count, Message("audit.inserted", event=event_id, seq=seq))
        if seq > expected_seq:
            return ChainReport(count, Message("audit.removed", seq=expected_seq, event=event_id))
        if row[8] != expected_prev:
            # The previous link was rewritten (its hash with it), or this link was moved.
            return ChainReport(count, Message("audit.altered", event=previous_id or event_id))
        if not _row_ok(row[:-1], row[-1]):
            return ChainReport(count, Message("audit.altered", event=event_id))
        if row[7] == ANCHOR_KIND and seq == 1:
            anchor = _fields(row[:-1])
        expected_seq, expected_prev, previous_id = seq + 1, row[-1], event_id
    # The events from before the chain, streamed (a big desk has hundreds of thousands).
    unchained = _rows(conn, f"SELECT {_COLUMNS} FROM event WHERE seq IS NULL ORDER BY id")
    if anchor is None:
        first = next(unchained, None)
        if first is not None:
            count += 1 + sum(1 for _ in unchained)
            return ChainReport(count, Message("audit.unchained", event=first[6]))
        return ChainReport(count)
    later: list[Sequence[Any]] = []  # the first unchained event after the anchor, if any

    def before_anchor() -> Iterator[Sequence[Any]]:
        for row in unchained:
            if row[6] >= anchor["id"]:
                later.append(row)
                return
            yield row

    n, digest = legacy_digest(before_anchor())
    count += n
    if later:
        count += 1 + sum(1 for _ in unchained)
        return ChainReport(count, Message("audit.unchained", event=later[0][6]))
    data = anchor["data"] if isinstance(anchor["data"], dict) else {}
    if n != data.get("legacy_events") or digest != data.get("legacy_digest"):
        return ChainReport(count, Message("audit.legacy_changed", count=n))
    return ChainReport(count)


def verify_store(database: Database) -> ChainReport:
    with database.read() as s:
        return verify(s)


def cmd_verify(data_dir: str | None) -> int:
    """`python -m app audit verify`: one line, exit 0 when every chain holds, 1 when not."""
    from app.startup import existing_store

    database = existing_store(data_dir)
    try:
        report = verify_store(database)
    finally:
        database.close()
    if report.problem is not None:
        print(report.problem, file=sys.stderr)
        return 1
    print(Message("audit.ok", count=report.events))
    return 0
