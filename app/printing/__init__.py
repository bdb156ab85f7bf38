"""Paper: the acceptance receipt, the gap commitment, the one-time notification slip, the
rejection notice and the queue ticket, rendered to PDF with reportlab from plain values."""

from app.printing.model import DOCUMENT_KINDS, DocumentKind, PrintableDocument, kind_of
from app.printing.render import render

__all__ = ["DOCUMENT_KINDS", "DocumentKind", "PrintableDocument", "kind_of", "render"]
