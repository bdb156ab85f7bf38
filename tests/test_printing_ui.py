"""Printing in the UI, offscreen: the preview loads the PDF, the clerk's printer choice is
remembered per paper, pages go through QPainter onto a QPrinter, and without any printer the
PDF is saved in the data directory with a message saying where."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.printing.render import render
from app.printing.samples import demo_commitment, demo_receipt, demo_ticket
from ui.printing import (
    SETTINGS_KEYS,
    PrintPreviewDialog,
    PrintService,
    load_pdf,
    paper_of,
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


def test_preview_shows_the_pdf_and_the_printers(qtbot: QtBot) -> None:
    dialog = PrintPreviewDialog(
        render(demo_commitment()), "容缺受理承诺书", ["HP-A4", "Lenovo"], "Lenovo"
    )
    qtbot.addWidget(dialog)
    assert dialog.document.status() == QPdfDocument.Status.Ready
    assert dialog.document.pageCount() == 2
    assert dialog.view.document() is dialog.document
    combo = dialog.findChild(QComboBox, "printerCombo")
    assert combo is not None and combo.isEnabled()
    assert [combo.itemText(i) for i in range(combo.count())] == ["HP-A4", "Lenovo"]
    assert combo.currentText() == "Lenovo"
    printer_button = dialog.findChild(QPushButton, "printButton")
    assert printer_button is not None and printer_button.isEnabled()
    assert dialog.findChild(QWidget, "noPrinterLabel").isHidden()  # type: ignore[union-attr]
    assert "2" in dialog.pages_label.text()


def test_every_widget_is_named_for_tests_and_screen_readers(qtbot: QtBot) -> None:
    dialog = PrintPreviewDialog(render(demo_receipt()), "受理通知书", [], None)
    qtbot.addWidget(dialog)
    shown = (QAbstractButton, QComboBox, QCheckBox, QLabel, QPdfView)
    named = [dialog, *(w for w in dialog.findChildren(QWidget) if isinstance(w, shown))]
    assert len(named) >= 10
    for widget in named:
        assert widget.objectName(), widget
        assert widget.accessibleName(), widget.objectName()


def test_without_printers_only_saving_is_offered(qtbot: QtBot) -> None:
    dialog = PrintPreviewDialog(render(demo_receipt()), "受理通知书", [], None)
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
    """Stand in for the clerk: when the preview is shown, pick `printer` and click `button`
    (a modal exec() would block the test)."""

    def answer(dialog: PrintPreviewDialog) -> int:
        assert dialog.document.status() == QPdfDocument.Status.Ready
        if printer is not None:
            dialog.printer_combo.setCurrentIndex(dialog.printer_combo.findData(printer))
        found = dialog.findChild(QPushButton, button)
        assert found is not None and found.isEnabled()
        found.click()
        return dialog.result()

    monkeypatch.setattr(PrintPreviewDialog, "exec", answer)


def test_no_printer_saves_the_pdf_and_says_where(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = PrintService(tmp_path / "data", settings(tmp_path), printers=list)
    pdf = render(demo_receipt())
    _answer_dialog(monkeypatch, "savePdfButton")
    with qtbot.waitSignal(service.message, timeout=5000) as signal:
        outcome = service.print_document(pdf, "receipt", RECEIPT_NO, title="受理通知书")
    assert not outcome.printed
    expected = tmp_path / "data" / "documents" / "2026" / "11" / f"{RECEIPT_NO}.pdf"
    assert outcome.saved_path == expected
    assert expected.read_bytes() == pdf
    assert str(expected) in signal.args[0]
    assert "未找到可用的打印机" in signal.args[0]


def test_ticket_without_printer_is_saved_silently(qtbot: QtBot, tmp_path: Path) -> None:
    service = PrintService(tmp_path, settings(tmp_path), printers=list)
    pdf = render(demo_ticket())
    with qtbot.waitSignal(service.message, timeout=2000):
        outcome = service.print_document(pdf, "ticket", "PH22080020261126000012", reprint=1)
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
    outcome = service.print_document(render(demo_receipt()), "receipt", RECEIPT_NO)
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
    outcome = service.print_document(pdf, "commitment", "RQ22080020261126030001")
    assert outcome.printed and outcome.printer == "HP-A4"
    assert store.value(SETTINGS_KEYS["a4"]) == "HP-A4"
    assert service.default_printer("receipt") == "HP-A4"  # same paper, same printer
    assert service.default_printer("ticket") is None
    name, path = service.jobs[0]
    assert name == "HP-A4"
    assert len(PdfReader(path).pages) == 2

    # The first ticket asks which printer; after that tickets print without a dialog.
    _answer_dialog(monkeypatch, "printButton", printer="Xprinter-80")
    service.print_document(render(demo_ticket()), "ticket", "PH22080020261126000012")
    assert store.value(SETTINGS_KEYS["ticket"]) == "Xprinter-80"
    outcome = service.print_document(render(demo_ticket()), "ticket", "PH22080020261126000013")
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
    with qtbot.waitSignal(service.message, timeout=2000) as signal:
        outcome = service.print_document(render(demo_ticket()), "ticket", "PH22080020261126000012")
    assert not outcome.printed and outcome.saved_path is not None
    assert "Ghost" in signal.args[0] and str(outcome.saved_path) in signal.args[0]
