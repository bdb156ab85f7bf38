"""Issuing and printing documents. A document gets its number inside the caller's transaction,
like a case; each print is counted (a reprint is marked 补打 on the paper and counted apart),
and the SHA-256 of the PDF printed is kept.

The rule "print only what is committed" is kept by the shape of the API: the PDF is rendered
from values read from committed rows (app.printing.model), the document row is issued and
committed, and only then does the desk print and call `record_print`."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.services.changes import DeskContext, record
from app.services.numbering import next_in_sequence
from db.base import utcnow
from db.models.document import DOCUMENT_KINDS, Document
from db.models.numbering import DailyCounter

PREFIXES = {
    "receipt": "SL",  # 受理
    "commitment": "RQ",  # 容缺
    "notice": "GZ",  # 告知
    "rejection": "BY",  # 不予
    "ticket": "PH",  # 排号
}
MAX_SEQ = 9999
_DIVISION = re.compile(r"^\d{6}$")

#: The PDF, or how to render it once the document has its number (the number is printed on it).
PdfSource = bytes | Callable[[Document], bytes]


def sha256_of(pdf_bytes: bytes) -> str:
    return hashlib.sha256(pdf_bytes).hexdigest()


def _scope(kind: str, window: int) -> str:
    return f"doc:{kind}:w{window}"


def _take_doc_no(session: Session, kind: str, division_code: str, window: int, day: date) -> str:
    scope = _scope(kind, window)
    used = session.execute(
        select(DailyCounter.value).where(DailyCounter.scope == scope, DailyCounter.day == day)
    ).scalar_one_or_none()
    if used is not None and used >= MAX_SEQ:
        raise UserError("document.numbers_used_up", window=window, limit=MAX_SEQ)
    seq = next_in_sequence(session, scope, day)
    return f"{PREFIXES[kind]}{division_code}{day:%Y%m%d}{window:02d}{seq:04d}"


def issue_document(
    session: Session,
    ctx: DeskContext,
    kind: str,
    pdf_bytes: PdfSource,
    *,
    case_id: str | None = None,
    ticket_id: str | None = None,
    division_code: str,
    day: date,
    pdf_path: str | None = None,
) -> Document:
    """A new document of `kind`, numbered in the caller's transaction. `pdf_bytes` is the PDF
    or a function that renders it from the new row (whose doc_no it prints); its SHA-256 is
    kept. A ticket printed by a kiosk (no window) is numbered as window 00."""
    if kind not in DOCUMENT_KINDS:
        raise UserError("document.unknown_kind", kind=kind)
    if not _DIVISION.match(division_code):
        raise UserError("document.bad_division", division=division_code)
    if kind == "ticket":
        if ticket_id is None:
            raise UserError("document.ticket_needs_ticket")
    elif case_id is None:
        raise UserError("document.needs_case")
    window = ctx.window_number or 0
    doc = Document(
        case_id=case_id,
        ticket_id=ticket_id,
        kind=kind,
        doc_no=_take_doc_no(session, kind, division_code, window, day),
        day=day,
        window_number=ctx.window_number,
        clerk_id=ctx.clerk_id,
        pdf_path=pdf_path,
    )
    session.add(doc)
    session.flush()
    pdf = pdf_bytes(doc) if callable(pdf_bytes) else pdf_bytes
    if not pdf.startswith(b"%PDF"):
        raise UserError("document.not_pdf")
    doc.sha256 = sha256_of(pdf)
    record(
        session,
        ctx,
        doc,
        "document.issued",
        {"kind": kind, "doc_no": doc.doc_no, "case_id": case_id, "ticket_id": ticket_id},
    )
    return doc


def record_print(
    session: Session,
    ctx: DeskContext,
    document_id: str,
    pdf_bytes: bytes,
    reprint: bool,
    *,
    pdf_path: str | None = None,
) -> Document:
    """Count one print of the document (after it came out of the printer or was saved). The
    first print is not a reprint; every later one is, and its paper says 补打（第n次）."""
    doc = session.get(Document, document_id)
    if doc is None:
        raise UserError("document.not_found")
    if reprint and doc.print_count == 0:
        raise UserError("document.never_printed", doc_no=doc.doc_no)
    if not reprint and doc.print_count > 0:
        raise UserError("document.already_printed", doc_no=doc.doc_no)
    if not pdf_bytes.startswith(b"%PDF"):
        raise UserError("document.print_not_pdf")
    doc.print_count += 1
    if reprint:
        doc.reprint_count += 1
    doc.printed_at = utcnow()
    doc.sha256 = sha256_of(pdf_bytes)
    if pdf_path is not None:
        doc.pdf_path = pdf_path
    record(
        session,
        ctx,
        doc,
        "document.reprinted" if reprint else "document.printed",
        {
            "doc_no": doc.doc_no,
            "print_count": doc.print_count,
            "reprint_count": doc.reprint_count,
            "sha256": doc.sha256,
        },
    )
    return doc


def next_reprint_number(doc: Document) -> int:
    """The n of 补打（第n次） for the next print of `doc`: 0 while it was never printed."""
    return doc.reprint_count + 1 if doc.print_count else 0


def documents_dir(data_dir: Path) -> Path:
    return data_dir / "documents"


def save_pdf(data_dir: Path, doc_no: str, pdf_bytes: bytes, *, reprint: int = 0) -> Path:
    """Keep a PDF under the data directory's documents/ folder, by month; a reprint gets its own
    file so the first print is never overwritten."""
    if not re.fullmatch(r"[A-Z]{2}\d{6}(\d{8})\d{6}", doc_no):
        raise UserError("document.bad_number", doc_no=doc_no)
    ymd = doc_no[8:16]
    folder = documents_dir(data_dir) / ymd[:4] / ymd[4:6]
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{doc_no}-补打{reprint}.pdf" if reprint else f"{doc_no}.pdf"
    path = folder / name
    tmp = path.with_suffix(".part")
    tmp.write_bytes(pdf_bytes)
    tmp.replace(path)
    return path
