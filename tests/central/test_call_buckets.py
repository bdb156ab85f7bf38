"""Call next on PostgreSQL reads the queue bucket by bucket (app.central.calling._pg_pick) instead
of sorting it: on any queue it must pick the ticket the whole sort would (the hall's priority
policy, the window's lines in their preference, tickets transferred to the window first, then
time and id), and it reads no more than the head of the queue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Integer, Text, bindparam, delete, insert, select, text

from app.central import admin, queue_actions
from app.central.calling import HallRules, _order, _pg_pick
from db.central.models import SharedTicket
from db.central.store import CentralStore, open_central
from tests.central.conftest import HALL, HALL_FILE, fresh_pg_database

TODAY, YESTERDAY = "2026-12-02", "2026-12-01"
START = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def queue_store(pg_url: str) -> Iterator[CentralStore]:
    store = open_central(fresh_pg_database(pg_url))
    admin.add_hall(store, HALL_FILE)
    try:
        yield store
    finally:
        store.close()


tickets = st.lists(
    st.fixed_dictionaries(
        {
            "line_code": st.sampled_from(["QY", "QY", "BDC", "SB", "ZZ"]),
            "kind": st.sampled_from(["normal", "normal", "priority", "appointment"]),
            "target_window": st.sampled_from([None] * 8 + [1, 2]),  # few are transferred
            "status": st.sampled_from(["waiting", "waiting", "called"]),
            "day": st.sampled_from([TODAY, TODAY, YESTERDAY]),
            "minute": st.integers(0, 5),  # ties in time, broken by id
        }
    ),
    min_size=6,
    max_size=30,
)


def _picks(
    store: CentralStore,
    rows: list[dict[str, object]],
    policy: str,
    lines: tuple[str, ...],
    due: frozenset[str],
    window: int,
) -> tuple[str | None, str | None]:
    """(the bucket pick, the whole sort's pick) on the same queue, in one rolled-back
    transaction."""
    h, w, qday = (
        bindparam("h", type_=Text),
        bindparam("w", type_=Integer),
        bindparam("qday", type_=Text),
    )
    reference = (
        select(SharedTicket.id)
        .where(
            SharedTicket.hall_id == h,
            SharedTicket.status == "waiting",
            queue_actions.claimable(lines, w),
            SharedTicket.day == qday,
        )
        .order_by(*_order(HallRules(policy, 0, {}), lines, set(due)))
        .limit(1)
    )
    pick = _pg_pick(policy, lines, due, h, w)
    params = {"h": HALL, "w": window, "qday": TODAY}
    with store.engine.connect() as conn:
        conn.execute(delete(SharedTicket).where(SharedTicket.hall_id == HALL))
        if rows:
            conn.execute(insert(SharedTicket), rows)
        found = conn.execute(select(pick.c.id), params).scalar()
        expected = conn.execute(reference, params).scalar()
        conn.rollback()
    return found, expected


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    queue=tickets,
    policy=st.sampled_from(["priority_first", "every_n"]),
    lines=st.permutations(["QY", "BDC", "SB"]).flatmap(
        lambda p: st.integers(1, 3).map(lambda n: tuple(p[:n]))
    ),
    due=st.sets(st.sampled_from(["QY", "BDC", "SB"])),
    window=st.sampled_from([1, 2]),
)
def test_the_bucket_pick_is_the_head_of_the_whole_sort(
    queue_store: CentralStore,
    queue: list[dict[str, object]],
    policy: str,
    lines: tuple[str, ...],
    due: set[str],
    window: int,
) -> None:
    rows = []
    for i, t in enumerate(queue):
        minute = t.pop("minute")
        assert isinstance(minute, int)
        rows.append(
            {
                **t,
                "hall_id": HALL,
                "id": f"{(i * 7919) % 97:026d}",  # ids not in the order of issue
                "number": f"T{i:03d}",
                "seq": i,
                "offline": False,
                "issued_at": START + timedelta(minutes=minute),
            }
        )
    found, expected = _picks(queue_store, rows, policy, lines, frozenset(due), window)
    assert found == expected


def test_a_call_reads_the_head_of_its_line_not_the_whole_queue(queue_store: CentralStore) -> None:
    rows = [
        {
            "hall_id": HALL,
            "id": f"{i:026d}",
            "line_code": "QY",
            "kind": "normal",
            "target_window": None,
            "status": "waiting",
            "day": TODAY,
            "number": f"A{i:03d}",
            "seq": i,
            "offline": False,
            "issued_at": START + timedelta(seconds=i),
        }
        for i in range(2000)
    ]
    h, w = bindparam("h", type_=Text), bindparam("w", type_=Integer)
    pick = _pg_pick("priority_first", ("QY",), frozenset(), h, w)
    with queue_store.engine.connect() as conn:
        conn.execute(delete(SharedTicket).where(SharedTicket.hall_id == HALL))
        conn.execute(insert(SharedTicket), rows)
        conn.execute(text("ANALYZE shared_ticket"))
        statement = select(pick.c.id).params(h=HALL, w=1, qday=TODAY)
        compiled = statement.compile(conn, compile_kwargs={"literal_binds": True})
        explain = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + compiled.string
        plan = "\n".join(r[0] for r in conn.exec_driver_sql(explain))
        conn.rollback()
    # No sort of the waiting tickets, and the line's scan stops at its head.
    assert "Seq Scan" not in plan
    assert "rows=2000" not in plan
