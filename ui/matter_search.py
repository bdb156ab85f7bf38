"""Matter search: type a name, a code, a department or pinyin (gtgsh finds 个体工商户设立登记)
and pick a matter or a bundle (一件事). The index is the core's; this is only its view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.catalogue.search import MatterHit, MatterIndex, box_results
from ui.table_model import RowTableModel

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class SearchRow:
    kind: str  # "matter" | "bundle"
    code: str
    name: str
    department: str
    detail: str


class SearchResultsModel(RowTableModel[SearchRow]):
    HEADERS = (
        str(QT_TRANSLATE_NOOP("SearchResultsModel", "名称")),
        str(QT_TRANSLATE_NOOP("SearchResultsModel", "部门")),
        str(QT_TRANSLATE_NOOP("SearchResultsModel", "类别")),
        str(QT_TRANSLATE_NOOP("SearchResultsModel", "编码")),
    )

    def data(self, index: _Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            name = (self.tr("【一件事】") + row.name) if row.kind == "bundle" else row.name
            return (name, row.department, row.detail, row.code)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:  # whole, with what a narrow table leaves out
            return f"{row.name}\n{row.department} · {row.detail}\n{row.code}"
        return None


class MatterSearch(QWidget):
    """A search field over a results table. Enter (in the field or the table) or a double
    click chooses the highlighted row."""

    matter_chosen = Signal(str)
    bundle_chosen = Signal(str)

    def __init__(self, index: MatterIndex, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("matterSearch")
        self.index = index
        self.edit = QLineEdit(self)
        self.edit.setObjectName("matterSearchEdit")
        self.edit.setAccessibleName(self.tr("事项搜索"))
        self.edit.setPlaceholderText(self.tr("输入事项名称、编码、部门或拼音首字母（如 gtgsh）"))
        self.edit.setClearButtonEnabled(True)
        self.department = QComboBox(self)
        self.department.setObjectName("departmentFilter")
        self.department.setAccessibleName(self.tr("按部门筛选"))
        self.department.addItem(self.tr("全部部门"), None)
        for code, name in index.departments():
            self.department.addItem(name, code)
        self.model = SearchResultsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("matterResults")
        self.table.setAccessibleName(self.tr("事项搜索结果"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # The scroll bar is always there: results coming and going never change the width
        # the columns share (the columns and the layout do not jump as the clerk types).
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a code's both ends show
        header = self.table.horizontalHeader()
        # Widths follow the table's width, never the rows: resizing to contents would measure
        # every row per keystroke. The name stretches; the others get their share.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        self.table.viewport().installEventFilter(self)
        self._share_widths()
        top = QHBoxLayout()
        top.addWidget(self.edit, 3)
        top.addWidget(self.department, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.edit.textChanged.connect(self.refresh)
        self.department.currentIndexChanged.connect(self.refresh)
        self.edit.returnPressed.connect(self.choose_current)
        self.table.doubleClicked.connect(lambda _i: self.choose_current())
        self.edit.installEventFilter(self)
        self.table.installEventFilter(self)
        self.refresh()

    #: The other columns' share of the table's width and their widest (in CJK characters):
    #: the name keeps at least half, however narrow the panel.
    SHARES = ((1, 0.2, 12), (2, 0.1, 5), (3, 0.2, 14))

    #: The category (行政许可, 公共服务…) is read whole or not at all: 「行…可」 says nothing.
    KIND_COLUMN, KIND_CHARS = 2, 4.5

    def _share_widths(self) -> None:
        width = self.table.viewport().width()
        char = self.fontMetrics().horizontalAdvance("国")
        header = self.table.horizontalHeader()
        kind_needs = int(char * self.KIND_CHARS)
        for col, share, chars in self.SHARES:
            size = max(char * 2, min(int(width * share), char * chars))
            if col == self.KIND_COLUMN:
                # Too narrow for its four characters: hidden, in the row's tooltip instead.
                self.table.setColumnHidden(col, width * share < kind_needs)
                size = max(size, kind_needs)
            header.resizeSection(col, size)

    def set_index(self, index: MatterIndex) -> None:
        """Search `index` from now on (it arrived after the window showed, or was rebuilt):
        the departments again, and what is typed searched at once."""
        self.index = index
        chosen = self.department.currentData()
        self.department.blockSignals(True)
        while self.department.count() > 1:
            self.department.removeItem(1)
        for code, name in index.departments():
            self.department.addItem(name, code)
        self.department.setCurrentIndex(max(0, self.department.findData(chosen)))
        self.department.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        many = self.tr("多部门")
        count = self.tr("%1 个事项")
        rows = [
            SearchRow("matter", h.code, h.name, h.department_name, h.kind)
            if isinstance(h, MatterHit)
            else SearchRow("bundle", h.code, h.name, many, count.replace("%1", str(h.matter_count)))
            for h in box_results(self.index, self.edit.text(), self.department.currentData())
        ]
        self.model.set_rows(rows)
        if rows:
            self.table.selectRow(0)

    def choose_current(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        if not selected:
            return
        row = self.model.rows[selected[0].row()]
        (self.bundle_chosen if row.kind == "bundle" else self.matter_chosen).emit(row.code)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up/Down in the search field move through the results, so the hands stay on keys."""
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._share_widths()
        if watched is self.edit and isinstance(event, QKeyEvent):
            key = event.key()
            if (
                event.type() == QEvent.Type.KeyPress
                and key in (Qt.Key.Key_Down, Qt.Key.Key_Up)
                and self.model.rows
            ):
                current = self.table.currentIndex().row()
                step = 1 if key == Qt.Key.Key_Down else -1
                target = max(0, min(len(self.model.rows) - 1, current + step))
                self.table.selectRow(target)
                return True
        if (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.choose_current()
            return True
        return super().eventFilter(watched, event)
