"""The KPI charts (QtCharts): arrivals and served per hour, the waiting-time distribution, and
each window's served tickets and mean wait. They redraw for each period's KPIs."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QTabWidget, QWidget

from app.manager.kpi import HallKpis


def _bars(view: QChartView, title: str, categories: list[str], sets: list[tuple[str, list[float]]]) -> None:  # fmt: skip
    chart = QChart()
    chart.setTitle(title)
    series = QBarSeries()
    for name, values in sets:
        bar = QBarSet(name)
        bar.append([float(v) for v in values])
        series.append(bar)
    chart.addSeries(series)
    x = QBarCategoryAxis()
    x.append(categories or [""])
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(x)
    y = QValueAxis()
    y.setMin(0)
    top = max((v for _n, vs in sets for v in vs), default=0)
    y.setMax(max(1.0, top * 1.1))
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(y)
    chart.legend().setVisible(len(sets) > 1)
    old = view.chart()
    view.setChart(chart)
    if old is not None:
        old.deleteLater()


class KpiCharts(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("managerCharts")
        self.per_hour = self._view("chartPerHour", self.tr("到达与办结"))
        self.waits = self._view("chartWaits", self.tr("等候时长分布"))
        self.per_window = self._view("chartPerWindow", self.tr("各窗口"))

    def _view(self, name: str, title: str) -> QChartView:
        view = QChartView(self)
        view.setObjectName(name)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.addTab(view, title)
        return view

    def show_kpis(self, k: HallKpis) -> None:
        days = max(1, k.working_days)
        hours = sorted({t.key for t in k.by_hour if t.key is not None} | set(k.served_by_hour))
        arrivals = {t.key: t.tickets for t in k.by_hour}
        _bars(
            self.per_hour,
            self.tr("每小时到达与办结（日均）"),
            [f"{h}" for h in hours],
            [
                (self.tr("到达"), [arrivals.get(h, 0) / days for h in hours]),
                (self.tr("办结"), [k.served_by_hour.get(h, 0) / days for h in hours]),
            ],
        )
        bins = k.wait_bins
        labels = [f"{s // 60}-{s // 60 + 5}" for s, _n in bins[:-1]]
        labels.append(f"{bins[-1][0] // 60}+" if bins else "")
        _bars(
            self.waits,
            self.tr("等候时长分布（分钟）"),
            labels,
            [(self.tr("取号数"), [n for _s, n in bins])],
        )
        windows = [t for t in k.by_window if t.key is not None]
        _bars(
            self.per_window,
            self.tr("各窗口办结数与平均等候（分钟）"),
            [str(t.key) for t in windows],
            [
                (self.tr("办结"), [t.served for t in windows]),
                (self.tr("平均等候"), [(t.wait_mean or 0) / 60 for t in windows]),
            ],
        )
