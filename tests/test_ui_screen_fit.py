"""The desk and the manager's window open inside the screen they are on: the desk asked for
1440×900 and the manager's window for 1280×860, which on a 1366×768 counter screen put the
status bar and the lower buttons below its edge. (The offscreen screen is smaller still.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.cli import build_parser
from app.startup import DeskSetup, open_desk
from ui.launch import build_windows


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[DeskSetup]:
    desk = open_desk(tmp_path / "data", window_number=7, clerk_id="BC0201")
    yield desk
    desk.database.close()


@pytest.mark.parametrize("command", [["--clerk", "BC0201"], ["manager", "--clerk", "BC0201"]])
def test_the_window_opens_inside_its_screen(
    qtbot: QtBot, setup: DeskSetup, command: list[str]
) -> None:
    [window] = build_windows(build_parser().parse_args(command), setup)
    qtbot.addWidget(window)
    room = window.screen().availableGeometry()
    assert room.width() < 1280 or room.height() < 860  # the case this is about
    least = window.minimumSizeHint()  # below which the window cannot go anyway
    assert window.width() <= max(room.width(), least.width())
    assert window.height() <= max(room.height(), least.height())
    assert window.height() < 860
    ops = getattr(window, "ops", None) or window.panel.live.ops  # type: ignore[attr-defined]
    assert ops.wait_idle()
