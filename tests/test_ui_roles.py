"""The desk's menus follow the signed-in person's role: a clerk sees neither the hall's
settings (its staff accounts) nor the day's end, a manager the day's end, an administrator
both. The core refuses them anyway (test_accounts, test_queue_engine)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from app.catalogue.search import MatterIndex
from app.startup import open_desk
from ui.main_window import MainWindow


@pytest.fixture
def window_of(qtbot: QtBot, tmp_path: Path) -> Iterator[object]:
    opened = []

    def make(clerk_id: str) -> MainWindow:
        desk = open_desk(tmp_path / clerk_id, window_number=3, clerk_id=clerk_id)
        opened.append(desk)
        with desk.database.session() as s:
            index = MatterIndex.load(s)
        main = MainWindow(desk, index)
        qtbot.addWidget(main)
        main.show()
        qtbot.waitExposed(main)
        assert main.ops.wait_idle()
        return main

    yield make
    for desk in opened:
        desk.database.close()


def _shown(window: MainWindow, action_id: str) -> bool:
    action = window.findChild(QAction, f"{action_id}Action")
    assert action is not None, action_id
    assert action.isVisible() == action.isEnabled()
    return action.isVisible()


@pytest.mark.parametrize(
    ("clerk", "settings", "close_day"),
    [("BC0103", False, False), ("BC0201", False, True), ("BC0901", True, True)],
)
def test_menus_follow_the_role(
    qtbot: QtBot, window_of: object, clerk: str, settings: bool, close_day: bool
) -> None:
    window = window_of(clerk)  # type: ignore[operator]
    qtbot.waitUntil(lambda: _shown(window, "settings") == settings)
    assert _shown(window, "closeDay") == close_day
    assert _shown(window, "central") == settings  # whose accounts the desk takes
    assert _shown(window, "printers")  # not role-bound


def test_the_manager_window_opened_by_clerk_says_it_is_the_demo(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from app.cli import build_parser
    from ui.launch import build_windows

    desk = open_desk(tmp_path / "demo", window_number=3, clerk_id="BC0201")
    try:
        for argv, demo in ((["manager", "--clerk", "BC0201"], True), (["manager"], False)):
            [window] = build_windows(build_parser().parse_args(argv), desk)
            qtbot.addWidget(window)
            assert window.windowTitle().endswith("[演示模式]") == demo
            assert window.panel.live.ops.wait_idle()  # type: ignore[attr-defined]
    finally:
        desk.database.close()
