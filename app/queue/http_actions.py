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
from app.queue.day_end import EVERY_WINDOW, DayEndPreview, _open_tickets
from app.queue.tickets import get_ticket, get_window
from app.queue.views import WindowState
from app.services.changes import DeskContext, record
from app.services.hall import MANAGER_ROLES
from db.models.hall import Window
from db.models.queue import RATINGS, Evaluation, Ticket, Visit


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


def check_issue(
    s: Session,
    line_code: str,
    kind: str,
    priority_group: str | None,
    id_number: str | None,
    now: datetime,
) -> str | None:
    """Before a ticket is issued through the store: the desk's own checks (kind, group, and
    one place per line and day by ID number, on this machine's tickets). The normalised ID
    number, which stays on this machine: the store never receives it."""
    from app.queue.issuing import check_request

    return check_request(s, line_code, kind, priority_group, id_number, hall_day(now))


def mirror_issued(s: Session, state: dict[str, Any], id_number: str | None) -> Ticket:
    """The store's ticket into this machine's table, with the ID number it was issued for
    (kept here only)."""
    from app.sync.engine import apply_ticket_state

    apply_ticket_state(s, state)
    row = s.get(Ticket, state["id"])
    assert row is not None
    if id_number is not None:
        row.id_number = id_number
        s.flush()
    return row


def day_end_preview(s: Session, reply: dict[str, Any], now: datetime) -> DayEndPreview:
    """The store's view of the day's end (every window), plus this desk's offline tickets the
    store does not hold yet (they close too: close_offline)."""
    from app.queue.day_end import InService

    known = set(reply["ticket_ids"])
    waiting, called = int(reply["waiting"]), int(reply["called"])
    serving = [InService(t["window_number"], str(t["number"])) for t in reply["serving"]]
    for ticket in _open_tickets(s, hall_day(now)):
        if not ticket.offline or ticket.id in known:
            continue
        if ticket.status == "serving":
            serving.append(InService(ticket.window_number, ticket.number))
        elif ticket.status == "called":
            called += 1
        else:
            waiting += 1
    serving.sort(key=lambda t: (t.window_number is None, t.window_number or 0, t.number))
    return DayEndPreview(waiting=waiting, called=called, serving=tuple(serving))
