"""Nothing a kiosk on a machine of its own writes is lost to the hall: back online, it pushes
its whole outbox (its offline tickets, its slips, the ratings it took, its events) through
the desks' protocol with its kiosk token (app.queue.kiosk_offline.push_kiosk); the store takes
what a kiosk may write and refuses the rest with a reason (app.central.kiosk_push). A display
on another machine then shows the kiosk's offline tickets. SQLite and PostgreSQL stores."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit import chain
from app.central import admin
from app.queue.following import FollowingQueue, following_queue_for
from app.queue.http_backend import HttpQueueBackend
from app.queue.kiosk_offline import _kiosk_state, push_kiosk
from app.queue.slip import issue_slip, render_slip, slip_not_printed, slip_printed
from app.services.changes import device_id
from app.sync.client import CentralClient, CentralRefused
from app.sync.engine import collect_operations
from app.sync.settings import remember_central
from db.base import utcnow
from db.central.models import AppliedOp, Record, SharedTicket
from db.central.store import CentralStore
from db.engine import Database
from db.ids import new_id
from db.models.sync import Event, Outbox, RejectedOperation
from tests.central.conftest import HALL, Desk, LiveServer, dead_url
from tests.central.test_sync import LoseReplies
from ui.kiosk import KIOSK_CTX

ID_NUMBER = "110101194001011234"


def _issue_offline(
    database: Database, n: int, line: str = "QY", *, with_id: bool = True
) -> list[str]:
    """The kiosk issues `n` tickets with the store unreachable (the first for an ID number),
    and prints each slip but the second (no paper: only saved, a print record of its own)."""
    kiosk = following_queue_for(database)
    assert kiosk is not None
    numbers = []
    try:
        for i in range(n):
            ticket = kiosk.issue_ticket(
                KIOSK_CTX, line, id_number=ID_NUMBER if i == 0 and with_id else None
            )
            assert ticket.offline
            numbers.append(ticket.number)
            slip = database.run_write(partial(issue_slip, ctx=KIOSK_CTX, ticket_id=ticket.id))
            pdf = render_slip(slip)
            if i == 1:
                database.run_write(
                    partial(slip_not_printed, ctx=KIOSK_CTX, slip=slip, pdf=pdf, reason="无打印机")
                )
            else:
                database.run_write(partial(slip_printed, ctx=KIOSK_CTX, slip=slip, pdf=pdf))
    finally:
        kiosk.close()
    return numbers


def _outbox(database: Database) -> int:
    with database.read() as s:
        return int(s.scalar(select(func.count()).select_from(Outbox)) or 0)


def _store_counts(store: CentralStore) -> dict[str, int]:
    with store.session() as s:
        counts = {
            str(entity): int(n)
            for entity, n in s.execute(
                select(Record.entity, func.count())
                .where(Record.hall_id == HALL)
                .group_by(Record.entity)
            )
        }
        counts["applied_op"] = int(s.scalar(select(func.count()).select_from(AppliedOp)) or 0)
        counts["shared"] = int(s.scalar(select(func.count()).select_from(SharedTicket)) or 0)
    return counts


def _payload(database: Database) -> list[dict[str, Any]]:
    """The kiosk's outbox as its push carries it."""
    with database.read() as s:
        ops = collect_operations(s, 1000)
    return [{"op_id": o.op_id, "event": o.event, "state": _kiosk_state(o)} for o in ops]


def _device(database: Database) -> str:
    with database.session.begin() as s:
        return device_id(s)


def _case_change(s: Session) -> str:
    """A case written on the kiosk's machine (it has no business writing one): an event of
    its chain, with its outbox row, as `record` writes them. Its op id."""
    ev = Event(
        id=new_id(),
        at=utcnow(),
        entity="case",
        entity_id=new_id(),
        kind="case.accepted",
        window_number=None,
        clerk_id=None,
        device_id=device_id(s),
        data={"terminal": "kiosk"},
    )
    chain(s, ev)
    s.add(ev)
    s.add(Outbox(op_id=ev.id))
    return ev.id


def test_a_kiosk_back_online_pushes_its_outbox_once_and_its_tickets_join_the_queue(
    make_desk: Callable[..., Desk],
    store: CentralStore,
    server: LiveServer,
    machine: Callable[[str, str], Database],
) -> None:
    token = admin.add_display(store, HALL, kiosk=1).token
    database = machine(dead_url(), token)
    numbers = _issue_offline(database, 2)
    assert numbers == ["AK1-001", "AK1-002"]
    # Window 1 issues offline as well, in its own space: the two never collide.
    one = make_desk(1)
    dead = HttpQueueBackend(one.database, CentralClient(dead_url(), one.token, attempts=1))
    try:
        assert dead.issue_ticket(one.ctx, "QY").number == "A1-001"
    finally:
        dead.close()
    # hall.configured, 2 × (ticket.issued, document.issued, document.printed / print_failed)
    assert _outbox(database) == 7
    payload = _payload(database)
    assert ID_NUMBER not in str(payload)  # the ID number stays on the kiosk

    client = CentralClient(server.url, token, attempts=1)
    try:
        report = push_kiosk(database, client)
        assert (report.pushed, report.duplicates, report.rejected) == (7, 0, 0)
        assert _outbox(database) == 0
        with database.read() as s:
            assert s.scalars(select(RejectedOperation)).first() is None
            assert s.scalar(select(func.count()).select_from(Event)) == 7  # the log stays
        one.sync()
        after = _store_counts(store)
        with store.session() as s:
            shared = {t.number: t for t in s.scalars(select(SharedTicket))}
            documents = s.scalars(select(Record.state).where(Record.entity == "document")).all()
            mine = Record.device_id == _device(database)
            hall = s.scalar(select(Record.entity_id).where(Record.entity == "hall", mine))
            windows = set(s.scalars(select(Record.window_number).where(mine)))
        assert set(shared) == {"AK1-001", "AK1-002", "A1-001"}
        assert all(t.status == "waiting" and t.offline for t in shared.values())
        assert len(documents) == 2 and {d["kind"] for d in documents} == {"ticket"}
        assert after["print_record"] == 1
        assert hall is None  # the kiosk's own configuration: its event only
        assert windows == {None}  # a kiosk is no window
        assert ID_NUMBER not in str(_store_counts(store)) and after["event"] >= 7

        # The same operations again (a reply that never came): all duplicates, nothing new.
        reply = client.push(payload, _device(database), utcnow().isoformat())
        assert {r["result"] for r in reply["results"]} == {"duplicate"}
        assert _store_counts(store) == after
    finally:
        client.close()

    # Every window calls them from the shared queue, in issue order.
    two = make_desk(2)
    q2 = HttpQueueBackend(two.database, two.client)
    called = []
    for _ in range(3):
        result = q2.call_next(two.ctx, new_id())
        assert result.ticket is not None
        called.append(result.ticket.number)
    assert q2.call_next(two.ctx, new_id()).ticket is None
    assert called == ["AK1-001", "AK1-002", "A1-001"]


def test_a_lost_push_reply_is_retried_and_creates_nothing_new(
    store: CentralStore, server: LiveServer, machine: Callable[[str, str], Database]
) -> None:
    token = admin.add_display(store, HALL, kiosk=2).token
    database = machine(dead_url(), token)
    _issue_offline(database, 2, "BDC")
    waiting = _outbox(database)
    client = CentralClient(
        server.url, token, transport=LoseReplies("/push"), attempts=3, wait_max_s=0.02
    )
    try:
        report = push_kiosk(database, client)
    finally:
        client.close()
    # The store committed the first push; its retry got duplicates for all of it.
    assert (report.pushed, report.duplicates, report.rejected) == (0, waiting, 0)
    assert _outbox(database) == 0
    counts = _store_counts(store)
    assert counts["applied_op"] == waiting and counts["shared"] == 2
    assert counts["event"] == waiting and counts["ticket"] == 2


def test_a_kiosk_token_pushing_a_case_is_refused_and_the_rest_still_applies(
    store: CentralStore, server: LiveServer, machine: Callable[[str, str], Database]
) -> None:
    token = admin.add_display(store, HALL, kiosk=3).token
    database = machine(dead_url(), token)
    _issue_offline(database, 1)
    case_op = database.run_write(_case_change)
    # After the case: the kiosk's chain goes on past the refused link.
    _issue_offline(database, 1, with_id=False)
    waiting = _outbox(database)
    client = CentralClient(server.url, token, attempts=1)
    try:
        report = push_kiosk(database, client)
        assert (report.pushed, report.rejected) == (waiting - 1, 1)
        assert _outbox(database) == 0
        with database.read() as s:
            refused = s.get(RejectedOperation, case_op)
            assert refused is not None and refused.reason == "a kiosk may not write case"
        with store.session() as s:
            assert s.get(AppliedOp, (HALL, case_op)) is None
            assert s.scalar(select(Record.entity_id).where(Record.entity == "case")) is None
            numbers = set(s.scalars(select(SharedTicket.number)))
        assert numbers == {"AK3-001", "AK3-002"}

        # Sent again with a case's state: refused again, nothing of it kept.
        again = [
            {**op, "state": {"id": op["event"]["entity_id"], "case_no": "X"}}
            for op in _payload_of(database, case_op)
        ]
        reply = client.push(again, _device(database), utcnow().isoformat())
        assert [r["result"] for r in reply["results"]] == ["rejected"]
        with store.session() as s:
            assert s.scalar(select(Record.entity_id).where(Record.entity == "case")) is None
    finally:
        client.close()


def _payload_of(database: Database, op_id: str) -> list[dict[str, Any]]:
    """One operation, as the kiosk pushed it (from its event log, its outbox row gone)."""
    from app.services.changes import row_payload

    with database.read() as s:
        ev = s.get(Event, op_id)
        assert ev is not None
        return [{"op_id": op_id, "event": row_payload(ev), "state": None}]


def test_a_kiosks_rating_reaches_the_store_and_what_is_not_a_kiosks_is_refused(
    make_desk: Callable[..., Desk],
    store: CentralStore,
    server: LiveServer,
    machine: Callable[[str, str], Database],
) -> None:
    from app.queue.ratings import await_rating, rate
    from app.sync.engine import apply_ticket_state

    token = admin.add_display(store, HALL, kiosk=4).token
    database = machine(server.url, token)
    kiosk = following_queue_for(database)
    assert kiosk is not None
    try:
        ticket = kiosk.issue_ticket(KIOSK_CTX, "QY")  # through the store: "A001"
    finally:
        kiosk.close()
    one = make_desk(1)
    q1 = HttpQueueBackend(one.database, one.client)
    called = q1.call_next(one.ctx, new_id()).ticket
    assert called is not None and called.id == ticket.id
    q1.start_service(one.ctx, ticket.id)
    q1.end_service(one.ctx, ticket.id)
    with store.session() as s:
        done = s.scalar(
            select(Record.state).where(Record.entity == "ticket", Record.entity_id == ticket.id)
        )
    assert done is not None and done["status"] == "done"

    def rated_at_the_kiosk(s: Session) -> None:
        apply_ticket_state(s, done)  # the finished ticket, as the kiosk learns it
        await_rating(s, KIOSK_CTX, ticket.id, "kiosk")
        rate(s, KIOSK_CTX, ticket.id, 2, "等太久")

    database.run_write(rated_at_the_kiosk)
    client = CentralClient(server.url, token, attempts=1)
    try:
        report = push_kiosk(database, client)
        assert report.rejected == 0 and _outbox(database) == 0
    finally:
        client.close()
    with store.session() as s:
        shared = s.get(SharedTicket, (HALL, ticket.id))
        evaluation = s.scalar(select(Record.state).where(Record.entity == "evaluation"))
        after = s.scalar(
            select(Record.state).where(Record.entity == "ticket", Record.entity_id == ticket.id)
        )
    assert shared is not None and shared.rating == 2 and shared.status == "done"
    assert evaluation is not None and evaluation["follow_up_needed"] is True
    assert after == done  # the kiosk's copy of a shared ticket does not overwrite the store's

    # What a kiosk does not write: a case paper, a window, an account; a display's token
    # without a kiosk number pushes nothing at all.
    client = CentralClient(server.url, token, attempts=1)
    try:
        forged = [
            _op("document", {"id": new_id(), "kind": "acceptance_notice"}),
            _op("print_record", {"id": new_id(), "document_id": new_id(), "outcome": "saved"}),
            _op("window", {"number": 1, "paused": True}),
            _op("credential", {"clerk_id": "c1", "secret_hash": "x"}),
        ]
        results = client.push(forged, "", utcnow().isoformat())["results"]
    finally:
        client.close()
    assert [r["result"] for r in results] == ["rejected"] * 4
    assert [r["reason"] for r in results] == [
        "a kiosk prints only ticket slips",
        "a kiosk prints only ticket slips",
        "a kiosk may not write window",
        "a kiosk may not write credential",
    ]
    display = CentralClient(server.url, admin.add_display(store, HALL).token, attempts=1)
    try:
        with pytest.raises(CentralRefused):
            display.push([_op("ticket", {"id": new_id()})], "", utcnow().isoformat())
    finally:
        display.close()


def _op(entity: str, state: dict[str, Any]) -> dict[str, Any]:
    """An operation without a device (outside any chain)."""
    op_id = new_id()
    event = {
        "id": op_id,
        "entity": entity,
        "entity_id": str(state.get("id") or state.get("number") or state.get("clerk_id")),
        "kind": f"{entity}.changed",
        "at": utcnow().isoformat(),
        "data": {},
    }
    return {"op_id": op_id, "event": event, "state": state}


def test_a_display_on_another_machine_shows_the_kiosks_merged_tickets(
    qtbot: QtBot,
    make_desk: Callable[..., Desk],
    store: CentralStore,
    server: LiveServer,
    machine: Callable[[str, str], Database],
) -> None:
    from PySide6.QtWidgets import QLabel

    from ui.display import run_display
    from ui.operations import operations_for

    token = admin.add_display(store, HALL, kiosk=5).token
    kiosk_db = machine(dead_url(), token)
    _issue_offline(kiosk_db, 2)
    screen_db = machine(server.url, admin.add_display(store, HALL).token)
    display = run_display(screen_db)
    qtbot.addWidget(display)
    assert isinstance(display.backend, FollowingQueue)
    ops = operations_for(screen_db)

    def label(name: str) -> str:
        found = display.findChild(QLabel, name)
        assert found is not None, name
        return found.text()

    display.refresh()
    assert ops.wait_idle()
    assert label("waitingCount_QY") == "0 人"  # not merged yet: the display cannot know them

    back = FollowingQueue(kiosk_db, CentralClient(server.url, token, attempts=1), kiosk=5)
    try:
        assert back.push() is not None
    finally:
        back.close()
    display.refresh()
    assert ops.wait_idle()
    assert label("waitingCount_QY") == "2 人"

    one = make_desk(1)
    q1 = HttpQueueBackend(one.database, one.client)
    called = q1.call_next(one.ctx, new_id()).ticket
    assert called is not None and called.number == "AK5-001"
    display.refresh()
    assert ops.wait_idle()
    assert label("call0") == "请 AK5-001 号\n到 1 号窗口（离线号）"
    assert label("waitingCount_QY") == "1 人"


def test_the_kiosk_pushes_on_its_sync_worker_never_the_ui_thread(
    qtbot: QtBot, store: CentralStore, server: LiveServer, machine: Callable[[str, str], Database]
) -> None:
    import threading

    from ui.kiosk_sync import KioskSync

    token = admin.add_display(store, HALL, kiosk=6).token
    database = machine(dead_url(), token)
    _issue_offline(database, 1)
    queue = FollowingQueue(database, CentralClient(server.url, token, attempts=1), kiosk=6)
    threads: list[threading.Thread] = []
    real = queue.push

    def push() -> Any:
        threads.append(threading.current_thread())
        return real()

    queue.push = push  # type: ignore[method-assign]
    sync = KioskSync(database, queue, interval_ms=60_000)
    reports: list[Any] = []
    sync.finished.connect(reports.append)
    try:
        sync.sync_now()
        qtbot.waitUntil(lambda: bool(reports))
    finally:
        sync.timer.stop()
        queue.close()
    assert threads and threads[0] is not threading.main_thread()
    assert reports[0] is not None and reports[0].pushed == 4 and _outbox(database) == 0


def test_a_kiosk_that_sent_its_tickets_the_old_way_still_pushes_a_whole_chain(
    store: CentralStore, server: LiveServer, machine: Callable[[str, str], Database]
) -> None:
    """The version before sent offline tickets alone (offline-tickets route) and took their
    events out of the outbox: the first push puts them back, so the store's check of the
    kiosk's chain finds no link missing."""
    from app.queue.kiosk_offline import push_pending

    token = admin.add_display(store, HALL, kiosk=7).token
    database = machine(dead_url(), token)
    _issue_offline(database, 2)
    client = CentralClient(server.url, token, attempts=1)
    try:
        assert push_pending(database, client, _device(database)) == 2
        _issue_offline(database, 1, with_id=False)  # later links of the same chain
        with database.read() as s:
            events = s.scalar(select(func.count()).select_from(Event))
        report = push_kiosk(database, client)
        assert (report.pushed, report.rejected) == (events, 0)
        assert _outbox(database) == 0
        assert push_kiosk(database, client).pushed == 0  # once: nothing is put back again
    finally:
        client.close()
    counts = _store_counts(store)
    assert counts["shared"] == 3 and counts["event"] == events


def test_run_kiosk_with_a_kiosk_token_starts_its_sync_round(
    qtbot: QtBot,
    store: CentralStore,
    server: LiveServer,
    machine: Callable[[str, str], Database],
    tmp_path: Path,
) -> None:
    from PySide6.QtCore import QSettings

    from ui.kiosk import run_kiosk
    from ui.kiosk_sync import KioskSync
    from ui.printing import PrintService

    token = admin.add_display(store, HALL, kiosk=8).token
    database = machine(dead_url(), token)
    _issue_offline(database, 1)
    remember_central(database, server.url, token)  # the store is back
    data = tmp_path / "kiosk-data"
    settings = QSettings(str(tmp_path / "kiosk.ini"), QSettings.Format.IniFormat)
    kiosk = run_kiosk(database, data, print_service=PrintService(data, settings, printers=list))
    qtbot.addWidget(kiosk)
    assert isinstance(kiosk.sync, KioskSync)
    reports: list[Any] = []
    kiosk.sync.finished.connect(reports.append)
    kiosk.sync.sync_now()
    qtbot.waitUntil(lambda: bool(reports))
    assert _outbox(database) == 0
    assert _store_counts(store)["shared"] == 1
    # A display's token without a kiosk number pushes nothing: no round.
    screen = run_kiosk(
        machine(server.url, admin.add_display(store, HALL).token),
        data,
        print_service=PrintService(data, settings, printers=list),
    )
    qtbot.addWidget(screen)
    assert screen.sync is None


def test_sync_once_on_a_kiosks_machine_pushes_its_outbox(
    store: CentralStore,
    server: LiveServer,
    machine: Callable[[str, str], Database],
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app.cli import main

    token = admin.add_display(store, HALL, kiosk=9).token
    database = machine(dead_url(), token)
    _issue_offline(database, 1)
    waiting = _outbox(database)
    assert database.path is not None
    data = str(database.path.parent)
    assert main(["sync", "--once", "--data-dir", data, "--central", server.url]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == f"同步完成：推送 {waiting} 条（重复 0），拉取 0 条，被拒 0 条"
    assert _outbox(database) == 0 and _store_counts(store)["shared"] == 1


def test_a_kiosks_push_waits_longer_than_its_board_poll(
    store: CentralStore,
    server: LiveServer,
    machine: Callable[[str, str], Database],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The board gives up after 2 s (the screen shows its own view); a push of a long
    outage's backlog gets its own, longer, timeout."""
    import httpx

    import app.queue.following as following

    read_timeouts: dict[str, float] = {}

    class Seen(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            kind = request.url.path.rsplit("/", 1)[-1]
            read_timeouts[kind] = request.extensions["timeout"]["read"]
            return super().handle_request(request)

    class Client(CentralClient):
        def __init__(self, *args: Any, **kw: Any) -> None:
            super().__init__(*args, transport=Seen(), **kw)

    token = admin.add_display(store, HALL, kiosk=10).token
    database = machine(dead_url(), token)
    _issue_offline(database, 1)
    monkeypatch.setattr(following, "CentralClient", Client)
    remember_central(database, server.url, token)
    queue = following_queue_for(database)
    assert queue is not None
    try:
        queue.board()  # the poll, then the push of what waited
    finally:
        queue.close()
    assert read_timeouts == {"board": following.BOARD_TIMEOUT_S, "push": following.PUSH_TIMEOUT_S}
    assert following.PUSH_TIMEOUT_S > following.BOARD_TIMEOUT_S
    assert _outbox(database) == 0
