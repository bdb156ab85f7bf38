"""`python -m app manager` on a desk with accounts and no `--user`: the desk's sign-in dialog
(failures counted, the lock included) for a manager or an administrator; a clerk who signs
in is refused in the dialog, and the window does not open until someone entitled signs in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from app.accounts import Policy, set_secret
from app.cli import build_parser
from app.services.changes import DeskContext
from app.startup import DeskSetup, open_desk
from db.models.account import Credential
from ui.launch import sign_in_first
from ui.sign_in import ManagerSignInDialog

SECRETS = {"BC0101": "135792", "BC0201": "246813", "BC0901": "864213"}


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DeskSetup]:
    monkeypatch.setenv("ONEWINDOW_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("ONEWINDOW_ARGON2_MEMORY_KIB", "8")
    desk = open_desk(tmp_path / "data")
    cheap = Policy(time_cost=1, memory_kib=8)
    with desk.database.write() as s:
        for clerk, secret in SECRETS.items():
            set_secret(s, DeskContext(None, "BC0901"), clerk, secret, policy=cheap)
    yield desk
    desk.database.close()


def _try(qtbot: QtBot, dialog: QDialog, clerk: str, secret: str) -> str:
    message = dialog.findChild(QLabel, "signInMessage")
    assert message is not None
    message.clear()
    dialog.findChild(QLineEdit, "signInClerk").setText(clerk)  # type: ignore[union-attr]
    dialog.findChild(QLineEdit, "signInSecret").setText(secret)  # type: ignore[union-attr]
    dialog.findChild(QPushButton, "signInOk").click()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: bool(message.text()) or dialog.result() == QDialog.DialogCode.Accepted)
    return message.text()


def test_a_clerk_is_refused_in_the_dialog_and_failures_lock_as_at_the_desk(
    qtbot: QtBot, setup: DeskSetup
) -> None:
    dialog = ManagerSignInDialog(
        setup.database, policy=Policy(time_cost=1, memory_kib=8, lock_after=2)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert _try(qtbot, dialog, "BC0101", SECRETS["BC0101"]) == (
        "此操作须由大厅负责人进行，BC0101 不是大厅负责人"
    )
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert _try(qtbot, dialog, "BC0201", "000000") == "BC0201 的密码或PIN不对"
    assert "账号已锁定" in _try(qtbot, dialog, "BC0201", "000001")
    assert "账号已锁定" in _try(qtbot, dialog, "BC0201", SECRETS["BC0201"])  # even the right one
    with setup.database.read() as s:
        cred = s.get(Credential, "BC0201")
        assert cred is not None and cred.locked_until is not None
    with qtbot.waitSignal(dialog.accepted):
        _try(qtbot, dialog, "BC0901", SECRETS["BC0901"])  # an administrator may
    assert dialog.who.clerk_id == "BC0901"


def _sign_in_when_shown(qtbot: QtBot, clerk: str, secret: str) -> None:
    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ManagerSignInDialog)
        dialog.findChild(QLineEdit, "signInClerk").setText(clerk)  # type: ignore[union-attr]
        dialog.findChild(QLineEdit, "signInSecret").setText(secret)  # type: ignore[union-attr]
        dialog.findChild(QPushButton, "signInOk").click()  # type: ignore[union-attr]

    QTimer.singleShot(0, fill)


def test_the_manager_command_without_user_asks_in_the_dialog(
    qtbot: QtBot, setup: DeskSetup
) -> None:
    args = build_parser().parse_args(["manager"])
    _sign_in_when_shown(qtbot, "BC0201", SECRETS["BC0201"])
    signed = sign_in_first(args, setup)
    assert signed is not None and signed.ctx.clerk_id == "BC0201"
    # --user was checked on the command line already, and --clerk is the demo's: no dialog.
    for given in (["manager", "--user", "BC0201"], ["manager", "--clerk", "BC0201"]):
        assert sign_in_first(build_parser().parse_args(given), setup) is setup


def test_a_desk_with_no_account_yet_opens_the_managers_window_for_its_installer(
    tmp_path: Path,
) -> None:
    fresh = open_desk(tmp_path / "fresh")
    try:
        assert sign_in_first(build_parser().parse_args(["manager"]), fresh) is fresh
    finally:
        fresh.database.close()
