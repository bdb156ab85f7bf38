"""The hall's board on the central store, for displays and kiosks on other machines: the
latest calls (recalls included), the waiting counts per line and the windows (paused or
not), in one light read (`GET /v1/halls/{hall}/queue/board`, polled every second or two).

Calls are read from today's called tickets: the newest first calls and the newest recalls
(`recalled_at`, c0006), each through its index, then placed by the latest call or recall in
the ticket's state, so a recall is the latest call it is however early the ticket was first
called."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, func, select

from app.clock import hall_day
from db.base import utcnow
from db.central.models import Hall, Record, SharedTicket
from db.central.store import CentralStore

CALL_WINDOW = 50
URGENT = ("priority", "appointment")


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def board(store: CentralStore, hall_id: str, history: int = 8) -> dict[str, Any]:
    now = utcnow()
    day = hall_day(now).isoformat()
    with store.session() as s:
        config = s.scalar(select(Hall.config).where(Hall.id == hall_id)) or {}
        columns = select(
            SharedTicket.id,
            SharedTicket.number,
            SharedTicket.window_number,
            SharedTicket.called_at,
            SharedTicket.offline,
        ).where(
            SharedTicket.hall_id == hall_id,
            SharedTicket.day == day,
            SharedTicket.called_at.is_not(None),
            SharedTicket.window_number.is_not(None),
        )
        first_calls = s.execute(
            columns.order_by(SharedTicket.called_at.desc()).limit(CALL_WINDOW)
        ).all()
        recalls = s.execute(
            columns.where(SharedTicket.recalled_at.is_not(None))
            .order_by(SharedTicket.recalled_at.desc())
            .limit(history)
        ).all()
        called = list({r.id: r for r in [*first_calls, *recalls]}.values())
        states = {
            key: state
            for key, state in s.execute(
                select(Record.entity_id, Record.state).where(
                    Record.hall_id == hall_id,
                    Record.entity == "ticket",
                    Record.entity_id.in_([r.id for r in called]),
                )
            )
        }
        waiting = s.execute(
            select(
                SharedTicket.line_code,
                func.count(),
                func.sum(case((SharedTicket.kind.in_(URGENT), 1), else_=0)),
                func.min(SharedTicket.issued_at),
            )
            .where(
                SharedTicket.hall_id == hall_id,
                SharedTicket.day == day,
                SharedTicket.status == "waiting",
            )
            .group_by(SharedTicket.line_code)
        ).all()
        paused = {
            key: bool((state or {}).get("paused"))
            for key, state in s.execute(
                select(Record.entity_id, Record.state).where(
                    Record.hall_id == hall_id, Record.entity == "window"
                )
            )
        }
    calls = []
    for r in called:
        found = states.get(r.id)
        state: dict[str, Any] = found if isinstance(found, dict) else {}
        last = state.get("last_called_at") or _iso(r.called_at)
        window = state.get("window_number") or r.window_number
        calls.append(
            {
                "ticket_id": r.id,
                "number": r.number,
                "window_number": int(window),
                "called_at": last,
                "call_count": int(state.get("call_count") or 1),
                "offline": bool(r.offline),
            }
        )
    calls.sort(key=lambda c: str(c["called_at"]), reverse=True)
    by_line = {code: (n, urgent or 0, oldest) for code, n, urgent, oldest in waiting}
    lines = []
    for position, line in enumerate(config.get("lines", [])):
        n, urgent, oldest = by_line.get(line.get("code"), (0, 0, None))
        longest = 0
        if oldest is not None:
            longest = max(0, int((now - _aware(oldest)).total_seconds() // 60))
        lines.append(
            {
                "line_code": line.get("code"),
                "line_name": line.get("name", ""),
                "prefix": line.get("ticket_prefix", ""),
                "position": position,
                "waiting": int(n),
                "priority_waiting": int(urgent),
                "longest_wait_minutes": longest,
            }
        )
    windows = [
        {
            "number": w.get("number"),
            "name": w.get("name", ""),
            "paused": paused.get(str(w.get("number")), False),
            "line_codes": list(w.get("lines", [])),
        }
        for w in config.get("windows", [])
    ]
    return {
        "hall_name": (config.get("hall") or {}).get("name", ""),
        "calls": calls[:history],
        "lines": lines,
        "windows": windows,
        "server_time": now.isoformat(),
    }
