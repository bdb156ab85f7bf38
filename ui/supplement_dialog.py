"""An applicant comes back (补齐 / 补正): find the case by any number on its papers (the document
number, the case number, the QR code's address: a scanner types it and Enter), by the
applicant's ID number, phone or name (app.services.case_lookup); then

- a gap case (容缺受理): tick the materials handed in and record them (record_supplement);
- a notified case (一次性告知): start a NEW case linked to the first, with what was already
  received carried over (the acceptance panel takes it from there: `restart_requested`).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.clock import hall_day, hall_today
from app.messages import from_stored
from app.privacy import mask_id_number, mask_phone
from app.rules.decision import STATUS_LABELS as MATERIAL_STATUS_LABELS
from app.rules.decision import MaterialStatus
from app.rules.lifecycle import DEADLINE_LABELS, GAP_STATUSES, CaseStatus
from app.services.aftercare import record_supplement
from app.services.case_lookup import find_for_supplement
from app.services.case_queries import CaseSummary, get_case
from app.services.changes import DeskContext
from app.services.desk_queries import Session
from db.engine import Database
from ui.access_log import SearchRecorder
from ui.actions import ACTIONS
from ui.messages import describe, localise
from ui.operations import CASES, operations_for
from ui.table_model import RowTableModel

_Index = QModelIndex | QPersistentModelIndex
# A material as read for the dialog: code, name, status, gap deadline, supplied at, why missing.
_Material = tuple[str, str, str, date | None, datetime | None, str | None]


class FoundCasesModel(RowTableModel[CaseSummary]):
    HEADERS = (
        str(QT_TRANSLATE_NOOP("FoundCasesModel", "办件编号")),
        str(QT_TRANSLATE_NOOP("FoundCasesModel", "申请人")),
        str(QT_TRANSLATE_NOOP("FoundCasesModel", "事项")),
        str(QT_TRANSLATE_NOOP("FoundCasesModel", "状态")),
        str(QT_TRANSLATE_NOOP("FoundCasesModel", "收件日期")),
        str(QT_TRANSLATE_NOOP("FoundCasesModel", "证件号码")),
        str(QT_TRANSLATE_NOOP("FoundCasesModel", "联系电话")),
    )

    def set_row(self, row: int, summary: CaseSummary) -> None:
        self.rows[row] = summary
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        return (
            row.case_no,
            row.applicant_name,
            self.tr("、").join(row.matter_names),
            localise(row.status_label),
            f"{hall_day(row.received_at):%Y-%m-%d}",
            mask_id_number(row.applicant_id_number),  # masked: the full number only in the case
            mask_phone(row.applicant_phone),
        )[index.column()]


class SupplementDialog(QDialog):
    """Find a case and record what the applicant brought back."""

    restart_requested = Signal(str)  # a notified case's id: start its new case in the panel
    case_changed = Signal(str)  # a case whose supplements were recorded

    def __init__(
        self,
        database: Database,
        ctx: DeskContext,
        parent: QWidget | None = None,
        *,
        query: str = "",
        ticket_id: str | None = None,
    ) -> None:
        """`ticket_id`: the ticket being served, if any; a supplement recorded during its
        visit is linked to it (the one-visit rate counts visits per case)."""
        super().__init__(parent)
        self.setObjectName("supplementDialog")
        self.setAccessibleName(self.tr("补齐与补正"))
        self.setWindowTitle(self.tr("补齐 / 补正"))
        self.resize(820, 560)
        self.database = database
        self.ctx = ctx
        self.ops = operations_for(database)
        self.id_searches = SearchRecorder(self.ops, ctx, "supplement")
        self.ticket_id = ticket_id
        self._case: CaseSummary | None = None
        # Searches and a case's detail are read on the database's worker; an answer is shown
        # only if it answers the latest question of its kind (older ones are dropped).
        self._asked = {"search": 0, "detail": 0}
        self._shown_case_id: str | None = None  # whose detail is shown or being read
        # The case whose materials take the focus once read (the one a scan found).
        self._focus_after_detail: str | None = None

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("caseSearchEdit")
        self.search_edit.setAccessibleName(self.tr("办件查找"))
        self.search_edit.setPlaceholderText(
            self.tr(
                "扫描文书的条码或二维码，或输入文书编号、办件编号、身份证号码、电话、姓名，回车查找"
            )
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_button = self._button("caseSearchButton", self.tr("查找"))
        self.results = FoundCasesModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("caseSearchResults")
        self.table.setAccessibleName(self.tr("查找到的办件"))
        self.table.setModel(self.results)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col in range(len(FoundCasesModel.HEADERS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(170)

        self.message = QLabel(self)
        self.message.setObjectName("supplementMessage")
        self.message.setAccessibleName(self.tr("提示"))
        self.message.setWordWrap(True)
        self.detail = QLabel(self)
        self.detail.setObjectName("caseDetail")
        self.detail.setWordWrap(True)
        self.materials = QListWidget(self)
        self.materials.setObjectName("supplementMaterials")
        self.materials.setAccessibleName(self.tr("容缺材料（空格勾选已补齐的）"))
        self.record_button = self._button(
            "recordSupplementButton", ACTIONS.spec("recordSupplement").button_text()
        )
        self.restart_button = self._button("restartButton", self.tr("补正后重新受理"))
        self.close_button = self._button("closeSupplementButton", self.tr("关闭"))

        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.search_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.restart_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addWidget(self.message)
        layout.addWidget(self.table)
        layout.addWidget(self.detail)
        layout.addWidget(self.materials, 1)
        layout.addLayout(buttons)

        self.search_edit.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_case(current.row())
        )
        self.record_button.clicked.connect(self.record)
        self.restart_button.clicked.connect(self.restart)
        self.close_button.clicked.connect(self.reject)
        self.record_action = ACTIONS.create("recordSupplement", self, self.record)
        self._show_case(-1)
        if query:
            self.search_edit.setText(query)
            self.search()

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.setAutoDefault(False)
        return button

    # --- finding ---------------------------------------------------------------------------

    def search(self) -> None:
        query = self.search_edit.text().strip()
        if not query:
            self._ask("search")  # a search still on its way is no longer wanted
            self._say(
                self.tr(
                    "请扫描文书的条码或二维码，或输入文书编号、办件编号、身份证号码、电话或姓名"
                ),
                error=True,
            )
            return
        token = self._ask("search")
        today = hall_today()
        self._say(self.tr("正在查找…"), error=False)
        self.ops.read(
            lambda s: find_for_supplement(s, query, today),
            partial(self._found, token, query),
            on_failed=partial(self._search_failed, token),
            owner=self,
        )
        self.id_searches.searched(query)

    def _found(self, token: int, query: str, rows: list[CaseSummary]) -> None:
        if not self._current("search", token):
            return
        self._shown_case_id = None
        self.results.set_rows(rows)
        if not rows:
            compact = "".join(query.split())
            if compact.isdigit() and len(compact) == 20:
                text = self.tr("办件编号 %1 不存在，请核对回执上的编号").replace("%1", compact)
            else:
                text = self.tr("没有找到与“%1”相符的办件").replace("%1", query)
            self._say(text, error=True)
            self._show_case(-1)
            self.search_edit.selectAll()
            return
        self._say(self.tr("找到 %1 件").replace("%1", str(len(rows))), error=False)
        # One case (a scanned number): straight to its materials once they are read;
        # several: choose first.
        self._focus_after_detail = rows[0].id if len(rows) == 1 else None
        self.table.selectRow(0)
        self._show_case(0)
        if len(rows) > 1:
            self.table.setFocus()

    def _search_failed(self, token: int, exc: BaseException) -> None:
        if self._current("search", token):
            self._say(describe(exc), error=True)

    # --- the chosen case -------------------------------------------------------------------

    def _show_case(self, row: int, *, again: bool = False) -> None:
        """Show the case of `row` (its materials are read on the worker); `again` reads it
        even when it is the one shown (its supplements were just recorded)."""
        case = self.results.rows[row] if 0 <= row < len(self.results.rows) else None
        if case is not None and case.id == self._shown_case_id and not again:
            return
        token = self._ask("detail")
        self._case = case
        self._shown_case_id = case.id if case is not None else None
        self.materials.clear()
        self.record_button.setEnabled(False)
        self.restart_button.setEnabled(False)
        if case is None:
            self.detail.clear()
            return
        self.detail.setText(self._case_title(case))
        case_id = case.id

        def read(s: Session) -> list[_Material]:
            return [
                (
                    m.material_code,
                    m.name,
                    m.status,
                    m.gap_deadline,
                    m.supplied_at,
                    from_stored(m.missing_why),
                )
                for m in get_case(s, case_id).materials
            ]

        self.ops.read(
            read,
            partial(self._show_detail, token, case),
            on_failed=partial(self._detail_failed, token),
            owner=self,
        )

    def _case_title(self, case: CaseSummary) -> str:
        return (
            self.tr("办件 %1 · %2 · %3")
            .replace("%1", case.case_no)
            .replace("%2", case.applicant_name)
            .replace("%3", localise(case.status_label))
        )

    def _detail_failed(self, token: int, exc: BaseException) -> None:
        if self._current("detail", token):
            self._shown_case_id = None  # choosing it again reads it again
            self._say(describe(exc), error=True)

    def _show_detail(self, token: int, case: CaseSummary, materials: list[_Material]) -> None:
        if not self._current("detail", token):
            return
        parts = [self._case_title(case)]
        if case.deadline is not None and case.due is not None:
            parts.append(
                self.tr("期限 %1（%2）")
                .replace("%1", f"{case.due:%Y-%m-%d}")
                .replace("%2", localise(DEADLINE_LABELS[case.deadline]))
            )
        gaps = [m for m in materials if m[3] is not None]
        if gaps and case.status is not CaseStatus.NOTIFIED:
            open_case = case.status in GAP_STATUSES
            for code, name, _status, deadline, supplied, _why in gaps:
                assert deadline is not None
                item = QListWidgetItem(self._gap_text(name, deadline, supplied is not None))
                item.setData(Qt.ItemDataRole.UserRole, code)
                if supplied is None and open_case:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Unchecked)
                else:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                self.materials.addItem(item)
            self.record_button.setEnabled(open_case)
            parts.append(
                self.tr("勾选申请人本次补齐的容缺材料（空格），然后登记补齐。")
                if open_case
                else self.tr("该办件没有待补齐的容缺材料。")
            )
        elif case.status is CaseStatus.NOTIFIED:
            for _code, name, status, _deadline, _supplied, why in materials:
                text = (
                    self.tr("%1：%2")
                    .replace("%1", name)
                    .replace("%2", localise(why or MATERIAL_STATUS_LABELS[MaterialStatus(status)]))
                )
                item = QListWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.materials.addItem(item)
            self.restart_button.setEnabled(True)
            parts.append(
                self.tr("已一次性告知：申请人补正后，重新受理为新办件（已收材料自动带入）。")
            )
        else:
            parts.append(self.tr("该办件没有待补齐或待补正的材料。"))
        self.detail.setText("\n".join(parts))
        if self.materials.count():
            self.materials.setCurrentRow(0)
        focus, self._focus_after_detail = self._focus_after_detail, None
        if focus == case.id:
            (self.materials if self.materials.count() else self.table).setFocus()

    def _gap_text(self, name: str, deadline: date, supplied: bool) -> str:
        if supplied:
            return self.tr("%1（已补齐）").replace("%1", name)
        return (
            self.tr("%1（须于 %2 前补齐）")
            .replace("%1", name)
            .replace("%2", f"{deadline:%Y-%m-%d}")
        )

    def checked_codes(self) -> list[str]:
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.materials.item(i) for i in range(self.materials.count()))
            if item.checkState() == Qt.CheckState.Checked
        ]

    def record(self) -> None:
        """Record the ticked gap materials as handed in (one transaction)."""
        case = self._case
        if case is None or case.status not in GAP_STATUSES:
            return
        codes = self.checked_codes()
        if not codes:
            self._say(self.tr("请勾选本次补齐的材料（空格勾选）"), error=True)
            self.materials.setFocus()
            return
        ctx, ticket_id = self.ctx, self.ticket_id

        def supplement(s: Session) -> CaseSummary:
            return record_supplement(s, ctx, case.id, codes, ticket_id=ticket_id)

        self.record_button.setEnabled(False)
        self.ops.write(
            supplement,
            self._recorded,
            changes={CASES},
            initiator=self,
            owner=self,
            on_failed=self._refused,
        )

    def _refused(self, exc: BaseException) -> None:
        self.record_button.setEnabled(True)
        self._say(describe(exc), error=True)

    def _recorded(self, summary: CaseSummary) -> None:
        self.case_changed.emit(summary.id)
        self._say(
            self.tr("已登记补齐，办件 %1 现为「%2」")
            .replace("%1", summary.case_no)
            .replace("%2", localise(summary.status_label)),
            error=False,
        )
        row = next(i for i, r in enumerate(self.results.rows) if r.id == summary.id)
        self.results.set_row(row, summary)
        self._show_case(row, again=True)

    def restart(self) -> None:
        case = self._case
        if case is None or case.status is not CaseStatus.NOTIFIED:
            return
        self.restart_requested.emit(case.id)
        self.accept()

    def _ask(self, question: str) -> int:
        """A new question of this kind: answers still on their way to older ones are stale."""
        self._asked[question] += 1
        return self._asked[question]

    def _current(self, question: str, token: int) -> bool:
        return self._asked[question] == token

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {'#b3261e' if error else '#1b4f8f'};")
        self.message.setProperty("error", error)
