"""The small dialogs added with the central store show their fields whole: 中心库设置 opened at
its own size cut the address and both hints (留空则保留… / 大厅 CA 证书文件…)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from ui.central_settings import CentralSettingsDialog


def test_the_central_settings_show_the_address_and_the_hints_whole(qtbot: QtBot) -> None:
    dialog = CentralSettingsDialog("https://central.example.gov.cn:8765")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.adjustSize()
    for name in ("centralUrl", "centralToken", "centralCa"):
        edit = dialog.findChild(QLineEdit, name)
        assert edit is not None, name
        shown = edit.text() or edit.placeholderText()
        assert edit.width() >= edit.fontMetrics().horizontalAdvance(shown) + 8, name
    assert dialog.width() < 1366 and dialog.height() < 768
