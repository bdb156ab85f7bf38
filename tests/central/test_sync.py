"""Desks syncing with a real central store (uvicorn on a free port), on SQLite and on
PostgreSQL, through the faults of the issue: nothing lost, nothing applied twice."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from app.bench.postgres import free_port
from app.central import feed, push
from app.central.admin import authenticate
from app.central.tokens import split_token
from app.sync import engine
from app.sync.client import CentralClient, CentralUnreachable
from db.base import utcnow
from db.central.models import AppliedOp, Credential, Record
from db.central.store import CentralStore
from db.models.queue import Ticket
from db.models.sync import Event, Outbox, RejectedOperation, SyncState
from tests.central.conftest import HALL, Desk

MakeDesk = Callable[..., Desk]
#: The event a desk records applying the hall configuration it pulls: a link of its audit chain,
#: pushed at the end of the round (app/sync/engine.sync_once).
PULLED_CONFIG = 1


def _count(store: CentralStore, entity: str) -> int:
    with store.session() as s:
        return int(
            s.scalar(select(func.count()).where(Record.hall_id == HALL, Record.entity == entity))
            or 0
        )


def _applied(store: CentralStore) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(AppliedOp)) or 0)


class LoseReplies(httpx.HTTPTransport):
    """Forwards each request; the reply of the first `lose` requests to `path` is lost after
    the server has answered (it committed)."""

    def __init__(self, path: str, lose: int = 1) -> None:
        super().__init__()
        self.path, self.lose = path, lose

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        response.read()
        if self.path in request.url.path and self.lose > 0:
            self.lose -= 1
            raise httpx.ReadError("the reply was lost", request=request)
        return response


def test_push_then_another_desk_pulls_the_tickets(make_desk: MakeDesk, store: CentralStore) -> None:
    one, two = make_desk(1), make_desk(2)
    ids = one.issue(3)
    with one.database.read() as s:
        events = s.scalar(select(func.count()).select_from(Event))
    report = one.sync()
    assert report.pushed == one_ops(events) and report.rejected == 0  # type: ignore[attr-defined]
    assert one.outbox() == 0
    with one.database.read() as s:  # the event log stays (plus the pulled configuration's)
        assert (s.scalar(select(func.count()).select_from(Event)) or 0) >= one_ops(events)
    assert _count(store, "ticket") == 3
    two.sync()
    with two.database.read() as s:
        pulled = set(s.scalars(select(Ticket.id)))
    assert set(ids) <= pulled


def one_ops(events: int | None) -> int:
    return int(events or 0)


def test_lost_push_reply_the_retry_creates_nothing(
    make_desk: MakeDesk, store: CentralStore
) -> None:
    desk = make_desk(1, transport=LoseReplies("/push"))
    desk.issue(4)
    ops = desk.outbox()
    report = desk.sync()
    assert report.duplicates == ops and report.pushed == 0  # type: ignore[attr-defined]
    assert desk.outbox() == 0
    assert _applied(store) == ops + PULLED_CONFIG
    assert _count(store, "ticket") == 4


def test_connection_refused_keeps_the_outbox(make_desk: MakeDesk) -> None:
    desk = make_desk(1, url=f"http://127.0.0.1:{free_port()}")
    desk.issue(2)
    before = desk.outbox()
    with pytest.raises(CentralUnreachable):
        desk.sync()
    assert desk.outbox() == before
    with desk.database.read() as s:
        state = s.get(SyncState, 1)
        assert state is not None and state.last_sync_error


def test_a_500_mid_batch_applies_nothing_then_the_retry_applies_each_once(
    make_desk: MakeDesk, store: CentralStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = make_desk(1)
    desk.issue(5)
    ops = desk.outbox()
    real = push._effect
    calls = {"n": 0}

    def failing(*args: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("the server fell over mid-batch")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(push, "_effect", failing)
    report = desk.sync()
    assert report.pushed == ops and report.duplicates == 0  # type: ignore[attr-defined]
    assert _applied(store) == ops + PULLED_CONFIG and desk.outbox() == 0


def test_crash_after_the_reply_before_the_outbox_is_cleared(
    make_desk: MakeDesk, store: CentralStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = make_desk(1)
    desk.issue(3)
    ops = desk.outbox()

    def crash(*_args: object, **_kw: object) -> None:
        raise SystemError("the desk lost power")

    with monkeypatch.context() as m:
        m.setattr(engine, "_settle", crash)
        with pytest.raises(SystemError):
            desk.sync()
    assert desk.outbox() == ops  # nothing cleared
    report = desk.sync()
    assert report.duplicates == ops and report.pushed == 0  # type: ignore[attr-defined]
    assert desk.outbox() == 0 and _applied(store) == ops + PULLED_CONFIG


def test_crash_mid_pull_applies_nothing_and_the_next_pull_everything(
    make_desk: MakeDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = make_desk(1), make_desk(2)
    ids = one.issue(3)
    one.sync()
    real = engine._apply_page

    def crash(s: object, reply: object, received: object) -> object:
        real(s, reply, received)  # type: ignore[arg-type]
        raise SystemError("the desk lost power mid-pull")

    with monkeypatch.context() as m:
        m.setattr(engine, "_apply_page", crash)
        with pytest.raises(SystemError):
            two.sync()
    with two.database.read() as s:
        assert s.scalar(select(func.count()).where(Ticket.id.in_(ids))) == 0
        state = s.get(SyncState, 1)
        assert state is not None and state.pull_cursor is None
    two.sync()
    with two.database.read() as s:
        assert s.scalar(select(func.count()).where(Ticket.id.in_(ids))) == 3


def test_same_id_with_another_payload_is_rejected_and_blocks_nothing(
    make_desk: MakeDesk, store: CentralStore
) -> None:
    one, two = make_desk(1), make_desk(2)
    one.issue(1)
    one.sync()
    with store.session() as s:
        some = s.scalar(select(AppliedOp.op_id).where(AppliedOp.window_number == 1).limit(1))
    assert some is not None
    cred = _desk_cred(store, two.token)
    forged = {"op_id": some, "event": {"id": some, "entity": "ticket", "entity_id": "y"}}
    result = push.apply_batch(store, cred, [forged])
    assert result[0]["result"] == "rejected" and "different" in result[0]["reason"]
    # A desk carries an applied id with another event (a restored copy of another desk...):
    # it is refused, kept on the desk, and the desk's other operations go through.
    with two.database.write() as s:
        s.add(Event(id=some, at=utcnow(), entity="ticket", entity_id="y", kind="forged", data={}))
        s.flush()
        s.add(Outbox(op_id=some))
    two.issue(2)
    report = two.sync()
    assert report.rejected == 1 and report.pushed >= 2  # type: ignore[attr-defined]
    assert two.outbox() == 0
    with two.database.read() as s:
        kept = s.get(RejectedOperation, some)
        assert kept is not None and "different" in kept.reason
        assert s.get(Event, some) is not None


def _desk_cred(store: CentralStore, token: str) -> Credential:
    with store.session() as s:
        cred = authenticate(s, token)
    assert cred is not None and split_token(token) is not None
    return cred


def test_same_id_twice_at_once_is_applied_once(make_desk: MakeDesk, store: CentralStore) -> None:
    desk = make_desk(1)
    cred = _desk_cred(store, desk.token)
    op = {
        "op_id": "01JDUPLICATEDUPLICATEDUP00",
        "event": {"id": "01JDUPLICATEDUPLICATEDUP00", "entity": "case", "entity_id": "c1"},
        "state": {"id": "c1"},
    }
    results: list[str] = []
    barrier = threading.Barrier(4)

    def go() -> None:
        barrier.wait()
        results.append(push.apply_batch(store, cred, [op])[0]["result"])

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["applied", "duplicate", "duplicate", "duplicate"]
    assert _count(store, "case") == 1


def test_page_boundary_inside_one_transaction(store: CentralStore) -> None:
    with store.write() as s:
        feed.put_records(
            s, store, HALL, [("ticket", f"t{i}", {"id": f"t{i}"}, "d", 1) for i in range(7)]
        )
    seen: list[str] = []
    cursor = None
    while True:
        with store.session() as s, s.begin():
            page = feed.pull(s, store, HALL, cursor, 2, entities=("ticket",))
        seen += [c["entity_id"] for c in page.changes]
        cursor = page.cursor
        if not page.more:
            break
    assert seen == [f"t{i}" for i in range(7)]


def test_out_of_order_commits_are_never_skipped(store: CentralStore) -> None:
    if not store.is_postgres:
        pytest.skip("SQLite serialises writers: commits cannot land out of order")
    early = store.session()
    early.begin()
    feed.put_records(early, store, HALL, [("ticket", "early", {"id": "early"}, "d", 1)])
    with store.write() as late:  # begins after, takes a higher seq and txid, commits first
        feed.put_records(late, store, HALL, [("ticket", "late", {"id": "late"}, "d", 2)])
    with store.session() as s, s.begin():
        first = feed.pull(s, store, HALL, None, 100, entities=("ticket",))
    # The late row is held back while the early transaction is open...
    assert [c["entity_id"] for c in first.changes] == []
    early.commit()
    early.close()
    with store.session() as s, s.begin():
        second = feed.pull(s, store, HALL, first.cursor, 100, entities=("ticket",))
    # ...so nothing is skipped once it commits.
    assert [c["entity_id"] for c in second.changes] == ["early", "late"]


def test_a_desk_clock_off_by_an_hour_is_told_and_orders_nothing(
    make_desk: MakeDesk, store: CentralStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = make_desk(1)
    desk.issue(1)
    monkeypatch.setattr(engine, "utcnow", lambda: utcnow() + timedelta(hours=1))
    report = desk.sync()
    assert report.clock_warning  # type: ignore[attr-defined]
    assert report.clock_offset_s == pytest.approx(-3600, abs=60)  # type: ignore[attr-defined]
    with store.session() as s:
        stamped = s.scalar(select(func.max(Record.updated_at)).where(Record.hall_id == HALL))
    assert stamped is not None and abs((stamped - utcnow()).total_seconds()) < 600
    with desk.database.read() as s:
        state = s.get(SyncState, 1)
        assert state is not None and state.clock_offset_s == pytest.approx(-3600, abs=60)


def test_unreachable_client_retries_then_gives_up() -> None:
    client = CentralClient(
        f"http://127.0.0.1:{free_port()}", f"{HALL}.x", attempts=2, wait_max_s=0.01
    )
    with pytest.raises(CentralUnreachable):
        client.pull(None, 10, "d")
    client.close()


def test_collect_operations_builds_what_pending_operations_builds(make_desk: MakeDesk) -> None:
    from app.services.changes import pending_operations

    desk = make_desk(1)
    desk.issue(5)
    with desk.database.read() as s:
        assert engine.collect_operations(s, 100) == pending_operations(s, 100)
        assert engine.collect_operations(s, 3) == pending_operations(s, 3)
