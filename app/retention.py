"""Retention: cases closed longer than the hall's retention period are purged from the desk
once the central store holds them (no operation of theirs waits in the outbox).

An administrator's command, `python -m app purge --older-than-days N`; until the desk has
sign-in and roles it runs from the command line only (the desk has no button for it). What it
removed is recorded as one event ("retention.purged": the case numbers and how many rows),
chained like every other; the events about the purged cases themselves stay (the log is
append-only, and it is what proves what happened to them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.messages import Message
from app.rules.lifecycle import OPEN_STATUSES, CaseStatus
from app.services.changes import DeskContext, record
from app.services.documents import resolve_pdf_path
from db.base import utcnow
from db.models.case import Case, CaseMaterial, CaseMatter
from db.models.document import Document, PrintRecord
from db.models.sync import Event, Outbox, SyncState

#: Statuses of a case that is over: nothing more happens to it at the desk.
CLOSED_STATUSES = tuple(sorted(s.value for s in set(CaseStatus) - OPEN_STATUSES))


def purgeable(session: Session, days: int) -> list[Case]:
    """Closed cases last changed more than `days` days ago with nothing waiting in the outbox
    (theirs nor their documents'), and no case that is kept names as its previous one."""
    cutoff = utcnow() - timedelta(days=days)
    pending = (
        select(Event.entity_id)
        .join(Outbox, Outbox.op_id == Event.id)
        .where(
            Event.entity.in_(("case", "case_material", "case_matter", "document", "print_record"))
        )
    )
    waiting = set(session.scalars(pending))
    out = []
    for case in session.scalars(
        select(Case).where(Case.status.in_(CLOSED_STATUSES), Case.updated_at < cutoff)
    ):
        rows = {case.id}
        rows |= set(session.scalars(select(CaseMaterial.id).where(CaseMaterial.case_id == case.id)))
        rows |= set(session.scalars(select(CaseMatter.id).where(CaseMatter.case_id == case.id)))
        docs = set(session.scalars(select(Document.id).where(Document.case_id == case.id)))
        rows |= docs
        rows |= set(
            session.scalars(select(PrintRecord.id).where(PrintRecord.document_id.in_(docs)))
        )
        if not rows & waiting:
            out.append(case)
    chosen = {c.id for c in out}
    referenced = set(
        session.scalars(
            select(Case.previous_case_id).where(
                Case.previous_case_id.in_(chosen), Case.id.not_in(chosen)
            )
        )
    )
    return [c for c in out if c.id not in referenced]


@dataclass(frozen=True)
class Purged:
    case_numbers: list[str]
    pdf_paths: list[str]  # as the rows kept them: the files to remove once committed


def purge(session: Session, ctx: DeskContext, days: int) -> Purged:
    """Remove the purgeable cases with their materials, matters, documents and print records;
    record one event naming them."""
    if days < 1:
        raise UserError("purge.bad_days", days=days)
    from app.accounts import ADMIN_ROLES, require_role_once_accounts

    require_role_once_accounts(session, ctx, ADMIN_ROLES)
    cases = purgeable(session, days)
    if not cases:
        return Purged([], [])
    ids = [c.id for c in cases]
    numbers = sorted(c.case_no for c in cases)
    docs = list(session.scalars(select(Document.id).where(Document.case_id.in_(ids))))
    paths = [
        p
        for table in (Document, PrintRecord)
        for p in session.scalars(
            select(table.pdf_path).where(
                (table.id.in_(docs)) if table is Document else PrintRecord.document_id.in_(docs)
            )
        )
        if p
    ]
    session.expunge_all()
    session.execute(delete(PrintRecord).where(PrintRecord.document_id.in_(docs)))
    session.execute(delete(Document).where(Document.id.in_(docs)))
    session.execute(delete(CaseMaterial).where(CaseMaterial.case_id.in_(ids)))
    session.execute(delete(CaseMatter).where(CaseMatter.case_id.in_(ids)))
    session.execute(delete(Case).where(Case.id.in_(ids)))
    state = session.get(SyncState, 1)
    assert state is not None  # record() made it when the cases were saved
    record(
        session,
        ctx,
        state,
        "retention.purged",
        {"older_than_days": days, "cases": numbers, "documents": len(docs)},
    )
    return Purged(numbers, paths)


def cmd_purge(data_dir: str | None, days: int, user: str | None = None) -> int:
    """`purge`: an administrator's (`--user ID`, the credential from the terminal or stdin)."""
    from app.accounts import ADMIN_ROLES
    from app.accounts_cli import authorise
    from app.startup import existing_store

    if days < 1:
        raise UserError("purge.bad_days", days=days)
    database = existing_store(data_dir)
    try:
        ctx = authorise(database, user, ADMIN_ROLES)
        purged = database.run_write(lambda s: purge(s, ctx, days))
        assert database.path is not None
        for stored in purged.pdf_paths:
            path = resolve_pdf_path(database.path.parent, stored)
            if path is not None:
                path.unlink(missing_ok=True)
    finally:
        database.close()
    print(Message("purge.done", count=len(purged.case_numbers), days=days))
    return 0
