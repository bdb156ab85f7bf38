"""A kiosk on another machine keeps issuing while the central store is unreachable: in its own
offline number space ("AK1-001", given with its token by `central add-display --kiosk N`),
printed and shown on this machine's screens; when the store answers again its tickets join
the shared queue without colliding with the store's or any window's, and every window calls
them (app.queue.kiosk_offline, app.central.kiosk_merge). SQLite and PostgreSQL stores."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.central import admin
from app.central.errors import CentralError
from app.errors import UserError
from app.queue.following import FollowingQueue, following_queue_for
from app.queue.http_backend import HttpQueueBackend
from app.queue.kiosk_offline import kiosk_of_token
from app.services.changes import DeskContext
from app.sync.client import CentralClient
from db.central.models import Record, SharedTicket
from db.central.store import CentralStore
from db.engine import Database
from db.ids import new_id
from db.models.sync import Outbox, RejectedOperation
from tests.central.conftest import HALL, Desk, LiveServer, dead_url

KIOSK = DeskContext(None, None)


def _shared(store: CentralStore) -> dict[str, SharedTicket]:
    with store.session() as s:
        return {
            t.number: t for t in s.scalars(select(SharedTicket).where(SharedTicket.hall_id == HALL))
        }


def _outbox_tickets(database: Database) -> int:
    from db.models.sync import Event

    with database.read() as s:
        return len(
            s.execute(
                select(Outbox.op_id)
                .join(Event, Event.id == Outbox.op_id)
                .where(Event.entity == "ticket")
            ).all()
        )


def test_a_kiosk_issues_offline_and_its_tickets_join_the_shared_queue(
    make_desk: Callable[..., Desk],
    store: CentralStore,
    server: LiveServer,
    machine: Callable[[str, str], Database],
) -> None:
    token = admin.add_display(store, HALL, kiosk=1).token
    assert kiosk_of_token(token) == 1
    with pytest.raises(CentralError, match="1 号取号机已有凭据"):
        admin.add_display(store, HALL, kiosk=1)

    # The store is unreachable for the kiosk and for window 1: both issue offline.
    database = machine(dead_url(), token)
    kiosk = following_queue_for(database)
    assert kiosk is not None and kiosk.kiosk == 1
    one = make_desk(1)
    dead_desk = HttpQueueBackend(one.database, CentralClient(dead_url(), one.token, attempts=1))
    try:
        first = kiosk.issue_ticket(KIOSK, "QY")
        appointment = kiosk.issue_ticket(KIOSK, "QY", "appointment")
        elderly = kiosk.issue_ticket(KIOSK, "QY", "priority", "elderly", "110101194001011234")
        assert (first.number, appointment.number, elderly.number) == (
            "AK1-001",
            "YK1-001",
            "AK1-002",
        )
        assert first.offline and not kiosk.online
        # This machine's screens see them (the store is not there to ask).
        _name, _calls, counts = kiosk.board()
        assert not kiosk.online
        assert {w.line_code: w.waiting for w in counts.lines}["QY"] == 3
        window_ticket = dead_desk.issue_ticket(one.ctx, "QY")
        assert window_ticket.number == "A1-001" and window_ticket.offline
    finally:
        kiosk.close()
        dead_desk.close()
    assert _outbox_tickets(database) == 3

    # The store answers again: the kiosk's next poll sends its tickets.
    back = FollowingQueue(database, CentralClient(server.url, token, attempts=1), kiosk=1)
    try:
        back.board()
        assert back.online
        assert _outbox_tickets(database) == 0
        online = back.issue_ticket(KIOSK, "QY")
        assert online.number == "A001" and not online.offline
    finally:
        back.close()
    one.sync()  # window 1's offline ticket is pushed as well
    shared = _shared(store)
    assert set(shared) == {"AK1-001", "YK1-001", "AK1-002", "A1-001", "A001"}
    assert shared["AK1-002"].kind == "priority" and shared["YK1-001"].kind == "appointment"
    with store.session() as s:
        state = s.scalar(
            select(Record.state).where(Record.entity == "ticket", Record.entity_id == elderly.id)
        )
    assert state is not None
    assert state["priority_group"] == "elderly" and state["id_number"] is None
    assert "110101194001011234" not in str(state)

    # Window 2 calls them from the shared queue and serves them through the store.
    two = make_desk(2)
    q2 = HttpQueueBackend(two.database, two.client)
    called = []
    for _ in range(5):
        result = q2.call_next(two.ctx, new_id())
        assert result.ticket is not None
        called.append(result.ticket.number)
        q2.start_service(two.ctx, result.ticket.id)
        q2.end_service(two.ctx, result.ticket.id)
    assert q2.call_next(two.ctx, new_id()).ticket is None
    assert sorted(called) == sorted(shared)
    assert called[:2] == ["YK1-001", "AK1-002"]  # priority_first: appointment, priority
    assert {t.status for t in _shared(store).values()} == {"done"}


def test_a_kiosks_resent_tickets_are_duplicates_and_another_space_is_refused(
    store: CentralStore, server: LiveServer, machine: Callable[[str, str], Database]
) -> None:
    token = admin.add_display(store, HALL, kiosk=2).token
    database = machine(dead_url(), token)
    kiosk = following_queue_for(database)
    assert kiosk is not None
    try:
        ticket = kiosk.issue_ticket(KIOSK, "BDC")
    finally:
        kiosk.close()
    assert ticket.number == "BK2-001"
    from app.queue.kiosk_offline import pending
    from app.services.changes import device_id

    with database.session.begin() as s:
        states, _ops = pending(s, device_id(s))
    client = CentralClient(server.url, token, attempts=1)
    try:
        assert [r["result"] for r in client.offline_tickets(states, "0" * 26)["results"]] == [
            "applied"
        ]
        # The reply was lost: the same tickets again change nothing.
        assert [r["result"] for r in client.offline_tickets(states, "0" * 26)["results"]] == [
            "duplicate"
        ]
        forged = dict(states[0], id=new_id(), number="BK3-001")
        window_space = dict(states[0], id=new_id(), number="B2-001")
        wrong_line = dict(states[0], id=new_id(), number="AK2-009", seq=9)
        results = client.offline_tickets([forged, window_space, wrong_line], "0" * 26)["results"]
        assert [r["result"] for r in results] == ["rejected"] * 3
        assert "kiosk 2" in results[0]["reason"]
    finally:
        client.close()
    assert set(_shared(store)) == {"BK2-001"}
    # The kiosk settles its outbox from the store's answer at its next poll (duplicate).
    back = FollowingQueue(database, CentralClient(server.url, token, attempts=1), kiosk=2)
    try:
        back.board()
    finally:
        back.close()
    assert _outbox_tickets(database) == 0
    with database.read() as s:
        assert s.scalars(select(RejectedOperation)).first() is None


def test_a_display_token_without_a_kiosk_number_says_it_cannot_issue_offline(
    store: CentralStore, machine: Callable[[str, str], Database]
) -> None:
    token = admin.add_display(store, HALL).token
    assert kiosk_of_token(token) is None
    kiosk = following_queue_for(machine(dead_url(), token))
    assert kiosk is not None
    try:
        with pytest.raises(UserError, match="无离线号段"):
            kiosk.issue_ticket(KIOSK, "QY")
    finally:
        kiosk.close()


def test_cli_add_display_with_a_kiosk_number(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main
    from db.central.store import open_central
    from tests.central.conftest import HALL_FILE

    assert main(["central", "add-hall", str(HALL_FILE), "--db", store_url]) == 0
    args = ["central", "add-display", "--hall", HALL, "--kiosk", "3", "--db", store_url]
    assert main(args) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert "3 号取号机凭据" in out[-3] and kiosk_of_token(out[-1]) == 3
    assert main(args) != 0  # one live token per kiosk number
    assert "已有凭据" in capsys.readouterr().err
    assert main([*args[:5], "0", *args[6:]]) != 0
    central = open_central(store_url)
    try:
        with central.session() as s:
            cred = admin.authenticate(s, out[-1])
        assert cred is not None and (cred.role, cred.window_number) == ("display", 3)
    finally:
        central.close()


def test_the_kiosk_screen_prints_and_shows_an_offline_ticket(
    qtbot: QtBot, store: CentralStore, machine: Callable[[str, str], Database]
) -> None:
    from PySide6.QtWidgets import QLabel

    from ui.kiosk import Kiosk
    from ui.operations import operations_for

    database = machine(dead_url(), admin.add_display(store, HALL, kiosk=4).token)
    backend = following_queue_for(database)
    assert backend is not None
    printed: list[str] = []

    def printer(ticket: object, done: Callable[[bool], None], _owner: object) -> None:
        printed.append(ticket.number)  # type: ignore[attr-defined]
        done(True)

    kiosk = Kiosk(backend, operations_for(database), printer=printer)
    qtbot.addWidget(kiosk)
    try:
        kiosk.take_ticket("QY")
        assert operations_for(database).wait_idle()
        qtbot.waitUntil(lambda: bool(printed))
        number = kiosk.findChild(QLabel, "ticketNumber")
        note = kiosk.findChild(QLabel, "ticketNote")
        assert number is not None and note is not None
        assert number.text() == "AK4-001" and printed == ["AK4-001"]
        assert "离线号" in note.text() and "请取走号票" in note.text()
    finally:
        backend.close()


def test_a_kiosk_sends_a_long_outage_batch_by_batch(
    store: CentralStore, server: LiveServer, machine: Callable[[str, str], Database]
) -> None:
    from app.queue.kiosk_offline import push_pending
    from app.services.changes import device_id

    token = admin.add_display(store, HALL, kiosk=5).token
    database = machine(dead_url(), token)
    kiosk = following_queue_for(database)
    assert kiosk is not None
    try:
        numbers = [kiosk.issue_ticket(KIOSK, "QY").number for _ in range(5)]
    finally:
        kiosk.close()
    assert numbers[-1] == "AK5-005"
    with database.session.begin() as s:
        device = device_id(s)
    client = CentralClient(server.url, token, attempts=1)
    try:
        assert push_pending(database, client, device, batch=2) == 5
    finally:
        client.close()
    assert _outbox_tickets(database) == 0
    assert set(_shared(store)) == set(numbers)


def test_the_store_holds_one_live_token_per_kiosk_number(store: CentralStore) -> None:
    from sqlalchemy.exc import IntegrityError

    from app.central.tokens import token_hash
    from db.central.models import Credential

    def kiosk_credential(number: int) -> Credential:
        return Credential(
            hall_id=HALL,
            id=new_id(),
            role="display",
            window_number=number,
            token_hash=token_hash(new_id()),
        )

    admin.add_display(store, HALL, kiosk=6)
    admin.add_display(store, HALL)  # displays without a number: as many as wanted
    admin.add_display(store, HALL)
    with pytest.raises(IntegrityError), store.write() as s:  # two at once: the index refuses
        s.add(kiosk_credential(6))
        s.flush()
    cred = admin.add_display(store, HALL, kiosk=7)
    admin.revoke(store, cred.credential_id)
    admin.add_display(store, HALL, kiosk=7)  # a revoked kiosk's number is free again
