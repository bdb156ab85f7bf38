"""The passphrase at the desk's start, where the data directory is encrypted with an
administrator's passphrase: a wrong one is said in the dialog and changes nothing, the right
one opens the desk, closing the dialog ends the start (exit 0, nothing written)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app import encryption
from app.cli import build_parser
from db import cipher
from db.engine import DB_FILE_NAME
from tests.test_encryption import PASSPHRASE, _desk_with_case, _digest, _stdin
from ui.launch import EXIT_AFTER_SHOWN_ENV, launch
from ui.unlock import unlock_at_start


@pytest.fixture
def encrypted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> Path:
    """A desk encrypted with a passphrase (no keyring), and no key in this process yet."""
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(cipher, "_keys", {})
    monkeypatch.setattr(
        encryption, "DEFAULT_KDF", {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
    )
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    data = tmp_path / "desk"
    _desk_with_case(data)
    _stdin(monkeypatch, PASSPHRASE)
    encryption.cmd_encrypt(str(data), False, None)
    cipher._keys.clear()
    keyring.set_keyring(before)
    return data


def _dialog() -> QWidget:
    widget = QApplication.activeModalWidget()
    assert widget is not None and widget.objectName() == "passphraseDialog"
    return widget


def _answer(steps: list[Callable[[QWidget], None]]) -> None:
    """Each time the dialog opens, the next step answers it."""

    def run() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or widget.objectName() != "passphraseDialog":
            QTimer.singleShot(10, run)
            return
        step = steps.pop(0)
        step(widget)
        if steps:
            QTimer.singleShot(10, run)

    QTimer.singleShot(0, run)


def _type(text: str) -> Callable[[QWidget], None]:
    def step(dialog: QWidget) -> None:
        dialog.findChild(QLineEdit, "passphraseInput").setText(text)  # type: ignore[union-attr]
        buttons = dialog.findChild(QDialogButtonBox, "passphraseButtons")
        buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # type: ignore[union-attr]

    return step


seen: list[str] = []


def _note_message_then(step: Callable[[QWidget], None]) -> Callable[[QWidget], None]:
    def noted(dialog: QWidget) -> None:
        label = dialog.findChild(QLabel, "passphraseMessage")
        assert label is not None
        seen.append(label.text() if label.isVisibleTo(dialog) else "")
        step(dialog)

    return noted


def _cancel(dialog: QWidget) -> None:
    dialog.reject()  # type: ignore[attr-defined]


def test_a_wrong_passphrase_is_said_in_the_dialog_then_the_right_one_unlocks(
    encrypted: Path, qtbot: QtBot
) -> None:
    seen.clear()
    before = _digest(encrypted)
    _answer([_type("not it"), _note_message_then(_type(PASSPHRASE))])
    assert unlock_at_start(str(encrypted)) is True
    assert len(seen) == 1 and "数据库密钥不对" in seen[0]
    assert _digest(encrypted) == before  # the wrong one changed nothing
    assert cipher.key_for(encrypted / DB_FILE_NAME) is not None


def test_closing_the_dialog_ends_the_start(
    encrypted: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _digest(encrypted)
    _answer([_cancel])
    args = build_parser().parse_args(["--data-dir", str(encrypted), "--clerk", "BC0101"])
    assert launch(args) == 0
    assert _digest(encrypted) == before
    assert cipher.key_for(encrypted / DB_FILE_NAME) is None


def test_the_desk_starts_on_an_encrypted_data_directory(
    encrypted: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(EXIT_AFTER_SHOWN_ENV, "1")
    _answer([_type(PASSPHRASE)])
    args = build_parser().parse_args(
        ["--data-dir", str(encrypted), "--clerk", "BC0101", "--with-kiosk", "--with-display"]
    )
    assert launch(args) == 0
    assert "window-shown" in capsys.readouterr().out


def test_a_plain_data_directory_asks_nothing(tmp_path: Path, qapp: QApplication) -> None:
    assert unlock_at_start(str(tmp_path / "plain")) is True
    assert QApplication.activeModalWidget() is None
