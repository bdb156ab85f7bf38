"""Intake at the counter: the catalogue's matters as rules specs, the checklist, the live
decision, and saving a case with its number.

Every function takes the caller's Session and never commits: the caller owns the transaction
and rolls it back on any exception. Validation comes first, so a UserError is raised before
anything is written (nothing saved changes); domain changes are recorded with
`app.services.changes.record` in the same transaction.

Case numbers
------------
`{division_code}{yyyymmdd}{window:02d}{seq:04d}`: the hall's 6-digit administrative division
code, the hall's local day (China time) of receipt, the window number and the window's daily
sequence — 20 digits, so Code 128 encodes it compactly (numeric pairs) and a scanner or a
keyboard gives it back unchanged. Example: 22080020261126030007 is the 7th case of window 3
on 26 November 2026 in Baicheng (220800).

- Unique across desks without asking anyone: each desk is one window, and the sequence is the
  window's own (`next_in_sequence(session, f"case:w{window}", day)`).
- Taken INSIDE the transaction that saves the case: a rollback un-takes the number (the next
  case gets it), a committed number is gone for good, so a crash after commit never reuses it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import accounts
from app.clock import hall_day
from app.errors import UserError
from app.messages import Message, to_stored
from app.queue.visits import link_case
from app.rules.checklist import ChecklistLine, MaterialSpec, MatterSpec, build_checklist
from app.rules.decision import Decision, MaterialEntry, MaterialStatus, Override, decide
from app.rules.lifecycle import STATUS_FOR_DECISION, CaseStatus, check_transition
from app.rules.rejection import RejectGround, check_rejection
from app.rules.workdays import WorkCalendar
from app.services.applicant import (
    ApplicantInput,
    InvalidApplicant,
    applicant_problems,
    normalised_applicant,
)
from app.services.changes import DeskContext, record
from app.services.hall import MANAGER_ROLES
from app.services.numbering import next_in_sequence
from db.base import utcnow
from db.models.case import Case, CaseMaterial, CaseMatter
from db.models.catalogue import Bundle, CatalogueVersion, Holiday, Matter
from db.models.hall import Clerk, Hall
from db.models.numbering import DailyCounter
from db.models.queue import Ticket

MAX_SEQ = 9999  # four digits per window and day


@dataclass(frozen=True)
class SavedCase:
    """A saved case: its id and number, its status and the decision it was saved with. `case`
    is the ORM row (in the caller's session) for printing after commit."""

    case_id: str
    case_no: str
    status: CaseStatus
    decision: Decision
    case: Case


def calendar_for(session: Session) -> WorkCalendar:
    """The working-day calendar with the catalogue's holiday table as overrides."""
    rows = session.execute(select(Holiday.day, Holiday.is_workday)).all()
    return WorkCalendar({day: bool(workday) for day, workday in rows})


def current_catalogue_version(session: Session) -> str | None:
    return session.execute(
        select(CatalogueVersion.version).where(CatalogueVersion.is_current.is_(True))
    ).scalar_one_or_none()


def _matter_spec(matter: Matter) -> MatterSpec:
    return MatterSpec(
        code=matter.code,
        name=matter.name,
        promised_days=matter.promised_days,
        legal_days=matter.legal_days,
        allows_gap=matter.allows_gap,
        allows_pledge=matter.allows_pledge,
        gap_reserve_days=matter.gap_reserve_days,
        materials=tuple(
            MaterialSpec(
                code=m.code,
                name=m.name,
                form=m.form,  # type: ignore[arg-type]  # checked on import
                copies=m.copies,
                necessity=m.necessity,  # type: ignore[arg-type]
                tolerable=m.tolerable,
                source=m.source,  # type: ignore[arg-type]
                obtain=m.obtain,
                condition=m.condition,
                core=m.core,
                role=m.role,  # type: ignore[arg-type]  # checked on import
                note=m.note,
                blank_form=m.blank_form,
                sample=m.sample,
            )
            for m in matter.materials
        ),
    )


def _load_matters(
    session: Session, matter_codes: Sequence[str] | None, bundle_code: str | None
) -> list[Matter]:
    if bool(matter_codes) == bool(bundle_code):
        raise UserError("case.choose_matter")
    if bundle_code:
        bundle = session.get(Bundle, bundle_code)
        if bundle is None:
            raise UserError("case.no_bundle", bundle=bundle_code)
        codes = [bm.matter_code for bm in bundle.matters]
    else:
        assert matter_codes is not None
        codes = list(matter_codes)
        dup = sorted({c for c in codes if codes.count(c) > 1})
        if dup:
            raise UserError("case.duplicate_matters", matters=dup)
    rows = session.scalars(
        select(Matter).where(Matter.code.in_(codes)).options(selectinload(Matter.materials))
    ).all()
    by_code = {m.code: m for m in rows}
    unknown = [c for c in codes if c not in by_code]
    if unknown:
        raise UserError("case.no_matters", matters=unknown)
    return [by_code[c] for c in codes]


def matter_specs(
    session: Session, matter_codes: Sequence[str] | None = None, bundle_code: str | None = None
) -> list[MatterSpec]:
    """The catalogue's matters (of the given codes, or of the bundle), as rules specs."""
    return [_matter_spec(m) for m in _load_matters(session, matter_codes, bundle_code)]


def checklist_for(
    session: Session, matter_codes: Sequence[str] | None = None, bundle_code: str | None = None
) -> list[ChecklistLine]:
    """The checklist for one or more matters, or for a bundle (exactly one of the two).
    UserError for an unknown or repeated matter or an unknown bundle."""
    return build_checklist(matter_specs(session, matter_codes, bundle_code))


def _promised_days(
    session: Session, checklist: Sequence[ChecklistLine], matter_codes: Sequence[str] | None
) -> int:
    codes = (
        list(matter_codes)
        if matter_codes
        else sorted({c for line in checklist for c in line.matter_codes})
    )
    if not codes:
        return 0
    days = session.scalars(select(Matter.promised_days).where(Matter.code.in_(codes))).all()
    return max(days, default=0)


def _resolve_override(session: Session, override: Override | None) -> None:
    if override is None:
        return
    manager = session.get(Clerk, override.manager_id.strip())
    if manager is None or not manager.active or manager.role not in MANAGER_ROLES:
        raise UserError(
            "override.not_manager",
            manager=override.manager_id.strip() or Message("value.unset"),
        )


def _approve_override(session: Session, override: Override | None, now: datetime) -> None:
    """The manager's own credential, checked when the case is saved: a pick from a list is
    not an approval. A wrong one is counted towards the lock in a transaction of its own, as
    the case rolls back (accounts.check_inside)."""
    if override is None:
        return
    if not override.credential:
        raise UserError("override.no_credential", manager=override.manager_id.strip())
    accounts.check_inside(
        session,
        override.manager_id,
        override.credential,
        policy=accounts.policy_from_env(),
        now=now,
    )


def preview_decision(
    session: Session,
    checklist: Sequence[ChecklistLine],
    entries: Mapping[str, MaterialEntry],
    commitment_signed: bool,
    reject_reason: str | None,
    today: date,
    *,
    matter_codes: Sequence[str] | None = None,
    override: Override | None = None,
) -> Decision:
    """The decision the rules would take now, WITHOUT saving anything: the desk shows it live
    with its reasons. `matter_codes` (the case's matters) sets the promised time limit; when
    omitted, the matters named by the checklist lines are used. UserError for an entry the
    material does not allow (the message names it), or for an override not approved by an
    active manager."""
    _resolve_override(session, override)
    return decide(
        checklist,
        entries,
        commitment_signed=commitment_signed,
        not_this_hall_reason=reject_reason,
        calendar=calendar_for(session),
        today=today,
        promised_days=_promised_days(session, checklist, matter_codes),
        override=override,
    )


def _take_case_no(session: Session, division_code: str, window: int, day: date) -> str:
    scope = f"case:w{window}"
    used = session.execute(
        select(DailyCounter.value).where(DailyCounter.scope == scope, DailyCounter.day == day)
    ).scalar_one_or_none()
    if used is not None and used >= MAX_SEQ:
        raise UserError("case.numbers_used_up", window=window, limit=MAX_SEQ)
    seq = next_in_sequence(session, scope, day)
    return f"{division_code}{day:%Y%m%d}{window:02d}{seq:04d}"


def _ticket_in_service(session: Session, ctx: DeskContext, ticket_id: str | None) -> str | None:
    """The ticket a case is saved under: only one this window is serving now. A ticket whose
    service ended (办结), or that was passed, transferred or closed, belongs to another visit:
    the case is then a walk-in (no ticket, no visit), so the one-visit rate stays true."""
    if not ticket_id:
        return None
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.status != "serving" or ticket.window_number != ctx.window_number:
        return None
    return ticket.id


def save_case(
    session: Session,
    ctx: DeskContext,
    *,
    applicant: ApplicantInput,
    matter_codes: Sequence[str] | None = None,
    bundle_code: str | None = None,
    entries: Mapping[str, MaterialEntry],
    commitment_signed: bool,
    reject_reason: str | None = None,
    override: Override | None = None,
    ticket_id: str | None = None,
    previous_case_id: str | None = None,
    now: datetime | None = None,
    reject_ground: RejectGround | str = RejectGround.NOT_COMPETENT,
    refer_to: str | None = None,
    requested_matter: str | None = None,
) -> SavedCase:
    """Decide and save a new case (matters XOR bundle), with its number, matters, materials
    and status per the decision; records the change. Everything is validated first: on a
    UserError nothing was written (InvalidApplicant carries the per-field problems). A
    manager override needs an active manager's clerk id and credential.

    A rejection (`reject_reason`) needs no material checked; its ground decides what else
    it needs (app.rules.rejection: the organ to `refer_to` when the matter is not this
    organ's). A request the catalogue does not hold is named in `requested_matter` (then no
    matter or bundle is given)."""
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    problems = applicant_problems(applicant)
    if problems:
        raise InvalidApplicant(problems)
    window = ctx.window_number
    if window is None or not 1 <= window <= 99:
        raise UserError("case.no_window")
    hall = session.get(Hall, 1)
    if hall is None or not (len(hall.division_code) == 6 and hall.division_code.isdigit()):
        raise UserError("case.no_division")
    rejecting = bool((reject_reason or "").strip())
    ground: RejectGround | None = None
    if rejecting:
        ground = check_rejection(reject_reason or "", reject_ground, refer_to)
    # A request named in free text stands for a matter only when none is chosen.
    free_text = "" if matter_codes or bundle_code else (requested_matter or "").strip()
    if free_text and not rejecting:
        raise UserError("case.choose_matter")
    if rejecting and not (matter_codes or bundle_code or free_text):
        raise UserError("case.reject_needs_matter")
    matters = [] if free_text else _load_matters(session, matter_codes, bundle_code)
    specs = [_matter_spec(m) for m in matters]
    checklist = build_checklist(specs) if specs else []
    if previous_case_id is not None and session.get(Case, previous_case_id) is None:
        raise UserError("case.not_found", case=previous_case_id)
    _resolve_override(session, override)
    _approve_override(session, override, now)
    today = hall_day(now)
    decision = decide(
        checklist,
        entries,
        commitment_signed=commitment_signed,
        not_this_hall_reason=reject_reason,
        calendar=calendar_for(session),
        today=today,
        promised_days=max((s.promised_days for s in specs), default=0),
        override=override,
    )
    status = STATUS_FOR_DECISION[decision.kind]
    check_transition(CaseStatus.RECEIVED, status)
    ticket_id = _ticket_in_service(session, ctx, ticket_id)

    # Validated: from here on, writes. The number is taken in this transaction.
    case_no = _take_case_no(session, hall.division_code, window, today)
    case = Case(
        case_no=case_no,
        status=status.value,
        decision=decision.kind.value,
        rule_decision=decision.rule_kind.value,
        decision_reasons=[to_stored(r) for r in decision.reasons],
        override_reason=override.reason.strip() if override else None,
        override_by=override.manager_id.strip() if override else None,
        reject_reason=(reject_reason or "").strip() or None,
        reject_ground=ground.value if ground else None,
        refer_to=((refer_to or "").strip() or None) if ground else None,
        bundle_code=bundle_code or None,
        catalogue_version=current_catalogue_version(session),
        window_number=window,
        clerk_id=ctx.clerk_id,
        ticket_id=ticket_id,
        previous_case_id=previous_case_id,
        received_at=now,
        received_day=today,
        accepted_at=now if decision.accepted else None,
        promised_date=decision.promised_date,
        commitment_signed=commitment_signed,
        updated_at=now,
        **normalised_applicant(applicant),
    )
    session.add(case)
    for position, m in enumerate(matters):
        department = m.department
        case.matters.append(
            CaseMatter(
                position=position,
                matter_code=m.code,
                matter_name=m.name,
                department_code=m.department_code,
                promised_days=m.promised_days,
                legal_days=m.legal_days,
                kind=m.kind,
                organ=department.name,
                organ_type=department.organ_type,
                review_body=department.review_body,
                court=department.court,
                organ_phone=department.phone,
                legal_basis=m.legal_basis,
                gap_policy=m.gap_policy,
                gap_credit_record=m.gap_credit_record,
                parallel_review=m.parallel_review,
                place=m.place,
            )
        )
    if free_text:
        # A request the catalogue does not hold: named as the applicant asked for it.
        case.matters.append(
            CaseMatter(
                position=0,
                matter_code="",
                matter_name=free_text,
                promised_days=0,
                legal_days=0,
            )
        )
    gap_deadlines = {g.code: g.deadline for g in decision.gaps}
    missing_why = {m.code: to_stored(m.why) for m in decision.missing}
    for position, line in enumerate(checklist):
        entry = entries.get(line.code, MaterialEntry(MaterialStatus.MISSING))
        case.materials.append(
            CaseMaterial(
                position=position,
                material_code=line.code,
                name=line.name,
                form=line.form,
                copies_required=line.copies,
                necessity=line.necessity,
                tolerable=line.tolerable,
                source=line.source,
                matter_codes=list(line.matter_codes),
                obtain=line.obtain,
                note=line.note,
                condition=line.condition,
                role=line.role,
                core=line.core,
                blank_form=line.blank_form,
                sample=line.sample,
                status=entry.status.value,
                copies_received=entry.copies,
                defect_reason=entry.defect_reason.strip() or None,
                missing_why=missing_why.get(line.code),
                gap_deadline=gap_deadlines.get(line.code),
            )
        )
    record(
        session,
        ctx,
        case,
        "case.saved",
        {
            "case_no": case_no,
            "decision": decision.kind.value,
            "rule_decision": decision.rule_kind.value,
            "override_by": case.override_by,
            "previous_case_id": previous_case_id,
        },
    )
    for row in (*case.matters, *case.materials):
        record(session, ctx, row, "case.saved")
    if ticket_id:
        # The visit counts towards the one-visit rate (只跑一次率): a returning applicant's
        # new case is a return visit for the matter.
        link_case(
            session,
            ctx,
            ticket_id=ticket_id,
            case_id=case.id,
            purpose="return" if previous_case_id else "new",
        )
    return SavedCase(case.id, case_no, status, decision, case)
