"""The store checks the audit chain of what each desk pushes (app/audit.py's canonical form).

For each desk (device) the store keeps the last link it accepted (`device_chain`: seq, hash).
A pushed event that carries a chain (`seq`, `prev_hash`, `hash`) is accepted only if

- its `hash` is SHA-256 over its canonical form (else it was **altered** after it was
  written);
- its `seq` is the next one: a `seq` the store accepted already, under another id, was
  **inserted** (or replayed with a new id); a `seq` further on means links are missing
  (**removed**);
- its `prev_hash` is the hash of the link before it (else that link was altered, or this one
  inserted before it).

A refused event is not applied; it is answered `rejected` with the reason. The desk's later
events in the batch follow a refused link and are refused too ("follows …"): a broken chain
stops the desk's pushes until someone who can look into it has. Within a batch the links are
checked in `seq` order. Ids (ULIDs) order events only to the millisecond, so the link before
an event may be in the desk's NEXT batch when both were written in the same millisecond as the
batch's last operation: such an event is answered `held` (not applied, not refused; it stays
in the desk's outbox and comes again with the next round). The lowest held seq is kept
(`held_from`) so the desk's later links, in the round's next batches, wait for it as well.

A desk seen for the first time starts at seq 1 (prev_hash `GENESIS`); a desk that pushed before
the store checked chains (operations applied, no chain kept) is taken up at its first link
pushed now. Events from before a desk's chain (no `seq`, written before migration 0009) are
accepted until the desk's first link; after it, an unchained event is refused."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import FIELDS, GENESIS, event_hash, stored_at
from db.base import utcnow
from db.central.models import AppliedOp, DeviceChain

HELD = "held"
REJECTED = "rejected"
#: Beyond any desk's count of events (and within the column's 64 bits).
_MAX_SEQ = 2**62
#: The length of a ULID's timestamp (milliseconds) in its text.
_ULID_TIME = 10


@dataclass(frozen=True)
class Verdict:
    result: str  # HELD or REJECTED
    reason: str


def is_chained(event: dict[str, Any]) -> bool:
    return any(event.get(k) is not None for k in ("seq", "prev_hash", "hash"))


def content_problem(event: dict[str, Any]) -> str | None:
    """None when the event's `hash` is its canonical form's; else why not."""
    seq = event.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 < seq < _MAX_SEQ:
        return "chain: seq is not a positive number"
    if not isinstance(event.get("prev_hash"), str) or not isinstance(event.get("hash"), str):
        return "chain: prev_hash or hash missing"
    try:
        fields = {name: event.get(name) for name in FIELDS}
        fields["at"] = stored_at(datetime.fromisoformat(str(event["at"])))
        digest = event_hash(fields)
    except (KeyError, TypeError, ValueError) as exc:
        return f"chain: event cannot be read ({exc})"
    if digest != event["hash"]:
        return f"chain: event {event.get('id')} (seq {seq}) altered: its hash is not its content's"
    return None


def check_batch(
    s: Session, hall: str, ops: list[tuple[str, str | None, dict[str, Any]]]
) -> dict[str, Verdict]:
    """Check the chains of a batch's new operations `(op_id, device, event)`, and move each
    desk's kept link on past what is accepted. The verdicts of the operations NOT to apply."""
    verdicts: dict[str, Verdict] = {}
    if not ops:
        return verdicts
    newest = max(op_id for op_id, _d, _e in ops)
    links: dict[str, list[tuple[int, str, dict[str, Any], str | None]]] = defaultdict(list)
    unchained: list[tuple[str, str]] = []
    for op_id, device, event in ops:
        if device is None:
            continue
        if not is_chained(event):
            unchained.append((op_id, device))
            continue
        problem = content_problem(event)
        seq = event.get("seq")
        if isinstance(seq, int) and not isinstance(seq, bool):
            links[device].append((seq, op_id, event, problem))  # an altered one blocks the rest
        elif problem is not None:
            verdicts[op_id] = Verdict(REJECTED, problem)
    devices = set(links) | {d for _o, d in unchained}
    kept = {
        row.device_id: row
        for row in s.scalars(
            select(DeviceChain)
            .where(DeviceChain.hall_id == hall, DeviceChain.device_id.in_(devices))
            .with_for_update()
        )
    }
    had_chain = set(kept)
    first_link = {device: min(link[1] for link in chain) for device, chain in links.items()}
    for device, chain in links.items():
        chain.sort(key=lambda link: link[0])
        row = kept.get(device)
        if row is not None:
            last_seq, last_hash = row.seq, row.hash
        elif _pushed_before(s, hall, device):
            last_seq, last_hash = chain[0][0] - 1, str(chain[0][2]["prev_hash"])
        else:
            last_seq, last_hash = 0, GENESIS
        start_seq = last_seq
        held_from = row.held_from if row is not None else None
        blocked: Verdict | None = None
        for seq, op_id, event, problem in chain:
            if blocked is not None:
                verdicts[op_id] = Verdict(blocked.result, f"{blocked.reason}; seq {seq} follows it")
                continue
            if problem is not None:
                blocked = verdicts[op_id] = Verdict(REJECTED, problem)
                continue
            if seq <= last_seq:
                if not _applied(s, hall, op_id):  # else a replay: a duplicate, by its id
                    verdicts[op_id] = Verdict(
                        REJECTED, f"chain: event {op_id} inserted: seq {seq} was accepted already"
                    )
            elif seq > last_seq + 1 and (
                held_from == last_seq + 1 or op_id[:_ULID_TIME] == newest[:_ULID_TIME]
            ):
                # The missing link is on the desk: held there (its later links wait with it),
                # or written in the same millisecond as this batch's newest and not yet sent.
                blocked = verdicts[op_id] = Verdict(HELD, f"chain: waits for seq {last_seq + 1}")
                if held_from is None or held_from <= last_seq:
                    held_from = seq
            elif seq > last_seq + 1:
                blocked = verdicts[op_id] = Verdict(
                    REJECTED, f"chain: seq {last_seq + 1} to {seq - 1} removed before {op_id}"
                )
            elif event["prev_hash"] != last_hash:
                blocked = verdicts[op_id] = Verdict(
                    REJECTED,
                    f"chain: seq {seq} does not follow seq {last_seq} "
                    f"(that event was altered, or {op_id} inserted)",
                )
            else:
                last_seq, last_hash = seq, str(event["hash"])
        if held_from is not None and held_from <= last_seq:
            held_from = None  # what was held came and is accepted
        if last_seq != start_seq or held_from != (row.held_from if row is not None else None):
            if row is None:
                row = DeviceChain(hall_id=hall, device_id=device, seq=last_seq, hash=last_hash)
                s.add(row)
                kept[device] = row
            row.seq, row.hash, row.held_from, row.updated_at = (
                last_seq,
                last_hash,
                held_from,
                utcnow(),
            )
    for op_id, device in unchained:
        if device in had_chain or (device in first_link and op_id > first_link[device]):
            verdicts[op_id] = Verdict(
                REJECTED, f"chain: event {op_id} has no place in the desk's chain (inserted)"
            )
    s.flush()
    return verdicts


def _applied(s: Session, hall: str, op_id: str) -> bool:
    found = s.get(AppliedOp, (hall, op_id))
    return found is not None


def _pushed_before(s: Session, hall: str, device: str) -> bool:
    return (
        s.scalar(
            select(AppliedOp.op_id)
            .where(AppliedOp.hall_id == hall, AppliedOp.device_id == device)
            .limit(1)
        )
        is not None
    )
