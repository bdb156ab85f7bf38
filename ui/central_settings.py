"""中心库设置: the central store's address, this desk's token and, for an https store whose
certificate the hall's own CA signed, that CA's certificate file. The token is kept in the
data directory readable only by the desk's user, the CA beside it (app.sync.settings); an
empty token or CA field keeps the one already kept. A bad address or a file that is no
certificate is one line in the dialog, and nothing is saved.

With `save` (the desk's), OK saves on the worker and the dialog closes only once that
passed: the core's refusal (the settings are an administrator's) is the dialog's one line."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ui.operations import Operations


def address_problem(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme not in ("http", "https") or not parts.netloc


class CentralSettingsDialog(QDialog):
    def __init__(
        self,
        url: str | None,
        parent: QWidget | None = None,
        *,
        save: Callable[[str, str | None, str | None], object] | None = None,
        worker: Operations | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._worker = worker
        self.setObjectName("centralSettings")
        self.setWindowTitle(self.tr("中心库设置"))
        form = QFormLayout(self)
        self.url_edit = QLineEdit(url or "", self)
        self.url_edit.setObjectName("centralUrl")
        self.url_edit.setPlaceholderText("https://central.example.gov.cn:8765")
        self.token_edit = QLineEdit(self)
        self.token_edit.setObjectName("centralToken")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("留空则保留已保存的凭据"))
        self.ca_edit = QLineEdit(self)
        self.ca_edit.setObjectName("centralCa")
        self.ca_edit.setPlaceholderText(self.tr("大厅 CA 证书文件（PEM）；留空则保留已保存的"))
        hint = self.fontMetrics().horizontalAdvance(self.ca_edit.placeholderText())
        self.ca_edit.setMinimumWidth(hint + 24)  # the hint whole (the fields share the width)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("centralError")
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()
        form.addRow(self.tr("中心库地址"), self.url_edit)
        form.addRow(self.tr("本工作台凭据"), self.token_edit)
        form.addRow(self.tr("CA 证书"), self.ca_edit)
        form.addRow(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("centralButtons")
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @property
    def url(self) -> str:
        return self.url_edit.text().strip().rstrip("/")

    @property
    def token(self) -> str | None:
        return self.token_edit.text().strip() or None

    @property
    def ca(self) -> str | None:
        return self.ca_edit.text().strip() or None

    def accept(self) -> None:
        if self.ca is not None:
            from pathlib import Path

            from app.errors import UserError
            from app.sync.settings import read_ca
            from ui.messages import describe

            try:
                read_ca(Path(self.ca))  # a small local file
            except UserError as exc:
                self.error_label.setText(describe(exc))
                self.error_label.show()
                return
        if address_problem(self.url):
            self.error_label.setText(
                self.tr(
                    "中心库地址应以 http:// 或 https:// 开头，如 https://central.example.gov.cn:8765"
                )
            )
            self.error_label.show()
            return
        if self._save is None or self._worker is None:
            super().accept()
            return
        save, url, token, ca = self._save, self.url, self.token, self.ca
        self.ok_button.setEnabled(False)
        self._worker.run(
            lambda: save(url, token, ca), self._saved, on_failed=self._refused, owner=self
        )

    def _saved(self, _result: object) -> None:
        self.ok_button.setEnabled(True)
        super().accept()

    def _refused(self, exc: BaseException) -> None:
        from ui.messages import describe

        self.ok_button.setEnabled(True)
        self.error_label.setText(describe(exc))
        self.error_label.show()
