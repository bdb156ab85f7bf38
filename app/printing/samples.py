"""Demo documents for a Baicheng hall: `python -m app print-samples OUTDIR` writes one of each,
so a hall can check its printers, paper and fonts before going live."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from app.printing.model import (
    Applicant,
    Commitment,
    DocumentMeta,
    GapMaterial,
    HallInfo,
    MaterialForm,
    NeededMaterial,
    Notice,
    PrintableDocument,
    QueueTicket,
    Receipt,
    ReceivedMaterial,
    Rejection,
)
from app.printing.render import render

DEMO_HALL = HallInfo(
    name="白城市政务服务中心",
    address="吉林省白城市洮北区长庆南街 白城市政务服务中心一楼综合受理区",
    enquiry_phone="0436-3232345",
    supervision_phone="12345",
    division_code="220800",
    query_url_pattern="https://zwfw.baicheng.gov.cn/query?no={case_no}",
)

# 2026-11-26 09:32 China Standard Time.
ACCEPTED_AT = datetime(2026, 11, 26, 1, 32, tzinfo=UTC)
PRINTED_AT = datetime(2026, 11, 26, 1, 33, tzinfo=UTC)
CASE_NO = "22080020261126030012"

DEMO_APPLICANT = Applicant(
    kind="person",
    name="王䶮",
    id_number="220802199003151234",
    phone="13904361234",
    agent_name="李堃",
    agent_id_number="22080219880722453X",
)

MATTERS = (
    "个体工商户设立登记",
    "企业开办一件事（营业执照、公章刻制、发票申领、社保登记）",
)


def _meta(prefix: str, seq: int, reprint: int = 0) -> DocumentMeta:
    return DocumentMeta(
        doc_no=f"{prefix}2208002026112603{seq:04d}",
        case_no=CASE_NO,
        window_number=3,
        clerk_name="张喆",
        printed_at=PRINTED_AT,
        reprint_count=reprint,
    )


RECEIVED = (
    ReceivedMaterial("个体工商户登记（备案）申请书", MaterialForm.ORIGINAL_KEPT, 1),
    ReceivedMaterial("经营者居民身份证", MaterialForm.ORIGINAL_CHECKED, 1, "核验后当场退回"),
    ReceivedMaterial("经营者居民身份证复印件", MaterialForm.COPY, 2),
    ReceivedMaterial("经营场所使用证明（房屋租赁合同）", MaterialForm.COPY, 1),
    ReceivedMaterial("委托代理人授权委托书", MaterialForm.ORIGINAL_KEPT, 1),
    ReceivedMaterial("新办纳税人涉税事项确认表", MaterialForm.ELECTRONIC, 1, "已通过数据共享获取"),
)

GAPS = (
    GapMaterial(
        "经营场所产权证明（不动产权证书）复印件", date(2026, 11, 30), "租赁合同已收，产权证明容缺"
    ),
    GapMaterial("公章刻制备案表（签字页）", date(2026, 12, 1)),
)


def demo_receipt(hall: HallInfo = DEMO_HALL, reprint: int = 0) -> Receipt:
    return Receipt(
        hall=hall,
        meta=_meta("SL", 1, reprint),
        applicant=DEMO_APPLICANT,
        matters=MATTERS,
        received=RECEIVED,
        accepted_at=ACCEPTED_AT,
        promised_date=date(2026, 12, 1),
        promised_days=3,
        gaps=GAPS,
    )


def demo_commitment(hall: HallInfo = DEMO_HALL) -> Commitment:
    return Commitment(
        hall=hall,
        meta=_meta("RQ", 1),
        applicant=DEMO_APPLICANT,
        matters=MATTERS,
        gaps=GAPS,
        accepted_at=ACCEPTED_AT,
    )


def demo_notice(hall: HallInfo = DEMO_HALL) -> Notice:
    return Notice(
        hall=hall,
        meta=_meta("GZ", 2),
        applicant=DEMO_APPLICANT,
        matters=MATTERS,
        received=RECEIVED[:3],
        needed=(
            NeededMaterial(
                "经营场所使用证明",
                "missing",
                "未提交经营场所使用证明",
                "提供房屋租赁合同及出租方产权证明；自有房屋提供不动产权证书复印件",
            ),
            NeededMaterial(
                "委托代理人授权委托书",
                "defective",
                "委托书未载明委托权限，且缺少经营者本人签字",
                "使用窗口提供的标准委托书模板，由经营者本人签字后提交",
            ),
            NeededMaterial(
                "名称自主申报告知书",
                "missing",
                "个体工商户名称尚未自主申报",
                "登录吉林省市场主体登记全程电子化平台自主申报名称后打印",
            ),
        ),
        submitted_at=ACCEPTED_AT,
    )


def demo_rejection(hall: HallInfo = DEMO_HALL) -> Rejection:
    return Rejection(
        hall=hall,
        meta=_meta("BY", 1),
        applicant=DEMO_APPLICANT,
        matters=("危险化学品经营许可（带有储存设施）",),
        submitted_at=ACCEPTED_AT,
        reason="申请事项依法不属于本级行政机关职权范围：带有储存设施的危险化学品经营许可由"
        "设区的市级应急管理部门以上机关实施",
        refer_to="吉林省应急管理厅",
        review_body="白城市人民政府",
        court="白城市洮北区人民法院",
    )


def demo_ticket(hall: HallInfo = DEMO_HALL, offline: bool = False) -> QueueTicket:
    return QueueTicket(
        hall=hall,
        ticket_no="A012",
        business_line="企业开办综合窗口",
        waiting_ahead=7,
        issued_at=ACCEPTED_AT,
        offline=offline,
        doc_no="PH22080020261126000012",
    )


def write_samples(outdir: Path | str, hall: HallInfo | None = None) -> list[Path]:
    """Write receipt.pdf, commitment.pdf, notice.pdf, rejection.pdf and ticket.pdf."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    use = hall or DEMO_HALL
    documents: dict[str, PrintableDocument] = {
        "receipt.pdf": demo_receipt(use),
        "commitment.pdf": demo_commitment(use),
        "notice.pdf": demo_notice(use),
        "rejection.pdf": demo_rejection(use),
        "ticket.pdf": demo_ticket(use),
    }
    written = []
    for name, document in documents.items():
        path = out / name
        path.write_bytes(render(document))
        written.append(path)
    return written
