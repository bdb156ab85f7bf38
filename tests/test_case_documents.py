"""From a saved case to its paper: which documents, what they show, their numbers and files,
and a reprint (补打) with the same numbers."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.catalogue.importer import import_demo_if_empty
from app.errors import UserError
from app.rules.decision import DecisionKind, MaterialEntry, MaterialStatus, Override
from app.services.applicant import ApplicantData
from app.services.case_documents import IssuedDocument, documents_for_case
from app.services.changes import DeskContext, pending_operations
from app.services.documents import record_print
from app.services.hall import ensure_demo_hall, set_desk
from app.services.intake import SavedCase, save_case
from db.engine import Database
from db.models.document import Document
from tests.test_cases_support import MANAGER_PIN, give_pin

S = MaterialStatus
CTX = DeskContext(1, "BC0101")
# 2026-11-26 10:00 in Baicheng
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
PERSON = ApplicantData("person", "王䶮", "11010519491231002X", "13912345678")

ID_RENEWAL = "11220800013546813E-000-220800-03"  # 居民身份证换领: 3 required materials
ID_RENEWAL_MATERIALS = ("居民户口簿", "申请人居民身份证", "居民身份证相片采集回执")
PENSION_TRANSFER = "11220800013549174M-000-220800-06"  # 参保缴费凭证 may be a gap
ALL_IN = {
    "HKB": MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED),
    "SQRSFZ": MaterialEntry(S.ELECTRONIC),
    "ZPCJ": MaterialEntry(S.ELECTRONIC),
}


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as s:
        import_demo_if_empty(s)
        ensure_demo_hall(s)
        give_pin(s, "BC0201")
        set_desk(s, 1, "BC0101")
        s.commit()
        yield s


def saved(session: Session, **kw: object) -> SavedCase:
    args: dict[str, object] = {
        "applicant": PERSON,
        "matter_codes": [ID_RENEWAL],
        "entries": ALL_IN,
        "commitment_signed": False,
        "now": NOW,
    }
    args.update(kw)
    case = save_case(session, CTX, **args)  # type: ignore[arg-type]
    session.commit()
    return case


def text_of(pdf: bytes) -> str:
    """The document's text without line breaks and spaces, so a wrapped cell reads whole."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "".join("".join((page.extract_text() or "").split()) for page in doc.pages)


def cell_texts(pdf: bytes) -> list[str]:
    """The text of every table cell of the first page, its lines joined."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        tables = doc.pages[0].extract_tables()
    return ["".join((cell or "").split()) for table in tables for row in table for cell in row]


def issue(session: Session, case_id: str, root: Path) -> list[IssuedDocument]:
    docs = documents_for_case(session, CTX, case_id, now=NOW, documents_root=root)
    session.commit()
    return docs


def test_accepted_case_gets_a_receipt_with_everything(session: Session, tmp_path: Path) -> None:
    case = saved(session)
    docs = issue(session, case.case_id, tmp_path)
    assert [d.kind for d in docs] == ["receipt"]
    receipt = docs[0]
    text = text_of(receipt.pdf_bytes)
    assert case.case_no in text
    assert "王䶮" in text
    assert "居民身份证换领" in text
    for name in ID_RENEWAL_MATERIALS:
        assert name in text
    assert receipt.doc_no in text
    assert "李晓梅" in text  # the clerk who issued it
    # numbered, hashed and kept as a file
    row = session.get(Document, receipt.document_id)
    assert row is not None and row.doc_no == receipt.doc_no and row.case_id == case.case_id
    assert row.sha256 == hashlib.sha256(receipt.pdf_bytes).hexdigest()
    assert receipt.path.read_bytes() == receipt.pdf_bytes
    assert receipt.path.is_relative_to(tmp_path / "documents")
    # kept relative to the data directory, so no home folder travels with it
    assert row.pdf_path == receipt.path.relative_to(tmp_path).as_posix()
    # the change travels with its file name and hash, as recorded in the same transaction
    (synced,) = [
        op.state
        for op in pending_operations(session)
        if (op.event["entity"], op.event["entity_id"]) == ("document", row.id)
    ]
    assert synced is not None
    assert synced["pdf_path"] == row.pdf_path
    assert synced["sha256"] == row.sha256


def test_default_location_is_the_data_dir_in_use(
    session: Session, db: Database, _isolated_data_dir: Path
) -> None:
    # The data directory in use is the database's folder, not $ONEWINDOW_DATA_DIR or the
    # platform's default.
    assert db.path is not None
    case = saved(session)
    docs = documents_for_case(session, CTX, case.case_id, now=NOW)
    session.commit()
    assert docs[0].path.is_relative_to(db.path.parent / "documents")
    assert docs[0].path.read_bytes() == docs[0].pdf_bytes
    assert not _isolated_data_dir.exists()


def test_gap_case_gets_receipt_and_commitment(session: Session, tmp_path: Path) -> None:
    case = saved(
        session,
        matter_codes=[PENSION_TRANSFER],
        commitment_signed=True,
        entries={
            "ZYSQ": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT, copies=1),
            "SQRSFZ": MaterialEntry(S.ELECTRONIC),
            "CBJFPZ": MaterialEntry(S.TOLERATED),
        },
    )
    docs = issue(session, case.case_id, tmp_path)
    assert [d.kind for d in docs] == ["receipt", "commitment"]
    receipt, commitment = (text_of(d.pdf_bytes) for d in docs)
    for text in (receipt, commitment):
        assert case.case_no in text and "王䶮" in text and "参保缴费凭证" in text
    assert "基本养老保险关系转移接续申请表" in receipt
    gap = case.decision.gaps[0]
    assert f"{gap.deadline:%Y}" in commitment
    assert docs[0].doc_no != docs[1].doc_no


def test_notified_case_gets_a_notice_listing_everything_needed(
    session: Session, tmp_path: Path
) -> None:
    case = saved(
        session,
        entries={
            "HKB": MaterialEntry(S.MISSING),
            "SQRSFZ": MaterialEntry(S.DEFECTIVE, defect_reason="证件已过期"),
            "ZPCJ": MaterialEntry(S.ELECTRONIC),
        },
    )
    docs = issue(session, case.case_id, tmp_path)
    assert [d.kind for d in docs] == ["notice"]
    text = text_of(docs[0].pdf_bytes)
    assert case.case_no in text and "王䶮" in text
    for name in ID_RENEWAL_MATERIALS:  # the needed ones and the one received
        assert name in text
    assert "证件已过期" in text
    # how to obtain the missing one, in its cell (a cell's lines interleave with the row's)
    assert any("由户籍所在地公安派出所签发" in c for c in cell_texts(docs[0].pdf_bytes))


def test_rejected_case_gets_a_rejection_with_the_reason(session: Session, tmp_path: Path) -> None:
    case = saved(
        session, reject_reason="该事项由省公安厅办理，请到省级大厅申请", refer_to="吉林省公安厅"
    )
    docs = issue(session, case.case_id, tmp_path)
    assert [d.kind for d in docs] == ["rejection"]
    text = text_of(docs[0].pdf_bytes)
    assert case.case_no in text and "王䶮" in text and "由省公安厅办理" in text


def test_reprint_keeps_the_numbers_and_is_marked(session: Session, tmp_path: Path) -> None:
    case = saved(session)
    first = issue(session, case.case_id, tmp_path)[0]
    record_print(session, CTX, first.document_id, first.pdf_bytes, reprint=False)
    session.commit()
    again = issue(session, case.case_id, tmp_path)[0]
    assert (again.doc_no, again.document_id, again.reprint) == (first.doc_no, first.document_id, 1)
    text = text_of(again.pdf_bytes)
    assert "补打" in text and case.case_no in text
    assert again.path != first.path and first.path.read_bytes() == first.pdf_bytes
    assert session.scalar(select(func.count()).select_from(Document)) == 1


def test_unknown_case_is_a_clear_error(session: Session, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="办件不存在"):
        documents_for_case(session, CTX, "22080020261126019999", documents_root=tmp_path)


def test_override_to_notice_without_anything_needed_is_refused(
    session: Session, tmp_path: Path
) -> None:
    # A manager turned an all-present case into a notification: nothing to list, no slip.
    case = saved(
        session,
        override=Override(
            DecisionKind.NOTIFY,
            "申请人要求补充说明材料",
            "BC0201",
            MANAGER_PIN,
        ),
    )
    with pytest.raises(UserError, match="没有需要补正的材料"):
        documents_for_case(session, CTX, case.case_id, now=NOW, documents_root=tmp_path)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Document)) == 0
