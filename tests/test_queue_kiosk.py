"""The kiosk: taking tickets by touch, priority and appointment options, the ID number (typed,
swiped, or read for the elderly), the printed slip; and the slip's rules in the core."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import app.queue.slip
from app.errors import UserError
from app.queue.backend import LocalQueue
from app.queue.slip import is_elderly, issue_slip, render_slip, slip_printed, valid_resident_id
from app.queue.views import TicketView
from app.services.documents import sha256_of
from db.engine import Database
from db.models.document import Document
from tests.test_printing_ui import SlowPrinterService
from tests.test_queue_support import KIOSK, MANAGER, child, database, ops, seed_hall, sessions
from ui.kiosk import Kiosk, run_kiosk, slip_printer
from ui.operations import Operations, wait_all_idle
from ui.printing import SETTINGS_KEYS, PrintOutcome, PrintService

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
    refusal = shown(kiosk, "kioskMessage")
    assert "重复取号" in refusal
    # Whoever typed it may not hold that ticket: the refusal never tells which one it is.
    assert "A001" not in refusal and "001" not in refusal
    assert child(kiosk, QLineEdit, "idNumber").text() == ""


def test_a_wrong_check_digit_is_refused_and_cleared(qtbot: Any, kiosk: Kiosk) -> None:
    good = resident_id("19900101")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    for key in wrong:
        tap(qtbot, kiosk, f"key_{key}")
    tap(qtbot, kiosk, "line_A")
    assert kiosk.last_ticket is None and kiosk.pages.currentIndex() == 0
    assert "校验位" in shown(kiosk, "kioskMessage")
    assert child(kiosk, QLineEdit, "idNumber").text() == ""


def test_a_ticket_clears_the_typed_id_number(qtbot: Any, kiosk: Kiosk) -> None:
    child(kiosk, QLineEdit, "idNumber").setText(resident_id("19900101"))
    tap(qtbot, kiosk, "line_A")
    assert kiosk.last_ticket is not None
    assert child(kiosk, QLineEdit, "idNumber").text() == ""


def test_a_typed_id_number_is_cleared_after_a_while(
    qtbot: Any, backend: LocalQueue, ops: Operations
) -> None:
    kiosk = Kiosk(backend, ops, id_clear_ms=50)
    qtbot.addWidget(kiosk)
    kiosk.show()
    for key in "2208021990":
        qtbot.mouseClick(child(kiosk, QPushButton, f"key_{key}"), Qt.MouseButton.LeftButton)
    assert child(kiosk, QLineEdit, "idNumber").text() == "2208021990"
    qtbot.waitUntil(lambda: child(kiosk, QLineEdit, "idNumber").text() == "", timeout=5000)


def test_a_kiosk_without_a_printer_says_the_ticket_was_not_printed(
    qtbot: Any, kiosk: Kiosk
) -> None:
    tap(qtbot, kiosk, "line_A")
    note = shown(kiosk, "ticketNote")
    assert "号票未打印" in note and "请取走号票" not in note
    assert shown(kiosk, "ticketNumber") == "A001"


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


class FakeSpooler:
    """Stands in for ui.printing.PrintService: keeps each slip it is given and answers by
    callback on the UI thread, as the real one does, with `result` ("printed", "saved": no
    printer, or "failed": neither); or not at all until `answer()` while `hold` is set."""

    def __init__(self, result: str = "printed", *, hold: bool = False) -> None:
        self.result = result
        self.hold = hold
        self.jobs: list[tuple[bytes, str, int]] = []
        self.waiting: list[Callable[[PrintOutcome], object]] = []

    def print_silently(
        self,
        pdf_bytes: bytes,
        kind: str,
        doc_no: str,
        *,
        reprint: int = 0,
        on_done: Callable[[PrintOutcome], object] | None = None,
    ) -> None:
        assert kind == "ticket" and on_done is not None
        self.jobs.append((pdf_bytes, doc_no, reprint))
        self.waiting.append(on_done)
        if not self.hold:
            QTimer.singleShot(0, self.answer)

    def answer(self) -> None:
        outcome = {
            "printed": PrintOutcome(printed=True, printer="Roll80", message="已发送到打印机"),
            "saved": PrintOutcome(printed=False, saved_path=Path("x.pdf"), message="已保存"),
            "failed": PrintOutcome(printed=False, message="未能打印，也未能保存"),
        }[self.result]
        self.waiting.pop(0)(outcome)


def printing_kiosk(qtbot: Any, backend: LocalQueue, ops: Operations, spooler: Any) -> Kiosk:
    kiosk = Kiosk(backend, ops, printer=slip_printer(ops, spooler))
    qtbot.addWidget(kiosk)
    kiosk.show()
    return kiosk


def take(qtbot: Any, kiosk: Kiosk, spooler: FakeSpooler, name: str) -> None:
    """A touch, and everything it set off answered: the worker's steps and the printer's."""
    tap(qtbot, kiosk, name)
    qtbot.waitUntil(lambda: not spooler.waiting)
    assert kiosk.ops.wait_idle()


def slip_document(sessions: sessionmaker[Session]) -> Document:
    with sessions() as s:
        return s.scalars(select(Document)).one()


def test_the_kiosk_prints_a_numbered_slip(
    qtbot: Any, backend: LocalQueue, sessions: sessionmaker[Session], ops: Operations
) -> None:
    spooler = FakeSpooler()
    kiosk = printing_kiosk(qtbot, backend, ops, spooler)
    take(qtbot, kiosk, spooler, "line_A")
    assert "请取走号票" in shown(kiosk, "ticketNote")
    ((pdf, doc_no, reprint),) = spooler.jobs
    assert pdf.startswith(b"%PDF") and reprint == 0
    assert doc_no.startswith("PH220800") and doc_no.endswith("000001")
    document = slip_document(sessions)
    assert kiosk.last_ticket is not None
    assert (document.ticket_id, document.doc_no, document.print_count) == (
        kiosk.last_ticket.id,
        doc_no,
        1,
    )
    assert document.sha256 == sha256_of(pdf)  # the PDF that was printed


@pytest.mark.parametrize("result", ["saved", "failed"])
def test_a_slip_not_printed_is_said_and_not_counted(
    qtbot: Any,
    backend: LocalQueue,
    sessions: sessionmaker[Session],
    ops: Operations,
    result: str,
) -> None:
    """A PDF only saved (no printer) is no paper in the applicant's hand: the screen says the
    ticket was not printed, the number stays large, and no print is counted."""
    spooler = FakeSpooler(result)
    kiosk = printing_kiosk(qtbot, backend, ops, spooler)
    take(qtbot, kiosk, spooler, "line_A")
    note = shown(kiosk, "ticketNote")
    assert "号票未能打印，请记住您的号码" in note and "请取走号票" not in note
    assert kiosk.pages.currentIndex() == 1 and shown(kiosk, "ticketNumber") == "A001"
    assert "#b71c1c" in child(kiosk, QLabel, "ticketNote").styleSheet()
    document = slip_document(sessions)
    assert (document.print_count, document.sha256) == (0, None)
    # The next applicant's ticket starts plain again.
    tap(qtbot, kiosk, "ticketDone")
    spooler.result = "printed"
    take(qtbot, kiosk, spooler, "line_B")
    assert child(kiosk, QLabel, "ticketNote").styleSheet() == ""


def test_take_your_ticket_only_once_the_printer_has_it(
    qtbot: Any, backend: LocalQueue, sessions: sessionmaker[Session], ops: Operations
) -> None:
    spooler = FakeSpooler(hold=True)
    kiosk = printing_kiosk(qtbot, backend, ops, spooler)
    tap(qtbot, kiosk, "line_A")
    assert spooler.waiting  # the slip is with the printer, which has not answered yet
    note = shown(kiosk, "ticketNote")
    assert "正在打印号票" in note and "请取走号票" not in note
    assert slip_document(sessions).print_count == 0
    spooler.answer()
    assert ops.wait_idle()
    assert "请取走号票" in shown(kiosk, "ticketNote")
    assert "正在打印号票" not in shown(kiosk, "ticketNote")
    assert slip_document(sessions).print_count == 1


def test_a_print_that_ends_after_the_kiosk_closed_is_still_counted(
    qtbot: Any, backend: LocalQueue, sessions: sessionmaker[Session], ops: Operations
) -> None:
    spooler = FakeSpooler(hold=True)
    kiosk = printing_kiosk(qtbot, backend, ops, spooler)
    tap(qtbot, kiosk, "line_A")
    kiosk.close()
    kiosk.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(kiosk))
    spooler.answer()  # the paper came out: counted, and nothing touches the closed window
    assert ops.wait_idle()
    assert slip_document(sessions).print_count == 1


def test_the_write_lock_is_free_while_the_slip_is_rendered(
    qtbot: Any,
    backend: LocalQueue,
    sessions: sessionmaker[Session],
    ops: Operations,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The slip's PDF is made outside any transaction: while it renders, another process can
    take the write lock at once (the kiosk's number is already committed)."""
    rendering, release = threading.Event(), threading.Event()
    real_render = app.queue.slip.render_ticket

    def slow_render(paper: Any) -> bytes:
        rendering.set()
        assert release.wait(30)
        return real_render(paper)

    monkeypatch.setattr(app.queue.slip, "render_ticket", slow_render)
    kiosk = printing_kiosk(qtbot, backend, ops, FakeSpooler())
    qtbot.mouseClick(child(kiosk, QPushButton, "line_A"), Qt.MouseButton.LeftButton)
    try:
        qtbot.waitUntil(rendering.is_set, timeout=10_000)
        other = sqlite3.connect(str(database.engine.url.database), timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # "database is locked" if the kiosk held it
            numbered = other.execute("SELECT doc_no, print_count FROM document").fetchall()
            other.execute("ROLLBACK")
        finally:
            other.close()
    finally:
        release.set()
    assert len(numbered) == 1 and numbered[0][1] == 0
    qtbot.waitUntil(lambda: "请取走号票" in shown(kiosk, "ticketNote"), timeout=10_000)
    assert ops.wait_idle()
    assert slip_document(sessions).print_count == 1


def test_a_failure_between_the_steps_loses_no_ticket(
    qtbot: Any,
    backend: LocalQueue,
    sessions: sessionmaker[Session],
    ops: Operations,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The slip cannot be rendered: the ticket stays issued and shown, its slip numbered with
    no print counted; later the same slip prints (first print), then again as 补打."""

    def broken(_paper: Any) -> bytes:
        raise OSError("no space left on device")

    monkeypatch.setattr(app.queue.slip, "render_ticket", broken)
    spooler = FakeSpooler()
    kiosk = printing_kiosk(qtbot, backend, ops, spooler)
    take(qtbot, kiosk, spooler, "line_A")
    assert spooler.jobs == []
    assert shown(kiosk, "ticketNumber") == "A001"
    assert "号票未能打印" in shown(kiosk, "ticketNote")
    assert kiosk.last_ticket is not None
    ticket_id = kiosk.last_ticket.id
    assert [t.id for t in backend.window_queue(1)] == [ticket_id]  # still waiting
    document = slip_document(sessions)
    assert document.print_count == 0
    monkeypatch.undo()
    with sessions.begin() as s:
        slip = issue_slip(s, KIOSK, ticket_id)
    assert (slip.doc_no, slip.reprint) == (document.doc_no, 0)  # the same number, no new one
    pdf = render_slip(slip)
    with sessions.begin() as s:
        slip_printed(s, KIOSK, slip, pdf)
    with sessions.begin() as s:
        again = issue_slip(s, KIOSK, ticket_id)
    assert (again.doc_no, again.reprint, again.paper.reprint_count) == (document.doc_no, 1, 1)
    with sessions.begin() as s:
        slip_printed(s, KIOSK, again, render_slip(again))
    printed = slip_document(sessions)
    assert (printed.print_count, printed.reprint_count) == (2, 1)


def test_the_window_answers_while_a_slow_printer_spools(
    qtbot: Any, sessions: sessionmaker[Session], database: Database, tmp_path: Path
) -> None:
    """The real print service: the slip is rendered and spooled on the printer's worker; a
    timer on the UI thread keeps firing while the printer holds the job."""
    seed_hall(sessions)
    store = QSettings(str(tmp_path / "kiosk.ini"), QSettings.Format.IniFormat)
    store.setValue(SETTINGS_KEYS["ticket"], "Roll80")
    service = SlowPrinterService(tmp_path, ["Roll80"], data_dir=tmp_path / "data", settings=store)
    kiosk = run_kiosk(database, tmp_path / "data", print_service=service)
    qtbot.addWidget(kiosk)
    kiosk.show()
    ticks: list[int] = []
    timer = QTimer(kiosk)
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    qtbot.mouseClick(child(kiosk, QPushButton, "line_A"), Qt.MouseButton.LeftButton)
    try:
        qtbot.waitUntil(service.spooling.is_set, timeout=10_000)
        seen = len(ticks)
        qtbot.waitUntil(lambda: len(ticks) >= seen + 3, timeout=10_000)
        assert "正在打印号票" in shown(kiosk, "ticketNote")
        assert slip_document(sessions).print_count == 0
    finally:
        service.release.set()
    qtbot.waitUntil(lambda: "请取走号票" in shown(kiosk, "ticketNote"), timeout=10_000)
    assert wait_all_idle()
    assert service.threads and service.threads[0] != threading.main_thread().ident
    ((name, paper),) = service.jobs
    assert name == "Roll80" and paper.read_bytes().startswith(b"%PDF")
    assert slip_document(sessions).print_count == 1


def test_without_a_printer_the_slip_is_saved_not_counted(
    qtbot: Any, sessions: sessionmaker[Session], database: Database, tmp_path: Path
) -> None:
    seed_hall(sessions)
    data = tmp_path / "data"
    store = QSettings(str(tmp_path / "kiosk.ini"), QSettings.Format.IniFormat)
    kiosk = run_kiosk(database, data, print_service=PrintService(data, store, printers=list))
    qtbot.addWidget(kiosk)
    kiosk.show()
    qtbot.mouseClick(child(kiosk, QPushButton, "line_A"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "号票未能打印" in shown(kiosk, "ticketNote"), timeout=10_000)
    assert wait_all_idle()
    document = slip_document(sessions)
    assert document.print_count == 0
    (saved,) = (data / "documents").rglob(f"{document.doc_no}.pdf")  # kept, but no paper
    assert saved.read_bytes().startswith(b"%PDF")


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
    backend.close_day(MANAGER, "测试")
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


def test_the_kiosk_fits_a_low_screen(qtbot: Any, backend: LocalQueue, ops: Operations) -> None:
    """Drawn for a screen about 1,000 pixels high, the kiosk needed 925 on a 1366×768 one and
    its keypad's last row fell off; on a lower screen (offscreen's is lower still) it scales."""
    widget = Kiosk(backend, ops)
    qtbot.addWidget(widget)
    room = widget.screen().availableGeometry().height()
    assert room < 925  # the case this is about
    assert widget.minimumSizeHint().height() <= room
    assert child(widget, QPushButton, "key_0").minimumHeight() < 64
