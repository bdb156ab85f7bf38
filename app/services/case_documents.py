"""The paper of a saved case: from the committed case rows to the printing dataclasses, the
PDFs, and the issued (numbered) document rows.

- accept            -> 受理通知书 (receipt)
- accept with gap   -> 受理通知书 listing the gaps + 容缺受理承诺书 (commitment)
- notify            -> 一次性告知书 (notice): everything still needed, at once
- reject            -> 不予受理通知书 (rejection)

Call `documents_for_case` in a NEW transaction after the one that saved the case committed:
it reads only committed rows, so a document can never show what was not saved. The first
call issues the documents (numbers taken in this transaction); a later call for the same case
is a reprint (补打): the same numbers, the paper marked 补打（第n次）. Each PDF is also kept in
the data directory in use, named once the transaction commits
(app.services.documents.stage_pdf). The caller prints, then counts the print
with `app.services.documents.record_print(..., reprint=bool(doc.reprint))`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import hall_day
from app.errors import UserError
from app.messages import Message, from_stored, label
from app.printing.model import (
    A4Document,
    Applicant,
    Commitment,
    DocumentKind,
    DocumentMeta,
    HallInfo,
    Issuer,
    MaterialForm,
    Notice,
    Receipt,
    ReceivedMaterial,
    Rejection,
)
from app.rules.decision import RECEIVED_STATUSES, DecisionKind, MaterialStatus
from app.services import paper_content as content
from app.services.case_queries import get_case
from app.services.changes import DeskContext
from app.services.documents import (
    StagedPdf,
    data_dir_of,
    issue_document,
    keep_after_commit,
    next_reprint_number,
    stage_pdf,
)
from app.services.hall import hall_info
from app.services.organs import doc_code_for, organs_of, take_file_no
from db.base import utcnow
from db.models.case import Case
from db.models.catalogue import Bundle
from db.models.document import Document
from db.models.hall import Clerk, Hall

KINDS_FOR_DECISION: dict[DecisionKind, tuple[DocumentKind, ...]] = {
    DecisionKind.ACCEPT: ("receipt",),
    DecisionKind.ACCEPT_WITH_GAP: ("receipt", "commitment"),
    DecisionKind.NOTIFY: ("notice",),
    DecisionKind.REJECT: ("rejection",),
}

_RECEIVED_FORM: dict[MaterialStatus, MaterialForm] = {
    MaterialStatus.RECEIVED_ORIGINAL_CHECKED: MaterialForm.ORIGINAL_CHECKED,
    MaterialStatus.RECEIVED_ORIGINAL_KEPT: MaterialForm.ORIGINAL_KEPT,
    MaterialStatus.RECEIVED_COPIES: MaterialForm.COPY,
    MaterialStatus.ELECTRONIC: MaterialForm.ELECTRONIC,
}


@dataclass(frozen=True)
class IssuedDocument:
    """One document of a case, ready to print. `reprint` is 0 for the first print, n for the
    n-th reprint (补打); `document_id` is the Document row to count the print against."""

    kind: DocumentKind
    doc_no: str
    pdf_bytes: bytes
    path: Path
    document_id: str
    reprint: int = 0

    @property
    def title(self) -> Message:
        return DOCUMENT_TITLES[self.kind]


DOCUMENT_TITLES: dict[DocumentKind, Message] = {
    kind: label("document", kind)
    for kind in ("receipt", "commitment", "notice", "rejection", "ticket")
}


# --- from rows to printing values -------------------------------------------------------------


def applicant_of(case: Case) -> Applicant:
    return Applicant(
        kind="org" if case.applicant_kind == "org" else "person",
        name=case.applicant_name,
        id_number=case.applicant_id_number,
        phone=case.applicant_phone,
        agent_name=case.agent_name,
        agent_id_number=case.agent_id_number,
    )


def matter_names(session: Session, case: Case) -> tuple[str, ...]:
    """The matters as the paper lists them; a bundle (一件事) is named first."""
    names = [m.matter_name for m in case.matters]
    if case.bundle_code:
        bundle = session.get(Bundle, case.bundle_code)
        names.insert(0, f"【一件事】{bundle.name if bundle else case.bundle_code}")
    return tuple(names)


def received_materials(case: Case) -> tuple[ReceivedMaterial, ...]:
    """What the counter received when the case was decided. A gap material handed in later
    stays off, so a reprint shows what the first paper showed."""
    out = []
    for m in case.materials:
        status = MaterialStatus(m.status)
        if status not in RECEIVED_STATUSES or m.gap_deadline is not None:
            continue
        form = _RECEIVED_FORM[status]
        if status is MaterialStatus.RECEIVED_COPIES:
            out.append(ReceivedMaterial(m.name, form, max(m.copies_received, 1)))
            continue
        notes = []
        if status is MaterialStatus.RECEIVED_ORIGINAL_CHECKED:
            notes.append("核验后当场退回")
        if m.copies_received:
            notes.append(f"另收复印件{m.copies_received}份")
        if status is MaterialStatus.ELECTRONIC and m.source == "e_licence":
            notes.append("电子证照，已通过数据共享获取")
        out.append(ReceivedMaterial(m.name, form, 1, "，".join(notes)))
    return tuple(out)


def _clerk_name(session: Session, clerk_id: str | None) -> str:
    clerk = session.get(Clerk, clerk_id) if clerk_id else None
    return clerk.name if clerk else (clerk_id or "")


def build_document(
    session: Session,
    case: Case,
    kind: DocumentKind,
    meta: DocumentMeta,
    hall: HallInfo,
) -> A4Document:
    """The printing dataclass of one document of `case`. UserError when the case does not
    carry what the document must show (e.g. a notice with nothing needed)."""
    applicant = applicant_of(case)
    matters = matter_names(session, case)
    if kind in ("receipt", "commitment"):
        if case.accepted_at is None or case.promised_date is None:
            raise UserError("document.case_not_accepted", case=case.case_no)
        gaps = content.gap_materials(session, case)
        if kind == "commitment":
            if not gaps:
                raise UserError("document.no_gaps", case=case.case_no)
            phone, policy, credit = content.gap_terms(case)
            return Commitment(
                hall,
                meta,
                applicant,
                matters,
                gaps,
                case.accepted_at,
                phone=phone or hall.enquiry_phone,
                policy=policy,
                credit_record=credit,
                submit_where=content.submit_where(case, hall),
            )
        return Receipt(
            hall=hall,
            meta=meta,
            applicant=applicant,
            matters=matters,
            received=received_materials(case),
            accepted_at=case.accepted_at,
            promised_date=case.promised_date,
            promised_days=max((m.promised_days for m in case.matters), default=0),
            gaps=gaps,
            basis=content.receipt_basis(case),
            incomplete=content.incomplete_materials(case),
        )
    if kind == "notice":
        needed = content.needed_materials(case)
        if not needed:
            raise UserError("document.nothing_needed", case=case.case_no)
        return Notice(
            hall,
            meta,
            applicant,
            matters,
            received_materials(case),
            needed,
            case.received_at,
            basis=content.notice_basis(case),
            submit_where=content.submit_where(case, hall),
        )
    if kind == "rejection":
        reason = (
            case.reject_reason
            or case.override_reason
            or "；".join(from_stored(r) for r in case.decision_reasons)
        )
        offered, review_body, court = content.remedies(case)
        return Rejection(
            hall,
            meta,
            applicant,
            matters,
            case.received_at,
            reason,
            refer_to=case.refer_to,
            review_body=review_body,
            court=court,
            basis=content.rejection_basis(case),
            remedies=offered,
        )
    raise ValueError(f"not a case document: {kind}")


# --- issuing ------------------------------------------------------------------------------------


def _existing(session: Session, case_id: str) -> dict[str, Document]:
    rows = session.scalars(
        select(Document).where(Document.case_id == case_id).order_by(Document.created_at)
    ).all()
    return {row.kind: row for row in rows}


def documents_for_case(
    session: Session,
    ctx: DeskContext,
    case_id: str,
    *,
    now: datetime | None = None,
    documents_root: Path | None = None,
) -> list[IssuedDocument]:
    """The documents of a saved case (see the module note), rendered and kept as PDF files
    under the data directory `documents_root` (default: the one the session's database is in,
    i.e. the data directory in use). The first call issues them; later calls are reprints with
    the same numbers. Each file gets its name only when the session's transaction commits (a
    rollback leaves none): read `IssuedDocument.path` after the commit."""
    # reportlab (and the fonts) load with the first paper, not with the desk: start-up counts.
    # The desk warms them on a worker once its window is shown (ui/main_window.py).
    from app.printing.render import render

    now = now or utcnow()
    case = get_case(session, case_id)
    hall = hall_info(session)
    kinds = KINDS_FOR_DECISION[DecisionKind(case.decision)]
    existing = _existing(session, case.id)
    root = documents_root or data_dir_of(session)
    issued: list[IssuedDocument] = []
    for kind in kinds:
        doc = existing.get(kind)
        if doc is not None:
            # A reprint changes no row here: `record_print` counts it when it is printed.
            reprint = next_reprint_number(doc)
            pdf = render(
                build_document(session, case, kind, _meta(session, case, doc, now, reprint), hall)
            )
            staged = stage_pdf(root, doc.doc_no, pdf, reprint=reprint)
            keep_after_commit(session, staged)
        else:
            reprint = 0
            drawn: list[tuple[bytes, StagedPdf]] = []

            def draw(
                row: Document,
                kind: DocumentKind = kind,
                drawn: list[tuple[bytes, StagedPdf]] = drawn,
            ) -> bytes:
                # Rendered and staged once the row has its number, before the row is recorded
                # (so the recorded row names its file); the bytes handed to the printer are
                # the bytes whose SHA-256 the row keeps.
                row.file_no = _take_file_no(session, case, row, hall)
                pdf = render(
                    build_document(session, case, kind, _meta(session, case, row, now, 0), hall)
                )
                staged = stage_pdf(root, row.doc_no, pdf)
                keep_after_commit(session, staged)
                row.pdf_path = staged.stored_path
                drawn.append((pdf, staged))
                return pdf

            doc = issue_document(
                session,
                ctx,
                kind,
                draw,
                case_id=case.id,
                division_code=hall.division_code,
                day=hall_day(now),
            )
            pdf, staged = drawn[-1]
        issued.append(IssuedDocument(kind, doc.doc_no, pdf, staged.path, doc.id, reprint))
    return issued


def _departments(case: Case) -> list[str]:
    return [m.department_code for m in case.matters if m.department_code]


def _take_file_no(session: Session, case: Case, doc: Document, hall: HallInfo) -> str:
    """The 文号 of a new paper of `case`, in its lead organ's style."""
    lead = next(iter(_departments(case)), "")
    code = doc_code_for(session, lead, hall.name)
    return take_file_no(session, code, doc.day, doc.window_number or 0)


def issuer_of(session: Session, case: Case, doc: Document, hall_name: str) -> Issuer:
    """The organ(s) that decide the matters of `case`: the paper is issued in their name."""
    names = tuple(name for _code, name in organs_of(session, _departments(case)) if name)
    return Issuer(names or (hall_name,), doc.file_no or "", doc.day)


def _meta(session: Session, case: Case, doc: Document, now: datetime, reprint: int) -> DocumentMeta:
    hall = session.get(Hall, 1)
    return DocumentMeta(
        doc_no=doc.doc_no,
        case_no=case.case_no,
        window_number=doc.window_number or case.window_number or 0,
        clerk_name=_clerk_name(session, doc.clerk_id or case.clerk_id),
        printed_at=now,
        reprint_count=reprint,
        issuer=issuer_of(session, case, doc, hall.name if hall else ""),
    )
