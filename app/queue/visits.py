"""Visits and ratings: which cases a ticket's visit served (只跑一次), and 好差评."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.queue.tickets import get_ticket
from app.services.changes import DeskContext, record
from db.models.queue import RATINGS, VISIT_PURPOSES, Evaluation, Visit


def link_case(
    session: Session, ctx: DeskContext, *, ticket_id: str, case_id: str, purpose: str = "new"
) -> Visit:
    """Record that `case_id` was served during this ticket's visit (idempotent)."""
    if purpose not in VISIT_PURPOSES:
        raise UserError("queue.unknown_purpose", purpose=purpose)
    if not case_id:
        raise UserError("queue.visit_needs_case")
    get_ticket(session, ticket_id)
    existing = session.scalars(
        select(Visit).where(Visit.ticket_id == ticket_id, Visit.case_id == case_id)
    ).first()
    if existing is not None:
        return existing
    visit = Visit(ticket_id=ticket_id, case_id=case_id, purpose=purpose)
    session.add(visit)
    record(session, ctx, visit, "visit.linked", {"purpose": purpose})
    return visit


def visits_per_case(session: Session, case_id: str) -> int:
    """How many separate visits (tickets) a case took: 1 means 只跑一次."""
    return int(
        session.scalar(
            select(func.count(func.distinct(Visit.ticket_id))).where(Visit.case_id == case_id)
        )
        or 0
    )


def record_evaluation(
    session: Session,
    ctx: DeskContext,
    *,
    ticket_id: str,
    rating: int,
    comment: str = "",
    case_id: str | None = None,
    evaluation_id: str | None = None,
) -> Evaluation:
    """好差评 for a finished service. A rating of 不满意 or worse is flagged for follow-up.
    `evaluation_id`: the id the shared queue was asked to record it under (the desk rates
    locally after the store's replies were lost: the same rating, one record on the store)."""
    if rating not in RATINGS:
        raise UserError("queue.bad_rating")
    ticket = get_ticket(session, ticket_id)
    if ticket.status != "done":
        raise UserError("queue.rate_not_done", number=ticket.number)
    already = session.scalars(select(Evaluation).where(Evaluation.ticket_id == ticket_id)).first()
    if already is not None:
        raise UserError("queue.already_rated", number=ticket.number)
    if case_id is None:
        case_id = session.scalars(
            select(Visit.case_id).where(Visit.ticket_id == ticket_id).order_by(Visit.created_at)
        ).first()
    evaluation = Evaluation(
        **({} if evaluation_id is None else {"id": evaluation_id}),
        ticket_id=ticket_id,
        case_id=case_id,
        window_number=ticket.window_number,
        clerk_id=ticket.clerk_id,
        rating=rating,
        comment=comment.strip()[:1000],
        follow_up_needed=rating <= 2,
    )
    session.add(evaluation)
    record(
        session,
        ctx,
        evaluation,
        "evaluation.recorded",
        {"rating": rating, "follow_up_needed": evaluation.follow_up_needed},
    )
    return evaluation
