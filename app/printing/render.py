"""One entry point for every document: render(document) -> PDF bytes."""

from __future__ import annotations

from app.printing.commitment import render_commitment
from app.printing.model import (
    Commitment,
    Notice,
    PrintableDocument,
    QueueTicket,
    Receipt,
    Rejection,
)
from app.printing.notice import render_notice
from app.printing.receipt import render_receipt
from app.printing.rejection import render_rejection
from app.printing.ticket import render_ticket


def render(document: PrintableDocument) -> bytes:
    """The PDF of `document` (A4 for the four notices, an 80 mm roll for a queue ticket)."""
    if isinstance(document, Receipt):
        return render_receipt(document)
    if isinstance(document, Commitment):
        return render_commitment(document)
    if isinstance(document, Notice):
        return render_notice(document)
    if isinstance(document, Rejection):
        return render_rejection(document)
    if isinstance(document, QueueTicket):
        return render_ticket(document)
    raise TypeError(f"not a printable document: {type(document).__name__}")
