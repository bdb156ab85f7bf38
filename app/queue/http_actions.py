"""The desk's side of the shared queue's window actions that are not a call (transfer, pause,
ratings, the day's end; app.central.queue_actions): checks the desk makes before asking the
store, and what the store's answer writes in the desk's own database (mirrored: no outbox row,
the store already has it)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts import require_role
from app.clock import hall_day
from app.errors import UserError
from app.queue.day_end import EVERY_WINDOW, _open_tickets
from app.queue.tickets import get_ticket, get_window
from app.queue.views import WindowState
from app.services.changes import DeskContext, record
from app.services.hall import MANAGER_ROLES
from db.models.hall import Window
from db.models.queue import RATINGS, Evaluation, Visit


def window_view(window: Window) -> WindowState:
    return WindowState(
        number=window.number,
        name=window.name,
        paused=window.paused,
        line_codes=tuple(served.line_code for served in window.lines),
    )


def check_pause(s: Session, ctx: DeskContext, paused: bool) -> int:
    """The desk's window, which must not already be in that state (as the local queue)."""
    window = get_window(s, ctx.window_number)
    if window.paused == paused:
        raise UserError(
            "queue.already_paused" if paused else "queue.already_calling", window=window.number
        )
    return window.number


def check_not_paused(s: Session, ctx: DeskContext) -> None:
    """A paused window calls nobody (its pause is mirrored here from the store)."""
    if ctx.window_number is None:
        return
    window = get_window(s, ctx.window_number)
    if window.paused:
        raise UserError("queue.window_paused", window=window.number)


def mirror_window(s: Session, state: dict[str, Any]) -> WindowState:
    window = get_window(s, int(state["number"]))
    window.paused = bool(state.get("paused"))
    s.flush()
    return window_view(window)


def evaluation_request(
    s: Session, ctx: DeskContext, ticket_id: str, rating: int, comment: str
) -> dict[str, Any]:
    """The rating as the store takes it, after the desk's own checks (the same as the local
    queue's: a known rating, a finished ticket, not rated yet)."""
    from db.ids import new_id

    if rating not in RATINGS:
        raise UserError("queue.bad_rating")
    ticket = get_ticket(s, ticket_id)
    if ticket.status != "done":
        raise UserError("queue.rate_not_done", number=ticket.number)
    if s.scalars(select(Evaluation.id).where(Evaluation.ticket_id == ticket_id)).first():
        raise UserError("queue.already_rated", number=ticket.number)
    case_id = s.scalars(
        select(Visit.case_id).where(Visit.ticket_id == ticket_id).order_by(Visit.created_at)
    ).first()
    return {
        "ticket_id": ticket_id,
        "evaluation_id": new_id(),
        "rating": rating,
        "comment": comment.strip()[:1000],
        "case_id": case_id,
        "clerk_id": ticket.clerk_id or ctx.clerk_id,
    }


def mirror_evaluation(s: Session, state: dict[str, Any]) -> None:
    from app.sync.engine import _from_json

    if s.get(Evaluation, state["id"]) is None:
        s.add(Evaluation(**_from_json(Evaluation, state)))
        s.flush()


def check_close(s: Session, ctx: DeskContext, reason: str) -> None:
    """Closing the hall's day is a manager's, with a reason (as the local queue)."""
    require_role(s, ctx, MANAGER_ROLES)
    if not reason.strip():
        raise UserError("queue.close_reason")


def close_offline(
    s: Session,
    ctx: DeskContext,
    reason: str,
    now: datetime,
    end_service_at: Collection[int] | Literal["all"],
) -> int:
    """After the store closed the hall's day: this desk's offline tickets the store does not
    hold yet, closed as app.queue.day_end closes them (their push then merges them). The
    shared tickets are the store's: a stale copy here is not closed over its newer state."""
    reason = reason.strip()
    changed = 0
    for ticket in _open_tickets(s, hall_day(now)):
        if not ticket.offline:
            continue
        if ticket.status == "serving":
            if end_service_at != EVERY_WINDOW and ticket.window_number not in end_service_at:
                continue
            ticket.status, ticket.ended_at = "done", now
            record(s, ctx, ticket, "ticket.service_ended", {"by": "close_day"})
        else:
            was = ticket.status
            ticket.status, ticket.close_reason, ticket.ended_at = "closed", reason[:200], now
            record(s, ctx, ticket, "ticket.closed", {"reason": reason, "was": was})
        changed += 1
    return changed
