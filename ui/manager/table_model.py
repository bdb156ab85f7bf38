"""A KPI table (app.manager.tables.KpiTable) as a Qt model: headings and texts in the desk's
language, each KPI's definition on hover (the summary's rows and the columns named by a KPI)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.manager.definitions import KPI_TEXTS
from app.manager.tables import KpiTable
from ui.manager.texts import kpi_tr

Index = QModelIndex | QPersistentModelIndex

#: Table columns whose values are a KPI of that name (the definition shows on their heading).
COLUMN_KPI = {
    "tickets": "tickets",
    "served": "served",
    "no_show": "no_show",
    "unserved": "unserved",
    "wait_mean_min": "wait_mean",
    "wait_p90_min": "wait_p90",
    "service_mean_min": "service_mean",
    "over_target": "over_target_share",
    "arrivals": "arrivals",
    "windows_open": "windows_open",
    "windows_needed": "windows_needed",
}


def definition(key: str) -> str:
    texts = KPI_TEXTS.get(key)
    return "" if texts is None else kpi_tr(texts[1])


class KpiTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table: KpiTable | None = None

    def show(self, table: KpiTable) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if self.table is None or parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if self.table is None or parent.isValid() else len(self.table.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.table is None or not index.isValid():
            return None
        row = self.table.rows[index.row()]
        value = row[index.column()]
        key = self.table.keys[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return "—"
            if isinstance(value, str) and key == "name":
                return kpi_tr(value)
            if isinstance(value, float):
                return f"{value:.4g}" if abs(value) < 1 else f"{value:.1f}"
            return str(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.table.key == "summary":
                return definition(str(row[0]))
            return definition(COLUMN_KPI.get(key, ""))
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (int, float)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if self.table is None or orientation != Qt.Orientation.Horizontal:
            return None
        key, heading = self.table.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return kpi_tr(heading)
        if role == Qt.ItemDataRole.ToolTipRole:
            return definition(COLUMN_KPI.get(key, "")) or None
        return None


class LiveTableModel(QAbstractTableModel):
    """A live table (the windows, the lines): rows of texts, each cell with an optional
    colour for its text (a window's state, a wait over the target)."""

    def __init__(self, headings: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headings = headings
        self.rows: list[list[tuple[str, str | None]]] = []

    def show(self, rows: list[list[tuple[str, str | None]]]) -> None:
        if len(rows) == len(self.rows):
            self.rows = rows  # same shape: a refresh repaints, the selection stays
            if rows:
                last = self.index(len(rows) - 1, len(self.headings) - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headings)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        text, colour = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ForegroundRole and colour is not None:
            return QColor(colour)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headings[section]
        return None
