"""The window clerk's queue panel: the current ticket, the waiting counts per line, and the
calling actions, each on a function key (F1 lists them). Thin: every rule lives in app.queue;
the panel only asks the queue backend and shows the answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

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

from app.errors import UserError
from app.queue.backend import LocalQueue, QueueBackend
from app.queue.tickets import KIND_NAMES, PRIORITY_GROUP_NAMES, STATUS_NAMES
from app.queue.views import CallResult, LineInfo, LineWaiting, TicketView, WindowState
from app.queue.window_actions import ACTION_STATUSES
from app.services.changes import DeskContext
from db.engine import Database
from db.ids import new_id
from ui.actions import ACTIONS
from ui.messages import describe, localise
from ui.operations import QUEUE, Operations, operations_for
from ui.rating import ask_rating
from ui.table_model import RowTableModel

T = TypeVar("T")

REFRESH_MS = 3000
NO_SHOW_REASONS = (
    str(QT_TRANSLATE_NOOP("QueuePanel", "多次呼叫未到窗口")),
    str(QT_TRANSLATE_NOOP("QueuePanel", "申请人已离开")),
    str(QT_TRANSLATE_NOOP("QueuePanel", "申请人暂去补充材料")),
)


@dataclass(frozen=True)
class _PanelState:
    """One refresh's reading of the queue, made on the worker."""

    window: WindowState | str | None  # the window, or why it cannot be read
    current: TicketView | None
    counts: tuple[LineWaiting, ...]
    lines: tuple[LineInfo, ...]
    windows: tuple[WindowState, ...]


@dataclass(frozen=True)
class TransferTarget:
    line_code: str | None
    window_number: int | None


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
            state = localise(STATUS_NAMES[ticket.status])
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
    _waiting = Signal(int)
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
        "nextApplicant",
    )

    def __init__(
        self,
        database: Database,
        ctx: DeskContext,
        parent: QWidget | None = None,
        *,
        backend: QueueBackend | None = None,
        ops: Operations | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("queuePanel")
        self.setAccessibleName(self.tr("排队叫号"))
        self.ctx = ctx
        # Emitted on the worker while an action waits for another window's write lock; shown
        # on the UI thread (a queued connection), so the clerk knows why nothing happened yet.
        self._waiting.connect(self._show_waiting)
        self.backend: QueueBackend = backend or LocalQueue(database, on_wait=self._waiting.emit)
        # Every read and action runs on the database's worker (ui/operations.py): a slow disk
        # or another window's write lock never freezes the desk.
        self.ops = ops or operations_for(database)
        self._current: TicketView | None = None
        self._paused = False
        self._lines: tuple[LineInfo, ...] = ()
        self._windows: tuple[WindowState, ...] = ()
        self._pending_call_id: str | None = None
        self._acting = False  # an action is on its way: a second key press waits for it
        self._refreshing = False
        self._refresh_again = False
        self.rating_widget: QWidget | None = None
        # Dialog hooks: replaced in tests; each returns None when the clerk cancels.
        self.ask_no_show_reason: Callable[[TicketView], str | None] = self._ask_no_show_reason
        self.ask_transfer_target: Callable[[TicketView], TransferTarget | None] = (
            self._ask_transfer_target
        )
        self.ask_ticket_to_call: Callable[[list[TicketView]], str | None] = self._ask_ticket_to_call
        self.ask_rating: Callable[[TicketView], QWidget | None] = self._ask_rating
        self._build()
        # What any window of this desk changed in the queue (this panel's own actions too).
        self.ops.did_execute.connect(self._on_changes)
        self.refresh()
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
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
            "nextApplicant": self.next_applicant,
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
                name,
                self,
                lambda n=name: self._trigger(n),  # type: ignore[misc]
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
        self.counts_view.setTabKeyNavigation(False)  # Tab leaves the table
        layout.addWidget(self.counts_view, 1)

    def _trigger(self, name: str) -> None:
        button = self.buttons[name]
        if button.isEnabled():
            button.click()

    # --- state --------------------------------------------------------------------------

    def current_ticket(self) -> TicketView | None:
        return self._current

    def _on_changes(self, changes: frozenset[str], _initiator: object) -> None:
        if QUEUE in changes:
            self.refresh()

    def refresh(self) -> None:
        """Read the window, its ticket and the waiting counts on the worker; show them when
        they arrive. A refresh already on its way is not asked for twice."""
        if self._refreshing:
            # The reading on its way may predate what was just done: read once more after it.
            self._refresh_again = True
            return
        self._refreshing = True
        self._refresh_again = False
        backend, window_number = self.backend, self.ctx.window_number

        def read() -> _PanelState:
            state: WindowState | str | None = None
            current = None
            if window_number is not None:
                try:
                    state = backend.window_state(window_number)
                except UserError as exc:
                    state = describe(exc)
                current = backend.current_ticket(window_number)
            return _PanelState(
                state, current, backend.waiting_counts().lines, backend.lines(), backend.windows()
            )

        self.ops.run(read, self._show_state, on_failed=self._refresh_failed, owner=self)

    def _show_waiting(self, attempt: int) -> None:
        self.message.setText(
            self.tr("另一个窗口正在保存，稍候自动重试（第{0}次）…").format(attempt)
        )

    def _refresh_failed(self, _exc: BaseException) -> None:
        # Reported once, in the status bar, by the operations' one handler.
        self._refresh_done()

    def _refresh_done(self) -> None:
        self._refreshing = False
        if self._refresh_again:
            self.refresh()

    def _show_state(self, st: _PanelState) -> None:
        try:
            self._show_reading(st)
        finally:
            self._refresh_done()

    def _show_reading(self, st: _PanelState) -> None:
        if self.ctx.window_number is None:
            self.window_label.setText(self.tr("本机未设置窗口号"))
        elif isinstance(st.window, str):
            self.window_label.setText(st.window)
        elif st.window is not None:
            self._paused = st.window.paused
            status = self.tr("已暂停") if st.window.paused else self.tr("叫号中")
            self.window_label.setText(self.tr("{0}号窗口 · {1}").format(st.window.number, status))
        self._current = st.current
        if st.current is not None:
            self._pending_call_id = None  # a call's lost answer has been found: no retry
        self._lines, self._windows = st.lines, st.windows
        self._show_current()
        self.counts_model.set_rows(st.counts)

    def _show_current(self) -> None:
        ticket = self._current
        if ticket is None:
            self.current_label.setText(self.tr("无"))
            self.detail_label.setText(
                self.tr("按 {0} 叫下一位").format(ACTIONS.spec("callNext").key_text())
            )
        else:
            self.current_label.setText(ticket.number)
            parts = [localise(STATUS_NAMES[ticket.status])]
            if ticket.kind != "normal":
                parts.append(localise(KIND_NAMES[ticket.kind]))
            if ticket.priority_group:
                parts.append(localise(PRIORITY_GROUP_NAMES[ticket.priority_group]))
            if ticket.call_count > 1:
                parts.append(self.tr("已呼叫{0}次").format(ticket.call_count))
            if ticket.offline:
                parts.append(self.tr("离线号"))
            self.detail_label.setText(" · ".join(parts))
        status = ticket.status if ticket else None
        idle = ticket is None and not self._paused
        self.buttons["callNext"].setEnabled(idle)
        self.buttons["callSpecific"].setEnabled(idle)
        ending = status in ACTION_STATUSES["end_service"]
        self.buttons["nextApplicant"].setEnabled(idle or ending)
        for button, action in (
            ("recall", "recall"),
            ("startService", "start_service"),
            ("noShow", "mark_no_show"),
            ("transfer", "transfer"),
            ("endService", "end_service"),
        ):
            self.buttons[button].setEnabled(status in ACTION_STATUSES[action])
        pause_text = self.tr("恢复") if self._paused else self.tr("暂停")
        pause_key = ACTIONS.spec("pause").key_text()
        self.buttons["pause"].setText(f"{pause_text}\n{pause_key}")
        self.buttons["pause"].setAccessibleName(pause_text)
        self.buttons["pause"].setToolTip(self.tr("{0}（快捷键 {1}）").format(pause_text, pause_key))

    def _act(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], object] | None = None,
        on_failed: Callable[[BaseException], object] | None = None,
    ) -> None:
        """Run a backend action on the worker. On success the panel (and every view of the
        queue) refreshes through did_execute; a refusal is shown in the panel, not raised."""
        if self._acting:
            return
        self._acting = True

        def done(result: T) -> None:
            self._acting = False
            self.message.setText("")
            try:
                if on_done is not None:
                    on_done(result)
            finally:
                self.ops.did_execute.emit(frozenset({QUEUE}), self)

        def failed(exc: BaseException) -> None:
            self._acting = False
            self.message.setText(describe(exc))
            if on_failed is not None:
                on_failed(exc)
            self.refresh()

        self.ops.run(work, done, on_failed=failed, owner=self)

    # --- actions ------------------------------------------------------------------------

    def call_next(self) -> None:
        # The same request id is reused until a call gets an answer, so that a retry after a
        # lost answer (a busy store, later the network) cannot call a second ticket.
        if self._pending_call_id is None:
            self._pending_call_id = new_id()
        request_id, backend, ctx = self._pending_call_id, self.backend, self.ctx

        def done(result: CallResult) -> None:
            self._pending_call_id = None
            if result.ticket is None:
                self.message.setText(self.tr("暂无等候的号"))
            else:
                self.ticket_called.emit(result.ticket.id)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError):
                self._pending_call_id = None  # refused: the next F2 is a new call
            else:
                # No answer: keep the request id, so pressing F2 again is a safe retry.
                key = ACTIONS.spec("callNext").key_text()
                self.message.setText(
                    self.tr("{0}：请再按一次 {1}（不会重复叫号）").format(describe(exc), key)
                )

        self._act(lambda: backend.call_next(ctx, request_id), done, failed)

    def call_specific(self) -> None:
        if self.ctx.window_number is None:
            self.message.setText(self.tr("本机未设置窗口号"))
            return
        window_number, backend = self.ctx.window_number, self.backend

        def read() -> list[TicketView]:
            return [*backend.window_queue(window_number), *backend.passed_tickets()]

        self.ops.run(read, self._call_one_of, owner=self)

    def _call_one_of(self, tickets: list[TicketView]) -> None:
        if not tickets:
            self.message.setText(self.tr("暂无可叫的号"))
            return
        chosen = self.ask_ticket_to_call(tickets)
        if chosen is None:
            return
        backend, ctx = self.backend, self.ctx

        def done(result: CallResult) -> None:
            if result.ticket is not None:
                self.ticket_called.emit(result.ticket.id)

        self._act(lambda: backend.call_ticket(ctx, chosen), done)

    def recall(self) -> None:
        if self._current is None:
            return
        ticket, backend, ctx = self._current, self.backend, self.ctx
        self._act(
            lambda: backend.recall(ctx, ticket.id), lambda _r: self.ticket_called.emit(ticket.id)
        )

    def start_service(self) -> None:
        if self._current is None:
            return
        ticket, backend, ctx = self._current, self.backend, self.ctx
        self._act(
            lambda: backend.start_service(ctx, ticket.id),
            lambda _t: self.service_started.emit(ticket.id),
        )

    def no_show(self) -> None:
        if self._current is None:
            return
        ticket, backend, ctx = self._current, self.backend, self.ctx
        reason = self.ask_no_show_reason(ticket)
        if reason is None:
            return
        self._act(lambda: backend.mark_no_show(ctx, ticket.id, reason))

    def transfer(self) -> None:
        if self._current is None:
            return
        ticket, backend, ctx = self._current, self.backend, self.ctx
        target = self.ask_transfer_target(ticket)
        if target is None:
            return
        self._act(
            lambda: backend.transfer(
                ctx, ticket.id, to_line=target.line_code, to_window=target.window_number
            ),
            lambda _t: self.service_ended.emit(ticket.id),  # no longer served here
        )

    def end_service(self) -> None:
        if self._current is None:
            return
        ticket, backend, ctx = self._current, self.backend, self.ctx

        def done(ended: TicketView) -> None:
            self.service_ended.emit(ticket.id)
            self.rating_widget = self.ask_rating(ended)

        self._act(lambda: backend.end_service(ctx, ticket.id), done)

    def next_applicant(self) -> None:
        """下一位 (F12): end the service of the ticket being served, then call the next one,
        in one step; with no ticket at the window, only the call."""
        ticket = self._current
        if ticket is None or ticket.status not in ACTION_STATUSES["end_service"]:
            if ticket is None and not self._paused:
                self.call_next()
            return
        if self._pending_call_id is None:
            self._pending_call_id = new_id()
        request_id, backend, ctx = self._pending_call_id, self.backend, self.ctx

        def work() -> tuple[TicketView, CallResult | BaseException]:
            ended = backend.end_service(ctx, ticket.id)
            try:  # the service ended whatever happens to the call
                return ended, backend.call_next(ctx, request_id)
            except Exception as exc:
                return ended, exc

        def done(result: tuple[TicketView, CallResult | BaseException]) -> None:
            ended, called = result
            self.service_ended.emit(ticket.id)
            self.rating_widget = self.ask_rating(ended)
            if isinstance(called, BaseException):
                if isinstance(called, UserError):
                    self._pending_call_id = None
                self.message.setText(describe(called))
                return
            self._pending_call_id = None
            if called.ticket is None:
                self.message.setText(self.tr("暂无等候的号"))
            else:
                self.ticket_called.emit(called.ticket.id)

        self._act(work, done)

    def toggle_pause(self) -> None:
        backend, ctx = self.backend, self.ctx
        if self._paused:
            self._act(lambda: backend.resume_window(ctx))
        else:
            self._act(lambda: backend.pause_window(ctx))

    # --- the default dialogs ------------------------------------------------------------

    def _ask_no_show_reason(self, ticket: TicketView) -> str | None:
        dialog = NoShowDialog(ticket, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason.currentText()

    def _ask_transfer_target(self, ticket: TicketView) -> TransferTarget | None:
        dialog = TransferDialog(
            ticket,
            self._lines,
            self._windows,
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
        return ask_rating(self.backend, self.ctx, ticket, self.ops, self)
