"""One entry point for every document: render(document) -> PDF bytes."""

from __future__ import annotations

import dataclasses

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


#: The made-up case of the warm-up paper (not a hall's number: 9999 is no county's code).
WARM_UP_CASE_NO = "99990020990101000001"


def warm_up() -> bytes:
    """Register the main font, read each font's glyph coverage and make a throwaway receipt
    of a made-up case (never printed or kept; returned), so that what a session does once
    (styles' fragments, the code encoders, the PDF writer's first run) is done before the
    clerk's first paper: on a worker, after the window shows (ui/main_window.py)."""
    from app.printing.fonts import missing_glyphs, register_fonts
    from app.printing.samples import demo_receipt

    register_fonts()
    missing_glyphs("")  # each font's glyph coverage, cached
    sample = demo_receipt()
    meta = dataclasses.replace(sample.meta, case_no=WARM_UP_CASE_NO, doc_no=f"SL{WARM_UP_CASE_NO}")
    applicant = dataclasses.replace(sample.applicant, name="张三")
    return render(dataclasses.replace(sample, meta=meta, applicant=applicant))
