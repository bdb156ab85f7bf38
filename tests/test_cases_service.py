"""The cases service: checklist, applicant checks, live decision, saving with a case number,
finding cases. Bad input: a clear message and nothing saved."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.messages import Message, from_stored
from app.rules.decision import DecisionKind, MaterialEntry, Override
from app.rules.lifecycle import CaseStatus, DeadlineState
from app.services import intake
from app.services.applicant import InvalidApplicant, applicant_problems
from app.services.case_queries import find_cases, get_case, list_cases
from app.services.changes import DeskContext
from app.services.intake import checklist_for, preview_decision, save_case
from db.engine import Database
from db.models.case import Case
from db.models.sync import Event
from tests.test_cases_support import (
    ALL_IN,
    BUNDLE_ALL_IN,
    CTX,
    MANAGER_PIN,
    NOW,
    ORG,
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


# --- checklist ----------------------------------------------------------------------------


def test_checklist_for_one_matter(session: Session) -> None:
    lines = checklist_for(session, ["FOOD"])
    assert [line.code for line in lines] == ["ID", "LEASE", "PHOTO"]


def test_checklist_for_a_bundle_asks_shared_materials_once(session: Session) -> None:
    lines = {line.code: line for line in checklist_for(session, bundle_code="SHOP")}
    assert list(lines) == ["ID", "LEASE", "PHOTO", "HEALTH"]
    assert lines["ID"].matter_codes == ("FOOD", "HEALTH")
    # HEALTH's 5 promised days less the day its organ keeps to decide after the gap.
    assert lines["LEASE"].copies == 2 and lines["LEASE"].gap_limit_days == 4
    assert checklist_for(session, ["FOOD", "HEALTH"]) == list(lines.values())


@pytest.mark.parametrize(
    ("matters", "bundle", "message"),
    [
        (None, None, "请选择事项，或选择一件事（二者选一）"),
        (["FOOD"], "SHOP", "请选择事项，或选择一件事（二者选一）"),
        (["NOPE", "FOOD"], None, "事项不存在：NOPE"),
        (["FOOD", "FOOD"], None, "事项重复选择：FOOD"),
        (None, "NOPE", "一件事不存在：NOPE"),
    ],
)
def test_checklist_for_bad_choice(
    session: Session, matters: list[str] | None, bundle: str | None, message: str
) -> None:
    with pytest.raises(UserError) as err:
        checklist_for(session, matters, bundle)
    assert str(err.value) == message


# --- applicant ----------------------------------------------------------------------------


def test_valid_applicants_have_no_problems() -> None:
    assert applicant_problems(PERSON) == {}
    assert applicant_problems(ORG) == {}


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({"name": ""}, {"name": "请填写申请人姓名"}),
        ({"name": "张" * 500}, {"name": "申请人姓名过长：最多50个字，现为500个字"}),
        ({"id_number": "110105194912310021"}, {"id_number": "身份证号码校验位不正确，请核对号码"}),
        ({"id_number": "1101051949123100"}, {"id_number": "身份证号码应为18位，现为16位"}),
        ({"phone": "12345"}, {"phone": "手机号码应为1开头的11位数字，现为5位"}),
        (
            {"phone": "电话"},
            {"phone": "联系电话格式不正确：手机号码为11位数字，固定电话如0436-6123456"},
        ),
        ({"kind": "robot"}, {"kind": "请选择申请人类型（个人或单位）"}),
        ({"agent_name": "李四"}, {"agent_id_number": "请填写代理人身份证号码"}),
        ({"agent_id_number": "110101199003074477"}, {"agent_name": "请填写代理人姓名"}),
        (
            {"agent_name": "李四", "agent_id_number": "110101199003074478"},
            {"agent_id_number": "代理人身份证号码校验位不正确，请核对号码"},
        ),
        (
            {"agent_name": "李四", "agent_id_number": "110101199003074477", "agent_phone": "1"},
            {"agent_phone": "手机号码应为1开头的11位数字，现为1位"},
        ),
    ],
)
def test_person_problems(changes: dict[str, str], problems: dict[str, str]) -> None:
    assert applicant_problems(replace(PERSON, **changes)) == problems


def test_org_is_checked_as_an_organisation() -> None:
    assert applicant_problems(replace(ORG, id_number="11010519491231002X")) == {
        "id_number": "统一社会信用代码校验位不正确，请核对代码"
    }
    assert applicant_problems(replace(ORG, name="公" * 100)) == {}
    assert "name" in applicant_problems(replace(ORG, name="公" * 101))


# --- preview --------------------------------------------------------------------------------


def test_preview_decides_without_saving(session: Session) -> None:
    before = counts(session)
    lines = checklist_for(session, ["FOOD"])
    d = preview_decision(
        session, lines, {**ALL_IN, "LEASE": MaterialEntry(S.TOLERATED)}, True, None, TODAY
    )
    assert d.kind is DecisionKind.ACCEPT_WITH_GAP
    # 5 working days from Thu 26 Nov: Fri 27 is a catalogue holiday -> 30, 1, 2, 3, 4 Dec.
    assert d.gaps[0].deadline == date(2026, 12, 4)
    assert d.promised_date is not None
    assert counts(session) == before


def test_preview_uses_the_longest_promised_limit_of_the_case(session: Session) -> None:
    lines = checklist_for(session, bundle_code="SHOP")
    d = preview_decision(session, lines, BUNDLE_ALL_IN, False, None, TODAY)
    food_limit = intake.calendar_for(session).add_working_days(TODAY, 10)
    assert d.promised_date == food_limit


def test_preview_shows_an_override_and_checks_the_manager(session: Session) -> None:
    lines = checklist_for(session, ["FOOD"])
    entries = {**ALL_IN, "ID": MaterialEntry(S.MISSING)}
    ov = Override(DecisionKind.ACCEPT_WITH_GAP, "身份证次日补交", "M01", MANAGER_PIN)
    d = preview_decision(session, lines, entries, True, None, TODAY, override=ov)
    assert (d.kind, d.rule_kind) == (DecisionKind.ACCEPT_WITH_GAP, DecisionKind.NOTIFY)
    with pytest.raises(UserError, match="C01不是在岗的大厅负责人"):
        preview_decision(
            session, lines, entries, True, None, TODAY, override=replace(ov, manager_id="C01")
        )


def test_preview_reports_a_status_the_material_does_not_allow(session: Session) -> None:
    lines = checklist_for(session, ["FOOD"])
    with pytest.raises(UserError, match="「居民身份证」不可容缺"):
        preview_decision(session, lines, {"ID": MaterialEntry(S.TOLERATED)}, True, None, TODAY)


# --- saving ---------------------------------------------------------------------------------


def save(session: Session, **kwargs: object) -> intake.SavedCase:
    args: dict[str, object] = {
        "applicant": PERSON,
        "matter_codes": ["FOOD"],
        "entries": ALL_IN,
        "commitment_signed": False,
        "now": NOW,
    }
    args.update(kwargs)
    return save_case(session, CTX, **args)  # type: ignore[arg-type]


def test_save_accepted_case(session: Session) -> None:
    saved = save(session)
    session.commit()
    assert saved.case_no == "22080020261126030001"
    assert len(saved.case_no) == 20 and saved.case_no.isdigit()
    assert saved.status is CaseStatus.ACCEPTED
    case = session.get(Case, saved.case_id)
    assert case is not None
    assert case.status == "accepted" and case.decision == case.rule_decision == "accept"
    assert case.catalogue_version == "2026.11"
    assert case.window_number == 3 and case.clerk_id == "C01"
    assert case.accepted_at == NOW and case.received_day == TODAY
    assert case.promised_date == saved.decision.promised_date
    # Kept as codes (the desk shows them in its language) with the Chinese line beside.
    assert case.decision_reasons == [
        {"code": "reason.accept", "params": {}, "text": "申请材料齐全、符合法定形式，予以受理"}
    ]
    assert [m.matter_code for m in case.matters] == ["FOOD"]
    assert [(m.material_code, m.status) for m in case.materials] == [
        ("ID", "received_original_checked"),
        ("LEASE", "received_copies"),
        ("PHOTO", "electronic"),
    ]
    assert case.materials[1].copies_received == 2 and case.materials[1].copies_required == 2
    events = session.scalars(select(Event).where(Event.kind == "case.saved")).all()
    assert {e.entity for e in events} == {"case", "case_matter", "case_material"}
    assert any(e.data.get("case_no") == saved.case_no for e in events)


def test_case_numbers_follow_per_window_and_day(session: Session) -> None:
    first = save(session)
    second = save(session)
    other_window = save_case(
        session,
        DeskContext(7, "C01"),
        applicant=PERSON,
        matter_codes=["FOOD"],
        entries=ALL_IN,
        commitment_signed=False,
        now=NOW,
    )
    next_day = save(session, now=NOW + timedelta(days=1))
    assert first.case_no == "22080020261126030001"
    assert second.case_no == "22080020261126030002"
    assert other_window.case_no == "22080020261126070001"
    assert next_day.case_no == "22080020261127030001"


def test_late_evening_utc_counts_as_the_next_hall_day(session: Session) -> None:
    saved = save(session, now=NOW.replace(hour=17))  # 01:00 on 27 November in the hall
    assert saved.case_no[6:14] == "20261127"


def test_rollback_untakes_the_number(db: Database) -> None:
    with db.session() as s, s.begin():
        seed(s)
    with db.session() as s:
        save(s)
        s.rollback()
    with db.session() as s:
        assert save(s).case_no.endswith("030001")
        s.commit()
    with db.session() as s:
        assert save(s).case_no.endswith("030002")


def test_gap_case_records_deadlines(session: Session) -> None:
    saved = save(
        session, entries={**ALL_IN, "LEASE": MaterialEntry(S.TOLERATED)}, commitment_signed=True
    )
    assert saved.status is CaseStatus.ACCEPTED_WITH_GAP
    lease = saved.case.materials[1]
    assert lease.status == "tolerated" and lease.gap_deadline == date(2026, 12, 4)
    assert saved.case.commitment_signed


def test_notified_case_records_what_is_missing_and_why(session: Session) -> None:
    saved = save(session, entries={"ID": MaterialEntry(S.DEFECTIVE, defect_reason="已过期")})
    assert saved.status is CaseStatus.NOTIFIED
    case = saved.case
    assert case.accepted_at is None and case.promised_date is None
    by_code = {m.material_code: m for m in case.materials}
    assert by_code["ID"].missing_why == {
        "code": "why.defective",
        "params": {"defect": "已过期"},
        "text": "不符合要求：已过期",
    }
    assert by_code["ID"].defect_reason == "已过期"
    lease_why = from_stored(by_code["LEASE"].missing_why)
    assert isinstance(lease_why, Message) and lease_why.code == "why.gap_unsigned"
    assert lease_why == "未提供（可容缺，但申请人未签署容缺承诺书）"
    assert by_code["PHOTO"].missing_why is None  # optional


def test_rejected_case_keeps_the_reason(session: Session) -> None:
    saved = save(session, reject_reason="属于省级事项", refer_to="吉林省市场监督管理厅")
    assert saved.status is CaseStatus.REJECTED
    assert saved.case.reject_reason == "属于省级事项"
    assert (saved.case.reject_ground, saved.case.refer_to) == (
        "not_competent",
        "吉林省市场监督管理厅",
    )
    assert [from_stored(r) for r in saved.case.decision_reasons] == [
        "不属于本大厅受理范围：属于省级事项"
    ]
    assert saved.case.decision_reasons[0]["params"] == {"reason": "属于省级事项"}


def test_bundle_case_snapshots_its_matters(session: Session) -> None:
    saved = save(session, matter_codes=None, bundle_code="SHOP", entries=BUNDLE_ALL_IN)
    case = saved.case
    assert case.bundle_code == "SHOP"
    assert [(m.matter_code, m.matter_name, m.promised_days) for m in case.matters] == [
        ("FOOD", "食品经营许可", 10),
        ("HEALTH", "公共场所卫生许可", 5),
    ]
    assert case.materials[0].matter_codes == ["FOOD", "HEALTH"]


def test_org_applicant_is_normalised(session: Session) -> None:
    saved = save(
        session, applicant=replace(ORG, id_number=" 91220800ma0000000m ", phone="+86 0436-3212345")
    )
    assert saved.case.applicant_kind == "org"
    assert saved.case.applicant_id_number == "91220800MA0000000M"
    assert saved.case.applicant_phone == "0436-3212345"
    assert saved.case.agent_name == "李四"


def test_manager_override_is_recorded(session: Session) -> None:
    ov = Override(DecisionKind.ACCEPT_WITH_GAP, "身份证次日补交", "M01", MANAGER_PIN)
    saved = save(
        session,
        entries={**ALL_IN, "ID": MaterialEntry(S.MISSING)},
        commitment_signed=True,
        override=ov,
    )
    case = saved.case
    assert case.status == "accepted_with_gap"
    assert (case.decision, case.rule_decision) == ("accept_with_gap", "notify")
    assert (case.override_by, case.override_reason) == ("M01", "身份证次日补交")


BAD_SAVES = [
    ({"applicant": replace(PERSON, name="")}, "请填写申请人姓名"),
    ({"applicant": replace(PERSON, name="张" * 500)}, "申请人姓名过长：最多50个字，现为500个字"),
    (
        {"applicant": replace(PERSON, id_number="110105194912310021")},
        "身份证号码校验位不正确，请核对号码",
    ),
    ({"applicant": replace(PERSON, id_number="11010519491231002")}, "身份证号码应为18位，现为17位"),
    ({"entries": {"ID": MaterialEntry(S.TOLERATED)}}, "「居民身份证」不可容缺"),
    (
        {"entries": {**ALL_IN, "LEASE": MaterialEntry(S.RECEIVED_COPIES, copies=1)}},
        "「房屋租赁合同」须提供复印件2份，现为1份",
    ),
    ({"entries": {"NOPE": MaterialEntry(S.MISSING)}}, "清单中没有这些材料：NOPE"),
    ({"matter_codes": ["NOPE"]}, "事项不存在：NOPE"),
    (
        {"override": Override(DecisionKind.NOTIFY, "理由", "C01")},
        "C01不是在岗的大厅负责人，不能批准改变规则的决定",
    ),
    (
        {"override": Override(DecisionKind.NOTIFY, "理由", "M02")},
        "M02不是在岗的大厅负责人，不能批准改变规则的决定",
    ),
    (
        {"override": Override(DecisionKind.ACCEPT, "理由", "M01", MANAGER_PIN)},
        "规则的决定已是受理，无需改变",
    ),
    (
        {"override": Override(DecisionKind.NOTIFY, "理由", "M01")},
        "请负责人 M01 输入本人的密码或PIN以批准",
    ),
    ({"override": Override(DecisionKind.NOTIFY, "理由", "M01", "000000")}, "M01 的密码或PIN不对"),
    ({"previous_case_id": "01NOPE"}, "办件不存在：01NOPE"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD_SAVES)
def test_bad_input_saves_nothing(session: Session, kwargs: dict[str, object], message: str) -> None:
    save(session)  # one case already there
    session.commit()
    before = counts(session)
    with pytest.raises(UserError) as err:
        save(session, **kwargs)
    assert str(err.value) == message
    assert counts(session) == before
    session.rollback()
    assert counts(session) == before


def test_invalid_applicant_carries_field_problems(session: Session) -> None:
    with pytest.raises(InvalidApplicant) as err:
        save(session, applicant=replace(PERSON, name="", phone="1"))
    assert set(err.value.problems) == {"name", "phone"}


def test_save_needs_a_window_and_a_hall(db: Database) -> None:
    with db.session() as s:
        with pytest.raises(UserError, match="本机未设置窗口号"):
            save_case(
                s,
                DeskContext(None, "C01"),
                applicant=PERSON,
                matter_codes=["FOOD"],
                entries=ALL_IN,
                commitment_signed=False,
                now=NOW,
            )
        with pytest.raises(UserError, match="未设置大厅的6位行政区划代码"):
            save(s)
        assert counts(s)["case"] == 0


def test_exhausted_daily_sequence_is_refused(session: Session) -> None:
    from db.models.numbering import DailyCounter

    session.add(DailyCounter(scope="case:w3", day=TODAY, value=intake.MAX_SEQ))
    session.commit()
    before = counts(session)
    with pytest.raises(UserError, match="3号窗口今日的办件编号已用完"):
        save(session)
    assert counts(session) == before


# --- finding --------------------------------------------------------------------------------


def test_find_cases(session: Session) -> None:
    a = save(session)
    b = save(session, applicant=ORG)
    session.commit()
    assert [c.case_no for c in find_cases(session, a.case_no, TODAY)] == [a.case_no]
    spaced = " ".join([a.case_no[:10], a.case_no[10:]]) + "\n"  # scanned/typed with spaces
    assert [c.id for c in find_cases(session, spaced, TODAY)] == [a.case_id]
    assert [c.id for c in find_cases(session, "11010519491231002x", TODAY)] == [a.case_id]
    assert [c.id for c in find_cases(session, "110101199003074477", TODAY)] == [b.case_id]
    assert [c.id for c in find_cases(session, "91220800MA0000000M", TODAY)] == [b.case_id]
    assert [c.id for c in find_cases(session, "张三", TODAY)] == [a.case_id]
    assert [c.id for c in find_cases(session, "李", TODAY)] == [b.case_id]  # the agent
    assert {c.id for c in find_cases(session, "20261126", TODAY)} == {a.case_id, b.case_id}
    summary = find_cases(session, a.case_no, TODAY)[0]
    assert summary.status_label == "已受理" and summary.matter_names == ("食品经营许可",)
    assert summary.deadline is DeadlineState.NORMAL


@pytest.mark.parametrize("query", ["22080020261126039999", "", "   ", "王五", "100%"])
def test_find_unknown_finds_nothing(session: Session, query: str) -> None:
    save(session)
    assert find_cases(session, query, TODAY) == []


def test_get_unknown_case_is_a_user_error(session: Session) -> None:
    with pytest.raises(UserError, match="办件不存在：22080020261126039999"):
        get_case(session, "22080020261126039999")


def test_list_cases_is_the_worklist(session: Session) -> None:
    """Gaps by due date, today's cases, then notified cases not yet back; an old accepted case
    in review elsewhere is not the clerk's to act on (finding it is `find_cases`')."""
    old_now = NOW - timedelta(days=30)
    old = save(session, now=old_now)
    gap = save(
        session, entries={**ALL_IN, "LEASE": MaterialEntry(S.TOLERATED)}, commitment_signed=True
    )
    notified = save(session, entries={}, now=NOW + timedelta(minutes=5))
    old_notified = save(session, entries={}, now=old_now)
    session.commit()
    page = list_cases(session, today=TODAY)
    listed = [c.id for c in page.rows]
    assert listed == [gap.case_id, notified.case_id, old_notified.case_id]
    assert page.next is None and old.case_id not in listed
    assert page.rows[0].due == date(2026, 12, 4) and page.rows[0].open_gaps == 1
    open_only = list_cases(session, today=TODAY, open_only=True)
    assert [c.id for c in open_only.rows] == [gap.case_id]


def test_an_override_is_never_approved_by_a_pick_from_a_list(session: Session) -> None:
    """The manager's own credential, checked in the core when the case is saved: a clerk who
    names a manager without it saves nothing; the credential never reaches the case or its
    events."""
    ov = Override(DecisionKind.ACCEPT_WITH_GAP, "身份证次日补交", "M01")
    gap = {"entries": {**ALL_IN, "ID": MaterialEntry(S.MISSING)}, "commitment_signed": True}
    before = counts(session)
    with pytest.raises(UserError, match="输入本人的密码或PIN"):
        save(session, **gap, override=ov)
    session.rollback()
    assert counts(session) == before
    saved = save(session, **gap, override=replace(ov, credential=MANAGER_PIN))
    assert saved.case.override_by == "M01"
    assert MANAGER_PIN not in repr(ov) + repr(replace(ov, credential=MANAGER_PIN))
    events = session.scalars(select(Event)).all()
    assert all(MANAGER_PIN not in str(e.data) for e in events)
