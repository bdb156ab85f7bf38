"""Issue 9, 10: the applicant who comes back is found by any number on the papers (document
number, case number, the QR code's address as a scanner types it), by ID number or phone."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.services.case_lookup import find_for_supplement
from app.services.documents import issue_document
from app.services.intake import save_case
from db.engine import Database
from db.models.case import Case
from tests.test_cases_support import ALL_IN, CTX, NOW, ORG, PERSON, TODAY, seed

ADDRESS = "https://zwfw.example.gov.cn/bjcx?caseNo={case_no}&from=qr"


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as s:
        seed(s)
        s.commit()
        yield s


@pytest.fixture
def cases(session: Session) -> dict[str, str]:
    person = save_case(
        session,
        CTX,
        applicant=PERSON,
        matter_codes=["FOOD"],
        entries=ALL_IN,
        commitment_signed=False,
        now=NOW,
    ).case_id
    org = save_case(
        session,
        CTX,
        applicant=ORG,
        matter_codes=["FOOD"],
        entries=ALL_IN,
        commitment_signed=False,
        now=NOW,
    ).case_id
    receipt = issue_document(
        session, CTX, "receipt", b"%PDF-1.4", case_id=person, division_code="220800", day=TODAY
    )
    session.commit()
    case_no = session.get(Case, person).case_no  # type: ignore[union-attr]
    return {"person": person, "org": org, "doc_no": receipt.doc_no, "case_no": case_no}


def found(session: Session, query: str) -> list[str]:
    return [c.id for c in find_for_supplement(session, query, TODAY)]


def full_width(text: str) -> str:
    """What a scanner types behind a Chinese input method in full-width mode."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_by_the_document_number(session: Session, cases: dict[str, str]) -> None:
    assert cases["doc_no"].startswith("SL")
    assert found(session, cases["doc_no"]) == [cases["person"]]
    assert found(session, cases["doc_no"].lower()) == [cases["person"]]
    assert found(session, full_width(cases["doc_no"])) == [cases["person"]]
    assert found(session, "GZ" + cases["doc_no"][2:]) == []  # no such document


def test_by_the_case_number(session: Session, cases: dict[str, str]) -> None:
    assert found(session, cases["case_no"]) == [cases["person"]]


def test_by_the_qr_codes_address(session: Session, cases: dict[str, str]) -> None:
    address = ADDRESS.format(case_no=cases["case_no"])
    assert found(session, address) == [cases["person"]]
    assert found(session, full_width(address)) == [cases["person"]]
    assert unicodedata.normalize("NFKC", full_width(address)) == address
    assert found(session, "https://zwfw.example.gov.cn/bjcx?caseNo=&from=qr") == []


def test_by_id_number_and_phone(session: Session, cases: dict[str, str]) -> None:
    assert found(session, PERSON.id_number.lower()) == [cases["person"]]
    assert found(session, PERSON.phone) == [cases["person"]]
    assert found(session, ORG.phone) == [cases["org"]]  # 0436-3212345, as written
    assert found(session, "3212345") == [cases["org"]]
    assert found(session, "  ") == []


def test_each_form_through_an_index(session: Session, cases: dict[str, str]) -> None:
    address = ADDRESS.format(case_no=cases["case_no"])
    statements: list[tuple[str, object]] = []
    conn = session.connection()

    def capture(_c: object, _cur: object, sql: str, params: object, *_r: object) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            statements.append((sql, params))

    for query in (cases["doc_no"], address, ORG.phone, PERSON.phone):
        statements.clear()
        event.listen(conn.engine, "before_cursor_execute", capture)
        try:
            assert found(session, query)
        finally:
            event.remove(conn.engine, "before_cursor_execute", capture)
        for sql, params in statements:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()  # type: ignore[arg-type]
            scans = [r[3] for r in plan if r[3].startswith("SCAN") and "USING" not in r[3]]
            tables = [
                s for s in scans if not any(w in s for w in ("holiday", "VIRTUAL", "subquery"))
            ]
            assert not tables, (query, sql)
