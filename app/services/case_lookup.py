"""Finding the case an applicant comes back for (补齐 / 补正) by whatever they bring: any number
on its papers (a document number such as SL…, the case number, the QR code's address as a
scanner types it), or the applicant's ID number or phone, or a name. Each through an index."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import hall_day
from app.services.case_queries import CaseSummary, find_cases, summaries_of
from app.services.documents import PREFIXES
from db.base import utcnow
from db.models.document import Document

#: A document issued for a case: its kind's prefix, then 20 digits (division, day, window,
#: number). The ticket (PH) belongs to no case.
DOC_NO = re.compile("(?:" + "|".join(p for k, p in PREFIXES.items() if k != "ticket") + r")\d{20}")
#: The case number (20 digits) inside the query address the papers' QR code holds.
CASE_NO_IN_ADDRESS = re.compile(r"(?<!\d)\d{20}(?!\d)")


def find_for_supplement(
    session: Session, query: str, today: date | None = None
) -> list[CaseSummary]:
    """The cases `query` names, as `find_cases` finds them, and also by a document number (the
    case it was issued for, through the document's unique number) and by the QR code's address
    (the case number in it). A scanner behind a Chinese input method types full-width
    characters: they count as their ASCII forms. An address without a case number, or an
    unknown document number, finds nothing."""
    text = unicodedata.normalize("NFKC", query).strip()
    compact = "".join(text.split()).upper()
    if not compact:
        return []
    if DOC_NO.fullmatch(compact):
        case_id = session.scalar(select(Document.case_id).where(Document.doc_no == compact))
        return summaries_of(session, [case_id], today or hall_day(utcnow())) if case_id else []
    if "://" in compact or "?" in compact or "/" in compact:
        found = CASE_NO_IN_ADDRESS.search(compact)
        return find_cases(session, found.group(0), today) if found else []
    return find_cases(session, text, today)
