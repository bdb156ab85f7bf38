"""The counter's decision: accept, accept with gap, one-time notification, rejection."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import UserError
from app.rules.checklist import (
    FORM_STRICTNESS,
    NECESSITY_STRICTNESS,
    ChecklistLine,
    MaterialSpec,
    MatterSpec,
    build_checklist,
)
from app.rules.decision import (
    Decision,
    DecisionKind,
    MaterialEntry,
    MaterialStatus,
    Override,
    decide,
    entry_problem,
)
from app.rules.workdays import WorkCalendar

S = MaterialStatus
K = DecisionKind
TODAY = date(2026, 11, 26)  # a Thursday
CAL = WorkCalendar()

ID_CARD = MaterialSpec(
    "ID", "居民身份证", "original_checked", obtain="本人携带", role="applicant_identity"
)
LEASE = MaterialSpec(
    "LEASE", "房屋租赁合同", "copy", copies=2, tolerable=True, obtain="向出租方索取"
)
PHOTO = MaterialSpec("PHOTO", "门店照片", "electronic", necessity="optional")
PERMIT = MaterialSpec(
    "PERMIT",
    "消防许可",
    "original_kept",
    necessity="conditional",
    condition="面积超过300平方米",
    obtain="消防救援支队",
)
LICENCE = MaterialSpec("LIC", "营业执照", "copy", copies=1, source="e_licence")

MATTER = MatterSpec(
    "A",
    "食品经营许可",
    promised_days=10,
    legal_days=20,
    allows_gap=True,
    materials=(ID_CARD, LEASE, PHOTO, PERMIT, LICENCE),
)
CHECKLIST = build_checklist([MATTER])

ALL_IN = {
    "ID": MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED),
    "LEASE": MaterialEntry(S.RECEIVED_COPIES, copies=2),
    "PHOTO": MaterialEntry(S.ELECTRONIC),
    "PERMIT": MaterialEntry(S.NOT_APPLICABLE),
    "LIC": MaterialEntry(S.ELECTRONIC),
}


def run(
    changes: dict[str, MaterialEntry] | None = None,
    *,
    signed: bool = False,
    reject: str | None = None,
    promised: int = 10,
    override: Override | None = None,
    checklist: list[ChecklistLine] = CHECKLIST,
) -> Decision:
    entries = {**ALL_IN, **(changes or {})}
    return decide(
        checklist,
        entries,
        commitment_signed=signed,
        not_this_hall_reason=reject,
        calendar=CAL,
        today=TODAY,
        promised_days=promised,
        override=override,
    )


def codes(items: object) -> list[str]:
    return [i.code for i in items]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("changes", "signed", "reject", "kind", "missing", "gaps"),
    [
        ({}, False, None, K.ACCEPT, [], []),
        ({"PHOTO": MaterialEntry(S.MISSING)}, False, None, K.ACCEPT, [], []),
        ({"PERMIT": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT)}, False, None, K.ACCEPT, [], []),
        ({"LEASE": MaterialEntry(S.TOLERATED)}, True, None, K.ACCEPT_WITH_GAP, [], ["LEASE"]),
        ({"LEASE": MaterialEntry(S.MISSING)}, True, None, K.ACCEPT_WITH_GAP, [], ["LEASE"]),
        ({"LEASE": MaterialEntry(S.TOLERATED)}, False, None, K.NOTIFY, ["LEASE"], []),
        ({"ID": MaterialEntry(S.MISSING)}, True, None, K.NOTIFY, ["ID"], []),
        # Everything still needed is listed at once, tolerable ones too.
        (
            {
                "ID": MaterialEntry(S.MISSING),
                "LEASE": MaterialEntry(S.TOLERATED),
                "PERMIT": MaterialEntry(S.MISSING),
            },
            True,
            None,
            K.NOTIFY,
            ["ID", "LEASE", "PERMIT"],
            [],
        ),
        (
            {"ID": MaterialEntry(S.DEFECTIVE, defect_reason="已过有效期")},
            False,
            None,
            K.NOTIFY,
            ["ID"],
            [],
        ),
        # A defective but tolerable material may be accepted as a gap (瑕疵容缺).
        (
            {"LEASE": MaterialEntry(S.DEFECTIVE, defect_reason="缺少签字")},
            True,
            None,
            K.ACCEPT_WITH_GAP,
            [],
            ["LEASE"],
        ),
        (
            {"LEASE": MaterialEntry(S.DEFECTIVE, defect_reason="缺少签字")},
            False,
            None,
            K.NOTIFY,
            ["LEASE"],
            [],
        ),
        ({"PERMIT": MaterialEntry(S.MISSING)}, False, None, K.NOTIFY, ["PERMIT"], []),
        ({}, False, "属于省级事项，请到省政务服务中心办理", K.REJECT, [], []),
        ({"ID": MaterialEntry(S.MISSING)}, False, "不属于本级", K.REJECT, ["ID"], []),
        ({}, False, "   ", K.ACCEPT, [], []),  # a blank reason is no reason
    ],
)
def test_decision_table(
    changes: dict[str, MaterialEntry],
    signed: bool,
    reject: str | None,
    kind: DecisionKind,
    missing: list[str],
    gaps: list[str],
) -> None:
    d = run(changes, signed=signed, reject=reject)
    assert d.kind is kind and d.rule_kind is kind
    assert codes(d.missing) == missing
    assert codes(d.gaps) == gaps
    assert d.reasons


def test_accept_sets_the_promised_date_and_says_why() -> None:
    d = run()
    assert d.promised_date == date(2026, 12, 10)  # 10 working days after Thu 26 Nov
    assert d.reasons == ("申请材料齐全、符合法定形式，予以受理",)
    assert codes(d.received) == ["ID", "LEASE", "PHOTO", "LIC"]
    assert [s.code for s in d.skipped] == ["PERMIT"]
    assert d.received[1].text == "已收复印件2份"


def test_gap_deadline_and_reasons() -> None:
    d = run({"LEASE": MaterialEntry(S.TOLERATED)}, signed=True)
    assert d.gaps[0].deadline == date(2026, 12, 3)  # 5 working days
    assert d.gaps[0].obtain == "向出租方索取"
    assert "「房屋租赁合同」容缺，须于2026年12月03日前补齐" in d.reasons


@pytest.mark.parametrize(
    ("promised", "reserve", "deadline", "promised_date"),
    [
        # One working day (the default reserve) is kept to decide before the promised date.
        (2, 1, date(2026, 11, 27), date(2026, 11, 30)),
        (3, 2, date(2026, 11, 27), date(2026, 12, 1)),
        (10, 1, date(2026, 12, 3), date(2026, 12, 10)),  # the 5-day local rule
        (2, 0, date(2026, 11, 30), date(2026, 11, 30)),  # a catalogue may keep none
    ],
)
def test_gap_deadline_leaves_the_organ_time_to_decide(
    promised: int, reserve: int, deadline: date, promised_date: date
) -> None:
    quick = MatterSpec(
        "Q",
        "事项",
        promised_days=promised,
        legal_days=20,
        allows_gap=True,
        materials=(ID_CARD, LEASE),
        gap_reserve_days=reserve,
    )
    d = decide(
        build_checklist([quick]),
        {"ID": MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED), "LEASE": MaterialEntry(S.TOLERATED)},
        commitment_signed=True,
        not_this_hall_reason=None,
        calendar=CAL,
        today=TODAY,
        promised_days=promised,
    )
    assert d.kind is K.ACCEPT_WITH_GAP
    assert (d.gaps[0].deadline, d.promised_date) == (deadline, promised_date)


def test_no_gap_when_the_promised_limit_leaves_no_time() -> None:
    d = run({"LEASE": MaterialEntry(S.TOLERATED)}, signed=True, promised=0)
    assert d.kind is K.NOTIFY
    assert d.missing[0].why == "未提供（可容缺，但承诺时限内无法安排补正期限）"


def test_notification_says_why_and_how_to_obtain() -> None:
    d = run(
        {
            "ID": MaterialEntry(S.DEFECTIVE, defect_reason="已过有效期"),
            "PERMIT": MaterialEntry(S.MISSING),
            "LEASE": MaterialEntry(S.MISSING),
        }
    )
    whys = {m.code: (m.why, m.obtain, m.defective) for m in d.missing}
    assert whys == {
        "ID": ("不符合要求：已过有效期", "本人携带", True),
        "PERMIT": ("未提供（适用情形：面积超过300平方米）", "消防救援支队", False),
        "LEASE": ("未提供（可容缺，但申请人未签署容缺承诺书）", "向出租方索取", False),
    }
    assert d.promised_date is None
    assert "「居民身份证」不符合要求：已过有效期" in d.reasons


def test_a_conditional_line_the_clerk_did_not_confirm_is_asked_about_not_demanded() -> None:
    with pytest.raises(UserError, match=r"请先确认这些视情形材料是否适用.*消防许可"):
        decide(
            CHECKLIST,
            {k: v for k, v in ALL_IN.items() if k != "PERMIT"},
            commitment_signed=False,
            not_this_hall_reason=None,
            calendar=CAL,
            today=TODAY,
            promised_days=10,
        )


def test_line_without_entry_counts_as_missing() -> None:
    d = decide(
        CHECKLIST,
        {"PERMIT": MaterialEntry(S.MISSING)},
        commitment_signed=False,
        not_this_hall_reason=None,
        calendar=CAL,
        today=TODAY,
        promised_days=10,
    )
    assert d.kind is K.NOTIFY
    assert codes(d.missing) == ["ID", "LEASE", "PERMIT", "LIC"]


@pytest.mark.parametrize(
    ("code", "entry", "message"),
    [
        ("ID", MaterialEntry(S.TOLERATED), "「居民身份证」不可容缺"),
        (
            "LEASE",
            MaterialEntry(S.RECEIVED_COPIES, copies=1),
            "「房屋租赁合同」须提供复印件2份，现为1份",
        ),
        (
            "ID",
            MaterialEntry(S.RECEIVED_COPIES, copies=3),
            "「居民身份证」须提供原件，复印件不能代替",
        ),
        (
            "PERMIT",
            MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED),
            "「消防许可」须收取原件，不能核验后退还",
        ),
        (
            "ID",
            MaterialEntry(S.ELECTRONIC),
            "「居民身份证」须提供纸质材料：原件（核验后退还），不接受电子材料",
        ),
        ("ID", MaterialEntry(S.NOT_APPLICABLE), "「居民身份证」为必需材料，不能标记为不适用"),
        (
            "ID",
            MaterialEntry(S.DEFECTIVE, defect_reason="  "),
            "请填写「居民身份证」不符合要求的原因",
        ),
        ("LEASE", MaterialEntry(S.RECEIVED_COPIES, copies=-1), "「房屋租赁合同」的份数不能为负数"),
        (
            "LEASE",
            MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED, copies=1),
            "「房屋租赁合同」须另收复印件2份，现为1份",
        ),
    ],
)
def test_a_status_the_material_does_not_allow_is_an_error(
    code: str, entry: MaterialEntry, message: str
) -> None:
    with pytest.raises(UserError) as err:
        run({code: entry}, signed=True)
    assert str(err.value) == message


def test_all_entry_errors_are_reported_together() -> None:
    with pytest.raises(UserError) as err:
        run({"ID": MaterialEntry(S.TOLERATED), "LEASE": MaterialEntry(S.RECEIVED_COPIES)})
    assert str(err.value) == "「居民身份证」不可容缺；「房屋租赁合同」须提供复印件2份，现为0份"


def test_unknown_material_code_is_an_error() -> None:
    with pytest.raises(UserError, match="清单中没有这些材料：NOPE"):
        run({"NOPE": MaterialEntry(S.MISSING)})


@pytest.mark.parametrize(
    "entry",
    [
        MaterialEntry(S.RECEIVED_ORIGINAL_KEPT),
        MaterialEntry(S.RECEIVED_COPIES, copies=2),
        MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED, copies=2),
    ],
)
def test_stronger_forms_satisfy_a_copy_line(entry: MaterialEntry) -> None:
    assert run({"LEASE": entry}).kind is K.ACCEPT


def test_manager_override_to_accept_with_gap_is_recorded() -> None:
    ov = Override(K.ACCEPT_WITH_GAP, "消防许可已在办理，次日补交", "M01")
    d = run({"PERMIT": MaterialEntry(S.MISSING)}, signed=True, override=ov)
    assert d.kind is K.ACCEPT_WITH_GAP and d.rule_kind is K.NOTIFY
    assert d.override == ov
    assert codes(d.gaps) == ["PERMIT"] and d.missing == ()
    assert d.reasons[-1] == "经M01批准，改为容缺受理：消防许可已在办理，次日补交"


FORM = MaterialSpec("FORM", "登记申请书", "original_kept", copies=1, role="application_form")
CORE = MaterialSpec("PLAN", "平面布局图", "copy", copies=1, core=True)
STRICT = MatterSpec(
    "A",
    "食品经营许可",
    promised_days=10,
    legal_days=20,
    allows_gap=True,
    materials=(ID_CARD, FORM, CORE, LEASE),
)


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        (["ID"], "居民身份证"),
        (["FORM"], "登记申请书"),
        (["PLAN"], "平面布局图"),
        (["LEASE", "PLAN"], "平面布局图"),
    ],
)
def test_an_override_cannot_make_the_form_the_identity_or_a_core_material_a_gap(
    missing: list[str], named: str
) -> None:
    entries = {
        "ID": MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED),
        "FORM": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT),
        "PLAN": MaterialEntry(S.RECEIVED_COPIES, copies=1),
        "LEASE": MaterialEntry(S.RECEIVED_COPIES, copies=2),
        **{code: MaterialEntry(S.MISSING) for code in missing},
    }
    with pytest.raises(UserError, match=f"不能容缺.*{named}"):
        decide(
            build_checklist([STRICT]),
            entries,
            commitment_signed=True,
            not_this_hall_reason=None,
            calendar=CAL,
            today=TODAY,
            promised_days=10,
            override=Override(K.ACCEPT_WITH_GAP, "负责人同意", "M01"),
        )


def test_an_override_to_accept_keeps_what_is_missing() -> None:
    """So that no paper can say 申请材料齐全 while a required material is missing."""
    d = run({"ID": MaterialEntry(S.MISSING)}, override=Override(K.ACCEPT, "已电话核实", "M01"))
    assert d.kind is K.ACCEPT and d.incomplete and codes(d.missing) == ["ID"]
    assert not run().incomplete


def test_override_of_gap_acceptance_to_notification_lists_the_gap_as_missing() -> None:
    ov = Override(K.NOTIFY, "租赁合同存疑，须核实", "M01")
    d = run({"LEASE": MaterialEntry(S.TOLERATED)}, signed=True, override=ov)
    assert d.kind is K.NOTIFY and d.gaps == () and codes(d.missing) == ["LEASE"]
    assert d.promised_date is None


@pytest.mark.parametrize(
    ("override", "signed", "message"),
    [
        (Override(K.ACCEPT, " ", "M01"), True, "改变规则的决定须填写理由"),
        (Override(K.ACCEPT, "理由", ""), True, "改变规则的决定须经大厅负责人批准"),
        (Override(K.NOTIFY, "理由", "M01"), True, "规则的决定已是一次性告知，无需改变"),
        (Override(K.ACCEPT_WITH_GAP, "理由", "M01"), False, "容缺受理须由申请人签署容缺承诺书"),
    ],
)
def test_invalid_overrides(override: Override, signed: bool, message: str) -> None:
    with pytest.raises(UserError) as err:
        run({"ID": MaterialEntry(S.MISSING)}, signed=signed, override=override)
    assert str(err.value) == message


def test_bundle_gap_held_to_the_shorter_matter() -> None:
    quick = MatterSpec(
        "B", "快办事项", promised_days=2, legal_days=5, allows_gap=True, materials=(LEASE,)
    )
    checklist = build_checklist([MATTER, quick])
    d = run({"LEASE": MaterialEntry(S.TOLERATED)}, signed=True, checklist=checklist)
    assert d.gaps[0].deadline == date(2026, 11, 27)
    assert d.promised_date == date(2026, 12, 10)


# --- properties -----------------------------------------------------------------------

_specs = st.builds(
    MaterialSpec,
    code=st.sampled_from(["M1", "M2", "M3", "M4", "M5", "M6"]),
    name=st.just("材料"),
    form=st.sampled_from(list(FORM_STRICTNESS)),
    copies=st.integers(0, 3),
    necessity=st.sampled_from(list(NECESSITY_STRICTNESS)),
    tolerable=st.booleans(),
    source=st.sampled_from(["applicant", "department", "e_licence"]),
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[ChecklistLine], dict[str, MaterialEntry], int, bool]:
    matters = [
        MatterSpec(
            f"X{i}",
            "事项",
            draw(st.integers(0, 20)),
            30,
            allows_gap=draw(st.booleans()),
            materials=tuple(draw(st.lists(_specs, max_size=5, unique_by=lambda m: m.code))),
        )
        for i in range(draw(st.integers(1, 3)))
    ]
    checklist = build_checklist(matters)
    entries: dict[str, MaterialEntry] = {}
    for line in checklist:
        entry = MaterialEntry(
            draw(st.sampled_from(list(S))),
            draw(st.integers(0, 4)),
            draw(st.sampled_from(["", "模糊不清"])),
        )
        if entry_problem(line, entry) is None:
            entries[line.code] = entry
        elif line.necessity == "conditional":  # the clerk confirms every conditional line
            entries[line.code] = MaterialEntry(S.MISSING)
    promised = max((m.promised_days for m in matters), default=0)
    return checklist, entries, promised, draw(st.booleans())


def _decide(
    checklist: list[ChecklistLine], entries: dict[str, MaterialEntry], promised: int, signed: bool
) -> Decision:
    return decide(
        checklist,
        entries,
        commitment_signed=signed,
        not_this_hall_reason=None,
        calendar=CAL,
        today=TODAY,
        promised_days=promised,
    )


ORDER = {K.ACCEPT: 0, K.ACCEPT_WITH_GAP: 1, K.NOTIFY: 2}


@given(cases(), st.data())
def test_receiving_one_more_material_never_makes_it_worse(
    case: tuple[list[ChecklistLine], dict[str, MaterialEntry], int, bool],
    data: st.DataObject,
) -> None:
    checklist, entries, promised, signed = case
    if not checklist:
        return
    before = _decide(checklist, entries, promised, signed)
    line = data.draw(st.sampled_from(checklist))
    after = _decide(
        checklist, {**entries, line.code: MaterialEntry(S.RECEIVED_ORIGINAL_KEPT)}, promised, signed
    )
    assert ORDER[after.kind] <= ORDER[before.kind]


@given(cases())
def test_every_required_material_is_in_exactly_one_list(
    case: tuple[list[ChecklistLine], dict[str, MaterialEntry], int, bool],
) -> None:
    checklist, entries, promised, signed = case
    d = _decide(checklist, entries, promised, signed)
    received, missing, gaps = set(codes(d.received)), set(codes(d.missing)), set(codes(d.gaps))
    assert not received & missing and not received & gaps and not missing & gaps
    for line in checklist:
        if line.required:
            assert (line.code in received) + (line.code in missing) + (line.code in gaps) == 1
    limit = CAL.add_working_days(TODAY, promised)
    by_code = {line.code: line for line in checklist}
    for gap in d.gaps:
        assert TODAY < gap.deadline <= limit
        assert gap.deadline <= CAL.add_working_days(TODAY, by_code[gap.code].gap_limit_days)
    assert (d.kind is K.ACCEPT_WITH_GAP) == bool(d.gaps)
    if d.kind is K.ACCEPT:
        assert not d.missing
