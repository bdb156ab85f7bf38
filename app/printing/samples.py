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
    Issuer,
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

# A food business licence (食品经营许可, a 行政许可 of 白城市市场监督管理局, promised in 10
# working days) applied for by the operator of an individual business through an agent: the
# demo catalogue's matter, so every paper below is one the desk could print for it.
MATTERS = ("食品经营许可（新办）",)
PLACE = "白城市政务服务中心一楼 企业开办综合窗口"
SUBMIT_WHERE = (
    f"请将材料（纸质材料按上表要求）送交{PLACE}（地址：{DEMO_HALL.address}），并出示本文书"
)
LICENCE_LAW = "《中华人民共和国行政许可法》"
GAP_POLICY = "《白城市政务服务事项容缺受理制度》（演示）"


#: The organ that decides the demo matter, in whose name every sample is issued; the 文号 in
#: its style, numbered in window 3's block (app/services/organs.py).
ORGAN = "白城市市场监督管理局"
FILE_NO = {
    prefix: f"白市监受〔2026〕{30012 + i}号" for i, prefix in enumerate(("SL", "RQ", "GZ", "BY"))
}


def _meta(prefix: str, seq: int, reprint: int = 0) -> DocumentMeta:
    return DocumentMeta(
        doc_no=f"{prefix}2208002026112603{seq:04d}",
        case_no=CASE_NO,
        window_number=3,
        clerk_name="张喆",
        printed_at=PRINTED_AT,
        reprint_count=reprint,
        issuer=Issuer((ORGAN,), FILE_NO[prefix], date(2026, 11, 26)),
    )


RECEIVED = (
    ReceivedMaterial("食品经营许可申请书", MaterialForm.ORIGINAL_KEPT, 1),
    ReceivedMaterial("营业执照", MaterialForm.ELECTRONIC, 1, "电子证照，已通过数据共享获取"),
    ReceivedMaterial("法定代表人身份证件", MaterialForm.ORIGINAL_CHECKED, 1, "核验后当场退回"),
    ReceivedMaterial("经营场所平面布局图", MaterialForm.ORIGINAL_KEPT, 1),
    ReceivedMaterial("主要设备设施布局和操作流程文件", MaterialForm.ORIGINAL_KEPT, 1),
    ReceivedMaterial("授权委托书", MaterialForm.ORIGINAL_KEPT, 1),
)

# Accepted Thursday 26 November 2026: promised in 10 working days (10 December); each gap
# within 5 working days (3 December), leaving the organ time to decide.
PROMISED_DATE = date(2026, 12, 10)
GAPS = (
    GapMaterial(
        "从业人员健康证明",
        date(2026, 12, 3),
        "到有资质的体检机构体检取得",
        working_days=5,
        requirement="复印件1份",
    ),
    GapMaterial(
        "食品安全管理人员任命文件",
        date(2026, 12, 3),
        "已交文件未加盖公章，须补正",
        working_days=5,
        requirement="原件1份（收取）",
    ),
)


def demo_receipt(hall: HallInfo = DEMO_HALL, reprint: int = 0) -> Receipt:
    return Receipt(
        hall=hall,
        meta=_meta("SL", 1, reprint),
        applicant=DEMO_APPLICANT,
        matters=MATTERS,
        received=RECEIVED,
        accepted_at=ACCEPTED_AT,
        promised_date=PROMISED_DATE,
        promised_days=10,
        gaps=GAPS,
        basis=LICENCE_LAW + "第三十二条第一款第（五）项",
    )


def demo_commitment(hall: HallInfo = DEMO_HALL) -> Commitment:
    return Commitment(
        hall=hall,
        meta=_meta("RQ", 1),
        applicant=DEMO_APPLICANT,
        matters=MATTERS,
        gaps=GAPS,
        accepted_at=ACCEPTED_AT,
        phone="0436-3221201",
        policy=GAP_POLICY,
        credit_record=True,
        submit_where=SUBMIT_WHERE,
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
                "经营场所平面布局图",
                "missing",
                "办理本事项需要提交，目前尚未提交",
                "由申请人自行绘制或委托设计单位绘制",
                requirement="原件1份（收取）；标明功能间布局、面积及主要设备位置",
            ),
            NeededMaterial(
                "食品安全管理制度",
                "defective",
                "已提交的材料不符合要求：缺少进货查验记录制度，请重新提供",
                "参照窗口提供的食品安全管理制度范本编制",
                requirement="原件1份（收取）",
                form_and_sample="填写样例《食品安全管理制度（范本）》：可在窗口领取，"
                "或在政务服务网本事项办事指南中下载",
            ),
            NeededMaterial(
                "授权委托书",
                "missing",
                "您的申请属于「委托他人代为办理的」的情形，需要提交，目前尚未提交",
                "在窗口领取或从吉林省政务服务网（白城市站点）下载模板，由委托人签字（单位加盖公章）",
                requirement="原件1份（收取）；须写明委托事项、权限和期限",
                form_and_sample="空白表格《授权委托书》、填写样例《授权委托书（样例）》：可在窗口"
                "领取，或在政务服务网本事项办事指南中下载",
            ),
        ),
        submitted_at=ACCEPTED_AT,
        basis=LICENCE_LAW + "第三十二条第一款第（四）项",
        submit_where=SUBMIT_WHERE,
    )


def demo_rejection(hall: HallInfo = DEMO_HALL) -> Rejection:
    """A drug WHOLESALE licence asked for at the city: it is the province's (《药品管理法》
    第五十一条: 药品批发 by the provincial drug regulator; 药品零售 by the county level and
    above, which Baicheng grants), so the city rejects and refers (《行政许可法》第三十二条第一款
    第（二）项). The catalogue holds no such matter: it is named as asked."""
    return Rejection(
        hall=hall,
        meta=_meta("BY", 1),
        applicant=DEMO_APPLICANT,
        matters=("药品经营许可（药品批发企业）",),
        submitted_at=ACCEPTED_AT,
        reason="申请事项依法不属于本机关职权范围：从事药品批发活动，应当经所在地省级人民政府"
        "药品监督管理部门批准（《中华人民共和国药品管理法》第五十一条）",
        refer_to="吉林省药品监督管理局",
        review_body="白城市人民政府",
        court="白城市洮北区人民法院",
        basis=LICENCE_LAW + "第三十二条第一款第（二）项",
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
