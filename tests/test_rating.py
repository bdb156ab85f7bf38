"""好差评 belongs to the applicant: the desk records that a rating is awaited and never asks
it on the clerk's screen; the applicant-facing screen (the desk's second screen, or the kiosk)
records the rating, or "not rated" after the timeout; the desk goes on calling meanwhile."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QPushButton
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import ui.rating
from app.errors import UserError
from app.queue.backend import LocalQueue
from app.queue.ratings import (
    NOT_RATED,
    await_rating,
    awaited_ratings,
    expire_awaited,
    rate,
    record_not_rated,
)
from app.queue.views import TicketView
from db.base import utcnow
from db.engine import Database
from db.models.queue import Evaluation
from db.models.sync import Event
from tests.test_queue_support import KIOSK, child, ctx, database, ops, seed_hall, sessions
from ui.kiosk import Kiosk
from ui.operations import Operations
from ui.queue_panel import QueuePanel
from ui.rating import RatingScreen, ask_rating

__all__ = ["database", "ops", "sessions"]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
CLERK = ctx(1, "clerk-7")


@pytest.fixture
def backend(sessions: sessionmaker[Session]) -> LocalQueue:
    seed_hall(sessions)
    return LocalQueue(sessions)


def done_ticket(backend: LocalQueue) -> TicketView:
    backend.issue_ticket(KIOSK, "A")
    called = backend.call_next(CLERK, f"r-{utcnow().timestamp()}").ticket
    assert called is not None
    backend.start_service(CLERK, called.id)
    return backend.end_service(CLERK, called.id)


def evaluations(sessions: sessionmaker[Session]) -> list[tuple[int, str]]:
    with sessions() as s:
        return [(e.rating, e.comment) for e in s.scalars(select(Evaluation))]


def not_rated(sessions: sessionmaker[Session]) -> int:
    with sessions() as s:
        return len(s.scalars(select(Event).where(Event.kind == NOT_RATED)).all())


# --- the core ------------------------------------------------------------------------------


def test_a_rating_is_accepted_only_while_it_is_awaited(
    backend: LocalQueue, sessions: sessionmaker[Session]
) -> None:
    ticket = done_ticket(backend)
    with sessions.begin() as s, pytest.raises(UserError, match="评价已结束"):
        rate(s, CLERK, ticket.id, 5)  # nobody asked: the clerk cannot rate for the applicant
    with sessions.begin() as s:
        await_rating(s, CLERK, ticket.id, "kiosk")
    with sessions() as s:
        (awaited,) = awaited_ratings(s, place="kiosk")
        assert (awaited.number, awaited.window_number) == (ticket.number, 1)
        assert awaited_ratings(s, place="second_screen") == ()
    with sessions.begin() as s:
        rate(s, KIOSK, ticket.id, 4)
    with sessions() as s:
        assert awaited_ratings(s) == ()
    with sessions.begin() as s, pytest.raises(UserError, match="已评价"):
        rate(s, KIOSK, ticket.id, 1)
    assert evaluations(sessions) == [(4, "")]


def test_nobody_answering_is_recorded_as_not_rated(
    backend: LocalQueue, sessions: sessionmaker[Session]
) -> None:
    first, second = done_ticket(backend), done_ticket(backend)
    with sessions.begin() as s:
        await_rating(s, CLERK, first.id, "kiosk")
        await_rating(s, CLERK, second.id, "second_screen")
    with sessions.begin() as s:
        assert record_not_rated(s, KIOSK, first.id)
        assert not record_not_rated(s, KIOSK, first.id)  # once
    with sessions.begin() as s, pytest.raises(UserError, match="评价已结束"):
        rate(s, KIOSK, first.id, 5)  # too late
    with sessions.begin() as s:
        assert expire_awaited(s, KIOSK, timeout=timedelta(hours=1)) == 0
        assert expire_awaited(s, KIOSK, now=utcnow() + timedelta(minutes=2)) == 1
    assert not_rated(sessions) == 2 and evaluations(sessions) == []


# --- the desk ------------------------------------------------------------------------------


def test_one_screen_the_desk_shows_no_rating_and_the_kiosk_asks_it(
    qtbot: Any, backend: LocalQueue, sessions: sessionmaker[Session], ops: Operations
) -> None:
    ticket = done_ticket(backend)
    assert ask_rating(backend, CLERK, ticket, ops) is None
    assert ops.wait_idle()
    assert QApplication.activeModalWidget() is None
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    with sessions() as s:
        assert [r.ticket_id for r in awaited_ratings(s, place="kiosk")] == [ticket.id]


def test_f7_then_f2_the_desk_is_never_blocked(
    qtbot: Any,
    database: Database,
    ops: Operations,
    backend: LocalQueue,
    sessions: sessionmaker[Session],
) -> None:
    for _ in range(2):
        backend.issue_ticket(KIOSK, "A")
    panel = QueuePanel(database, CLERK, ops=ops)  # its own rating prompt, not a stand-in
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel)
    for key in (Qt.Key.Key_F2, Qt.Key.Key_F4, Qt.Key.Key_F7, Qt.Key.Key_F2):
        qtbot.keyClick(panel, key)
        assert ops.wait_idle()
    assert QApplication.activeModalWidget() is None
    assert child(panel, QLabel, "currentTicket").text() == "A002"
    with sessions() as s:
        assert [r.number for r in awaited_ratings(s, place="kiosk")] == ["A001"]


@pytest.fixture
def two_screens(monkeypatch: pytest.MonkeyPatch) -> None:
    primary = QGuiApplication.primaryScreen()
    monkeypatch.setattr(ui.rating.QGuiApplication, "screens", lambda: [primary, primary])


@pytest.mark.usefixtures("two_screens")
def test_a_second_screen_faces_the_applicant_and_records_the_rating(
    qtbot: Any, backend: LocalQueue, sessions: sessionmaker[Session], ops: Operations
) -> None:
    widget = ask_rating(backend, CLERK, done_ticket(backend), ops)
    assert isinstance(widget, RatingScreen)
    qtbot.addWidget(widget)
    assert widget.isVisible()
    assert widget.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert widget.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    qtbot.mouseClick(child(widget, QPushButton, "rating1"), Qt.MouseButton.LeftButton)
    assert evaluations(sessions) == []  # not yet: the comment first
    child(widget, QPlainTextEdit, "ratingComment").setPlainText("等了太久")
    qtbot.mouseClick(child(widget, QPushButton, "ratingSubmit"), Qt.MouseButton.LeftButton)
    assert ops.wait_idle()
    qtbot.waitUntil(lambda: not widget.isVisible())
    assert evaluations(sessions) == [(1, "等了太久")]


@pytest.mark.usefixtures("two_screens")
def test_the_second_screen_gives_up_and_records_not_rated(
    qtbot: Any, backend: LocalQueue, sessions: sessionmaker[Session], ops: Operations
) -> None:
    widget = ask_rating(backend, CLERK, done_ticket(backend), ops, timeout_ms=50)
    assert widget is not None
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: not widget.isVisible(), timeout=5000)
    assert ops.wait_idle()
    assert not_rated(sessions) == 1 and evaluations(sessions) == []


# --- the kiosk -----------------------------------------------------------------------------


def rating_kiosk(qtbot: Any, backend: LocalQueue, ops: Operations, timeout_ms: int) -> Kiosk:
    kiosk = Kiosk(backend, ops, ratings=True, rating_timeout_ms=timeout_ms)
    qtbot.addWidget(kiosk)
    kiosk.show()
    return kiosk


def test_the_kiosk_asks_the_applicant_to_rate(
    qtbot: Any, backend: LocalQueue, sessions: sessionmaker[Session], ops: Operations
) -> None:
    kiosk = rating_kiosk(qtbot, backend, ops, 60_000)
    ticket = done_ticket(backend)
    ask_rating(backend, CLERK, ticket, ops)  # the desk's write: the kiosk hears of it
    assert ops.wait_idle()
    qtbot.waitUntil(lambda: kiosk.pages.currentIndex() == 2)
    assert ticket.number in child(kiosk, QLabel, "ratingTicket").text()
    qtbot.mouseClick(child(kiosk, QPushButton, "rating5"), Qt.MouseButton.LeftButton)
    assert ops.wait_idle()
    qtbot.waitUntil(lambda: kiosk.pages.currentIndex() == 0)
    assert evaluations(sessions) == [(5, "")]


def test_the_kiosk_records_not_rated_after_the_timeout(
    qtbot: Any, backend: LocalQueue, sessions: sessionmaker[Session], ops: Operations
) -> None:
    kiosk = rating_kiosk(qtbot, backend, ops, 100)
    ask_rating(backend, CLERK, done_ticket(backend), ops)
    qtbot.waitUntil(lambda: not_rated(sessions) == 1, timeout=5000)
    qtbot.waitUntil(lambda: kiosk.pages.currentIndex() == 0)
    assert evaluations(sessions) == []


def test_the_kiosk_does_not_interrupt_someone_taking_a_ticket(
    qtbot: Any, backend: LocalQueue, ops: Operations
) -> None:
    kiosk = rating_kiosk(qtbot, backend, ops, 60_000)
    qtbot.mouseClick(child(kiosk, QPushButton, "key_2"), Qt.MouseButton.LeftButton)
    ask_rating(backend, CLERK, done_ticket(backend), ops)
    assert ops.wait_idle()
    assert kiosk.pages.currentIndex() == 0  # the ID number being typed stays
    kiosk.start_over()
    assert kiosk.rating_page is not None
    kiosk.rating_page.poll()
    assert ops.wait_idle()
    qtbot.waitUntil(lambda: kiosk.pages.currentIndex() == 2)


def test_a_second_screen_showing_the_hall_display_is_not_used(
    qtbot: Any,
    backend: LocalQueue,
    sessions: sessionmaker[Session],
    ops: Operations,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QWidget

    primary = QGuiApplication.primaryScreen()
    monkeypatch.setattr(ui.rating.QGuiApplication, "screens", lambda: [primary, primary])
    display = QWidget()
    display.setObjectName("hallDisplay")
    qtbot.addWidget(display)
    display.show()
    assert ask_rating(backend, CLERK, done_ticket(backend), ops) is None
    assert ops.wait_idle()
    with sessions() as s:
        assert len(awaited_ratings(s, place="kiosk")) == 1


def test_a_rating_nobody_showed_is_closed_by_the_next_service_s_end(
    backend: LocalQueue, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.queue.ratings

    first, second = done_ticket(backend), done_ticket(backend)
    with sessions.begin() as s:
        await_rating(s, CLERK, first.id, "kiosk")
    # No kiosk ran: once it is stale, the next desk's service end closes it.
    monkeypatch.setattr(app.queue.ratings, "STALE_AFTER", timedelta(0))
    with sessions.begin() as s:
        await_rating(s, CLERK, second.id, "kiosk")
    with sessions() as s:
        assert [r.ticket_id for r in awaited_ratings(s)] == [second.id]
    assert not_rated(sessions) == 1
