"""Documents issued at a window (受理通知书, 容缺承诺书, 一次性告知书, 不予受理通知书, 排队票):
their number, who issued them, and how often they were printed. The PDF itself is rendered
from committed rows (app.printing); the row keeps the SHA-256 of the last PDF printed, so a
reprint can be checked against what the applicant was handed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, DeskRow

DOCUMENT_KINDS = ("receipt", "commitment", "notice", "rejection", "ticket")


class Document(DeskRow, Base):
    __tablename__ = "document"
    case_id: Mapped[str | None] = mapped_column(ForeignKey("case.id"), index=True)
    # A plain column: a ticket may have been issued by a kiosk whose row this desk has not
    # received yet.
    ticket_id: Mapped[str | None] = mapped_column(String(26), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    # {prefix}{division_code}{yyyymmdd}{window:02d}{seq:04d}: see app.services.documents.
    doc_no: Mapped[str] = mapped_column(String(32), unique=True)
    day: Mapped[date]
    window_number: Mapped[int | None]
    clerk_id: Mapped[str | None] = mapped_column(String(40))
    printed_at: Mapped[datetime | None]
    print_count: Mapped[int] = mapped_column(default=0)
    reprint_count: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str | None] = mapped_column(String(64))
    # The PDF kept, relative to the data directory ("documents/2026/11/SL….pdf"); rows written
    # by release 0.1.0 hold an absolute path. See app.services.documents.resolve_pdf_path.
    pdf_path: Mapped[str | None] = mapped_column(Text)
    # The 文号 printed on the paper (白市监受〔2026〕12号): the issuing organ's 机关代字 and its
    # yearly number; None for a ticket and for rows written before release 0.3.
    file_no: Mapped[str | None] = mapped_column(String(60))

    __table_args__ = (
        CheckConstraint(f"kind IN ({', '.join(repr(k) for k in DOCUMENT_KINDS)})", name="kind"),
        CheckConstraint("print_count >= 0 AND reprint_count >= 0", name="counts"),
        CheckConstraint("reprint_count <= print_count", name="reprints_are_prints"),
    )


PRINT_OUTCOMES = ("printed", "failed", "saved")


class PrintRecord(DeskRow, Base):
    """One print or reprint of a document, whatever its outcome: when (created_at), on which
    printer, which print job, and how it ended — `printed` (the print system completed the
    job: the only outcome that counts), `failed` (refused, stuck and cancelled, lost; `reason`
    says why) or `saved` (no printer: the PDF kept instead). Each keeps the SHA-256 and the
    file of the PDF it sent, so the document's own (the original's) are never overwritten."""

    __tablename__ = "print_record"
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"), index=True)
    # 0 for the first print, n for 补打（第n次）: the number on the paper sent.
    reprint: Mapped[int] = mapped_column(default=0)
    outcome: Mapped[str] = mapped_column(String(8))
    printer: Mapped[str | None] = mapped_column(String(200))
    job_id: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    pdf_path: Mapped[str | None] = mapped_column(Text)
    window_number: Mapped[int | None]
    clerk_id: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (
        CheckConstraint(
            f"outcome IN ({', '.join(repr(k) for k in PRINT_OUTCOMES)})", name="outcome"
        ),
        CheckConstraint("reprint >= 0", name="reprint"),
    )
