"""After the counter: gap materials handed in (补齐), a notified applicant's new case, and the
rest of a case's life (withdrawn, in review, decided, delivered).

Every function takes the caller's Session and never commits: the caller owns the transaction
and rolls it back on any exception. Validation comes first, so a UserError is raised before
anything is written (nothing saved changes); domain changes are recorded with
`app.services.changes.record` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import hall_day
from app.errors import UserError
from app.messages import Message
from app.queue.visits import link_case
from app.rules.checklist import ChecklistLine
from app.rules.decision import (
    RECEIVED_STATUSES,
    MaterialEntry,
    MaterialStatus,
    Override,
    entry_problem,
)
from app.rules.lifecycle import GAP_STATUSES, STATUS_LABELS, CaseStatus, check_transition
from app.rules.rejection import RejectGround
from app.services.applicant import ApplicantData, ApplicantInput
from app.services.case_queries import CaseSummary, get_case, summary_of
from app.services.changes import DeskContext, record
from app.services.intake import SavedCase, calendar_for, checklist_for, save_case
from db.base import utcnow
from db.models.case import Case, CaseMaterial

# Statuses `transition` moves a case to; the others come from saving or supplements.
MANUAL_STATUSES = frozenset(
    {CaseStatus.WITHDRAWN, CaseStatus.IN_REVIEW, CaseStatus.DECIDED, CaseStatus.DELIVERED}
)


def _entry_for(material: CaseMaterial) -> MaterialEntry:
    return MaterialEntry(
        MaterialStatus(material.status), material.copies_received, material.defect_reason or ""
    )


def _received_as_required(material: CaseMaterial) -> MaterialEntry:
    """The entry of a gap material handed in as its line requires."""
    if material.form == "original_kept":
        return MaterialEntry(MaterialStatus.RECEIVED_ORIGINAL_KEPT)
    if material.form == "original_checked":
        return MaterialEntry(
            MaterialStatus.RECEIVED_ORIGINAL_CHECKED, copies=material.copies_required
        )
    if material.form == "copy":
        return MaterialEntry(
            MaterialStatus.RECEIVED_COPIES, copies=max(material.copies_required, 1)
        )
    return MaterialEntry(MaterialStatus.ELECTRONIC)


def _line_of(material: CaseMaterial) -> ChecklistLine:
    return ChecklistLine(
        code=material.material_code,
        name=material.name,
        form=material.form,  # type: ignore[arg-type]
        copies=material.copies_required,
        necessity=material.necessity,  # type: ignore[arg-type]
        tolerable=material.tolerable,
        source=material.source,  # type: ignore[arg-type]
        obtain=material.obtain,
        condition="",
        matter_codes=tuple(material.matter_codes),
        gap_limit_days=0,
    )


def record_supplement(
    session: Session,
    ctx: DeskContext,
    case_id: str,
    material_codes: Sequence[str],
    now: datetime | None = None,
    *,
    entries: Mapping[str, MaterialEntry] | None = None,
    ticket_id: str | None = None,
) -> CaseSummary:
    """Gap materials handed in (补齐). Each code must be an unsupplied gap of the case, handed
    in by its deadline; `entries` may say how each was received (default: as required). When
    every gap is in the case becomes supplemented, otherwise awaiting_supplement. With the
    ticket of the visit, the visit is linked to the case (a supplement visit)."""
    now = now or utcnow()
    today = hall_day(now)
    case = get_case(session, case_id)
    status = CaseStatus(case.status)
    reviewing = status is CaseStatus.IN_REVIEW and any(
        m.gap_deadline is not None and m.supplied_at is None for m in case.materials
    )  # review in parallel with an open gap (the matter's local rule)
    if status not in GAP_STATUSES and not reviewing:
        raise UserError("case.no_open_gaps", status=STATUS_LABELS[status])
    codes = list(dict.fromkeys(material_codes))
    if not codes:
        raise UserError("case.choose_supplied")
    by_code = {m.material_code: m for m in case.materials}
    problems: list[Message] = []
    chosen: list[tuple[CaseMaterial, MaterialEntry]] = []
    for code in codes:
        material = by_code.get(code)
        if material is None or material.gap_deadline is None:
            name = material.name if material else code
            problems.append(Message("supplement.not_a_gap", material=name))
            continue
        if material.supplied_at is not None:
            problems.append(
                Message(
                    "supplement.already", material=material.name, day=hall_day(material.supplied_at)
                )
            )
            continue
        if today > material.gap_deadline:
            problems.append(
                Message(
                    "supplement.too_late", material=material.name, deadline=material.gap_deadline
                )
            )
            continue
        entry = (entries or {}).get(code) or _received_as_required(material)
        if entry.status not in RECEIVED_STATUSES:
            problems.append(Message("supplement.must_receive", material=material.name))
            continue
        problem = entry_problem(_line_of(material), entry)
        if problem:
            problems.append(problem)
            continue
        chosen.append((material, entry))
    if problems:
        raise UserError(*problems)

    for material, entry in chosen:
        material.status = entry.status.value
        material.copies_received = entry.copies
        material.supplied_at = now
        record(session, ctx, material, "case.supplement", {"case_no": case.case_no})
    still_open = [m for m in case.materials if m.gap_deadline is not None and m.supplied_at is None]
    new_status = CaseStatus.AWAITING_SUPPLEMENT if still_open else CaseStatus.SUPPLEMENTED
    if reviewing:
        new_status = status
    if new_status != status:
        check_transition(status, new_status)
        case.status = new_status.value
    case.updated_at = now
    record(
        session,
        ctx,
        case,
        "case.supplement",
        {
            "case_no": case.case_no,
            "materials": [m.material_code for m, _ in chosen],
            "from": status.value,
            "to": new_status.value,
        },
    )
    if ticket_id:
        link_case(session, ctx, ticket_id=ticket_id, case_id=case.id, purpose="supplement")
    return summary_of(case, today, calendar_for(session))


#: What a notified case settled for good: the materials received, and the lines judged not
#: applicable (a conditional material whose condition does not hold, an optional one).
CARRIED_STATUSES = RECEIVED_STATUSES | {MaterialStatus.NOT_APPLICABLE}


def carried_entries(session: Session, notified_case_id: str) -> dict[str, MaterialEntry]:
    """What a returning applicant need not bring or have judged again: the materials the
    notified case received and checked, and its lines judged not applicable; only those the
    current catalogue still asks for in a way they satisfy (a line that became required is
    asked again)."""
    case = get_case(session, notified_case_id)
    codes = None if case.bundle_code else [m.matter_code for m in case.matters]
    checklist = {line.code: line for line in checklist_for(session, codes, case.bundle_code)}
    carried: dict[str, MaterialEntry] = {}
    for m in case.materials:
        entry = _entry_for(m)
        line = checklist.get(m.material_code)
        if entry.status in CARRIED_STATUSES and line and entry_problem(line, entry) is None:
            carried[m.material_code] = entry
    return carried


def save_at_the_counter(
    session: Session,
    ctx: DeskContext,
    *,
    previous_case_id: str | None,
    matter_codes: Sequence[str] | None,
    bundle_code: str | None,
    entries: Mapping[str, MaterialEntry],
    commitment_signed: bool,
    applicant: ApplicantInput,
    reject_reason: str | None = None,
    override: Override | None = None,
    ticket_id: str | None = None,
    reject_ground: RejectGround | str = RejectGround.NOT_COMPETENT,
    refer_to: str | None = None,
    requested_matter: str | None = None,
) -> SavedCase:
    """The counter's one save: a notified applicant's return (`previous_case_id`) restarts
    that case, anything else is a new case. A rejection's ground, referral and a request the
    catalogue does not hold: see save_case."""
    if previous_case_id:
        return restart_from_notice(
            session,
            ctx,
            previous_case_id,
            entries=entries,
            commitment_signed=commitment_signed,
            applicant=applicant,
            reject_reason=reject_reason,
            override=override,
            ticket_id=ticket_id,
            reject_ground=reject_ground,
            refer_to=refer_to,
        )
    return save_case(
        session,
        ctx,
        applicant=applicant,
        matter_codes=matter_codes,
        bundle_code=bundle_code,
        entries=entries,
        commitment_signed=commitment_signed,
        reject_reason=reject_reason,
        override=override,
        ticket_id=ticket_id,
        requested_matter=requested_matter,
        reject_ground=reject_ground,
        refer_to=refer_to,
    )


def restart_from_notice(
    session: Session,
    ctx: DeskContext,
    notified_case_id: str,
    *,
    entries: Mapping[str, MaterialEntry],
    commitment_signed: bool,
    applicant: ApplicantInput | None = None,
    reject_reason: str | None = None,
    override: Override | None = None,
    ticket_id: str | None = None,
    now: datetime | None = None,
    reject_ground: RejectGround | str = RejectGround.NOT_COMPETENT,
    refer_to: str | None = None,
) -> SavedCase:
    """A notified applicant comes back: a NEW case for the same matters (or bundle), linked to
    the first, with what it settled carried over (`carried_entries`: the materials received,
    the lines judged not applicable); `entries` add to or replace them. The applicant is
    the first case's unless given."""
    first = get_case(session, notified_case_id)
    if CaseStatus(first.status) is not CaseStatus.NOTIFIED:
        raise UserError(
            "case.resubmit_not_notified",
            case=first.case_no,
            status=STATUS_LABELS[CaseStatus(first.status)],
        )
    follower = session.scalars(
        select(Case.case_no).where(Case.previous_case_id == first.id)
    ).first()
    if follower is not None:
        raise UserError("case.already_resubmitted", case=first.case_no, follower=follower)
    matter_codes = None if first.bundle_code else [m.matter_code for m in first.matters]
    carried = carried_entries(session, first.id)
    who = applicant or ApplicantData.of(first)
    return save_case(
        session,
        ctx,
        applicant=who,
        matter_codes=matter_codes,
        bundle_code=first.bundle_code,
        entries={**carried, **entries},
        commitment_signed=commitment_signed,
        reject_reason=reject_reason,
        override=override,
        ticket_id=ticket_id,
        previous_case_id=first.id,
        now=now,
        reject_ground=reject_ground,
        refer_to=refer_to,
    )


def transition(
    session: Session,
    ctx: DeskContext,
    case_id: str,
    to_status: CaseStatus | str,
    reason: str | None = None,
    now: datetime | None = None,
) -> CaseSummary:
    """Move a case on in the rest of its life: withdrawn (reason required), in_review,
    decided, delivered. Illegal moves are a UserError naming the allowed ones. A gap case
    decided before its gaps are in is one whose handling stopped: the reason is required."""
    now = now or utcnow()
    try:
        target = CaseStatus(to_status)
    except ValueError as exc:
        raise UserError("case.unknown_status", status=str(to_status)) from exc
    if target not in MANUAL_STATUSES:
        raise UserError("case.status_automatic", status=STATUS_LABELS[target])
    case = get_case(session, case_id)
    current = CaseStatus(case.status)
    check_transition(current, target, parallel_review=any(m.parallel_review for m in case.matters))
    open_gaps = [m.name for m in case.materials if m.gap_deadline and m.supplied_at is None]
    if target is CaseStatus.DECIDED and open_gaps:
        raise UserError("case.gaps_still_open", materials=open_gaps)
    why = (reason or "").strip()
    stopped = target is CaseStatus.DECIDED and current in GAP_STATUSES
    if not why and (target is CaseStatus.WITHDRAWN or stopped):
        raise UserError("case.status_reason")
    case.status = target.value
    case.status_reason = why or None
    case.updated_at = now
    record(
        session,
        ctx,
        case,
        "case.status",
        {
            "case_no": case.case_no,
            "from": current.value,
            "to": target.value,
            "reason": why,
        },
    )
    return summary_of(case, hall_day(now), calendar_for(session))


def hand_over(
    session: Session, ctx: DeskContext, case_id: str, now: datetime | None = None
) -> CaseSummary:
    """Hand a decided case's result to the applicant (办结送达): decided -> delivered, with its
    event. Any other state is a UserError naming the moves it allows; nothing changes."""
    return transition(session, ctx, case_id, CaseStatus.DELIVERED, now=now)
