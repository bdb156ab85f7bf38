"""The case list as a bounded worklist, paged; finding cases through indexes; handing over."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.services.aftercare import hand_over, restart_from_notice, transition
from app.services.case_queries import find_cases, list_cases
from app.services.intake import save_case
from db.engine import Database
from db.models.case import Case
from db.models.sync import Event
from tests.test_cases_support import ALL_IN, CTX, NOW, ORG, PERSON, TODAY, counts, seed


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as s:
        seed(s)
        s.commit()
        yield s


def save(session: Session, **kwargs: object) -> str:
    args: dict[str, object] = {
        "applicant": PERSON,
        "matter_codes": ["FOOD"],
        "entries": ALL_IN,
        "commitment_signed": False,
        "now": NOW,
    }
    args.update(kwargs)
    return save_case(session, CTX, **args).case_id  # type: ignore[arg-type]


def test_pages_through_the_worklist(session: Session) -> None:
    ids = [save(session, now=NOW + timedelta(minutes=i)) for i in range(7)]
    session.commit()
    first = list_cases(session, today=TODAY, limit=3)
    assert [r.id for r in first.rows] == ids[::-1][:3] and first.next is not None
    second = list_cases(session, today=TODAY, after=first.next, limit=3)
    third = list_cases(session, today=TODAY, after=second.next, limit=3)
    assert [r.id for r in second.rows + third.rows] == ids[::-1][3:]
    assert third.next is None


def test_decided_cases_to_hand_over_and_notified_until_the_applicant_returns(
    session: Session,
) -> None:
    old = NOW - timedelta(days=20)
    decided = save(session, now=old)
    for status in ("in_review", "decided"):
        transition(session, CTX, decided, status, now=old)
    notified = save(session, entries={}, now=old)
    returned = save(session, entries={}, now=old)
    restart_from_notice(session, CTX, returned, entries=ALL_IN, commitment_signed=False, now=NOW)
    session.commit()
    rows = list_cases(session, today=TODAY).rows
    listed = [r.id for r in rows]
    assert decided in listed and notified in listed and returned not in listed
    assert listed.index(decided) < listed.index(notified)
    hand_over(session, CTX, decided, now=NOW)
    session.commit()
    assert decided not in [r.id for r in list_cases(session, today=TODAY).rows]
    event = session.scalars(select(Event).where(Event.kind == "case.status")).all()[-1]
    assert (event.data["from"], event.data["to"]) == ("decided", "delivered")


def test_hand_over_of_an_undecided_case_changes_nothing(session: Session) -> None:
    case_id = save(session)
    session.commit()
    before = counts(session)
    with pytest.raises(UserError, match="已送达"):
        hand_over(session, CTX, case_id, now=NOW)
    session.rollback()
    assert counts(session) == before
    assert session.get(Case, case_id).status == "accepted"  # type: ignore[union-attr]


def test_find_by_each_key(session: Session) -> None:
    a = save(session)
    b = save(session, applicant=ORG)
    session.commit()
    case_no = session.get(Case, a).case_no  # type: ignore[union-attr]

    def found(query: str) -> set[str]:
        return {c.id for c in find_cases(session, query, TODAY)}

    assert found(case_no) == {a}
    assert found(case_no[-6:]) == {a}  # 6 digits of the number
    assert found("11010519491231002x") == {a}  # ID number
    assert found("19491231") == {a}  # part of an ID number
    assert found("13812345678") == {a}  # phone
    assert found("3212345") == {b}  # part of a phone
    assert found("张三") == {a}  # a short name: its start
    assert found("某某餐饮") == {b}  # part of a name (trigram)
    assert found("李四") == {b}  # the agent
    assert found("餐饮有限") == {b}
    assert found("12") == set()  # too few digits to mean anything


def test_search_follows_a_changed_name(session: Session) -> None:
    a = save(session)
    session.commit()
    case = session.get(Case, a)
    assert case is not None
    case.applicant_name = "欧阳修远"
    session.commit()
    assert [c.id for c in find_cases(session, "阳修远", TODAY)] == [a]
    assert find_cases(session, "张三", TODAY) == []


FULL_SCAN = re.compile(r"^SCAN (\"?case\"?)( |$)(?!.*USING)")


@pytest.mark.parametrize(
    "query",
    ["22080020261126030001", "11010519491231002X", "261126", "13812345678", "张三", "某某餐饮"],
)
def test_find_does_not_scan_the_cases(session: Session, query: str) -> None:
    captured: list[tuple[str, object]] = []
    conn = session.connection()

    def capture(
        _conn: object, _cursor: object, statement: str, parameters: object, *_rest: object
    ) -> None:
        if statement.lstrip().upper().startswith("SELECT") and '"case"' in statement:
            captured.append((statement, parameters))

    event.listen(conn.engine, "before_cursor_execute", capture)
    try:
        find_cases(session, query, TODAY)
    finally:
        event.remove(conn.engine, "before_cursor_execute", capture)
    assert captured
    statement, parameters = captured[0]
    plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()  # type: ignore[arg-type]
    details = [row[3] for row in plan]
    assert not [d for d in details if FULL_SCAN.match(d)], details
