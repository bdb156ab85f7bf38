"""Tickets issued through the store carry what the queue needs: the kind and priority group
(elderly, …) and the appointment's own numbering (Y001 for the hall, as on a desk); the ID
number a ticket was taken with stays on the issuing machine, which keeps the rule of one
place per line and day (app.central.shared_queue.issue, app.queue.http_actions)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from app.errors import UserError
from app.queue.http_backend import HttpQueueBackend
from db.central.models import Record
from db.central.store import CentralStore
from db.ids import new_id
from db.models.queue import Ticket
from tests.central.conftest import HALL, Desk

ID_NUMBER = "110101194001011234"


def _state(store: CentralStore, ticket_id: str) -> dict[str, object]:
    with store.session() as s:
        state = s.scalar(
            select(Record.state).where(Record.entity == "ticket", Record.entity_id == ticket_id)
        )
    assert isinstance(state, dict)
    return state


def test_priority_and_appointments_reach_the_store_and_the_id_number_stays_here(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    one, two = make_desk(1), make_desk(2)
    q1, q2 = HttpQueueBackend(one.database, one.client), HttpQueueBackend(two.database, two.client)
    normal = q1.issue_ticket(one.ctx, "QY")
    elderly = q1.issue_ticket(one.ctx, "QY", "priority", "elderly", ID_NUMBER)
    assert (normal.number, elderly.number) == ("A001", "A002")
    assert not elderly.offline and q1.online
    state = _state(store, elderly.id)
    assert (state["kind"], state["priority_group"], state["id_number"]) == (
        "priority",
        "elderly",
        None,
    )
    with store.session() as s:
        assert not [
            r
            for r in s.scalars(select(Record.state).where(Record.hall_id == HALL))
            if ID_NUMBER in str(r)
        ]
    with one.database.read() as s:
        assert s.get(Ticket, elderly.id).id_number == ID_NUMBER  # type: ignore[union-attr]
    with pytest.raises(UserError, match="重复取号"):  # one place per line and day
        q1.issue_ticket(one.ctx, "QY", "priority", "elderly", ID_NUMBER)
    with pytest.raises(UserError):
        q1.issue_ticket(one.ctx, "QY", "normal", "elderly")
    # Appointments: Y, one sequence for the hall's day across lines.
    first = q1.issue_ticket(one.ctx, "QY", "appointment")
    second = q2.issue_ticket(two.ctx, "BDC", "appointment")
    assert (first.number, second.number) == ("Y001", "Y002")
    assert _state(store, second.id)["kind"] == "appointment"
    # Window 2 calls the priority ticket (with its group), then the appointment, first.
    called = q2.call_next(two.ctx, new_id()).ticket
    assert called is not None and called.id == elderly.id
    assert called.priority_group == "elderly" and called.id_number is None
    called_next = q2.call_next(two.ctx, new_id()).ticket
    assert called_next is not None and called_next.id == first.id
    # Desk 1 pulls the called ticket: its own ID number stays (the rule still holds).
    one.sync()
    with one.database.read() as s:
        mine = s.get(Ticket, elderly.id)
        assert mine is not None and mine.status == "called" and mine.id_number == ID_NUMBER
    with pytest.raises(UserError, match="重复取号"):
        q1.issue_ticket(one.ctx, "QY", "priority", "elderly", ID_NUMBER)


def test_a_transferred_ticket_keeps_its_number_and_its_line_numbers_on(
    make_desk: Callable[..., Desk], store: CentralStore
) -> None:
    one = make_desk(1)
    q1 = HttpQueueBackend(one.database, one.client)
    first = q1.issue_ticket(one.ctx, "QY")
    assert q1.call_next(one.ctx, new_id()).ticket.id == first.id  # type: ignore[union-attr]
    q1.transfer(one.ctx, first.id, to_line="BDC")
    after = q1.issue_ticket(one.ctx, "QY")
    assert (first.number, after.number) == ("A001", "A002")
    assert q1.issue_ticket(one.ctx, "BDC").number == "B001"
