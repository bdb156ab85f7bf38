"""The applicant at the counter: what the desk form gives (ApplicantInput), everything wrong
with it (applicant_problems, InvalidApplicant) and its normalised fields as a case stores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from app.errors import UserError
from app.messages import Message
from app.rules.identity import (
    ORG_NAME_MAX_LENGTH,
    check_id_number,
    check_name,
    check_phone,
    check_uscc,
    normalise_id_number,
    normalise_name,
    normalise_phone,
)

if TYPE_CHECKING:
    from db.models.case import Case


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

    @classmethod
    def of(cls, case: Case) -> ApplicantData:
        """The applicant as `case` recorded them (a restart carries them over)."""
        return cls(
            kind=case.applicant_kind,
            name=case.applicant_name,
            id_number=case.applicant_id_number,
            phone=case.applicant_phone,
            agent_name=case.agent_name,
            agent_id_number=case.agent_id_number,
            agent_phone=case.agent_phone,
        )


class InvalidApplicant(UserError):
    """The applicant's data is wrong; `problems` maps field keys ("kind", "name", "id_number",
    "phone", "agent_name", "agent_id_number", "agent_phone") to messages."""

    def __init__(self, problems: dict[str, Message]) -> None:
        super().__init__(*problems.values())
        self.problems = problems


def unprintable(name: str, what: Message) -> Message | None:
    """A name with a character no font of the papers has would print with a gap where the
    character should be: it is refused at entry instead, naming the characters."""
    from app.printing.fonts import missing_glyphs  # reportlab: only once a name is checked

    missing = missing_glyphs(name)
    return Message("identity.name_unprintable", what=what, chars=missing) if missing else None


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
    name_problem = name_problem or unprintable(
        applicant.name, Message("field.org_name" if org else "field.applicant_name")
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
    # An organisation's agent is its 经办人, a person's its 代理人: messages name them so.
    if agent_name or agent_id or agent_phone:
        what = Message("field.handler_name" if org else "field.agent_name")
        problem = check_name(agent_name, what=what)
        problem = problem or unprintable(agent_name, what)
        if problem:
            problems["agent_name"] = problem
        problem = check_id_number(
            agent_id, what=Message("field.handler_id_number" if org else "field.agent_id_number")
        )
        if problem:
            problems["agent_id_number"] = problem
        if agent_phone:
            problem = check_phone(
                agent_phone, what=Message("field.handler_phone" if org else "field.agent_phone")
            )
            if problem:
                problems["agent_phone"] = problem
    return problems


def normalised_applicant(applicant: ApplicantInput) -> dict[str, Any]:
    """The applicant's fields as a case stores them."""
    agent_name = normalise_name(applicant.agent_name or "") or None
    agent_id = normalise_id_number(applicant.agent_id_number or "") or None
    agent_phone = normalise_phone(getattr(applicant, "agent_phone", None) or "") or None
    return {
        "applicant_kind": applicant.kind,
        "applicant_name": normalise_name(applicant.name),
        "applicant_id_number": normalise_id_number(applicant.id_number),
        "applicant_phone": normalise_phone(applicant.phone),
        "agent_name": agent_name,
        "agent_id_number": agent_id,
        "agent_phone": agent_phone,
    }
