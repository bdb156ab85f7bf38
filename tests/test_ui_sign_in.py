"""The desk's sign-in dialog, the idle lock that keeps a half-entered case, and the demo's
mark when `--clerk` skips the sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.accounts import Policy, set_secret
from app.cli import build_parser
from app.services.changes import DeskContext
from app.startup import DeskSetup, open_desk
from db.models.hall import Desk
from db.models.sync import Event
from ui.launch import build_windows
from ui.main_window import MainWindow
from ui.sign_in import IdleLock, SignInDialog

CHEAP = Policy(time_cost=1, memory_kib=8)
PIN = "975310"


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[DeskSetup]:
    desk = open_desk(tmp_path / "data", window_number=3, clerk_id="BC0101")
    with desk.database.write() as s:
        set_secret(s, DeskContext(None, "BC0901"), "BC0102", PIN, policy=CHEAP)
    yield desk
    desk.database.close()


def _child(parent: QDialog, cls: type, name: str):
    found = parent.findChild(cls, name)
    assert found is not None, name
    return found


def test_signing_in_at_start_records_the_person(qtbot: QtBot, setup: DeskSetup) -> None:
    dialog = SignInDialog(setup.database, 3, policy=CHEAP)
    qtbot.addWidget(dialog)
    dialog.show()
    _child(dialog, QLineEdit, "signInClerk").setText("BC0102")
    _child(dialog, QLineEdit, "signInSecret").setText("000000")
    _child(dialog, QPushButton, "signInOk").click()
    message = _child(dialog, QLabel, "signInMessage")
    qtbot.waitUntil(lambda: "密码或PIN不对" in message.text())
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert _child(dialog, QLineEdit, "signInSecret").text() == ""  # never kept on screen
    _child(dialog, QLineEdit, "signInSecret").setText(PIN)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        _child(dialog, QPushButton, "signInOk").click()
    assert dialog.ctx == DeskContext(3, "BC0102")
    with setup.database.read() as s:
        desk = s.get(Desk, 1)
        assert desk is not None and desk.clerk_id == "BC0102"
        last = s.scalars(select(Event).order_by(Event.seq.desc()).limit(1)).one()
        assert (last.kind, last.clerk_id) == ("desk.signed_in", "BC0102")


def test_the_idle_lock_keeps_the_half_entered_case_and_opens_for_the_same_person(
    qtbot: QtBot, setup: DeskSetup
) -> None:
    signed = DeskSetup(setup.database, DeskContext(3, "BC0102"), setup.data_dir)
    main = MainWindow(signed)
    qtbot.addWidget(main)
    main.show()
    name = main.case_panel.applicant_form.name_edit
    name.setText("张三")
    lock = IdleLock(main, setup.database, signed.ctx, minutes=10, policy=CHEAP)
    assert lock.timer.isActive() and lock.timer.interval() == 600_000
    lock.timer.timeout.emit()  # ten quiet minutes, without waiting for them
    dialog = main.findChild(QDialog, "lockDialog")
    assert dialog is not None and dialog.isVisible() and dialog.isModal()
    clerk = _child(dialog, QLineEdit, "signInClerk")
    assert clerk.text() == "BC0102" and clerk.isReadOnly()  # the same person only
    dialog.reject()  # Escape does not open the desk
    assert dialog.isVisible()
    _child(dialog, QLineEdit, "signInSecret").setText("111111")
    _child(dialog, QPushButton, "signInOk").click()
    message = _child(dialog, QLabel, "signInMessage")
    qtbot.waitUntil(lambda: "不对" in message.text())
    assert dialog.isVisible()
    _child(dialog, QLineEdit, "signInSecret").setText(PIN)
    _child(dialog, QPushButton, "signInOk").click()
    qtbot.waitUntil(lambda: lock.dialog is None)
    assert name.text() == "张三"  # the case is as it was
    assert lock.timer.isActive()


def test_no_idle_lock_when_turned_off(qtbot: QtBot, setup: DeskSetup) -> None:
    main = MainWindow(setup)
    qtbot.addWidget(main)
    lock = IdleLock(main, setup.database, setup.ctx, minutes=0, policy=CHEAP)
    assert not lock.timer.isActive()


def test_the_demo_says_so_and_a_signed_in_desk_gets_the_lock(
    qtbot: QtBot, setup: DeskSetup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONEWINDOW_IDLE_LOCK_MINUTES", "5")
    demo = build_windows(build_parser().parse_args(["--clerk", "BC0101"]), setup)[0]
    qtbot.addWidget(demo)
    assert isinstance(demo, MainWindow)
    label = demo.findChild(QLabel, "demoModeLabel")
    assert label is not None and label.text() == "演示模式"
    assert demo.windowTitle().endswith(" [演示模式]")
    demo.setWindowTitle("OneWindow 一窗受理工作台 — 别的大厅")  # the desk renames itself
    assert demo.windowTitle().endswith(" [演示模式]")
    signed = build_windows(build_parser().parse_args([]), setup)[0]
    qtbot.addWidget(signed)
    assert signed.findChild(QLabel, "demoModeLabel") is None
    assert "演示模式" not in signed.windowTitle()
    lock = signed.findChild(IdleLock)
    assert lock is not None and lock.timer.interval() == 5 * 60_000


def test_the_lock_says_in_the_dialog_what_to_do(qtbot: QtBot, setup: DeskSetup) -> None:
    """The lock's instruction is in the dialog, not only in its title (which a title bar as
    narrow as the dialog cuts)."""
    signed = DeskSetup(setup.database, DeskContext(3, "BC0102"), setup.data_dir)
    main = MainWindow(signed)
    qtbot.addWidget(main)
    main.show()
    lock = IdleLock(main, setup.database, signed.ctx, minutes=10, policy=CHEAP)
    lock.timer.timeout.emit()
    dialog = main.findChild(QDialog, "lockDialog")
    assert dialog is not None
    prompt = _child(dialog, QLabel, "signInPrompt")
    assert prompt.isVisible() and "请本人输入密码或PIN" in prompt.text()
    assert dialog.width() < 1366 and dialog.height() < 768


def test_enter_after_the_staff_number_goes_on_to_the_password(
    qtbot: QtBot, setup: DeskSetup
) -> None:
    from PySide6.QtCore import Qt

    dialog = SignInDialog(setup.database, 3, policy=CHEAP)
    qtbot.addWidget(dialog)
    dialog.show()
    prompt = _child(dialog, QLabel, "signInPrompt")
    assert prompt.isVisible() and prompt.text() == "登录工作台"
    clerk = _child(dialog, QLineEdit, "signInClerk")
    clerk.setFocus()
    qtbot.keyClicks(clerk, "BC0102")
    qtbot.keyClick(clerk, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.focusWidget() is _child(dialog, QLineEdit, "signInSecret")
    qtbot.keyClicks(dialog.focusWidget(), PIN)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert dialog.ctx == DeskContext(3, "BC0102")


def test_a_long_refusal_is_shown_whole_under_the_fields(qtbot: QtBot, setup: DeskSetup) -> None:
    """account.no_credential names the command to run: it wrapped in a dialog that did not
    grow, so it was cut and drawn over the password field."""
    dialog = SignInDialog(setup.database, 3, policy=CHEAP)
    qtbot.addWidget(dialog)
    dialog.show()
    _child(dialog, QLineEdit, "signInClerk").setText("BC0101")  # no password set
    _child(dialog, QLineEdit, "signInSecret").setText("123456")
    _child(dialog, QPushButton, "signInOk").click()
    message = _child(dialog, QLabel, "signInMessage")
    qtbot.waitUntil(lambda: "set-password" in message.text())
    secret = _child(dialog, QLineEdit, "signInSecret")
    assert message.geometry().top() >= secret.geometry().bottom()
    assert message.height() >= message.heightForWidth(message.width())
    ok = _child(dialog, QPushButton, "signInOk")
    assert message.geometry().bottom() < ok.mapTo(dialog, ok.rect().topLeft()).y()
    assert dialog.width() < 1366 and dialog.height() < 768
