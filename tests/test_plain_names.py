"""Names from data are shown as plain text on the hall display and the kiosk: a line named
`<b>x</b>` shows those characters, never bold text (nor an image, nor a link)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from app.queue.backend import LocalQueue
from db.models.hall import Hall, Line
from tests.test_queue_display import FakeSpeaker
from tests.test_queue_support import KIOSK, child, database, ops, seed_hall, sessions
from ui.display import HallDisplay
from ui.kiosk import Kiosk
from ui.operations import Operations

__all__ = ["database", "ops", "sessions"]
MARKUP = "<b>x</b>"


def _marked_up(sessions: sessionmaker[Session]) -> LocalQueue:
    seed_hall(sessions)
    with sessions.begin() as s:
        s.execute(update(Line).where(Line.code == "A").values(name=MARKUP))
        s.execute(update(Hall).values(name=MARKUP))
    return LocalQueue(sessions)


def _literal(label: QLabel) -> None:
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert MARKUP in label.text()


def test_the_display_shows_names_literally(
    qtbot: Any, sessions: sessionmaker[Session], ops: Operations
) -> None:
    backend = _marked_up(sessions)
    backend.issue_ticket(KIOSK, "A")
    display = HallDisplay(backend, ops, speaker=FakeSpeaker(), poll_ms=60_000)
    qtbot.addWidget(display)
    display.show()
    assert ops.wait_idle()
    _literal(child(display, QLabel, "hallName"))
    _literal(child(display, QLabel, "waitingName_A"))
    assert child(display, QLabel, "call0").textFormat() == Qt.TextFormat.PlainText


def test_the_kiosk_shows_names_literally(
    qtbot: Any, sessions: sessionmaker[Session], ops: Operations
) -> None:
    kiosk = Kiosk(_marked_up(sessions), ops)
    qtbot.addWidget(kiosk)
    kiosk.show()
    _literal(child(kiosk, QLabel, "kioskHall"))
    qtbot.mouseClick(child(kiosk, QPushButton, "line_A"), Qt.MouseButton.LeftButton)
    assert ops.wait_idle()
    _literal(child(kiosk, QLabel, "ticketLine"))
