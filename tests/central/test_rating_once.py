"""A rating the store committed while every reply was lost: the desk records it locally under
the same id it asked the store with, so its later push updates that one rating record instead
of adding a second for the ticket (app.queue.http_backend.record_evaluation)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.central.mirror import catch_up
from app.queue.http_backend import HttpQueueBackend
from db.central.models import MirrorEvaluation, Record, SharedTicket
from db.central.store import CentralStore
from db.models.queue import Evaluation
from tests.central.conftest import HALL, Desk
from tests.central.test_queue_actions import _served
from tests.central.test_sync import LoseReplies


def test_a_rating_whose_every_reply_is_lost_is_one_record_on_the_store(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    lost = LoseReplies("/queue/ratings", lose=100)
    one = make_desk(1, transport=lost)
    queue = HttpQueueBackend(one.database, one.client)
    ticket = _served(one, queue)
    queue.record_evaluation(one.ctx, ticket, 2, "等太久")
    assert lost.lose < 100 and not queue.online  # the store committed; the desk never heard
    with store.session() as s:
        row = s.get(SharedTicket, (HALL, ticket))
        assert row is not None and row.rating == 2
    with one.database.read() as s:
        local = s.scalars(select(Evaluation).where(Evaluation.ticket_id == ticket)).one()
    one.sync()  # the local rating is pushed
    with store.session() as s:
        ratings = [
            (key, state)
            for key, state in s.execute(
                select(Record.entity_id, Record.state).where(
                    Record.hall_id == HALL, Record.entity == "evaluation"
                )
            )
            if state and state.get("ticket_id") == ticket
        ]
    assert [key for key, _state in ratings] == [local.id]
    assert ratings[0][1]["rating"] == 2
    catch_up(store, HALL)
    with store.session() as s:
        mirrored = s.scalars(select(MirrorEvaluation).where(MirrorEvaluation.ticket_id == ticket))
        assert [m.id for m in mirrored] == [local.id]
