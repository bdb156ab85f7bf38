"""What the papers of a saved case SAY, from its committed rows and the catalogue snapshots on
it: the legal basis by the matter's kind, each material still needed with its requirement, a
reason in plain words for the applicant, how to obtain it and where its blank form is; the
容缺 terms (working days and date, how to supply, phone, policy, consequence); a rejection's
clause, referral and remedies. app.services.case_documents assembles the papers with these.

The reasons here are the applicant's: the clerk's working notes (「可容缺，但申请人未签署容缺
承诺书」) stay on the desk."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.clock import hall_day
from app.printing.model import GapMaterial, HallInfo, NeededMaterial
from app.rules.checklist import requirement_text
from app.rules.decision import MaterialStatus
from app.rules.rejection import (
    ACCEPT_CLAUSE,
    NOT_COMPETENT_CLAUSE,
    NOTIFY_CLAUSE,
    RejectGround,
    cited_basis,
)
from app.services.intake import calendar_for
from db.models.case import Case, CaseMaterial, CaseMatter

# 复议/诉讼 lie against an administrative organ or an organisation the law empowers.
REMEDY_ORGAN_TYPES = frozenset({"administrative", "authorised"})
NOTHING_ELSE = "除上述材料外，不再要求申请人提供其他材料。"
ASK_AT_THE_WINDOW = "请咨询窗口工作人员"


def _catalogued(case: Case) -> list[CaseMatter]:
    return [m for m in case.matters if m.matter_code]


def basis(case: Case, clause: str) -> str:
    """The basis a paper of `case` cites for `clause` of 《行政许可法》第三十二条: that clause
    for licences only; other kinds cite their own rule from the catalogue, or nothing."""
    matters = _catalogued(case)
    return cited_basis([m.kind for m in matters], [m.legal_basis for m in matters], clause)


def notice_basis(case: Case) -> str:
    return basis(case, NOTIFY_CLAUSE)


def receipt_basis(case: Case) -> str:
    return basis(case, ACCEPT_CLAUSE)


def rejection_basis(case: Case) -> str:
    if case.reject_ground == RejectGround.NOT_COMPETENT.value:
        return basis(case, NOT_COMPETENT_CLAUSE)
    # Another ground: the matter's own rule, never a clause of art. 32 that does not apply.
    matters = _catalogued(case)
    return cited_basis([], [m.legal_basis for m in matters], "")


def requirement_of(m: CaseMaterial) -> str:
    """e.g. 「复印件1份；须加盖单位公章」."""
    parts = [requirement_text(m.form, m.copies_required, m.role)]
    if m.note.strip():
        parts.append(m.note.strip())
    return "；".join(parts)


def reason_for_applicant(m: CaseMaterial) -> str:
    """Why the applicant must bring it, in plain words."""
    if m.status == MaterialStatus.DEFECTIVE and (m.defect_reason or "").strip():
        return f"已提交的材料不符合要求：{(m.defect_reason or '').strip()}，请重新提供"
    if m.necessity == "conditional" and m.condition.strip():
        return f"您的申请属于「{m.condition.strip()}」的情形，需要提交，目前尚未提交"
    return "办理本事项需要提交，目前尚未提交"


def form_and_sample(m: CaseMaterial) -> str:
    published = []
    if m.blank_form:
        published.append(f"空白表格《{m.blank_form.rsplit('.', 1)[0]}》")
    if m.sample:
        published.append(f"填写样例《{m.sample.rsplit('.', 1)[0]}》")
    if not published:
        return ""
    return "、".join(published) + "：可在窗口领取，或在政务服务网本事项办事指南中下载"


def needed_materials(case: Case) -> tuple[NeededMaterial, ...]:
    """Every material still needed, at once (一次性告知), each with its requirement, the
    reason, how to obtain it and where its blank form or sample is."""
    return tuple(
        NeededMaterial(
            name=m.name,
            problem="defective" if m.status == MaterialStatus.DEFECTIVE else "missing",
            reason=reason_for_applicant(m),
            how_to_obtain=m.obtain.strip() or ASK_AT_THE_WINDOW,
            requirement=requirement_of(m),
            form_and_sample=form_and_sample(m),
        )
        for m in case.materials
        if m.missing_why
    )


def submit_where(case: Case, hall: HallInfo) -> str:
    places: list[str] = []
    for m in _catalogued(case):
        if m.place.strip() and m.place.strip() not in places:
            places.append(m.place.strip())
    where = "、".join(places) or hall.name
    return f"请将材料（纸质材料按上表要求）送交{where}（地址：{hall.address}），并出示本文书"


def gap_materials(session: Session, case: Case) -> tuple[GapMaterial, ...]:
    calendar = calendar_for(session)
    accepted = hall_day(case.accepted_at) if case.accepted_at else case.received_day
    out = []
    for m in case.materials:
        if m.gap_deadline is None:
            continue
        note = m.obtain.strip()
        if m.defect_reason:
            note = f"已交材料须补正：{m.defect_reason.strip()}。" + note
        out.append(
            GapMaterial(
                m.name,
                m.gap_deadline,
                note,
                working_days=calendar.working_days_between(accepted, m.gap_deadline),
                requirement=requirement_of(m),
            )
        )
    return tuple(out)


def gap_terms(case: Case) -> tuple[str, str, bool]:
    """The organ's phone, the policy basis of 容缺 and whether a broken promise goes on the
    credit record (the local rule of any of its matters)."""
    matters = _catalogued(case)
    phones = [m.organ_phone for m in matters if m.organ_phone.strip()]
    policies: list[str] = []
    for m in matters:
        if m.gap_policy.strip() and m.gap_policy.strip() not in policies:
            policies.append(m.gap_policy.strip())
    return (
        (phones[0] if phones else ""),
        "、".join(policies),
        any(m.gap_credit_record for m in matters),
    )


def incomplete_materials(case: Case) -> tuple[str, ...]:
    """Required materials an accepted case is still without (a manager's override)."""
    return tuple(
        m.name
        for m in case.materials
        if m.missing_why and m.gap_deadline is None and m.necessity != "optional"
    )


def remedies(case: Case) -> tuple[bool, str | None, str | None]:
    """Whether 复议/诉讼 are offered, and the review body and court from the catalogue."""
    matters = _catalogued(case)
    if not matters:
        return True, None, None  # a request the catalogue does not hold: generic wording
    if not all(m.organ_type in REMEDY_ORGAN_TYPES for m in matters):
        return False, None, None
    review = next((m.review_body for m in matters if m.review_body.strip()), None)
    court = next((m.court for m in matters if m.court.strip()), None)
    return True, review, court
