"""The window's cases (办件): today's and every open one, overdue first, each with its deadline
state (正常 / 临期 / 超期, coloured and written). Filter by part of a case number, ID number or
name; reprint a case's paper (补打) or open its supplements."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.clock import HALL_TZ, hall_today
from app.privacy import mask_id_number, mask_phone
from app.rules.lifecycle import DEADLINE_LABELS, DeadlineState
from app.services.aftercare import hand_over
from app.services.case_queries import (
    WORKLIST_PAGE,
    CaseSummary,
    WorklistCursor,
    WorklistPage,
    find_cases,
    list_cases,
)
from app.services.changes import DeskContext
from app.services.desk_queries import Session
from db.engine import Database
from ui.access_log import SearchRecorder
from ui.actions import ACTIONS
from ui.messages import describe, localise
from ui.operations import CASES, DOCUMENTS, Operations, operations_for
from ui.printing import PrintService

if TYPE_CHECKING:  # the papers' and supplements' modules load when first used
    from app.services.case_documents import IssuedDocument

_Index = QModelIndex | QPersistentModelIndex

DEADLINE_COLOURS: dict[DeadlineState, tuple[str, str]] = {  # background, text
    DeadlineState.OVERDUE: ("#f6c9c4", "#7a1a12"),
    DeadlineState.WARNING: ("#ffe9a8", "#6b4a00"),
    DeadlineState.NORMAL: ("#dff0e0", "#1b5e2b"),
}
FILTER_DELAY_MS = 250


class CaseListModel(QAbstractTableModel):
    """The worklist (app.services.case_queries.list_cases) as the view scrolls: it holds the
    case ids of the pages read so far with their rows, and reads the next page on the
    database's worker when the view asks for more (canFetchMore/fetchMore), so nothing it
    does at start or after a save grows with the number of cases."""

    (
        COL_DEADLINE,
        COL_CASE_NO,
        COL_APPLICANT,
        COL_MATTERS,
        COL_STATUS,
        COL_RECEIVED,
        COL_DUE,
        COL_GAPS,
        COL_ID_NUMBER,
        COL_PHONE,
    ) = range(10)
    HEADERS = (
        str(QT_TRANSLATE_NOOP("CaseListModel", "期限")),
        str(QT_TRANSLATE_NOOP("CaseListModel", "办件编号")),
        str(QT_TRANSLATE_NOOP("CaseListModel", "申请人")),
        str(QT_TRANSLATE_NOOP("CaseListModel", "事项")),
        str(QT_TRANSLATE_NOOP("CaseListModel", "状态")),
        str(QT_TRANSLATE_NOOP("CaseListModel", "收件时间")),
        str(QT_TRANSLATE_NOOP("CaseListModel", "到期日")),
        str(QT_TRANSLATE_NOOP("CaseListModel", "待补")),
        str(QT_TRANSLATE_NOOP("CaseListModel", "证件号码")),
        str(QT_TRANSLATE_NOOP("CaseListModel", "联系电话")),
    )
    loaded = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ids: list[str] = []
        self.by_id: dict[str, CaseSummary] = {}
        self._next: WorklistCursor | None = None
        self._fetch: Callable[[WorklistCursor], None] | None = None
        self._loading = False
        self._generation = 0

    @property
    def rows(self) -> list[CaseSummary]:
        return [self.by_id[i] for i in self.ids]

    def reset(
        self,
        rows: Sequence[CaseSummary],
        fetch: Callable[[WorklistCursor], None] | None = None,
        after: WorklistCursor | None = None,
    ) -> None:
        """Start again with `rows` (a first page, or search results); `fetch(cursor)` reads the
        page at a cursor and hands it to `add_page`."""
        self.beginResetModel()
        self._generation += 1
        self.ids, self.by_id = [], {}
        self._take(rows)
        self._fetch, self._next, self._loading = fetch, after, False
        self.endResetModel()
        self.loaded.emit()

    def set_page(self, page: WorklistPage, fetch: Callable[[WorklistCursor], None]) -> None:
        self.reset(page.rows, fetch, page.next)

    def add_page(self, page: WorklistPage, generation: int) -> None:
        if generation != self._generation:
            return  # an answer for a list since reset
        fresh = [r for r in page.rows if r.id not in self.by_id]
        self._loading = False
        self._next = page.next
        if fresh:
            self.beginInsertRows(QModelIndex(), len(self.ids), len(self.ids) + len(fresh) - 1)
            self._take(fresh)
            self.endInsertRows()
        self.loaded.emit()

    def _take(self, rows: Iterable[CaseSummary]) -> None:
        for row in rows:
            if row.id not in self.by_id:
                self.ids.append(row.id)
                self.by_id[row.id] = row

    @property
    def generation(self) -> int:
        return self._generation

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._next is not None and self._fetch is not None

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if self._loading or not self.canFetchMore(parent) or self._next is None:
            return
        assert self._fetch is not None
        self._loading = True
        self._fetch(self._next)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate("CaseListModel", self.HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.ids):
            return None
        row = self.by_id[self.ids[index.row()]]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(localise(r) for r in row.reasons) or None
        if col == self.COL_DEADLINE and row.deadline is not None:
            background, text = DEADLINE_COLOURS[row.deadline]
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(background))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(text))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.COL_DEADLINE, self.COL_GAPS):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _text(self, row: CaseSummary, col: int) -> str:
        if col == self.COL_DEADLINE:
            return localise(DEADLINE_LABELS[row.deadline]) if row.deadline is not None else "—"
        if col == self.COL_CASE_NO:
            return row.case_no
        if col == self.COL_APPLICANT:
            return row.applicant_name
        if col == self.COL_MATTERS:
            return self.tr("、").join(row.matter_names)
        if col == self.COL_STATUS:
            return localise(row.status_label)
        if col == self.COL_RECEIVED:
            return row.received_at.astimezone(HALL_TZ).strftime("%m-%d %H:%M")
        if col == self.COL_DUE:
            return f"{row.due:%Y-%m-%d}" if row.due else "—"
        if col == self.COL_ID_NUMBER:  # masked: the full number only in the open case
            return mask_id_number(row.applicant_id_number)
        if col == self.COL_PHONE:
            return mask_phone(row.applicant_phone)
        return str(row.open_gaps) if row.open_gaps else ""


class CaseList(QWidget):
    """Today's and open cases of the desk's database."""

    case_changed = Signal(str)
    restart_requested = Signal(str)  # a notified case to restart in the acceptance panel

    def __init__(
        self,
        database: Database,
        ctx: DeskContext,
        parent: QWidget | None = None,
        *,
        print_service: PrintService | None = None,
        ops: Operations | None = None,
    ) -> None:
        """`print_service`: the desk's (shared with the case panel); its own if none.
        `ops`: the database's worker (`operations_for(database)` if none). The list reads
        again whenever a committed operation changed cases."""
        super().__init__(parent)
        self.setObjectName("caseList")
        self.setAccessibleName(self.tr("办件列表"))
        self.database = database
        self.ctx = ctx
        self.ops = ops or operations_for(database)
        self.id_searches = SearchRecorder(self.ops, ctx, "case_list")
        self.page_size = WORKLIST_PAGE  # rows read at a time
        self.ops.did_execute.connect(self._changed)
        self.print_service = print_service or PrintService(parent=self)
        self.print_service.message.connect(self._print_message)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("caseListFilter")
        self.filter_edit.setAccessibleName(self.tr("筛选办件"))
        self.filter_edit.setPlaceholderText(self.tr("按办件编号、身份证号码或姓名筛选"))
        self.filter_edit.setClearButtonEnabled(True)
        self.open_only = QCheckBox(self.tr("只看未办结"), self)
        self.open_only.setObjectName("caseListOpenOnly")
        self.open_only.setAccessibleName(self.tr("只看未办结的办件"))
        # Refreshing is the registry's action (Ctrl+R): F5 is the queue's 过号 everywhere.
        self.refresh_button = self._button(
            "caseListRefresh", ACTIONS.spec("refreshCases").button_text()
        )
        self.supplement_button = self._button("caseListSupplement", self.tr("补齐 / 补正…"))
        self.reprint_button = self._button("caseListReprint", self.tr("补打文书"))
        self.hand_over_button = self._button(
            "caseListHandOver", ACTIONS.spec("handOverCase").button_text()
        )
        self.more_button = self._button("caseListMore", self.tr("更多…"))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("caseListCount")
        self.message = QLabel(self)
        self.message.setObjectName("caseListMessage")
        self.message.setWordWrap(True)

        self.model = CaseListModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("caseListTable")
        self.table.setAccessibleName(self.tr("办件列表"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col in range(len(CaseListModel.HEADERS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CaseListModel.COL_MATTERS, QHeaderView.ResizeMode.Stretch)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.open_only)
        top.addWidget(self.refresh_button)
        top.addWidget(self.supplement_button)
        top.addWidget(self.reprint_button)
        top.addWidget(self.hand_over_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addWidget(self.more_button)
        bottom.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.refresh)
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        self.filter_edit.returnPressed.connect(self.refresh)
        self.open_only.toggled.connect(self.refresh)
        self.refresh_action = ACTIONS.create("refreshCases", self, self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.hand_over_action = ACTIONS.create("handOverCase", self, self.hand_over_selected)
        self.hand_over_button.clicked.connect(self.hand_over_selected)
        self.more_button.clicked.connect(lambda: self.model.fetchMore(QModelIndex()))
        self.model.loaded.connect(self._show_counts)
        self.supplement_button.clicked.connect(self.open_supplements)
        self.table.doubleClicked.connect(lambda _i: self.open_supplements())
        self.refresh()

    def _print_message(self, text: str) -> None:
        self._say(text, error=False)

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.setAutoDefault(False)
        return button

    def today(self) -> date:
        return hall_today()

    def _changed(self, changes: frozenset[str], _initiator: object) -> None:
        if CASES in changes:
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read the first page again, on the database's worker (after a save, a supplement, or
        a new day): the worklist, or with text in the filter the cases it finds."""
        self._filter_timer.stop()
        today, open_only = self.today(), self.open_only.isChecked()
        text = self.filter_edit.text().strip()
        if text:
            self.ops.read(lambda s: find_cases(s, text, today), self._show_found, owner=self)
            self.id_searches.searched(text)
            return

        limit = self.page_size

        def read(s: Session) -> WorklistPage:
            return list_cases(s, today=today, open_only=open_only, limit=limit)

        self.ops.read(read, self._show_page, owner=self)

    def _fetch(self, cursor: WorklistCursor) -> None:
        today, open_only = self.today(), self.open_only.isChecked()
        generation = self.model.generation

        limit = self.page_size

        def read(s: Session) -> WorklistPage:
            return list_cases(s, today=today, open_only=open_only, after=cursor, limit=limit)

        self.ops.read(read, lambda page: self.model.add_page(page, generation), owner=self)

    def _show_page(self, page: WorklistPage) -> None:
        selected = self.selected()
        self.model.set_page(page, self._fetch)
        self._reselect(selected)

    def _show_found(self, rows: list[CaseSummary]) -> None:
        selected = self.selected()
        self.model.reset(rows)
        if len(rows) == 1:
            # The one case the filter found is the one the clerk acts on (Enter, 补打, 送达).
            self.table.selectRow(0)
            self.table.setCurrentIndex(self.model.index(0, 0))
        else:
            self._reselect(selected)

    def _reselect(self, selected: CaseSummary | None) -> None:
        if selected is not None and selected.id in self.model.by_id:
            self.table.selectRow(self.model.ids.index(selected.id))

    def _show_counts(self) -> None:
        rows = self.model.rows
        overdue = sum(1 for r in rows if r.deadline is DeadlineState.OVERDUE)
        warning = sum(1 for r in rows if r.deadline is DeadlineState.WARNING)
        self.count_label.setText(
            self.tr("列出 %1 件，超期 %2 件，临期 %3 件")
            .replace("%1", str(len(rows)))
            .replace("%2", str(overdue))
            .replace("%3", str(warning))
        )
        self.more_button.setEnabled(self.model.canFetchMore(QModelIndex()))

    def selected(self) -> CaseSummary | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.model.ids):
            return None
        return self.model.by_id[self.model.ids[rows[0].row()]]

    def hand_over_selected(self) -> None:
        """Hand the selected decided case's result to the applicant (办结送达)."""
        case = self.selected()
        if case is None:
            self._say(self.tr("请先选择办件"), error=True)
            return
        ctx, case_id = self.ctx, case.id

        def done(summary: CaseSummary) -> None:
            self._say(self.tr("已送达：%1").replace("%1", summary.case_no), error=False)
            self.case_changed.emit(summary.id)

        self.ops.write(
            lambda s: hand_over(s, ctx, case_id),
            done,
            changes={CASES},
            initiator=self,
            on_failed=lambda exc: self._say(describe(exc), error=True),
            owner=self,
        )

    def reprint_selected(self) -> None:
        case = self.selected()
        if case is None:
            self._say(self.tr("请先选择办件"), error=True)
            return
        ctx, case_id = self.ctx, case.id
        from app.services.case_documents import documents_for_case
        from ui.case_papers import print_case_documents

        def documents(s: Session) -> list[IssuedDocument]:
            return documents_for_case(s, ctx, case_id)

        self.ops.write(
            documents,
            lambda docs: print_case_documents(
                self, self.print_service, self.database, self.ctx, docs
            ),
            changes={DOCUMENTS},
            initiator=self,
            on_failed=lambda exc: self._say(describe(exc), error=True),
            owner=self,
        )

    def open_supplements(self) -> None:
        from ui.supplement_dialog import SupplementDialog

        case = self.selected()
        dialog = SupplementDialog(self.database, self.ctx, self, query=case.case_no if case else "")
        dialog.case_changed.connect(self.case_changed)
        dialog.restart_requested.connect(self.restart_requested)
        dialog.exec()

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {'#b3261e' if error else '#1b4f8f'};")
