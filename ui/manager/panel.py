"""The manager's view: Live, and KPIs with charts and staffing advice; the desk's manager tab
and `python -m app manager` both show it. Which store it reads (the central store the desk is
connected to, or the desk's own database) is found on the database's worker first."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from app.manager.source import Central, central_of
from db.engine import Database
from ui.manager.kpi_view import KpiView
from ui.manager.live_view import LiveView


class ManagerPanel(QTabWidget):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("managerPanel")
        self.live = LiveView(database, self)
        self.kpis = KpiView(database, self)
        self.addTab(self.live, self.tr("实时"))
        self.addTab(self.kpis, self.tr("指标与图表"))
        self.live.ops.run(
            lambda: central_of(database),
            self.connect_central,
            on_failed=lambda _e: self.connect_central(None),
            owner=self,
        )

    def connect_central(self, central: Central | None) -> None:
        """Read the whole hall from `central` (None: the desk's own database), and start."""
        self.live.central = central
        self.kpis.central = central
        self.live.start()


class ManagerWindow(QMainWindow):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("managerWindow")
        self.setWindowTitle(self.tr("OneWindow 大厅管理"))
        self.resize(1280, 860)
        self.panel = ManagerPanel(database, self)
        self.setCentralWidget(self.panel)
