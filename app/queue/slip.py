"""The paper ticket (排号票) a kiosk or a desk prints: issued as a numbered document (PH…) in
the caller's transaction, rendered by app.printing from the committed ticket, and counted once
it has come out of the printer. Also: recognising an elderly applicant by the ID number, so a
kiosk can give them a priority ticket without asking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.errors import UserError
from app.printing.model import QueueTicket
from app.printing.ticket import render_ticket
from app.queue.board import waiting_ahead
from app.queue.tickets import get_ticket
from app.services.changes import DeskContext
from app.services.documents import issue_document, record_print
from app.services.hall import hall_info
from db.models.hall import Line

ELDERLY_AGE = 60
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


@dataclass(frozen=True)
class TicketSlip:
    document_id: str
    doc_no: str
    pdf: bytes
    waiting_ahead: int


def issue_slip(session: Session, ctx: DeskContext, ticket_id: str) -> TicketSlip:
    """Number the ticket's slip and render it. Commit before printing: only what is saved is
    ever printed."""
    ticket = get_ticket(session, ticket_id)
    if ticket.status != "waiting":
        raise UserError("queue.slip_not_waiting", number=ticket.number)
    hall = hall_info(session)
    line = session.get(Line, ticket.line_code)
    ahead = waiting_ahead(session, ticket)
    rendered: list[bytes] = []

    def render(document: object) -> bytes:
        pdf = render_ticket(
            QueueTicket(
                hall=hall,
                ticket_no=ticket.number,
                business_line=line.name if line is not None else ticket.line_code,
                waiting_ahead=ahead,
                issued_at=ticket.issued_at,
                offline=ticket.offline,
                doc_no=str(getattr(document, "doc_no", "")),
            )
        )
        rendered.append(pdf)
        return pdf

    document = issue_document(
        session,
        ctx,
        "ticket",
        render,
        ticket_id=ticket.id,
        division_code=hall.division_code,
        day=ticket.day,
    )
    return TicketSlip(document.id, document.doc_no, rendered[0], ahead)


def slip_printed(session: Session, ctx: DeskContext, slip: TicketSlip) -> None:
    """Count the slip's first print (after the printer took it, or it was saved as PDF)."""
    record_print(session, ctx, slip.document_id, slip.pdf, reprint=False)


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
