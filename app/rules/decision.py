"""The counter's decision on a case, from the checklist and what the clerk recorded for each
material (DOMAIN.md, "The counter", step 4):

- REJECT (不予受理): the matter is not this hall's to handle; the reason is stated.
- NOTIFY (一次性告知): anything required is missing or defective (and cannot be tolerated):
  everything still needed is listed AT ONCE, with why and how to obtain it (Administrative
  Licensing Law art. 32).
- ACCEPT_WITH_GAP (容缺受理): only tolerable materials are missing or tolerated, every other
  required material is in, and the applicant signed the commitment letter; each gap gets a
  deadline in working days that never passes the promised time limit.
- ACCEPT (受理): every required material is present and acceptable.

Optional materials never block. A conditional material is demanded only when the clerk
confirmed that its condition applies (an entry for it); one the clerk did not look at is not
demanded: the decision is refused with the names of such materials, so the clerk is asked.
A defective material that may be tolerated can be accepted as a gap. A core material (主要
材料), the application form and the applicant's identity are never a gap, not even under a
manager's override; an override to accept leaves the missing materials on the decision
(`incomplete`), so no paper can say they were complete. A manager may override the rules' decision with a reason; the Decision keeps both.
A status the material does not allow (tolerated on a non-tolerable material, fewer copies than
required, …) is a UserError: the clerk must correct the entry, the rules do not guess.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from app.errors import UserError
from app.messages import Message, label
from app.rules.checklist import ChecklistLine
from app.rules.workdays import WorkCalendar

# Local practice: a gap is to be supplied within this many working days, and never later
# than the promised time limit of the matters that need it less the working days the organ
# keeps to decide after the gap is in (the catalogue's gap_reserve_days, by default this).
DEFAULT_GAP_DAYS = 5
DEFAULT_GAP_RESERVE_DAYS = 1


class MaterialStatus(StrEnum):
    RECEIVED_ORIGINAL_CHECKED = "received_original_checked"
    RECEIVED_ORIGINAL_KEPT = "received_original_kept"
    RECEIVED_COPIES = "received_copies"
    ELECTRONIC = "electronic"
    MISSING = "missing"
    TOLERATED = "tolerated"
    DEFECTIVE = "defective"
    NOT_APPLICABLE = "not_applicable"


STATUS_LABELS: dict[MaterialStatus, Message] = {
    s: label("material.status", s.value) for s in MaterialStatus
}

RECEIVED_STATUSES = frozenset(
    {
        MaterialStatus.RECEIVED_ORIGINAL_CHECKED,
        MaterialStatus.RECEIVED_ORIGINAL_KEPT,
        MaterialStatus.RECEIVED_COPIES,
        MaterialStatus.ELECTRONIC,
    }
)


class DecisionKind(StrEnum):
    ACCEPT = "accept"
    ACCEPT_WITH_GAP = "accept_with_gap"
    NOTIFY = "notify"
    REJECT = "reject"


DECISION_LABELS: dict[DecisionKind, Message] = {
    k: label("decision.kind", k.value) for k in DecisionKind
}


@dataclass(frozen=True)
class MaterialEntry:
    """What the clerk recorded for one material. `copies` counts the paper copies handed in
    (for received_copies, and for an original checked on a line that also wants copies)."""

    status: MaterialStatus
    copies: int = 0
    defect_reason: str = ""


@dataclass(frozen=True)
class Override:
    """A hall manager's decision replacing the rules' one, with the reason. `credential` is
    the manager's password or PIN, typed on the spot: saving a case checks it
    (app.services.intake); it is never shown, compared or stored."""

    decision: DecisionKind
    reason: str
    manager_id: str
    credential: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True)
class ReceivedItem:
    code: str
    name: str
    status: MaterialStatus
    copies: int
    text: Message  # e.g. "原件已核验", "已收复印件2份"


@dataclass(frozen=True)
class MissingItem:
    """A material still needed: why, and how to obtain it (for the notification slip)."""

    code: str
    name: str
    why: Message
    obtain: str
    defective: bool


@dataclass(frozen=True)
class GapItem:
    """A tolerated material with the working-day deadline by which it must be supplied."""

    code: str
    name: str
    deadline: date
    obtain: str
    defect: str = ""  # accepted as a gap although defective (瑕疵容缺): what is wrong


@dataclass(frozen=True)
class SkippedItem:
    """An optional material not handed in, or a conditional one that does not apply."""

    code: str
    name: str
    why: Message


@dataclass(frozen=True)
class Decision:
    """What happens to the case. `kind` is final; `rule_kind` is what the rules chose (they
    differ only under a manager's override). `reasons` say why (Messages: Chinese, with
    their codes for the UI)."""

    kind: DecisionKind
    rule_kind: DecisionKind
    reasons: tuple[Message, ...]
    received: tuple[ReceivedItem, ...]
    missing: tuple[MissingItem, ...]
    gaps: tuple[GapItem, ...]
    skipped: tuple[SkippedItem, ...]
    promised_date: date | None
    override: Override | None = None
    warnings: tuple[Message, ...] = field(default=())

    @property
    def label(self) -> Message:
        return DECISION_LABELS[self.kind]

    @property
    def accepted(self) -> bool:
        return self.kind in (DecisionKind.ACCEPT, DecisionKind.ACCEPT_WITH_GAP)

    @property
    def incomplete(self) -> bool:
        """Accepted (by a manager's override) although materials are still missing: the
        papers must not say 申请材料齐全."""
        return self.accepted and bool(self.missing)


def entry_problem(line: ChecklistLine, entry: MaterialEntry) -> Message | None:
    """Why `entry` is not a status `line` allows (a clear message), or None."""
    name = line.name
    status = entry.status
    if entry.copies < 0:
        return Message("entry.negative_copies", material=name)
    if status is MaterialStatus.RECEIVED_ORIGINAL_KEPT:
        return None  # the strictest form: it covers every requirement
    if status is MaterialStatus.RECEIVED_ORIGINAL_CHECKED:
        if line.form == "original_kept":
            return Message("entry.must_keep_original", material=name)
        if line.copies and entry.copies < line.copies:
            return Message(
                "entry.needs_copies_too", material=name, needed=line.copies, copies=entry.copies
            )
        return None
    if status is MaterialStatus.RECEIVED_COPIES:
        if line.form in ("original_kept", "original_checked"):
            return Message("entry.needs_original", material=name)
        needed = max(line.copies, 1)
        if entry.copies < needed:
            return Message("entry.needs_copies", material=name, needed=needed, copies=entry.copies)
        return None
    if status is MaterialStatus.ELECTRONIC:
        if line.form == "electronic" or line.source == "e_licence":
            return None
        return Message("entry.needs_paper", material=name, requirement=line.requirement_text())
    if status is MaterialStatus.TOLERATED:
        return None if line.tolerable else Message("entry.not_tolerable", material=name)
    if status is MaterialStatus.DEFECTIVE:
        if entry.defect_reason.strip():
            return None
        return Message("entry.defect_reason", material=name)
    if status is MaterialStatus.NOT_APPLICABLE:
        return Message("entry.required", material=name) if line.required else None
    return None  # missing is always allowed


def _received_text(entry: MaterialEntry) -> Message:
    status = STATUS_LABELS[entry.status]
    if entry.status is MaterialStatus.RECEIVED_COPIES:
        return Message("received.copies", status=status, copies=entry.copies)
    if entry.copies and entry.status in RECEIVED_STATUSES:
        return Message("received.with_copies", status=status, copies=entry.copies)
    return status


def _missing_why(line: ChecklistLine) -> Message:
    if line.necessity == "conditional" and line.condition:
        return Message("why.missing_conditional", condition=line.condition)
    return Message("why.missing")


def decide(
    checklist: Sequence[ChecklistLine],
    statuses: Mapping[str, MaterialEntry],
    *,
    commitment_signed: bool,
    not_this_hall_reason: str | None,
    calendar: WorkCalendar,
    today: date,
    promised_days: int,
    gap_days: int = DEFAULT_GAP_DAYS,
    override: Override | None = None,
) -> Decision:
    """The decision on a case. `statuses` maps material codes to entries; a line without an
    entry counts as missing. `promised_days` is the case's promised time limit (for a bundle:
    the longest of its matters'); each gap's deadline is also held to the promised limit of
    the matters needing that material (`ChecklistLine.gap_limit_days`).

    Raises UserError for an entry the material does not allow, an unknown material code, or
    an invalid override; nothing is decided then."""
    by_code = {line.code: line for line in checklist}
    unknown = sorted(set(statuses) - set(by_code))
    if unknown:
        raise UserError("decision.unknown_materials", codes=unknown)
    problems: list[Message] = []
    for line in checklist:
        entry = statuses.get(line.code)
        if entry is not None:
            problem = entry_problem(line, entry)
            if problem:
                problems.append(problem)
    if problems:
        raise UserError(*problems)
    reject_reason = (not_this_hall_reason or "").strip()
    unconfirmed = [
        line.name
        for line in checklist
        if line.necessity == "conditional" and line.code not in statuses
    ]
    if unconfirmed and not reject_reason:
        raise UserError("decision.unconfirmed_conditional", materials=unconfirmed)
    if promised_days < 0:
        raise ValueError("promised_days must not be negative")

    received: list[ReceivedItem] = []
    defects: dict[str, str] = {}
    blocking: list[MissingItem] = []
    gap_lines: list[ChecklistLine] = []
    skipped: list[SkippedItem] = []
    for line in checklist:
        entry = statuses.get(line.code, MaterialEntry(MaterialStatus.MISSING))
        status = entry.status
        if status in RECEIVED_STATUSES:
            received.append(
                ReceivedItem(line.code, line.name, status, entry.copies, _received_text(entry))
            )
        elif status is MaterialStatus.NOT_APPLICABLE:
            skipped.append(SkippedItem(line.code, line.name, Message("why.not_applicable")))
        elif line.necessity == "optional":
            why = (
                Message("why.optional_missing")
                if status is not MaterialStatus.DEFECTIVE
                else (Message("why.optional_defective", defect=entry.defect_reason.strip()))
            )
            skipped.append(SkippedItem(line.code, line.name, why))
        elif status is MaterialStatus.DEFECTIVE and not line.tolerable:
            blocking.append(
                MissingItem(
                    line.code,
                    line.name,
                    Message("why.defective", defect=entry.defect_reason.strip()),
                    line.obtain,
                    defective=True,
                )
            )
        elif line.tolerable:  # missing, tolerated or defective, and it may be a gap
            gap_lines.append(line)
            if status is MaterialStatus.DEFECTIVE:
                defects[line.code] = entry.defect_reason.strip()
        else:
            blocking.append(
                MissingItem(line.code, line.name, _missing_why(line), line.obtain, False)
            )

    def gap_deadline(line: ChecklistLine) -> date | None:
        # gap_limit_days already keeps the organ's days to decide before the promised date.
        days = min(gap_days, line.gap_limit_days, promised_days)
        return calendar.add_working_days(today, days) if days >= 1 else None

    def why_gap_line(line: ChecklistLine, why: Message) -> Message:
        defect = defects.get(line.code)
        return Message("why.defective", defect=defect) if defect else why

    reasons: list[Message] = []
    gaps: list[GapItem] = []
    missing = list(blocking)
    if reject_reason:
        rule_kind = DecisionKind.REJECT
        reasons.append(Message("reason.not_this_hall", reason=reject_reason))
        missing += [
            MissingItem(
                x.code, x.name, why_gap_line(x, _missing_why(x)), x.obtain, x.code in defects
            )
            for x in gap_lines
        ]
    elif (
        blocking
        or (gap_lines and not commitment_signed)
        or any(gap_deadline(x) is None for x in gap_lines)
    ):
        rule_kind = DecisionKind.NOTIFY
        reasons.append(Message("reason.notify"))
        for item in blocking:
            reasons.append(Message("reason.material", material=item.name, why=item.why))
        for x in gap_lines:
            if gap_deadline(x) is None:
                why = Message("why.gap_no_deadline")
            elif not commitment_signed:
                why = Message("why.gap_unsigned")
            else:
                why = Message("why.gap")
            why = why_gap_line(x, why)
            missing.append(MissingItem(x.code, x.name, why, x.obtain, x.code in defects))
            reasons.append(Message("reason.material", material=x.name, why=why))
    elif gap_lines:
        rule_kind = DecisionKind.ACCEPT_WITH_GAP
        reasons.append(Message("reason.accept_with_gap"))
        for x in gap_lines:
            deadline = gap_deadline(x)
            assert deadline is not None  # checked by the branch above
            gaps.append(GapItem(x.code, x.name, deadline, x.obtain, defects.get(x.code, "")))
            reasons.append(Message("reason.gap_deadline", material=x.name, deadline=deadline))
    else:
        rule_kind = DecisionKind.ACCEPT
        reasons.append(Message("reason.accept"))

    kind = rule_kind
    if override is not None:
        kind, missing, gaps = _apply_override(
            override, rule_kind, missing, gaps, by_code, gap_deadline, commitment_signed
        )
        reasons.append(
            Message(
                "reason.override",
                manager=override.manager_id.strip(),
                decision=DECISION_LABELS[kind],
                reason=override.reason.strip(),
            )
        )

    # The slip lists materials in checklist order, whatever made them missing.
    position = {line.code: i for i, line in enumerate(checklist)}
    missing.sort(key=lambda item: position[item.code])
    promised_date = None
    if kind in (DecisionKind.ACCEPT, DecisionKind.ACCEPT_WITH_GAP):
        promised_date = calendar.add_working_days(today, promised_days)
    return Decision(
        kind=kind,
        rule_kind=rule_kind,
        reasons=tuple(reasons),
        received=tuple(received),
        missing=tuple(missing),
        gaps=tuple(gaps),
        skipped=tuple(skipped),
        promised_date=promised_date,
        override=override,
        warnings=tuple(calendar.warnings),
    )


def _apply_override(
    override: Override,
    rule_kind: DecisionKind,
    missing: list[MissingItem],
    gaps: list[GapItem],
    by_code: Mapping[str, ChecklistLine],
    gap_deadline: Callable[[ChecklistLine], date | None],
    commitment_signed: bool,
) -> tuple[DecisionKind, list[MissingItem], list[GapItem]]:
    if not override.reason.strip():
        raise UserError("override.no_reason")
    if not override.manager_id.strip():
        raise UserError("override.no_manager")
    if override.decision == rule_kind:
        raise UserError("override.same_decision", decision=DECISION_LABELS[rule_kind])
    target = override.decision
    if target is DecisionKind.ACCEPT_WITH_GAP:
        if not commitment_signed:
            raise UserError("override.gap_unsigned")
        never = [item.name for item in missing if by_code[item.code].never_gap]
        if never:
            raise UserError("override.gap_core", materials=never)
        new_gaps = list(gaps)
        for item in missing:
            deadline = gap_deadline(by_code[item.code])
            if deadline is None:
                raise UserError("override.gap_no_deadline", material=item.name)
            new_gaps.append(GapItem(item.code, item.name, deadline, item.obtain))
        if not new_gaps:
            raise UserError("override.nothing_missing")
        return target, [], new_gaps
    if gaps:
        # Not a gap acceptance: a tolerated material is simply missing again (under ACCEPT
        # the manager accepted the case without it).
        missing = missing + [
            MissingItem(g.code, g.name, _missing_why(by_code[g.code]), g.obtain, False)
            for g in gaps
        ]
        return target, missing, []
    return target, missing, gaps
