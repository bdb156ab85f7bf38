"""Printing in the UI, offscreen: the preview shows pages rendered on the printer's worker, the
clerk's printer choice is remembered per paper, pages go through QPainter onto a QPrinter on the
worker (the window answers while the printer takes its time), each outcome arrives by callback,
and without any printer the PDF is saved in the data directory with a message saying where."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

import ui.printing
from app.printing.render import render
from app.printing.samples import demo_commitment, demo_receipt, demo_ticket
from ui.printing import (
    SETTINGS_KEYS,
    PageImage,
    PrintOutcome,
    PrintPreviewDialog,
    PrintService,
    load_pdf,
    paper_of,
    render_pages,
    render_to_printer,
)

RECEIPT_NO = "SL22080020261126030001"


def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


class PdfFilePrintService(PrintService):
    """A print service whose 'printers' write PDF files, standing in for real devices (the
    offscreen platform has none)."""

    def __init__(self, out: Path, names: list[str], **kw: object) -> None:
        super().__init__(printers=lambda: names, **kw)  # type: ignore[arg-type]
        self.out = out
        self.jobs: list[tuple[str, Path]] = []

    def make_printer(self, name: str) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        path = self.out / f"{name}-{len(self.jobs)}.pdf"
        printer.setOutputFileName(str(path))
        self.jobs.append((name, path))
        return printer


def print_and_wait(
    qtbot: QtBot, service: PrintService, pdf: bytes, kind: str, doc_no: str, **kw: object
) -> PrintOutcome:
    """Ask for a print and wait for its outcome, which arrives by callback."""
    outcomes: list[PrintOutcome] = []
    service.print_document(pdf, kind, doc_no, on_done=outcomes.append, **kw)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: bool(outcomes), timeout=10_000)
    assert service.ops.wait_idle()
    assert len(outcomes) == 1
    return outcomes[0]


def test_preview_shows_the_pages_and_the_printers(qtbot: QtBot) -> None:
    pages = render_pages(render(demo_commitment()))
    dialog = PrintPreviewDialog(pages, "容缺受理承诺书", ["HP-A4", "Lenovo"], "Lenovo")
    qtbot.addWidget(dialog)
    assert len(dialog.pages) == 2
    shown = dialog.findChildren(PageImage)
    assert [p.image for p in shown] == pages
    # A4 at screen size, not a blank sheet: white paper (the margins; a transparent page once
    # showed black under X11) with ink on it.
    assert 780 <= pages[0].width() <= 800 and pages[0].height() > pages[0].width()
    assert pages[0].pixelColor(2, 2) == QColor("white")
    assert pages[0].pixelColor(pages[0].width() - 3, pages[0].height() - 3) == QColor("white")
    assert any(
        pages[0].pixelColor(x, y) != QColor("white")
        for x in range(0, pages[0].width(), 7)
        for y in range(0, 300, 7)
    )
    combo = dialog.findChild(QComboBox, "printerCombo")
    assert combo is not None and combo.isEnabled()
    assert [combo.itemText(i) for i in range(combo.count())] == ["HP-A4", "Lenovo"]
    assert combo.currentText() == "Lenovo"
    printer_button = dialog.findChild(QPushButton, "printButton")
    assert printer_button is not None and printer_button.isEnabled()
    assert dialog.findChild(QWidget, "noPrinterLabel").isHidden()  # type: ignore[union-attr]
    assert "2" in dialog.pages_label.text()


def test_every_widget_is_named_for_tests_and_screen_readers(qtbot: QtBot) -> None:
    dialog = PrintPreviewDialog(render_pages(render(demo_receipt())), "受理通知书", [], None)
    qtbot.addWidget(dialog)
    shown = (QAbstractButton, QComboBox, QCheckBox, QLabel, QScrollArea, PageImage)
    named = [dialog, *(w for w in dialog.findChildren(QWidget) if isinstance(w, shown))]
    assert len(named) >= 10
    for widget in named:
        assert widget.objectName(), widget
        assert widget.accessibleName(), widget.objectName()


def test_without_printers_only_saving_is_offered(qtbot: QtBot) -> None:
    dialog = PrintPreviewDialog(render_pages(render(demo_receipt())), "受理通知书", [], None)
    qtbot.addWidget(dialog)
    assert not dialog.print_button.isEnabled()
    assert not dialog.printer_combo.isEnabled()
    assert dialog.selected_printer() is None
    assert not dialog.no_printer_label.isHidden()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.save_button.click()
    assert dialog.choice == "save"


def _answer_dialog(
    monkeypatch: pytest.MonkeyPatch, button: str, printer: str | None = None
) -> None:
    """Stand in for the clerk: when the preview is opened, pick `printer` and click `button`."""

    def answer(dialog: PrintPreviewDialog) -> None:
        assert dialog.pages and not dialog.pages[0].image.isNull()
        if printer is not None:
            dialog.printer_combo.setCurrentIndex(dialog.printer_combo.findData(printer))
        found = dialog.findChild(QPushButton, button)
        assert found is not None and found.isEnabled()
        found.click()

    monkeypatch.setattr(PrintPreviewDialog, "open", answer)


def test_no_printer_saves_the_pdf_and_says_where(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = PrintService(tmp_path / "data", settings(tmp_path), printers=list)
    pdf = render(demo_receipt())
    _answer_dialog(monkeypatch, "savePdfButton")
    with qtbot.waitSignal(service.message, timeout=5000) as signal:
        outcome = print_and_wait(qtbot, service, pdf, "receipt", RECEIPT_NO, title="受理通知书")
    assert not outcome.printed
    expected = tmp_path / "data" / "documents" / "2026" / "11" / f"{RECEIPT_NO}.pdf"
    assert outcome.saved_path == expected
    assert expected.read_bytes() == pdf
    assert str(expected) in signal.args[0]
    assert "未找到可用的打印机" in signal.args[0]


def test_ticket_without_printer_is_saved_silently(qtbot: QtBot, tmp_path: Path) -> None:
    service = PrintService(tmp_path, settings(tmp_path), printers=list)
    pdf = render(demo_ticket())
    with qtbot.waitSignal(service.message, timeout=5000):
        outcome = print_and_wait(qtbot, service, pdf, "ticket", "PH22080020261126000012", reprint=1)
    assert outcome.saved_path is not None
    assert outcome.saved_path.name == "PH22080020261126000012-补打1.pdf"
    assert outcome.saved_path.read_bytes() == pdf


def test_cancel_prints_and_saves_nothing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = PdfFilePrintService(
        tmp_path, ["HP-A4"], data_dir=tmp_path / "data", settings=settings(tmp_path)
    )
    _answer_dialog(monkeypatch, "cancelButton")
    outcome = print_and_wait(qtbot, service, render(demo_receipt()), "receipt", RECEIPT_NO)
    assert not outcome.printed and outcome.saved_path is None
    assert service.jobs == []
    assert not (tmp_path / "data").exists()


def test_chosen_printer_prints_and_is_remembered_per_paper(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = settings(tmp_path)
    service = PdfFilePrintService(
        tmp_path, ["HP-A4", "Xprinter-80"], data_dir=tmp_path / "data", settings=store
    )
    pdf = render(demo_commitment())
    _answer_dialog(monkeypatch, "printButton", printer="HP-A4")
    outcome = print_and_wait(qtbot, service, pdf, "commitment", "RQ22080020261126030001")
    assert outcome.printed and outcome.printer == "HP-A4"
    assert store.value(SETTINGS_KEYS["a4"]) == "HP-A4"
    assert service.default_printer("receipt") == "HP-A4"  # same paper, same printer
    assert service.default_printer("ticket") is None
    name, path = service.jobs[0]
    assert name == "HP-A4"
    assert len(PdfReader(path).pages) == 2

    # The first ticket asks which printer; after that tickets print without a dialog.
    _answer_dialog(monkeypatch, "printButton", printer="Xprinter-80")
    print_and_wait(qtbot, service, render(demo_ticket()), "ticket", "PH22080020261126000012")
    assert store.value(SETTINGS_KEYS["ticket"]) == "Xprinter-80"
    outcome = print_and_wait(
        qtbot, service, render(demo_ticket()), "ticket", "PH22080020261126000013"
    )
    assert outcome.printed and outcome.printer == "Xprinter-80"
    assert [job[0] for job in service.jobs] == ["HP-A4", "Xprinter-80", "Xprinter-80"]


def test_a_remembered_printer_that_is_gone_is_not_offered(tmp_path: Path) -> None:
    store = settings(tmp_path)
    store.setValue(SETTINGS_KEYS["ticket"], "Old-Printer")
    service = PrintService(tmp_path, store, printers=lambda: ["HP-A4"])
    assert service.default_printer("ticket") is None


@pytest.mark.parametrize(
    ("kind", "paper"),
    [("receipt", "a4"), ("notice", "a4"), ("rejection", "a4"), ("ticket", "ticket")],
)
def test_paper_of(kind: str, paper: str) -> None:
    assert paper_of(kind) == paper


def test_pages_reach_the_printer_at_their_own_size(qtbot: QtBot, tmp_path: Path) -> None:
    holder = QDialog()
    qtbot.addWidget(holder)
    ticket_pdf = render(demo_ticket())
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "ticket-printed.pdf"
    printer.setOutputFileName(str(out))
    assert render_to_printer(load_pdf(ticket_pdf, holder), printer) == 1
    printed = PdfReader(out).pages[0]
    source = PdfReader(io.BytesIO(ticket_pdf)).pages[0]
    assert float(printed.mediabox.width) == pytest.approx(float(source.mediabox.width), abs=1.5)
    assert float(printed.mediabox.height) == pytest.approx(float(source.mediabox.height), abs=1.5)
    # The page carries the rasterised ticket, not a blank sheet.
    assert out.stat().st_size > 20_000


def test_a_broken_printer_falls_back_to_saving(qtbot: QtBot, tmp_path: Path) -> None:
    store = settings(tmp_path)
    store.setValue(SETTINGS_KEYS["ticket"], "Ghost")
    service = PrintService(tmp_path, store, printers=lambda: ["Ghost"])
    with qtbot.waitSignal(service.message, timeout=5000) as signal:
        outcome = print_and_wait(
            qtbot, service, render(demo_ticket()), "ticket", "PH22080020261126000012"
        )
    assert not outcome.printed and outcome.saved_path is not None
    assert "Ghost" in signal.args[0] and str(outcome.saved_path) in signal.args[0]


# --- off the UI thread ---------------------------------------------------------------------------


def test_the_preview_shows_pages_rendered_off_the_ui_thread(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[tuple[int, list[QImage]]] = []

    def recording(pdf: bytes) -> list[QImage]:
        pages = render_pages(pdf)
        rendered.append((threading.get_ident(), pages))
        return pages

    monkeypatch.setattr(ui.printing, "render_pages", recording)
    shown: list[PrintPreviewDialog] = []
    monkeypatch.setattr(PrintPreviewDialog, "open", lambda dialog: shown.append(dialog))
    service = PrintService(tmp_path / "data", settings(tmp_path), printers=list)
    service.print_document(render(demo_commitment()), "commitment", "RQ22080020261126030001")
    assert shown == []  # asked for; nothing was loaded or rendered on the way
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    ((thread, pages),) = rendered
    assert thread != threading.main_thread().ident
    dialog = shown[0]
    qtbot.addWidget(dialog)
    assert [p.image for p in dialog.pages] == pages and len(pages) == 2


class SlowPrinterService(PdfFilePrintService):
    """A printer that takes its time: the job waits on the worker until `release` is set."""

    def __init__(self, out: Path, names: list[str], **kw: object) -> None:
        super().__init__(out, names, **kw)
        self.spooling = threading.Event()
        self.release = threading.Event()
        self.threads: list[int] = []

    def make_printer(self, name: str) -> QPrinter:
        self.threads.append(threading.get_ident())
        self.spooling.set()
        assert self.release.wait(30)
        return super().make_printer(name)


def _later(qtbot: QtBot, fn: Callable[[], object]) -> list[bool]:
    """A timer on the UI thread; the list says whether it fired."""
    fired: list[bool] = []

    def fire() -> None:
        fn()
        fired.append(True)

    QTimer.singleShot(0, fire)
    return fired


def test_a_slow_printer_leaves_the_window_free_and_reports_by_callback(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = settings(tmp_path)
    store.setValue(SETTINGS_KEYS["a4"], "HP-A4")
    service = SlowPrinterService(tmp_path, ["HP-A4"], data_dir=tmp_path / "data", settings=store)
    _answer_dialog(monkeypatch, "printButton", printer="HP-A4")
    outcomes: list[PrintOutcome] = []
    messages: list[str] = []
    service.message.connect(messages.append)
    try:
        service.print_document(
            render(demo_commitment()),
            "commitment",
            "RQ22080020261126030001",
            on_done=outcomes.append,
        )
        qtbot.waitUntil(service.spooling.is_set, timeout=10_000)
        # The printer holds the job; the UI thread still runs its events.
        fired = _later(qtbot, lambda: None)
        qtbot.waitUntil(lambda: bool(fired), timeout=5000)
        assert outcomes == [] and messages == []
    finally:
        service.release.set()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=10_000)
    assert outcomes[0].printed and outcomes[0].printer == "HP-A4"
    assert messages == [outcomes[0].message]
    assert service.threads and service.threads[0] != threading.main_thread().ident
    assert len(PdfReader(service.jobs[0][1]).pages) == 2


def test_print_silently_reports_by_callback_and_asks_for_printers_on_the_worker(
    qtbot: QtBot, tmp_path: Path
) -> None:
    asked: list[int | None] = []

    def printers() -> list[str]:  # looking printers up can take a while: not on the UI thread
        asked.append(threading.get_ident())
        return []

    service = PrintService(tmp_path, settings(tmp_path), printers=printers)
    outcomes: list[PrintOutcome] = []
    service.print_silently(
        render(demo_ticket()), "ticket", "PH22080020261126000012", on_done=outcomes.append
    )
    assert outcomes == [] and asked == []
    qtbot.waitUntil(lambda: bool(outcomes), timeout=10_000)
    assert outcomes[0].saved_path is not None and "未设置票据打印机" in outcomes[0].message
    assert outcomes[0].saved_path.name == "PH22080020261126000012.pdf"
    assert asked and threading.main_thread().ident not in asked
