"""The whole hall on a manager's desk: two desks push to one central store (SQLite and
PostgreSQL), and the manager's view on a third data directory, connected to the store, shows
both desks' windows and the hall's KPIs; with the store unreachable it shows the desk's own
data and says so. The live endpoint answers any token of the hall, no other."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QTableView
from pytestqt.qtbot import QtBot

from app.bench.postgres import free_port
from app.central import admin
from app.central.live import hall_live
from app.clock import hall_day
from app.manager.live import from_json, to_json
from app.services.hall import set_desk
from app.startup import DeskSetup, open_desk
from app.sync.settings import remember_central
from db.base import utcnow
from db.central.store import CentralStore
from tests.central.conftest import HALL, Desk, LiveServer
from ui.manager.panel import ManagerPanel

T = TypeVar("T", bound=QObject)


@pytest.fixture
def two_desks(make_desk: Callable[..., Desk]) -> tuple[Desk, Desk]:
    """Window 1 (李晓梅) serving its second ticket; window 2 (张海峰) idle after one; three
    people still waiting for 企业开办."""
    one, two = make_desk(1), make_desk(2)
    for desk, window, clerk in ((one, 1, "BC0101"), (two, 2, "BC0102")):
        with desk.database.write() as s:
            desk.ctx = set_desk(s, window, clerk)
    one.issue(3)
    two.issue(2)
    for desk, served in ((one, 1), (two, 1)):
        for _ in range(served):
            called = desk.queue.call_next(desk.ctx, f"r-{desk.ctx.window_number}-a")
            assert called.ticket is not None
            desk.queue.start_service(desk.ctx, called.ticket.id)
            desk.queue.end_service(desk.ctx, called.ticket.id)
    called = one.queue.call_next(one.ctx, "r-1-b")
    assert called.ticket is not None
    one.queue.start_service(one.ctx, called.ticket.id)
    one.sync()
    two.sync()
    return one, two


@pytest.fixture
def manager_desk(tmp_path: Path) -> Iterator[DeskSetup]:
    setup = open_desk(tmp_path / "manager", window_number=7, clerk_id="BC0201")
    yield setup
    setup.database.close()


def test_the_stores_live_hall_has_both_desks(store: CentralStore, two_desks: object) -> None:
    now = hall_live(store, HALL)
    by = {w.number: w for w in now.windows}
    assert (by[1].state, by[1].clerk_name, by[1].ticket_status) == ("serving", "李晓梅", "serving")
    assert (by[2].state, by[2].clerk_name) == ("idle", "张海峰")
    assert by[3].state == by[7].state == "offline"
    lines = {ln.code: ln for ln in now.lines}
    assert lines["QY"].waiting == 2  # 3 + 2 issued, 3 called
    assert from_json(to_json(now)) == now


def test_the_live_endpoint_answers_the_halls_tokens_only(
    store: CentralStore, server: LiveServer, two_desks: tuple[Desk, Desk]
) -> None:
    url = f"{server.url}/v1/halls/{HALL}/live"
    for token in (two_desks[0].token, admin.add_manager(store, HALL).token):
        reply = httpx.get(url, headers={"Authorization": f"Bearer {token}"})
        assert reply.status_code == 200, reply.text
        assert {w["number"] for w in reply.json()["windows"] if w["state"] != "offline"} == {1, 2}
    assert httpx.get(url).status_code == 401
    other = f"{server.url}/v1/halls/220800-002/live"
    assert (
        httpx.get(other, headers={"Authorization": f"Bearer {two_desks[0].token}"}).status_code
        == 403
    )


def _panel(qtbot: QtBot, setup: DeskSetup) -> ManagerPanel:
    panel = ManagerPanel(setup.database)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.live.ops.wait_idle()
    assert panel.live.wait_idle()
    return panel


def child(panel: ManagerPanel, cls: type[T], name: str) -> T:
    found = panel.findChild(cls, name)
    assert found is not None, name
    return found


def _states(panel: ManagerPanel) -> dict[str, str]:
    model = child(panel, QTableView, "liveWindows").model()
    return {model.index(r, 0).data(): model.index(r, 2).data() for r in range(model.rowCount())}


def test_the_managers_desk_shows_the_whole_hall_from_the_store(
    qtbot: QtBot,
    store: CentralStore,
    server: LiveServer,
    two_desks: tuple[Desk, Desk],
    manager_desk: DeskSetup,
) -> None:
    remember_central(manager_desk.database, server.url, admin.add_manager(store, HALL).token)
    panel = _panel(qtbot, manager_desk)
    assert panel.live.from_central
    states = _states(panel)
    assert states["1 综合窗口 1"] == "办理中" and states["2 综合窗口 2"] == "空闲"
    assert states["7 综合窗口 7"] == "未上线"  # the manager's own desk is no window of the hall
    source = child(panel, QLabel, "liveSource").text()
    assert "全厅" in source and server.url in source
    lines = child(panel, QTableView, "liveLines").model()
    assert (lines.index(0, 0).data(), lines.index(0, 1).data()) == ("企业开办", "2")

    # The KPIs of today: the whole hall's (five tickets on two desks), not the manager desk's.
    kind = panel.kpis.kind
    kind.setCurrentIndex(kind.findData("today"))
    panel.kpis.refresh()
    assert panel.kpis.wait_idle()
    qtbot.waitUntil(lambda: panel.kpis.kpis is not None)
    assert panel.kpis.from_central and panel.kpis.kpis is not None
    assert panel.kpis.kpis.totals.tickets == 5 and panel.kpis.kpis.totals.served == 2
    assert panel.kpis.kpis.period.start == panel.kpis.kpis.period.end == hall_day(utcnow())
    assert "全厅" in child(panel, QLabel, "kpiSource").text()
    summary = child(panel, QTableView, "kpiTable_windows").model()
    names = [
        summary.index(r, 1).data(Qt.ItemDataRole.DisplayRole) for r in range(summary.rowCount())
    ]
    assert "综合窗口 2" in names


def test_a_desks_token_shows_the_live_hall_but_not_its_kpis(
    qtbot: QtBot, server: LiveServer, two_desks: tuple[Desk, Desk], manager_desk: DeskSetup
) -> None:
    """A manager signed in on a window's desk: the hall's live view (no more than the desk
    pulls), the KPIs of the desk's own data, with the store's refusal on screen."""
    remember_central(manager_desk.database, server.url, two_desks[1].token)
    panel = _panel(qtbot, manager_desk)
    assert panel.live.from_central and _states(panel)["1 综合窗口 1"] == "办理中"
    panel.kpis.refresh()
    assert panel.kpis.wait_idle()
    qtbot.waitUntil(lambda: panel.kpis.kpis is not None)
    assert not panel.kpis.from_central
    text = child(panel, QLabel, "kpiSource").text()
    assert "中心库不可用，显示本机数据" in text and "拒绝" in text


def test_an_unreachable_store_falls_back_to_the_desk_and_says_so(
    qtbot: QtBot, manager_desk: DeskSetup
) -> None:
    remember_central(manager_desk.database, f"http://127.0.0.1:{free_port()}", "220800-001.x")
    panel = _panel(qtbot, manager_desk)
    assert not panel.live.from_central
    text = child(panel, QLabel, "liveSource").text()
    assert text.startswith("中心库不可用，显示本机数据") and "连不上中心库" in text
    assert _states(panel)["7 综合窗口 7"] == "空闲"  # the desk's own view: its own window
