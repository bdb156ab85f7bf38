"""Printing at the desk: a preview of each A4 document before it prints, the clerk's choice of
printer (remembered per kind of paper: A4 or the ticket roll), tickets straight to the ticket
printer, and — when there is no printer at all — the PDF saved in the data directory's
documents/ folder with a message saying where.

The PDF comes ready from the core (app.printing, rendered from committed rows); this module
only shows it and puts it on paper: on Linux with CUPS the PDF goes to the queue as it is
(app.printing.spool: vector, each page at its own size, the job followed to its end, a job
refused or stuck reported and never counted); elsewhere through QPdfDocument.render → QPainter
on QPrinter, whose errors are checked. A print that failed is shown to the clerk in a dialog
that stays until answered: retry, choose another printer, save the PDF (or, when only the
paper size did not match, print anyway)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMarginsF,
    QObject,
    QRectF,
    QSettings,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QDialog,
    QWidget,
)

from app.errors import UserError
from app.paths import data_dir as default_data_dir
from app.printing import spool
from app.services.documents import save_pdf
from ui.cups_printers import CupsPrinters
from ui.messages import describe
from ui.print_dialogs import (
    PAPER_LABELS,
    PageImage,
    PrinterSettingsDialog,
    PrinterStatus,
    PrintFailedDialog,
    PrintPreviewDialog,
)

# The dialogs live in ui/print_dialogs.py; they are also this module's (callers and tests).
__all__ = [
    "CupsPrinters",
    "PageImage",
    "PrintError",
    "PrintFailedDialog",
    "PrintOutcome",
    "PrintPreviewDialog",
    "PrintService",
    "PrinterSettingsDialog",
    "PrinterStatus",
    "load_pdf",
    "paper_of",
    "render_pages",
    "render_to_printer",
]
from ui.operations import Operations

#: Pages are rasterised at the printer's resolution, but no finer than this: enough for the
#: barcode's 0.33 mm bars, and an A4 page stays a few tens of MB.
MAX_RENDER_DPI = 300
#: The preview shows pages at screen size (an A4 page about 800 px wide), rendered once.
PREVIEW_DPI = 96
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
    """How one print ended. `printed` only when the paper came out (CUPS completed the job, or
    Qt's print engine took every page without an error); `failed` when a printer was tried and
    did not print (`message` says why; the PDF may have been saved instead: `saved_path`)."""

    printed: bool
    printer: str | None = None
    saved_path: Path | None = None
    message: str = ""
    job_id: int | None = None
    failed: bool = False
    paper_mismatch: bool = False


def load_pdf(pdf_bytes: bytes, parent: QObject | None = None) -> QPdfDocument:
    """A QPdfDocument reading from memory (the buffer owned by the document). Safe on a worker
    thread: the document then lives on that thread (give no `parent` there)."""
    document = QPdfDocument() if parent is None else QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf_bytes))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise PrintError(f"PDF load failed: {document.error()}")
    return document


def render_pages(pdf_bytes: bytes, dpi: float = PREVIEW_DPI) -> list[QImage]:
    """Every page of the PDF as an image at `dpi`, for the preview: done on the worker (PDF
    loading and rasterising are the slow part), shown by the dialog on the UI thread."""
    document = load_pdf(pdf_bytes)
    try:
        pages = []
        for i in range(document.pageCount()):
            size = document.pagePointSize(i)
            pixels = QSize(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi))
            image = document.render(i, pixels)
            if image.isNull():
                raise PrintError(f"page {i + 1} could not be rendered")
            # Paper is white and opaque: the PDF's transparent background is laid on white (a
            # plain format conversion would turn it black), in a format the window draws by a
            # copy.
            page = QImage(image.size(), QImage.Format.Format_RGB32)
            page.fill(Qt.GlobalColor.white)
            painter = QPainter(page)
            painter.drawImage(0, 0, image)
            painter.end()
            pages.append(page)
    finally:
        document.close()
    if not pages:
        raise PrintError("empty document")
    return pages


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
        ended = painter.end()
    if not ended or printer.printerState() == QPrinter.PrinterState.Error:
        raise PrintError("the printer reported an error")
    return pages


@dataclasses.dataclass(frozen=True)
class _Preview:
    """What the worker prepared for the preview dialog."""

    pages: list[QImage]
    printers: list[str]
    default_printer: str | None


@dataclasses.dataclass(frozen=True)
class _DirectFailed:
    """A direct print that failed, with the preview to offer if the clerk chooses again."""

    outcome: PrintOutcome
    preview: _Preview
    printer: str


@dataclasses.dataclass(frozen=True)
class _Job:
    """One document the clerk asked to print, carried through preview, attempts and choices."""

    pdf_bytes: bytes
    kind: str
    doc_no: str
    title: str
    reprint: int
    parent: QWidget | None
    on_done: Callable[[PrintOutcome], object] | None


class PrintService(QObject):
    """Prints documents for the desk. Everything slow (finding the printers, loading and
    rendering the PDF, spooling to the printer and following the job, saving the PDF) runs on
    the service's own worker, so the window answers throughout and a slow printer never holds
    up a save; only the dialogs are on the UI thread. Each job's `PrintOutcome` arrives by
    callback (on the UI thread). `message` carries what the clerk should read (where a PDF was
    saved, why a printer failed); the main window shows it.

    On Linux with CUPS (`cups`, found by itself unless `printers` is given) PDFs go to CUPS as
    they are; otherwise through Qt's print engine."""

    message = Signal(str)

    def __init__(
        self,
        data_dir: Path | None = None,
        settings: QSettings | None = None,
        printers: Callable[[], list[str]] | None = None,
        parent: QObject | None = None,
        *,
        cups: CupsPrinters | None = None,
        ticket_cancel_after: float = spool.TICKET_CANCEL_AFTER,
        document_cancel_after: float = spool.DOCUMENT_CANCEL_AFTER,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir or default_data_dir()
        self.settings = settings or QSettings("OneWindow", "OneWindow")
        if cups is None and printers is None and spool.cups_available():
            cups = CupsPrinters()
        self.cups = cups
        self._printers = printers or (cups.names if cups else available_printer_names)
        self.cancel_after = {"ticket": ticket_cancel_after, "a4": document_cancel_after}
        # The printer's worker: its own thread, not the database's, so a printer that takes
        # its time never delays the next save.
        self.ops = Operations(None, self)

    # --- printers -------------------------------------------------------------------------

    def printers(self) -> list[str]:
        return self._printers()

    def default_printer(self, kind: str) -> str | None:
        """The remembered printer for this kind's paper, if it still exists; else the system
        default for A4."""
        return self._default_among(kind, self.printers(), self._remembered(kind))

    def _remembered(self, kind: str) -> str | None:
        saved = self.settings.value(SETTINGS_KEYS[paper_of(kind)])
        return saved if isinstance(saved, str) else None

    def _system_default(self) -> str | None:
        if self.cups is not None:
            return self.cups.default()
        return QPrinterInfo.defaultPrinterName() or None

    def _default_among(self, kind: str, names: list[str], remembered: str | None) -> str | None:
        """The remembered printer if it still exists; else the system default, when it has
        this kind's paper (with CUPS, which says; elsewhere only for A4)."""
        if remembered is not None and remembered in names:
            return remembered
        system = self._system_default()
        if system is None or system not in names:
            return None
        if self.cups is not None:
            fits = self.cups.status(system).fits(paper_of(kind))
            return system if fits else None
        return system if paper_of(kind) == "a4" else None

    def printer_statuses(self) -> list[PrinterStatus]:
        """Every printer with its state and papers (slow: call it on the worker)."""
        names = self.printers()
        if self.cups is not None:
            return [self.cups.status(name) for name in names]
        available = QCoreApplication.translate("PrintService", "可用")
        return [PrinterStatus(name, available, True) for name in names]

    def printer_summary(self, papers: Sequence[str] = ("a4", "ticket")) -> str:
        """One line for the status bar: each paper's printer and its state (on the worker)."""
        statuses = {status.name: status for status in self.printer_statuses()}
        parts = []
        for paper in papers:
            label = PAPER_LABELS[paper]()
            name = self._remembered(paper) or self._default_among(paper, list(statuses), None)
            if name is None:
                parts.append(self.tr("%1：未设置").replace("%1", label))
            elif name not in statuses:
                parts.append(self.tr("%1：%2（找不到）").replace("%1", label).replace("%2", name))
            else:
                parts.append(
                    self.tr("%1：%2（%3）")
                    .replace("%1", label)
                    .replace("%2", name)
                    .replace("%3", statuses[name].state)
                )
        return " · ".join(parts)

    def configure_printers(
        self,
        parent: QWidget | None,
        papers: Sequence[str] = ("a4", "ticket"),
        on_done: Callable[[], object] | None = None,
    ) -> None:
        """The printer of each paper, chosen in a dialog on the printers read on the worker,
        and remembered for this machine (the kiosk's ticket printer: `papers=("ticket",)`)."""
        current = {paper: self._remembered(paper) for paper in papers}

        def show(statuses: list[PrinterStatus]) -> None:
            dialog = PrinterSettingsDialog(statuses, current, parent)

            def answered(result: int) -> None:
                if result == QDialog.DialogCode.Accepted:
                    for paper, name in dialog.choices().items():
                        if name is None:
                            self.settings.remove(SETTINGS_KEYS[paper])
                        else:
                            self.set_default_printer(paper, name)
                    self.settings.sync()
                dialog.deleteLater()
                if on_done is not None:
                    on_done()

            dialog.finished.connect(answered)
            dialog.open()

        self.ops.run(self.printer_statuses, show, owner=parent)

    def set_default_printer(self, kind: str, name: str) -> None:
        self.settings.setValue(SETTINGS_KEYS[paper_of(kind)], name)
        self.settings.sync()

    def make_printer(self, name: str) -> QPrinter:
        info = QPrinterInfo.printerInfo(name)
        if info.isNull():
            raise PrintError(f"printer not found: {name}")
        return QPrinter(info, QPrinter.PrinterMode.HighResolution)

    # --- printing (UI thread: asks the worker, answers by callback) -----------------------

    def print_document(
        self,
        pdf_bytes: bytes,
        kind: str,
        doc_no: str,
        *,
        title: str = "",
        reprint: int = 0,
        parent: QWidget | None = None,
        on_done: Callable[[PrintOutcome], object] | None = None,
        direct: bool = False,
    ) -> None:
        """Print one document: a ticket silently to the ticket printer (once one was chosen),
        anything else after the clerk has seen the preview — or, `direct`, straight to the
        printer remembered for its paper when it still exists (the preview only where none
        is). Without a printer the PDF is saved and the clerk told where; a print that fails
        is shown until the clerk answers it. Returns at once; `on_done(outcome)` follows on the
        UI thread (not at all if `parent` was closed before the preview could be shown)."""
        job = _Job(pdf_bytes, kind, doc_no, title, reprint, parent, on_done)
        remembered = self._remembered(kind)

        def prepare() -> PrintOutcome | _Preview | _DirectFailed:  # on the worker
            names = self.printers()
            default = self._default_among(kind, names, remembered)
            if paper_of(kind) == "ticket" and (default is not None or not names):
                return self._silently(pdf_bytes, kind, doc_no, reprint, default)
            if direct and remembered is not None and remembered in names:
                outcome = self._print_to(pdf_bytes, remembered, doc_no, kind=kind)
                if not outcome.failed:
                    return outcome
                # Shown to the clerk as any failed print (retry, another printer, the PDF).
                preview = _Preview(render_pages(pdf_bytes), names, remembered)
                return _DirectFailed(outcome, preview, remembered)
            # A4, or the first ticket before a ticket printer was chosen: show it first.
            return _Preview(render_pages(pdf_bytes), names, default)

        reported = False

        def prepared(result: PrintOutcome | _Preview | _DirectFailed) -> None:
            nonlocal reported
            reported = True
            if isinstance(result, PrintOutcome):
                self._report(result, on_done)
                return
            if isinstance(result, _DirectFailed):
                self._failed(job, result.preview, result.printer, result.outcome, True)
                return
            self._preview(result, job)

        def not_prepared(exc: BaseException) -> None:
            if reported:  # the caller's own callback failed; the operation logged it
                return
            reason = self.tr("文书未能预览（%1）").replace("%1", describe(exc))
            self._save_async(pdf_bytes, doc_no, reprint, reason, on_done)

        self.ops.run(prepare, prepared, on_failed=not_prepared, owner=parent)

    def print_silently(
        self,
        pdf_bytes: bytes,
        kind: str,
        doc_no: str,
        *,
        reprint: int = 0,
        on_done: Callable[[PrintOutcome], object] | None = None,
    ) -> None:
        """No preview: straight to the remembered printer for this kind (the ticket printer),
        on the worker (looking the printers up is the worker's too: it can take a while);
        `on_done(outcome)` follows on the UI thread. A failure saves the PDF and says why
        (`outcome.failed`); it is never reported as printed."""
        remembered = self._remembered(kind)

        def job() -> PrintOutcome:  # on the worker
            printer = self._default_among(kind, self.printers(), remembered)
            return self._silently(pdf_bytes, kind, doc_no, reprint, printer)

        self._submit(job, lambda outcome: self._report(outcome, on_done))

    def _preview(self, prepared: _Preview, job: _Job) -> None:
        dialog = PrintPreviewDialog(
            prepared.pages,
            job.title or job.doc_no,
            prepared.printers,
            prepared.default_printer,
            job.parent,
        )

        def answered(result: int) -> None:
            accepted = result == QDialog.DialogCode.Accepted
            choice, printer = dialog.choice, dialog.selected_printer()
            remember = dialog.remember_box.isChecked()
            dialog.deleteLater()
            if not accepted or choice is None:
                self._finish(
                    PrintOutcome(printed=False, message=self.tr("已取消打印")), job.on_done
                )
                return
            if choice == "save" or printer is None:
                self._save_async(job.pdf_bytes, job.doc_no, job.reprint, "", job.on_done)
                return
            self._attempt(job, prepared, printer, remember=remember, any_paper=False)

        dialog.finished.connect(answered)
        dialog.open()

    def _attempt(
        self, job: _Job, prepared: _Preview, printer: str, *, remember: bool, any_paper: bool
    ) -> None:
        """Print on `printer`; printed: remember it for this paper (if asked) and report;
        failed: ask the clerk what to do."""

        def done(outcome: PrintOutcome) -> None:
            if outcome.printed:
                if remember:
                    self.set_default_printer(job.kind, printer)
                self._report(outcome, job.on_done)
            elif outcome.failed:
                self._failed(job, prepared, printer, outcome, remember)
            else:
                self._report(outcome, job.on_done)

        self._submit(
            lambda: self._print_to(
                job.pdf_bytes, printer, job.doc_no, kind=job.kind, any_paper=any_paper
            ),
            done,
        )

    def _failed(
        self, job: _Job, prepared: _Preview, printer: str, outcome: PrintOutcome, remember: bool
    ) -> None:
        self.message.emit(outcome.message)
        if job.parent is not None and not shiboken6.isValid(job.parent):
            self._finish(outcome, job.on_done)
            return
        dialog = PrintFailedDialog(outcome.message, outcome.paper_mismatch, job.parent)

        def answered(_result: int) -> None:
            choice = dialog.choice()
            dialog.deleteLater()
            if choice == "retry":
                self._attempt(job, prepared, printer, remember=remember, any_paper=False)
            elif choice == "anyway":
                self._attempt(job, prepared, printer, remember=False, any_paper=True)
            elif choice == "other":  # the list read again (on the worker), none preselected
                self.ops.run(
                    self.printers,
                    lambda names: self._preview(_Preview(prepared.pages, names, None), job),
                    owner=job.parent,
                )
            elif choice == "save":
                self._save_async(
                    job.pdf_bytes,
                    job.doc_no,
                    job.reprint,
                    outcome.message,
                    job.on_done,
                    failed=outcome,
                )
            else:
                self._finish(outcome, job.on_done)

        dialog.finished.connect(answered)
        dialog.open()

    def _save_async(
        self,
        pdf_bytes: bytes,
        doc_no: str,
        reprint: int,
        reason: str,
        on_done: Callable[[PrintOutcome], object] | None,
        failed: PrintOutcome | None = None,
    ) -> None:
        def save() -> PrintOutcome:
            saved = self.save_instead(pdf_bytes, doc_no, reprint, reason=reason)
            if failed is None:
                return saved
            return dataclasses.replace(failed, saved_path=saved.saved_path, message=saved.message)

        self._submit(save, lambda outcome: self._report(outcome, on_done))

    def _submit(
        self, job: Callable[[], PrintOutcome], then: Callable[[PrintOutcome], object]
    ) -> None:
        reported = False

        def done(outcome: PrintOutcome) -> None:
            nonlocal reported
            reported = True
            then(outcome)

        def failed(exc: BaseException) -> None:
            # Not expected (the job reports a printer's or a disk's failure itself); the
            # operation has logged it. The clerk still reads one line, and the caller goes on
            # (unless it was the caller's own callback that failed).
            if not reported:
                text = self.tr("文书未能打印，也未能保存：%1").replace("%1", describe(exc))
                then(PrintOutcome(printed=False, failed=True, message=text))

        self.ops.run(job, done, on_failed=failed)

    def _report(
        self, outcome: PrintOutcome, on_done: Callable[[PrintOutcome], object] | None
    ) -> None:
        self.message.emit(outcome.message)
        self._finish(outcome, on_done)

    @staticmethod
    def _finish(outcome: PrintOutcome, on_done: Callable[[PrintOutcome], object] | None) -> None:
        if on_done is not None:
            on_done(outcome)

    # --- the slow part (the worker's thread) ----------------------------------------------

    def _silently(
        self, pdf_bytes: bytes, kind: str, doc_no: str, reprint: int, printer: str | None
    ) -> PrintOutcome:
        if printer is None:
            return self.save_instead(pdf_bytes, doc_no, reprint, reason=self.tr("未设置票据打印机"))
        outcome = self._print_to(pdf_bytes, printer, doc_no, kind=kind)
        if outcome.printed:
            return outcome
        # Nobody is there to choose: the PDF is kept, and the outcome says it did not print.
        saved = self.save_instead(pdf_bytes, doc_no, reprint, reason=outcome.message)
        return dataclasses.replace(outcome, saved_path=saved.saved_path, message=saved.message)

    def _print_to(
        self,
        pdf_bytes: bytes,
        printer: str,
        doc_no: str,
        *,
        kind: str = "receipt",
        any_paper: bool = False,
    ) -> PrintOutcome:
        """Put the document on `printer` and wait for the outcome: through CUPS (the PDF as it
        is, the job followed until it completed; refused or stuck: cancelled, failed), or
        through Qt's print engine (QPainter on a QPrinter may run off the UI thread)."""
        if self.cups is not None:
            try:
                printed = self.cups.print_pdf(
                    pdf_bytes,
                    printer,
                    title=doc_no,
                    any_paper=any_paper,
                    cancel_after=self.cancel_after[paper_of(kind)],
                )
            except spool.PrintFailure as exc:
                return PrintOutcome(
                    printed=False,
                    printer=printer,
                    failed=True,
                    job_id=exc.job_id,
                    paper_mismatch=isinstance(exc, spool.PaperMismatch),
                    message=describe(exc),
                )
            text = self.tr("已打印：%1（任务%2）").replace("%1", printer)
            return PrintOutcome(
                printed=True,
                printer=printer,
                job_id=printed.job_id,
                message=text.replace("%2", str(printed.job_id)),
            )
        try:
            document = load_pdf(pdf_bytes)
            try:
                target = self.make_printer(printer)
                target.setDocName(doc_no)
                render_to_printer(document, target)
            finally:
                document.close()
        except PrintError as exc:
            reason = self.tr("打印机“%1”无法打印（%2）").replace("%1", printer)
            return PrintOutcome(
                printed=False,
                printer=printer,
                failed=True,
                message=reason.replace("%2", describe(exc)),
            )
        text = self.tr("已发送到打印机：%1").replace("%1", printer)
        return PrintOutcome(printed=True, printer=printer, message=text)

    def save_instead(
        self, pdf_bytes: bytes, doc_no: str, reprint: int, *, reason: str
    ) -> PrintOutcome:
        """Keep the PDF in the data directory; the outcome's message says where it is."""
        try:
            path = save_pdf(self.data_dir, doc_no, pdf_bytes, reprint=reprint)
        except (OSError, UserError) as exc:
            text = self.tr("文书未能打印，也未能保存：%1").replace("%1", describe(exc))
            return PrintOutcome(printed=False, message=text)
        if reason:
            text = self.tr("%1，文书已保存为PDF：%2").replace("%1", reason)
        elif self.printers():
            text = self.tr("文书已保存为PDF：%2")
        else:
            text = self.tr("未找到可用的打印机，文书已保存为PDF：%2")
        text = text.replace("%2", str(path))
        return PrintOutcome(printed=False, saved_path=path, message=text)
