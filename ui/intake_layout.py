"""The acceptance screen's layout, made for the counter's 1366×768 as much as for 1920×1080.

- The matter results have room while the clerk searches (the focus in the search, or nothing
  chosen yet) and give it back to the checklist once a matter is chosen (`SearchRoom`).
- The chosen matters (已选) take one line beside their label (`ChosenMatters`).
- The actions (容缺承诺, 不予受理, the override, 保存并打印) stand in a narrow column beside the
  checklist; the decision sits under the checklist, as wide as it.
- Table rows are one line of text high (Qt's default 30 px rows are for touch screens)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QBoxLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ui.checklist_model import ChecklistModel

_Index = QModelIndex | QPersistentModelIndex

# The share of the panel's height the results take while the clerk searches, and after a
# matter is chosen; and the fewest rows each shows (1366×768 keeps 7 and 3).
SEARCHING_SHARE, CHOSEN_SHARE = 0.25, 0.12
SEARCHING_ROWS, CHOSEN_ROWS = 7, 3
# A panel at least this high (1920×1080's is about 1000) shows more of the decision.
TALL = 900


def compact_rows(table: QTableView) -> int:
    """Rows one line of text high; returns that height."""
    height = table.fontMetrics().height() + 8
    header = table.verticalHeader()
    header.setMinimumSectionSize(height)
    header.setDefaultSectionSize(height)
    return height


class ChosenMatters(QListWidget):
    """已选: the chosen matters side by side on one line (Delete removes the current one); more
    than fit scroll sideways as the arrows move through them, all named in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chosenMatters")
        self.setAccessibleName(QCoreApplication.translate("CasePanel", "已选事项（Delete 移除）"))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setSpacing(2)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedHeight(self.fontMetrics().height() + 12 + 2 * self.frameWidth())
        self.model().rowsInserted.connect(self._name_all)
        self.model().rowsRemoved.connect(self._name_all)
        self.model().modelReset.connect(self._name_all)

    def _name_all(self) -> None:
        self.setToolTip("\n".join(self.item(i).text() for i in range(self.count())))


class SearchRoom(QObject):
    """Sizes the matter results: many rows while a search is under way (the focus in the
    search field, its department filter or its results, or no matter chosen yet), a few
    once the checklist is being worked through, so the checklist gets the room back. And
    the decision's reasons: three lines on a short screen, six on a tall one (they scroll)."""

    def __init__(
        self,
        panel: QWidget,
        search: QWidget,
        table: QTableView,
        model: ChecklistModel,
        reasons: QWidget,
    ) -> None:
        super().__init__(panel)
        self.panel, self.search, self.table, self.model = panel, search, table, model
        self.reasons = reasons
        self.row_height = compact_rows(table)
        panel.installEventFilter(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        model.modelReset.connect(self.update)
        self.update()

    def searching(self) -> bool:
        focus = QApplication.focusWidget()
        in_search = focus is not None and (focus is self.search or self.search.isAncestorOf(focus))
        return in_search or not self.model.lines

    def rows(self) -> int:
        share, least = (
            (SEARCHING_SHARE, SEARCHING_ROWS) if self.searching() else (CHOSEN_SHARE, CHOSEN_ROWS)
        )
        return max(least, int(self.panel.height() * share / self.row_height))

    def update(self) -> None:
        if not all(isValid(w) for w in (self.panel, self.table, self.reasons)):
            return  # the focus moved while the panel is being destroyed
        header = self.table.horizontalHeader().sizeHint().height()
        frame = 2 * self.table.frameWidth()
        self.table.setFixedHeight(header + frame + self.rows() * self.row_height)
        lines = 3 if self.panel.height() < TALL else 6
        self.reasons.setFixedHeight(self.reasons.fontMetrics().lineSpacing() * lines + 6)

    def _focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.panel and event.type() == QEvent.Type.Resize:
            self.update()
        return super().eventFilter(watched, event)


class OneLine(QStyledItemDelegate):
    """A column that never wraps: its text is cut in the middle (the whole text in its
    tooltip), so it never makes a checklist line two or three lines high."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        super().initStyleOption(option, index)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideMiddle

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: _Index,
    ) -> bool:
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if event.type() == QEvent.Type.ToolTip and isinstance(text, str) and text:
            line = index.data(Qt.ItemDataRole.ToolTipRole)
            QToolTip.showText(event.globalPos(), f"{text}\n\n{line}" if line else text, view)
            return True
        return super().helpEvent(event, view, option, index)


class ChecklistColumns(QObject):
    """The checklist's columns share its width, so the material's name keeps the most of it
    however narrow the column beside it leaves the table: the requirement, the matters and
    the status take what they need up to their share (the rest wraps; the tooltip has it
    all); the matters column shows only when more than one matter is chosen. The matters and
    the status keep to one line (cut in the middle, whole in the tooltip)."""

    SHARES = (
        (ChecklistModel.COL_STATUS, 0.25),
        (ChecklistModel.COL_FORM, 0.28),
        (ChecklistModel.COL_MATTERS, 0.18),
    )

    def __init__(self, view: QTableView, model: ChecklistModel) -> None:
        super().__init__(view)
        self.view, self.model = view, model
        header = view.horizontalHeader()
        for col, _share in self.SHARES:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        self.one_line = OneLine(view)
        for col in (ChecklistModel.COL_MATTERS, ChecklistModel.COL_STATUS):
            view.setItemDelegateForColumn(col, self.one_line)
        self.viewport = view.viewport()
        self.viewport.installEventFilter(self)
        model.modelReset.connect(self.fit)
        model.dataChanged.connect(self.fit)  # a status marked: its text is longer
        self.fit()

    # What the material's name keeps of the table's width, however many columns show.
    NAME_SHARE = 0.3

    def fit(self) -> None:
        header = self.view.horizontalHeader()
        self.view.setColumnHidden(ChecklistModel.COL_MATTERS, len(self.model.matter_names) < 2)
        width = self.view.viewport().width()
        char = self.view.fontMetrics().height()  # about one character of a name
        shown = [(c, share) for c, share in self.SHARES if not self.view.isColumnHidden(c)]
        small = (ChecklistModel.COL_COPIES, ChecklistModel.COL_NECESSITY)
        room = width * (1 - self.NAME_SHARE) - sum(header.sectionSize(c) for c in small)
        # The status whole first, then the requirement; the matters take what is left.
        for i, (col, share) in enumerate(shown):
            text = max(self.view.sizeHintForColumn(col), header.sectionSizeHint(col))
            rest = sum(self._least(c, char) for c, _s in shown[i + 1 :])
            size = min(text, int(width * share), int(room) - rest)
            header.resizeSection(col, max(self._least(col, char), size))
            room -= header.sectionSize(col)

    @staticmethod
    def _least(col: int, char: int) -> int:
        """The matters column keeps five characters (a matter's name cut in the middle
        still tells which one it is); the requirement five too, so 原件（核验后退还） takes
        two lines, not four (a longer marked status cut in the middle instead, whole in its
        tooltip); the status three."""
        wide = (ChecklistModel.COL_MATTERS, ChecklistModel.COL_FORM)
        return char * (5 if col in wide else 3)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport and event.type() == QEvent.Type.Resize:
            self.fit()
        return super().eventFilter(watched, event)


def matter_box(
    parent: QWidget, search: QWidget, chosen: QListWidget, clear: QPushButton
) -> QGroupBox:
    """The search over its results, 已选 on one line under them with 清空事项."""
    chosen_row = QHBoxLayout()
    chosen_row.addWidget(QLabel(QCoreApplication.translate("CasePanel", "已选："), parent))
    chosen_row.addWidget(chosen, 1)
    chosen_row.addWidget(clear)
    box = QGroupBox(
        QCoreApplication.translate("CasePanel", "办理事项（Ctrl+F 搜索，回车选择）"), parent
    )
    box.setObjectName("matterBox")
    layout = QVBoxLayout(box)
    layout.addWidget(search)
    layout.addLayout(chosen_row)
    layout.addStretch(1)
    return box


def checklist_box(parent: QWidget, checklist: QTableView, legend: QLabel) -> QGroupBox:
    box = QGroupBox(QCoreApplication.translate("CasePanel", "材料核对"), parent)
    box.setObjectName("checklistBox")
    layout = QVBoxLayout(box)
    layout.addWidget(checklist, 1)
    layout.addWidget(legend)
    return box


def lay_out(
    panel: QWidget,
    header: QBoxLayout,
    applicant: QWidget,
    matters: QWidget,
    checklist: QWidget,
    decision: QWidget,
    actions: QWidget,
) -> None:
    """header / applicant | matters / checklist over the decision | the actions' column."""
    top = QHBoxLayout()
    top.addWidget(applicant, 5)
    top.addWidget(matters, 6)
    actions.setMaximumWidth(380)
    lower = QGridLayout()
    lower.addWidget(checklist, 0, 0)
    lower.addWidget(decision, 1, 0)
    lower.addWidget(actions, 0, 1, 2, 1)
    lower.setRowStretch(0, 1)
    lower.setColumnStretch(0, 1)
    layout = QVBoxLayout(panel)
    layout.addLayout(header)
    layout.addLayout(top)
    layout.addLayout(lower, 1)
