"""A case's material checklist, built from the matters it covers.

For one matter the checklist is its list of materials. For a bundle (一件事) it is the union of
the matters' materials, and a material that several matters need (the same standard material
code: the same ID card, the same business licence) is asked for ONCE; its line says which
matters need it. When the matters ask for it differently, the strictest requirement wins:
required beats conditional beats optional, more copies beat fewer, an original kept beats an
original checked beats a copy beats an electronic file, and it may be tolerated (容缺) only if
every matter needing it tolerates it.

A material is tolerable for a matter only when the catalogue marks the material tolerable AND
the matter allows gap-tolerant acceptance (`allows_gap`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

MaterialForm = Literal["original_checked", "original_kept", "copy", "electronic"]
Necessity = Literal["required", "conditional", "optional"]
Source = Literal["applicant", "department", "e_licence"]
Role = Literal[
    "application_form", "applicant_identity", "agent_identity", "authorisation", "photo", "other"
]
# The application form and the applicant's identity can never be a gap (容缺), like a core
# material (主要材料), whatever the catalogue or a manager says.
NEVER_GAP_ROLES = frozenset({"application_form", "applicant_identity"})

# Higher is stricter.
FORM_STRICTNESS: dict[str, int] = {
    "electronic": 0,
    "copy": 1,
    "original_checked": 2,
    "original_kept": 3,
}
NECESSITY_STRICTNESS: dict[str, int] = {"optional": 0, "conditional": 1, "required": 2}

FORM_LABELS: dict[str, str] = {
    "original_checked": "原件（核验后退还）",
    "original_kept": "原件（收取）",
    "copy": "复印件",
    "electronic": "电子材料",
}
NECESSITY_LABELS: dict[str, str] = {"required": "必需", "conditional": "视情形", "optional": "可选"}


@dataclass(frozen=True)
class MaterialSpec:
    """One material as one matter requires it (a catalogue Material row, detached)."""

    code: str
    name: str
    form: MaterialForm
    copies: int = 0
    necessity: Necessity = "required"
    tolerable: bool = False
    source: Source = "applicant"
    obtain: str = ""
    condition: str = ""
    core: bool = False
    role: Role = "other"
    note: str = ""
    blank_form: str | None = None
    sample: str | None = None


@dataclass(frozen=True)
class MatterSpec:
    """One matter with its materials in catalogue order (a catalogue Matter row, detached)."""

    code: str
    name: str
    promised_days: int
    legal_days: int
    allows_gap: bool = False
    allows_pledge: bool = False
    materials: tuple[MaterialSpec, ...] = ()
    #: working days the organ keeps after the last gap deadline to decide before the
    #: promised date (the catalogue's gap_reserve_days)
    gap_reserve_days: int = 1


@dataclass(frozen=True)
class ChecklistLine:
    """One material to check at the counter, once, for every matter that needs it.

    `gap_limit_days` is the smallest promised time limit (working days) of the matters that
    need this material, less the days those matters keep to decide (`gap_reserve_days`): a
    gap's deadline must never pass it. `core` lines (主要材料, the application form, the
    applicant's identity) can never be a gap, even under a manager's override."""

    code: str
    name: str
    form: MaterialForm
    copies: int
    necessity: Necessity
    tolerable: bool
    source: Source
    obtain: str
    condition: str
    matter_codes: tuple[str, ...]
    gap_limit_days: int
    core: bool = False
    role: Role = "other"
    note: str = ""
    blank_form: str | None = None
    sample: str | None = None

    @property
    def required(self) -> bool:
        return self.necessity == "required"

    @property
    def never_gap(self) -> bool:
        return self.core or self.role in NEVER_GAP_ROLES

    def requirement_text(self) -> str:
        """What to hand in, worded for the material: e.g. "填写完整的原件1份", "原件（核验后
        退还），另交复印件1份", "复印件2份", "1张", "电子材料"."""
        return requirement_text(self.form, self.copies, self.role)


def requirement_text(form: str, copies: int, role: str = "other") -> str:
    """The requirement of a material in plain words. For an original kept, `copies` counts the
    originals handed in; for an original checked, the photocopies kept besides it."""
    n = max(copies, 1)
    if role == "photo":
        return f"{n}张"
    if form == "original_kept":
        if role == "application_form":
            return f"填写完整的原件{n}份"
        return f"原件{n}份（收取）"
    if form == "original_checked":
        text = FORM_LABELS[form]
        return f"{text}，另交复印件{copies}份" if copies else text
    if form == "copy":
        return f"复印件{n}份"
    return FORM_LABELS[form]


def _join_distinct(values: Iterable[str]) -> str:
    seen: list[str] = []
    for v in values:
        v = v.strip()
        if v and v not in seen:
            seen.append(v)
    return "；".join(seen)


def _strictest_source(sources: list[Source]) -> Source:
    # An e-licence one matter may fetch is no help if another matter wants the paper from
    # the applicant: the applicant must bring it then.
    if len(set(sources)) == 1:
        return sources[0]
    return "applicant" if "applicant" in sources else sources[0]


def build_checklist(matters: Sequence[MatterSpec]) -> list[ChecklistLine]:
    """The checklist of a case covering `matters` (in order); lines in first-appearance order.
    Raises ValueError for an empty list or a matter listed twice (a programming error: the
    services check the user's choice first)."""
    if not matters:
        raise ValueError("a checklist needs at least one matter")
    matter_codes = [m.code for m in matters]
    if len(set(matter_codes)) != len(matter_codes):
        raise ValueError("a matter is listed twice")

    needs: dict[str, list[tuple[MatterSpec, MaterialSpec]]] = {}
    for matter in matters:
        for material in matter.materials:
            needs.setdefault(material.code, []).append((matter, material))

    lines: list[ChecklistLine] = []
    for code, uses in needs.items():
        first = uses[0][1]
        specs = [spec for _, spec in uses]
        form = max((s.form for s in specs), key=FORM_STRICTNESS.__getitem__)
        necessity = max((s.necessity for s in specs), key=NECESSITY_STRICTNESS.__getitem__)
        copies = max(s.copies for s in specs)
        if form == "copy":
            copies = max(copies, 1)  # a copy line always asks for at least one copy
        conditional = [s.condition for s in specs if s.necessity == "conditional"]
        lines.append(
            ChecklistLine(
                code=code,
                name=first.name,
                form=form,
                copies=copies,
                necessity=necessity,
                tolerable=all(
                    s.tolerable and m.allows_gap and not s.core and s.role not in NEVER_GAP_ROLES
                    for m, s in uses
                ),
                source=_strictest_source([s.source for s in specs]),
                obtain=_join_distinct(s.obtain for s in specs),
                condition=_join_distinct(conditional) if necessity == "conditional" else "",
                matter_codes=tuple(m.code for m, _ in uses),
                gap_limit_days=min(m.promised_days - m.gap_reserve_days for m, _ in uses),
                core=any(s.core for s in specs),
                role=first.role,
                note=_join_distinct(s.note for s in specs),
                blank_form=next((s.blank_form for s in specs if s.blank_form), None),
                sample=next((s.sample for s in specs if s.sample), None),
            )
        )
    return lines
