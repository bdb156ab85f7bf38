"""KPIs for a chosen period (today, a day, a week, a month, a custom range): the tables (each
KPI's definition on hover), the staffing advice beside the windows open, the charts, and the
export of the table shown to CSV or XLSX. Computed on the database's worker, or for the whole
hall by the central store the desk is connected to (a manager's token; asked on a network
worker), falling back to the desk's database, and saying so, when the store cannot be had."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.clock import hall_today
from app.manager.kpi import HallKpis
from app.manager.period import Period
from app.manager.report import HallNames, kpis_and_names
from app.manager.rollup import ensure_rollups
from app.manager.source import Central, central_hall_kpis
from app.manager.tables import KpiTable, all_tables, write_csv, write_xlsx
from db.engine import Database
from ui.manager.charts import KpiCharts
from ui.manager.live_view import source_text
from ui.manager.table_model import KpiTableModel
from ui.manager.texts import kpi_tr
from ui.operations import Operations, operations_for


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class KpiView(QWidget):
    computed = Signal(object)  # HallKpis

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("managerKpis")
        self.database = database
        self.ops = operations_for(database)
        self.net = Operations(None, self)  # the central store's calls
        self.central: Central | None = None
        self.from_central = False
        self.kpis: HallKpis | None = None
        self.tables: list[KpiTable] = []
        self.kind = QComboBox(self)
        self.kind.setObjectName("periodKind")
        for key, label in (
            ("today", self.tr("今日")),
            ("day", self.tr("某日")),
            ("week", self.tr("某周")),
            ("month", self.tr("某月")),
            ("custom", self.tr("自定义")),
        ):
            self.kind.addItem(label, key)
        today = _qdate(hall_today())
        self.start = QDateEdit(today, self)
        self.start.setObjectName("periodStart")
        self.end = QDateEdit(today, self)
        self.end.setObjectName("periodEnd")
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.go = QPushButton(self.tr("计算"), self)
        self.go.setObjectName("periodCompute")
        self.csv = QPushButton(self.tr("导出 CSV"), self)
        self.csv.setObjectName("exportCsv")
        self.xlsx = QPushButton(self.tr("导出 XLSX"), self)
        self.xlsx.setObjectName("exportXlsx")
        self.message = QLabel(self)
        self.message.setObjectName("kpiMessage")
        self.message.setText(self.tr("选择时段，按「计算」查看指标"))
        self.source = QLabel(self)
        self.source.setObjectName("kpiSource")
        self.source.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("时段"), self))
        bar.addWidget(self.kind)
        bar.addWidget(self.start)
        self.dash = QLabel("—", self)
        bar.addWidget(self.dash)
        bar.addWidget(self.end)
        bar.addWidget(self.go)
        bar.addStretch(1)
        bar.addWidget(self.csv)
        bar.addWidget(self.xlsx)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("kpiTables")
        self.models: list[KpiTableModel] = []
        self.charts = KpiCharts(self)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.source)
        layout.addWidget(self.tabs, 3)
        layout.addWidget(self.charts, 2)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.go.clicked.connect(self.refresh)
        self.csv.clicked.connect(lambda: self.ask_export("csv"))
        self.xlsx.clicked.connect(lambda: self.ask_export("xlsx"))
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.start.setEnabled(kind != "today")
        self.end.setEnabled(kind == "custom")
        # An end date is a custom range's only: shown beside a day or a week it read as one.
        self.end.setVisible(kind == "custom")
        self.dash.setVisible(kind == "custom")

    def period(self) -> Period:
        """The chosen period (a custom range with its end before its start is refused)."""
        return Period.of(
            self.kind.currentData(), _pydate(self.start.date()), _pydate(self.end.date())
        )

    def refresh(self) -> None:
        from app.errors import UserError
        from ui.messages import describe

        try:
            period = self.period()
        except UserError as exc:
            self.message.setText(describe(exc))
            return
        self.message.setText(self.tr("正在计算…"))
        self.go.setEnabled(False)
        central = self.central
        if central is None:
            self.compute_local(period, None)
            return

        def fallback(exc: BaseException) -> None:
            from ui.messages import describe

            self.compute_local(period, describe(exc))

        self.net.run(
            lambda: central_hall_kpis(central, period),
            self._show_central,
            on_failed=fallback,
            owner=self,
        )

    def _show_central(self, result: tuple[HallKpis, HallNames]) -> None:
        self.from_central = True
        self.source.setText(source_text(self.central, None))
        self.show_kpis(result)

    def compute_local(self, period: Period, problem: str | None) -> None:
        """The period's KPIs from the desk's database (`problem`: why not the central's)."""

        def show(result: tuple[HallKpis, HallNames]) -> None:
            self.from_central = False
            self.source.setText(source_text(self.central if problem else None, problem))
            self.show_kpis(result)

        database = self.database
        # Closed months are rolled up first (a read, then one short write), so a year is quick.
        self.ops.run(lambda: ensure_rollups(database, period), owner=self)
        self.ops.read(
            lambda s: kpis_and_names(s, period),
            show,
            on_failed=lambda _e: self.go.setEnabled(True),
            owner=self,
        )

    def show_kpis(self, result: tuple[HallKpis, HallNames]) -> None:
        k, names = result
        self.go.setEnabled(True)
        self.kpis = k
        self.tables = all_tables(k, names.windows, names.clerks, names.lines)
        p = k.period
        self.message.setText(
            self.tr("%1 至 %2：%3 个工作日").replace("%1", str(p.start)).replace("%2", str(p.end))
            .replace("%3", str(k.working_days))
        )  # fmt: skip
        current = self.tabs.currentIndex()
        while self.models and len(self.models) > len(self.tables):
            self.models.pop()
            self.tabs.removeTab(self.tabs.count() - 1)
        for i, table in enumerate(self.tables):
            if i >= len(self.models):
                view = QTableView(self.tabs)
                view.setObjectName(f"kpiTable_{table.key}")
                model = KpiTableModel(view)
                view.setModel(model)
                view.setTabKeyNavigation(False)  # Tab leaves the table
                view.verticalHeader().setVisible(False)
                view.horizontalHeader().setSectionResizeMode(
                    QHeaderView.ResizeMode.ResizeToContents
                )
                self.models.append(model)
                self.tabs.addTab(view, kpi_tr(table.title))
            self.models[i].show(table)
            shown = self.tabs.widget(i)
            assert isinstance(shown, QTableView)
            for c, (key, _heading) in enumerate(table.columns):
                # The KPI's code is for exports and scripts; the manager reads its name.
                shown.setColumnHidden(c, key == "kpi")
        self.tabs.setCurrentIndex(max(0, current))
        self.charts.show_kpis(k)
        self.computed.emit(k)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Until what was asked for has been shown (tests, closing)."""
        self.net.wait_idle(timeout_ms)
        return self.ops.wait_idle(timeout_ms)

    def current_table(self) -> KpiTable | None:
        i = self.tabs.currentIndex()
        return self.tables[i] if 0 <= i < len(self.tables) else None

    def ask_export(self, fmt: str) -> None:
        table = self.current_table()
        if table is None:
            self.message.setText(self.tr("请先计算指标"))
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("导出"), f"{table.key}.{fmt}", f"{fmt.upper()} (*.{fmt})"
        )
        if path:
            self.export_to(Path(path), fmt)

    def export_to(self, path: Path, fmt: str) -> None:
        """Write the table shown to `path` on the worker (CSV: that table; XLSX: that table, or
        every table when the summary is shown)."""
        table = self.current_table()
        if table is None:
            return
        tables = self.tables if table.key == "summary" and fmt == "xlsx" else [table]

        def write() -> Path:
            if fmt == "csv":
                write_csv(path, table)
            else:
                write_xlsx(path, tables)
            return path

        self.ops.run(
            write,
            lambda p: self.message.setText(self.tr("已导出 %1").replace("%1", str(p))),
            owner=self,
        )
