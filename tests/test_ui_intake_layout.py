"""The acceptance screen fits the counter's screen: at 1366×768 (and 1920×1080), in Chinese and
in English, the matter results show at least 6 rows while a search is typed with the checklist
still showing several of its lines, and once a matter is chosen the checklist gets the room
back: a 7-material matter's lines are all in view."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView
from pytestqt.qtbot import QtBot

from app.rules.decision import MaterialStatus as S
from app.services.desk_queries import chosen_checklist
from tests.test_ui_desk_keys import CTRL, SELF_EMPLOYED, Desk, desk
from ui.checklist_model import ChecklistModel, ChecklistView
from ui.i18n import install_translator
from ui.intake_layout import ChecklistColumns

__all__ = ["desk"]  # fixture


def settle(table: QTableView) -> None:
    """The layout the last key asked for done, as the desk's event loop does it: each level
    of nested boxes posts its own request, so until the table's size stops changing."""
    sizes = [table.viewport().size()]
    while len(sizes) < 3 or len(set(sizes[-3:])) > 1:
        QApplication.processEvents()
        sizes.append(table.viewport().size())


def whole_rows(table: QTableView) -> int:
    """The rows wholly in view, or the rows there is room for under the last one."""
    settle(table)
    height = table.viewport().height()
    rows = table.model().rowCount()
    shown = 0
    for row in range(rows):
        if table.rowViewportPosition(row) + table.rowHeight(row) > height:
            return shown
        shown += 1
    left = height - (table.rowViewportPosition(rows - 1) + table.rowHeight(rows - 1) if rows else 0)
    return shown + left // table.verticalHeader().defaultSectionSize()


def visible_rows(table: QTableView) -> float:
    """How many rows the table has room for (its viewport over its row height)."""
    settle(table)
    return table.viewport().height() / table.verticalHeader().defaultSectionSize()


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qtbot: QtBot) -> Iterator[str]:
    """The desk in the hall's language and in the English build (loaded before the window)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translator = install_translator(app, request.param)
    yield request.param
    if translator is not None:
        app.removeTranslator(translator)


@pytest.mark.parametrize(
    ("size", "searching_checklist", "chosen_checklist"),
    [((1366, 768), 4, 7), ((1920, 1080), 8, 12)],
)
def test_the_results_and_the_checklist_both_fit(
    qtbot: QtBot,
    language: str,
    desk: Desk,
    size: tuple[int, int],
    searching_checklist: int,
    chosen_checklist: int,
) -> None:
    window, panel = desk.window, desk.window.case_panel
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    desk.press(Qt.Key.Key_F, CTRL)
    desk.type_keys("gt")  # 个体工商户设立登记 first
    assert visible_rows(panel.search.table) >= 6
    desk.press(Qt.Key.Key_Return)
    assert panel.model.rowCount() == 7 and panel.checklist.hasFocus()
    assert whole_rows(panel.checklist) >= chosen_checklist
    assert visible_rows(panel.search.table) >= 3  # what was found is still there to see

    # A second matter: the results have room again, and the checklist keeps several lines.
    desk.press(Qt.Key.Key_F, CTRL)
    desk.type_keys("sybx")  # 失业保险金申领
    assert panel.search.model.rowCount() >= 1
    assert visible_rows(panel.search.table) >= 6
    assert whole_rows(panel.checklist) >= searching_checklist
    desk.press(Qt.Key.Key_Return)
    assert panel.chosen_list.count() == 2 and panel.checklist.hasFocus()
    assert whole_rows(panel.checklist) >= chosen_checklist


def test_the_chosen_matters_take_one_line(desk: Desk) -> None:
    panel = desk.window.case_panel
    desk.press(Qt.Key.Key_F, CTRL)
    desk.type_keys("gt")
    desk.press(Qt.Key.Key_Return)
    desk.press(Qt.Key.Key_F, CTRL)
    desk.type_keys("sybx")
    desk.press(Qt.Key.Key_Return)
    chosen = panel.chosen_list
    assert chosen.count() == 2
    line = chosen.fontMetrics().height()
    assert chosen.height() < 2 * line + 8
    assert (
        chosen.visualItemRect(chosen.item(0)).top() == chosen.visualItemRect(chosen.item(1)).top()
    )
    assert chosen.toolTip().splitlines() == [chosen.item(i).text() for i in range(2)]


def test_a_marked_status_is_shown_whole(qtbot: QtBot, desk: Desk) -> None:
    """The status column widens as the clerk marks (原件已收取，另收复印件1份 is longer than
    未核对), so what was marked is read, not cut."""
    with desk.setup.database.read() as s:
        chosen = chosen_checklist(s, [SELF_EMPLOYED], None)
    model = ChecklistModel()
    view = ChecklistView(model)
    ChecklistColumns(view, model)
    qtbot.addWidget(view)
    view.resize(640, 600)  # room for every line: no scroll bar comes and goes
    view.show()
    model.set_checklist(chosen.lines, {m.code: m.name for m in chosen.specs}, {})
    settle(view)
    status = ChecklistModel.COL_STATUS
    before = view.columnWidth(status)
    for row in range(3):
        view.apply_status(row, S.RECEIVED_ORIGINAL_CHECKED)
    assert view.columnWidth(status) > before
    assert view.columnWidth(status) >= view.sizeHintForColumn(status)


def test_marking_lines_keeps_them_in_view(qtbot: QtBot, language: str, desk: Desk) -> None:
    """A marked status is longer (Original kept, copies: 1): the column it takes from the
    requirement must not leave that so narrow its lines wrap three deep and push the
    checklist's lines out of view (in English, three marks hid two of nine lines)."""
    window, panel = desk.window, desk.window.case_panel
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (1366, 768))
    for keys in ("gt", "sybx"):
        desk.press(Qt.Key.Key_F, CTRL)
        desk.type_keys(keys)
        desk.press(Qt.Key.Key_Return)
    assert panel.chosen_list.count() == 2 and panel.checklist.hasFocus()
    for key in (Qt.Key.Key_2, Qt.Key.Key_5, Qt.Key.Key_6):  # each marks and moves down
        desk.press(key)
    assert whole_rows(panel.checklist) >= 7
    # The matters column's header is read whole (English 'For matters' showed 'or matter').
    header = panel.checklist.horizontalHeader()
    col = ChecklistModel.COL_MATTERS
    title = panel.model.headerData(col, Qt.Orientation.Horizontal)
    assert header.sectionSize(col) >= header.fontMetrics().horizontalAdvance(title) + 6
