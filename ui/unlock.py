"""The administrator's passphrase at start, where the data directory is encrypted with a
passphrase (app/encryption.py): asked before the database is opened, again after a wrong one
(which is said in the dialog, and changes nothing); closing the dialog ends the start. Where
the key is in the keyring, or the data directory is not encrypted, nothing is asked."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.encryption import PassphraseCancelled, read_settings, unlock
from app.startup import prepare_data_dir
from db.engine import DatabaseOpenError
from ui.messages import describe


class PassphraseDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        title = self.tr("数据库已加密")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        prompt = QLabel(self.tr("请管理员输入数据库口令以启动本机："), self)
        prompt.setWordWrap(True)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("passphraseInput")
        self.edit.setAccessibleName(self.tr("数据库口令"))
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setObjectName("passphraseMessage")
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("passphraseButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (prompt, self.edit, self.message, buttons):
            layout.addWidget(widget)

    def ask(self) -> str | None:
        """The passphrase typed, or None when the dialog was closed."""
        self.edit.clear()
        self.edit.setFocus()
        if self.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.edit.text()

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()


def unlock_at_start(override: str | os.PathLike[str] | None) -> bool:
    """Unlock the data directory for the desk, the kiosk or the display: True to go on, False
    when the passphrase dialog was closed. Other refusals (no key in the keyring, a damaged
    settings file) are raised, for the start's refusal dialog."""
    path = prepare_data_dir(override)
    if read_settings(path) is None:
        return True
    dialog = PassphraseDialog()
    while True:
        try:
            unlock(path, dialog.ask)
            return True
        except PassphraseCancelled:
            return False
        except DatabaseOpenError as exc:
            if exc.code != "store.wrong_key":
                raise
            dialog.say(describe(exc))
