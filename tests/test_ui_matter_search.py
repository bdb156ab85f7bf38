"""Matter search by keyboard: pinyin initials, a department filter, bundles, Enter to choose."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QTableView
from pytestqt.qtbot import QtBot

from app.catalogue.importer import import_demo_if_empty
from app.catalogue.search import MatterIndex
from ui.matter_search import MatterSearch


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> MatterIndex:
    from db.engine import open_database

    database = open_database(tmp_path_factory.mktemp("idx") / "d.sqlite3")
    with database.session.begin() as s:
        import_demo_if_empty(s)
    with database.session() as s:
        idx = MatterIndex.load(s)
    database.close()
    return idx


@pytest.fixture
def search(qtbot: QtBot, index: MatterIndex) -> MatterSearch:
    widget = MatterSearch(index)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def edit(search: MatterSearch) -> QLineEdit:
    found = search.findChild(QLineEdit, "matterSearchEdit")
    assert found is not None and found.accessibleName()
    return found


def names(search: MatterSearch) -> list[str]:
    return [r.name for r in search.model.rows]


def test_pinyin_initials_then_enter_chooses_the_first(qtbot: QtBot, search: MatterSearch) -> None:
    qtbot.keyClicks(edit(search), "gtgsh")
    assert names(search)[0] == "个体工商户设立登记"
    with qtbot.waitSignal(search.matter_chosen) as chosen:
        qtbot.keyClick(edit(search), Qt.Key.Key_Return)
    assert chosen.args is not None and "220800" in chosen.args[0]


def test_down_arrow_moves_the_choice(qtbot: QtBot, search: MatterSearch) -> None:
    qtbot.keyClicks(edit(search), "gtgsh")
    rows = search.model.rows
    assert len(rows) >= 2
    qtbot.keyClick(edit(search), Qt.Key.Key_Down)
    with qtbot.waitSignal(search.matter_chosen) as chosen:
        qtbot.keyClick(edit(search), Qt.Key.Key_Return)
    assert chosen.args == [rows[1].code]


def test_bundles_are_offered_and_chosen(qtbot: QtBot, search: MatterSearch) -> None:
    qtbot.keyClicks(edit(search), "qykb")
    assert search.model.rows[0].kind == "bundle"
    assert "企业开办" in search.model.rows[0].name
    with qtbot.waitSignal(search.bundle_chosen):
        qtbot.keyClick(edit(search), Qt.Key.Key_Return)


def test_department_filter(qtbot: QtBot, search: MatterSearch) -> None:
    combo = search.findChild(QComboBox, "departmentFilter")
    assert combo is not None
    combo.setCurrentIndex(combo.findData("GAJ"))
    assert search.model.rows and all(r.department == "白城市公安局" for r in search.model.rows)


def test_nothing_found_is_an_empty_table(qtbot: QtBot, search: MatterSearch) -> None:
    qtbot.keyClicks(edit(search), "zzzzqqqq")
    table = search.findChild(QTableView, "matterResults")
    assert table is not None and table.model().rowCount() == 0
    with qtbot.assertNotEmitted(search.matter_chosen):
        qtbot.keyClick(edit(search), Qt.Key.Key_Return)


def test_refresh_keeps_the_column_widths(qtbot: QtBot, search: MatterSearch) -> None:
    table = search.findChild(QTableView, "matterResults")
    assert table is not None
    header = table.horizontalHeader()
    widths = [header.sectionSize(col) for col in (1, 2, 3)]
    for text in ("sh", "个体工商户设立登记", "yl", "企业开办", ""):
        edit(search).setText(text)
        assert search.model.rows or text == ""
        assert [header.sectionSize(col) for col in (1, 2, 3)] == widths
    for col in (1, 2, 3):
        assert header.sectionResizeMode(col) != header.ResizeMode.ResizeToContents
