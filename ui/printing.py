"""Printing at the desk: a preview of each A4 document before it prints, the clerk's choice of
printer (remembered per kind of paper: A4 or the ticket roll), tickets straight to the ticket
printer, and — when there is no printer at all — the PDF saved in the data directory's
documents/ folder with a message saying where.

The PDF comes ready from the core (app.printing, rendered from committed rows); this module
only shows it and puts its pages on paper, via QPdfDocument.render → QPainter on QPrinter."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QObject,
    QRectF,
    QSettings,
    QSize,
    Signal,
)
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.paths import data_dir as default_data_dir
from app.services.documents import save_pdf
from ui.messages import describe

#: Pages are rasterised at the printer's resolution, but no finer than this: enough for the
#: barcode's 0.33 mm bars, and an A4 page stays a few tens of MB.
MAX_RENDER_DPI = 300
SETTINGS_KEYS = {"a4": "printing/a4_printer", "ticket": "printing/ticket_printer"}


def paper_of(kind: str) -> str:
    """Which printer a document kind goes to: the ticket roll or A4."""
    return "ticket" if kind == "ticket" else "a4"


def available_printer_names() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


class PrintError(Exception):
    """The printer could not be used; the PDF is saved instead."""


@dataclasses.dataclass(frozen=True)
class PrintOutcome:
    printed: bool
    printer: str | None = None
    saved_path: Path | None = None
    message: str = ""


def load_pdf(pdf_bytes: bytes, parent: QObject) -> QPdfDocument:
    """A QPdfDocument reading from memory, owned by `parent` (the buffer by the document)."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf_bytes))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise PrintError(f"PDF load failed: {document.error()}")
    return document


def render_to_printer(document: QPdfDocument, printer: QPrinter) -> int:
    """Put every page of `document` on `printer`, each page at its own size (A4, or an 80 mm
    roll as tall as the ticket); returns the number of pages printed."""
    pages = document.pageCount()
    if pages == 0:
        raise PrintError("empty document")
    first = document.pagePointSize(0)
    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(first, QPageSize.Unit.Point),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("the printer refused the job")
    try:
        for i in range(pages):
            size = document.pagePointSize(i)
            if i:
                printer.setPageSize(QPageSize(size, QPageSize.Unit.Point))
                printer.newPage()
            dpi = min(printer.resolution(), MAX_RENDER_DPI)
            pixels = QSize(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi))
            image = document.render(i, pixels)
            target = printer.pageLayout().fullRectPixels(printer.resolution())
            painter.drawImage(QRectF(target), image)
    finally:
        painter.end()
    return pages


class PrintPreviewDialog(QDialog):
    """Shows the document as it will print; the clerk picks the printer, prints, or saves the
    PDF (the only choice when no printer exists)."""

    def __init__(
        self,
        pdf_bytes: bytes,
        title: str,
        printers: list[str],
        default_printer: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("printPreviewDialog")
        self.setAccessibleName(self.tr("打印预览"))
        self.setWindowTitle(self.tr("打印预览 - %1").replace("%1", title))
        self.choice: str | None = None  # "print" | "save"
        self.document = load_pdf(pdf_bytes, self)

        self.view = QPdfView(self)
        self.view.setObjectName("pdfPreview")
        self.view.setAccessibleName(self.tr("文书预览"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.pages_label = QLabel(self.tr("共 %n 页", "", self.document.pageCount()), self)
        self.pages_label.setObjectName("pageCountLabel")
        self.pages_label.setAccessibleName(self.tr("页数"))

        self.printer_combo = QComboBox(self)
        self.printer_combo.setObjectName("printerCombo")
        self.printer_combo.setAccessibleName(self.tr("打印机"))
        for name in printers:
            self.printer_combo.addItem(name, name)
        if default_printer in printers:
            self.printer_combo.setCurrentIndex(printers.index(default_printer))
        if not printers:
            self.printer_combo.addItem(self.tr("（未找到打印机）"), None)
            self.printer_combo.setEnabled(False)

        self.remember_box = QCheckBox(self.tr("设为此类文书的默认打印机"), self)
        self.remember_box.setObjectName("rememberPrinter")
        self.remember_box.setAccessibleName(self.tr("记住打印机"))
        self.remember_box.setChecked(True)
        self.remember_box.setEnabled(bool(printers))

        self.no_printer_label = QLabel(self.tr("本机没有可用的打印机，可将文书保存为PDF。"), self)
        self.no_printer_label.setObjectName("noPrinterLabel")
        self.no_printer_label.setAccessibleName(self.tr("打印机提示"))
        self.no_printer_label.setVisible(not printers)

        buttons = QDialogButtonBox(self)
        buttons.setObjectName("previewButtons")
        buttons.setAccessibleName(self.tr("操作"))
        self.print_button = QPushButton(self.tr("打印"), self)
        self.print_button.setObjectName("printButton")
        self.print_button.setAccessibleName(self.tr("打印"))
        self.print_button.setEnabled(bool(printers))
        self.print_button.setDefault(bool(printers))
        self.save_button = QPushButton(self.tr("保存为PDF"), self)
        self.save_button.setObjectName("savePdfButton")
        self.save_button.setAccessibleName(self.tr("保存为PDF"))
        self.cancel_button = QPushButton(self.tr("取消"), self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setAccessibleName(self.tr("取消"))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.clicked.connect(self._print)
        self.save_button.clicked.connect(self._save)
        self.cancel_button.clicked.connect(self.reject)

        printer_label = QLabel(self.tr("打印机："), self)
        printer_label.setObjectName("printerLabel")
        printer_label.setAccessibleName(self.tr("打印机"))
        printer_label.setBuddy(self.printer_combo)
        form = QFormLayout()
        form.addRow(printer_label, self.printer_combo)
        form.addRow(self.remember_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.pages_label)
        layout.addLayout(form)
        layout.addWidget(self.no_printer_label)
        layout.addWidget(buttons)
        self.resize(760, 900)

    def selected_printer(self) -> str | None:
        data = self.printer_combo.currentData()
        return str(data) if data else None

    def _print(self) -> None:
        if self.selected_printer() is None:
            return
        self.choice = "print"
        self.accept()

    def _save(self) -> None:
        self.choice = "save"
        self.accept()


class PrintService(QObject):
    """Prints documents for the desk. `message` carries what the clerk should read (where a PDF
    was saved, why a printer failed); the main window shows it."""

    message = Signal(str)

    def __init__(
        self,
        data_dir: Path | None = None,
        settings: QSettings | None = None,
        printers: Callable[[], list[str]] = available_printer_names,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir or default_data_dir()
        self.settings = settings or QSettings("OneWindow", "OneWindow")
        self._printers = printers

    # --- printers -------------------------------------------------------------------------

    def printers(self) -> list[str]:
        return self._printers()

    def default_printer(self, kind: str) -> str | None:
        """The remembered printer for this kind's paper, if it still exists; else the system
        default for A4."""
        names = self.printers()
        saved = self.settings.value(SETTINGS_KEYS[paper_of(kind)])
        if isinstance(saved, str) and saved in names:
            return saved
        if paper_of(kind) == "a4":
            system = QPrinterInfo.defaultPrinterName()
            if system in names:
                return system
        return None

    def set_default_printer(self, kind: str, name: str) -> None:
        self.settings.setValue(SETTINGS_KEYS[paper_of(kind)], name)
        self.settings.sync()

    def make_printer(self, name: str) -> QPrinter:
        info = QPrinterInfo.printerInfo(name)
        if info.isNull():
            raise PrintError(f"printer not found: {name}")
        return QPrinter(info, QPrinter.PrinterMode.HighResolution)

    # --- printing -------------------------------------------------------------------------

    def print_document(
        self,
        pdf_bytes: bytes,
        kind: str,
        doc_no: str,
        *,
        title: str = "",
        reprint: int = 0,
        parent: QWidget | None = None,
    ) -> PrintOutcome:
        """Print one document: a ticket silently to the ticket printer (once one was chosen),
        anything else after the clerk has seen the preview. Without a printer the PDF is saved
        and the clerk told where."""
        if paper_of(kind) == "ticket" and (
            self.default_printer(kind) is not None or not self.printers()
        ):
            return self.print_silently(pdf_bytes, kind, doc_no, reprint=reprint)
        # A4, or the first ticket before a ticket printer was chosen: show it, let them choose.
        dialog = PrintPreviewDialog(
            pdf_bytes, title or doc_no, self.printers(), self.default_printer(kind), parent
        )
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            choice, printer = dialog.choice, dialog.selected_printer()
            remember = dialog.remember_box.isChecked()
        finally:
            dialog.deleteLater()
        if not accepted or choice is None:
            return PrintOutcome(printed=False, message=self.tr("已取消打印"))
        if choice == "save" or printer is None:
            return self.save_instead(pdf_bytes, doc_no, reprint, reason="")
        if remember:
            self.set_default_printer(kind, printer)
        return self._print_to(pdf_bytes, printer, doc_no, reprint)

    def print_silently(
        self, pdf_bytes: bytes, kind: str, doc_no: str, *, reprint: int = 0
    ) -> PrintOutcome:
        """No preview: straight to the remembered printer for this kind (the ticket printer)."""
        printer = self.default_printer(kind)
        if printer is None:
            return self.save_instead(pdf_bytes, doc_no, reprint, reason=self.tr("未设置票据打印机"))
        return self._print_to(pdf_bytes, printer, doc_no, reprint)

    def _print_to(self, pdf_bytes: bytes, printer: str, doc_no: str, reprint: int) -> PrintOutcome:
        try:
            document = load_pdf(pdf_bytes, self)
            try:
                target = self.make_printer(printer)
                target.setDocName(doc_no)
                render_to_printer(document, target)
            finally:
                document.deleteLater()
        except PrintError as exc:
            reason = self.tr("打印机“%1”无法打印（%2）").replace("%1", printer)
            return self.save_instead(
                pdf_bytes, doc_no, reprint, reason=reason.replace("%2", describe(exc))
            )
        text = self.tr("已发送到打印机：%1").replace("%1", printer)
        self.message.emit(text)
        return PrintOutcome(printed=True, printer=printer, message=text)

    def save_instead(
        self, pdf_bytes: bytes, doc_no: str, reprint: int, *, reason: str
    ) -> PrintOutcome:
        """Keep the PDF in the data directory and tell the clerk where it is."""
        try:
            path = save_pdf(self.data_dir, doc_no, pdf_bytes, reprint=reprint)
        except (OSError, UserError) as exc:
            text = self.tr("文书未能打印，也未能保存：%1").replace("%1", describe(exc))
            self.message.emit(text)
            return PrintOutcome(printed=False, message=text)
        if reason:
            text = self.tr("%1，文书已保存为PDF：%2").replace("%1", reason)
        elif self.printers():
            text = self.tr("文书已保存为PDF：%2")
        else:
            text = self.tr("未找到可用的打印机，文书已保存为PDF：%2")
        text = text.replace("%2", str(path))
        self.message.emit(text)
        return PrintOutcome(printed=False, saved_path=path, message=text)
