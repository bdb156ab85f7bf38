"""Every window action through the hall's shared queue (app.central.queue_actions): transfer,
pause and resume, ratings and the day's end reach the store at once (another desk sees them
without a sync), each acts once when its reply is lost and retried, and each falls back to
the local queue while the store cannot be reached, merged by the next push."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from app.bench.postgres import free_port
from app.central import queue_actions, shared_queue
from app.central.errors import CentralError
from app.errors import UserError
from app.queue.http_backend import HttpQueueBackend
from app.services.changes import DeskContext
from app.sync.client import CentralClient
from db.central.models import Record, SharedAction, SharedTicket
from db.central.store import CentralStore
from db.ids import new_id
from db.models.hall import Window
from db.models.queue import Evaluation, Ticket
from tests.central.conftest import HALL, Desk
from tests.central.test_shared_queue import _cred
from tests.central.test_sync import LoseReplies

MANAGER = "BC0201"


def _shared(store: CentralStore, ticket_id: str) -> SharedTicket:
    with store.session() as s:
        row = s.get(SharedTicket, (HALL, ticket_id))
        assert row is not None
        s.expunge(row)
        return row


def _record(store: CentralStore, entity: str, key: str) -> dict[str, object] | None:
    with store.session() as s:
        state = s.scalar(
            select(Record.state).where(
                Record.hall_id == HALL, Record.entity == entity, Record.entity_id == key
            )
        )
    return dict(state) if state else None


def _actions(store: CentralStore) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(SharedAction)) or 0)


def _queue(desk: Desk) -> HttpQueueBackend:
    return HttpQueueBackend(desk.database, desk.client)


def _offline(desk: Desk) -> HttpQueueBackend:
    """The desk's shared queue with the store unreachable."""
    return HttpQueueBackend(
        desk.database, CentralClient(f"http://127.0.0.1:{free_port()}", desk.token, attempts=1)
    )


def test_a_transfer_reaches_the_store_at_once_and_a_lost_reply_transfers_once(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    one = make_desk(1, transport=LoseReplies("/queue/transfer"))
    two = make_desk(2)
    q1, q2 = _queue(one), _queue(two)
    first, second = q1.issue_ticket(one.ctx, "QY"), q1.issue_ticket(one.ctx, "QY")
    assert q1.call_next(one.ctx, new_id()).ticket.id == first.id  # type: ignore[union-attr]
    outbox = one.outbox()
    moved = q1.transfer(one.ctx, first.id, to_window=2)  # its reply lost, retried
    assert moved.status == "waiting" and moved.target_window == 2
    assert one.outbox() == outbox  # mirrored, not queued for a push
    row = _shared(store, first.id)
    assert (row.status, row.window_number, row.target_window) == ("waiting", None, 2)
    assert _actions(store) == 1
    # Window 1 may not call it back; window 2 calls it first (no sync in between).
    assert q1.call_next(one.ctx, new_id()).ticket.id == second.id  # type: ignore[union-attr]
    called = q2.call_next(two.ctx, new_id()).ticket
    assert called is not None and called.id == first.id and called.window_number == 2


def test_a_transfer_to_another_line_and_the_stores_refusals(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    one = make_desk(1)
    q1 = _queue(one)
    ticket = q1.issue_ticket(one.ctx, "QY")
    q1.call_next(one.ctx, new_id())
    cred = _cred(store, one.token)
    with pytest.raises(CentralError, match="业务类别 QY"):
        queue_actions.transfer(store, cred, new_id(), ticket.id, to_line="QY")
    with pytest.raises(CentralError, match="不能转给本窗口"):
        queue_actions.transfer(store, cred, new_id(), ticket.id, to_window=1)
    with pytest.raises(CentralError, match="没有业务类别"):
        queue_actions.transfer(store, cred, new_id(), ticket.id, to_line="NOPE")
    assert _actions(store) == 0  # a refusal records nothing
    moved = q1.transfer(one.ctx, ticket.id, to_line="BDC")
    assert (moved.line_code, moved.transferred_from_line) == ("BDC", "QY")
    assert _shared(store, ticket.id).line_code == "BDC"
    with pytest.raises(UserError, match="中心库未执行此操作：A001 号当前状态为 waiting"):
        q1.transfer(one.ctx, ticket.id, to_window=2)


def test_the_same_request_id_for_another_action_is_refused(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    one = make_desk(1)
    cred = _cred(store, one.token)
    request = new_id()
    assert queue_actions.set_paused(store, cred, request, True)["paused"] is True
    assert queue_actions.set_paused(store, cred, request, True)["paused"] is True  # a retry
    with pytest.raises(CentralError, match="已用于另一操作"):
        queue_actions.set_paused(store, cred, request, False)


def test_pause_and_resume_reach_the_store(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    one = make_desk(1, transport=LoseReplies("/queue/window"))
    q1 = _queue(one)
    outbox = one.outbox()
    assert q1.pause_window(one.ctx).paused
    assert _record(store, "window", "1") == {"number": 1, "name": "综合窗口 1", "paused": True}
    with one.database.read() as s:
        assert s.get(Window, 1).paused  # type: ignore[union-attr]
    assert one.outbox() == outbox
    with pytest.raises(UserError):
        q1.pause_window(one.ctx)
    q1.issue_ticket(one.ctx, "QY")
    with pytest.raises(UserError, match="已暂停"):  # a paused window calls nobody
        q1.call_next(one.ctx, new_id())
    assert not q1.resume_window(one.ctx).paused
    assert q1.call_next(one.ctx, new_id()).ticket is not None
    assert _record(store, "window", "1")["paused"] is False  # type: ignore[index]


def _served(desk: Desk, queue: HttpQueueBackend) -> str:
    ticket = queue.issue_ticket(desk.ctx, "QY")
    queue.call_next(desk.ctx, new_id())
    queue.start_service(desk.ctx, ticket.id)
    queue.end_service(desk.ctx, ticket.id)
    return ticket.id


def test_a_rating_reaches_the_store_once_when_its_reply_is_lost(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    one = make_desk(1, transport=LoseReplies("/queue/ratings"))
    q1 = _queue(one)
    ticket = _served(one, q1)
    q1.record_evaluation(one.ctx, ticket, 2, "  等太久  ")
    assert _shared(store, ticket).rating == 2
    with one.database.read() as s:
        local = s.scalars(select(Evaluation).where(Evaluation.ticket_id == ticket)).one()
    state = _record(store, "evaluation", local.id)
    assert state is not None and state["rating"] == 2 and state["follow_up_needed"] is True
    assert (local.comment, local.window_number) == ("等太久", 1)
    with pytest.raises(UserError):  # the desk's own check
        q1.record_evaluation(one.ctx, ticket, 5)
    with pytest.raises(CentralError, match="已评价过"):  # another desk's, on the store
        queue_actions.rate(store, _cred(store, one.token), new_id(), ticket, new_id(), 5)


def test_the_day_end_closes_every_desks_tickets_once_and_this_desks_offline_ones(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    one = make_desk(1, transport=LoseReplies("/queue/close-day"))
    two = make_desk(2)
    q1, q2 = _queue(one), _queue(two)
    in_service = q2.issue_ticket(two.ctx, "QY")  # another desk's, never synced to desk 1
    waiting = q2.issue_ticket(two.ctx, "QY")
    q2.call_next(two.ctx, new_id())
    q2.start_service(two.ctx, in_service.id)  # window 2 serves the first
    offline = _offline(one).issue_ticket(one.ctx, "QY")  # desk 1's, not pushed yet
    assert offline.number == "A1-001"
    with pytest.raises(UserError):  # a clerk may not end the hall's day
        q1.close_day(one.ctx, "下班")
    manager = DeskContext(1, MANAGER)
    with pytest.raises(UserError):
        q1.close_day(manager, "  ")
    assert q1.close_day(manager, "下班") == 2  # the store's one, and the offline one
    assert _shared(store, waiting.id).status == "closed"
    assert _shared(store, in_service.id).status == "serving"  # window 2's service goes on
    assert _record(store, "ticket", waiting.id)["close_reason"] == "下班"  # type: ignore[index]
    assert _actions(store) == 1
    with one.database.read() as s:
        assert s.get(Ticket, waiting.id).status == "closed"  # type: ignore[union-attr]
        assert s.get(Ticket, offline.id).status == "closed"  # type: ignore[union-attr]
    one.sync()  # the offline ticket's close merges; nothing else changes
    assert _shared(store, offline.id).status == "closed"
    assert _shared(store, in_service.id).status == "serving"


def test_offline_window_actions_are_pushed_and_merged_into_the_shared_queue(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    one, two = make_desk(1), make_desk(2)
    q1, q2 = _queue(one), _queue(two)
    ticket = q1.issue_ticket(one.ctx, "QY")
    q1.call_next(one.ctx, new_id())
    down = _offline(one)
    moved = down.transfer(one.ctx, ticket.id, to_window=2)  # the store cannot be reached
    assert not down.online and moved.target_window == 2
    assert down.pause_window(one.ctx).paused
    assert _shared(store, ticket.id).status == "called"  # not yet known to the store
    one.sync()
    row = _shared(store, ticket.id)
    assert (row.status, row.window_number, row.target_window) == ("waiting", None, 2)
    assert _record(store, "window", "1")["paused"] is True  # type: ignore[index]
    called = q2.call_next(two.ctx, new_id()).ticket
    assert called is not None and called.id == ticket.id
    # A rating made offline merges too: the store then refuses a second one.
    q2.start_service(two.ctx, ticket.id)
    q2.end_service(two.ctx, ticket.id)
    _offline(two).record_evaluation(two.ctx, ticket.id, 4)
    two.sync()
    assert _shared(store, ticket.id).rating == 4
    assert shared_queue.waiting(store, HALL) == []


def test_two_requests_with_one_id_at_once_transfer_once(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    import threading

    one = make_desk(1)
    q1 = _queue(one)
    ticket = q1.issue_ticket(one.ctx, "QY")
    q1.call_next(one.ctx, new_id())
    cred, request = _cred(store, one.token), new_id()
    barrier = threading.Barrier(2)
    answers: list[object] = []

    def send() -> None:
        barrier.wait()
        try:
            answers.append(queue_actions.transfer(store, cred, request, ticket.id, to_window=2))
        except CentralError as exc:  # a twin refused instead of answered: the test fails
            answers.append(exc)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == 2 and answers[0] == answers[1] and isinstance(answers[0], dict)
    assert _actions(store) == 1
    assert _shared(store, ticket.id).target_window == 2


def test_a_pushed_state_with_odd_values_merges_only_what_reads_right(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    from app.central import push

    one = make_desk(1)
    q1 = _queue(one)
    ticket = q1.issue_ticket(one.ctx, "QY")
    q1.call_next(one.ctx, new_id())
    op = new_id()
    state = {
        "id": ticket.id,
        "status": "serving",
        "window_number": 10**20,  # no window number: left out, not a failed batch
        "target_window": True,
        "line_code": "X" * 99,
        "ended_at": "not a time",
    }
    event = {"id": op, "entity": "ticket", "entity_id": ticket.id, "kind": "ticket.odd"}
    results = push.apply_batch(
        store, _cred(store, one.token), [{"op_id": op, "event": event, "state": state}]
    )
    assert results == [{"op_id": op, "result": "applied"}]
    row = _shared(store, ticket.id)
    assert (row.status, row.window_number, row.target_window) == ("serving", None, None)
    assert (row.line_code, row.ended_at) == ("QY", None)
