"""Applying a desk's push: each operation with its id, in order, each in a savepoint of the
batch's one transaction, its id recorded (applied_op) in the same transaction as its effect.

- A new id: its row's state and its event become records; "applied".
- An id already applied with the same event: nothing changes; "duplicate" (a replay after a
  lost reply).
- An id already applied with another event, or an operation that cannot be applied: nothing
  changes; "rejected" with the reason. The rest of the batch goes on.

Two requests carrying the same id at once: the second's insert of the id waits for the
first's transaction (the primary key), then skips it and answers "duplicate" (or "rejected")."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, cast

from sqlalchemy import Table, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.central import chain, feed
from db.base import utcnow
from db.central.models import AppliedOp, Credential
from db.central.store import CentralStore

_ENTITY = re.compile(r"^[a-z_]{1,40}$")
_ID = re.compile(r"^[0-9A-Z]{26}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def device_of(event: dict[str, Any]) -> str | None:
    """The event's device id, if it is one (anything else is not stored as one)."""
    device = event.get("device_id")
    return device if isinstance(device, str) and _ID.match(device) else None


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
    # The store's own: no desk may forge another's event, the hall or a staff account.
    if entity in ("event", "hall_config", "account"):
        return "reserved entity"
    if not isinstance(entity_id, str) or not 0 < len(entity_id) <= 80:
        return "bad entity_id"
    if _CONTROL.search(entity_id):
        return "bad entity_id"
    if state is not None and not isinstance(state, dict):
        return "state is not an object"
    return None


def apply_batch(store: CentralStore, cred: Credential, ops: list[Any]) -> list[dict[str, Any]]:
    """Apply `ops` in one transaction; one result per operation, in order.

    The ids are inserted in one statement (`ON CONFLICT DO NOTHING`, which waits for a
    concurrent transaction inserting the same id and then skips it); an id not inserted was
    applied before, and its stored event hash tells a duplicate from a refusal."""
    results: list[dict[str, Any] | None] = [None] * len(ops)
    fresh: dict[str, tuple[int, dict[str, Any], str]] = {}
    repeats: list[tuple[int, str, str]] = []
    for i, op in enumerate(ops):
        problem = _problem(op)
        op_id = op.get("op_id") if isinstance(op, dict) else None
        if problem is not None:
            results[i] = {"op_id": op_id, "result": "rejected", "reason": problem}
            continue
        digest = event_hash(op["event"])
        op_id = str(op_id)
        if op_id in fresh:
            repeats.append((i, op_id, digest))
        else:
            fresh[op_id] = (i, op, digest)
    hall = cred.hall_id
    from app.central import kiosk_push

    kiosk = kiosk_push.kiosk_number(cred) is not None  # a kiosk's token: app.central.kiosk_push
    with store.write() as s:
        # Each desk's audit chain must continue (app/central/chain.py): a link that does not
        # is answered here and not applied.
        verdicts = chain.check_batch(
            s,
            hall,
            [(op_id, device_of(op["event"]), op["event"]) for op_id, (_i, op, _d) in fresh.items()],
        )
        for op_id, verdict in verdicts.items():
            i = fresh.pop(op_id)[0]
            results[i] = {"op_id": op_id, "result": verdict.result, "reason": verdict.reason}
        if kiosk:  # after its chain: a refused link does not break the kiosk's later ones
            ops_left = {op_id: op for op_id, (_i, op, _d) in fresh.items()}
            for op_id, reason in kiosk_push.refusals(s, cred, ops_left).items():
                i = fresh.pop(op_id)[0]
                results[i] = {"op_id": op_id, "result": "rejected", "reason": reason}
        inserted: set[str] = set()
        if fresh:
            inserted = _record_ids(s, store, cred, fresh)
        known = {
            op_id: digest
            for op_id, digest in s.execute(
                select(AppliedOp.op_id, AppliedOp.event_hash).where(
                    AppliedOp.hall_id == hall,
                    AppliedOp.op_id.in_([k for k in fresh if k not in inserted]),
                )
            )
        }
        changes: list[feed.RecordChange] = []
        merges: list[tuple[str, dict[str, Any]]] = []
        for op_id, (i, op, digest) in fresh.items():
            if op_id in inserted and kiosk:
                kiosk_push.effect(s, cred, op, changes, merges)
                results[i] = {"op_id": op_id, "result": "applied"}
            elif op_id in inserted:
                _effect(s, store, cred, op, changes, merges)
                results[i] = {"op_id": op_id, "result": "applied"}
            else:
                results[i] = _repeat(op_id, digest, known.get(op_id))
        for i, op_id, digest in repeats:
            first = fresh.get(op_id)
            if first is None:  # the first of them was held or refused by its chain
                results[i] = results[next(j for j, o in enumerate(ops) if _op_id(o) == op_id)]
            else:
                results[i] = _repeat(op_id, digest, first[2])
        if merges:
            from app.central.queue_actions import merge_pushed

            merge_pushed(s, cred, merges)
        feed.put_records(s, store, hall, changes)
    return [r for r in results if r is not None]


#: PostgreSQL: a batch's ids in one statement over arrays (three parameters, parsed once by
#: the driver), not a multi-row VALUES of thousands of parameters parsed per batch.
_PG_IDS = text(
    "INSERT INTO applied_op (hall_id, op_id, event_hash, device_id, window_number, applied_at) "
    "SELECT :hall, u.op_id, u.event_hash, u.device_id, :window, :at "
    "FROM unnest(CAST(:ids AS text[]), CAST(:hashes AS text[]), CAST(:devices AS text[])) "
    "AS u(op_id, event_hash, device_id) "
    "ON CONFLICT (hall_id, op_id) DO NOTHING RETURNING op_id"
)


def _record_ids(
    s: Session,
    store: CentralStore,
    cred: Credential,
    fresh: dict[str, tuple[int, dict[str, Any], str]],
) -> set[str]:
    """Insert the batch's new ids (`ON CONFLICT DO NOTHING`); the ids inserted."""
    now = utcnow()
    window = cred.window_number if cred.role == "desk" else None  # a kiosk's is its number
    if store.is_postgres:
        params = {
            "hall": cred.hall_id,
            "window": window,
            "at": now,
            "ids": list(fresh),
            "hashes": [digest for _i, _op, digest in fresh.values()],
            "devices": [device_of(op["event"]) for _i, op, _d in fresh.values()],
        }
        return set(s.execute(_PG_IDS, params).scalars())
    table = cast(Table, AppliedOp.__table__)
    stmt = (
        sqlite.insert(table)  # Core's executemany, no ORM bookkeeping per row
        .on_conflict_do_nothing(index_elements=["hall_id", "op_id"])
        .returning(table.c.op_id)
    )
    rows = [
        {
            "hall_id": cred.hall_id,
            "op_id": op_id,
            "event_hash": digest,
            "device_id": device_of(op["event"]),
            "window_number": window,
            "applied_at": now,
        }
        for op_id, (_i, op, digest) in fresh.items()
    ]
    return set(s.execute(stmt, rows).scalars())


def _op_id(op: Any) -> Any:
    return op.get("op_id") if isinstance(op, dict) else None


def _repeat(op_id: str, digest: str, stored: str | None) -> dict[str, Any]:
    if stored == digest:
        return {"op_id": op_id, "result": "duplicate"}
    return {"op_id": op_id, "result": "rejected", "reason": "same op_id, different payload"}


def _effect(
    s: Session,
    store: CentralStore,
    cred: Credential,
    op: dict[str, Any],
    changes: list[feed.RecordChange],
    merges: list[tuple[str, dict[str, Any]]],
) -> None:
    """What an applied operation changes: its event and its row's state become records;
    an offline ticket joins the shared queue; a ticket's or rating's state is merged into
    the shared queue after the batch (app.central.queue_actions.merge_pushed)."""
    event = op["event"]
    device = device_of(event)
    changes.append(("event", str(op["op_id"]), event, device, cred.window_number))
    if op.get("state") is None:
        return
    if event["entity"] == "ticket" and op["state"].get("offline"):
        from app.central.shared_queue import merge_offline

        try:
            with s.begin_nested():
                merge_offline(s, cred.hall_id, op["state"])
        except (IntegrityError, TypeError, ValueError):
            pass  # kept as a record; not callable from the shared queue
    if event["entity"] in ("ticket", "evaluation"):
        merges.append((event["entity"], op["state"]))
    changes.append((event["entity"], event["entity_id"], op["state"], device, cred.window_number))
    if event["entity"] in ("desk", "window"):
        from app.central.mirror import note_push

        note_push(s, store, cred.hall_id, cred.window_number, event["entity"], op["state"])
