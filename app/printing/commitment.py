"""容缺受理承诺书 with its notice: each missing material, its deadline and what happens if it is
late, signed by the applicant. Printed twice in one PDF: 申请人留存 and 窗口留存."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from app.printing.layout import (
    BODY,
    BODY_WIDTH,
    PageHeader,
    build_a4,
    field_table,
    format_date,
    grid_table,
    heading,
    local,
    para,
    sign_and_seal,
)
from app.printing.model import Commitment
from app.printing.receipt import applicant_fields, matter_list

TITLE = "容缺受理承诺书"
COPIES = ("第一联 申请人留存", "第二联 窗口留存")
CONSEQUENCE = "逾期未补齐的，终止办理，申请视为撤回"

NOTICE_ITEMS = (
    "容缺受理适用于基本条件具备、主要申请材料齐全且符合法定形式，仅次要材料欠缺的申请；"
    "容缺受理不降低审批标准，不改变法定审批条件。",
    "申请人应当在承诺期限内补齐下列全部容缺材料；材料补齐并审查通过后方可出具办理结果。",
    "逾期未补齐的，终止办理，已受理的申请视为撤回，由此产生的后果由申请人承担；"
    "需要继续办理的，应当重新提出申请。",
    "申请人对所提交材料的真实性负责。提供虚假材料或者作出不实承诺的，依法承担法律责任，"
    "并按规定记入信用记录。",
)


def commitment_story(doc: Commitment) -> list[Flowable]:
    meta, applicant = doc.meta, doc.applicant
    matters = "、".join(doc.matters)
    return [
        heading("容缺受理告知"),
        *[para(f"{i}. {text}") for i, text in enumerate(NOTICE_ITEMS, 1)],
        heading("申请人"),
        field_table(applicant_fields(applicant)),
        heading("申请事项"),
        *matter_list(doc.matters),
        heading("容缺材料及补齐期限"),
        grid_table(
            ["序号", "容缺材料", "补齐期限", "逾期后果", "说明"],
            [
                [str(i), g.name, format_date(g.deadline), CONSEQUENCE, g.note]
                for i, g in enumerate(doc.gaps, 1)
            ],
            [12 * mm, 60 * mm, 31 * mm, 40 * mm, BODY_WIDTH - 143 * mm],
            centered=(0, 2),
        ),
        heading("承诺"),
        para(
            f"本人（本单位）已知悉上述告知内容，申请办理{matters}，现郑重承诺："
            "在上表所列期限内补齐全部容缺材料，并对所提交材料的真实性、合法性负责。"
            f"{CONSEQUENCE}，由此产生的一切后果由本人（本单位）承担。",
            BODY,
        ),
        sign_and_seal(
            meta,
            doc.hall,
            [
                "承诺人（签字或盖章）：______________",
                "代理人（签字）：______________",
                "日期：______年____月____日",
            ],
            [
                f"受理人：{meta.clerk_name}（{meta.window_number}号窗口）",
                f"受理日期：{format_date(local(doc.accepted_at).date())}",
            ],
        ),
    ]


def render_commitment(doc: Commitment) -> bytes:
    header = PageHeader(TITLE, doc.hall, doc.meta)
    return build_a4(
        header,
        lambda: commitment_story(doc),
        sections=COPIES,
        subject=f"{TITLE} {doc.meta.case_no}",
    )
