"""What a kiosk on another machine may push (`POST /v1/halls/{hall}/push` with a kiosk's
token, `central add-display --kiosk N`), and what its operations change on the store.

A kiosk writes into its own database, with an event and an outbox row each, what happens at
it: the tickets it issued offline ("AK2-001"), the paper slips it numbered and printed
(documents of kind `ticket`), the ratings it took (`evaluation`, and a ticket's
`ticket.not_rated` event) and its own configuration (`hall.configured` when the hall file was
imported on it). It pushes its outbox like a desk, through the same protocol: each operation
with its id, recorded in the same transaction as its effect (a replay is `duplicate`).

A kiosk's token acts for no window and holds a number, not a desk. So the store takes from it:

- `ticket`: the event; for `ticket.issued` of an offline ticket in this kiosk's own number
  space, the ticket joins the shared queue as a waiting ticket (app.central.kiosk_merge's
  checks: a number outside its space, an unknown line, a number taken by another ticket is
  refused). A kiosk's later state of a shared ticket is not taken: the store's queue holds it.
- `evaluation`: the rating, as a record, and on the shared ticket when it has none.
- `document` of kind `ticket` (its slips): the event and the document; `print_record` (a
  slip that did not come out, or was only saved) of such a document: the event and the
  record.
- `hall`: the event only (the hall's configuration is the store's).

Anything else (a case, a visit, an account or credential, a desk, a window…) is refused:
`rejected` with the reason, nothing of it applied, and the rest of the batch goes on. Its
chain link is checked first (app.central.chain), so a refused operation does not break the
kiosk's chain for the links after it. Records a kiosk writes carry no window."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.central import feed, kiosk_merge
from app.central.push import device_of
from db.central.models import Credential, Hall, Record, SharedTicket

#: What a kiosk writes, and so may push.
KIOSK_ENTITIES = ("ticket", "evaluation", "document", "print_record", "hall")
ISSUED = "ticket.issued"


def kiosk_number(cred: Credential) -> int | None:
    """The kiosk's number when `cred` is a kiosk's token, else None."""
    return cred.window_number if cred.role == "display" else None


def _lines(s: Session, hall_id: str) -> dict[str, str]:
    config = s.scalar(select(Hall.config).where(Hall.id == hall_id)) or {}
    return {str(ln.get("code")): str(ln.get("ticket_prefix")) for ln in config.get("lines", [])}


def _ticket_problem(
    s: Session, cred: Credential, state: Any, entity_id: str, lines: dict[str, str]
) -> str | None:
    kiosk = kiosk_number(cred)
    assert kiosk is not None
    problem = kiosk_merge._problem(state, lines, kiosk)
    if problem is not None:
        return problem
    if state["id"] != entity_id:
        return "state id differs from the event's entity_id"
    existing = s.get(SharedTicket, (cred.hall_id, state["id"]))
    if existing is not None:
        return None if existing.number == state["number"] else "id used for another number"
    taken = s.scalar(
        select(SharedTicket.id).where(
            SharedTicket.hall_id == cred.hall_id,
            SharedTicket.day == state["day"],
            SharedTicket.number == state["number"],
        )
    )
    return None if taken is None else "number already in the shared queue"


def _slips(s: Session, hall_id: str, ops: dict[str, dict[str, Any]]) -> set[Any]:
    """The ticket slips (document ids) the print records among `ops` name, known as such: in
    this batch, or pushed before."""
    named = {
        op["state"].get("document_id")
        for op in ops.values()
        if op["event"]["entity"] == "print_record" and isinstance(op.get("state"), dict)
    }
    if not named:
        return set()
    slips = {
        op["event"]["entity_id"]
        for op in ops.values()
        if op["event"]["entity"] == "document"
        and isinstance(op.get("state"), dict)
        and op["state"].get("kind") == "ticket"
    }
    rest = [d for d in named if isinstance(d, str) and d not in slips]
    if rest:
        for state in s.scalars(
            select(Record.state).where(
                Record.hall_id == hall_id, Record.entity == "document", Record.entity_id.in_(rest)
            )
        ):
            if isinstance(state, dict) and state.get("kind") == "ticket":
                slips.add(state.get("id"))
    return slips & named


def _slip_of_its_own(entity: str, state: dict[str, Any], slips: set[Any]) -> bool:
    """False for a document that is not a ticket slip, or a print of one; else True."""
    if entity == "document":
        return state.get("kind") == "ticket"
    if entity == "print_record":
        return state.get("document_id") in slips
    return True


def refusals(s: Session, cred: Credential, ops: dict[str, dict[str, Any]]) -> dict[str, str]:
    """The operations (by op id) a kiosk may not write, with the reason."""
    refused: dict[str, str] = {}
    lines: dict[str, str] | None = None
    slips = _slips(s, cred.hall_id, ops)
    for op_id, op in ops.items():
        event, state = op["event"], op.get("state")
        entity = event["entity"]
        if entity not in KIOSK_ENTITIES:
            refused[op_id] = f"a kiosk may not write {entity}"
        elif state is not None and not _slip_of_its_own(entity, state, slips):
            refused[op_id] = "a kiosk prints only ticket slips"
        elif entity == "evaluation" and state is not None and "ticket_id" not in state:
            refused[op_id] = "an evaluation without its ticket"
        elif entity == "ticket" and event.get("kind") == ISSUED and state is not None:
            if lines is None:
                lines = _lines(s, cred.hall_id)
            problem = _ticket_problem(s, cred, state, str(event["entity_id"]), lines)
            if problem is not None:
                refused[op_id] = problem
    return refused


def effect(
    s: Session,
    cred: Credential,
    op: dict[str, Any],
    changes: list[feed.RecordChange],
    merges: list[tuple[str, dict[str, Any]]],
) -> None:
    """An applied kiosk operation: its event becomes a record; what else it changes, by its
    entity (see the module's docstring). Nothing of it is any window's."""
    event, state = op["event"], op.get("state")
    device = device_of(event)
    changes.append(("event", str(op["op_id"]), event, device, None))
    entity = event["entity"]
    if state is None or entity == "hall":
        return
    if entity == "ticket":
        if event.get("kind") == ISSUED and s.get(SharedTicket, (cred.hall_id, state["id"])) is None:
            merged = kiosk_merge._state(state, device)
            kiosk_merge.add_shared(s, cred.hall_id, merged)
            changes.append(("ticket", merged["id"], merged, device, None))
        return
    if entity == "evaluation":
        merges.append((entity, state))
    changes.append((entity, event["entity_id"], state, device, None))
