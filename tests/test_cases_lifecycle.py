"""After the counter: supplements of gap materials, a notified applicant's new case, and the
rest of a case's life. Refused actions change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bench.cases import bench_cases
from app.errors import UserError
from app.rules.decision import MaterialEntry
from app.rules.lifecycle import CaseStatus
from app.services.aftercare import (
    carried_entries,
    record_supplement,
    restart_from_notice,
    transition,
)
from app.services.case_queries import get_case
from app.services.gap_expiry import expire_overdue_gaps
from app.services.intake import SavedCase, save_case
from db.engine import Database
from db.models.case import Case
from db.models.sync import Event
from tests.test_cases_support import (
    ALL_IN,
    BUNDLE_ALL_IN,
    CTX,
    MANAGER_PIN,
    NOW,
    PERSON,
    TODAY,
    S,
    counts,
    seed,
)


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as s:
        seed(s)
        s.commit()
        yield s


def bundle_gap_case(session: Session) -> SavedCase:
    """A bundle case whose shared lease is tolerated."""
    saved = save_case(
        session,
        CTX,
        applicant=PERSON,
        bundle_code="SHOP",
        entries={**BUNDLE_ALL_IN, "LEASE": MaterialEntry(S.TOLERATED)},
        commitment_signed=True,
        now=NOW,
    )
    session.commit()
    return saved


def food_gap_case(session: Session) -> SavedCase:
    saved = save_case(
        session,
        CTX,
        applicant=PERSON,
        matter_codes=["FOOD"],
        entries={**ALL_IN, "LEASE": MaterialEntry(S.MISSING)},
        commitment_signed=True,
        now=NOW,
    )
    session.commit()
    return saved


# --- supplements ----------------------------------------------------------------------------


def test_supplement_completes_the_gap(session: Session) -> None:
    saved = food_gap_case(session)
    summary = record_supplement(session, CTX, saved.case_id, ["LEASE"], NOW + timedelta(days=1))
    session.commit()
    assert summary.status is CaseStatus.SUPPLEMENTED and summary.open_gaps == 0
    lease = get_case(session, saved.case_no).materials[1]
    assert lease.status == "received_copies" and lease.copies_received == 2
    assert lease.supplied_at == NOW + timedelta(days=1)
    assert session.scalars(select(Event).where(Event.kind == "case.supplement")).all()


def test_partial_supplement_awaits_the_rest(session: Session) -> None:
    # Two gaps: make the ID tolerable by manager override of a missing ID.
    from app.rules.decision import DecisionKind, Override

    saved = save_case(
        session,
        CTX,
        applicant=PERSON,
        matter_codes=["FOOD"],
        entries={**ALL_IN, "ID": MaterialEntry(S.MISSING), "LEASE": MaterialEntry(S.MISSING)},
        commitment_signed=True,
        now=NOW,
        override=Override(DecisionKind.ACCEPT_WITH_GAP, "身份证明日补交", "M01", MANAGER_PIN),
    )
    first = record_supplement(session, CTX, saved.case_id, ["ID"], NOW)
    assert first.status is CaseStatus.AWAITING_SUPPLEMENT and first.open_gaps == 1
    second = record_supplement(
        session,
        CTX,
        saved.case_id,
        ["LEASE"],
        NOW,
        entries={"LEASE": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT)},
    )
    assert second.status is CaseStatus.SUPPLEMENTED
    assert get_case(session, saved.case_id).materials[1].status == "received_original_kept"


@pytest.mark.parametrize(
    ("codes", "days_later", "entries", "message"),
    [
        (["ID"], 0, None, "「居民身份证」不是本办件的容缺材料"),
        (["NOPE"], 0, None, "「NOPE」不是本办件的容缺材料"),
        ([], 0, None, "请选择补齐的材料"),
        (["LEASE"], 30, None, "「房屋租赁合同」的补齐期限2026-12-04已过，容缺办件应终止办理"),
        (
            ["LEASE"],
            0,
            {"LEASE": MaterialEntry(S.RECEIVED_COPIES, copies=1)},
            "「房屋租赁合同」须提供复印件2份，现为1份",
        ),
        (
            ["LEASE"],
            0,
            {"LEASE": MaterialEntry(S.TOLERATED)},
            "「房屋租赁合同」补齐时须登记为已收取",
        ),
    ],
)
def test_bad_supplements_change_nothing(
    session: Session,
    codes: list[str],
    days_later: int,
    entries: dict[str, MaterialEntry] | None,
    message: str,
) -> None:
    saved = food_gap_case(session)
    before = counts(session)
    with pytest.raises(UserError) as err:
        record_supplement(
            session, CTX, saved.case_id, codes, NOW + timedelta(days=days_later), entries=entries
        )
    assert str(err.value) == message
    assert counts(session) == before
    assert get_case(session, saved.case_id).status == "accepted_with_gap"


def test_supplement_twice_is_refused(session: Session) -> None:
    saved = food_gap_case(session)
    record_supplement(session, CTX, saved.case_id, ["LEASE"], NOW)
    with pytest.raises(UserError, match="没有待补齐的容缺材料"):
        record_supplement(session, CTX, saved.case_id, ["LEASE"], NOW)


def test_supplement_of_unknown_case(session: Session) -> None:
    with pytest.raises(UserError, match="办件不存在：22080020261126039999"):
        record_supplement(session, CTX, "22080020261126039999", ["LEASE"], NOW)


def test_bundle_gap_case_saves_its_deadline(session: Session) -> None:
    saved = bundle_gap_case(session)
    assert saved.status is CaseStatus.ACCEPTED_WITH_GAP
    lease = next(m for m in saved.case.materials if m.material_code == "LEASE")
    # The HEALTH matter's promised limit is 5 working days (27 Nov being off in the
    # catalogue: 30 Nov, 1, 2, 3, 4 Dec); the deadline keeps one working day before it for
    # the organ to decide.
    assert lease.gap_deadline == date(2026, 12, 3)
    assert lease.matter_codes == ["FOOD", "HEALTH"]


# --- a returning notified applicant ---------------------------------------------------------


def notified_case(session: Session) -> SavedCase:
    saved = save_case(
        session,
        CTX,
        applicant=PERSON,
        matter_codes=["FOOD"],
        entries={
            "ID": MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED),
            "LEASE": MaterialEntry(S.DEFECTIVE, defect_reason="未签字"),
        },
        commitment_signed=False,
        now=NOW,
    )
    session.commit()
    assert saved.status is CaseStatus.NOTIFIED
    return saved


def test_restart_carries_over_checked_materials(session: Session) -> None:
    first = notified_case(session)
    assert carried_entries(session, first.case_id) == {
        "ID": MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED)
    }
    later = NOW + timedelta(days=2)
    second = restart_from_notice(
        session,
        CTX,
        first.case_id,
        entries={"LEASE": MaterialEntry(S.RECEIVED_COPIES, copies=2)},
        commitment_signed=False,
        now=later,
    )
    session.commit()
    assert second.status is CaseStatus.ACCEPTED
    assert second.case_no != first.case_no
    assert second.case.previous_case_id == first.case_id
    assert second.case.applicant_name == "张三"
    assert [m.status for m in second.case.materials][:2] == [
        "received_original_checked",
        "received_copies",
    ]
    # The first case stays as it was: notified.
    assert get_case(session, first.case_id).status == "notified"


def test_restart_refused_twice_and_for_other_states(session: Session) -> None:
    first = notified_case(session)
    restart_from_notice(
        session, CTX, first.case_id, entries=ALL_IN, commitment_signed=False, now=NOW
    )
    session.commit()
    before = counts(session)
    with pytest.raises(UserError, match=f"办件{first.case_no}已补正重新受理为"):
        restart_from_notice(
            session, CTX, first.case_id, entries=ALL_IN, commitment_signed=False, now=NOW
        )
    assert counts(session) == before
    accepted = save_case(
        session,
        CTX,
        applicant=PERSON,
        matter_codes=["FOOD"],
        entries=ALL_IN,
        commitment_signed=False,
        now=NOW,
    )
    session.commit()
    before = counts(session)
    with pytest.raises(UserError, match="只有已一次性告知的办件才能补正后重新受理"):
        restart_from_notice(
            session, CTX, accepted.case_id, entries=ALL_IN, commitment_signed=False, now=NOW
        )
    assert counts(session) == before


def test_restart_with_a_new_applicant_checks_it(session: Session) -> None:
    first = notified_case(session)
    before = counts(session)
    with pytest.raises(UserError, match="请填写申请人姓名"):
        restart_from_notice(
            session,
            CTX,
            first.case_id,
            entries=ALL_IN,
            commitment_signed=False,
            applicant=replace(PERSON, name=" "),
            now=NOW,
        )
    assert counts(session) == before


# --- the rest of the life -------------------------------------------------------------------


def accepted_case(session: Session) -> SavedCase:
    saved = save_case(
        session,
        CTX,
        applicant=PERSON,
        matter_codes=["FOOD"],
        entries=ALL_IN,
        commitment_signed=False,
        now=NOW,
    )
    session.commit()
    return saved


def test_accepted_case_goes_through_review_to_delivery(session: Session) -> None:
    saved = accepted_case(session)
    for status in ("in_review", "decided", "delivered"):
        summary = transition(session, CTX, saved.case_no, status, now=NOW)
        assert summary.status == status
    session.commit()
    kinds = session.scalars(select(Event.data).where(Event.kind == "case.status")).all()
    assert [(d["from"], d["to"]) for d in kinds] == [
        ("accepted", "in_review"),
        ("in_review", "decided"),
        ("decided", "delivered"),
    ]


def test_withdrawal_needs_a_reason(session: Session) -> None:
    saved = accepted_case(session)
    before = counts(session)
    with pytest.raises(UserError, match="撤回或终止办理须填写原因"):
        transition(session, CTX, saved.case_id, CaseStatus.WITHDRAWN, "  ")
    assert counts(session) == before
    summary = transition(session, CTX, saved.case_id, CaseStatus.WITHDRAWN, "申请人撤回申请")
    assert summary.status is CaseStatus.WITHDRAWN
    case = session.get(Case, saved.case_id)
    assert case is not None and case.status_reason == "申请人撤回申请"


def test_an_overdue_gap_makes_the_case_withdrawn_not_decided(session: Session) -> None:
    saved = food_gap_case(session)
    with pytest.raises(UserError, match="不能从「容缺受理」变为「已办结」"):
        transition(session, CTX, saved.case_id, "decided", "逾期未补齐，终止办理")
    deadline = get_case(session, saved.case_id).materials[1].gap_deadline
    assert deadline is not None
    on_the_day = datetime.combine(deadline, time(9), tzinfo=UTC)
    assert expire_overdue_gaps(session, CTX, on_the_day) == []
    assert expire_overdue_gaps(session, CTX, on_the_day + timedelta(days=1)) == [saved.case_no]
    session.commit()
    case = get_case(session, saved.case_id)
    assert case.status == "withdrawn"
    assert case.status_reason == "逾期未补齐容缺材料，按承诺视为撤回申请"
    event = session.scalars(select(Event).where(Event.kind == "case.status")).one()
    assert event.data["to"] == "withdrawn"


def test_review_in_parallel_with_an_open_gap_where_the_matter_allows(session: Session) -> None:
    saved = food_gap_case(session)
    with pytest.raises(UserError, match="不能从「容缺受理」变为「部门审查中」"):
        transition(session, CTX, saved.case_id, "in_review")
    for matter in get_case(session, saved.case_id).matters:
        matter.parallel_review = True
    transition(session, CTX, saved.case_id, "in_review")
    with pytest.raises(UserError, match="容缺材料尚未补齐，不能办结：房屋租赁合同"):
        transition(session, CTX, saved.case_id, "decided")
    summary = record_supplement(session, CTX, saved.case_id, ["LEASE"], NOW + timedelta(days=1))
    assert summary.status is CaseStatus.IN_REVIEW
    assert transition(session, CTX, saved.case_id, "decided").status is CaseStatus.DECIDED


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("delivered", "办件状态不能从「已受理」变为「已送达」（可变为：部门审查中、已撤回）"),
        ("supplemented", "「已补齐」由受理或补齐自动设置，不能手工变更"),
        ("accepted", "「已受理」由受理或补齐自动设置，不能手工变更"),
        ("lost", "未知的办件状态：lost"),
    ],
)
def test_illegal_transitions_change_nothing(session: Session, to: str, message: str) -> None:
    saved = accepted_case(session)
    before = counts(session)
    with pytest.raises(UserError) as err:
        transition(session, CTX, saved.case_id, to, "原因")
    assert str(err.value) == message
    assert counts(session) == before
    assert get_case(session, saved.case_id).status == "accepted"


def test_transition_of_unknown_case(session: Session) -> None:
    with pytest.raises(UserError, match="办件不存在：nope"):
        transition(session, CTX, "nope", "in_review")


# --- benchmark ------------------------------------------------------------------------------


def test_bench_cases_reports_both_numbers() -> None:
    result = bench_cases(runs=3)
    assert set(result) == {"accept_case_ms", "checklist_build_ms"}
    assert all(v > 0 for v in result.values())


# --- visits: how many times an applicant came for a case (只跑一次率) --------------------------


def _ticket(session: Session, number: str) -> str:
    from db.models.hall import Line
    from db.models.queue import Ticket

    if session.get(Line, "QY") is None:
        session.add(Line(code="QY", name="企业开办", ticket_prefix="A"))
    ticket = Ticket(
        number=number,
        line_code="QY",
        day=TODAY,
        seq=int(number[1:]),
        order_key=1,
        status="serving",  # only a ticket in service carries its case (else a walk-in)
        window_number=CTX.window_number,
    )
    session.add(ticket)
    session.flush()
    return ticket.id


@pytest.mark.parametrize(
    ("story", "visits", "purposes"),
    [
        ("accepted at once", 1, ["new"]),
        ("gap, then supplied on a second visit", 2, ["new", "supplement"]),
        ("notified, then back with everything", 1, ["new"]),  # the second visit is a new case
    ],
)
def test_each_visit_with_a_ticket_is_counted_for_its_case(
    session: Session, story: str, visits: int, purposes: list[str]
) -> None:
    from app.queue.visits import visits_per_case
    from db.models.queue import Visit

    first_ticket = _ticket(session, "A001")
    if story == "accepted at once":
        saved = save_case(
            session,
            CTX,
            applicant=PERSON,
            matter_codes=["FOOD"],
            entries=ALL_IN,
            commitment_signed=False,
            ticket_id=first_ticket,
            now=NOW,
        )
    elif story.startswith("gap"):
        saved = save_case(
            session,
            CTX,
            applicant=PERSON,
            matter_codes=["FOOD"],
            entries={**ALL_IN, "LEASE": MaterialEntry(S.MISSING)},
            commitment_signed=True,
            ticket_id=first_ticket,
            now=NOW,
        )
        record_supplement(
            session,
            CTX,
            saved.case_id,
            ["LEASE"],
            NOW + timedelta(days=1),
            ticket_id=_ticket(session, "A002"),
        )
    else:
        notified = save_case(
            session,
            CTX,
            applicant=PERSON,
            matter_codes=["FOOD"],
            entries={
                "ID": MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED),
                "LEASE": MaterialEntry(S.MISSING),
            },
            commitment_signed=False,
            ticket_id=first_ticket,
            now=NOW,
        )
        saved = restart_from_notice(
            session,
            CTX,
            notified.case_id,
            entries=ALL_IN,
            commitment_signed=False,
            ticket_id=_ticket(session, "A002"),
            now=NOW + timedelta(days=1),
        )
        returned = session.scalars(select(Visit).where(Visit.case_id == saved.case_id)).one()
        assert returned.purpose == "return"
        saved = notified
    session.commit()
    assert visits_per_case(session, saved.case_id) == visits
    rows = session.scalars(select(Visit).where(Visit.case_id == saved.case_id)).all()
    assert sorted(v.purpose for v in rows) == sorted(purposes)


@pytest.mark.parametrize("status", ["done", "called", "passed", "closed"])
def test_a_case_saved_with_no_ticket_in_service_is_a_walk_in(session: Session, status: str) -> None:
    """A ticket whose service ended (F7) is another visit's: a case saved afterwards is a
    walk-in, linked to neither the ticket nor its visit (the one-visit rate stays true)."""
    from db.models.queue import Ticket, Visit

    finished = _ticket(session, "A002")
    ticket = session.get(Ticket, finished)
    assert ticket is not None
    ticket.status = status
    session.flush()
    saved = save_case(
        session,
        CTX,
        applicant=PERSON,
        matter_codes=["FOOD"],
        entries=ALL_IN,
        commitment_signed=False,
        ticket_id=finished,
        now=NOW,
    )
    session.commit()
    assert saved.case.ticket_id is None
    assert session.scalars(select(Visit)).all() == []


def test_a_ticket_served_at_another_window_does_not_carry_the_case(session: Session) -> None:
    from db.models.queue import Ticket, Visit

    other = _ticket(session, "A003")
    ticket = session.get(Ticket, other)
    assert ticket is not None and CTX.window_number is not None
    ticket.window_number = CTX.window_number + 1
    session.flush()
    saved = save_case(
        session,
        CTX,
        applicant=PERSON,
        matter_codes=["FOOD"],
        entries=ALL_IN,
        commitment_signed=False,
        ticket_id=other,
        now=NOW,
    )
    assert saved.case.ticket_id is None
    assert session.scalars(select(Visit)).all() == []
