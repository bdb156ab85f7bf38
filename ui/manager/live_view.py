"""Live: every window (clerk, state, current ticket, time in service), every line (waiting,
longest wait) and the alerts, read on the database's worker every few seconds."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QListWidget,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.manager.live import Alert, HallNow, live
from db.engine import Database
from ui.operations import operations_for

REFRESH_MS = 3000
STATE_COLOURS = {"serving": "#2e7d32", "idle": "#e0823d", "paused": "#757575", "offline": "#9e9e9e"}


def _minutes(seconds: float | None) -> str:
    return "" if seconds is None else f"{int(seconds // 60)}:{int(seconds % 60):02d}"


class LiveView(QWidget):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("managerLive")
        self.ops = operations_for(database)
        self._pending = False
        self.now: HallNow | None = None
        self._line_names: dict[str, str] = {}
        self.summary = QLabel(self)
        self.summary.setObjectName("liveSummary")
        self.windows = QTableWidget(0, 6, self)
        self.windows.setObjectName("liveWindows")
        self.windows.setHorizontalHeaderLabels(
            [self.tr("窗口"), self.tr("工作人员"), self.tr("状态"), self.tr("当前号"),
             self.tr("办理时长"), self.tr("空闲时长")]
        )  # fmt: skip
        self.lines = QTableWidget(0, 3, self)
        self.lines.setObjectName("liveLines")
        self.lines.setHorizontalHeaderLabels(
            [self.tr("业务类别"), self.tr("等候人数"), self.tr("最长等候")]
        )
        for table in (self.windows, self.lines):
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move inside it
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
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
        """Ask the worker for the hall now; a refresh still running is not asked again."""
        if self._pending:
            return
        self._pending = True
        self.ops.read(live, self.show_now, on_failed=self._failed, owner=self)

    def _failed(self, _exc: BaseException) -> None:
        self._pending = False

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
            .replace("%1", now.at.astimezone().strftime("%H:%M:%S"))
            .replace("%2", str(now.waiting))
            .replace("%3", str(now.target_wait_min))
        )
        self.windows.setRowCount(len(now.windows))
        for r, w in enumerate(now.windows):
            cells = (
                f"{w.number} {w.name}",
                w.clerk_name or (w.clerk_id or ""),
                self.state_name(w.state),
                w.ticket or "",
                _minutes(w.in_service_s),
                _minutes(w.idle_s),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setForeground(QColor(STATE_COLOURS[w.state]))
                self.windows.setItem(r, c, item)
        self.lines.setRowCount(len(now.lines))
        for r, ln in enumerate(now.lines):
            for c, text in enumerate((ln.name, str(ln.waiting), _minutes(ln.longest_wait_s))):
                item = QTableWidgetItem(text)
                over = (
                    ln.longest_wait_s is not None and ln.longest_wait_s > now.target_wait_min * 60
                )
                if over and c == 2:
                    item.setForeground(QColor("#c62828"))
                self.lines.setItem(r, c, item)
        self.alerts.clear()
        for alert in now.alerts:
            self.alerts.addItem(self.alert_text(alert))
        if not now.alerts:
            self.alerts.addItem(self.tr("无提醒"))
