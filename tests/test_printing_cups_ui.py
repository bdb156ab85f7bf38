"""The desk's printing through a real (private) CUPS server: a paper counts as printed only when
its job completed; a refused, stuck or misdirected print is shown to the clerk in a dialog that
stays until answered (retry, another printer, save the PDF, print anyway), is never reported as
printed, and the printer that failed is not remembered. Skips, saying why, without cupsd."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.printing import spool
from app.printing.render import render
from app.printing.samples import demo_notice, demo_receipt, demo_ticket
from app.services.documents import print_records
from db.engine import Database
from db.models.document import Document
from tests import cupsd
from tests.test_queue_kiosk import shown
from tests.test_queue_support import database, seed_hall, sessions
from ui.kiosk import run_kiosk
from ui.operations import wait_all_idle
from ui.printing import (
    SETTINGS_KEYS,
    CupsPrinters,
    PrinterSettingsDialog,
    PrintFailedDialog,
    PrintOutcome,
    PrintPreviewDialog,
    PrintService,
)

RECEIPT_NO = "SL22080020261126030001"
__all__ = ["database", "sessions"]  # fixtures


@pytest.fixture(scope="module")
def cups() -> Iterator[cupsd.Cups]:
    try:
        with cupsd.start() as server:
            yield server
    except cupsd.Unavailable as exc:
        pytest.skip(f"CUPS NOT TESTED — private cupsd unavailable: {exc}")


def service_for(
    cups: cupsd.Cups, tmp_path: Path, ticket_cancel_after: float = spool.TICKET_CANCEL_AFTER
) -> PrintService:
    store = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
    return PrintService(
        tmp_path / "data",
        store,
        cups=CupsPrinters(cups.server),
        ticket_cancel_after=ticket_cancel_after,
    )


def clerk(
    monkeypatch: pytest.MonkeyPatch,
    preview: list[tuple[str, str | None]],
    failed: list[str],
    seen: list[str] | None = None,
    before_print: Callable[[], object] | None = None,
) -> None:
    """Stand in for the clerk: each preview answered by the next (button, printer), each
    failure dialog by the next button; the failure texts are collected in `seen`."""

    def answer_preview(dialog: PrintPreviewDialog) -> None:
        button, printer = preview.pop(0)
        if printer is not None:
            dialog.printer_combo.setCurrentIndex(dialog.printer_combo.findData(printer))
        if before_print is not None:
            before_print()
        found = dialog.findChild(QPushButton, button)
        assert found is not None and found.isEnabled()
        found.click()

    def answer_failure(dialog: PrintFailedDialog) -> None:
        if seen is not None:
            seen.append(dialog.informativeText())
        assert dialog.objectName() == "printFailedDialog"
        found = dialog.findChild(QPushButton, failed.pop(0))
        assert found is not None
        found.click()

    monkeypatch.setattr(PrintPreviewDialog, "open", answer_preview)
    monkeypatch.setattr(PrintFailedDialog, "open", answer_failure)


def print_and_wait(
    qtbot: QtBot, service: PrintService, pdf: bytes, kind: str, doc_no: str
) -> PrintOutcome:
    outcomes: list[PrintOutcome] = []
    service.print_document(pdf, kind, doc_no, on_done=outcomes.append)
    qtbot.waitUntil(lambda: bool(outcomes), timeout=60_000)
    assert service.ops.wait_idle()
    assert len(outcomes) == 1
    return outcomes[0]


def test_a_completed_job_is_printed_and_remembered(
    qtbot: QtBot, cups: cupsd.Cups, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = service_for(cups, tmp_path)
    assert {"OfficeA4", "Receipt80"} <= set(service.printers())
    before = set(cups.outputs())
    clerk(monkeypatch, [("printButton", "OfficeA4")], [])
    outcome = print_and_wait(qtbot, service, render(demo_receipt()), "receipt", RECEIPT_NO)
    assert outcome.printed and not outcome.failed and outcome.job_id is not None
    assert spool.job_state(outcome.job_id, cups.server).state == "completed"
    assert len(set(cups.outputs()) - before) == 1  # the PDF as it is, not a raster
    assert service.settings.value(SETTINGS_KEYS["a4"]) == "OfficeA4"


def test_a_rejecting_queue_is_an_error_until_answered_then_the_pdf_is_saved(
    qtbot: QtBot, cups: cupsd.Cups, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cups.add_queue("DeskRejecting", "file:/dev/null", cupsd.CUPS_PDF_PPD)
    cups.run("cupsreject", "DeskRejecting")
    service = service_for(cups, tmp_path)
    seen: list[str] = []
    clerk(monkeypatch, [("printButton", "DeskRejecting")], ["retryButton", "savePdfButton"], seen)
    outcome = print_and_wait(qtbot, service, render(demo_receipt()), "receipt", RECEIPT_NO)
    assert not outcome.printed and outcome.failed
    assert outcome.saved_path is not None and outcome.saved_path.exists()
    # Plain Chinese, asked twice (the retry failed the same way), nothing English.
    assert seen == ["打印机“DeskRejecting”当前拒绝接收打印任务"] * 2
    assert service.settings.value(SETTINGS_KEYS["a4"]) is None  # a failed printer is not kept
    assert cups.run("lpstat", "-o", "DeskRejecting") == ""


def test_a4_to_the_80mm_printer_needs_an_explicit_choice(
    qtbot: QtBot, cups: cupsd.Cups, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = service_for(cups, tmp_path)
    service.set_default_printer("notice", "Receipt80")  # e.g. the system default was the roll
    seen: list[str] = []
    clerk(
        monkeypatch,
        [("printButton", None), ("printButton", "OfficeA4")],
        ["otherPrinterButton"],
        seen,
    )
    outcome = print_and_wait(qtbot, service, render(demo_notice()), "notice", "GZ1")
    assert outcome.printed and outcome.printer == "OfficeA4"
    assert len(seen) == 1 and "Receipt80" in seen[0] and "210×297 mm" in seen[0]
    assert cups.run("lpstat", "-W", "completed", "-o", "Receipt80").count("GZ1") == 0
    # Print anyway is the clerk's explicit choice.
    service.set_default_printer("notice", "Receipt80")
    clerk(monkeypatch, [("printButton", "Receipt80")], ["printAnywayButton"])
    outcome = print_and_wait(qtbot, service, render(demo_notice()), "notice", "GZ2")
    assert outcome.printed and outcome.printer == "Receipt80"


def test_a_printer_removed_while_the_preview_is_open(
    qtbot: QtBot, cups: cupsd.Cups, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cups.add_queue("Leaving", "file:/dev/null", cupsd.CUPS_PDF_PPD)
    service = service_for(cups, tmp_path)
    seen: list[str] = []
    clerk(
        monkeypatch,
        [("printButton", "Leaving")],
        ["closeButton"],
        seen,
        before_print=lambda: cups.run("lpadmin", "-x", "Leaving"),
    )
    outcome = print_and_wait(qtbot, service, render(demo_receipt()), "receipt", RECEIPT_NO)
    assert not outcome.printed and outcome.failed and outcome.saved_path is None
    assert seen == ["找不到打印机“Leaving”"]


def test_a_ticket_on_a_paused_queue_is_cancelled_saved_and_not_printed(
    qtbot: QtBot, cups: cupsd.Cups, tmp_path: Path
) -> None:
    cups.add_queue("TicketsPaused", "file:/dev/null", cupsd.roll_ppd(tmp_path / "roll.ppd"))
    cups.run("cupsdisable", "TicketsPaused")
    service = service_for(cups, tmp_path, ticket_cancel_after=0)
    service.set_default_printer("ticket", "TicketsPaused")
    outcomes: list[PrintOutcome] = []
    service.print_silently(
        render(demo_ticket()), "ticket", "PH22080020261126000012", on_done=outcomes.append
    )
    qtbot.waitUntil(lambda: bool(outcomes), timeout=60_000)
    (outcome,) = outcomes
    assert not outcome.printed and outcome.failed and outcome.saved_path is not None
    assert outcome.job_id is not None
    assert spool.job_state(outcome.job_id, cups.server).state == "cancelled"
    assert "已暂停" in outcome.message and "已取消" in outcome.message


def test_the_kiosk_tells_the_truth(
    qtbot: QtBot,
    cups: cupsd.Cups,
    tmp_path: Path,
    sessions: sessionmaker[Session],
    database: Database,
) -> None:
    """A slip whose job completed: 请取走号票 and counted. The ticket printer paused: the job
    is cancelled (it will not come out later for someone else), the screen says the ticket was
    not printed, nothing is counted, and the failure is recorded with its job."""
    seed_hall(sessions)
    cups.add_queue("KioskRoll", "file:/dev/null", cupsd.roll_ppd(tmp_path / "roll.ppd"))
    service = service_for(cups, tmp_path)
    service.set_default_printer("ticket", "KioskRoll")
    kiosk = run_kiosk(database, tmp_path / "data", print_service=service)
    qtbot.addWidget(kiosk)
    kiosk.show()
    qtbot.mouseClick(kiosk.findChild(QPushButton, "line_A"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "请取走号票" in shown(kiosk, "ticketNote"), timeout=60_000)
    assert wait_all_idle()
    with sessions() as s:
        (first,) = s.scalars(select(Document)).all()
        assert first.print_count == 1
        (record,) = print_records(s, first.id)
        assert (record.outcome, record.printer) == ("printed", "KioskRoll") and record.job_id

    cups.run("cupsdisable", "KioskRoll")
    service.cancel_after["ticket"] = 0  # the minute a ticket may wait, for the test
    qtbot.mouseClick(kiosk.findChild(QPushButton, "ticketDone"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(kiosk.findChild(QPushButton, "line_A"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "号票未能打印" in shown(kiosk, "ticketNote"), timeout=60_000)
    assert "请取走号票" not in shown(kiosk, "ticketNote")
    assert wait_all_idle()
    with sessions() as s:
        second = s.scalars(select(Document).where(Document.id != first.id)).one()
        assert second.print_count == 0
        (record,) = print_records(s, second.id)
        assert record.outcome == "failed" and record.job_id is not None
        assert "已暂停" in (record.reason or "")
        assert spool.job_state(int(record.job_id), cups.server).state == "cancelled"
    assert cups.run("lpstat", "-o", "KioskRoll") == ""


def test_each_paper_has_its_printer_checked_against_its_sizes(
    qtbot: QtBot, cups: cupsd.Cups, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cups.add_queue("RollPaused", "file:/dev/null", cupsd.roll_ppd(tmp_path / "roll.ppd"))
    cups.run("cupsdisable", "RollPaused")
    service = service_for(cups, tmp_path)
    opened: list[PrinterSettingsDialog] = []
    monkeypatch.setattr(PrinterSettingsDialog, "open", lambda d: opened.append(d))
    done: list[bool] = []
    service.configure_printers(None, on_done=lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    (dialog,) = opened
    qtbot.addWidget(dialog)
    a4 = dialog.findChild(QComboBox, "a4PrinterCombo")
    ticket = dialog.findChild(QComboBox, "ticketPrinterCombo")
    confirm = dialog.findChild(QCheckBox, "a4PaperConfirm")
    warning = dialog.findChild(QLabel, "a4PaperWarning")
    save = dialog.findChild(QPushButton, "savePrintersButton")
    assert a4 is not None and ticket is not None and confirm is not None
    assert warning is not None and save is not None
    assert ticket.itemText(ticket.findData("RollPaused")) == "RollPaused（已暂停）"
    assert a4.itemText(a4.findData("OfficeA4")) == "OfficeA4（就绪）"
    # The roll for A4: marked, and only kept when confirmed.
    a4.setCurrentIndex(a4.findData("RollPaused"))
    ticket.setCurrentIndex(ticket.findData("RollPaused"))
    assert (
        not warning.isHidden()
        and "RollPaused" in warning.text()
        and "80.1×297 mm" in warning.text()
    )
    assert not save.isEnabled()
    assert dialog.findChild(QLabel, "ticketPaperWarning").isHidden()  # type: ignore[union-attr]
    a4.setCurrentIndex(a4.findData("OfficeA4"))
    assert warning.isHidden() and save.isEnabled()
    save.click()
    qtbot.waitUntil(lambda: bool(done))
    assert service.settings.value(SETTINGS_KEYS["a4"]) == "OfficeA4"
    assert service.settings.value(SETTINGS_KEYS["ticket"]) == "RollPaused"
    assert service.printer_summary() == "A4文书：OfficeA4（就绪） · 排队票：RollPaused（已暂停）"


def test_the_system_default_is_used_only_for_the_paper_it_has(
    cups: cupsd.Cups, tmp_path: Path
) -> None:
    service = service_for(cups, tmp_path)
    cups.run("lpadmin", "-d", "Receipt80")
    try:
        assert service.default_printer("ticket") == "Receipt80"
        assert service.default_printer("notice") is None  # never the roll for A4 by default
        cups.run("lpadmin", "-d", "OfficeA4")
        assert service.default_printer("notice") == "OfficeA4"
    finally:
        cups.run("lpadmin", "-d", "OfficeA4")


def test_the_kiosk_ticket_printer_is_set_by_an_administrator(
    qtbot: QtBot,
    cups: cupsd.Cups,
    tmp_path: Path,
    sessions: sessionmaker[Session],
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed_hall(sessions)
    service = service_for(cups, tmp_path)
    kiosk = run_kiosk(database, tmp_path / "data", print_service=service)
    qtbot.addWidget(kiosk)
    kiosk.show()
    opened: list[PrinterSettingsDialog] = []
    monkeypatch.setattr(PrinterSettingsDialog, "open", lambda d: opened.append(d))
    action = kiosk.findChild(QAction, "kioskPrinterAction")
    assert action is not None and action.shortcut() == QKeySequence("Ctrl+Shift+P")
    action.trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    (dialog,) = opened
    # Only the ticket roll is the kiosk's.
    assert dialog.findChild(QComboBox, "a4PrinterCombo") is None
    ticket = dialog.findChild(QComboBox, "ticketPrinterCombo")
    assert ticket is not None
    ticket.setCurrentIndex(ticket.findData("Receipt80"))
    dialog.findChild(QPushButton, "savePrintersButton").click()  # type: ignore[union-attr]
    assert service.settings.value(SETTINGS_KEYS["ticket"]) == "Receipt80"
    assert service.default_printer("ticket") == "Receipt80"


def test_the_desk_status_bar_shows_each_papers_printer_and_its_state(
    qtbot: QtBot, cups: cupsd.Cups, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.catalogue.search import MatterIndex
    from app.startup import open_desk
    from ui.main_window import MainWindow

    # The desk finds CUPS by itself (here the private server) and its own QSettings.
    monkeypatch.setenv("CUPS_SERVER", cups.server)
    QSettings("OneWindow", "OneWindow").setValue(SETTINGS_KEYS["a4"], "OfficeA4")
    setup = open_desk(tmp_path / "data", window_number=3, clerk_id="BC0103")
    try:
        with setup.database.session() as s:
            index = MatterIndex.load(s)
        window = MainWindow(setup, index)
        qtbot.addWidget(window)
        assert window.print_service.cups is not None
        label = window.findChild(QLabel, "printerLabel")
        assert label is not None
        qtbot.waitUntil(lambda: "A4文书：OfficeA4（就绪）" in label.text(), timeout=30_000)
        assert " · 排队票：" in label.text()
        assert window.findChild(QAction, "printersAction") is not None
        window.close()
        assert window.ops.wait_idle() and window.print_service.ops.wait_idle()
    finally:
        setup.database.close()
