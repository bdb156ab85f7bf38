"""Every interactive widget of every screen has an objectName (for scripts and tests) and an
accessibleName (for screen readers)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.catalogue.search import MatterIndex
from app.startup import DeskSetup, open_desk
from ui.display import run_display
from ui.kiosk import run_kiosk
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog

INTERACTIVE = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[DeskSetup]:
    desk = open_desk(tmp_path / "data", window_number=1, clerk_id="BC0101")
    yield desk
    desk.database.close()


def owned_by_qt(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (*INTERACTIVE, QDialogButtonBox)):
            return True
        parent = parent.parentWidget()
    return False


def unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE):
            continue
        # Qt's own sub-widgets (a spin box's line edit, a combo box's popup list, the standard
        # buttons of a named button box) belong to a named owner.
        if widget.objectName().startswith("qt_") or owned_by_qt(widget):
            continue
        # A button's text is its accessible name unless one is set.
        spoken = widget.accessibleName() or (
            widget.text() if isinstance(widget, QAbstractButton) else ""
        )
        if not widget.objectName() or not spoken:
            missing.append(
                f"{type(widget).__name__} name={widget.objectName()!r} "
                f"accessible={widget.accessibleName()!r} text={getattr(widget, 'text', lambda: '')()!r}"
            )
    return missing


def test_main_window(qtbot: QtBot, setup: DeskSetup) -> None:
    with setup.database.session() as s:
        index = MatterIndex.load(s)
    window = MainWindow(setup, index)
    qtbot.addWidget(window)
    assert window.ops.wait_idle()
    assert unnamed(window) == []


def test_settings_dialog(qtbot: QtBot, setup: DeskSetup) -> None:
    from app.services.hall import load_config
    from ui.operations import operations_for

    with setup.database.read() as s:
        config = load_config(s)
    dialog = SettingsDialog(config, setup.ctx, operations_for(setup.database))
    qtbot.addWidget(dialog)
    assert unnamed(dialog) == []


def test_display_and_kiosk(qtbot: QtBot, setup: DeskSetup) -> None:
    display = run_display(setup.database)
    kiosk = run_kiosk(setup.database, setup.data_dir)
    qtbot.addWidget(display)
    qtbot.addWidget(kiosk)
    assert display.ops.wait_idle()
    assert unnamed(display) == []
    assert unnamed(kiosk) == []


def test_dialogs(qtbot: QtBot, setup: DeskSetup) -> None:
    from app.printing.render import render
    from app.printing.samples import demo_receipt
    from app.queue.backend import LocalQueue
    from app.rules.decision import DecisionKind
    from app.services.changes import DeskContext
    from ui.override_dialog import OverrideDialog
    from ui.printing import PrintPreviewDialog, render_pages
    from ui.queue_panel import NoShowDialog, PickTicketDialog, TransferDialog
    from ui.rating import RatingScreen
    from ui.supplement_dialog import SupplementDialog

    queue = LocalQueue(setup.database.session)
    ticket = queue.issue_ticket(DeskContext(None, None), "QY")
    receipt = demo_receipt()
    dialogs: list[QWidget] = [
        SupplementDialog(setup.database, setup.ctx),
        OverrideDialog(DecisionKind.NOTIFY, [("BC0201", "赵丽华")]),
        PrintPreviewDialog(render_pages(render(receipt)), "受理通知书", ["票据打印机"], None),
        NoShowDialog(ticket),
        TransferDialog(ticket, queue.lines(), queue.windows(), 1),
        PickTicketDialog([ticket]),
        RatingScreen(ticket),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        assert unnamed(dialog) == [], type(dialog).__name__
