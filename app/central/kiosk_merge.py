"""A kiosk's offline tickets joining the hall's shared queue
(`POST /v1/halls/{hall}/queue/offline-tickets`, a kiosk's display token).

A kiosk on another machine issues into the shared queue; while the store cannot be reached
it numbers tickets in its own offline space, given with its token (`central add-display
--kiosk N`): "AK2-001" (line prefix, K, the kiosk's number), a space that meets neither the
store's ("A001") nor any window's ("A2-001"). When the store answers again the kiosk sends
them here; each joins the claim table (callable by every window, in its place by its issue
time) and the hall's feed, in one transaction per request, and is answered per ticket:

- `applied`: new, merged now;
- `duplicate`: that id is in the shared queue already with that number (a retry after a lost
  reply): nothing changes;
- `rejected` + `reason`: a number outside this kiosk's space, an unknown line, a prefix that
  is not the line's (or Y for an appointment), or an id already used for another number.

A kiosk now pushes its whole outbox (`POST …/push`, app.central.kiosk_push), its offline
tickets included, checked here the same way; this route stays for kiosks of the version
before. The ID number a kiosk took for the local rule "one place per
line and day" stays on the kiosk: the state stored and sent to every desk has none."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.central import feed
from db.base import utcnow
from db.central.models import Credential, Hall, SharedTicket
from db.central.store import CentralStore

APPOINTMENT_PREFIX = "Y"
KINDS = ("normal", "priority", "appointment")
GROUPS = ("elderly", "pregnant", "disability", "service_member")
MAX_TICKETS = 1000


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _problem(state: Any, lines: dict[str, str], kiosk: int) -> str | None:
    if not isinstance(state, dict):
        return "not an object"
    if not isinstance(state.get("id"), str) or not re.fullmatch(r"[0-9A-Z]{26}", state["id"]):
        return "id is not an id"
    line, kind = state.get("line_code"), state.get("kind", "normal")
    if not isinstance(line, str) or line not in lines:
        return "unknown line"
    if kind not in KINDS:
        return "unknown kind"
    group = state.get("priority_group")
    if group is not None and (kind != "priority" or group not in GROUPS):
        return "bad priority group"
    prefix = APPOINTMENT_PREFIX if kind == "appointment" else lines[str(line)]
    number = state.get("number")
    match = re.fullmatch(rf"{re.escape(prefix)}K{kiosk}-(\d{{3,6}})", str(number))
    if match is None:
        return f"number outside kiosk {kiosk}'s offline space"
    if int(match.group(1)) != state.get("seq"):
        return "seq differs from the number"
    if not isinstance(state.get("day"), str) or not re.fullmatch(
        r"\d{4}-\d{2}-\d{2}", state["day"]
    ):
        return "bad day"
    if _moment(state.get("issued_at")) is None:
        return "bad issued_at"
    return None


def _state(state: dict[str, Any], device: str | None) -> dict[str, Any]:
    """The ticket as the hall's desks receive it: a waiting offline ticket, without the ID
    number."""
    issued = _moment(state["issued_at"])
    assert issued is not None
    return {
        "id": state["id"],
        "created_at": issued.isoformat(),
        "number": state["number"],
        "line_code": state["line_code"],
        "day": state["day"],
        "seq": state["seq"],
        "kind": state.get("kind", "normal"),
        "priority_group": state.get("priority_group"),
        "id_number": None,
        "status": "waiting",
        "issued_at": issued.isoformat(),
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
        "order_key": int(issued.timestamp() * 1_000_000),
        "offline": True,
        "device_id": device,
    }


def merge(
    store: CentralStore, cred: Credential, tickets: list[Any], device: str | None
) -> list[dict[str, Any]]:
    """The kiosk's offline tickets into the shared queue; one result per ticket, in order."""
    kiosk = cred.window_number
    results: list[dict[str, Any]] = []
    with store.write() as s:
        config = s.scalar(select(Hall.config).where(Hall.id == cred.hall_id)) or {}
        lines = {
            str(ln.get("code")): str(ln.get("ticket_prefix")) for ln in config.get("lines", [])
        }
        records: list[feed.RecordChange] = []
        for raw in tickets:
            tid = raw.get("id") if isinstance(raw, dict) else None
            problem = "not a kiosk's token" if kiosk is None else _problem(raw, lines, kiosk)
            if problem is None:
                problem = _merge_one(s, cred, raw, device, records)
            if problem == "duplicate":
                results.append({"id": tid, "result": "duplicate"})
            elif problem is not None:
                results.append({"id": tid, "result": "rejected", "reason": problem})
            else:
                results.append({"id": tid, "result": "applied"})
        feed.put_records(s, store, cred.hall_id, records)
    return results


def _merge_one(
    s: Session,
    cred: Credential,
    raw: dict[str, Any],
    device: str | None,
    records: list[feed.RecordChange],
) -> str | None:
    existing = s.get(SharedTicket, (cred.hall_id, raw["id"]))
    if existing is not None:
        return "duplicate" if existing.number == raw["number"] else "id used for another number"
    taken = s.scalar(
        select(SharedTicket.id).where(
            SharedTicket.hall_id == cred.hall_id,
            SharedTicket.day == raw["day"],
            SharedTicket.number == raw["number"],
        )
    )
    if taken is not None:
        return "number already in the shared queue"
    state = _state(raw, device)
    add_shared(s, cred.hall_id, state)
    records.append(("ticket", state["id"], state, device, None))
    return None


def add_shared(s: Session, hall_id: str, state: dict[str, Any]) -> None:
    """A checked offline ticket (`_state`'s) into the claim table, waiting."""
    s.add(
        SharedTicket(
            hall_id=hall_id,
            id=state["id"],
            day=state["day"],
            line_code=state["line_code"],
            number=state["number"],
            seq=int(state["seq"]),
            status="waiting",
            kind=state["kind"],
            offline=True,
            issued_at=_moment(state["issued_at"]) or utcnow(),
        )
    )
    s.flush()
