"""The window clerk's queue panel: the current ticket, the waiting counts per line, and the
calling actions, each on a function key (F1 lists them). Thin: every rule lives in app.queue;
the panel only asks the queue backend and shows the answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import UserError
from app.queue.backend import LocalQueue, QueueBackend
from app.queue.engine import KIND_NAMES, PRIORITY_GROUP_NAMES, STATUS_NAMES
from app.queue.views import LineInfo, LineWaiting, TicketView, WindowState
from app.services.changes import DeskContext
from db.ids import new_id
from ui.actions import ACTIONS
from ui.rating import ask_rating
from ui.table_model import RowTableModel

REFRESH_MS = 3000
NO_SHOW_REASONS = (
    str(QT_TRANSLATE_NOOP("QueuePanel", "多次呼叫未到窗口")),
    str(QT_TRANSLATE_NOOP("QueuePanel", "申请人已离开")),
    str(QT_TRANSLATE_NOOP("QueuePanel", "申请人暂去补充材料")),
)


class HasSessions(Protocol):
    """What the panel needs of the lead's Database: a sessionmaker."""

    session: sessionmaker[Session]


@dataclass(frozen=True)
class TransferTarget:
    line_code: str | None
    window_number: int | None


# The Qt-free core names ticket states, kinds and priority groups in Chinese (STATUS_NAMES,
# KIND_NAMES, PRIORITY_GROUP_NAMES); marked here so lupdate extracts them for the
# translate("QueuePanel", …) calls below. tests/test_i18n.py checks none is missing.
_CORE_NAMES = (
    QT_TRANSLATE_NOOP("QueuePanel", "等候中"),
    QT_TRANSLATE_NOOP("QueuePanel", "已叫号"),
    QT_TRANSLATE_NOOP("QueuePanel", "办理中"),
    QT_TRANSLATE_NOOP("QueuePanel", "已过号"),
    QT_TRANSLATE_NOOP("QueuePanel", "已办结"),
    QT_TRANSLATE_NOOP("QueuePanel", "已关闭"),
    QT_TRANSLATE_NOOP("QueuePanel", "普通"),
    QT_TRANSLATE_NOOP("QueuePanel", "优先"),
    QT_TRANSLATE_NOOP("QueuePanel", "预约"),
    QT_TRANSLATE_NOOP("QueuePanel", "老年人"),
    QT_TRANSLATE_NOOP("QueuePanel", "孕妇"),
    QT_TRANSLATE_NOOP("QueuePanel", "残疾人"),
    QT_TRANSLATE_NOOP("QueuePanel", "军人"),
)


class WaitingCountsModel(RowTableModel[LineWaiting]):
    """Waiting tickets per line: 业务, 号段, 等候, 其中优先, 最长等候(分钟)."""

    HEADERS = (
        str(QT_TRANSLATE_NOOP("WaitingCountsModel", "业务")),
        str(QT_TRANSLATE_NOOP("WaitingCountsModel", "号段")),
        str(QT_TRANSLATE_NOOP("WaitingCountsModel", "等候")),
        str(QT_TRANSLATE_NOOP("WaitingCountsModel", "优先")),
        str(QT_TRANSLATE_NOOP("WaitingCountsModel", "最久(分)")),
    )

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        line = self.rows[index.row()]
        values = (
            line.line_name,
            line.prefix,
            line.waiting,
            line.priority_waiting,
            line.longest_wait_minutes,
        )
        if role == Qt.ItemDataRole.DisplayRole:
            return values[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class NoShowDialog(QDialog):
    """过号: why the applicant is passed (a reason is required)."""

    def __init__(self, ticket: TicketView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noShowDialog")
        self.setWindowTitle(self.tr("过号 {0}").format(ticket.number))
        form = QFormLayout(self)
        self.reason = QComboBox(self)
        self.reason.setObjectName("noShowReason")
        self.reason.setAccessibleName(self.tr("过号原因"))
        self.reason.setEditable(True)
        self.reason.addItems(
            [QCoreApplication.translate("QueuePanel", reason) for reason in NO_SHOW_REASONS]
        )
        form.addRow(self.tr("过号原因"), self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("noShowButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class TransferDialog(QDialog):
    """Transfer to another line, or to a specific window (or both)."""

    def __init__(
        self,
        ticket: TicketView,
        lines: tuple[LineInfo, ...],
        windows: tuple[WindowState, ...],
        own_window: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("transferDialog")
        self.setWindowTitle(self.tr("转移 {0}").format(ticket.number))
        form = QFormLayout(self)
        self.line_choice = QComboBox(self)
        self.line_choice.setObjectName("transferLine")
        self.line_choice.setAccessibleName(self.tr("转到业务"))
        self.line_choice.addItem(self.tr("（不改业务）"), None)
        for line in lines:
            if line.code != ticket.line_code:
                self.line_choice.addItem(f"{line.prefix} {line.name}", line.code)
        self.window_choice = QComboBox(self)
        self.window_choice.setObjectName("transferWindow")
        self.window_choice.setAccessibleName(self.tr("转到窗口"))
        self.window_choice.addItem(self.tr("（任一窗口）"), None)
        for window in windows:
            if window.number != own_window:
                self.window_choice.addItem(
                    self.tr("{0}号窗口").format(window.number), window.number
                )
        form.addRow(self.tr("转到业务"), self.line_choice)
        form.addRow(self.tr("转到窗口"), self.window_choice)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def target(self) -> TransferTarget:
        return TransferTarget(self.line_choice.currentData(), self.window_choice.currentData())


class PickTicketDialog(QDialog):
    """Choose a waiting or passed ticket to call out of order."""

    def __init__(self, tickets: list[TicketView], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pickTicketDialog")
        self.setWindowTitle(self.tr("叫指定号"))
        layout = QVBoxLayout(self)
        self.list = QListWidget(self)
        self.list.setObjectName("pickTicketList")
        self.list.setAccessibleName(self.tr("可叫的号"))
        for ticket in tickets:
            state = QCoreApplication.translate("QueuePanel", STATUS_NAMES[ticket.status])
            item = QListWidgetItem(f"{ticket.number}  {state}")
            item.setData(Qt.ItemDataRole.UserRole, ticket.id)
            self.list.addItem(item)
        if tickets:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))


class QueuePanel(QWidget):
    """The clerk's queue controls. Signals carry the ticket id, so the case panel can attach
    the ticket to the case it serves."""

    ticket_called = Signal(str)
    service_started = Signal(str)
    service_ended = Signal(str)

    # The calling actions (ids in ui/actions.py); the order of the buttons.
    ACTIONS = (
        "callNext",
        "recall",
        "startService",
        "noShow",
        "transfer",
        "endService",
        "pause",
        "callSpecific",
    )

    def __init__(
        self,
        database: HasSessions,
        ctx: DeskContext,
        parent: QWidget | None = None,
        *,
        backend: QueueBackend | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("queuePanel")
        self.setAccessibleName(self.tr("排队叫号"))
        self.ctx = ctx
        self.backend: QueueBackend = backend or LocalQueue(database.session)
        self._current: TicketView | None = None
        self._paused = False
        self._pending_call_id: str | None = None
        self.rating_widget: QWidget | None = None
        # Dialog hooks: replaced in tests; each returns None when the clerk cancels.
        self.ask_no_show_reason: Callable[[TicketView], str | None] = self._ask_no_show_reason
        self.ask_transfer_target: Callable[[TicketView], TransferTarget | None] = (
            self._ask_transfer_target
        )
        self.ask_ticket_to_call: Callable[[list[TicketView]], str | None] = self._ask_ticket_to_call
        self.ask_rating: Callable[[TicketView], QWidget | None] = self._ask_rating
        self._build()
        self.refresh()
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh_counts)
        self._timer.start()

    # --- layout -------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.window_label = QLabel(self)
        self.window_label.setObjectName("queueWindow")
        layout.addWidget(self.window_label)
        self.current_label = QLabel(self)
        self.current_label.setObjectName("currentTicket")
        self.current_label.setAccessibleName(self.tr("当前号"))
        font = QFont(self.current_label.font())
        font.setPointSize(28)
        font.setBold(True)
        self.current_label.setFont(font)
        self.current_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.current_label)
        self.detail_label = QLabel(self)
        self.detail_label.setObjectName("currentDetail")
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.detail_label)

        grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        self.queue_actions: dict[str, QAction] = {}
        handlers: dict[str, Callable[[], None]] = {
            "callNext": self.call_next,
            "recall": self.recall,
            "startService": self.start_service,
            "noShow": self.no_show,
            "transfer": self.transfer,
            "endService": self.end_service,
            "pause": self.toggle_pause,
            "callSpecific": self.call_specific,
        }
        for i, name in enumerate(self.ACTIONS):
            spec = ACTIONS.spec(name)
            text, key = spec.text(), spec.key_text()
            button = QPushButton(f"{text}\n{key}", self)
            button.setObjectName(name)
            button.setAccessibleName(text)
            button.setToolTip(self.tr("{0}（快捷键 {1}）").format(text, key))
            button.setMinimumHeight(48)
            button.clicked.connect(handlers[name])
            grid.addWidget(button, i // 4, i % 4)
            self.buttons[name] = button
            # Window-wide (the registry's "desk" scope): F2 calls from anywhere in the window.
            self.queue_actions[name] = ACTIONS.create(
                name, self, lambda n=name: self._trigger(n)  # type: ignore[misc]
            )
        layout.addLayout(grid)

        self.message = QLabel(self)
        self.message.setObjectName("queueMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.counts_model = WaitingCountsModel(self)
        self.counts_view = QTableView(self)
        self.counts_view.setObjectName("waitingCounts")
        self.counts_view.setAccessibleName(self.tr("各业务等候人数"))
        self.counts_view.setModel(self.counts_model)
        header = self.counts_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.counts_view.verticalHeader().setVisible(False)
        self.counts_view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.counts_view, 1)

    def _trigger(self, name: str) -> None:
        button = self.buttons[name]
        if button.isEnabled():
            button.click()

    # --- state --------------------------------------------------------------------------

    def current_ticket(self) -> TicketView | None:
        return self._current

    def refresh(self) -> None:
        window_number = self.ctx.window_number
        if window_number is None:
            self.window_label.setText(self.tr("本机未设置窗口号"))
            self._current = None
        else:
            try:
                state = self.backend.window_state(window_number)
            except UserError as exc:
                self.window_label.setText(str(exc))
            else:
                self._paused = state.paused
                status = self.tr("已暂停") if state.paused else self.tr("叫号中")
                self.window_label.setText(self.tr("{0}号窗口 · {1}").format(state.number, status))
            self._current = self.backend.current_ticket(window_number)
        self._show_current()
        self.refresh_counts()

    def refresh_counts(self) -> None:
        self.counts_model.set_rows(self.backend.waiting_counts().lines)

    def _show_current(self) -> None:
        ticket = self._current
        if ticket is None:
            self.current_label.setText(self.tr("无"))
            self.detail_label.setText(
                self.tr("按 {0} 叫下一位").format(ACTIONS.spec("callNext").key_text())
            )
        else:
            self.current_label.setText(ticket.number)
            parts = [QCoreApplication.translate("QueuePanel", STATUS_NAMES[ticket.status])]
            if ticket.kind != "normal":
                parts.append(QCoreApplication.translate("QueuePanel", KIND_NAMES[ticket.kind]))
            if ticket.priority_group:
                group = PRIORITY_GROUP_NAMES[ticket.priority_group]
                parts.append(QCoreApplication.translate("QueuePanel", group))
            if ticket.call_count > 1:
                parts.append(self.tr("已呼叫{0}次").format(ticket.call_count))
            if ticket.offline:
                parts.append(self.tr("离线号"))
            self.detail_label.setText(" · ".join(parts))
        status = ticket.status if ticket else None
        idle = ticket is None and not self._paused
        self.buttons["callNext"].setEnabled(idle)
        self.buttons["callSpecific"].setEnabled(idle)
        self.buttons["recall"].setEnabled(status == "called")
        self.buttons["startService"].setEnabled(status == "called")
        self.buttons["noShow"].setEnabled(status == "called")
        self.buttons["transfer"].setEnabled(status in ("called", "serving"))
        self.buttons["endService"].setEnabled(status == "serving")
        pause_text = self.tr("恢复") if self._paused else self.tr("暂停")
        pause_key = ACTIONS.spec("pause").key_text()
        self.buttons["pause"].setText(f"{pause_text}\n{pause_key}")
        self.buttons["pause"].setAccessibleName(pause_text)
        self.buttons["pause"].setToolTip(self.tr("{0}（快捷键 {1}）").format(pause_text, pause_key))

    def _run(self, action: Callable[[], object]) -> bool:
        """Run a backend action; a refusal is shown, not raised. Returns True on success."""
        try:
            action()
        except UserError as exc:
            self.message.setText(str(exc))
            self.refresh()
            return False
        self.message.setText("")
        return True

    # --- actions ------------------------------------------------------------------------

    def call_next(self) -> None:
        # The same request id is reused until a call gets an answer, so that a retry after a
        # lost answer (a lock timeout, later the network) cannot call a second ticket.
        if self._pending_call_id is None:
            self._pending_call_id = new_id()
        request_id = self._pending_call_id
        result_box: list[Any] = []
        try:
            called = self._run(
                lambda: result_box.append(self.backend.call_next(self.ctx, request_id))
            )
        except OperationalError:
            # Busy or unreachable: keep the request id, so pressing F2 again is a safe retry.
            self.message.setText(self.tr("数据库繁忙，请再按一次 F2（不会重复叫号）"))
            return
        if not called:
            self._pending_call_id = None
            return
        self._pending_call_id = None
        result = result_box[0]
        if result.ticket is None:
            self.message.setText(self.tr("暂无等候的号"))
            self.refresh()
            return
        self._after_call(result.ticket)

    def _after_call(self, ticket: TicketView) -> None:
        self.refresh()
        self.ticket_called.emit(ticket.id)

    def call_specific(self) -> None:
        if self.ctx.window_number is None:
            self.message.setText(self.tr("本机未设置窗口号"))
            return
        window_number = self.ctx.window_number
        tickets = [*self.backend.window_queue(window_number), *self.backend.passed_tickets()]
        if not tickets:
            self.message.setText(self.tr("暂无可叫的号"))
            return
        chosen = self.ask_ticket_to_call(tickets)
        if chosen is None:
            return
        box: list[Any] = []
        if self._run(lambda: box.append(self.backend.call_ticket(self.ctx, chosen))):
            self._after_call(box[0].ticket)

    def recall(self) -> None:
        if self._current is None:
            return
        ticket = self._current
        if self._run(lambda: self.backend.recall(self.ctx, ticket.id)):
            self._after_call(ticket)

    def start_service(self) -> None:
        if self._current is None:
            return
        ticket = self._current
        if self._run(lambda: self.backend.start_service(self.ctx, ticket.id)):
            self.refresh()
            self.service_started.emit(ticket.id)

    def no_show(self) -> None:
        if self._current is None:
            return
        ticket = self._current
        reason = self.ask_no_show_reason(ticket)
        if reason is None:
            return
        if self._run(lambda: self.backend.mark_no_show(self.ctx, ticket.id, reason)):
            self.refresh()

    def transfer(self) -> None:
        if self._current is None:
            return
        ticket = self._current
        target = self.ask_transfer_target(ticket)
        if target is None:
            return
        if self._run(
            lambda: self.backend.transfer(
                self.ctx, ticket.id, to_line=target.line_code, to_window=target.window_number
            )
        ):
            self.refresh()

    def end_service(self) -> None:
        if self._current is None:
            return
        ticket = self._current
        box: list[TicketView] = []
        if self._run(lambda: box.append(self.backend.end_service(self.ctx, ticket.id))):
            self.refresh()
            self.service_ended.emit(ticket.id)
            self.rating_widget = self.ask_rating(box[0])

    def toggle_pause(self) -> None:
        if self._paused:
            ok = self._run(lambda: self.backend.resume_window(self.ctx))
        else:
            ok = self._run(lambda: self.backend.pause_window(self.ctx))
        if ok:
            self.refresh()

    # --- the default dialogs ------------------------------------------------------------

    def _ask_no_show_reason(self, ticket: TicketView) -> str | None:
        dialog = NoShowDialog(ticket, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason.currentText()

    def _ask_transfer_target(self, ticket: TicketView) -> TransferTarget | None:
        dialog = TransferDialog(
            ticket,
            self.backend.lines(),
            self.backend.windows(),
            self.ctx.window_number,
            self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.target()

    def _ask_ticket_to_call(self, tickets: list[TicketView]) -> str | None:
        dialog = PickTicketDialog(tickets, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()

    def _ask_rating(self, ticket: TicketView) -> QWidget | None:
        return ask_rating(self.backend, self.ctx, ticket, self)
