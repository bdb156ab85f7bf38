"""The paper ticket (排号票) a kiosk or a desk prints, in three steps that each stand alone:

1. `issue_slip`: in one short write, the slip gets its document number (PH…) and what it will
   show is read from the committed ticket. Nothing is rendered here: the write lock is held
   for a few rows, never for a PDF.
2. `render_slip`: the PDF, made outside any transaction (on a worker).
3. `slip_printed`: in a second short write, the print is counted, and only once the printer
   has taken it.

A crash or a failure between the steps loses nothing and counts nothing: the ticket stays
issued, its document stays numbered with no print counted, and `issue_slip` again gives the
same number to print it later (a slip already printed comes out marked 补打).

Also: recognising an elderly applicant by the ID number, so a kiosk can give them a priority
ticket without asking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.printing.model import QueueTicket
from app.printing.ticket import render_ticket
from app.queue.board import waiting_ahead
from app.queue.tickets import get_ticket
from app.services.changes import DeskContext
from app.services.documents import (
    issue_document,
    next_reprint_number,
    record_print,
    record_print_failure,
)
from app.services.hall import hall_info
from db.models.document import Document
from db.models.hall import Line

ELDERLY_AGE = 60
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


@dataclass(frozen=True)
class TicketSlip:
    """A numbered slip, ready to render: plain values, no session."""

    document_id: str
    doc_no: str
    paper: QueueTicket  # what the slip shows, its document number included
    reprint: int = 0  # 0 for the first print, n for the n-th reprint (补打)

    @property
    def waiting_ahead(self) -> int:
        return self.paper.waiting_ahead


def issue_slip(session: Session, ctx: DeskContext, ticket_id: str) -> TicketSlip:
    """The ticket's slip, numbered in the caller's (short) transaction: a new document the
    first time, the same one again after a print that did not happen (or to reprint it).
    Only a waiting ticket gets a slip. Render it with `render_slip` after the commit."""
    ticket = get_ticket(session, ticket_id)
    if ticket.status != "waiting":
        raise UserError("queue.slip_not_waiting", number=ticket.number)
    hall = hall_info(session)
    document = session.scalars(
        select(Document)
        .where(Document.ticket_id == ticket.id, Document.kind == "ticket")
        .order_by(Document.doc_no)
        .limit(1)
    ).first()
    if document is None:
        document = issue_document(
            session,
            ctx,
            "ticket",
            None,  # rendered after the commit; its SHA-256 is kept when the print is counted
            ticket_id=ticket.id,
            division_code=hall.division_code,
            day=ticket.day,
        )
    reprint = next_reprint_number(document)
    line = session.get(Line, ticket.line_code)
    paper = QueueTicket(
        hall=hall,
        ticket_no=ticket.number,
        business_line=line.name if line is not None else ticket.line_code,
        waiting_ahead=waiting_ahead(session, ticket),
        issued_at=ticket.issued_at,
        offline=ticket.offline,
        reprint_count=reprint,
        doc_no=document.doc_no,
    )
    return TicketSlip(document.id, document.doc_no, paper, reprint)


def render_slip(slip: TicketSlip) -> bytes:
    """The slip's PDF (80 mm roll). Needs no session: call it outside any transaction."""
    return render_ticket(slip.paper)


def slip_printed(
    session: Session,
    ctx: DeskContext,
    slip: TicketSlip,
    pdf: bytes,
    *,
    printer: str | None = None,
    job_id: int | None = None,
) -> None:
    """Count the slip's print, once the print system completed its job (a PDF only saved is
    no print)."""
    record_print(
        session,
        ctx,
        slip.document_id,
        pdf,
        reprint=slip.reprint > 0,
        printer=printer,
        job_id=job_id,
    )


def slip_not_printed(
    session: Session,
    ctx: DeskContext,
    slip: TicketSlip,
    pdf: bytes,
    *,
    reason: str,
    saved_path: str | None = None,
    printer: str | None = None,
    job_id: int | None = None,
) -> None:
    """Record a slip that did not come out (refused, cancelled after waiting, no printer and
    only saved): its own print record; nothing counted."""
    record_print_failure(
        session,
        ctx,
        slip.document_id,
        pdf,
        reason=reason,
        saved=saved_path is not None and printer is None,
        pdf_path=saved_path,
        printer=printer,
        job_id=job_id,
    )


def valid_resident_id(id_number: str) -> bool:
    """An 18-character resident ID number with a correct GB 11643 check character."""
    if len(id_number) != 18 or not id_number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(id_number[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == id_number[17].upper()


def is_elderly(id_number: str | None, today: date) -> bool:
    """True when a valid resident ID number shows the holder is 60 or older today."""
    if not id_number or not valid_resident_id(id_number):
        return False
    try:
        born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return False
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return age >= ELDERLY_AGE
