"""A page of the hall's feed (a desk's pull, the mirror's catch-up) starts its index range at
the cursor: the plan's index condition carries the cursor, so a page costs its own rows, not
a scan of the hall's whole history before the cursor (an OR of `txid >` and `txid = AND seq >`
left the cursor to a filter, and every page read the feed from its start)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from app.central import feed, mirror
from db.central.store import CentralStore
from tests.central.conftest import HALL


def _statements(store: CentralStore, run: Any) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, params: Any, *_a: Any) -> None:
        if "FROM record" in statement and "ORDER BY record.txid, record.seq" in statement:
            seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", grab)
    try:
        run()
    finally:
        event.remove(store.engine, "before_cursor_execute", grab)
    return seen


def _plan(store: CentralStore, statement: str, params: Any) -> str:
    with store.engine.connect() as conn:
        if store.is_postgres:
            rows = conn.exec_driver_sql("EXPLAIN " + statement, params).all()
            return "\n".join(str(r[0]) for r in rows)
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
        return "\n".join(str(r[-1]) for r in rows)


def _in_index_range(store: CentralStore, plan: str) -> bool:
    if store.is_postgres:
        return "Index Cond" in plan and "ROW(txid, seq) >" in plan.split("Filter")[0]
    return "ix_record_feed" in plan and "(txid,seq)>(?,?)" in plan.replace(" ", "")


def test_pages_of_the_feed_start_at_the_cursor(store: CentralStore) -> None:
    with store.write() as s:
        feed.put_records(
            s, store, HALL, [("ticket", f"T{i}", {"id": f"T{i}"}, None, None) for i in range(50)]
        )

    def pull() -> None:
        with store.session() as s:
            feed.pull(s, store, HALL, "0:10", 20)

    seen = _statements(store, pull) + _statements(store, lambda: mirror.catch_up(store, HALL))
    assert len(seen) >= 2
    for statement, params in seen:
        plan = _plan(store, statement, params)
        assert _in_index_range(store, plan), plan
