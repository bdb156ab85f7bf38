"""Applying a desk's push: each operation with its id, in order, each in a savepoint of the
batch's one transaction, its id recorded (applied_op) in the same transaction as its effect.

- A new id: its row's state and its event become records; "applied".
- An id already applied with the same event: nothing changes; "duplicate" (a replay after a
  lost reply).
- An id already applied with another event, or an operation that cannot be applied: nothing
  changes; "rejected" with the reason. The rest of the batch goes on.

Two requests carrying the same id at once: the second's insert of the id waits for the
first's transaction (the primary key), then finds it and answers "duplicate" (or "rejected")."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.central import feed
from db.central.models import AppliedOp, Credential
from db.central.store import CentralStore

_ENTITY = re.compile(r"^[a-z_]{1,40}$")
_ID = re.compile(r"^[0-9A-Z]{26}$")


def event_hash(event: Any) -> str:
    return hashlib.sha256(
        json.dumps(event, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()


def _problem(op: Any) -> str | None:
    if not isinstance(op, dict):
        return "not an object"
    op_id, event, state = op.get("op_id"), op.get("event"), op.get("state")
    if not isinstance(op_id, str) or not _ID.match(op_id):
        return "op_id is not an id"
    if not isinstance(event, dict):
        return "event is not an object"
    if event.get("id") != op_id:
        return "event id differs from op_id"
    entity, entity_id = event.get("entity"), event.get("entity_id")
    if not isinstance(entity, str) or not _ENTITY.match(entity):
        return "bad entity"
    if entity in ("event", "hall_config"):
        return "reserved entity"
    if not isinstance(entity_id, str) or not 0 < len(entity_id) <= 80:
        return "bad entity_id"
    if state is not None and not isinstance(state, dict):
        return "state is not an object"
    return None


def _apply_one(
    s: Session, cred: Credential, op: dict[str, Any], changes: list[feed.RecordChange]
) -> dict[str, Any]:
    op_id = op.get("op_id") if isinstance(op, dict) else None
    problem = _problem(op)
    if problem is not None:
        return {"op_id": op_id, "result": "rejected", "reason": problem}
    event = op["event"]
    digest = event_hash(event)
    hall = cred.hall_id
    try:
        with s.begin_nested():
            s.add(
                AppliedOp(
                    hall_id=hall,
                    op_id=op_id,
                    event_hash=digest,
                    device_id=event.get("device_id"),
                    window_number=cred.window_number,
                )
            )
            s.flush()
    except IntegrityError:
        existing = s.scalar(
            select(AppliedOp.event_hash).where(AppliedOp.hall_id == hall, AppliedOp.op_id == op_id)
        )
        if existing == digest:
            return {"op_id": op_id, "result": "duplicate"}
        return {"op_id": op_id, "result": "rejected", "reason": "same op_id, different payload"}
    device = event.get("device_id")
    changes.append(("event", str(op_id), event, device, cred.window_number))
    if op.get("state") is not None:
        if event["entity"] == "ticket":
            from app.central.shared_queue import merge_offline

            try:
                with s.begin_nested():
                    merge_offline(s, hall, op["state"])
            except (IntegrityError, TypeError, ValueError):
                pass  # kept as a record; not callable from the shared queue
        changes.append(
            (event["entity"], event["entity_id"], op["state"], device, cred.window_number)
        )
    return {"op_id": op_id, "result": "applied"}


def apply_batch(store: CentralStore, cred: Credential, ops: list[Any]) -> list[dict[str, Any]]:
    """Apply `ops` in one transaction; one result per operation, in order."""
    changes: list[feed.RecordChange] = []
    with store.write() as s:
        results = [_apply_one(s, cred, op, changes) for op in ops]
        feed.put_records(s, store, cred.hall_id, changes)
    return results
