"""The printers of a CUPS server as the desk sees them: their names, each one's state and
papers, and a PDF printed on one of them as it is (app.printing.spool follows the job to its
end). Used by ui.printing.PrintService on Linux with CUPS."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.printing import spool
from ui.print_dialogs import PrinterStatus


class CupsPrinters:
    """The printers of a CUPS server (the machine's own unless `server` is given) and the way
    the desk prints on them: the PDF as it is, the job followed to its end."""

    def __init__(self, server: str | None = None) -> None:
        self.server = server

    def names(self) -> list[str]:
        try:
            return spool.printer_names(self.server)
        except spool.PrintFailure:
            return []

    def default(self) -> str | None:
        try:
            return spool.default_printer(self.server)
        except spool.PrintFailure:
            return None

    def status(self, name: str) -> PrinterStatus:
        try:
            queue = spool.queue_state(name, self.server)
        except spool.PrintFailure:
            unavailable = QCoreApplication.translate("PrintService", "不可用")
            return PrinterStatus(name, unavailable, False)
        if not queue.accepting:
            state = QCoreApplication.translate("PrintService", "拒绝任务")
        elif queue.paused:
            state = QCoreApplication.translate("PrintService", "已暂停")
        elif queue.message:
            state = QCoreApplication.translate("PrintService", "有故障")
        else:
            state = QCoreApplication.translate("PrintService", "就绪")
        ready = queue.problem() is None and not queue.message
        return PrinterStatus(name, state, ready, queue.papers)

    def print_pdf(
        self, pdf: bytes, name: str, *, title: str, any_paper: bool, cancel_after: float
    ) -> spool.Printed:
        return spool.print_pdf(
            pdf,
            name,
            title=title,
            server=self.server,
            any_paper=any_paper,
            cancel_after=cancel_after,
        )
