"""不予受理通知书: the reason, where to apply instead, and the applicant's remedies —
administrative review within 60 days or a lawsuit within 6 months."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.printing.layout import (
    BODY,
    PageHeader,
    build_a4,
    field_table,
    format_datetime,
    heading,
    para,
    sign_and_seal,
)
from app.printing.model import Rejection
from app.printing.receipt import applicant_fields, matter_list

TITLE = "不予受理通知书"


def remedies(doc: Rejection) -> str:
    review = doc.review_body or "有权的行政复议机关"
    court = doc.court or "有管辖权的人民法院"
    return (
        "如对本决定不服，可以自收到本通知书之日起六十日内，依照《中华人民共和国行政复议法》"
        f"向{review}申请行政复议；也可以自收到本通知书之日起六个月内，"
        f"依照《中华人民共和国行政诉讼法》向{court}提起行政诉讼。"
    )


def rejection_story(doc: Rejection) -> list[Flowable]:
    meta, hall, applicant = doc.meta, doc.hall, doc.applicant
    matters = "、".join(doc.matters)
    story: list[Flowable] = [
        para(f"{applicant.name}：", BODY),
        para(
            f"你（单位）于{format_datetime(doc.submitted_at)}提交的{matters}申请，经审查，"
            "根据《中华人民共和国行政许可法》第三十二条的规定，决定不予受理。",
            BODY,
        ),
        heading("一、申请人"),
        field_table(applicant_fields(applicant)),
        heading("二、申请事项"),
        *matter_list(doc.matters),
        heading("三、不予受理的理由"),
        para(doc.reason if doc.reason.endswith("。") else doc.reason + "。", BODY),
    ]
    n = 4
    if doc.refer_to:
        story += [
            heading("四、告知"),
            para(f"该事项请向{doc.refer_to}申请办理。", BODY),
        ]
        n = 5
    numerals = "一二三四五六七八九十"
    story += [
        heading(f"{numerals[n - 1]}、权利救济"),
        para(remedies(doc), BODY),
        para(f"咨询电话：{hall.enquiry_phone}　　监督电话：{hall.supervision_phone}"),
        sign_and_seal(
            meta,
            hall,
            ["申请人（签收）：________________", "日期：______年____月____日"],
            [f"经办人：{meta.clerk_name}（{meta.window_number}号窗口）"],
        ),
    ]
    return story


def render_rejection(doc: Rejection) -> bytes:
    header = PageHeader(TITLE, doc.hall, doc.meta)
    return build_a4(header, lambda: rejection_story(doc), subject=f"{TITLE} {doc.meta.case_no}")
