"""Displays and kiosks on other machines follow the hall's queue from the central store
(app.queue.following, GET …/queue/board): a display bound to neither desk's data directory
shows the calls of both, and keeps its own view, saying so, when the store is unreachable."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.bench.postgres import free_port
from app.central import admin, queue_actions
from app.queue.following import FollowingQueue, following_queue_for
from app.queue.http_backend import HttpQueueBackend
from app.services.changes import DeskContext
from db.central.store import CentralStore
from db.engine import Database
from db.ids import new_id
from tests.central.conftest import HALL, HALL_FILE, Desk, LiveServer
from tests.central.test_shared_queue import _cred
from ui.operations import operations_for

KIOSK = DeskContext(None, None)


def _label(widget: object, name: str) -> QLabel:
    found = widget.findChild(QLabel, name)  # type: ignore[attr-defined]
    assert found is not None, name
    return found


def test_a_display_on_another_machine_shows_the_calls_of_every_desk(
    qtbot: QtBot,
    make_desk: Callable[..., Desk],
    store: CentralStore,
    server: LiveServer,
    machine: Callable[[str, str], Database],
) -> None:
    from ui.display import run_display

    one, two = make_desk(1), make_desk(2)
    q1, q2 = HttpQueueBackend(one.database, one.client), HttpQueueBackend(two.database, two.client)
    first, second = q1.issue_ticket(one.ctx, "QY"), q2.issue_ticket(two.ctx, "QY")
    q2.issue_ticket(two.ctx, "BDC")
    assert q1.call_next(one.ctx, new_id()).ticket.id == first.id  # type: ignore[union-attr]
    assert q2.call_next(two.ctx, new_id()).ticket.id == second.id  # type: ignore[union-attr]
    queue_actions.set_paused(store, _cred(store, two.token), new_id(), True)

    database = machine(server.url, admin.add_display(store, HALL).token)
    display = run_display(database)
    qtbot.addWidget(display)
    assert isinstance(display.backend, FollowingQueue)
    assert operations_for(database).wait_idle()
    assert _label(display, "call0").text() == "请 A002 号\n到 2 号窗口"
    assert _label(display, "call1").text() == "A001  →  1号窗口"
    assert _label(display, "waitingCount_BDC").text() == "1 人"
    assert _label(display, "waitingCount_QY").text() == "0 人"
    assert not _label(display, "centralOffline").isVisible()
    assert [w.paused for w in display.backend.windows()][:2] == [False, True]
    # A recall on the store comes first again, as a new announcement (its call count).
    q1.recall(one.ctx, first.id)
    newest = display.backend.latest_calls(2)[0]
    assert (newest.ticket_id, newest.window_number, newest.call_count) == (first.id, 1, 2)


def test_an_unreachable_store_leaves_the_local_view_and_says_so(
    qtbot: QtBot, machine: Callable[[str, str], Database]
) -> None:
    from ui.display import run_display

    database = machine(f"http://127.0.0.1:{free_port()}", f"{HALL}.nothing")
    display = run_display(database)
    qtbot.addWidget(display)
    display.show()
    assert operations_for(database).wait_idle()
    offline = _label(display, "centralOffline")
    assert offline.isVisible() and offline.text() == "中心库未连接：显示本机数据"
    assert _label(display, "hallName").text() == "白城市政务服务中心（演示）"
    assert _label(display, "waitingCount_QY").text() == "0 人"


def test_a_kiosk_issues_into_the_shared_queue_with_a_displays_token(
    make_desk: Callable[..., Desk],
    store: CentralStore,
    server: LiveServer,
    machine: Callable[[str, str], Database],
) -> None:
    one = make_desk(1)
    token = admin.add_display(store, HALL).token
    kiosk = following_queue_for(machine(server.url, token))
    assert kiosk is not None
    try:
        HttpQueueBackend(one.database, one.client).issue_ticket(one.ctx, "QY")
        ticket = kiosk.issue_ticket(KIOSK, "QY")
        assert ticket.number == "A002" and not ticket.offline
        assert kiosk.waiting_ahead(ticket.id) == 1
        urgent = kiosk.issue_ticket(KIOSK, "QY", "appointment")
        assert kiosk.waiting_ahead(urgent.id) == 0  # called before the normal ones
        assert kiosk.waiting_ahead(kiosk.issue_ticket(KIOSK, "QY").id) == 3
    finally:
        kiosk.close()
    # A display's token reads and issues; it neither calls nor acts for a window.
    headers = {"Authorization": f"Bearer {token}"}
    call = httpx.post(
        f"{server.url}/v1/halls/{HALL}/queue/call-next", json={"request_id": "x"}, headers=headers
    )
    assert call.status_code == 403
    pause = httpx.post(
        f"{server.url}/v1/halls/{HALL}/queue/window",
        json={"request_id": "x", "paused": True},
        headers=headers,
    )
    assert pause.status_code == 403
    board = httpx.get(f"{server.url}/v1/halls/{HALL}/queue/board")
    assert board.status_code == 401


def test_cli_add_display_prints_a_display_token_last(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main
    from db.central.store import open_central

    assert main(["central", "add-hall", str(HALL_FILE), "--db", store_url]) == 0
    assert main(["central", "add-display", "--hall", HALL, "--db", store_url]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert "显示屏与取号机凭据" in out[-3]
    central = open_central(store_url)
    try:
        with central.session() as s:
            cred = admin.authenticate(s, out[-1])
        assert cred is not None and (cred.role, cred.window_number) == ("display", None)
    finally:
        central.close()
