"""Live: every window (clerk, state, current ticket, time in service), every line (waiting,
longest wait) and the alerts, every few seconds. From the central store when the desk is
connected to one (the whole hall, asked on a network worker of its own so a slow network never
queues in front of the database's work), else from the desk's database on its worker; when the
store cannot be had the view falls back to the desk's database and says so."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QListWidget,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.clock import HALL_TZ
from app.manager.live import Alert, HallNow, live
from app.manager.source import Central, central_live
from db.engine import Database
from ui.manager.table_model import LiveTableModel
from ui.operations import Operations, operations_for

REFRESH_MS = 3000
STATE_COLOURS = {"serving": "#2e7d32", "idle": "#e0823d", "paused": "#757575", "offline": "#9e9e9e"}
OVER_TARGET = "#c62828"


def _minutes(seconds: float | None) -> str:
    return "" if seconds is None else f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def source_text(central: Central | None, problem: str | None) -> str:
    """What the manager's view says about where its figures come from."""
    if problem is not None:
        text = QCoreApplication.translate("ManagerSource", "中心库不可用，显示本机数据：%1")
        return text.replace("%1", problem)
    if central is None:
        return QCoreApplication.translate("ManagerSource", "数据来源：本机数据库")
    text = QCoreApplication.translate("ManagerSource", "数据来源：全厅（中心库 %1）")
    return text.replace("%1", central.url)


class LiveView(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("managerLive")
        self.ops = operations_for(database)
        self.net = Operations(None, self)  # the central store's calls
        self.central: Central | None = None
        self.from_central = False
        self._pending = False
        self.now: HallNow | None = None
        self._line_names: dict[str, str] = {}
        self.summary = QLabel(self)
        self.summary.setObjectName("liveSummary")
        self.source = QLabel(self)
        self.source.setObjectName("liveSource")
        self.source.setWordWrap(True)
        # Until the first reading (the central store may take seconds to answer or fail).
        self.source.setText(self.tr("正在读取大厅数据…"))
        self.windows_model = LiveTableModel(
            [self.tr("窗口"), self.tr("工作人员"), self.tr("状态"), self.tr("当前号"),
             self.tr("办理时长"), self.tr("空闲时长")], self,
        )  # fmt: skip
        self.windows = QTableView(self)
        self.windows.setObjectName("liveWindows")
        self.windows.setModel(self.windows_model)
        self.lines_model = LiveTableModel(
            [self.tr("业务类别"), self.tr("等候人数"), self.tr("最长等候")], self
        )
        self.lines = QTableView(self)
        self.lines.setObjectName("liveLines")
        self.lines.setModel(self.lines_model)
        for table in (self.windows, self.lines):
            table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move inside it
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.windows.setAccessibleName(self.tr("窗口"))
        self.lines.setAccessibleName(self.tr("业务类别"))
        self.alerts = QListWidget(self)
        self.alerts.setObjectName("liveAlerts")
        self.alerts.setAccessibleName(self.tr("提醒"))
        split = QSplitter(self)
        split.addWidget(self.windows)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.lines, 2)
        side_layout.addWidget(QLabel(self.tr("提醒"), side))
        side_layout.addWidget(self.alerts, 1)
        split.addWidget(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.source)
        layout.addWidget(split, 1)
        self.timer = QTimer(self)
        self.timer.setObjectName("liveTimer")
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self.refresh()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def refresh(self) -> None:
        """Ask for the hall now; a refresh still running is not asked again."""
        if self._pending:
            return
        self._pending = True
        central = self.central
        if central is None:
            self.ops.read(live, self._show_local, on_failed=self._failed, owner=self)
            return
        self.net.run(
            lambda: central_live(central),
            self._show_central,
            on_failed=self._central_failed,
            owner=self,
        )

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Until the refresh asked for has been shown (tests, closing)."""
        for _ in range(4):
            self.net.wait_idle(timeout_ms)
            self.ops.wait_idle(timeout_ms)
            if not self._pending:
                return True
        return not self._pending

    def _failed(self, _exc: BaseException) -> None:
        self._pending = False

    def _show_local(self, now: HallNow) -> None:
        self.from_central = False
        self.source.setText(source_text(None, None))
        self.show_now(now)

    def _show_central(self, now: HallNow) -> None:
        self.from_central = True
        self.source.setText(source_text(self.central, None))
        self.show_now(now)

    def _central_failed(self, exc: BaseException) -> None:
        from ui.messages import describe

        problem = describe(exc)

        def fallback(now: HallNow) -> None:
            self.from_central = False
            self.source.setText(source_text(self.central, problem))
            self.show_now(now)

        self.ops.read(live, fallback, on_failed=self._failed, owner=self)

    def state_name(self, state: str) -> str:
        return {
            "serving": self.tr("办理中"),
            "idle": self.tr("空闲"),
            "paused": self.tr("暂停"),
            "offline": self.tr("未上线"),
        }[state]

    def alert_text(self, alert: Alert) -> str:
        if alert.kind == "wait_over_target":
            return (
                self.tr("%1：最长已等候 %2 分钟，超过目标")
                .replace("%1", self._line_names.get(alert.line or "", alert.line or ""))
                .replace("%2", str(alert.minutes))
            )
        if not alert.minutes:  # no service yet today: idle since it opened, not "0 minutes"
            return self.tr("%1号窗口今日尚未办理，而其业务仍有人等候").replace(
                "%1", str(alert.window)
            )
        return (
            self.tr("%1号窗口空闲 %2 分钟，而其业务仍有人等候")
            .replace("%1", str(alert.window))
            .replace("%2", str(alert.minutes))
        )

    def show_now(self, now: HallNow) -> None:
        self._pending = False
        self.now = now
        self._line_names = {ln.code: ln.name for ln in now.lines}
        self.summary.setText(
            self.tr("%1 等候 %2 人 · 目标 %3 分钟")
            .replace("%1", now.at.astimezone(HALL_TZ).strftime("%H:%M:%S"))  # the hall's clock
            .replace("%2", str(now.waiting))
            .replace("%3", str(now.target_wait_min))
        )
        self.windows_model.show(
            [
                [
                    (f"{w.number} {w.name}", None),
                    (w.clerk_name or (w.clerk_id or ""), None),
                    (self.state_name(w.state), STATE_COLOURS[w.state]),
                    (w.ticket or "", None),
                    (_minutes(w.in_service_s), None),
                    (_minutes(w.idle_s), None),
                ]
                for w in now.windows
            ]
        )
        target_s = now.target_wait_min * 60
        self.lines_model.show(
            [
                [
                    (ln.name, None),
                    (str(ln.waiting), None),
                    (
                        _minutes(ln.longest_wait_s),
                        OVER_TARGET
                        if ln.longest_wait_s is not None and ln.longest_wait_s > target_s
                        else None,
                    ),
                ]
                for ln in now.lines
            ]
        )
        self.alerts.clear()
        for alert in now.alerts:
            self.alerts.addItem(self.alert_text(alert))
        if not now.alerts:
            self.alerts.addItem(self.tr("无提醒"))
