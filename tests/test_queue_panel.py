"""The clerk's queue panel, driven by its function keys; and the rating prompt."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.queue.backend import LocalQueue
from app.queue.views import TicketView
from db.engine import Database, StoreBusy
from db.models.queue import Ticket
from tests.test_queue_support import KIOSK, MANAGER, child, ctx, database, ops, seed_hall, sessions
from ui.actions import ACTIONS
from ui.operations import QUEUE, Operations
from ui.queue_panel import QueuePanel, TransferTarget

__all__ = ["database", "ops", "sessions"]

# pytest-qt creates the QApplication later, at the first test: headless unless told otherwise.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def backend(sessions: sessionmaker[Session]) -> LocalQueue:
    seed_hall(sessions)
    return LocalQueue(sessions)


def press(qtbot: Any, panel: QueuePanel, key: Qt.Key) -> None:
    """A key, and everything it set off on the worker delivered."""
    qtbot.keyClick(panel, key)
    assert panel.ops.wait_idle(20_000)


@pytest.fixture
def panel(qtbot: Any, database: Database, ops: Operations, backend: LocalQueue) -> QueuePanel:
    for _ in range(3):
        backend.issue_ticket(KIOSK, "A")
    widget = QueuePanel(database, ctx(1, "clerk-7"), ops=ops)
    assert ops.wait_idle()
    widget.ask_rating = lambda ticket: None
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def current_text(panel: QueuePanel) -> str:
    return child(panel, QLabel, "currentTicket").text()


def test_keyboard_drives_a_whole_service(qtbot: Any, panel: QueuePanel) -> None:
    rated: list[TicketView] = []
    panel.ask_rating = lambda ticket: rated.append(ticket) or None  # type: ignore[func-returns-value]
    with qtbot.waitSignal(panel.ticket_called, timeout=2000) as called:
        press(qtbot, panel, Qt.Key.Key_F2)
    assert current_text(panel) == "A001"
    ticket = panel.current_ticket()
    assert ticket is not None and called.args == [ticket.id]
    press(qtbot, panel, Qt.Key.Key_F3)
    assert "已呼叫2次" in child(panel, QLabel, "currentDetail").text()
    with qtbot.waitSignal(panel.service_started, timeout=2000) as started:
        press(qtbot, panel, Qt.Key.Key_F4)
    assert started.args == [ticket.id]
    assert "办理中" in child(panel, QLabel, "currentDetail").text()
    assert not panel.buttons["callNext"].isEnabled()
    with qtbot.waitSignal(panel.service_ended, timeout=2000) as ended:
        press(qtbot, panel, Qt.Key.Key_F7)
    assert ended.args == [ticket.id]
    assert [t.status for t in rated] == ["done"]
    assert current_text(panel) == "无"
    # The counts table now shows two waiting in A.
    model = panel.counts_model
    assert model.data(model.index(0, 0)) == "社保医保"
    assert model.data(model.index(0, 2)) == 2


def test_no_show_and_transfer_use_their_dialogs(
    qtbot: Any, panel: QueuePanel, sessions: sessionmaker[Session]
) -> None:
    panel.ask_no_show_reason = lambda ticket: "多次呼叫未到窗口"
    press(qtbot, panel, Qt.Key.Key_F2)
    press(qtbot, panel, Qt.Key.Key_F5)
    assert current_text(panel) == "无"
    press(qtbot, panel, Qt.Key.Key_F2)
    assert current_text(panel) == "A002"
    panel.ask_transfer_target = lambda ticket: TransferTarget(line_code="B", window_number=None)
    press(qtbot, panel, Qt.Key.Key_F6)
    assert current_text(panel) == "无"
    with sessions() as s:
        rows = {
            t.number: (t.status, t.line_code, t.passed_reason) for t in s.scalars(select(Ticket))
        }
    assert rows["A001"] == ("passed", "A", "多次呼叫未到窗口")
    assert rows["A002"] == ("waiting", "B", None)


def test_a_cancelled_dialog_changes_nothing(qtbot: Any, panel: QueuePanel) -> None:
    panel.ask_no_show_reason = lambda ticket: None
    press(qtbot, panel, Qt.Key.Key_F2)
    press(qtbot, panel, Qt.Key.Key_F5)
    assert current_text(panel) == "A001"


def test_call_a_specific_ticket(qtbot: Any, panel: QueuePanel) -> None:
    offered: list[list[str]] = []

    def choose(tickets: list[TicketView]) -> str:
        offered.append([t.number for t in tickets])
        return tickets[-1].id

    panel.ask_ticket_to_call = choose
    press(qtbot, panel, Qt.Key.Key_F9)
    assert offered == [["A001", "A002", "A003"]]
    assert current_text(panel) == "A003"


def test_pause_blocks_calling(qtbot: Any, panel: QueuePanel) -> None:
    press(qtbot, panel, Qt.Key.Key_F8)
    assert "已暂停" in child(panel, QLabel, "queueWindow").text()
    assert not panel.buttons["callNext"].isEnabled()
    press(qtbot, panel, Qt.Key.Key_F2)
    assert current_text(panel) == "无"
    assert panel.buttons["pause"].accessibleName() == "恢复"
    press(qtbot, panel, Qt.Key.Key_F8)
    press(qtbot, panel, Qt.Key.Key_F2)
    assert current_text(panel) == "A001"


def test_a_refusal_is_shown_not_raised(qtbot: Any, panel: QueuePanel, backend: LocalQueue) -> None:
    # Another desk (or the manager) paused this window behind the panel's back.
    backend.pause_window(ctx(1))
    press(qtbot, panel, Qt.Key.Key_F2)
    assert "已暂停" in child(panel, QLabel, "queueMessage").text()
    assert current_text(panel) == "无"
    assert not panel.buttons["callNext"].isEnabled()  # the panel caught up


def test_empty_queue_says_so(qtbot: Any, panel: QueuePanel, backend: LocalQueue) -> None:
    backend.close_day(MANAGER, "测试")
    press(qtbot, panel, Qt.Key.Key_F2)
    assert child(panel, QLabel, "queueMessage").text() == "暂无等候的号"


def test_every_button_names_itself_and_its_shortcut(panel: QueuePanel) -> None:
    for name in QueuePanel.ACTIONS:
        button = panel.findChild(QPushButton, name)
        assert button is not None
        assert button.accessibleName()
        assert ACTIONS.spec(name).key_text() in button.toolTip()
    assert child(panel, QWidget, "waitingCounts").accessibleName()


class LosesFirstAnswer:
    """A backend whose first call_next is carried out but whose answer is lost, and whose
    store stays busy for the refresh after it."""

    def __init__(self, inner: LocalQueue) -> None:
        self.inner = inner
        self.request_ids: list[str] = []
        self.busy_reads = 0

    def current_ticket(self, window_number: int) -> Any:
        if self.busy_reads:
            self.busy_reads -= 1
            raise StoreBusy()
        return self.inner.current_ticket(window_number)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def call_next(self, ctx: Any, request_id: str) -> Any:
        self.request_ids.append(request_id)
        result = self.inner.call_next(ctx, request_id)
        if len(self.request_ids) == 1:
            self.busy_reads = 1
            raise StoreBusy()
        return result


def test_a_retried_call_never_calls_twice(
    qtbot: Any, database: Database, ops: Operations, backend: LocalQueue
) -> None:
    for _ in range(2):
        backend.issue_ticket(KIOSK, "A")
    flaky = LosesFirstAnswer(backend)
    panel = QueuePanel(database, ctx(1), backend=flaky, ops=ops)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel)
    press(qtbot, panel, Qt.Key.Key_F2)
    assert "不会重复叫号" in child(panel, QLabel, "queueMessage").text()
    press(qtbot, panel, Qt.Key.Key_F2)
    assert current_text(panel) == "A001"
    assert flaky.request_ids[0] == flaky.request_ids[1]
    assert [t.number for t in backend.window_queue(1)] == ["A002"]  # still waiting


class SlowCounts:
    """A backend whose first count is read, then held until the test lets it go: a change
    made meanwhile is newer than that reading."""

    def __init__(self, inner: LocalQueue) -> None:
        self.inner = inner
        self.read_done = threading.Event()
        self.go_on = threading.Event()
        self.held = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def waiting_counts(self) -> Any:
        counts = self.inner.waiting_counts()
        if not self.held:
            self.held = True
            self.read_done.set()
            assert self.go_on.wait(20)
        return counts


def test_a_change_during_a_refresh_is_read_again(
    qtbot: Any, database: Database, ops: Operations, backend: LocalQueue
) -> None:
    slow = SlowCounts(backend)
    panel = QueuePanel(database, ctx(1), backend=slow, ops=ops)
    qtbot.addWidget(panel)
    assert slow.read_done.wait(20)  # the first refresh has read: no ticket yet
    backend.issue_ticket(KIOSK, "A")  # another window issues one, and says so
    ops.did_execute.emit(frozenset({QUEUE}), None)
    slow.go_on.set()
    assert ops.wait_idle()
    model = panel.counts_model
    row = next(r for r in range(model.rowCount()) if model.data(model.index(r, 1)) == "A")
    assert model.data(model.index(row, 2)) == 1
