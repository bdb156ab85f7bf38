"""Change recording and daily sequences: the foundation the sync builds on."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.services.changes import DeskContext, device_id, record
from app.services.numbering import next_in_sequence
from db.engine import Database, open_database
from db.ids import new_id
from db.models.hall import Clerk
from db.models.sync import Event, Outbox

CTX = DeskContext(2, "BC0102")


def test_change_event_and_outbox_commit_together(db: Database) -> None:
    with db.session.begin() as s:
        clerk = Clerk(id="BC9", name="测试")
        s.add(clerk)
        ev = record(s, CTX, clerk, "clerk.added", {"why": "test"})
    with db.session() as s:
        stored = s.get(Event, ev.id)
        assert stored is not None
        assert (stored.entity, stored.entity_id, stored.window_number) == ("clerk", "BC9", 2)
        assert stored.device_id == device_id(s)
        boxes = s.scalars(select(Outbox).order_by(Outbox.op_id)).all()
        assert {(b.entity, b.entity_id) for b in boxes} == {("clerk", "BC9"), ("event", ev.id)}
        clerk_box = next(b for b in boxes if b.entity == "clerk")
        assert clerk_box.payload["name"] == "测试"


def test_rollback_leaves_no_event_and_no_outbox(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session.begin() as s:
        clerk = Clerk(id="BC9", name="测试")
        s.add(clerk)
        record(s, CTX, clerk, "clerk.added")
        raise RuntimeError("the clerk's action failed half way")
    with db.session() as s:
        for table in (Clerk, Event, Outbox):
            assert s.scalar(select(func.count()).select_from(table)) == 0


def test_ids_are_unique_and_sortable_by_time() -> None:
    ids = [new_id() for _ in range(1000)]
    assert len(set(ids)) == 1000
    assert all(len(i) == 26 for i in ids)
    assert ids[0][:10] <= ids[-1][:10]  # the time part never goes backwards


def test_sequences_are_per_scope_and_day(db: Database) -> None:
    day = date(2026, 11, 26)
    with db.session.begin() as s:
        assert [next_in_sequence(s, "case:w1", day) for _ in range(3)] == [1, 2, 3]
        assert next_in_sequence(s, "case:w2", day) == 1
        assert next_in_sequence(s, "case:w1", date(2026, 11, 27)) == 1


def test_a_rolled_back_number_is_given_again_a_committed_one_never(db: Database) -> None:
    day = date(2026, 11, 26)
    with db.session.begin() as s:
        assert next_in_sequence(s, "case:w1", day) == 1
    with pytest.raises(RuntimeError), db.session.begin() as s:
        assert next_in_sequence(s, "case:w1", day) == 2
        raise RuntimeError("crash before commit")
    with db.session.begin() as s:
        assert next_in_sequence(s, "case:w1", day) == 2


@settings(max_examples=20, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=15))
def test_committed_numbers_are_gapless_and_unique(
    tmp_path_factory: pytest.TempPathFactory, commits: list[bool]
) -> None:
    """Whatever mix of committed and rolled-back transactions, the committed numbers are
    exactly 1..n: never reused, never skipped."""
    database = open_database(tmp_path_factory.mktemp("seq") / "d.sqlite3")
    taken: list[int] = []
    day = date(2026, 11, 26)
    try:
        for commit in commits:
            s = database.session()
            with s.begin():
                n = next_in_sequence(s, "doc", day)
                if not commit:
                    s.rollback()
                    continue
            taken.append(n)
            s.close()
    finally:
        database.close()
    assert taken == list(range(1, len(taken) + 1))
