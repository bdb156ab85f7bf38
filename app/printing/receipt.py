"""受理通知书 (acceptance receipt): the case is accepted; what was received, what is still
owed under 容缺, when it will be done, how to follow it, and the lines to sign and seal."""

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
    format_datetime,
    grid_table,
    heading,
    local,
    para,
    sign_and_seal,
)
from app.printing.model import Applicant, HallInfo, Receipt

TITLE = "受理通知书"


def acceptance_sentence(doc: Receipt) -> str:
    """Why it was accepted, in the words the case allows: never 「申请材料齐全」 while a
    required material is missing; the basis by the matter's kind (doc.basis)."""
    basis = f"根据{doc.basis}的规定，" if doc.basis else ""
    if doc.incomplete:
        return (
            f"经审查并经窗口负责人批准，{basis}决定予以受理。下列材料尚未提交，"
            f"请尽快补交：{'、'.join(doc.incomplete)}。"
        )
    if doc.gaps:
        return (
            "经审查，主要申请材料齐全、符合法定形式，其余材料按容缺受理方式办理，"
            f"{basis}决定予以受理。请于下列期限内补齐容缺材料，逾期未补齐的，视为撤回申请。"
        )
    return f"经审查，申请材料齐全、符合法定形式，{basis}决定予以受理。"


def applicant_fields(applicant: Applicant) -> list[tuple[str, str]]:
    pairs = [
        ("申请人", applicant.name),
        (applicant.id_label, applicant.masked_id),
        ("联系电话", applicant.masked_phone),
    ]
    if applicant.agent_name:
        pairs.append(("代理人", applicant.agent_name))
        if applicant.agent_id_number:
            pairs.append(("代理人证件号码", applicant.masked_agent_id))
    return pairs


def matter_list(matters: tuple[str, ...]) -> list[Flowable]:
    return [para(f"{i}. {name}") for i, name in enumerate(matters, 1)]


def follow_up(hall: HallInfo, case_no: str) -> list[Flowable]:
    query_url, enquiry_phone = hall.query_url(case_no), hall.enquiry_phone
    supervision_phone, address = hall.supervision_phone, hall.address
    return [
        para(f"扫描页首二维码或访问 {query_url} 查询办理进度。"),
        para(f"咨询电话：{enquiry_phone}　　监督电话：{supervision_phone}　　办公地址：{address}"),
    ]


def receipt_story(doc: Receipt) -> list[Flowable]:
    meta, hall, applicant = doc.meta, doc.hall, doc.applicant
    matters = "、".join(doc.matters)
    decision = acceptance_sentence(doc)
    story: list[Flowable] = [
        para(f"{applicant.name}：", BODY),
        para(
            f"你（单位）于{format_datetime(doc.accepted_at)}在{hall.name}"
            f"{meta.window_number}号窗口提交的{matters}申请，{decision}",
            BODY,
        ),
        heading("一、申请人"),
        field_table(applicant_fields(applicant)),
        heading("二、申请事项"),
        *matter_list(doc.matters),
        heading("三、已收材料"),
        grid_table(
            ["序号", "材料名称", "材料形式", "份数", "备注"],
            [
                [str(i), m.name, m.form.label, str(m.copies), m.note]
                for i, m in enumerate(doc.received, 1)
            ],
            [12 * mm, 78 * mm, 36 * mm, 14 * mm, BODY_WIDTH - 140 * mm],
            centered=(0, 2, 3),
        ),
    ]
    section = 4
    if doc.gaps:
        story += [
            heading("四、容缺材料（须在期限内补齐）"),
            grid_table(
                ["序号", "材料名称", "补齐期限", "说明"],
                [
                    [str(i), g.name, format_date(g.deadline), g.note]
                    for i, g in enumerate(doc.gaps, 1)
                ],
                [12 * mm, 78 * mm, 36 * mm, BODY_WIDTH - 126 * mm],
                centered=(0, 2),
            ),
        ]
        section = 5
    numerals = "一二三四五六七八九十"
    story += [
        heading(f"{numerals[section - 1]}、办结时限与进度查询"),
        para(
            f"承诺办结日期：{format_date(doc.promised_date)}"
            f"（自受理之日起{doc.promised_days}个工作日，依法需要听证、检验、检测、鉴定、"
            "专家评审、公示及补正材料的时间不计算在内）。"
        ),
        *follow_up(hall, meta.case_no),
        sign_and_seal(
            meta,
            hall,
            ["申请人（签字）：________________", "日期：______年____月____日"],
            [
                f"受理人：{meta.clerk_name}（{meta.window_number}号窗口）",
                f"受理日期：{format_date(local(doc.accepted_at).date())}",
            ],
        ),
    ]
    return story


def render_receipt(doc: Receipt) -> bytes:
    header = PageHeader(TITLE, doc.hall, doc.meta)
    return build_a4(header, lambda: receipt_story(doc), subject=f"{TITLE} {doc.meta.case_no}")
