"""The hall's shared queue on the central store: one numbering for the whole hall, and each
waiting ticket claimed by exactly one window.

- issue: the ticket id is the caller's (a ULID), so a retried issue returns the same ticket;
  numbers run per line and hall day, under a lock on the hall's row.
- call_next: the request id is recorded first (a retry, even one racing the first, gets the
  ticket already called: `replayed`), then the oldest waiting ticket of the window's lines is
  claimed with `SELECT … FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite serialises writers), so
  twenty desks calling at once never get the same ticket.
- recall / start / end / no-show: the window's actions on its ticket.
Every change is written to the hall's feed (entity "ticket", in the desk's ticket shape), so
desks, displays and kiosks following the feed see the shared queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.central import feed
from app.central.errors import CentralError
from app.clock import hall_day
from db.base import utcnow
from db.central.models import Credential, Hall, Record, SharedTicket
from db.central.store import CentralStore

ACTIONS = ("recall", "start", "end", "no-show")
#: Appointment check-ins are numbered from Y on every line (app.queue.tickets).
APPOINTMENT_PREFIX = "Y"


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _lines(hall: Hall) -> dict[str, str]:
    return {ln["code"]: ln["ticket_prefix"] for ln in hall.config.get("lines", [])}


def _window_lines(hall: Hall, window: int | None) -> list[str]:
    for w in hall.config.get("windows", []):
        if w.get("number") == window:
            return list(w.get("lines", []))
    return []


def ticket_state(s: Session, hall_id: str, ticket_id: str) -> dict[str, Any] | None:
    state = s.scalar(
        select(Record.state).where(
            Record.hall_id == hall_id, Record.entity == "ticket", Record.entity_id == ticket_id
        )
    )
    return dict(state) if state else None


def _save(
    s: Session, store: CentralStore, cred: Credential, state: dict[str, Any], device: str | None
) -> None:
    feed.put_records(
        s, store, cred.hall_id, [("ticket", state["id"], state, device, cred.window_number)]
    )


def issue(
    store: CentralStore,
    cred: Credential,
    ticket_id: str,
    line_code: str,
    kind: str = "normal",
    device: str | None = None,
    priority_group: str | None = None,
) -> dict[str, Any]:
    """A ticket of the line: an appointment numbered from Y (one daily sequence for the hall,
    as on a desk), a priority ticket with its group (elderly, …) for the calling window's
    screen. The ID number a kiosk or desk checked stays on that machine: none is sent here."""
    if priority_group is not None and kind != "priority":
        raise CentralError("queue.bad_priority")
    with store.write() as s:
        existing = ticket_state(s, cred.hall_id, ticket_id)
        if existing is not None:
            return existing
        hall = s.scalar(select(Hall).where(Hall.id == cred.hall_id).with_for_update())
        assert hall is not None
        prefix = _lines(hall).get(line_code)
        if prefix is None:
            raise CentralError("queue.no_line", line=line_code)
        if kind == "appointment":
            prefix = APPOINTMENT_PREFIX
        now = utcnow()
        day = hall_day(now).isoformat()
        # By the number's prefix, not the line: a transferred ticket keeps its number on
        # another line, and the line's next number must not meet it.
        seq = 1 + (
            s.scalar(
                select(func.coalesce(func.max(SharedTicket.seq), 0)).where(
                    SharedTicket.hall_id == cred.hall_id,
                    SharedTicket.day == day,
                    SharedTicket.number.startswith(prefix, autoescape=True),
                    SharedTicket.offline.is_(False),
                )
            )
            or 0
        )
        number = f"{prefix}{seq:03d}"
        s.add(
            SharedTicket(
                hall_id=cred.hall_id,
                id=ticket_id,
                day=day,
                line_code=line_code,
                number=number,
                seq=seq,
                kind=kind,
                issued_at=now,
            )
        )
        state = {
            "id": ticket_id,
            "created_at": _iso(now),
            "number": number,
            "line_code": line_code,
            "day": day,
            "seq": seq,
            "kind": kind,
            "priority_group": priority_group,
            "id_number": None,
            "status": "waiting",
            "issued_at": _iso(now),
            "called_at": None,
            "last_called_at": None,
            "call_count": 0,
            "window_number": None,
            "clerk_id": None,
            "service_started_at": None,
            "ended_at": None,
            "passed_reason": None,
            "close_reason": None,
            "transferred_from_line": None,
            "target_window": None,
            "order_key": int(now.timestamp() * 1_000_000),
            "offline": False,
            "device_id": device,
        }
        s.flush()
        _save(s, store, cred, state, device)
        return state


def merge_offline(s: Session, hall_id: str, state: dict[str, Any]) -> None:
    """A ticket a desk issued offline ("A3-007", its own number space) joins the shared
    queue when pushed; its number cannot collide with the store's ("A007")."""
    if not state.get("offline") or s.get(SharedTicket, (hall_id, state.get("id"))) is not None:
        return
    issued = state.get("issued_at")
    s.add(
        SharedTicket(
            hall_id=hall_id,
            id=state["id"],
            day=str(state.get("day")),
            line_code=str(state.get("line_code")),
            number=str(state.get("number")),
            seq=int(state.get("seq") or 0),
            status=str(state.get("status") or "waiting"),
            kind=str(state.get("kind") or "normal"),
            window_number=state.get("window_number"),
            offline=True,
            issued_at=datetime.fromisoformat(issued) if isinstance(issued, str) else utcnow(),
        )
    )


def call_next(
    store: CentralStore, cred: Credential, request_id: str
) -> tuple[dict[str, Any] | None, bool]:
    """(the ticket called, replayed): the hall's priority policy, one atomic claim
    (app.central.calling)."""
    from app.central import calling

    return calling.call_next(store, cred, request_id)


def act(store: CentralStore, cred: Credential, ticket_id: str, action: str) -> dict[str, Any]:
    """A window's action on a ticket it called."""
    with store.write() as s:
        row = s.get(SharedTicket, (cred.hall_id, ticket_id), with_for_update=True)
        if row is None:
            raise CentralError("queue.no_ticket", ticket=ticket_id)
        allowed = {
            "recall": ("called",),
            "start": ("called",),
            "end": ("called", "serving"),
            "no-show": ("called",),
        }[action]
        if row.status not in allowed or row.window_number != cred.window_number:
            raise CentralError("queue.bad_action", ticket=row.number, status=row.status)
        now = utcnow()
        state = ticket_state(s, cred.hall_id, ticket_id) or {}
        if action == "recall":
            row.recalled_at = now
            state.update(last_called_at=_iso(now), call_count=int(state.get("call_count") or 0) + 1)
        elif action == "start":
            row.status = "serving"
            state.update(status="serving", service_started_at=_iso(now))
        elif action == "end":
            row.status, row.ended_at = "done", now
            state.update(status="done", ended_at=_iso(now))
        else:
            row.status = "passed"
            state.update(status="passed", passed_reason="no_show")
        _save(s, store, cred, state, None)
        return state


def waiting(store: CentralStore, hall_id: str) -> list[dict[str, Any]]:
    """Today's waiting and called tickets, for displays and kiosks that poll."""
    with store.session() as s:
        rows = s.scalars(
            select(SharedTicket)
            .where(
                SharedTicket.hall_id == hall_id,
                SharedTicket.day == hall_day(utcnow()).isoformat(),
                SharedTicket.status.in_(("waiting", "called", "serving")),
            )
            .order_by(SharedTicket.issued_at)
        ).all()
        return [
            {
                "id": r.id,
                "number": r.number,
                "line_code": r.line_code,
                "status": r.status,
                "window_number": r.window_number,
                "offline": r.offline,
            }
            for r in rows
        ]
