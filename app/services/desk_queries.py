"""Small reads for the desk's widgets, returning plain data (the UI imports neither SQLAlchemy
nor the models): the ticket being served, a bundle's name, the managers who may approve a
changed decision, a notified case to restart, the checklist of chosen matters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as Session  # re-exported: the UI never imports SQLAlchemy

from app.rules.checklist import ChecklistLine, MatterSpec, build_checklist
from app.rules.decision import MaterialEntry
from app.services.aftercare import carried_entries
from app.services.applicant import ApplicantData
from app.services.case_queries import get_case
from app.services.hall import MANAGER_ROLES
from app.services.intake import matter_specs
from db.models.catalogue import Bundle
from db.models.hall import Clerk
from db.models.queue import Ticket

__all__ = [
    "ChosenChecklist",
    "NotifiedCase",
    "Session",
    "TicketInfo",
    "active_managers",
    "chosen_checklist",
    "notified_case",
    "ticket_info",
]


@dataclass(frozen=True)
class TicketInfo:
    number: str
    id_number: str | None


@dataclass(frozen=True)
class ChosenChecklist:
    specs: tuple[MatterSpec, ...]
    lines: tuple[ChecklistLine, ...]
    bundle_name: str


@dataclass(frozen=True)
class NotifiedCase:
    """A case to restart after its applicant came back with what was missing."""

    case_no: str
    status: str
    applicant: ApplicantData
    matter_codes: tuple[str, ...]
    bundle_code: str | None
    carried: dict[str, MaterialEntry]


def ticket_info(session: Session, ticket_id: str) -> TicketInfo | None:
    ticket = session.get(Ticket, ticket_id)
    return None if ticket is None else TicketInfo(ticket.number, ticket.id_number)


def chosen_checklist(
    session: Session, codes: Sequence[str], bundle_code: str | None
) -> ChosenChecklist:
    """The checklist of `codes`, or of the bundle; raises UserError for unknown codes."""
    specs = matter_specs(session, list(codes) or None, bundle_code)
    bundle_name = ""
    if bundle_code:
        row = session.get(Bundle, bundle_code)
        bundle_name = row.name if row else bundle_code
    return ChosenChecklist(tuple(specs), tuple(build_checklist(specs)), bundle_name)


def active_managers(session: Session) -> list[tuple[str, str]]:
    """(id, name) of every active clerk who may approve a changed decision."""
    rows = session.execute(
        select(Clerk.id, Clerk.name)
        .where(Clerk.role.in_(MANAGER_ROLES), Clerk.active.is_(True))
        .order_by(Clerk.id)
    ).all()
    return [(r.id, r.name) for r in rows]


def notified_case(session: Session, case_id: str) -> NotifiedCase:
    """What the panel needs to restart `case_id` (raises UserError if there is no such case;
    the caller checks the status)."""
    first = get_case(session, case_id)
    applicant = ApplicantData.of(first)
    return NotifiedCase(
        case_no=first.case_no,
        status=first.status,
        applicant=applicant,
        matter_codes=() if first.bundle_code else tuple(m.matter_code for m in first.matters),
        bundle_code=first.bundle_code,
        carried=carried_entries(session, first.id),
    )
