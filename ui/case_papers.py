"""The papers of a case through the printing UI: each document previewed or printed in turn;
every paper that came out counted on its document row (补打 after the first), every print
that failed or was only saved as a PDF recorded, not counted."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from app.services.case_documents import IssuedDocument
from app.services.changes import DeskContext
from app.services.desk_queries import Session
from app.services.documents import record_print, record_print_failure
from db.engine import Database
from ui.messages import describe
from ui.operations import DOCUMENTS, operations_for
from ui.printing import PrintOutcome, PrintService


def print_case_documents(
    parent: QWidget,
    service: PrintService,
    database: Database,
    ctx: DeskContext,
    documents: Sequence[IssuedDocument],
    on_done: Callable[[list[PrintOutcome]], object] | None = None,
    *,
    direct: bool = False,
) -> None:
    """Each document through the printing UI, one after the other (preview, printer, or the
    saved PDF when there is no printer), the slow part on the printer's worker; every print or
    save is counted on its document row (补打 after the first), on the database's worker.
    Returns at once; `on_done(outcomes)` follows when the last document is done (nothing more
    happens once `parent` is closed). `direct`: each paper straight to the printer remembered
    for it, the preview only where none is (PrintService.print_document)."""
    ops = operations_for(database)
    waiting = list(documents)
    outcomes: list[PrintOutcome] = []

    def next_document() -> None:
        if not shiboken6.isValid(parent):
            return
        if not waiting:
            if on_done is not None:
                on_done(outcomes)
            return
        doc = waiting.pop(0)
        service.print_document(
            doc.pdf_bytes,
            doc.kind,
            doc.doc_no,
            title=doc.title,
            reprint=doc.reprint,
            parent=parent,
            on_done=partial(printed, doc),
            direct=direct,
        )

    def printed(doc: IssuedDocument, outcome: PrintOutcome) -> None:
        outcomes.append(outcome)
        # Only a paper that came out is counted; a failed print or a PDF kept instead is
        # recorded as such (the next real paper is still the first, or the same 补打).
        if outcome.printed:
            ops.write(
                partial(_count_print, ctx=ctx, doc=doc, out=outcome),
                changes={DOCUMENTS},
                on_failed=partial(_not_counted, service, doc.doc_no),
            )
        elif outcome.failed or outcome.saved_path is not None:
            ops.write(
                partial(_record_not_printed, ctx=ctx, doc=doc, out=outcome), changes={DOCUMENTS}
            )
        next_document()

    next_document()


def _not_counted(service: PrintService, doc_no: str, exc: BaseException) -> None:
    # The paper is out; only its count failed. Say so; the rest goes on.
    service.message.emit(
        QCoreApplication.translate("CasePanel", "%1 已打印，但未能记录：%2")
        .replace("%1", doc_no)
        .replace("%2", describe(exc))
    )


def _count_print(s: Session, ctx: DeskContext, doc: IssuedDocument, out: PrintOutcome) -> None:
    record_print(
        s,
        ctx,
        doc.document_id,
        doc.pdf_bytes,
        reprint=doc.reprint > 0,
        pdf_path=str(out.saved_path or doc.path),
        printer=out.printer,
        job_id=out.job_id,
    )


def _record_not_printed(
    s: Session, ctx: DeskContext, doc: IssuedDocument, out: PrintOutcome
) -> None:
    record_print_failure(
        s,
        ctx,
        doc.document_id,
        doc.pdf_bytes,
        reason=out.message,
        saved=not out.failed,
        pdf_path=None if out.saved_path is None else str(out.saved_path),
        printer=out.printer,
        job_id=out.job_id,
    )
