"""Cases at the counter: the checklist, the live decision, saving a case with its number, finding
cases, supplements, a returning applicant's new case, and the rest of a case's life.

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

import statistics
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app.errors import UserError
from app.messages import Message, from_stored, to_stored
from app.queue.engine import link_case
from app.rules.checklist import ChecklistLine, MaterialSpec, MatterSpec, build_checklist
from app.rules.decision import (
    DECISION_LABELS,
    RECEIVED_STATUSES,
    Decision,
    DecisionKind,
    MaterialEntry,
    MaterialStatus,
    Override,
    decide,
    entry_problem,
)
from app.rules.identity import (
    ORG_NAME_MAX_LENGTH,
    check_id_number,
    check_name,
    check_phone,
    check_uscc,
    normalise_id_number,
    normalise_name,
    normalise_phone,
    normalise_uscc,
)
from app.rules.lifecycle import (
    OPEN_STATUSES,
    STATUS_FOR_DECISION,
    STATUS_LABELS,
    CaseStatus,
    DeadlineState,
    check_transition,
    deadline_state,
)
from app.rules.workdays import WorkCalendar
from app.services.changes import DeskContext, record
from app.services.numbering import next_in_sequence
from db.base import utcnow
from db.models.case import Case, CaseMaterial, CaseMatter
from db.models.catalogue import Bundle, CatalogueVersion, Holiday, Material, Matter
from db.models.hall import Clerk, Hall
from db.models.numbering import DailyCounter

# China has one time zone and no daylight saving: the hall's day is UTC+8's.
HALL_TZ = timezone(timedelta(hours=8), "CST")
MAX_SEQ = 9999  # four digits per window and day
SEARCH_LIMIT = 100

# Statuses `transition` moves a case to; the others come from saving or supplements.
MANUAL_STATUSES = frozenset(
    {CaseStatus.WITHDRAWN, CaseStatus.IN_REVIEW, CaseStatus.DECIDED, CaseStatus.DELIVERED}
)


def hall_day(at: datetime) -> date:
    """The hall's local calendar day of an aware timestamp."""
    return at.astimezone(HALL_TZ).date()


# --- inputs and outputs ---------------------------------------------------------------------


class ApplicantInput(Protocol):
    """The applicant as the desk form gives it (app.printing.model.Applicant fits). `kind` is
    "person" (id_number: resident ID number) or "org" (id_number: unified social credit code).
    An optional `agent_phone` attribute is read when present."""

    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def id_number(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def agent_name(self) -> str | None: ...
    @property
    def agent_id_number(self) -> str | None: ...


@dataclass(frozen=True)
class ApplicantData:
    """A plain ApplicantInput (used for carried-over applicants and by tests)."""

    kind: str
    name: str
    id_number: str
    phone: str
    agent_name: str | None = None
    agent_id_number: str | None = None
    agent_phone: str | None = None


class InvalidApplicant(UserError):
    """The applicant's data is wrong; `problems` maps field keys ("kind", "name", "id_number",
    "phone", "agent_name", "agent_id_number", "agent_phone") to messages."""

    def __init__(self, problems: dict[str, Message]) -> None:
        super().__init__(*problems.values())
        self.problems = problems


@dataclass(frozen=True)
class SavedCase:
    """A saved case: its id and number, its status and the decision it was saved with. `case`
    is the ORM row (in the caller's session) for printing after commit."""

    case_id: str
    case_no: str
    status: CaseStatus
    decision: Decision
    case: Case


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list / search results: plain values, safe to keep after the
    session ends. `due` is the nearest open deadline (an unsupplied gap's, else the promised
    date) and `deadline` its state; both None for a case that owes no deadline."""

    id: str
    case_no: str
    status: CaseStatus
    status_label: Message
    decision: str
    decision_label: Message
    applicant_name: str
    applicant_id_number: str
    matter_names: tuple[str, ...]
    received_at: datetime
    promised_date: date | None
    due: date | None
    deadline: DeadlineState | None
    open_gaps: int
    window_number: int | None
    previous_case_id: str | None = None
    reasons: tuple[str, ...] = field(default=())


# --- catalogue ------------------------------------------------------------------------------


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


# --- applicant ------------------------------------------------------------------------------


def applicant_problems(applicant: ApplicantInput) -> dict[str, Message]:
    """Field key -> message for everything wrong with the applicant; empty when all is right.
    An agent (代理人) is optional, but any agent field given needs the agent's name and a
    valid ID number."""
    problems: dict[str, Message] = {}
    kind = applicant.kind
    if kind not in ("person", "org"):
        problems["kind"] = Message("applicant.kind")
    org = kind == "org"
    name_problem = check_name(
        applicant.name,
        max_length=ORG_NAME_MAX_LENGTH if org else 50,
        what=Message("field.org_name" if org else "field.applicant_name"),
    )
    if name_problem:
        problems["name"] = name_problem
    id_problem = check_uscc(applicant.id_number) if org else check_id_number(applicant.id_number)
    if id_problem:
        problems["id_number"] = id_problem
    phone_problem = check_phone(applicant.phone)
    if phone_problem:
        problems["phone"] = phone_problem
    agent_name = (applicant.agent_name or "").strip()
    agent_id = (applicant.agent_id_number or "").strip()
    agent_phone = (getattr(applicant, "agent_phone", None) or "").strip()
    if agent_name or agent_id or agent_phone:
        problem = check_name(agent_name, what=Message("field.agent_name"))
        if problem:
            problems["agent_name"] = problem
        problem = check_id_number(agent_id, what=Message("field.agent_id_number"))
        if problem:
            problems["agent_id_number"] = problem
        if agent_phone:
            problem = check_phone(agent_phone, what=Message("field.agent_phone"))
            if problem:
                problems["agent_phone"] = problem
    return problems


# --- decision -------------------------------------------------------------------------------


def _promised_days(session: Session, checklist: Sequence[ChecklistLine],
                   matter_codes: Sequence[str] | None) -> int:
    codes = list(matter_codes) if matter_codes else sorted(
        {c for line in checklist for c in line.matter_codes}
    )
    if not codes:
        return 0
    days = session.scalars(select(Matter.promised_days).where(Matter.code.in_(codes))).all()
    return max(days, default=0)


def _resolve_override(session: Session, override: Override | None) -> None:
    if override is None:
        return
    manager = session.get(Clerk, override.manager_id.strip())
    if manager is None or not manager.active or manager.role not in ("manager", "admin"):
        raise UserError(
            "override.not_manager",
            manager=override.manager_id.strip() or Message("value.unset"),
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


# --- saving ---------------------------------------------------------------------------------


def _normalised_applicant(applicant: ApplicantInput) -> dict[str, Any]:
    org = applicant.kind == "org"
    agent_name = normalise_name(applicant.agent_name or "") or None
    agent_id = normalise_id_number(applicant.agent_id_number or "") or None
    agent_phone = normalise_phone(getattr(applicant, "agent_phone", None) or "") or None
    return {
        "applicant_kind": applicant.kind,
        "applicant_name": normalise_name(applicant.name),
        "applicant_id_number": (
            normalise_uscc(applicant.id_number) if org else normalise_id_number(applicant.id_number)
        ),
        "applicant_phone": normalise_phone(applicant.phone),
        "agent_name": agent_name,
        "agent_id_number": agent_id,
        "agent_phone": agent_phone,
    }


def _take_case_no(session: Session, division_code: str, window: int, day: date) -> str:
    scope = f"case:w{window}"
    used = session.execute(
        select(DailyCounter.value).where(DailyCounter.scope == scope, DailyCounter.day == day)
    ).scalar_one_or_none()
    if used is not None and used >= MAX_SEQ:
        raise UserError("case.numbers_used_up", window=window, limit=MAX_SEQ)
    seq = next_in_sequence(session, scope, day)
    return f"{division_code}{day:%Y%m%d}{window:02d}{seq:04d}"


def _entry_for(material: CaseMaterial) -> MaterialEntry:
    return MaterialEntry(
        MaterialStatus(material.status), material.copies_received, material.defect_reason or ""
    )


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
) -> SavedCase:
    """Decide and save a new case (matters XOR bundle), with its number, matters, materials
    and status per the decision; records the change. Everything is validated first: on a
    UserError nothing was written (InvalidApplicant carries the per-field problems). A
    manager override needs an active manager's clerk id."""
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
    matters = _load_matters(session, matter_codes, bundle_code)
    specs = [_matter_spec(m) for m in matters]
    checklist = build_checklist(specs)
    if previous_case_id is not None and session.get(Case, previous_case_id) is None:
        raise UserError("case.not_found", case=previous_case_id)
    _resolve_override(session, override)
    today = hall_day(now)
    decision = decide(
        checklist,
        entries,
        commitment_signed=commitment_signed,
        not_this_hall_reason=reject_reason,
        calendar=calendar_for(session),
        today=today,
        promised_days=max(s.promised_days for s in specs),
        override=override,
    )
    status = STATUS_FOR_DECISION[decision.kind]
    check_transition(CaseStatus.RECEIVED, status)

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
        **_normalised_applicant(applicant),
    )
    session.add(case)
    for position, m in enumerate(matters):
        case.matters.append(
            CaseMatter(
                position=position,
                matter_code=m.code,
                matter_name=m.name,
                department_code=m.department_code,
                promised_days=m.promised_days,
                legal_days=m.legal_days,
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
                status=entry.status.value,
                copies_received=entry.copies,
                defect_reason=entry.defect_reason.strip() or None,
                missing_why=missing_why.get(line.code),
                gap_deadline=gap_deadlines.get(line.code),
            )
        )
    record(session, ctx, case, "case.saved", {
        "case_no": case_no,
        "decision": decision.kind.value,
        "rule_decision": decision.rule_kind.value,
        "override_by": case.override_by,
        "previous_case_id": previous_case_id,
    })
    for row in (*case.matters, *case.materials):
        record(session, ctx, row, "case.saved")
    if ticket_id:
        # The visit counts towards the one-visit rate (只跑一次率): a returning applicant's
        # new case is a return visit for the matter.
        link_case(session, ctx, ticket_id=ticket_id, case_id=case.id,
                  purpose="return" if previous_case_id else "new")
    return SavedCase(case.id, case_no, status, decision, case)


# --- reading --------------------------------------------------------------------------------


def get_case(session: Session, case_id_or_no: str) -> Case:
    """The case with this id or case number; UserError if there is none."""
    key = "".join(case_id_or_no.split())
    case = session.get(Case, key) if key else None
    if case is None and key:
        case = session.scalars(select(Case).where(Case.case_no == key)).one_or_none()
    if case is None:
        raise UserError("case.not_found", case=case_id_or_no.strip() or Message("value.empty"))
    return case


def _summary(case: Case, today: date, calendar: WorkCalendar) -> CaseSummary:
    status = CaseStatus(case.status)
    open_gaps = [m.gap_deadline for m in case.materials
                 if m.gap_deadline is not None and m.supplied_at is None]
    due: date | None = None
    if status in (CaseStatus.ACCEPTED_WITH_GAP, CaseStatus.AWAITING_SUPPLEMENT) and open_gaps:
        due = min(open_gaps)
    elif status in (CaseStatus.ACCEPTED, CaseStatus.ACCEPTED_WITH_GAP,
                    CaseStatus.AWAITING_SUPPLEMENT, CaseStatus.SUPPLEMENTED,
                    CaseStatus.IN_REVIEW):
        due = case.promised_date
    return CaseSummary(
        id=case.id,
        case_no=case.case_no,
        status=status,
        status_label=STATUS_LABELS[status],
        decision=case.decision,
        decision_label=DECISION_LABELS[DecisionKind(case.decision)],
        applicant_name=case.applicant_name,
        applicant_id_number=case.applicant_id_number,
        matter_names=tuple(m.matter_name for m in case.matters),
        received_at=case.received_at,
        promised_date=case.promised_date,
        due=due,
        deadline=deadline_state(due, today, calendar) if due else None,
        open_gaps=len(open_gaps),
        window_number=case.window_number,
        previous_case_id=case.previous_case_id,
        reasons=tuple(from_stored(r) for r in case.decision_reasons),
    )


def case_summary(session: Session, case_id: str, today: date) -> CaseSummary:
    return _summary(get_case(session, case_id), today, calendar_for(session))


def _with_children() -> tuple[Any, ...]:
    return (selectinload(Case.matters), selectinload(Case.materials))


def find_cases(session: Session, query: str, today: date | None = None) -> list[CaseSummary]:
    """Cases matching `query`, newest first: a full case number (as typed or scanned: spaces
    ignored) finds that case; an 18-character ID number or USCC finds the applicant's and the
    agent's cases; other digits (4 or more) match part of a case number; anything else
    matches part of the applicant's or agent's name. An empty query finds nothing."""
    q = "".join(query.split()).upper()
    if not q:
        return []
    stmt = select(Case)
    if len(q) == 20 and q.isdigit():
        stmt = stmt.where(Case.case_no == q)
    elif len(q) == 18 and q.isalnum() and q.isascii():
        stmt = stmt.where(or_(Case.applicant_id_number == q, Case.agent_id_number == q))
    elif q.isdigit() and len(q) >= 4:
        stmt = stmt.where(Case.case_no.contains(q, autoescape=True))
    else:
        text = query.strip()
        stmt = stmt.where(or_(Case.applicant_name.contains(text, autoescape=True),
                              Case.agent_name.contains(text, autoescape=True)))
    rows = session.scalars(
        stmt.options(*_with_children()).order_by(Case.received_at.desc()).limit(SEARCH_LIMIT)
    ).all()
    calendar = calendar_for(session)
    day = today or hall_day(utcnow())
    return [_summary(c, day, calendar) for c in rows]


_STATE_ORDER = {DeadlineState.OVERDUE: 0, DeadlineState.WARNING: 1, DeadlineState.NORMAL: 2}


def list_cases(
    session: Session,
    *,
    today: date,
    open_only: bool = False,
    overdue_first: bool = True,
    text: str | None = None,
) -> list[CaseSummary]:
    """The case list: today's cases and every open case (only the open ones with
    `open_only`), optionally narrowed by `text` (part of the case number, ID number or name).
    With `overdue_first`: overdue, then warning, then the rest, each nearest-deadline first;
    otherwise (and within equal deadlines) newest first."""
    open_values = [s.value for s in OPEN_STATUSES]
    stmt = select(Case)
    if open_only:
        stmt = stmt.where(Case.status.in_(open_values))
    else:
        stmt = stmt.where(or_(Case.status.in_(open_values), Case.received_day == today))
    needle = (text or "").strip()
    if needle:
        stmt = stmt.where(or_(
            Case.case_no.contains(needle, autoescape=True),
            Case.applicant_id_number.contains(needle.upper(), autoescape=True),
            Case.applicant_name.contains(needle, autoescape=True),
            Case.agent_name.contains(needle, autoescape=True),
        ))
    rows = session.scalars(
        stmt.options(*_with_children()).order_by(Case.received_at.desc())
    ).all()
    calendar = calendar_for(session)
    summaries = [_summary(c, today, calendar) for c in rows]
    if overdue_first:
        # Stable sort: equal keys stay newest first.
        summaries.sort(key=lambda s: (
            _STATE_ORDER[s.deadline] if s.deadline else 3, s.due or date.max
        ))
    return summaries


# --- after the counter ----------------------------------------------------------------------


def _received_as_required(material: CaseMaterial) -> MaterialEntry:
    """The entry of a gap material handed in as its line requires."""
    if material.form == "original_kept":
        return MaterialEntry(MaterialStatus.RECEIVED_ORIGINAL_KEPT)
    if material.form == "original_checked":
        return MaterialEntry(MaterialStatus.RECEIVED_ORIGINAL_CHECKED,
                             copies=material.copies_required)
    if material.form == "copy":
        return MaterialEntry(MaterialStatus.RECEIVED_COPIES,
                             copies=max(material.copies_required, 1))
    return MaterialEntry(MaterialStatus.ELECTRONIC)


def _line_of(material: CaseMaterial) -> ChecklistLine:
    return ChecklistLine(
        code=material.material_code, name=material.name, form=material.form,  # type: ignore[arg-type]
        copies=material.copies_required, necessity=material.necessity,  # type: ignore[arg-type]
        tolerable=material.tolerable, source=material.source,  # type: ignore[arg-type]
        obtain=material.obtain, condition="", matter_codes=tuple(material.matter_codes),
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
    if status not in (CaseStatus.ACCEPTED_WITH_GAP, CaseStatus.AWAITING_SUPPLEMENT):
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
            problems.append(Message(
                "supplement.already", material=material.name, day=hall_day(material.supplied_at)
            ))
            continue
        if today > material.gap_deadline:
            problems.append(Message(
                "supplement.too_late", material=material.name, deadline=material.gap_deadline
            ))
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
    if new_status != status:
        check_transition(status, new_status)
        case.status = new_status.value
    case.updated_at = now
    record(session, ctx, case, "case.supplement", {
        "case_no": case.case_no, "materials": [m.material_code for m, _ in chosen],
        "from": status.value, "to": new_status.value,
    })
    if ticket_id:
        link_case(session, ctx, ticket_id=ticket_id, case_id=case.id, purpose="supplement")
    return _summary(case, today, calendar_for(session))


def carried_entries(session: Session, notified_case_id: str) -> dict[str, MaterialEntry]:
    """The materials a notified case already received and checked: what a returning
    applicant need not bring again."""
    case = get_case(session, notified_case_id)
    return {
        m.material_code: _entry_for(m)
        for m in case.materials
        if MaterialStatus(m.status) in RECEIVED_STATUSES
    }


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
) -> SavedCase:
    """A notified applicant comes back: a NEW case for the same matters (or bundle), linked to
    the first, with the materials already received carried over (those the current catalogue
    still asks for in a way they satisfy); `entries` add to or replace them. The applicant is
    the first case's unless given."""
    first = get_case(session, notified_case_id)
    if CaseStatus(first.status) is not CaseStatus.NOTIFIED:
        raise UserError(
            "case.resubmit_not_notified",
            case=first.case_no, status=STATUS_LABELS[CaseStatus(first.status)],
        )
    follower = session.scalars(
        select(Case.case_no).where(Case.previous_case_id == first.id)
    ).first()
    if follower is not None:
        raise UserError("case.already_resubmitted", case=first.case_no, follower=follower)
    matter_codes = None if first.bundle_code else [m.matter_code for m in first.matters]
    checklist = {
        line.code: line
        for line in checklist_for(session, matter_codes, first.bundle_code)
    }
    carried = {
        code: entry
        for code, entry in carried_entries(session, first.id).items()
        if code in checklist and entry_problem(checklist[code], entry) is None
    }
    who = applicant or ApplicantData(
        kind=first.applicant_kind, name=first.applicant_name,
        id_number=first.applicant_id_number, phone=first.applicant_phone,
        agent_name=first.agent_name, agent_id_number=first.agent_id_number,
        agent_phone=first.agent_phone,
    )
    return save_case(
        session, ctx, applicant=who, matter_codes=matter_codes, bundle_code=first.bundle_code,
        entries={**carried, **entries}, commitment_signed=commitment_signed,
        reject_reason=reject_reason, override=override, ticket_id=ticket_id,
        previous_case_id=first.id, now=now,
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
    check_transition(current, target)
    why = (reason or "").strip()
    stopped = target is CaseStatus.DECIDED and current in (
        CaseStatus.ACCEPTED_WITH_GAP, CaseStatus.AWAITING_SUPPLEMENT
    )
    if not why and (target is CaseStatus.WITHDRAWN or stopped):
        raise UserError("case.status_reason")
    case.status = target.value
    case.status_reason = why or None
    case.updated_at = now
    record(session, ctx, case, "case.status", {
        "case_no": case.case_no, "from": current.value, "to": target.value, "reason": why,
    })
    return _summary(case, hall_day(now), calendar_for(session))


# --- benchmark ------------------------------------------------------------------------------


def _bench_seed(session: Session) -> None:
    from db.models.catalogue import BundleMatter, Department
    from db.models.hall import Window

    session.add(Hall(id=1, name="基准大厅", division_code="220800"))
    session.add(Window(number=1))
    session.add(Department(code="D1", name="基准部门"))
    session.add(CatalogueVersion(version="bench", name="基准", sha256="0" * 64, is_current=True))
    forms = ("original_checked", "copy", "original_kept")
    for i in range(6):
        matter = Matter(code=f"BM{i}", name=f"基准事项{i}", department_code="D1",
                        kind="行政许可", legal_days=20, promised_days=5, allows_gap=True,
                        visit_class="只跑一次")
        # Shared materials (S*) appear in every matter, as ID cards and licences do.
        codes = ["S1", "S2", f"B{i}A", f"B{i}B", f"B{i}C"] if i else ["S1", "S2", "B0A"]
        for pos, code in enumerate(codes):
            matter.materials.append(Material(
                position=pos, code=code, name=f"材料{code}", form=forms[pos % 3],
                copies=1 if forms[pos % 3] == "copy" else 0, necessity="required",
                tolerable=pos == 2, source="applicant", obtain="申请人提供",
            ))
        session.add(matter)
    bundle = Bundle(code="BB", name="基准一件事")
    bundle.matters.extend(BundleMatter(matter_code=f"BM{i}", position=i) for i in range(6))
    session.add(bundle)
    session.add(Clerk(id="C1", name="基准", role="clerk"))


def bench_cases(runs: int = 30) -> dict[str, float]:
    """Medians in milliseconds: `accept_case_ms` (rules + save + commit of a case for a
    3-material matter) and `checklist_build_ms` (the checklist of a 6-matter bundle, read from
    the catalogue), on a temporary SQLite file database."""
    from db.engine import open_database

    applicant = ApplicantData("person", "张三", "11010519491231002X", "13812345678")
    entries = {
        "S1": MaterialEntry(MaterialStatus.RECEIVED_ORIGINAL_CHECKED),
        "S2": MaterialEntry(MaterialStatus.RECEIVED_COPIES, copies=1),
        "B0A": MaterialEntry(MaterialStatus.RECEIVED_ORIGINAL_KEPT),
    }
    ctx = DeskContext(window_number=1, clerk_id="C1")
    with tempfile.TemporaryDirectory() as tmp:
        database = open_database(Path(tmp) / "bench.sqlite3")
        try:
            with database.session() as session, session.begin():
                _bench_seed(session)
            accept, build = [], []
            now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
            for _ in range(runs):
                with database.session() as session:
                    start = time.perf_counter()
                    with session.begin():
                        saved = save_case(session, ctx, applicant=applicant,
                                          matter_codes=["BM0"], entries=entries,
                                          commitment_signed=False, now=now)
                    accept.append(time.perf_counter() - start)
                    assert saved.decision.kind is DecisionKind.ACCEPT
                with database.session() as session:
                    start = time.perf_counter()
                    lines = checklist_for(session, bundle_code="BB")
                    build.append(time.perf_counter() - start)
                    assert len(lines) == 18  # S1, S2 once; 16 matter-own
        finally:
            database.close()
    return {
        "accept_case_ms": statistics.median(accept) * 1000,
        "checklist_build_ms": statistics.median(build) * 1000,
    }
