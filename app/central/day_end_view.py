"""What the hall's day's end would change, as the store sees every window
(`GET /v1/halls/{hall}/queue/day-end`): the same tickets `queue_actions.close_day` closes —
every unfinished shared ticket of today or earlier — counted as waiting (or passed), called,
and in service per window. A connected desk's day-end dialog shows it instead of its own copy,
which may lag behind the other windows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.central.queue_actions import FINAL
from app.clock import hall_day
from db.base import utcnow
from db.central.models import SharedTicket
from db.central.store import CentralStore


def preview(store: CentralStore, hall_id: str) -> dict[str, Any]:
    day = hall_day(utcnow()).isoformat()
    with store.session() as s:
        rows = s.execute(
            select(
                SharedTicket.id,
                SharedTicket.status,
                SharedTicket.window_number,
                SharedTicket.number,
            ).where(
                SharedTicket.hall_id == hall_id,
                SharedTicket.day <= day,
                SharedTicket.status.not_in(FINAL),
            )
        ).all()
    serving = sorted(
        (
            {"window_number": r.window_number, "number": r.number}
            for r in rows
            if r.status == "serving"
        ),
        key=lambda t: (t["window_number"] is None, t["window_number"] or 0, t["number"]),
    )
    return {
        "waiting": sum(r.status in ("waiting", "passed") for r in rows),
        "called": sum(r.status == "called" for r in rows),
        "serving": serving,
        "ticket_ids": [r.id for r in rows],
    }
