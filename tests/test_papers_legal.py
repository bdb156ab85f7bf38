"""Papers that stand up legally, made from cases saved through the services on the demo
catalogue (and the print-samples samples through the same checks): each decision, each
override, a notice with conditional materials, a rejection with a referral."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.catalogue.importer import import_demo_if_empty
from app.errors import UserError
from app.printing.layout import BODY_WIDTH, MARGIN_X
from app.printing.samples import write_samples
from app.rules.decision import DecisionKind, MaterialEntry, MaterialStatus, Override
from app.services.applicant import ApplicantData
from app.services.case_documents import documents_for_case
from app.services.changes import DeskContext
from app.services.hall import ensure_demo_hall, set_desk
from app.services.intake import SavedCase, save_case
from db.engine import Database
from tests.paper_checks import CHECKS, NOTHING_ELSE, flat_text
from tests.test_cases_support import MANAGER_PIN, give_pin
from tests.test_printing import column_text

S = MaterialStatus
K = DecisionKind
CTX = DeskContext(1, "BC0101")
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday 26 November 2026, 10:00
PERSON = ApplicantData("person", "王䶮", "11010519491231002X", "13912345678")

FOOD = "112208000135487124-000-220800-06"  # 食品经营许可（新办）: 行政许可, 10 days
PENSION = "11220800013549174M-000-220800-06"  # 基本养老保险关系转移接续: 公共服务, 15 days
ID_RENEWAL = "11220800013546813E-000-220800-03"  # 居民身份证换领: 行政确认
TRANSFER = "11220800MB19581268-000-220800-01"  # 不动产转移登记: 行政确认, own rule
FIRST_REG = "11220800MB19581268-000-220800-03"  # 首次登记: 房产测绘报告 is core
POWER = "91220800124486573B-000-220800-01"  # 低压居民用电更名过户: an enterprise's

FOOD_IN = {
    "SPJYXKSQS": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT),
    "YYZZ": MaterialEntry(S.ELECTRONIC),
    "FDDBRSFZ": MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED),
    "SPPMT": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT),
    "SBBJ": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT),
    "SPAQZD": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT),
    "SPAQGLY": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT),
    "JKZM": MaterialEntry(S.RECEIVED_COPIES, copies=1),
    "WTS": MaterialEntry(S.NOT_APPLICABLE),
}
PENSION_IN = {
    "ZYSQ": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT),
    "SQRSFZ": MaterialEntry(S.ELECTRONIC),
    "CBJFPZ": MaterialEntry(S.RECEIVED_COPIES, copies=1),
}
ID_IN = {
    "HKB": MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED),
    "SQRSFZ": MaterialEntry(S.ELECTRONIC),
    "ZPCJ": MaterialEntry(S.ELECTRONIC),
}
TRANSFER_IN = {
    "BDCSQS": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT),
    "SQRSFZ": MaterialEntry(S.ELECTRONIC),
    "BDCQZS": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT),
    "FWMMHT": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT),
    "QSWSPZ": MaterialEntry(S.ELECTRONIC),
    "HYZKSM": MaterialEntry(S.NOT_APPLICABLE),
    "JHZ": MaterialEntry(S.ELECTRONIC),
    "WTS": MaterialEntry(S.NOT_APPLICABLE),
}
FIRST_IN = {
    "BDCSQS": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT),
    "YYZZ": MaterialEntry(S.ELECTRONIC),
    "TDCRHT": MaterialEntry(S.RECEIVED_COPIES, copies=1),
    "JGYSBA": MaterialEntry(S.RECEIVED_COPIES, copies=1),
    "FCCHBG": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT),
    "WTS": MaterialEntry(S.NOT_APPLICABLE),
    "JBRSFZ": MaterialEntry(S.NOT_APPLICABLE),
}
MANAGER = "BC0201"


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as s:
        import_demo_if_empty(s)
        ensure_demo_hall(s)
        give_pin(s, MANAGER)
        set_desk(s, 1, "BC0101")
        s.commit()
        yield s


def saved(
    session: Session, matter: str | None, entries: dict[str, MaterialEntry], **kw: Any
) -> SavedCase:
    args: dict[str, Any] = {
        "applicant": PERSON,
        "matter_codes": [matter] if matter else None,
        "entries": entries,
        "commitment_signed": False,
        "now": NOW,
    }
    args.update(kw)
    case = save_case(session, CTX, **args)
    session.commit()
    return case


def papers(session: Session, case: SavedCase, root: Path) -> dict[str, str]:
    """Each paper's kind and its text, checked as a supervisor would."""
    docs = documents_for_case(session, CTX, case.case_id, now=NOW, documents_root=root)
    session.commit()
    out: dict[str, str] = {}
    for doc in docs:
        text = flat_text(doc.pdf_bytes)
        assert CHECKS[doc.kind](text) == [], doc.kind
        out[doc.kind] = text
    return out


LICENSING = "《中华人民共和国行政许可法》"


@pytest.mark.parametrize(
    ("matter", "entries", "kw", "kind", "cites", "not_cited"),
    [
        # A licence cites the clause of art. 32 on acceptance.
        (FOOD, FOOD_IN, {}, "receipt", LICENSING + "第三十二条第一款第（五）项", ""),
        # A confirmation with no rule of its own in the catalogue cites nothing.
        (ID_RENEWAL, ID_IN, {}, "receipt", "申请材料齐全、符合法定形式，决定予以受理", LICENSING),
        # A confirmation with its own rule cites that rule, never the licensing law.
        (
            TRANSFER,
            {**TRANSFER_IN, "FWMMHT": MaterialEntry(S.MISSING)},
            {},
            "notice",
            "根据《不动产登记暂行条例》第十七条的规定",
            LICENSING,
        ),
        (
            FOOD,
            {**FOOD_IN, "SPAQZD": MaterialEntry(S.MISSING)},
            {},
            "notice",
            LICENSING + "第三十二条第一款第（四）项",
            "",
        ),
        # A public service cites nothing on the gap papers.
        (
            PENSION,
            {**PENSION_IN, "CBJFPZ": MaterialEntry(S.MISSING)},
            {"commitment_signed": True},
            "receipt",
            "其余材料按容缺受理方式办理，决定予以受理",
            LICENSING,
        ),
    ],
)
def test_the_basis_follows_the_matters_kind(
    session: Session,
    tmp_path: Path,
    matter: str,
    entries: dict[str, MaterialEntry],
    kw: dict[str, Any],
    kind: str,
    cites: str,
    not_cited: str,
) -> None:
    text = papers(session, saved(session, matter, entries, **kw), tmp_path)[kind]
    assert cites in text
    if not_cited:
        assert not_cited not in text


def test_a_gap_commitment_states_its_terms(session: Session, tmp_path: Path) -> None:
    case = saved(
        session, PENSION, {**PENSION_IN, "CBJFPZ": MaterialEntry(S.MISSING)}, commitment_signed=True
    )
    gap = case.case.materials[2]
    # 5 working days, and before the promised date: the organ keeps time to decide.
    assert gap.gap_deadline == date(2026, 12, 3)
    assert case.case.promised_date is not None and gap.gap_deadline < case.case.promised_date
    text = papers(session, case, tmp_path)["commitment"]
    assert "5个工作日内" in text and "（2026年12月3日" in text
    assert "复印件1份" in text  # what to hand in
    assert "联系电话：0436-3221204" in text  # the organ's phone (白城市人力资源和社会保障局)
    assert "容缺受理依据：《白城市政务服务事项容缺受理制度》" in text
    assert "视为撤回申请" in text
    assert "信用记录" not in text  # a public service: the local rule keeps no credit record


def test_a_licence_commitment_names_the_credit_record(session: Session, tmp_path: Path) -> None:
    case = saved(
        session, FOOD, {**FOOD_IN, "JKZM": MaterialEntry(S.MISSING)}, commitment_signed=True
    )
    text = papers(session, case, tmp_path)["commitment"]
    assert "记入申请人信用记录" in text


def test_a_defective_tolerable_material_is_accepted_as_a_gap(
    session: Session, tmp_path: Path
) -> None:
    case = saved(
        session,
        FOOD,
        {**FOOD_IN, "SPAQGLY": MaterialEntry(S.DEFECTIVE, defect_reason="未加盖公章")},
        commitment_signed=True,
    )
    assert case.decision.kind is K.ACCEPT_WITH_GAP
    text = papers(session, case, tmp_path)["commitment"]
    assert "已交材料须补正：未加盖公章" in text


def test_the_notice_is_a_complete_list_in_plain_words(session: Session, tmp_path: Path) -> None:
    case = saved(
        session,
        FOOD,
        {
            **FOOD_IN,
            "JKZM": MaterialEntry(S.MISSING),  # tolerable, but no commitment signed
            "SPAQZD": MaterialEntry(S.DEFECTIVE, defect_reason="缺少进货查验记录制度"),
            "WTS": MaterialEntry(S.MISSING),  # conditional, confirmed as applicable
        },
    )
    text = papers(session, case, tmp_path)["notice"]
    assert NOTHING_ELSE in text
    assert "可容缺" not in text and "承诺书" not in text
    assert "白城市政务服务中心一楼企业开办综合窗口" in text  # where to hand it in
    pdf = documents_for_case(session, CTX, case.case_id, now=NOW, documents_root=tmp_path)[0]
    w = BODY_WIDTH
    requirement, reason, obtain = (
        "".join(column_text(pdf.pdf_bytes, MARGIN_X + a * w, MARGIN_X + b * w))
        for a, b in ((0.25, 0.47), (0.47, 0.69), (0.69, 1.0))
    )
    assert "已提交的材料不符合要求：缺少进货查验记录制度" in reason
    assert "您的申请属于「委托他人代为办理的」的情形，需要提交" in reason
    assert "原件1份（收取）；须写明委托事项、权限和期限" in requirement  # and its format
    assert "复印件1份；直接接触入口食品的从业人员均须提供" in requirement
    assert "到有资质的体检机构体检取得" in obtain  # how to obtain
    assert "空白表格《授权委托书》、填写样例《授权委托书（样例）》" in obtain
    assert "填写样例《食品安全管理制度（范本）》" in obtain


def test_a_conditional_material_not_confirmed_is_asked_about(session: Session) -> None:
    entries = {k: v for k, v in FOOD_IN.items() if k != "WTS"} | {"JKZM": MaterialEntry(S.MISSING)}
    with pytest.raises(UserError, match=r"请先确认这些视情形材料是否适用.*授权委托书"):
        saved(session, FOOD, entries)


@pytest.mark.parametrize(
    ("matter", "entries", "material"),
    [
        (FOOD, {**FOOD_IN, "SPJYXKSQS": MaterialEntry(S.MISSING)}, "食品经营许可申请书"),
        (FOOD, {**FOOD_IN, "FDDBRSFZ": MaterialEntry(S.MISSING)}, "法定代表人身份证件"),
        (FIRST_REG, {**FIRST_IN, "FCCHBG": MaterialEntry(S.MISSING)}, "房产测绘报告"),
    ],
)
def test_an_override_to_a_gap_cannot_bend_the_core(
    session: Session, matter: str, entries: dict[str, MaterialEntry], material: str
) -> None:
    with pytest.raises(UserError, match=f"不能容缺.*{material}"):
        saved(
            session,
            matter,
            entries,
            commitment_signed=True,
            override=Override(K.ACCEPT_WITH_GAP, "负责人同意先行受理", MANAGER, MANAGER_PIN),
        )


def test_an_override_to_accept_does_not_say_complete(session: Session, tmp_path: Path) -> None:
    case = saved(
        session,
        FOOD,
        {**FOOD_IN, "SBBJ": MaterialEntry(S.MISSING)},
        override=Override(K.ACCEPT, "申请人已现场说明，次日补交", MANAGER, MANAGER_PIN),
    )
    assert case.decision.kind is K.ACCEPT and case.decision.incomplete
    text = papers(session, case, tmp_path)["receipt"]
    assert "申请材料齐全" not in text
    assert "下列材料尚未提交，请尽快补交：主要设备设施布局和操作流程文件" in text


def test_a_rejection_refers_and_names_the_remedies(session: Session, tmp_path: Path) -> None:
    case = saved(
        session,
        FOOD,
        {},
        reject_reason="申请人经营场所位于长春市，不属于本机关管辖",
        refer_to="长春市市场监督管理局",
    )
    text = papers(session, case, tmp_path)["rejection"]
    assert "根据《中华人民共和国行政许可法》第三十二条第一款第（二）项的规定，决定不予受理" in text
    assert "该申请事项请向长春市市场监督管理局提出申请" in text
    assert "向白城市人民政府申请行政复议" in text
    assert "向白城市洮北区人民法院提起行政诉讼" in text


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"reject_reason": "不属于本机关职权范围"}, "请填写受理机关"),
        ({"reject_reason": "不属于本机关职权范围", "refer_to": "  "}, "请填写受理机关"),
        (
            {"reject_reason": "  ", "requested_matter": "药品批发许可", "matter_codes": None},
            "请选择事项",
        ),
        (
            {"reject_reason": "理由", "reject_ground": "whatever", "refer_to": "某机关"},
            "未知的不予受理情形",
        ),
    ],
)
def test_a_rejection_without_what_the_law_asks_is_refused(
    session: Session, kw: dict[str, Any], message: str
) -> None:
    with pytest.raises(UserError, match=message):
        saved(session, FOOD, {}, **kw)


def test_a_rejection_needs_no_material_marked_and_names_an_uncatalogued_request(
    session: Session, tmp_path: Path
) -> None:
    case = saved(
        session,
        None,
        {},
        reject_reason="药品批发由省级药品监督管理部门许可",
        refer_to="吉林省药品监督管理局",
        requested_matter="药品经营许可（药品批发企业）",
    )
    assert case.decision.kind is K.REJECT
    assert [m.matter_name for m in case.case.matters] == ["药品经营许可（药品批发企业）"]
    text = papers(session, case, tmp_path)["rejection"]
    assert "药品经营许可（药品批发企业）" in text
    assert "请向吉林省药品监督管理局提出申请" in text


def test_another_ground_cites_no_clause_that_does_not_apply(
    session: Session, tmp_path: Path
) -> None:
    case = saved(
        session, FOOD, {}, reject_reason="申请人已在办理中，不得重复申请", reject_ground="other"
    )
    text = papers(session, case, tmp_path)["rejection"]
    assert "第三十二条" not in text and "决定不予受理" in text


def test_no_review_or_lawsuit_against_an_enterprise(session: Session, tmp_path: Path) -> None:
    case = saved(
        session,
        POWER,
        {},
        reject_reason="该户为非居民用电，请按非居民用电办理",
        reject_ground="other",
    )
    text = papers(session, case, tmp_path)["rejection"]
    assert "行政复议" not in text and "行政诉讼" not in text


def test_the_print_samples_pass_the_same_checks(tmp_path: Path) -> None:
    for path in write_samples(tmp_path):
        kind = path.stem
        if kind in CHECKS:
            assert CHECKS[kind](flat_text(path.read_bytes())) == [], kind


def test_the_commitments_signature_never_stands_apart_from_its_list() -> None:
    """Whatever the length of the list, the page with the signatures also holds its end."""
    import dataclasses

    from app.printing.model import GapMaterial
    from app.printing.render import render
    from app.printing.samples import demo_commitment
    from tests.test_printing import page_texts

    base = demo_commitment()
    for n in (1, 4, 5, 6, 15, 16, 17):  # 5 and 16 once put the signatures on a page alone
        gaps = tuple(
            GapMaterial(
                f"第{i}项容缺材料",
                date(2026, 12, 3),
                "到有资质的机构办理后提交原件",
                working_days=5,
                requirement="复印件1份",
            )
            for i in range(1, n + 1)
        )
        pages = page_texts(render(dataclasses.replace(base, gaps=gaps)))
        signed = [p.replace("\n", "") for p in pages if "承诺人（签字或盖章）" in p]
        assert len(signed) == 2  # one per copy
        for page in signed:
            assert f"第{n}项容缺材料" in page, n
