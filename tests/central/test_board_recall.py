"""The hall's board on the store shows a recall as the latest call it is, however many tickets
were first called after the recalled one (app.central.board, shared_ticket.recalled_at)."""

from __future__ import annotations

from collections.abc import Callable

from app.bench.postgres import free_port
from app.central import admin, shared_queue
from app.central.board import CALL_WINDOW, board
from app.queue.http_backend import HttpQueueBackend
from app.sync.client import CentralClient
from db.central.store import CentralStore
from db.ids import new_id
from tests.central.conftest import HALL, Desk
from tests.central.test_shared_queue import _cred


def test_a_recall_of_an_early_ticket_after_sixty_calls_is_the_latest_call(
    store: CentralStore,
) -> None:
    one = _cred(store, admin.add_desk(store, HALL, 1).token)
    two = _cred(store, admin.add_desk(store, HALL, 2).token)
    issued = [shared_queue.issue(store, one, new_id(), "QY") for _ in range(61)]
    early, _replayed = shared_queue.call_next(store, two, new_id())  # window 2 keeps it
    assert early is not None and early["id"] == issued[0]["id"]
    for _ in range(60):
        ticket, _replayed = shared_queue.call_next(store, one, new_id())
        assert ticket is not None
        shared_queue.act(store, one, ticket["id"], "end")
    assert CALL_WINDOW < 60
    before = board(store, HALL, history=8)["calls"]
    assert early["id"] not in [c["ticket_id"] for c in before]
    shared_queue.act(store, two, early["id"], "recall")
    calls = board(store, HALL, history=8)["calls"]
    assert len(calls) == 8
    newest = calls[0]
    assert (newest["ticket_id"], newest["number"], newest["window_number"]) == (
        early["id"],
        "A001",
        2,
    )
    assert newest["call_count"] == 2
    assert [c["ticket_id"] for c in calls[1:]] == [c["ticket_id"] for c in before[:7]]


def test_a_recall_made_offline_is_the_latest_call_once_pushed(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    one = make_desk(1)
    two = _cred(store, admin.add_desk(store, HALL, 2).token)
    q1 = HttpQueueBackend(one.database, one.client)
    early = q1.issue_ticket(one.ctx, "QY")
    assert q1.call_next(one.ctx, new_id()).ticket.id == early.id  # type: ignore[union-attr]
    for _ in range(CALL_WINDOW + 5):  # window 2 calls more than the board's window after it
        shared_queue.issue(store, two, new_id(), "QY")
        ticket, _replayed = shared_queue.call_next(store, two, new_id())
        assert ticket is not None
        shared_queue.act(store, two, ticket["id"], "end")
    unreachable = CentralClient(f"http://127.0.0.1:{free_port()}", one.token, attempts=1)
    HttpQueueBackend(one.database, unreachable).recall(one.ctx, early.id)  # the local queue
    assert early.id not in [c["ticket_id"] for c in board(store, HALL)["calls"]]
    one.sync()
    newest = board(store, HALL)["calls"][0]
    assert (newest["ticket_id"], newest["call_count"]) == (early.id, 2)
