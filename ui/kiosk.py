"""The ticket kiosk (取号机): touch-friendly and full screen. The applicant picks a line with a
big button, optionally marks a priority group or an appointment, optionally types or swipes an
ID number, and gets a ticket: shown on screen with the number of people ahead, and printed on
the 80 mm roll. An elderly applicant (60+, read from a valid ID number) gets a priority ticket
without having to ask."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.clock import hall_today
from app.queue.backend import LocalQueue, QueueBackend
from app.queue.slip import TicketSlip as Slip
from app.queue.slip import (
    is_elderly,
    issue_slip,
    render_slip,
    slip_not_printed,
    slip_printed,
)
from app.queue.views import TicketView
from app.services.changes import DeskContext
from db.engine import Database
from ui.actions import ACTIONS
from ui.messages import describe
from ui.operations import DOCUMENTS, QUEUE, Operations, operations_for
from ui.rating import RATING_TIMEOUT_MS, KioskRatingPage

if TYPE_CHECKING:
    from ui.printing import PrintOutcome, PrintService

KIOSK_CTX = DeskContext(window_number=None, clerk_id=None, terminal="kiosk")
RESET_MS = 15_000  # the ticket page returns to the start by itself
# A typed ID number is cleared once nobody has touched it for this long (and on every outcome:
# a ticket, a refusal): the next person at the kiosk never sees it.
ID_CLEAR_MS = 20_000
GROUPS = (
    ("elderly", str(QT_TRANSLATE_NOOP("Kiosk", "老年人"))),
    ("pregnant", str(QT_TRANSLATE_NOOP("Kiosk", "孕妇"))),
    ("disability", str(QT_TRANSLATE_NOOP("Kiosk", "残疾人"))),
    ("service_member", str(QT_TRANSLATE_NOOP("Kiosk", "军人"))),
)
KEYPAD = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0", "⌫")

# Puts a ticket on paper: (ticket, done(printed), owner). `done(True)` once the printer took the
# slip, `done(False)` when it did not print (no printer, the printer failed, the slip could not
# be numbered or rendered). Nothing reaches `done` once `owner` is deleted.
TicketPrinter = Callable[[TicketView, Callable[[bool], None], QObject], None]


class SlipSpooler(Protocol):
    """What the kiosk needs of ui.printing.PrintService: a silent print, spooled on its own
    worker, whose outcome (`printed`, or only saved as PDF, or neither) arrives by callback."""

    def print_silently(
        self,
        pdf_bytes: bytes,
        kind: str,
        doc_no: str,
        *,
        reprint: int = 0,
        on_done: Callable[[PrintOutcome], object] | None = None,
    ) -> None: ...


def _font(widget: QWidget, px: int, *, bold: bool = False) -> None:
    font = QFont(widget.font())
    font.setPixelSize(px)
    font.setBold(bold)
    widget.setFont(font)


class Kiosk(QWidget):
    """`ticket_issued` carries the TicketView of every ticket taken; `printer`, when given,
    puts it on paper (see run_kiosk)."""

    ticket_issued = Signal(object)

    def __init__(
        self,
        backend: QueueBackend,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        printer: TicketPrinter | None = None,
        reset_ms: int = RESET_MS,
        id_clear_ms: int = ID_CLEAR_MS,
        ratings: bool = False,
        rating_timeout_ms: int = RATING_TIMEOUT_MS,
    ) -> None:
        """`ratings`: this kiosk also asks the applicants' ratings awaited at the kiosk (a hall
        whose desks have no screen facing the applicant): when nobody is taking a ticket."""
        super().__init__(parent)
        self.setObjectName("kiosk")
        self.setAccessibleName(self.tr("取号机"))
        self.backend = backend
        self.ops = ops
        self.printer = printer
        self._taking = False
        self.last_ticket: TicketView | None = None
        self.sync: QObject | None = None  # its sync round, on a machine of its own
        self._reset = QTimer(self)
        self._reset.setSingleShot(True)
        self._reset.setInterval(reset_ms)
        self._reset.timeout.connect(self.start_over)
        self._id_clear = QTimer(self)
        self._id_clear.setSingleShot(True)
        self._id_clear.setInterval(id_clear_ms)
        # Sizes are drawn for a touch screen about 1,000 pixels high; a lower one (a 1366×768
        # kiosk) scales them down so the keypad's last row stays on the screen.
        room = self.screen().availableGeometry().height()
        self._scale = max(0.5, min(1.0, room / 1000))
        self.pages = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.pages.addWidget(self._build_choice())
        self.pages.addWidget(self._build_ticket())
        self.rating_page: KioskRatingPage | None = None
        if ratings:
            self.rating_page = KioskRatingPage(ops, KIOSK_CTX, self, timeout_ms=rating_timeout_ms)
            self.pages.addWidget(self.rating_page)
            self.rating_page.wanted.connect(self._rating_wanted)
            self.rating_page.finished.connect(self._rating_finished)
        self.start_over()

    # --- the choice page ----------------------------------------------------------------

    def _big_button(self, text: str, name: str, parent: QWidget, px: int = 36) -> QPushButton:
        button = QPushButton(text, parent)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.setMinimumHeight(self._px(96))
        _font(button, self._px(px), bold=True)
        return button

    def _px(self, size: int) -> int:
        return round(size * self._scale)

    def _build_choice(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("choicePage")
        layout = QVBoxLayout(page)
        title = QLabel(self.backend.hall_name(), page)
        title.setObjectName("kioskHall")
        title.setTextFormat(Qt.TextFormat.PlainText)  # names from data, never markup
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        _font(title, self._px(44), bold=True)
        layout.addWidget(title)
        prompt = QLabel(self.tr("请选择要办理的业务"), page)
        prompt.setObjectName("kioskPrompt")
        prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        _font(prompt, self._px(32))
        layout.addWidget(prompt)

        lines = QGridLayout()
        self.line_buttons: dict[str, QPushButton] = {}
        for i, line in enumerate(self.backend.lines()):
            button = self._big_button(f"{line.prefix}  {line.name}", f"line_{line.code}", page)
            button.setMinimumHeight(self._px(140))
            button.clicked.connect(lambda _c=False, code=line.code: self.take_ticket(code))
            lines.addWidget(button, i // 2, i % 2)
            self.line_buttons[line.code] = button
        layout.addLayout(lines, 3)

        options = QHBoxLayout()
        self.kind_buttons: dict[str, QPushButton] = {}
        for key, source in (*GROUPS, ("appointment", str(QT_TRANSLATE_NOOP("Kiosk", "预约签到")))):
            text = QCoreApplication.translate("Kiosk", source)
            button = self._big_button(text, f"option_{key}", page, px=28)
            # At most one option, and none is fine: exclusivity is kept by _toggle.
            button.setCheckable(True)
            button.toggled.connect(lambda on, k=key: self._toggle(k, on))
            options.addWidget(button)
            self.kind_buttons[key] = button
        layout.addLayout(options)

        id_row = QHBoxLayout()
        id_label = QLabel(self.tr("身份证号（可刷卡，可不填）"), page)
        _font(id_label, self._px(24))
        self.id_input = QLineEdit(page)
        self.id_input.setObjectName("idNumber")
        self.id_input.setAccessibleName(self.tr("身份证号"))
        self.id_input.setMaxLength(18)
        self.id_input.setMinimumHeight(self._px(64))
        _font(self.id_input, self._px(32))
        self._id_clear.timeout.connect(self.clear_id_number)
        self.id_input.textChanged.connect(self._id_touched)
        id_row.addWidget(id_label)
        id_row.addWidget(self.id_input, 1)
        layout.addLayout(id_row)
        keypad = QGridLayout()
        for i, key in enumerate(KEYPAD):
            name = "key_back" if key == "⌫" else f"key_{key}"
            button = self._big_button(key, name, page, px=30)
            if key == "⌫":
                button.setAccessibleName(self.tr("删除"))
            button.setMinimumHeight(self._px(64))
            button.clicked.connect(lambda _c=False, k=key: self._keypad(k))
            keypad.addWidget(button, i // 6, i % 6)
        layout.addLayout(keypad)

        self.message = QLabel("", page)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setObjectName("kioskMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b71c1c;")
        _font(self.message, self._px(28), bold=True)
        layout.addWidget(self.message)
        return page

    def _toggle(self, key: str, on: bool) -> None:
        if on:
            for other, button in self.kind_buttons.items():
                if other != key and button.isChecked():
                    button.setChecked(False)

    def _keypad(self, key: str) -> None:
        if key == "⌫":
            self.id_input.backspace()
        else:
            self.id_input.insert(key)

    def _id_touched(self, text: str) -> None:
        if text:
            self._id_clear.start()  # counts from the last key
        else:
            self._id_clear.stop()

    def clear_id_number(self) -> None:
        """Forget the typed ID number (it is personal data on a public screen)."""
        self._id_clear.stop()
        self.id_input.clear()

    # --- the ticket page ----------------------------------------------------------------

    def _build_ticket(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("ticketPage")
        layout = QVBoxLayout(page)
        self.ticket_line = QLabel(page)
        self.ticket_line.setObjectName("ticketLine")
        self.ticket_number = QLabel(page)
        self.ticket_number.setObjectName("ticketNumber")
        self.ticket_ahead = QLabel(page)
        self.ticket_ahead.setObjectName("ticketAhead")
        self.ticket_note = QLabel(page)
        self.ticket_note.setObjectName("ticketNote")
        for label in (self.ticket_line, self.ticket_number, self.ticket_ahead, self.ticket_note):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.ticket_note.setWordWrap(True)
        for label, px in (
            (self.ticket_line, 40),
            (self.ticket_number, 160),
            (self.ticket_ahead, 40),
            (self.ticket_note, 28),
        ):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            _font(label, self._px(px), bold=label is self.ticket_number)
            layout.addWidget(label)
        done = self._big_button(self.tr("完成"), "ticketDone", page)
        done.clicked.connect(self.start_over)
        layout.addWidget(done)
        return page

    # --- the rating page ----------------------------------------------------------------

    def _rating_wanted(self) -> None:
        idle = (
            self.pages.currentIndex() == 0
            and not self._taking
            and not self.id_input.text()
            and not any(b.isChecked() for b in self.kind_buttons.values())
        )
        if idle and self.rating_page is not None and self.rating_page.show_pending():
            self.pages.setCurrentIndex(2)

    def _rating_finished(self) -> None:
        if self.pages.currentIndex() == 2:
            self.pages.setCurrentIndex(0)

    # --- actions ------------------------------------------------------------------------

    def start_over(self) -> None:
        self._reset.stop()
        for button in self.kind_buttons.values():
            button.setChecked(False)
        self.clear_id_number()
        self.message.setText("")
        self.pages.setCurrentIndex(0)

    def take_ticket(self, line_code: str) -> None:
        """Issue the ticket on the worker (another window's write never freezes the kiosk);
        show it, then print it, when it is there."""
        if self._taking:
            return  # a second tap while the first is on its way
        chosen = next((k for k, b in self.kind_buttons.items() if b.isChecked()), None)
        id_number = self.id_input.text().strip() or None
        # Whatever the outcome, the number leaves the screen now.
        self.clear_id_number()
        kind, group = "normal", None
        if chosen == "appointment":
            kind = "appointment"
        elif chosen is not None:
            kind, group = "priority", chosen
        elif is_elderly(id_number, hall_today()):
            kind, group = "priority", "elderly"
        backend = self.backend

        def issue() -> _Taken:
            ticket = backend.issue_ticket(KIOSK_CTX, line_code, kind, group, id_number)
            names = {line.code: line.name for line in backend.lines()}
            return _Taken(ticket, backend.waiting_ahead(ticket.id), names)

        self._taking = True
        self.ops.run(issue, self._show_ticket, on_failed=self._refused, owner=self)

    def _refused(self, exc: BaseException) -> None:
        self._taking = False
        self.message.setText(describe(exc))

    def _show_ticket(self, taken: _Taken) -> None:
        self._taking = False
        ticket = taken.ticket
        self.last_ticket = ticket
        self.ticket_line.setText(taken.line_names.get(ticket.line_code, ticket.line_code))
        self.ticket_number.setText(ticket.number)
        self.ticket_ahead.setText(self.tr("您前面还有 {0} 人等候").format(taken.ahead))
        notes = []
        if ticket.kind == "priority":
            notes.append(self.tr("优先号"))
        if ticket.offline:
            notes.append(self.tr("离线号：请留意窗口叫号"))
        notes.append(self.tr("请留意大厅屏幕和语音叫号"))
        self._warn(False)
        self.pages.setCurrentIndex(1)
        self.ops.did_execute.emit(frozenset({QUEUE}), self)
        self.ticket_issued.emit(ticket)
        self._reset.start()
        if self.printer is None:
            # No ticket printer at this kiosk: the screen is the ticket.
            self._note(notes, self.tr("号票未打印，请记住您的号码"))
            self._warn(True)
            return
        # Said only once the printer has it: until then the slip is on its way.
        self._note(notes, self.tr("正在打印号票…"))
        self.printer(ticket, lambda ok: self._printed(ticket, notes, ok), self)

    def _note(self, notes: list[str], printing: str) -> None:
        self.ticket_note.setText("\n".join([*notes[:-1], printing, notes[-1]]))

    def _warn(self, on: bool) -> None:
        self.ticket_note.setStyleSheet("color:#b71c1c;" if on else "")

    def _printed(self, ticket: TicketView, notes: list[str], printed: bool) -> None:
        if self.last_ticket is not ticket:
            return  # the next applicant's ticket is on the screen now
        if printed:
            self._note(notes, self.tr("请取走号票"))
            return
        # No paper: the number stays large on the screen, and the page stays a full while.
        self._note(notes, self.tr("号票未能打印，请记住您的号码"))
        self._warn(True)
        if self.pages.currentIndex() == 1:
            self._reset.start()


@dataclass(frozen=True)
class _Taken:
    ticket: TicketView
    ahead: int
    line_names: dict[str, str]


def slip_printer(
    ops: Operations, spooler: SlipSpooler, *, render_ops: Operations | None = None
) -> TicketPrinter:
    """A TicketPrinter in steps that each hold the database only for a moment:

    1. the slip is numbered in one short write on the database's worker (`issue_slip`);
    2. its PDF is rendered outside any transaction, on `render_ops` (the printer's worker;
       the database's by default);
    3. `spooler` prints it on its own worker (the UI thread never waits for the printer);
    4. only if the printer took it, the print is counted in a second short write.

    `done(printed)` is told the outcome. Whatever fails on the way, the ticket stays issued
    and its slip numbered with no print counted (it can be printed again: `issue_slip` gives
    the same number); a PDF only saved, for want of a printer, is not a print."""
    renderer = render_ops or ops

    def print_ticket(ticket: TicketView, done: Callable[[bool], None], owner: QObject) -> None:
        def not_printed(_exc: BaseException | None = None) -> None:
            if shiboken6.isValid(owner):
                done(False)

        def numbered(slip: Slip) -> None:
            renderer.run(
                lambda: render_slip(slip),
                lambda pdf: spool(slip, pdf),
                on_failed=not_printed,
                owner=owner,
            )

        def spool(slip: Slip, pdf: bytes) -> None:
            spooler.print_silently(
                pdf,
                "ticket",
                slip.doc_no,
                reprint=slip.reprint,
                on_done=lambda outcome: spooled(slip, pdf, outcome),
            )

        def spooled(slip: Slip, pdf: bytes, outcome: PrintOutcome) -> None:
            if not outcome.printed:
                # Recorded (why, which printer and job, the PDF kept), never counted.
                saved = None if outcome.saved_path is None else str(outcome.saved_path)
                ops.write(
                    lambda s: slip_not_printed(
                        s,
                        KIOSK_CTX,
                        slip,
                        pdf,
                        reason=outcome.message,
                        saved_path=saved,
                        printer=outcome.printer,
                        job_id=outcome.job_id,
                    ),
                    changes={DOCUMENTS},
                )
                not_printed()
                return
            # The paper is out, so it is counted even if the kiosk has closed meanwhile.
            ops.write(
                lambda s: slip_printed(
                    s, KIOSK_CTX, slip, pdf, printer=outcome.printer, job_id=outcome.job_id
                ),
                changes={DOCUMENTS},
            )
            if shiboken6.isValid(owner):
                done(True)

        ops.write(
            lambda s: issue_slip(s, KIOSK_CTX, ticket.id),
            numbered,
            changes={DOCUMENTS},
            on_failed=not_printed,
            owner=owner,
        )

    return print_ticket


def run_kiosk(
    database: Database, data_dir: Path, *, print_service: PrintService | None = None
) -> Kiosk:
    """The kiosk on the desk's database, printing to the ticket printer (`python -m app
    kiosk`), not yet shown: the launcher shows it full screen (or windowed). Slips are rendered
    and spooled on the printer's own worker. Tickets that find no printer are saved as private
    PDFs (0600) under `data_dir`, the data directory in use: never the platform's default."""
    from ui.printing import PrintService

    service = print_service or PrintService(data_dir)
    ops = operations_for(database)
    printer = slip_printer(ops, service, render_ops=service.ops)
    from app.queue.following import following_queue_for

    # With a central store and a token (`--central URL --token T`): the hall's shared queue.
    following = following_queue_for(database)
    backend = following if following is not None else LocalQueue(database)
    kiosk = Kiosk(backend, ops, printer=printer, ratings=True)
    if following is not None:
        kiosk.destroyed.connect(lambda *_: following.close())
        if following.kiosk is not None:  # its outbox to the store (ui.kiosk_sync)
            from ui.kiosk_sync import KioskSync

            kiosk.sync = KioskSync(database, following, kiosk)
    service.setParent(kiosk)
    # The ticket printer, set by an administrator (Ctrl+Shift+P): checked for the 80 mm roll.
    ACTIONS.create("kioskPrinter", kiosk, lambda: service.configure_printers(kiosk, ("ticket",)))
    kiosk.setWindowTitle(kiosk.tr("取号机"))
    return kiosk
