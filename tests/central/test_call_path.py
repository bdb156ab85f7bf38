"""The call-next hot path on PostgreSQL: no store look-up for a token seen a moment ago, the claim statement finding its rows by key, and pooled connections pinged only
after they sat idle."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from app.central import admin, cache, pg_call, shared_queue
from app.central.calling import hall_rules
from app.clock import hall_day
from app.sync.client import CentralClient
from db.base import utcnow
from db.central import store as central_store
from db.central.store import CentralStore
from db.ids import new_id
from tests.central.conftest import HALL, LiveServer


def test_a_token_seen_a_moment_ago_is_checked_without_the_store(
    pg_store: CentralStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = admin.add_desk(pg_store, HALL, 1).token
    with pg_store.session() as s:
        issuer = admin.authenticate(s, token)
    assert issuer is not None
    for _ in range(3):
        shared_queue.issue(pg_store, issuer, new_id(), "QY")
    cache.clear()
    lookups: list[str] = []
    real_auth = admin.authenticate

    def authenticate(s: Any, tok: str) -> Any:
        lookups.append(tok)
        return real_auth(s, tok)

    monkeypatch.setattr(admin, "authenticate", authenticate)
    with LiveServer(pg_store) as live:
        client = CentralClient(live.url, token)
        numbers = [client.call_next(new_id())["ticket"]["number"] for _ in range(3)]
        client.close()
    assert numbers == ["A001", "A002", "A003"]
    assert lookups == [token]  # the store was asked once; then the cache answered


def test_the_claim_finds_the_ticket_and_its_record_by_key(pg_store: CentralStore) -> None:
    token = admin.add_desk(pg_store, HALL, 1).token
    with pg_store.session() as s:
        cred = admin.authenticate(s, token)
        assert cred is not None
        rules = hall_rules(s, pg_store, HALL)
    for _ in range(300):
        shared_queue.issue(pg_store, cred, new_id(), "QY")
    sql = pg_call.call_sql(rules.policy, rules.windows[1], frozenset())
    now = utcnow()
    params = {
        "h": HALL,
        "w": 1,
        "rid": new_id(),
        "now": now.replace(tzinfo=None),
        "now_s": now.isoformat(),
        "qday": hall_day(now).isoformat(),
    }
    with pg_store.engine.connect() as conn:
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        cur = dbapi.cursor()
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cur.fetchall())
        conn.rollback()
    # The update of the ticket and of its feed record: index look-ups on the whole key, not
    # a scan of the hall's rows joined with the picked one.
    assert "Join Filter" not in plan
    assert "entity_id)::text = " in plan


def test_a_pooled_connection_in_use_is_not_pinged_and_an_idle_dead_one_is_replaced(
    pg_store: CentralStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = pg_store.engine
    pings: list[object] = []
    real_ping = engine.dialect.do_ping

    def do_ping(dbapi_conn: Any) -> bool:
        pings.append(dbapi_conn)
        return bool(real_ping(dbapi_conn))

    monkeypatch.setattr(engine.dialect, "do_ping", do_ping)
    for _ in range(5):
        with engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    assert pings == []

    # The server ends the pooled connection while it sits idle; the next use gets another.
    url = engine.url
    with psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname=url.database, autocommit=True
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))
    monkeypatch.setattr(central_store, "IDLE_PING_S", 0.0)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != pid
    assert pings
