"""Desk, hall display and kiosk in one process: a ticket taken at the kiosk shows on the desk
at once, a call made at the desk shows on the display at once."""

from __future__ import annotations

import argparse
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.cli import build_parser
from app.startup import open_desk
from tests.test_lock_support import write_lock_held_elsewhere
from ui.display import HallDisplay
from ui.kiosk import Kiosk
from ui.launch import build_windows
from ui.main_window import MainWindow


def test_one_process_parts_tell_each_other(qtbot: QtBot, tmp_path: Path) -> None:
    setup = open_desk(tmp_path / "data", window_number=1, clerk_id="BC0101")
    args: argparse.Namespace = build_parser().parse_args(["--with-display", "--with-kiosk"])
    windows: list[QWidget] = build_windows(args, setup)
    try:
        for w in windows:
            qtbot.addWidget(w)
        main, display, kiosk = windows
        assert isinstance(main, MainWindow)
        assert isinstance(display, HallDisplay) and isinstance(kiosk, Kiosk)
        display._poll.stop()  # only the wiring may update it in this test

        assert main.ops.wait_idle()
        kiosk.take_ticket("QY")
        assert main.ops.wait_idle()
        counts = main.queue_panel.counts_model
        rows = [
            [str(counts.data(counts.index(r, c))) for c in range(counts.columnCount())]
            for r in range(counts.rowCount())
        ]
        assert next(r for r in rows if r[0] == "企业开办")[:3] == ["企业开办", "A", "1"]

        main.queue_panel.call_next()
        assert main.ops.wait_idle()
        assert "A001" in display.call_labels[0].text()
        assert "1" in display.call_labels[0].text()  # window 1
    finally:
        for w in windows:
            w.close()
        setup.database.close()


def test_the_desk_opens_while_another_process_writes(qtbot: QtBot, tmp_path: Path) -> None:
    """The catalogue's index is read at start in a snapshot: a desk started while another
    window holds the write lock opens (it used to wait for the lock, then fail)."""
    setup = open_desk(tmp_path / "data", window_number=1, clerk_id="BC0101")
    args: argparse.Namespace = build_parser().parse_args([])
    windows: list[QWidget] = []
    try:
        assert setup.database.path is not None
        with write_lock_held_elsewhere(setup.database.path):
            windows = build_windows(args, setup)
            for w in windows:
                qtbot.addWidget(w)
            (main,) = windows
            assert isinstance(main, MainWindow)
            assert main.ops.wait_idle()  # the window's own reads arrive meanwhile
            assert len(main.case_panel.search.index) > 0  # the catalogue is there to search
            assert main.queue_panel.counts_model.rowCount() > 0
    finally:
        for w in windows:
            w.close()
        setup.database.close()
