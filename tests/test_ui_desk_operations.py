"""The desk's queue work runs on the database's worker (ui/operations.py): another PROCESS
holding the write lock never freezes the window, the clerk is told, and the action ends in
success or one clear message; a failing refresh says so once, in the status bar."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.catalogue.search import MatterIndex
from app.queue.backend import LocalQueue
from app.startup import DeskSetup, open_desk
from db.engine import Database, StoreBusy
from tests.test_queue_support import KIOSK, child, ctx, seed_hall
from ui.main_window import MainWindow
from ui.messages import describe
from ui.operations import Operations
from ui.queue_panel import QueuePanel

HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


class OtherProcess:
    """Another process (a second desk, a kiosk) holding the database's write lock."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "locked"

    def release(self) -> None:
        self.proc.communicate("\n", timeout=30)


@pytest.fixture
def ops(qtbot: QtBot, db: Database) -> Iterator[Operations]:
    operations = Operations(db)
    yield operations
    operations.shutdown()


@pytest.fixture
def panel(qtbot: QtBot, db: Database, ops: Operations) -> QueuePanel:
    seed_hall(db.session)
    LocalQueue(db).issue_ticket(KIOSK, "A")
    widget = QueuePanel(db, ctx(1, "clerk-7"), ops=ops)
    widget.ask_rating = lambda ticket: None
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    assert ops.wait_idle()
    return widget


def shown(panel: QueuePanel, name: str) -> str:
    return child(panel, QLabel, name).text()


@pytest.mark.slow
def test_a_call_waits_for_another_process_without_freezing_the_desk(
    qtbot: QtBot, panel: QueuePanel, ops: Operations, db: Database
) -> None:
    assert db.path is not None
    other = OtherProcess(db.path)
    try:
        qtbot.keyClick(panel, Qt.Key.Key_F2)
        # The key press has returned while the call still waits for the lock...
        assert not ops.is_idle()
        # ...and the window goes on running: it tells the clerk why nothing happened yet.
        qtbot.waitUntil(
            lambda: "另一个窗口正在保存" in shown(panel, "queueMessage"), timeout=20_000
        )
        assert not ops.is_idle() and shown(panel, "currentTicket") == "无"
    finally:
        other.release()
    assert ops.wait_idle(20_000)
    assert shown(panel, "currentTicket") == "A001"
    assert shown(panel, "queueMessage") == ""


@pytest.mark.slow
def test_a_call_that_never_gets_the_lock_ends_in_one_clear_message(
    qtbot: QtBot, panel: QueuePanel, ops: Operations, db: Database
) -> None:
    assert db.path is not None
    other = OtherProcess(db.path)
    try:
        qtbot.keyClick(panel, Qt.Key.Key_F2)
        assert not ops.is_idle()
        assert ops.wait_idle(30_000)
        message = shown(panel, "queueMessage")
        assert describe(StoreBusy()) in message and "不会重复叫号" in message
        assert "locked" not in message and "Traceback" not in message
        assert shown(panel, "currentTicket") == "无"
    finally:
        other.release()
    qtbot.keyClick(panel, Qt.Key.Key_F2)  # the retry the message asks for
    assert ops.wait_idle(20_000)
    assert shown(panel, "currentTicket") == "A001"
    assert LocalQueue(db).window_queue(1) == ()  # one ticket, called once


# --- the desk window: a failing refresh ------------------------------------------------------


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[DeskSetup]:
    desk = open_desk(tmp_path / "data", window_number=3, clerk_id="BC0103")
    yield desk
    desk.database.close()


def test_a_refresh_that_fails_says_so_once_in_the_status_bar(
    qtbot: QtBot, setup: DeskSetup, monkeypatch: pytest.MonkeyPatch
) -> None:
    with setup.database.read() as s:
        index = MatterIndex.load(s)
    window = MainWindow(setup, index)
    qtbot.addWidget(window)
    assert window.ops.wait_idle()
    crashes: list[Any] = []
    monkeypatch.setattr(sys, "excepthook", lambda *a: crashes.append(a))
    messages: list[str] = []
    window.status.messageChanged.connect(messages.append)

    def busy() -> Any:
        raise StoreBusy()

    monkeypatch.setattr(window.queue_panel.backend, "waiting_counts", busy)
    for _ in range(3):  # three ticks of the refresh timer
        window.queue_panel._timer.timeout.emit()
        assert window.ops.wait_idle()
    assert messages == [describe(StoreBusy())]
    assert crashes == []
    assert QApplication.activeModalWidget() is None
    # The store is free again: the next tick shows the queue.
    monkeypatch.undo()
    window.queue_panel._timer.timeout.emit()
    assert window.ops.wait_idle()
    assert window.queue_panel.counts_model.rowCount() > 0
