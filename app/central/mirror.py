"""The hall's desk-shaped mirror on the central store: the columns of the desk's tickets,
visits, cases (with their matters and materials) and ratings that the manager's KPIs and live
view read, in tables of their own with `hall_id` first in the key (db.central.models.Mirror*),
so the desk's KPI SQL (app.manager.kpi) runs on them filtered by hall and period, and the live
view reads today's tickets by an index.

The mirror follows the hall's record feed (app.central.feed), whatever wrote a record (a desk's
push, the shared queue, the PostgreSQL call statement): `catch_up` reads the records changed
since its cursor, in feed order and with the feed's guarantee that nothing committed late is
skipped, upserts their rows (a record with no state deletes its row) and moves the cursor, in
one transaction. A manager's request catches up first, so its cost is the records changed since
the last request, not the hall's history. Concurrent catch-ups write the same upserts; the
cursor only moves forward.

Windows (who signed in, paused, when its desk was last heard from) are kept at push and pull
time (`note_push`, `seen`): a desk's own row (`desk`) has the same id on every desk, so its
record alone cannot tell the windows apart; the credential can."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.central import feed
from db.base import utcnow
from db.central.models import (
    MirrorCase,
    MirrorCaseMaterial,
    MirrorCaseMatter,
    MirrorCursor,
    MirrorEvaluation,
    MirrorTicket,
    MirrorVisit,
    MirrorWindow,
)
from db.central.store import CentralStore
from db.models.case import Case, CaseMaterial, CaseMatter
from db.models.queue import Evaluation, Ticket, Visit

log = logging.getLogger(__name__)

#: Entity (the desk's table) -> (the desk's model, its mirror).
MIRRORED: dict[str, tuple[type[Any], type[Any]]] = {
    "ticket": (Ticket, MirrorTicket),
    "visit": (Visit, MirrorVisit),
    "case": (Case, MirrorCase),
    "case_matter": (CaseMatter, MirrorCaseMatter),
    "case_material": (CaseMaterial, MirrorCaseMaterial),
    "evaluation": (Evaluation, MirrorEvaluation),
}
#: Records read per round of a catch-up.
PAGE = 5000


def _table(model: type[Any]) -> Table:
    return model.__table__


def _row(
    hall_id: str, desk_model: type[Any], mirror: type[Any], state: Any
) -> dict[str, Any] | None:
    """The mirror's row of a record's state, or None when it is not a usable row."""
    from app.sync.engine import _from_json

    if not isinstance(state, dict):
        return None
    try:
        values = _from_json(desk_model, state)
    except (TypeError, ValueError):
        return None
    columns = _table(mirror).c
    row = {c.name: values.get(c.name) for c in columns if c.name != "hall_id"}
    row["hall_id"] = hall_id
    if not isinstance(row.get("id"), str):
        return None
    for c in columns:
        if not c.nullable and row.get(c.name) is None:
            if c.default is None:
                return None
            row[c.name] = c.default.arg  # type: ignore[attr-defined]
    return row


def _upsert(s: Session, store: CentralStore, mirror: type[Any], rows: list[dict[str, Any]]) -> None:
    insert = postgresql.insert if store.is_postgres else sqlite.insert
    stmt = insert(mirror)
    keys = {"hall_id", "id"}
    stmt = stmt.on_conflict_do_update(
        index_elements=sorted(keys),
        set_={c.name: stmt.excluded[c.name] for c in _table(mirror).c if c.name not in keys},
    )
    s.execute(stmt, rows)


def catch_up(store: CentralStore, hall_id: str) -> int:
    """Bring the hall's mirror up to its feed; returns how many records were applied."""
    applied = 0
    while True:
        with store.write() as s:
            # One catch-up of a hall at a time (the row lock on PostgreSQL, the store's write
            # lock on SQLite): a slower one can never put back an older state.
            insert = postgresql.insert if store.is_postgres else sqlite.insert
            s.execute(
                insert(MirrorCursor)
                .values(hall_id=hall_id, txid=-1, seq=-1)
                .on_conflict_do_nothing(index_elements=["hall_id"])
            )
            cursor = s.scalars(
                select(MirrorCursor).where(MirrorCursor.hall_id == hall_id).with_for_update()
            ).one()
            at = None if cursor.txid < 0 else f"{cursor.txid}:{cursor.seq}"
            page = feed.pull(s, store, hall_id, at, PAGE, None, tuple(MIRRORED))
            if not page.changes:
                return applied
            latest: dict[tuple[str, str], Any] = {}
            for change in page.changes:
                latest[(change["entity"], change["entity_id"])] = change["state"]
            for entity, (desk_model, mirror) in MIRRORED.items():
                rows: list[dict[str, Any]] = []
                gone: list[str] = []
                for (kind, entity_id), state in latest.items():
                    if kind != entity:
                        continue
                    row = _row(hall_id, desk_model, mirror, state)
                    if row is None:
                        gone.append(entity_id)
                    else:
                        rows.append(row)
                if rows:
                    _upsert(s, store, mirror, rows)
                if gone:
                    s.execute(delete(mirror).where(mirror.hall_id == hall_id, mirror.id.in_(gone)))
            txid, _, seq = str(page.cursor).partition(":")
            cursor.txid, cursor.seq = int(txid), int(seq)
            applied += len(page.changes)
        if not page.more:
            return applied


def _window_upsert(
    s: Session, store: CentralStore, values: dict[str, Any], keep: list[str]
) -> None:
    insert = postgresql.insert if store.is_postgres else sqlite.insert
    stmt = insert(MirrorWindow).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["hall_id", "window_number"], set_={k: stmt.excluded[k] for k in keep}
    )
    s.execute(stmt)


def note_push(
    s: Session, store: CentralStore, hall_id: str, window: int | None, entity: str, state: Any
) -> None:
    """In a push's transaction: the window's desk signed in or out (`desk`), or paused or
    resumed its window (`window`)."""
    if window is None or not isinstance(state, dict):
        return
    now = utcnow()
    if entity == "desk":
        clerk = state.get("clerk_id")
        clerk = clerk if isinstance(clerk, str) else None
        values = {"hall_id": hall_id, "window_number": window, "clerk_id": clerk, "seen_at": now}
        _window_upsert(s, store, values, ["clerk_id", "seen_at"])
    elif entity == "window" and state.get("number") == window:
        values = {
            "hall_id": hall_id,
            "window_number": window,
            "paused": bool(state.get("paused")),
            "seen_at": now,
        }
        _window_upsert(s, store, values, ["paused", "seen_at"])


def seen(
    store: CentralStore, hall_id: str, window: int | None, now: datetime | None = None
) -> None:
    """A desk of `window` was heard from (it pushed or pulled). A failure here never fails the
    desk's request: it only leaves the window's last-seen time older."""
    if window is None:
        return
    now = now or utcnow()
    try:
        with store.write() as s:
            done = s.execute(
                update(MirrorWindow)
                .where(MirrorWindow.hall_id == hall_id, MirrorWindow.window_number == window)
                .values(seen_at=now)
            )
            if not getattr(done, "rowcount", 0):
                values = {"hall_id": hall_id, "window_number": window, "seen_at": now}
                _window_upsert(s, store, values, ["seen_at"])
    except Exception:
        log.warning("could not note window %s of %s as seen", window, hall_id, exc_info=True)


def windows(s: Session, hall_id: str) -> dict[int, MirrorWindow]:
    return {
        w.window_number: w
        for w in s.scalars(select(MirrorWindow).where(MirrorWindow.hall_id == hall_id))
    }
