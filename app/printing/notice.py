"""一次性告知书: everything the applicant still needs, stated at once, as the Administrative
Licensing Law art. 32 requires — what was received, what is missing or defective and why,
and how to obtain each."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from app.printing.layout import (
    BODY,
    BODY_WIDTH,
    SMALL,
    PageHeader,
    build_a4,
    field_table,
    format_datetime,
    grid_table,
    heading,
    para,
    sign_and_seal,
)
from app.printing.model import Notice
from app.printing.receipt import applicant_fields, matter_list

TITLE = "一次性告知书"
LAW = (
    "依据《中华人民共和国行政许可法》第三十二条：申请材料不齐全或者不符合法定形式的，"
    "应当当场或者在五日内一次告知申请人需要补正的全部内容，逾期不告知的，"
    "自收到申请材料之日起即为受理。"
)


def notice_story(doc: Notice) -> list[Flowable]:
    meta, hall, applicant = doc.meta, doc.hall, doc.applicant
    matters = "、".join(doc.matters)
    story: list[Flowable] = [
        para(f"{applicant.name}：", BODY),
        para(
            f"你（单位）于{format_datetime(doc.submitted_at)}申请办理的{matters}，经审查，"
            "申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条的规定，"
            f"现一次性告知需要补齐、补正的全部内容（共{len(doc.needed)}项）如下。"
            "请按要求准备齐全后再次提交申请。",
            BODY,
        ),
        heading("一、申请人"),
        field_table(applicant_fields(applicant)),
        heading("二、申请事项"),
        *matter_list(doc.matters),
        heading("三、已收材料"),
    ]
    if doc.received:
        story.append(
            grid_table(
                ["序号", "材料名称", "材料形式", "份数"],
                [
                    [str(i), m.name, m.form.label, str(m.copies)]
                    for i, m in enumerate(doc.received, 1)
                ],
                [12 * mm, 100 * mm, 40 * mm, BODY_WIDTH - 152 * mm],
                centered=(0, 2, 3),
            )
        )
    else:
        story.append(para("无。"))
    story += [
        heading("四、需要补齐、补正的材料"),
        grid_table(
            ["序号", "材料名称", "问题", "原因", "获取方式"],
            [
                [str(i), n.name, n.problem_label, n.reason, n.how_to_obtain]
                for i, n in enumerate(doc.needed, 1)
            ],
            [12 * mm, 45 * mm, 17 * mm, 45 * mm, BODY_WIDTH - 119 * mm],
            centered=(0, 2),
        ),
        heading("五、咨询与监督"),
        para(f"咨询电话：{hall.enquiry_phone}　　监督电话：{hall.supervision_phone}"),
        para(f"办公地址：{hall.address}"),
        para(LAW, SMALL),
        sign_and_seal(
            meta,
            hall,
            ["申请人（签收）：________________", "日期：______年____月____日"],
            [f"告知人：{meta.clerk_name}（{meta.window_number}号窗口）"],
        ),
    ]
    return story


def render_notice(doc: Notice) -> bytes:
    header = PageHeader(TITLE, doc.hall, doc.meta)
    return build_a4(header, lambda: notice_story(doc), subject=f"{TITLE} {doc.meta.case_no}")
