"""What the printed documents show: plain frozen values, read by the caller from committed
rows, so rendering needs no database and can never print data that was not saved."""

from __future__ import annotations

import dataclasses
import enum
import re
from datetime import date, datetime
from typing import Literal

ApplicantKind = Literal["person", "org"]
DocumentKind = Literal["receipt", "commitment", "notice", "rejection", "ticket"]
DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    "receipt",
    "commitment",
    "notice",
    "rejection",
    "ticket",
)

_ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")


def mask_id_number(id_number: str) -> str:
    """A resident ID number with the birth date and sequence hidden: 220802********1234.
    Anything that is not an 18-character ID number (a USCC, a passport) is shown as is."""
    value = id_number.strip()
    if _ID_NUMBER.match(value):
        return value[:6] + "*" * 8 + value[-4:]
    return value


def mask_phone(phone: str) -> str:
    """A mobile number with the middle four digits hidden: 139****5678."""
    digits = phone.strip()
    if len(digits) == 11 and digits.isdigit():
        return digits[:3] + "****" + digits[-4:]
    return digits


@dataclasses.dataclass(frozen=True)
class HallInfo:
    name: str
    address: str
    enquiry_phone: str
    supervision_phone: str
    division_code: str
    #: e.g. "https://zwfw.baicheng.gov.cn/query?no={case_no}"
    query_url_pattern: str

    def query_url(self, case_no: str) -> str:
        return self.query_url_pattern.format(case_no=case_no)


@dataclasses.dataclass(frozen=True)
class Applicant:
    kind: ApplicantKind
    name: str
    #: resident ID number for a person, unified social credit code for an organisation
    id_number: str
    phone: str
    agent_name: str | None = None
    agent_id_number: str | None = None

    @property
    def id_label(self) -> str:
        return "统一社会信用代码" if self.kind == "org" else "身份证件号码"

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_agent_id(self) -> str:
        return mask_id_number(self.agent_id_number or "")


class MaterialForm(enum.StrEnum):
    ORIGINAL_CHECKED = "original_checked"
    ORIGINAL_KEPT = "original_kept"
    COPY = "copy"
    ELECTRONIC = "electronic"

    @property
    def label(self) -> str:
        return _FORM_LABELS[self]


_FORM_LABELS = {
    MaterialForm.ORIGINAL_CHECKED: "原件（核验后退回）",
    MaterialForm.ORIGINAL_KEPT: "原件（收取）",
    MaterialForm.COPY: "复印件",
    MaterialForm.ELECTRONIC: "电子材料",
}


@dataclasses.dataclass(frozen=True)
class ReceivedMaterial:
    name: str
    form: MaterialForm
    copies: int = 1
    note: str = ""


@dataclasses.dataclass(frozen=True)
class GapMaterial:
    """A material accepted as missing (容缺), to be supplied by `deadline`."""

    name: str
    deadline: date
    note: str = ""
    #: the deadline as working days from acceptance, and what to hand in (原件/复印件…)
    working_days: int = 0
    requirement: str = ""


@dataclasses.dataclass(frozen=True)
class NeededMaterial:
    """A material the applicant still has to bring: missing, or defective for `reason`."""

    name: str
    problem: Literal["missing", "defective"]
    reason: str
    how_to_obtain: str
    #: what to hand in (原件/复印件 and how many, signature or seal, format)
    requirement: str = ""
    #: where a blank form or a filled-in sample is published ("" when there is none)
    form_and_sample: str = ""

    @property
    def problem_label(self) -> str:
        return "缺少" if self.problem == "missing" else "需补正"


@dataclasses.dataclass(frozen=True)
class Issuer:
    """Who issues a paper: the competent organ(s) (实施机关) that decide the matter, in whose
    name it is issued and whose seal goes over the name; the hall only receives the
    application. `file_no` is the 文号 in the lead organ's style (白市监受〔2026〕12号, empty
    for a paper issued before 文号 were kept); `issued_on` is the date under the seal."""

    organs: tuple[str, ...]
    file_no: str
    issued_on: date

    def __post_init__(self) -> None:
        if not self.organs or not all(o.strip() for o in self.organs):
            raise ValueError("a paper needs the name of the organ that issues it")


@dataclasses.dataclass(frozen=True)
class DocumentMeta:
    """Stamped on every A4 document: its number, the case, who issued it, when it printed."""

    doc_no: str
    case_no: str
    window_number: int
    clerk_name: str
    printed_at: datetime
    #: 0 for the first print; n for the n-th reprint (补打)
    reprint_count: int = 0
    #: the organ in whose name the paper is issued; None: the hall's own name stands in
    issuer: Issuer | None = None

    def __post_init__(self) -> None:
        if self.reprint_count < 0:
            raise ValueError("reprint_count must not be negative")


@dataclasses.dataclass(frozen=True)
class Receipt:
    """受理通知书: the case was accepted (possibly with gaps, listed with their deadlines)."""

    hall: HallInfo
    meta: DocumentMeta
    applicant: Applicant
    matters: tuple[str, ...]
    received: tuple[ReceivedMaterial, ...]
    accepted_at: datetime
    promised_date: date
    promised_days: int
    gaps: tuple[GapMaterial, ...] = ()
    #: the legal basis cited for accepting (by the matter's kind; "" cites none)
    basis: str = ""
    #: required materials a manager accepted the case without: it must not say 齐全
    incomplete: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        late = [g.name for g in self.gaps if g.deadline > self.promised_date]
        if late:
            raise ValueError(f"gap deadline after the promised date: {late}")


@dataclasses.dataclass(frozen=True)
class Commitment:
    """容缺受理承诺书: the applicant promises to supply each missing material by its deadline."""

    hall: HallInfo
    meta: DocumentMeta
    applicant: Applicant
    matters: tuple[str, ...]
    gaps: tuple[GapMaterial, ...]
    accepted_at: datetime
    #: whom to call, the policy basis of 容缺, whether a broken promise goes on the credit
    #: record (local rule), and where to hand the materials in
    phone: str = ""
    policy: str = ""
    credit_record: bool = False
    submit_where: str = ""

    def __post_init__(self) -> None:
        if not self.gaps:
            raise ValueError("a commitment needs at least one missing material")


@dataclasses.dataclass(frozen=True)
class Notice:
    """一次性告知书: everything still needed, stated at once."""

    hall: HallInfo
    meta: DocumentMeta
    applicant: Applicant
    matters: tuple[str, ...]
    received: tuple[ReceivedMaterial, ...]
    needed: tuple[NeededMaterial, ...]
    submitted_at: datetime
    #: the legal basis cited (by the matter's kind; "" cites none), and where and how to
    #: hand the materials in
    basis: str = ""
    submit_where: str = ""

    def __post_init__(self) -> None:
        if not self.needed:
            raise ValueError("a notice must list at least one needed material")


@dataclasses.dataclass(frozen=True)
class Rejection:
    """不予受理通知书: the application is not accepted, with the reason and the remedies."""

    hall: HallInfo
    meta: DocumentMeta
    applicant: Applicant
    matters: tuple[str, ...]
    submitted_at: datetime
    reason: str
    #: the authority to apply to instead, where the matter is another authority's
    refer_to: str | None = None
    #: the administrative review body (复议机关) and the court; generic wording when unknown
    review_body: str | None = None
    court: str | None = None
    #: the exact clause cited ("" cites none); whether 复议/诉讼 are offered (only where the
    #: issuer is an administrative organ or one the law empowers)
    basis: str = ""
    remedies: bool = True


@dataclasses.dataclass(frozen=True)
class QueueTicket:
    """The slip a kiosk or desk prints when a ticket is taken."""

    hall: HallInfo
    ticket_no: str
    business_line: str
    waiting_ahead: int
    issued_at: datetime
    offline: bool = False
    reprint_count: int = 0
    doc_no: str = ""

    def __post_init__(self) -> None:
        if self.waiting_ahead < 0:
            raise ValueError("waiting_ahead must not be negative")
        if self.reprint_count < 0:
            raise ValueError("reprint_count must not be negative")


A4Document = Receipt | Commitment | Notice | Rejection
PrintableDocument = A4Document | QueueTicket


def kind_of(document: PrintableDocument) -> DocumentKind:
    kinds: dict[type, DocumentKind] = {
        Receipt: "receipt",
        Commitment: "commitment",
        Notice: "notice",
        Rejection: "rejection",
        QueueTicket: "ticket",
    }
    return kinds[type(document)]
