"""The settings dialog, driven through its widgets: saves everything or nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QSpinBox, QTableView
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
from db.models.hall import Clerk, Line
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
        ctx = set_desk(s, 1, "BC0901")
    with db.read() as s:
        config = load_config(s)
    dialog = SettingsDialog(config, ctx, ops)
    qtbot.addWidget(dialog)
    return dialog


def test_a_clerk_at_the_desk_cannot_save_the_halls_settings(
    qtbot: QtBot, db: Database, ops: Operations
) -> None:
    """The core refuses (app.services.hall.save_config), not only the menu."""
    with db.session.begin() as s:
        ensure_demo_hall(s)
        ctx = set_desk(s, 1, "BC0101")
    with db.read() as s:
        config = load_config(s)
    dialog = SettingsDialog(config, ctx, ops)
    qtbot.addWidget(dialog)
    name = dialog.findChild(QLineEdit, "hallName")
    assert name is not None
    name.setText("别的大厅")
    dialog.save()
    qtbot.waitUntil(lambda: "不是管理员" in dialog.problems_label.text())
    with db.read() as s:
        settings = current_settings(s)
        assert settings is not None and settings.name != "别的大厅"


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
        assert desk_context(s) == DeskContext(4, "BC0901")
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


def click(qtbot: QtBot, dialog: SettingsDialog, name: str) -> None:
    button = dialog.findChild(QPushButton, name)
    assert button is not None, name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def select_row(dialog: SettingsDialog, table: str, row: int) -> None:
    view = dialog.findChild(QTableView, table)
    assert view is not None
    view.selectRow(row)


def save_and_wait(qtbot: QtBot, dialog: SettingsDialog, ops: Operations) -> None:
    dialog.save()
    assert ops.wait_idle()


def test_no_field_is_labelled_n(qtbot: QtBot, db: Database, ops: Operations) -> None:
    dialog = _dialog(qtbot, db, ops)
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert "N" not in labels
    every_n = dialog.findChild(QSpinBox, "priorityEveryN")
    assert every_n is not None and every_n.accessibleName() != "N"
    assert not every_n.isEnabled()  # the demo hall calls priority first: N does not apply
    dialog.policy_combo.setCurrentIndex(dialog.policy_combo.findData("every_n"))
    assert every_n.isEnabled()


def test_add_a_line_a_window_and_a_clerk(qtbot: QtBot, db: Database, ops: Operations) -> None:
    dialog = _dialog(qtbot, db, ops)
    click(qtbot, dialog, "addLine")
    lines = dialog.lines_model
    row = len(lines.rows) - 1
    # Half filled: a clear message, nothing saved.
    lines.setData(lines.index(row, 0), "GJJ")
    save_and_wait(qtbot, dialog, ops)
    problems = dialog.findChild(QLabel, "settingsProblems")
    assert problems is not None
    assert f"业务类别第 {row + 1} 行: 业务类别的代码和名称不能为空" in problems.text()
    assert dialog.result() == 0
    with db.read() as s:
        assert s.get(Line, "GJJ") is None
    lines.setData(lines.index(row, 1), "住房公积金")
    lines.setData(lines.index(row, 2), "g")
    click(qtbot, dialog, "addWindow")
    windows = dialog.windows_model
    new_window = windows.rows[-1].number
    windows.setData(windows.index(len(windows.rows) - 1, 1), "公积金窗口")
    windows.setData(windows.index(len(windows.rows) - 1, 2), "GJJ, ZH")
    click(qtbot, dialog, "addClerk")
    clerks = dialog.clerks_model
    crow = len(clerks.rows) - 1
    clerks.setData(clerks.index(crow, 0), "BC0999")
    clerks.setData(clerks.index(crow, 1), "刘新")
    clerks.setData(clerks.index(crow, 2), "大厅负责人")
    # The desk can be the new window at once.
    assert dialog.window_combo.findData(new_window) >= 0
    dialog.window_combo.setCurrentIndex(dialog.window_combo.findData(new_window))
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.save()
    with db.read() as s:
        config = load_config(s)
        assert desk_context(s) == DeskContext(new_window, "BC0901")
    assert ("GJJ", "住房公积金", "G") in [
        (ln.code, ln.name, ln.ticket_prefix) for ln in config.lines
    ]
    assert (new_window, "公积金窗口", ("GJJ", "ZH")) in [
        (w.number, w.name, w.lines) for w in config.windows
    ]
    assert ("BC0999", "刘新", "manager") in [(c.id, c.name, c.role) for c in config.clerks]


def test_remove_a_window_and_a_clerk(qtbot: QtBot, db: Database, ops: Operations) -> None:
    dialog = _dialog(qtbot, db, ops)
    windows = dialog.windows_model
    last = windows.rows[-1].number
    select_row(dialog, "windowsTable", len(windows.rows) - 1)
    click(qtbot, dialog, "removeWindow")
    assert last not in [w.number for w in windows.rows]
    assert dialog.window_combo.findData(last) == -1
    clerks = dialog.clerks_model
    gone = next(c.id for c in clerks.rows if c.id != "BC0901")
    select_row(dialog, "clerksTable", [c.id for c in clerks.rows].index(gone))
    click(qtbot, dialog, "removeClerk")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.save()
    with db.read() as s:
        config = load_config(s)
        assert last not in [w.number for w in config.windows]
        assert gone not in [c.id for c in config.clerks]  # deactivated, its history kept
        kept = s.get(Clerk, gone)
        assert kept is not None and not kept.active


def test_removing_what_is_in_use_is_refused_and_nothing_lost(
    qtbot: QtBot, db: Database, ops: Operations
) -> None:
    from app.queue.backend import LocalQueue

    dialog = _dialog(qtbot, db, ops)
    queue = LocalQueue(db)
    queue.issue_ticket(DeskContext(None, None), "ZH")
    called = queue.call_next(DeskContext(2, None), "r")
    assert called.ticket is not None
    # Window 2 has a ticket at it; this desk is window 1.
    numbers = [w.number for w in dialog.windows_model.rows]
    select_row(dialog, "windowsTable", numbers.index(2))
    click(qtbot, dialog, "removeWindow")
    save_and_wait(qtbot, dialog, ops)
    problems = dialog.findChild(QLabel, "settingsProblems")
    assert problems is not None
    assert f"2 号窗口还有 {called.ticket.number} 号在叫号或办理，不能删除" in problems.text()
    assert dialog.result() == 0
    with db.read() as s:
        assert 2 in [w.number for w in load_config(s).windows]
    # The desk's own window cannot go while the desk is set to it.
    dialog = _dialog(qtbot, db, ops)
    numbers = [w.number for w in dialog.windows_model.rows]
    select_row(dialog, "windowsTable", numbers.index(1))
    click(qtbot, dialog, "removeWindow")
    assert dialog.window_combo.currentData() is None  # never silently another window
    save_and_wait(qtbot, dialog, ops)
    problems = dialog.findChild(QLabel, "settingsProblems")
    assert problems is not None and "选择本机的窗口" in problems.text()
    with db.read() as s:
        assert 1 in [w.number for w in load_config(s).windows]
        assert desk_context(s).window_number == 1
