"""The UI's language reaches Qt's own texts: the Chinese build's standard buttons read 确定 /
取消 / 保存, the English build's OK / Cancel / Save."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from ui.i18n import install_translator


@pytest.fixture
def app() -> Iterator[QApplication]:
    instance = QApplication.instance()
    assert isinstance(instance, QApplication)
    yield instance


def button_texts(box: QDialogButtonBox) -> list[str]:
    return [b.text().replace("&", "") for b in box.buttons()]


def test_chinese_build_translates_the_standard_buttons(qtbot: QtBot, app: QApplication) -> None:
    translator = install_translator(app, "zh_CN")
    assert translator is not None
    try:
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Save
        )
        qtbot.addWidget(box)
        texts = button_texts(box)
        assert {"确定", "取消", "保存"} <= set(texts), texts
        message = QMessageBox(QMessageBox.Icon.Question, "t", "x")
        message.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        qtbot.addWidget(message)
        texts = [b.text().replace("&", "") for b in message.buttons()]
        assert not any(t in ("Yes", "No") for t in texts), texts
    finally:
        app.removeTranslator(translator)


def test_english_build_keeps_qt_english_buttons(qtbot: QtBot, app: QApplication) -> None:
    translator = install_translator(app, "en")
    assert translator is not None
    try:
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        qtbot.addWidget(box)
        assert set(button_texts(box)) == {"OK", "Cancel"}
    finally:
        app.removeTranslator(translator)
