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

Optional materials never block; a conditional material blocks unless the clerk marks it not
applicable. A manager may override the rules' decision with a reason; the Decision keeps both.
A status the material does not allow (tolerated on a non-tolerable material, fewer copies than
required, …) is a UserError: the clerk must correct the entry, the rules do not guess.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from app.errors import UserError
from app.rules.checklist import ChecklistLine
from app.rules.workdays import WorkCalendar

# Local practice: a gap is to be supplied within this many working days, and never later
# than the promised time limit of the matters that need it.
DEFAULT_GAP_DAYS = 5


class MaterialStatus(StrEnum):
    RECEIVED_ORIGINAL_CHECKED = "received_original_checked"
    RECEIVED_ORIGINAL_KEPT = "received_original_kept"
    RECEIVED_COPIES = "received_copies"
    ELECTRONIC = "electronic"
    MISSING = "missing"
    TOLERATED = "tolerated"
    DEFECTIVE = "defective"
    NOT_APPLICABLE = "not_applicable"


STATUS_LABELS: dict[MaterialStatus, str] = {
    MaterialStatus.RECEIVED_ORIGINAL_CHECKED: "原件已核验",
    MaterialStatus.RECEIVED_ORIGINAL_KEPT: "原件已收取",
    MaterialStatus.RECEIVED_COPIES: "已收复印件",
    MaterialStatus.ELECTRONIC: "电子材料已获取",
    MaterialStatus.MISSING: "缺少",
    MaterialStatus.TOLERATED: "容缺",
    MaterialStatus.DEFECTIVE: "有瑕疵",
    MaterialStatus.NOT_APPLICABLE: "不适用",
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


DECISION_LABELS: dict[DecisionKind, str] = {
    DecisionKind.ACCEPT: "受理",
    DecisionKind.ACCEPT_WITH_GAP: "容缺受理",
    DecisionKind.NOTIFY: "一次性告知",
    DecisionKind.REJECT: "不予受理",
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
    """A hall manager's decision replacing the rules' one, with the reason."""

    decision: DecisionKind
    reason: str
    manager_id: str


@dataclass(frozen=True)
class ReceivedItem:
    code: str
    name: str
    status: MaterialStatus
    copies: int
    text: str  # e.g. "原件已核验", "已收复印件2份"


@dataclass(frozen=True)
class MissingItem:
    """A material still needed: why, and how to obtain it (for the notification slip)."""

    code: str
    name: str
    why: str
    obtain: str
    defective: bool


@dataclass(frozen=True)
class GapItem:
    """A tolerated material with the working-day deadline by which it must be supplied."""

    code: str
    name: str
    deadline: date
    obtain: str


@dataclass(frozen=True)
class SkippedItem:
    """An optional material not handed in, or a conditional one that does not apply."""

    code: str
    name: str
    why: str


@dataclass(frozen=True)
class Decision:
    """What happens to the case. `kind` is final; `rule_kind` is what the rules chose (they
    differ only under a manager's override). `reasons` say in Chinese why."""

    kind: DecisionKind
    rule_kind: DecisionKind
    reasons: tuple[str, ...]
    received: tuple[ReceivedItem, ...]
    missing: tuple[MissingItem, ...]
    gaps: tuple[GapItem, ...]
    skipped: tuple[SkippedItem, ...]
    promised_date: date | None
    override: Override | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return DECISION_LABELS[self.kind]

    @property
    def accepted(self) -> bool:
        return self.kind in (DecisionKind.ACCEPT, DecisionKind.ACCEPT_WITH_GAP)


def entry_problem(line: ChecklistLine, entry: MaterialEntry) -> str | None:
    """Why `entry` is not a status `line` allows (a clear Chinese message), or None."""
    name = f"「{line.name}」"
    status = entry.status
    if entry.copies < 0:
        return f"{name}的份数不能为负数"
    if status is MaterialStatus.RECEIVED_ORIGINAL_KEPT:
        return None  # the strictest form: it covers every requirement
    if status is MaterialStatus.RECEIVED_ORIGINAL_CHECKED:
        if line.form == "original_kept":
            return f"{name}须收取原件，不能核验后退还"
        if line.copies and entry.copies < line.copies:
            return f"{name}须另收复印件{line.copies}份，现为{entry.copies}份"
        return None
    if status is MaterialStatus.RECEIVED_COPIES:
        if line.form in ("original_kept", "original_checked"):
            return f"{name}须提供原件，复印件不能代替"
        needed = max(line.copies, 1)
        if entry.copies < needed:
            return f"{name}须提供复印件{needed}份，现为{entry.copies}份"
        return None
    if status is MaterialStatus.ELECTRONIC:
        if line.form == "electronic" or line.source == "e_licence":
            return None
        return f"{name}须提供纸质材料：{line.requirement_text()}，不接受电子材料"
    if status is MaterialStatus.TOLERATED:
        return None if line.tolerable else f"{name}不可容缺"
    if status is MaterialStatus.DEFECTIVE:
        return None if entry.defect_reason.strip() else f"请填写{name}不符合要求的原因"
    if status is MaterialStatus.NOT_APPLICABLE:
        return f"{name}为必需材料，不能标记为不适用" if line.required else None
    return None  # missing is always allowed


def _received_text(entry: MaterialEntry) -> str:
    label = STATUS_LABELS[entry.status]
    if entry.status is MaterialStatus.RECEIVED_COPIES:
        return f"{label}{entry.copies}份"
    if entry.copies and entry.status in RECEIVED_STATUSES:
        return f"{label}，另收复印件{entry.copies}份"
    return label


def _missing_why(line: ChecklistLine) -> str:
    if line.necessity == "conditional" and line.condition:
        return f"未提供（适用情形：{line.condition}）"
    return "未提供"


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
        raise UserError(f"清单中没有这些材料：{'、'.join(unknown)}")
    problems = []
    for line in checklist:
        entry = statuses.get(line.code)
        if entry is not None:
            problem = entry_problem(line, entry)
            if problem:
                problems.append(problem)
    if problems:
        raise UserError("；".join(problems))
    if promised_days < 0:
        raise ValueError("promised_days must not be negative")

    received: list[ReceivedItem] = []
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
            skipped.append(SkippedItem(line.code, line.name, "不适用"))
        elif line.necessity == "optional":
            why = "可选材料，未提供" if status is not MaterialStatus.DEFECTIVE else (
                f"可选材料，不符合要求：{entry.defect_reason.strip()}"
            )
            skipped.append(SkippedItem(line.code, line.name, why))
        elif status is MaterialStatus.DEFECTIVE:
            blocking.append(
                MissingItem(line.code, line.name, f"不符合要求：{entry.defect_reason.strip()}",
                            line.obtain, defective=True)
            )
        elif line.tolerable:  # missing or tolerated, and the material may be a gap
            gap_lines.append(line)
        else:
            blocking.append(
                MissingItem(line.code, line.name, _missing_why(line), line.obtain, False)
            )

    def gap_deadline(line: ChecklistLine) -> date | None:
        days = min(gap_days, line.gap_limit_days, promised_days)
        return calendar.add_working_days(today, days) if days >= 1 else None

    reasons: list[str] = []
    gaps: list[GapItem] = []
    missing = list(blocking)
    reject_reason = (not_this_hall_reason or "").strip()
    if reject_reason:
        rule_kind = DecisionKind.REJECT
        reasons.append(f"不属于本大厅受理范围：{reject_reason}")
        missing += [MissingItem(x.code, x.name, _missing_why(x), x.obtain, False)
                    for x in gap_lines]
    elif blocking or (gap_lines and not commitment_signed) or any(
        gap_deadline(x) is None for x in gap_lines
    ):
        rule_kind = DecisionKind.NOTIFY
        reasons.append("申请材料不齐全或不符合法定形式，一次性告知需要补正的全部内容")
        for item in blocking:
            reasons.append(f"「{item.name}」{item.why}")
        for x in gap_lines:
            if gap_deadline(x) is None:
                why = "未提供（可容缺，但承诺时限内无法安排补正期限）"
            elif not commitment_signed:
                why = "未提供（可容缺，但申请人未签署容缺承诺书）"
            else:
                why = "未提供（可容缺）"
            missing.append(MissingItem(x.code, x.name, why, x.obtain, False))
            reasons.append(f"「{x.name}」{why}")
    elif gap_lines:
        rule_kind = DecisionKind.ACCEPT_WITH_GAP
        reasons.append("主要材料齐全，其余材料可容缺，申请人已签署容缺承诺书，予以容缺受理")
        for x in gap_lines:
            deadline = gap_deadline(x)
            assert deadline is not None  # checked by the branch above
            gaps.append(GapItem(x.code, x.name, deadline, x.obtain))
            reasons.append(f"「{x.name}」容缺，须于{deadline:%Y年%m月%d日}前补齐")
    else:
        rule_kind = DecisionKind.ACCEPT
        reasons.append("申请材料齐全、符合法定形式，予以受理")

    kind = rule_kind
    if override is not None:
        kind, missing, gaps = _apply_override(
            override, rule_kind, missing, gaps, by_code, gap_deadline, commitment_signed
        )
        reasons.append(
            f"经{override.manager_id.strip()}批准，改为{DECISION_LABELS[kind]}："
            f"{override.reason.strip()}"
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
        raise UserError("改变规则的决定须填写理由")
    if not override.manager_id.strip():
        raise UserError("改变规则的决定须经大厅负责人批准")
    if override.decision == rule_kind:
        raise UserError(f"规则的决定已是{DECISION_LABELS[rule_kind]}，无需改变")
    target = override.decision
    if target is DecisionKind.ACCEPT_WITH_GAP:
        if not commitment_signed:
            raise UserError("容缺受理须由申请人签署容缺承诺书")
        new_gaps = list(gaps)
        for item in missing:
            deadline = gap_deadline(by_code[item.code])
            if deadline is None:
                raise UserError(f"「{item.name}」在承诺时限内无法安排补正期限，不能容缺受理")
            new_gaps.append(GapItem(item.code, item.name, deadline, item.obtain))
        if not new_gaps:
            raise UserError("没有缺少的材料，无需容缺受理")
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
