"""Issuing and printing documents: numbers like case numbers, counted prints and reprints,
SHA-256 of the PDF, an event for each, and refusals that change nothing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import UserError
from app.printing.render import render
from app.printing.samples import demo_receipt, demo_ticket
from app.services.changes import DeskContext, pending_operations
from app.services.documents import (
    MAX_SEQ,
    issue_document,
    next_reprint_number,
    print_records,
    record_print,
    record_print_failure,
    save_pdf,
    sha256_of,
)
from db.engine import Database
from db.models.case import Case
from db.models.document import Document
from db.models.numbering import DailyCounter
from db.models.sync import Event

CTX = DeskContext(window_number=3, clerk_id="c-zhang")
DAY = date(2026, 11, 26)
PDF = b"%PDF-1.4 test document\n%%EOF"


def make_case(session: Session, case_no: str = "22080020261126030012") -> str:
    case = Case(
        case_no=case_no,
        status="accepted",
        decision="accept",
        rule_decision="accept",
        applicant_kind="person",
        applicant_name="王䶮",
        applicant_id_number="220802199003151234",
        applicant_phone="13904361234",
        window_number=3,
        clerk_id="c-zhang",
        received_at=datetime(2026, 11, 26, 1, 32, tzinfo=UTC),
        received_day=DAY,
    )
    session.add(case)
    session.flush()
    return case.id


def events(session: Session, kind: str) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.kind == kind)))


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("receipt", "SL22080020261126030001"),
        ("commitment", "RQ22080020261126030001"),
        ("notice", "GZ22080020261126030001"),
        ("rejection", "BY22080020261126030001"),
    ],
)
def test_document_numbers_follow_the_case_number_scheme(
    db: Database, kind: str, expected: str
) -> None:
    with db.session.begin() as s:
        case_id = make_case(s)
        doc = issue_document(s, CTX, kind, PDF, case_id=case_id, division_code="220800", day=DAY)
        assert doc.doc_no == expected
        assert doc.sha256 == sha256_of(PDF)
        assert (doc.print_count, doc.reprint_count) == (0, 0)
        assert doc.window_number == 3 and doc.clerk_id == "c-zhang"
        (event,) = events(s, "document.issued")
        assert event.entity == "document" and event.entity_id == doc.id
        assert event.data["doc_no"] == expected


def test_sequences_are_per_kind_window_and_day(db: Database) -> None:
    with db.session.begin() as s:
        case_id = make_case(s)

        def issue(kind: str, ctx: DeskContext = CTX, day: date = DAY) -> str:
            return issue_document(
                s, ctx, kind, PDF, case_id=case_id, division_code="220800", day=day
            ).doc_no

        assert issue("receipt") == "SL22080020261126030001"
        assert issue("receipt") == "SL22080020261126030002"
        assert issue("notice") == "GZ22080020261126030001"
        assert issue("receipt", DeskContext(12, "c-li")) == "SL22080020261126120001"
        assert issue("receipt", day=date(2026, 11, 27)) == "SL22080020261127030001"


def test_a_kiosk_ticket_is_numbered_as_window_00(db: Database) -> None:
    with db.session.begin() as s:
        doc = issue_document(
            s,
            DeskContext(None, None),
            "ticket",
            PDF,
            ticket_id="01J0000000000000000000TICK",
            division_code="220800",
            day=DAY,
        )
        assert doc.doc_no == "PH22080020261126000001"
        assert doc.case_id is None and doc.window_number is None


def test_the_pdf_can_be_rendered_with_the_new_number(db: Database) -> None:
    with db.session.begin() as s:
        case_id = make_case(s)
        base = demo_receipt()

        def draw(doc: Document) -> bytes:
            meta = dataclasses.replace(base.meta, doc_no=doc.doc_no)
            return render(dataclasses.replace(base, meta=meta))

        doc = issue_document(
            s, CTX, "receipt", draw, case_id=case_id, division_code="220800", day=DAY
        )
        expected = render(
            dataclasses.replace(base, meta=dataclasses.replace(base.meta, doc_no=doc.doc_no))
        )
        assert doc.sha256 == sha256_of(expected)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "invoice"}, "未知的文书类型"),
        ({"division_code": "2208"}, "6位数字"),
        ({"division_code": "22080A"}, "6位数字"),
        ({"case_id": None}, "必须对应一个办件"),
        ({"kind": "ticket", "case_id": None}, "必须对应一个排队号"),
        ({"pdf": b"<html>"}, "不是PDF"),
    ],
)
def test_bad_requests_are_refused_and_leave_nothing(
    db: Database, kwargs: dict[str, object], message: str
) -> None:
    with db.session.begin() as s:
        case_id = make_case(s)
    args: dict[str, object] = {
        "kind": "receipt",
        "pdf": PDF,
        "case_id": case_id,
        "division_code": "220800",
    }
    args.update(kwargs)
    with pytest.raises(UserError, match=message), db.session.begin() as s:
        issue_document(
            s,
            CTX,
            str(args["kind"]),
            args["pdf"],  # type: ignore[arg-type]
            case_id=args["case_id"],  # type: ignore[arg-type]
            division_code=str(args["division_code"]),
            day=DAY,
        )
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 0
        assert s.scalar(select(func.count()).select_from(DailyCounter)) == 0
        assert not events(s, "document.issued")


def test_numbers_run_out_with_a_message_and_take_nothing(db: Database) -> None:
    with db.session.begin() as s:
        case_id = make_case(s)
        s.add(DailyCounter(scope="doc:receipt:w3", day=DAY, value=MAX_SEQ))
    with pytest.raises(UserError, match="已用完"), db.session.begin() as s:
        issue_document(s, CTX, "receipt", PDF, case_id=case_id, division_code="220800", day=DAY)
    with db.session() as s:
        assert s.scalar(select(DailyCounter.value)) == MAX_SEQ


def test_a_document_must_point_to_an_existing_case(db: Database) -> None:
    with pytest.raises(IntegrityError), db.session.begin() as s:
        issue_document(
            s,
            CTX,
            "receipt",
            PDF,
            case_id="01J00000000000000000NOCASE",
            division_code="220800",
            day=DAY,
        )


def _issued(db: Database) -> str:
    with db.session.begin() as s:
        case_id = make_case(s)
        return issue_document(
            s, CTX, "receipt", PDF, case_id=case_id, division_code="220800", day=DAY
        ).id


def test_prints_and_reprints_are_counted(db: Database) -> None:
    doc_id = _issued(db)
    second = PDF + b"reprint 1"
    with db.session.begin() as s:
        doc = record_print(s, CTX, doc_id, PDF, reprint=False, pdf_path="/tmp/x.pdf")
        assert (doc.print_count, doc.reprint_count) == (1, 0)
        assert doc.printed_at is not None and doc.pdf_path == "/tmp/x.pdf"
        assert next_reprint_number(doc) == 1
    with db.session.begin() as s:
        doc = record_print(s, CTX, doc_id, second, reprint=True)
        assert (doc.print_count, doc.reprint_count) == (2, 1)
        # The original's hash and file stay; the reprint's are in its own record.
        assert doc.sha256 == sha256_of(PDF) and doc.pdf_path == "/tmp/x.pdf"
        assert next_reprint_number(doc) == 2
        records = print_records(s, doc_id)
        assert [(r.reprint, r.outcome, r.sha256) for r in records] == [
            (0, "printed", sha256_of(PDF)),
            (1, "printed", sha256_of(second)),
        ]
    with db.session() as s:
        assert [e.data["print_count"] for e in events(s, "document.printed")] == [1]
        (reprinted,) = events(s, "document.reprinted")
        assert reprinted.data["reprint_count"] == 1
        assert reprinted.data["sha256"] == sha256_of(second)
        ops = pending_operations(s)
        assert "document" in {op.event["entity"] for op in ops}
        assert all(op.state is not None for op in ops)


def test_failed_and_saved_prints_count_nothing(db: Database) -> None:
    """A print the printer refused, or a PDF kept instead, is recorded but not counted: the
    next real paper is still the first print, and the first reprint is still 补打（第1次）."""
    doc_id = _issued(db)
    with db.session.begin() as s:
        record_print_failure(
            s, CTX, doc_id, PDF, reason="打印机“OfficeA4”当前拒绝接收打印任务", printer="OfficeA4"
        )
        record_print_failure(s, CTX, doc_id, PDF, reason="未设置打印机", saved=True)
        doc = s.get(Document, doc_id)
        assert doc is not None
        assert (doc.print_count, doc.reprint_count, doc.printed_at) == (0, 0, None)
        assert next_reprint_number(doc) == 0
    with db.session.begin() as s:
        record_print(s, CTX, doc_id, PDF, reprint=False, printer="OfficeA4", job_id=12)
    with db.session.begin() as s:
        record_print_failure(s, CTX, doc_id, PDF + b"r", reason="x", printer="OfficeA4", job_id=13)
        doc = s.get(Document, doc_id)
        assert doc is not None and next_reprint_number(doc) == 1
        records = print_records(s, doc_id)
        assert [(r.reprint, r.outcome, r.printer, r.job_id) for r in records] == [
            (0, "failed", "OfficeA4", None),
            (0, "saved", None, None),
            (0, "printed", "OfficeA4", "12"),
            (1, "failed", "OfficeA4", "13"),
        ]
        kinds = [e.kind for e in s.scalars(select(Event).order_by(Event.at, Event.id))]
        assert [k for k in kinds if k.startswith("document.print")] == [
            "document.print_failed",
            "document.print_saved",
            "document.printed",
            "document.print_failed",
        ]


@pytest.mark.parametrize(
    ("first_print_done", "reprint", "message"),
    [
        (False, True, "尚未打印过，不能补打"),
        (True, False, "再次打印请使用补打"),
    ],
)
def test_print_kind_must_match_the_history(
    db: Database, first_print_done: bool, reprint: bool, message: str
) -> None:
    doc_id = _issued(db)
    if first_print_done:
        with db.session.begin() as s:
            record_print(s, CTX, doc_id, PDF, reprint=False)
    with db.session() as s:
        before = s.get(Document, doc_id)
        assert before is not None
        counts = (before.print_count, before.reprint_count)
    with pytest.raises(UserError, match=message), db.session.begin() as s:
        record_print(s, CTX, doc_id, PDF, reprint=reprint)
    with db.session() as s:
        after = s.get(Document, doc_id)
        assert after is not None
        assert (after.print_count, after.reprint_count) == counts


def test_unknown_document_is_refused(db: Database) -> None:
    with pytest.raises(UserError, match="文书不存在"), db.session.begin() as s:
        record_print(s, CTX, "01J0000000000000000000NONE", PDF, reprint=False)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=8))
def test_reprints_never_exceed_prints(reprints: list[bool]) -> None:
    from db.engine import open_database

    database = open_database(None)
    try:
        with database.session.begin() as s:
            case_id = make_case(s)
            doc = issue_document(
                s, CTX, "receipt", PDF, case_id=case_id, division_code="220800", day=DAY
            )
            doc_id = doc.id
        done = 0
        for want_reprint in reprints:
            valid = want_reprint == (done > 0)
            try:
                with database.session.begin() as s:
                    record_print(s, CTX, doc_id, PDF, reprint=want_reprint)
                done += 1
                assert valid
            except UserError:
                assert not valid
        with database.session() as s:
            row = s.get(Document, doc_id)
            assert row is not None
            assert row.print_count == done
            assert row.reprint_count == max(done - 1, 0)
    finally:
        database.close()


def test_ticket_document_round_trip(db: Database, tmp_path: Path) -> None:
    pdf = render(demo_ticket())
    with db.session.begin() as s:
        doc = issue_document(
            s,
            DeskContext(None, None),
            "ticket",
            pdf,
            ticket_id="01J0000000000000000000TICK",
            division_code="220800",
            day=DAY,
        )
        path = save_pdf(tmp_path, doc.doc_no, pdf)
        record_print(s, DeskContext(None, None), doc.id, pdf, reprint=False, pdf_path=str(path))
    assert path == tmp_path / "documents" / "2026" / "11" / "PH22080020261126000001.pdf"
    assert path.read_bytes() == pdf


def test_save_pdf_keeps_reprints_apart(tmp_path: Path) -> None:
    first = save_pdf(tmp_path, "SL22080020261126030001", PDF)
    again = save_pdf(tmp_path, "SL22080020261126030001", PDF + b"2", reprint=1)
    assert first != again and first.read_bytes() == PDF
    assert again.name == "SL22080020261126030001-补打1.pdf"
    with pytest.raises(UserError):
        save_pdf(tmp_path, "../../etc/passwd", PDF)
