"""The hall display fits the screens halls have (1920×1080, 1366×768, 1280×1024, 3840×2160):
every label's text fits its rectangle, every label lies inside the window, and the window keeps
its size however many layout passes run (its font follows the window, the window never follows
its font)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy.orm import Session, sessionmaker

from app.queue.backend import LocalQueue
from tests.test_queue_display import FakeSpeaker
from tests.test_queue_support import KIOSK, child, ctx, database, ops, seed_hall, sessions
from ui.display import HallDisplay
from ui.operations import Operations

__all__ = ["database", "ops", "sessions"]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SCREENS = [(1920, 1080), (1366, 768), (1280, 1024), (3840, 2160)]


@pytest.fixture
def display(qtbot: Any, sessions: sessionmaker[Session], ops: Operations) -> HallDisplay:
    seed_hall(sessions)
    backend = LocalQueue(sessions)
    for line in "AABBA":
        backend.issue_ticket(KIOSK, line)
    for window in (1, 2, 1, 2):
        called = backend.call_next(ctx(window), os.urandom(8).hex())
        assert called.ticket is not None
        backend.start_service(ctx(window), called.ticket.id)
        backend.end_service(ctx(window), called.ticket.id)
    widget = HallDisplay(backend, ops, speaker=FakeSpeaker(), poll_ms=60_000)
    assert ops.wait_idle()
    qtbot.addWidget(widget)
    return widget


def settle(times: int = 5) -> None:
    for _ in range(times):
        QApplication.processEvents()


def relayout(display: HallDisplay) -> None:
    layout = display.layout()
    assert layout is not None
    layout.invalidate()
    layout.activate()


def clipped(display: HallDisplay) -> list[str]:
    """The labels whose text does not fit, or that lie outside the window."""
    problems = []
    window = display.rect()
    for label in display.findChildren(QLabel):
        if not label.isVisible():
            continue
        top_left = label.mapTo(display, QPoint(0, 0))
        if not window.contains(QRect(top_left, label.size())):
            problems.append(f"{label.objectName()} outside the window: {label.geometry()}")
        if not label.text():
            continue
        rect = label.contentsRect()
        flags = int(label.alignment().value)
        if label.wordWrap():
            flags |= int(Qt.TextFlag.TextWordWrap.value)
        bound = QFontMetrics(label.font()).boundingRect(rect, flags, label.text())
        if bound.width() > rect.width() or bound.height() > rect.height():
            problems.append(f"{label.objectName()} {label.text()!r}: {bound} in {rect}")
    return problems


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_the_display_fits_the_screen(
    qtbot: Any, display: HallDisplay, width: int, height: int
) -> None:
    display.resize(width, height)
    display.show()
    qtbot.waitExposed(display)
    settle()
    assert display.minimumSizeHint().height() <= height
    assert display.minimumSizeHint().width() <= width
    assert (display.width(), display.height()) == (width, height)
    assert clipped(display) == []
    assert "请" in child(display, QLabel, "call0").text()
    # Still legible from ten metres: the newest call is at least an eighth of the height.
    newest = child(display, QLabel, "call0").font().pixelSize()
    print(f"{width}x{height}: newest call {newest} px")
    assert newest >= height // 8
    for _ in range(5):  # more layout passes change nothing
        relayout(display)
        settle()
        assert (display.width(), display.height()) == (width, height)


def test_windowed_the_display_does_not_grow_by_itself(qtbot: Any, display: HallDisplay) -> None:
    display.resize(757, 448)
    display.show()
    qtbot.waitExposed(display)
    for _ in range(10):
        relayout(display)
        settle()
        # A window manager enforces the minimum size: it must never exceed the window.
        hint = display.minimumSizeHint()
        assert hint.width() <= 757 and hint.height() <= 448
        assert (display.width(), display.height()) == (757, 448)
    assert clipped(display) == []


def test_before_the_first_call_the_screen_says_what_to_do(
    qtbot: Any, sessions: sessionmaker[Session], ops: Operations
) -> None:
    seed_hall(sessions)
    backend = LocalQueue(sessions)
    backend.issue_ticket(KIOSK, "A")
    speaker = FakeSpeaker()
    widget = HallDisplay(backend, ops, speaker=speaker, poll_ms=60_000)
    assert ops.wait_idle()
    qtbot.addWidget(widget)
    settle()
    newest = child(widget, QLabel, "call0")
    assert newest.text() == "请取号等候\n留意屏幕叫号"
    assert newest.accessibleDescription() == ""  # not announced as a call
    assert widget.highlighted is None
    # The first call takes its place.
    called = backend.call_next(ctx(1), os.urandom(8).hex())
    assert called.ticket is not None
    widget.refresh()
    assert ops.wait_idle()
    settle()
    assert newest.text().startswith("请 ") and called.ticket.number in newest.text()
    # Its announcement done before the widget goes (its timers would outlive the test).
    qtbot.waitUntil(lambda: bool(speaker.spoken) and not widget.announcements.busy, timeout=3000)
