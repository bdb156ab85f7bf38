"""The manager's view, driven by objectName: Live, KPIs for a period with definitions on hover,
charts, export, and the desk's manager tab for managers only."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCharts import QChartView
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
)
from pytestqt.qtbot import QtBot

from app.clock import hall_day
from app.manager.definitions import KPI_TEXTS, kpi_definition
from app.startup import DeskSetup, open_desk
from db.base import utcnow
from db.models.hall import Window
from db.models.queue import Ticket
from tests.manager_data import DAY
from tests.test_manager_kpi import five_served
from ui.manager.panel import ManagerPanel
from ui.manager.texts import CORE_TEXTS


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[DeskSetup]:
    desk = open_desk(tmp_path / "data", window_number=7, clerk_id="BC0201")
    yield desk
    desk.database.close()


@pytest.fixture
def panel(qtbot: QtBot, setup: DeskSetup) -> ManagerPanel:
    now = utcnow()
    with setup.database.write() as s:
        s.get(Window, 5).paused = True  # type: ignore[union-attr]
        five_served(s)  # on DAY
        issued = now - timedelta(minutes=45)
        s.add(Ticket(number="A900", line_code="QY", day=hall_day(now), seq=900, status="waiting",
                     issued_at=issued, order_key=int(issued.timestamp() * 1e6)))  # fmt: skip
    p = ManagerPanel(setup.database)
    qtbot.addWidget(p)
    p.show()
    assert p.live.ops.wait_idle()
    return p


def child(p: ManagerPanel, cls: type, name: str):
    found = p.findChild(cls, name)
    assert found is not None, name
    return found


def test_live_shows_windows_lines_and_alerts(panel: ManagerPanel, qtbot: QtBot) -> None:
    windows = child(panel, QTableView, "liveWindows").model()
    qtbot.waitUntil(lambda: windows.rowCount() == 7)
    states = [windows.index(r, 2).data() for r in range(7)]
    assert states[4] == "暂停" and states[6] == "空闲" and states[0] == "未上线"
    assert windows.index(4, 2).data(Qt.ItemDataRole.ForegroundRole).name() == "#757575"
    assert windows.headerData(2, Qt.Orientation.Horizontal) == "状态"
    lines = child(panel, QTableView, "liveLines").model()
    assert (lines.index(0, 0).data(), lines.index(0, 1).data()) == ("企业开办", "1")
    assert lines.index(0, 2).data(Qt.ItemDataRole.ForegroundRole).name() == "#c62828"
    alerts = child(panel, QListWidget, "liveAlerts")
    texts = [alerts.item(i).text() for i in range(alerts.count())]
    assert any("企业开办" in t and "超过目标" in t for t in texts)
    # Window 7 has served no one today: idle since it opened, never "idle for 0 minutes".
    assert any("7号窗口今日尚未办理" in t for t in texts)
    assert not any("空闲 0 分钟" in t for t in texts)
    assert panel.live.timer.isActive() and panel.live.timer.interval() <= 5000
    assert child(panel, QLabel, "liveSource").text() == "数据来源：本机数据库"


def test_the_live_summary_tells_the_halls_time_whatever_the_machines_zone(
    panel: ManagerPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time as time_module

    from app.clock import HALL_TZ

    monkeypatch.setenv("TZ", "UTC")  # a server-room machine on UTC: the hall is at +8
    time_module.tzset()
    try:
        now = panel.live.now
        assert now is not None
        panel.live.show_now(now)
        shown = panel.live.summary.text()
    finally:
        monkeypatch.undo()
        time_module.tzset()
    assert shown.startswith(now.at.astimezone(HALL_TZ).strftime("%H:%M:%S"))


def test_live_refresh_is_asked_once_at_a_time(panel: ManagerPanel) -> None:
    panel.live.refresh()
    panel.live.refresh()  # still running: not asked again
    assert panel.live._pending
    assert panel.live.ops.wait_idle() and not panel.live._pending


def compute_day(panel: ManagerPanel, qtbot: QtBot) -> None:
    kind = child(panel, QComboBox, "periodKind")
    kind.setCurrentIndex(kind.findData("day"))
    child(panel, QDateEdit, "periodStart").setDate(QDate(DAY.year, DAY.month, DAY.day))
    qtbot.mouseClick(child(panel, QPushButton, "periodCompute"), Qt.MouseButton.LeftButton)
    assert panel.kpis.ops.wait_idle()
    qtbot.waitUntil(lambda: panel.kpis.kpis is not None)


def test_kpis_for_a_day_with_definitions_on_hover(panel: ManagerPanel, qtbot: QtBot) -> None:
    compute_day(panel, qtbot)
    summary_view = child(panel, QTableView, "kpiTable_summary")
    assert summary_view.isColumnHidden(0) and not summary_view.isColumnHidden(1)
    summary = summary_view.model()
    cells = {summary.index(r, 0).data(): r for r in range(summary.rowCount())}
    row = cells["wait_p90"]
    assert summary.index(row, 1).data() == "等候时长90%分位"
    assert summary.index(row, 2).data() == "40.0"
    assert summary.index(row, 2).data(Qt.ItemDataRole.ToolTipRole) == kpi_definition("wait_p90")
    windows = child(panel, QTableView, "kpiTable_windows").model()
    assert windows.rowCount() == 8  # seven windows and the hall
    assert windows.headerData(2, Qt.Orientation.Horizontal) == "取号数"
    assert windows.headerData(2, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == kpi_definition("tickets")  # fmt: skip
    hours = child(panel, QTableView, "kpiTable_hours").model()
    assert [hours.index(0, c).data() for c in range(5)] == ["09:00", "5.0", "5.0", "2.0", "2"]
    chart = child(panel, QChartView, "chartPerHour").chart()
    assert chart.series() and chart.series()[0].barSets()[0].at(0) == 5


def test_export_the_table_shown(panel: ManagerPanel, qtbot: QtBot, tmp_path: Path) -> None:
    compute_day(panel, qtbot)
    panel.kpis.tabs.setCurrentIndex(1)  # the windows
    out = tmp_path / "windows.csv"
    panel.kpis.export_to(out, "csv")
    assert panel.kpis.ops.wait_idle()
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert rows[-1]["window"] == "hall" and rows[-1]["tickets"] == "5"
    panel.kpis.export_to(tmp_path / "windows.xlsx", "xlsx")
    assert panel.kpis.ops.wait_idle() and (tmp_path / "windows.xlsx").stat().st_size > 0


def test_a_custom_range_backwards_is_refused(panel: ManagerPanel, qtbot: QtBot) -> None:
    kind = child(panel, QComboBox, "periodKind")
    kind.setCurrentIndex(kind.findData("custom"))
    child(panel, QDateEdit, "periodStart").setDate(QDate(2026, 11, 27))
    child(panel, QDateEdit, "periodEnd").setDate(QDate(2026, 11, 26))
    qtbot.mouseClick(child(panel, QPushButton, "periodCompute"), Qt.MouseButton.LeftButton)
    assert "晚于" in panel.kpis.message.text() and panel.kpis.kpis is None


@pytest.mark.parametrize(("clerk", "has_tab"), [("BC0201", True), ("BC0101", False)])
def test_the_desk_has_the_manager_tab_for_managers_only(qtbot: QtBot, tmp_path: Path, clerk: str, has_tab: bool) -> None:  # fmt: skip
    from app.catalogue.search import MatterIndex
    from ui.main_window import MainWindow

    desk = open_desk(tmp_path / "desk", window_number=1, clerk_id=clerk)
    try:
        with desk.database.session() as s:
            index = MatterIndex.load(s)
        main = MainWindow(desk, index)
        qtbot.addWidget(main)
        assert main.ops.wait_idle()
        assert (main.findChild(ManagerPanel, "managerPanel") is not None) == has_tab
        main.close()
        assert main.ops.wait_idle()
    finally:
        desk.database.close()


def test_every_core_text_is_in_the_catalogue() -> None:
    from app.manager import tables

    texts = {t for pair in KPI_TEXTS.values() for t in pair}
    texts |= {h for _k, h in tables.TALLY_COLUMNS}
    assert texts <= set(CORE_TEXTS)


def test_the_manager_command_opens_the_manager_window(qtbot: QtBot, setup: DeskSetup) -> None:
    from app.cli import build_parser
    from ui.launch import build_windows
    from ui.manager.panel import ManagerWindow

    windows = build_windows(build_parser().parse_args(["manager"]), setup)
    assert len(windows) == 1 and isinstance(windows[0], ManagerWindow)
    qtbot.addWidget(windows[0])
    assert windows[0].findChild(ManagerPanel, "managerPanel") is not None
    assert windows[0].panel.live.ops.wait_idle()


def test_the_views_say_what_comes_before_the_first_reading(qtbot: QtBot, setup: DeskSetup) -> None:
    """Before the first reading (a central store may take seconds to answer or to fail) the
    live view says it is reading, and the KPI tab what to do; neither is a blank screen."""
    p = ManagerPanel(setup.database)
    qtbot.addWidget(p)
    source = child(p, QLabel, "liveSource")
    assert source.text() == "正在读取大厅数据…"
    assert "计算" in child(p, QLabel, "kpiMessage").text()
    p.show()
    qtbot.waitUntil(lambda: source.text() == "数据来源：本机数据库")
    assert p.live.wait_idle()


def test_the_end_date_shows_for_a_custom_range_only(panel: ManagerPanel) -> None:
    """A disabled end date beside 某日 (today's date beside the day chosen) read as a range."""
    kind = child(panel, QComboBox, "periodKind")
    panel.setCurrentWidget(panel.kpis)
    end = child(panel, QDateEdit, "periodEnd")
    for key in ("today", "day", "week", "month"):
        kind.setCurrentIndex(kind.findData(key))
        assert not end.isVisible(), key
    kind.setCurrentIndex(kind.findData("custom"))
    assert end.isVisible() and end.isEnabled()
