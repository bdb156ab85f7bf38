"""The kiosk: taking tickets by touch, priority and appointment options, the ID number (typed,
swiped, or read for the elderly), the printed slip; and the slip's rules in the core."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.errors import UserError
from app.queue.backend import LocalQueue
from app.queue.slip import is_elderly, issue_slip, valid_resident_id
from app.queue.views import TicketView
from db.engine import Database
from db.models.document import Document
from tests.test_queue_support import KIOSK, child, database, ops, seed_hall, sessions
from ui.kiosk import Kiosk, slip_printer
from ui.operations import Operations

__all__ = ["database", "ops", "sessions"]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(born: str, seq: str = "123") -> str:
    """A resident ID number with a correct check character (Baicheng, born yyyymmdd)."""
    body = f"220802{born}{seq}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


@pytest.fixture
def backend(sessions: sessionmaker[Session]) -> LocalQueue:
    seed_hall(sessions)
    return LocalQueue(sessions)


@pytest.fixture
def kiosk(qtbot: Any, backend: LocalQueue, ops: Operations) -> Kiosk:
    widget = Kiosk(backend, ops)
    qtbot.addWidget(widget)
    widget.resize(1080, 1920)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def tap(qtbot: Any, kiosk: Kiosk, name: str) -> None:
    """A touch, and what it set off on the worker delivered."""
    qtbot.mouseClick(child(kiosk, QPushButton, name), Qt.MouseButton.LeftButton)
    assert kiosk.ops.wait_idle(20_000)


def shown(kiosk: Kiosk, name: str) -> str:
    return child(kiosk, QLabel, name).text()


def test_one_touch_gives_a_ticket(qtbot: Any, kiosk: Kiosk) -> None:
    with qtbot.waitSignal(kiosk.ticket_issued, timeout=2000) as issued:
        tap(qtbot, kiosk, "line_A")
    ticket = issued.args[0]
    assert isinstance(ticket, TicketView) and ticket.number == "A001"
    assert kiosk.pages.currentIndex() == 1
    assert shown(kiosk, "ticketNumber") == "A001"
    assert shown(kiosk, "ticketLine") == "社保医保"
    assert shown(kiosk, "ticketAhead") == "您前面还有 0 人等候"
    tap(qtbot, kiosk, "ticketDone")
    tap(qtbot, kiosk, "line_A")
    assert shown(kiosk, "ticketAhead") == "您前面还有 1 人等候"


def test_priority_and_appointment_options(qtbot: Any, kiosk: Kiosk) -> None:
    tap(qtbot, kiosk, "line_A")
    tap(qtbot, kiosk, "ticketDone")
    tap(qtbot, kiosk, "option_pregnant")
    tap(qtbot, kiosk, "option_disability")  # one option at a time
    assert not child(kiosk, QPushButton, "option_pregnant").isChecked()
    tap(qtbot, kiosk, "line_A")
    assert kiosk.last_ticket is not None
    assert (kiosk.last_ticket.kind, kiosk.last_ticket.priority_group) == ("priority", "disability")
    assert shown(kiosk, "ticketAhead") == "您前面还有 0 人等候"  # ahead of the normal A001
    tap(qtbot, kiosk, "ticketDone")
    assert not child(kiosk, QPushButton, "option_disability").isChecked()  # reset
    tap(qtbot, kiosk, "option_appointment")
    tap(qtbot, kiosk, "line_B")
    assert kiosk.last_ticket is not None
    assert (kiosk.last_ticket.number, kiosk.last_ticket.kind) == ("Y001", "appointment")


def test_the_keypad_and_the_duplicate_refusal(qtbot: Any, kiosk: Kiosk) -> None:
    number = resident_id("19900101")
    for key in number:
        tap(qtbot, kiosk, f"key_{key}")
    tap(qtbot, kiosk, "key_back")
    assert child(kiosk, QLineEdit, "idNumber").text() == number[:-1]
    tap(qtbot, kiosk, f"key_{number[-1]}")
    tap(qtbot, kiosk, "line_A")
    assert kiosk.last_ticket is not None and kiosk.last_ticket.kind == "normal"
    tap(qtbot, kiosk, "ticketDone")
    # A card reader types the number, like a keyboard.
    qtbot.keyClicks(child(kiosk, QLineEdit, "idNumber"), number)
    tap(qtbot, kiosk, "line_A")
    assert kiosk.pages.currentIndex() == 0
    assert "重复取号" in shown(kiosk, "kioskMessage")


def test_an_elderly_applicant_gets_priority_from_the_id(qtbot: Any, kiosk: Kiosk) -> None:
    child(kiosk, QLineEdit, "idNumber").setText(resident_id("19500315"))
    tap(qtbot, kiosk, "line_A")
    assert kiosk.last_ticket is not None
    assert (kiosk.last_ticket.kind, kiosk.last_ticket.priority_group) == ("priority", "elderly")
    assert "优先号" in shown(kiosk, "ticketNote")


def test_the_ticket_page_goes_back_by_itself(
    qtbot: Any, backend: LocalQueue, ops: Operations
) -> None:
    kiosk = Kiosk(backend, ops, reset_ms=50)
    qtbot.addWidget(kiosk)
    kiosk.show()
    tap(qtbot, kiosk, "line_C")
    assert kiosk.pages.currentIndex() == 1
    qtbot.waitUntil(lambda: kiosk.pages.currentIndex() == 0, timeout=2000)


def test_the_kiosk_prints_a_numbered_slip(
    qtbot: Any, backend: LocalQueue, sessions: sessionmaker[Session], ops: Operations
) -> None:
    printed: list[tuple[bytes, str]] = []

    def print_pdf(pdf: bytes, doc_no: str) -> bool:
        printed.append((pdf, doc_no))
        return True

    kiosk = Kiosk(backend, ops, printer=slip_printer(ops, print_pdf))
    qtbot.addWidget(kiosk)
    tap(qtbot, kiosk, "line_A")
    assert "请取走号票" in shown(kiosk, "ticketNote")
    ((pdf, doc_no),) = printed
    assert pdf.startswith(b"%PDF")
    assert doc_no.startswith("PH220800") and doc_no.endswith("000001")
    with sessions() as s:
        document = s.scalars(select(Document)).one()
    assert kiosk.last_ticket is not None
    assert (document.ticket_id, document.print_count) == (kiosk.last_ticket.id, 1)


def test_a_failed_print_is_said_and_not_counted(
    qtbot: Any, backend: LocalQueue, sessions: sessionmaker[Session], ops: Operations
) -> None:
    kiosk = Kiosk(backend, ops, printer=slip_printer(ops, lambda pdf, doc_no: False))
    qtbot.addWidget(kiosk)
    tap(qtbot, kiosk, "line_A")
    assert "未能打印" in shown(kiosk, "ticketNote")
    with sessions() as s:
        assert s.scalars(select(Document.print_count)).one() == 0


def test_every_kiosk_button_is_named(kiosk: Kiosk) -> None:
    for button in kiosk.findChildren(QPushButton):
        assert button.objectName() and button.accessibleName()


# --- the core side -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "today", "elderly"),
    [
        ("19650101", date(2025, 1, 1), True),  # 60 today
        ("19650102", date(2025, 1, 1), False),  # 60 tomorrow
        ("19400229", date(2026, 11, 26), True),
        ("19900101", date(2026, 11, 26), False),
    ],
)
def test_elderly_by_id_number(born: str, today: date, elderly: bool) -> None:
    assert is_elderly(resident_id(born), today) is elderly


def _wrong_check(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")


@pytest.mark.parametrize(
    "value",
    [None, "", "12345", "ABCDEFGHIJKLMNOPQR", _wrong_check(resident_id("19400101"))],
)
def test_no_valid_id_no_elderly(value: str | None) -> None:
    assert is_elderly(value, date(2026, 11, 26)) is False
    assert valid_resident_id(resident_id("19400101"))


def test_a_slip_only_for_a_waiting_ticket(
    backend: LocalQueue, sessions: sessionmaker[Session]
) -> None:
    ticket = backend.issue_ticket(KIOSK, "A")
    with sessions.begin() as s:
        slip = issue_slip(s, KIOSK, ticket.id)
    assert slip.waiting_ahead == 0 and slip.doc_no.startswith("PH")
    backend.close_day(KIOSK, "测试")
    with sessions.begin() as s, pytest.raises(UserError, match="不再出票"):
        issue_slip(s, KIOSK, ticket.id)


def test_run_kiosk_and_run_display_build_their_windows(
    qtbot: Any, sessions: sessionmaker[Session], database: Database, tmp_path: Path
) -> None:
    from ui.display import HallDisplay, run_display
    from ui.kiosk import run_kiosk
    from ui.operations import operations_for

    seed_hall(sessions)
    kiosk = run_kiosk(database, tmp_path)
    qtbot.addWidget(kiosk)
    assert isinstance(kiosk, Kiosk) and kiosk.printer is not None
    assert set(kiosk.line_buttons) == {"A", "B", "C"}
    display = run_display(database)
    qtbot.addWidget(display)
    assert isinstance(display, HallDisplay)
    assert operations_for(database).wait_idle()
    assert child(display, QLabel, "hallName").text() == "白城市政务服务中心"
