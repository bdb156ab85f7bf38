"""一次性告知书: everything the applicant still needs, stated at once — what was received, and
for each material still needed: what to hand in (original or copies and how many, signature
or seal, format), why in plain words, how to obtain it and where its blank form or sample is;
how and where to hand the materials in, and that nothing beyond the list will be asked for.
The legal basis follows the matter's kind: 《行政许可法》第三十二条 for licences only."""

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
    format_date,
    format_datetime,
    grid_table,
    heading,
    local,
    para,
    sign_and_seal,
)
from app.printing.model import Notice
from app.printing.receipt import applicant_fields, matter_list

TITLE = "一次性告知书"
NOTHING_ELSE = "除上述材料外，不再要求申请人提供其他材料。"
LICENSING_LAW = "《中华人民共和国行政许可法》"
LAW = (
    "依据《中华人民共和国行政许可法》第三十二条：申请材料不齐全或者不符合法定形式的，"
    "应当当场或者在五日内一次告知申请人需要补正的全部内容，逾期不告知的，"
    "自收到申请材料之日起即为受理。"
)


def needed_rows(doc: Notice) -> list[list[str]]:
    rows = []
    for i, n in enumerate(doc.needed, 1):
        obtain = n.how_to_obtain
        if n.form_and_sample:
            obtain = f"{obtain}。{n.form_and_sample}"
        rows.append([str(i), f"{n.name}（{n.problem_label}）", n.requirement, n.reason, obtain])
    return rows


def notice_story(doc: Notice) -> list[Flowable]:
    meta, hall, applicant = doc.meta, doc.hall, doc.applicant
    matters = "、".join(doc.matters)
    basis = f"根据{doc.basis}的规定，" if doc.basis else ""
    story: list[Flowable] = [
        para(f"{applicant.name}：", BODY),
        para(
            f"你（单位）于{format_datetime(doc.submitted_at)}申请办理的{matters}，经审查，"
            f"申请材料不齐全或者不符合法定形式。{basis}"
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
    w = BODY_WIDTH
    story += [
        heading("四、需要补齐、补正的材料"),
        grid_table(
            ["序号", "材料名称", "提交要求", "原因", "获取方式及空白表格、样例"],
            needed_rows(doc),
            [0.06 * w, 0.19 * w, 0.22 * w, 0.22 * w, 0.31 * w],
            centered=(0,),
        ),
        para(NOTHING_ELSE, BODY),
        heading("五、提交方式"),
        para(
            (doc.submit_where or f"请将材料送交{hall.name}（地址：{hall.address}）")
            + "。可一次提交全部材料，也可分次提交。",
        ),
        heading("六、咨询与监督"),
        para(f"咨询电话：{hall.enquiry_phone}　　监督电话：{hall.supervision_phone}"),
    ]
    if doc.basis.startswith(LICENSING_LAW):
        story.append(para(LAW, SMALL))
    story.append(
        sign_and_seal(
            meta,
            hall,
            [
                "申请人（签收）：________________",
                "日期：______年____月____日",
            ],
            [
                f"告知人：{meta.clerk_name}（{meta.window_number}号窗口）",
                f"告知日期：{format_date(local(doc.submitted_at).date())}",
            ],
        )
    )
    return story


def needed_url(doc: Notice) -> str:
    """Where the QR of a notice leads: the list of what to bring, not the progress of a case
    that is closed (notified)."""
    url = doc.hall.query_url(doc.meta.case_no)
    return url + ("&" if "?" in url else "?") + "view=materials"


def render_notice(doc: Notice) -> bytes:
    header = PageHeader(
        TITLE, doc.hall, doc.meta, qr_url=needed_url(doc), qr_caption="扫码查看需补齐的材料"
    )
    return build_a4(header, lambda: notice_story(doc), subject=f"{TITLE} {doc.meta.case_no}")
