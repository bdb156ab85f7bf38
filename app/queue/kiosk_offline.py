"""A kiosk's offline tickets, on the kiosk's side (the store's: app.central.kiosk_merge).

A kiosk following the store (`python -m app kiosk --central URL --token T`) issues into the
shared queue. While the store cannot be reached it issues in its own offline number space,
given with its token (`central add-display --kiosk N`: "AK2-001"), so the hall keeps issuing
in an outage. Each such ticket is written with its event and outbox row, as any change; when
the store answers again the kiosk sends the tickets still in its outbox
(`POST …/queue/offline-tickets`) and, in one write transaction with the answer, takes the
accepted ones (applied or duplicate) out of its outbox and moves a refused one to
`rejected_operation` (the event log stays). A crash between the reply and that transaction
sends them again: the store answers `duplicate`.

The kiosk sends them with the rest of its outbox (`push_kiosk`: its slips, the ratings it
took, its events) through the desks' push, `POST …/push` with its kiosk token, which the
store checks for what a kiosk may write (app.central.kiosk_push). `push_pending` (the
offline-tickets route alone) stays for a store of the version before."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.central.tokens import kiosk_of_token
from app.services.changes import Operation, row_payload
from app.sync.engine import PUSH_BATCH, SyncReport, push_outbox
from db.engine import Database
from db.models.queue import Ticket
from db.models.sync import Event, Outbox, RejectedOperation, SyncState

__all__ = ["kiosk_of_token", "pending", "push_kiosk", "push_pending", "settle"]

BATCH = 500


def pending(
    s: Session, device: str, limit: int = BATCH
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """This kiosk's offline tickets still in its outbox: their states (without the ID number,
    which stays here) and, per ticket, the outbox operations that carry them."""
    rows = s.execute(
        select(Outbox.op_id, Event.entity_id)
        .join(Event, Event.id == Outbox.op_id)
        .where(Event.entity == "ticket")
        .order_by(Outbox.op_id)
    ).all()
    ops: dict[str, list[str]] = {}
    for op_id, ticket_id in rows:
        ops.setdefault(ticket_id, []).append(op_id)
    states: list[dict[str, Any]] = []
    for ticket_id in list(ops)[:limit]:
        ticket = s.get(Ticket, ticket_id)
        if ticket is None or not ticket.offline or ticket.device_id != device:
            ops.pop(ticket_id)
            continue
        state = row_payload(ticket)
        state["id_number"] = None
        states.append(state)
    return states, {t["id"]: ops[t["id"]] for t in states}


def settle(s: Session, ops: dict[str, list[str]], results: list[dict[str, Any]]) -> int:
    """The store's answer: accepted tickets leave the outbox, refused ones are kept aside with
    the reason. Returns how many were accepted."""
    accepted = 0
    for result in results:
        carried = ops.get(str(result.get("id")), [])
        if not carried:
            continue
        s.execute(delete(Outbox).where(Outbox.op_id.in_(carried)))
        if result.get("result") in ("applied", "duplicate"):
            accepted += 1
            continue
        for op_id in carried:
            if s.get(RejectedOperation, op_id) is None:
                reason = str(result.get("reason"))[:300]
                s.add(RejectedOperation(op_id=op_id, reason=reason))
    return accepted


def push_pending(database: Database, client: Any, device: str, batch: int = BATCH) -> int:
    """Send this kiosk's offline tickets to the store, then settle the answer; how many it
    accepted (raises the client's CentralUnreachable/CentralRefused, changing nothing)."""
    accepted = 0
    while True:  # a batch at a time; each answered ticket leaves the outbox
        with database.read() as s:
            states, ops = pending(s, device, batch)
        if not states:
            return accepted
        reply = client.offline_tickets(states, device)
        accepted += database.run_write(partial(settle, ops=ops, results=list(reply["results"])))
        if len(states) < batch:
            return accepted


def _kiosk_state(op: Operation) -> dict[str, Any] | None:
    """What a kiosk's operation carries: its row's state, a ticket's without the ID number
    (it stays on this machine, for its own rule of one place per line and day)."""
    if op.state is not None and op.event.get("entity") == "ticket":
        return {**op.state, "id_number": None}
    return op.state


def push_kiosk(database: Database, client: Any, batch: int = PUSH_BATCH) -> SyncReport:
    """Push this kiosk's whole outbox to the store with the desks' protocol (each operation
    by its id; acknowledged ones leave the outbox, refused ones move to rejected_operation).
    Raises the client's CentralUnreachable/CentralRefused; what was settled stays settled."""
    with database.read() as s:
        state = s.get(SyncState, 1)
        first = state is None or state.last_push_at is None
        missing = _unpushed(s) if first else []
    if missing:
        database.run_write(lambda s: _requeue(s, missing))
    report = SyncReport()
    push_outbox(database, client, report, batch=batch, prepare=_kiosk_state)
    return report


def _unpushed(s: Session) -> list[str]:
    """Before a kiosk's first push: its events no longer in its outbox. The version before
    sent its offline tickets alone (`push_pending`) and took their events out of the outbox;
    each event is a link of the kiosk's audit chain, so the store needs them all, in order,
    or it refuses the links after the gap as "removed"."""
    device = device_id_of(s)
    if device is None:
        return []
    waiting = select(Outbox.op_id).where(Outbox.op_id == Event.id).exists()
    return list(s.scalars(select(Event.id).where(Event.device_id == device, ~waiting)))


def _requeue(s: Session, op_ids: list[str]) -> None:
    for op_id in op_ids:
        if s.get(Outbox, op_id) is None:
            s.add(Outbox(op_id=op_id))


def device_id_of(s: Session) -> str | None:
    state = s.get(SyncState, 1)
    return None if state is None else state.device_id
