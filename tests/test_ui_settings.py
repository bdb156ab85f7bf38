"""The settings dialog, driven through its widgets: saves everything or nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView
from pytestqt.qtbot import QtBot

from app.services.changes import DeskContext
from app.services.hall import (
    current_settings,
    desk_context,
    ensure_demo_hall,
    load_config,
    set_desk,
)
from app.services.organs import OrganSettings
from db.engine import Database
from db.models.hall import Line
from ui.operations import Operations
from ui.settings_dialog import SettingsDialog


@pytest.fixture
def ops(qtbot: QtBot, db: Database) -> Iterator[Operations]:
    operations = Operations(db)
    yield operations
    operations.shutdown()


def _dialog(qtbot: QtBot, db: Database, ops: Operations) -> SettingsDialog:
    with db.session.begin() as s:
        ensure_demo_hall(s)
        ctx = set_desk(s, 1, "BC0101")
    with db.read() as s:
        config = load_config(s)
    dialog = SettingsDialog(config, ctx, ops)
    qtbot.addWidget(dialog)
    return dialog


def test_edit_and_save(qtbot: QtBot, db: Database, ops: Operations) -> None:
    dialog = _dialog(qtbot, db, ops)
    name = dialog.findChild(QLineEdit, "hallName")
    assert name is not None
    # QTest can only type ASCII keys (it aborts on others); Chinese comes from the input method.
    name.setText("白城市洮北区政务服务中心")
    dialog.window_combo.setCurrentIndex(dialog.window_combo.findData(4))
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.save()
    with db.session() as s:
        settings = current_settings(s)
        assert settings is not None and settings.name == "白城市洮北区政务服务中心"
        assert desk_context(s) == DeskContext(4, "BC0101")
        # The 机关代字 of the hall file are not edited here and survive the save.
        assert OrganSettings("GAJ", "白公受") in load_config(s).organs


def test_bad_values_are_shown_and_nothing_saved(
    qtbot: QtBot, db: Database, ops: Operations
) -> None:
    dialog = _dialog(qtbot, db, ops)
    division = dialog.findChild(QLineEdit, "divisionCode")
    assert division is not None
    division.setText("22")
    lines = dialog.findChild(QTableView, "linesTable")
    assert lines is not None
    model = lines.model()
    model.setData(model.index(1, 2), "a")  # B → A: a duplicate prefix
    dialog.save()
    assert ops.wait_idle()
    problems = dialog.findChild(QLabel, "settingsProblems")
    assert problems is not None
    assert "6 位数字" in problems.text() and "号码前缀重复" in problems.text()
    assert dialog.result() == 0
    with db.session() as s:
        settings = current_settings(s)
        assert settings is not None and settings.division_code == "220800"
        line = s.get(Line, "BDC")
        assert line is not None and line.ticket_prefix == "B"


def test_line_default_is_a_checkbox(qtbot: QtBot, db: Database, ops: Operations) -> None:
    dialog = _dialog(qtbot, db, ops)
    model = dialog.lines_model
    default_row = next(i for i, ln in enumerate(model.rows) if ln.is_default)
    state = model.data(model.index(default_row, 4), Qt.ItemDataRole.CheckStateRole)
    assert state == Qt.CheckState.Checked
    for widget_name in ("hallName", "divisionCode", "queryUrlPattern"):
        edit = dialog.findChild(QLineEdit, widget_name)
        assert edit is not None and edit.accessibleName()
