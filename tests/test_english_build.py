"""The English build (`--lang en`) shows no Chinese but data: the desk, the kiosk and the hall
display are opened in English and every text, tooltip, accessible name, placeholder, tab,
header, menu and window title is walked for CJK characters left once the hall's and the
catalogue's data (names) are taken out."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.catalogue.search import MatterIndex
from app.services.hall import load_config
from app.startup import DeskSetup, open_desk
from ui.i18n import install_translator

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[DeskSetup]:
    desk = open_desk(tmp_path / "data", window_number=1, clerk_id="BC0101")
    yield desk
    desk.database.close()


@pytest.fixture
def english(qtbot: QtBot) -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translator = install_translator(app, "en")
    assert translator is not None
    try:
        yield
    finally:
        app.removeTranslator(translator)


def hall_data(setup: DeskSetup) -> list[str]:
    """Names the hall's configuration holds: shown as they are, in any language."""
    with setup.database.read() as s:
        config = load_config(s)
    names = [config.hall.name, config.hall.address]
    names += [line.name for line in config.lines]
    names += [w.name for w in config.windows]
    names += [c.name for c in config.clerks]
    return [n for n in names if n]


def catalogue_data() -> list[str]:
    """Every text of the demo catalogue (matters, materials, departments): data."""
    from app import jsonfile
    from app.catalogue.importer import DEMO_CATALOGUE

    _raw, data = jsonfile.load(DEMO_CATALOGUE)
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return [t for t in found if CJK.search(t)]


def texts_of(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) of everything the widget shows or says of itself."""
    name = widget.objectName() or type(widget).__name__
    for attr in ("windowTitle", "toolTip", "accessibleName", "accessibleDescription", "statusTip"):
        yield f"{name}.{attr}", getattr(widget, attr)()
    if isinstance(widget, QLabel | QAbstractButton):
        yield f"{name}.text", widget.text()
    if isinstance(widget, QLineEdit):
        yield f"{name}.placeholder", widget.placeholderText()
    if isinstance(widget, QPlainTextEdit):
        yield f"{name}.placeholder", widget.placeholderText()
    if isinstance(widget, QComboBox):
        for i in range(widget.count()):
            yield f"{name}.item{i}", widget.itemText(i)
    if isinstance(widget, QTabWidget):
        for i in range(widget.count()):
            yield f"{name}.tab{i}", widget.tabText(i)
    if isinstance(widget, QTableView | QTreeView) and widget.model() is not None:
        model = widget.model()
        for column in range(model.columnCount(QModelIndex())):
            header = model.headerData(column, Qt.Orientation.Horizontal)
            if isinstance(header, str):
                yield f"{name}.header{column}", header
    for action in widget.actions():
        where = f"{name}.action:{action.objectName()}"
        yield where, action.text()
        yield where, action.toolTip()
        menu = action.menu()
        if isinstance(menu, QWidget):
            for inner in menu.actions():
                yield f"{where}/{inner.objectName()}", inner.text()


def chinese_left(windows: Iterable[QWidget], data: list[str]) -> list[str]:
    ordered = sorted(set(data), key=len, reverse=True)
    found = []
    for window in windows:
        widgets = [window, *window.findChildren(QWidget)]
        actions = window.findChildren(QAction)
        pairs = [pair for w in widgets for pair in texts_of(w)]
        pairs += [(f"action:{a.objectName()}", a.text()) for a in actions]
        pairs += [(f"action:{a.objectName()}.toolTip", a.toolTip()) for a in actions]
        for where, text in pairs:
            rest = text
            for item in ordered:
                rest = rest.replace(item, "")
            if CJK.search(rest):
                found.append(f"{where}: {text!r}")
    return sorted(set(found))


@pytest.mark.usefixtures("english")
def test_the_english_desk_kiosk_and_display_show_no_chinese_but_data(
    qtbot: QtBot, setup: DeskSetup, tmp_path: Path
) -> None:
    from ui.display import run_display
    from ui.kiosk import run_kiosk
    from ui.main_window import MainWindow
    from ui.printing import PrintService

    with setup.database.read() as s:
        index = MatterIndex.load(s)
    desk = MainWindow(setup, index)
    qtbot.addWidget(desk)
    desk.show()
    assert desk.ops.wait_idle()
    display = run_display(setup.database)
    qtbot.addWidget(display)
    display.resize(1920, 1080)
    display.show()
    store = QSettings(str(tmp_path / "kiosk.ini"), QSettings.Format.IniFormat)
    service = PrintService(setup.data_dir, store, printers=list)
    kiosk = run_kiosk(setup.database, setup.data_dir, print_service=service)
    qtbot.addWidget(kiosk)
    kiosk.show()
    assert desk.ops.wait_idle()
    qtbot.waitUntil(lambda: bool(display.hall_label.text()))
    left = chinese_left([desk, kiosk, display], hall_data(setup) + catalogue_data())
    assert left == [], "\n".join(left)


@pytest.mark.usefixtures("english")
def test_the_english_settings_day_end_and_rating_show_no_chinese_but_data(
    qtbot: QtBot, setup: DeskSetup
) -> None:
    from app.queue.backend import LocalQueue
    from app.queue.day_end import DayEndPreview, InService
    from app.services.changes import DeskContext
    from ui.day_end_dialog import DayEndDialog
    from ui.operations import operations_for
    from ui.rating import RatingScreen
    from ui.settings_dialog import SettingsDialog

    with setup.database.read() as s:
        config = load_config(s)
    settings = SettingsDialog(config, setup.ctx, operations_for(setup.database))
    day_end = DayEndDialog(DayEndPreview(3, 1, (InService(1, "E001"), InService(2, "A002"))), 1)
    ticket = LocalQueue(setup.database).issue_ticket(DeskContext(None, None), "QY")
    rating = RatingScreen(ticket)
    for widget in (settings, day_end, rating):
        qtbot.addWidget(widget)
    left = chinese_left([settings, day_end, rating], hall_data(setup) + catalogue_data())
    assert left == [], "\n".join(left)
