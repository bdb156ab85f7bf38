"""A locked desk (the idle lock) acts on no keyboard shortcut until the same person signs in
again: F2 (call next), F12 (end and call next), Ctrl+S (save), Ctrl+N (new case) pressed at
the desk's window while locked change nothing; after the sign-in they act again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.accounts import Policy, set_secret
from app.queue.issuing import issue_ticket
from app.services.changes import DeskContext
from app.startup import DeskSetup, open_desk
from db.models.queue import Ticket
from db.models.sync import Event
from ui.kiosk import KIOSK_CTX
from ui.main_window import MainWindow
from ui.operations import wait_all_idle
from ui.sign_in import IdleLock

CHEAP = Policy(time_cost=1, memory_kib=8)
PIN = "975310"
CTRL = Qt.KeyboardModifier.ControlModifier
NONE = Qt.KeyboardModifier.NoModifier
KEYS = [
    (Qt.Key.Key_F2, NONE),
    (Qt.Key.Key_F4, NONE),
    (Qt.Key.Key_F12, NONE),
    (Qt.Key.Key_S, CTRL),
    (Qt.Key.Key_N, CTRL),
    (Qt.Key.Key_P, CTRL),
]


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[DeskSetup]:
    desk = open_desk(tmp_path / "data", window_number=1)
    with desk.database.write() as s:
        set_secret(s, DeskContext(None, None), "BC0102", PIN, policy=CHEAP)
        for _ in range(2):
            issue_ticket(s, KIOSK_CTX, line_code="ZH", now=datetime.now(UTC))
    yield DeskSetup(desk.database, DeskContext(1, "BC0102"), desk.data_dir)
    desk.database.close()


def _called(setup: DeskSetup) -> int:
    with setup.database.read() as s:
        return s.scalar(select(func.count()).where(Ticket.status != "waiting")) or 0


def _events(setup: DeskSetup) -> int:
    with setup.database.read() as s:
        return s.scalar(select(func.count(Event.id))) or 0


def test_a_locked_desk_takes_no_shortcut(qtbot: QtBot, setup: DeskSetup) -> None:
    main = MainWindow(setup)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    assert wait_all_idle()
    main.case_panel.applicant_form.name_edit.setText("张三")  # a half-entered case
    lock = IdleLock(main, setup.database, setup.ctx, minutes=10, policy=CHEAP)
    lock.timer.timeout.emit()
    dialog = main.findChild(QDialog, "lockDialog")
    assert dialog is not None and dialog.isVisible()
    events = _events(setup)
    handle = main.windowHandle()
    assert handle is not None
    for key, modifier in KEYS:
        QTest.keyClick(handle, key, modifier)  # as the window system delivers a key
        focused = QApplication.focusWidget()
        if focused is not None:
            QTest.keyClick(focused, key, modifier)
        assert wait_all_idle()
        assert QApplication.activeModalWidget() in (None, dialog)  # no dialog of the desk
    assert _called(setup) == 0 and _events(setup) == events
    assert main.case_panel.applicant_form.name_edit.text() == "张三"
    secret = dialog.findChild(QLineEdit, "signInSecret")
    ok = dialog.findChild(QPushButton, "signInOk")
    assert secret is not None and ok is not None
    secret.setText(PIN)
    ok.click()
    qtbot.waitUntil(lambda: lock.dialog is None)
    main.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
    QTest.keyClick(handle, Qt.Key.Key_F2)  # signed in again: F2 calls the next
    qtbot.waitUntil(lambda: _called(setup) == 1)
