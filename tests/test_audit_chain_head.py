"""record() reads its device's chain head once per transaction and keeps it for the
transaction's next events; a rolled-back transaction or savepoint forgets it, so the chain
stays whole and verifiable."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from app.audit import GENESIS, verify_store
from app.services.changes import DeskContext, record
from db.engine import Database
from db.models.hall import Clerk
from db.models.sync import Event

CTX = DeskContext(2, "BC0102")
_HEAD_QUERY = "SELECT seq, hash FROM event"


@contextmanager
def _head_reads(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def spy(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.startswith(_HEAD_QUERY):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", spy)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", spy)


def _add(s: object, key: str) -> Clerk:
    clerk = Clerk(id=key, name=f"名{key}")
    s.add(clerk)  # type: ignore[attr-defined]
    return clerk


def _chain(db: Database) -> list[Event]:
    with db.read() as s:
        return list(s.scalars(select(Event).where(Event.seq.is_not(None)).order_by(Event.seq)))


def _assert_whole(db: Database) -> None:
    events = _chain(db)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    report = verify_store(db)
    assert report.ok, report.problem


def test_several_events_in_one_transaction_read_the_head_once_and_verify(
    db: Database,
) -> None:
    with db.write() as s:
        record(s, CTX, _add(s, "A0"), "clerk.added")
    with _head_reads(db) as reads, db.write() as s:
        for i in range(5):
            record(s, CTX, _add(s, f"A{i + 1}"), "clerk.added", {"i": i, "名": "张三"})
    assert len(reads) == 1
    assert len(_chain(db)) == 6
    _assert_whole(db)


def test_each_transaction_reads_the_head_again(db: Database) -> None:
    with _head_reads(db) as reads:
        for i in range(3):
            with db.write() as s:
                record(s, CTX, _add(s, f"B{i}"), "clerk.added")
                record(s, CTX, _add(s, f"C{i}"), "clerk.added")
    assert len(reads) == 3
    _assert_whole(db)


def test_a_rolled_back_transaction_on_the_same_session_leaves_no_gap(db: Database) -> None:
    with db.session() as s:
        with s.begin():
            record(s, CTX, _add(s, "D0"), "clerk.added")
        with pytest.raises(RuntimeError), s.begin():
            record(s, CTX, _add(s, "D1"), "clerk.added")
            record(s, CTX, _add(s, "D2"), "clerk.added")
            raise RuntimeError("given up")
        with s.begin():
            record(s, CTX, _add(s, "D3"), "clerk.added")
    assert [e.entity_id for e in _chain(db)] == ["D0", "D3"]
    _assert_whole(db)


def test_a_rolled_back_savepoint_leaves_no_gap(db: Database) -> None:
    with db.session() as s, s.begin():
        record(s, CTX, _add(s, "E0"), "clerk.added")
        nested = s.begin_nested()
        record(s, CTX, _add(s, "E1"), "clerk.added")
        nested.rollback()
        record(s, CTX, _add(s, "E2"), "clerk.added")
        with s.begin_nested():
            record(s, CTX, _add(s, "E3"), "clerk.added")
        record(s, CTX, _add(s, "E4"), "clerk.added")
    assert [e.entity_id for e in _chain(db)] == ["E0", "E2", "E3", "E4"]
    _assert_whole(db)
