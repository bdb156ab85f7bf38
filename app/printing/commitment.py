"""容缺受理承诺书 with its notice: each missing material with what to hand in and its deadline
in working days and as a date, how and where to supply it, whom to call, the policy basis of
容缺 from the catalogue, and what happens if it is late (视为撤回; a credit record where the
local rule says so); signed by the applicant. Printed twice in one PDF: 申请人留存 and
窗口留存."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from app.printing.fonts import FONT
from app.printing.layout import (
    BODY,
    BODY_WIDTH,
    CELL,
    CELL_CENTER,
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
from app.printing.model import Commitment, GapMaterial
from app.printing.receipt import applicant_fields, matter_list

TITLE = "容缺受理承诺书"
COPIES = ("第一联 申请人留存", "第二联 窗口留存")
CONSEQUENCE = "逾期未补齐的，视为撤回申请，终止办理"
CREDIT = "未按承诺补齐材料或者作出不实承诺的，按规定记入申请人信用记录"


def deadline_text(g: GapMaterial) -> str:
    """e.g. 「5个工作日内（2026年12月3日前）」."""
    when = f"{format_date(g.deadline)}前"
    return f"{g.working_days}个工作日内（{when}）" if g.working_days > 0 else when


def notice_items(doc: Commitment) -> list[str]:
    consequence = f"{CONSEQUENCE}，由此产生的后果由申请人承担；需要继续办理的，应当重新提出申请。"
    if doc.credit_record:
        consequence += CREDIT + "。"
    items = [
        "容缺受理适用于基本条件具备、主要申请材料齐全且符合法定形式，仅次要材料欠缺或有瑕疵的"
        "申请；容缺受理不降低审批标准，不改变法定审批条件。",
        "申请人应当在下表所列期限（自受理之日起计算的工作日）内补齐全部容缺材料；"
        "材料补齐并审查通过后方可作出决定。",
        (doc.submit_where or f"请将材料送交{doc.hall.name}（地址：{doc.hall.address}）")
        + (f"；联系电话：{doc.phone}" if doc.phone else "")
        + "。",
        consequence,
        "申请人对所提交材料的真实性负责；提供虚假材料的，依法承担法律责任。",
    ]
    if doc.policy:
        items.append(f"容缺受理依据：{doc.policy}。")
    return items


def _last_row(row: list[str], widths: list[float]) -> Table:
    """The list's last row as a table of its own, ruled like the list it continues."""
    cells = [para(v, CELL_CENTER if i == 0 else CELL) for i, v in enumerate(row)]
    table = Table([cells], colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def commitment_story(doc: Commitment) -> list[Flowable]:
    meta, applicant = doc.meta, doc.applicant
    matters = "、".join(doc.matters)
    w = BODY_WIDTH
    header = ["序号", "容缺材料", "提交要求", "补齐期限", "说明"]
    widths = [0.06 * w, 0.22 * w, 0.19 * w, 0.19 * w, 0.34 * w]
    rows = [
        [str(i), g.name, g.requirement, deadline_text(g), g.note] for i, g in enumerate(doc.gaps, 1)
    ]
    # The last row goes with the promise and the signatures (see below).
    head = [grid_table(header, rows[:-1], widths, centered=(0,))] if len(rows) > 1 else []
    last = _last_row(rows[-1], widths) if head else grid_table(header, rows, widths, (0,))
    promise_heading = heading("承诺")
    promise = para(
        f"本人（本单位）已知悉上述告知内容，申请办理{matters}，现郑重承诺："
        "在上表所列期限内补齐全部容缺材料，并对所提交材料的真实性、合法性负责。"
        f"{CONSEQUENCE}，由此产生的一切后果由本人（本单位）承担。",
        BODY,
    )
    signatures = sign_and_seal(
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
    )
    return [
        heading("容缺受理告知"),
        *[para(f"{i}. {text}") for i, text in enumerate(notice_items(doc), 1)],
        heading("申请人"),
        field_table(applicant_fields(applicant)),
        heading("申请事项"),
        *matter_list(doc.matters),
        heading("容缺材料及补齐期限"),
        *head,
        # The end of the list, the promise and the signatures stay together: the signature
        # block never starts a page of its own, away from the list it signs for.
        # (The signature block's own parts: a KeepTogether inside another would make the
        # outer one think it never fits and always start a new page.)
        KeepTogether([last, promise_heading, promise, *getattr(signatures, "_content", [])]),
    ]


def render_commitment(doc: Commitment) -> bytes:
    header = PageHeader(TITLE, doc.hall, doc.meta)
    return build_a4(
        header,
        lambda: commitment_story(doc),
        sections=COPIES,
        subject=f"{TITLE} {doc.meta.case_no}",
    )
