"""The hall's shared queue on the central store, through HttpQueueBackend: one numbering,
each ticket called exactly once by 20 desks at once, a lost call-next reply, window actions,
and offline tickets of two desks merged without collision."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from app.bench.postgres import free_port
from app.central import admin, shared_queue
from app.central.errors import CentralError
from app.errors import UserError
from app.queue.http_backend import HttpQueueBackend
from app.sync.client import CentralClient
from db.central.models import Credential, SharedTicket
from db.central.store import CentralStore
from db.ids import new_id
from db.models.queue import Ticket
from tests.central.conftest import HALL, HALL_FILE, Desk, LiveServer
from tests.central.test_sync import LoseReplies

BIG_HALL = "220800-003"


def _cred(store: CentralStore, token: str) -> Credential:
    with store.session() as s:
        cred = admin.authenticate(s, token)
    assert cred is not None
    return cred


def _big_hall(store: CentralStore, tmp_path: Path, windows: int) -> None:
    data = json.loads(HALL_FILE.read_text(encoding="utf-8"))
    data["code"] = BIG_HALL
    codes = [ln["code"] for ln in data["lines"]]
    data["windows"] = [
        {"number": n, "name": f"窗口 {n}", "lines": codes} for n in range(1, windows + 1)
    ]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    admin.add_hall(store, path)


def test_twenty_desks_calling_at_once_call_every_ticket_exactly_once(
    server: LiveServer, store: CentralStore, tmp_path: Path
) -> None:
    _big_hall(store, tmp_path, 20)
    tokens = [admin.add_desk(store, BIG_HALL, n).token for n in range(1, 21)]
    issuer = _cred(store, tokens[0])
    issued = [shared_queue.issue(store, issuer, new_id(), "QY")["id"] for _ in range(60)]
    called: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(20)

    def desk(token: str) -> None:
        client = CentralClient(server.url, token, wait_max_s=0.05)
        barrier.wait()
        try:
            while True:
                reply = client.call_next(new_id())
                if reply["ticket"] is None:
                    return
                with lock:
                    called.append(reply["ticket"]["id"])
        finally:
            client.close()

    threads = [threading.Thread(target=desk, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(called) == sorted(issued)
    with store.session() as s:
        rows = s.scalars(select(SharedTicket).where(SharedTicket.hall_id == BIG_HALL)).all()
    assert {r.status for r in rows} == {"called"}


def test_numbers_run_per_line_and_a_retried_issue_returns_the_same_ticket(
    store: CentralStore,
) -> None:
    cred = _cred(store, admin.add_desk(store, HALL, 1).token)
    first = shared_queue.issue(store, cred, ticket := new_id(), "QY")
    assert first["number"] == "A001"
    assert shared_queue.issue(store, cred, ticket, "QY") == first
    assert shared_queue.issue(store, cred, new_id(), "QY")["number"] == "A002"
    assert shared_queue.issue(store, cred, new_id(), "BDC")["number"] == "B001"
    with pytest.raises(CentralError, match="没有业务类别"):
        shared_queue.issue(store, cred, new_id(), "NOPE")


def test_a_lost_call_next_reply_returns_the_same_ticket(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    desk = make_desk(1, transport=LoseReplies("/call-next"))
    queue = HttpQueueBackend(desk.database, desk.client)
    first = queue.issue_ticket(desk.ctx, "QY")
    second = queue.issue_ticket(desk.ctx, "QY")
    result = queue.call_next(desk.ctx, new_id())
    assert result.ticket is not None and result.ticket.id == first.id and result.replayed
    assert result.announcement is not None and first.number in result.announcement
    with store.session() as s:
        other = s.get(SharedTicket, (HALL, second.id))
        assert other is not None and other.status == "waiting"
    # The desk's own views read the mirrored ticket without the network.
    current = queue.current_ticket(1)
    assert current is not None and current.id == first.id


def test_window_actions_on_the_shared_queue(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    one, two = make_desk(1), make_desk(2)
    q1 = HttpQueueBackend(one.database, one.client)
    q2 = HttpQueueBackend(two.database, two.client)
    ticket = q1.issue_ticket(one.ctx, "QY")
    called = q1.call_next(one.ctx, new_id())
    assert called.ticket is not None and called.ticket.id == ticket.id
    assert q1.recall(one.ctx, ticket.id).ticket.call_count == 2  # type: ignore[union-attr]
    two.sync()  # the other desk sees the ticket, and may not serve it
    with pytest.raises(UserError, match="中心库未执行此操作"):  # the store's 409, one line
        q2.start_service(two.ctx, ticket.id)
    assert q1.start_service(one.ctx, ticket.id).status == "serving"
    assert q1.end_service(one.ctx, ticket.id).status == "done"


def test_offline_tickets_of_two_desks_merge_without_collision(
    make_desk: Callable[..., Desk], store: CentralStore, server: LiveServer
) -> None:
    one, two = make_desk(1), make_desk(2)
    dead = f"http://127.0.0.1:{free_port()}"
    numbers = []
    for desk in (one, two):
        online = desk.client
        desk.client = CentralClient(dead, desk.token, attempts=1)
        queue = HttpQueueBackend(desk.database, desk.client)
        numbers += [queue.issue_ticket(desk.ctx, "QY").number for _ in range(2)]
        assert not queue.online
        desk.client.close()
        desk.client = online
    assert numbers == ["A1-001", "A1-002", "A2-001", "A2-002"]
    one.sync()
    two.sync()
    one.sync()  # pulls the other desk's offline tickets
    board = shared_queue.waiting(store, HALL)
    assert sorted(t["number"] for t in board) == sorted(numbers)
    with one.database.read() as s:
        local = set(s.scalars(select(Ticket.number)))
    assert set(numbers) <= local
    # The shared numbering goes on in its own space, and the merged tickets can be called.
    q = HttpQueueBackend(one.database, one.client)
    assert q.issue_ticket(one.ctx, "QY").number == "A001"
    called = q.call_next(one.ctx, new_id())
    assert called.ticket is not None and called.ticket.number == "A1-001"


def test_displays_poll_the_board_and_need_a_token(server: LiveServer, store: CentralStore) -> None:
    manager = admin.add_manager(store, HALL).token
    url = f"{server.url}/v1/halls/{HALL}/queue"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers={"Authorization": f"Bearer {manager}"}).json() == []


def test_a_desk_with_a_central_store_and_token_uses_the_shared_queue(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    from app.queue.http_backend import shared_queue_for
    from app.sync.settings import remember_central

    desk = make_desk(1)
    assert shared_queue_for(desk.database) is None  # no address, no token: its own queue
    remember_central(desk.database, desk.client.url, desk.token)
    queue = shared_queue_for(desk.database)
    assert isinstance(queue, HttpQueueBackend)
    try:
        ticket = queue.issue_ticket(desk.ctx, "QY")
    finally:
        queue.close()
    with store.session() as s:
        assert s.get(SharedTicket, (HALL, ticket.id)) is not None
