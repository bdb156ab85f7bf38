"""不予受理通知书: the reason, the exact clause (《行政许可法》第三十二条第一款第（二）项 where the
matter is not this organ's, for a licence; the matter's own rule otherwise, or none), the organ
the applicant is referred to, and — only where the issuer is an administrative organ or one
the law empowers — the remedies: administrative review within 60 days before the named body,
or a lawsuit within 6 months before the named court."""

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
NUMERALS = "一二三四五六七八九十"


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
    basis = f"根据{doc.basis}的规定，" if doc.basis else ""
    story: list[Flowable] = [
        para(f"{applicant.name}：", BODY),
        para(
            f"你（单位）于{format_datetime(doc.submitted_at)}提交的{matters}申请，经审查，"
            f"{basis}决定不予受理。",
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
            heading(f"{NUMERALS[n - 1]}、告知"),
            para(f"该申请事项请向{doc.refer_to}提出申请。", BODY),
        ]
        n += 1
    if doc.remedies:
        story += [heading(f"{NUMERALS[n - 1]}、权利救济"), para(remedies(doc), BODY)]
    story += [
        para(f"咨询电话：{hall.enquiry_phone}　　监督电话：{hall.supervision_phone}"),
        sign_and_seal(
            meta,
            hall,
            ["申请人（签收）：________________", "日期：______年____月____日"],
            [f"窗口工作人员：{meta.clerk_name}（{meta.window_number}号窗口）"],
        ),
    ]
    return story


def render_rejection(doc: Rejection) -> bytes:
    header = PageHeader(TITLE, doc.hall, doc.meta)
    return build_a4(header, lambda: rejection_story(doc), subject=f"{TITLE} {doc.meta.case_no}")
