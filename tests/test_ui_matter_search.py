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


def _geometry(widget: MatterSearch) -> dict[str, object]:
    """Where every visible part sits, and the columns' widths."""
    from PySide6.QtWidgets import QWidget

    header = widget.table.horizontalHeader()
    parts: dict[str, object] = {
        f"{type(w).__name__}:{w.objectName()}:{i}": w.geometry().getRect()
        for i, w in enumerate(widget.findChildren(QWidget))
        if w.isVisible() and type(w).__name__ != "QToolButton"  # the field's clear button
    }
    parts["columns"] = [header.sectionSize(c) for c in range(header.count())]
    return parts


def test_the_layout_holds_still_as_results_change(qtbot: QtBot, index: MatterIndex) -> None:
    """Issue 9, 13: results coming and going (none, one, a screenful) move nothing: neither
    the parts of the search nor the columns' widths."""
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    outer = QWidget()
    qtbot.addWidget(outer)
    layout = QVBoxLayout(outer)
    widget = MatterSearch(index, outer)
    below = QLabel("below", outer)
    layout.addWidget(widget, 1)
    layout.addWidget(below)
    outer.resize(560, 400)
    outer.show()
    qtbot.waitExposed(outer)
    before, under = _geometry(widget), below.geometry().getRect()
    for query in ("内地", "zzzz", "登记", "gtgsh", ""):
        edit(widget).setText(query)
        qtbot.wait(1)
        assert _geometry(widget) == before, query
        assert below.geometry().getRect() == under, query


def test_the_name_column_is_not_squeezed_by_the_code(qtbot: QtBot, index: MatterIndex) -> None:
    """Issue 9, 13: in a narrow panel the matter's name keeps at least half the table's width
    and more than the code; widened, the extra goes to the name."""
    widget = MatterSearch(index)
    qtbot.addWidget(widget)
    header = widget.table.horizontalHeader()
    for width in (420, 560, 900, 1400):
        widget.resize(width, 300)
        widget.show()
        qtbot.wait(1)
        viewport = widget.table.viewport().width()
        name, code = header.sectionSize(0), header.sectionSize(3)
        assert name >= viewport // 2 and name > code, (width, name, code)
        assert sum(header.sectionSize(c) for c in range(4)) <= viewport + 1, width


def test_the_category_is_shown_whole_or_left_to_the_tooltip(
    qtbot: QtBot, index: MatterIndex
) -> None:
    """At 1366×768 the category column had room for 「行…可」: now it shows 行政许可 whole, or
    hides and the row's tooltip carries it."""
    widget = MatterSearch(index)
    qtbot.addWidget(widget)
    widget.edit.setText("gtgsh")
    header = widget.table.horizontalHeader()
    model = widget.table.model()
    char = widget.fontMetrics().horizontalAdvance("国")
    seen = set()
    for width in (420, 1400):
        widget.resize(width, 300)
        widget.show()
        qtbot.wait(1)
        hidden = widget.table.isColumnHidden(2)
        seen.add(hidden)
        if not hidden:
            assert header.sectionSize(2) >= char * 4, width
        tip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
        assert model.index(0, 2).data() in tip and model.index(0, 1).data() in tip
    assert seen == {True, False}  # narrow: hidden; wide: shown whole
