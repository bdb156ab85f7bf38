"""The whole hall now, on the central store (`GET /v1/halls/{hall}/live`): the same Qt-free
logic as a desk's live view (app.manager.live.assemble) over the store's data: the hall's file
(windows, lines, clerks, target), the windows' desks as the store last heard from them
(app.central.mirror: who signed in, paused, last push or pull) and today's tickets from the
hall's mirror, read by its indexes after the mirror has caught up with the feed.

A window's desk is there when the store heard from it within OFFLINE_AFTER_S (a desk syncs
every 30 s); a window whose desk is not there is offline, whatever it did earlier today."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.central.kpi import hall_config
from app.central.mirror import windows
from app.central.mirror_follow import for_request
from app.clock import hall_day
from app.manager.live import Current, HallNow, Layout, Tickets, assemble
from db.base import utcnow
from db.central.models import MirrorTicket as T
from db.central.store import CentralStore

#: A desk not heard from for this long is offline (four sync rounds).
OFFLINE_AFTER_S = 120


def hall_live(store: CentralStore, hall_id: str, now: datetime | None = None) -> HallNow:
    now = now or utcnow()
    day = hall_day(now)
    for_request(store, hall_id)  # the remainder, or refused while the mirror is far behind
    config = hall_config(store, hall_id)
    with store.session() as s, s.begin():
        seen = windows(s, hall_id)
        tickets = _tickets(s, hall_id, day)
    fresh = now - timedelta(seconds=OFFLINE_AFTER_S)
    present = {
        n: w.clerk_id for n, w in seen.items() if w.seen_at is not None and w.seen_at >= fresh
    }
    return assemble(now, day, layout(config, present, seen), tickets)


def layout(config: dict[str, Any], present: dict[int, str | None], seen: dict[int, Any]) -> Layout:
    """The hall's file as the live view's layout."""
    hall = config.get("hall") or {}
    windows_ = [w for w in config.get("windows") or [] if isinstance(w, dict) and "number" in w]
    return Layout(
        target_wait_min=int(hall.get("target_wait_minutes") or 30),
        windows=[
            (int(w["number"]), str(w.get("name", "")), bool(getattr(seen.get(int(w["number"])), "paused", False)))
            for w in sorted(windows_, key=lambda w: int(w["number"]))
        ],
        serves={int(w["number"]): tuple(str(x) for x in w.get("lines") or ()) for w in windows_},
        lines=[(str(x["code"]), str(x.get("name", ""))) for x in config.get("lines") or [] if isinstance(x, dict)],
        clerks={str(c["id"]): str(c.get("name", "")) for c in config.get("clerks") or [] if isinstance(c, dict)},
        present=present,
        present_known=True,
    )  # fmt: skip


def _tickets(s: Session, hall_id: str, day: date) -> Tickets:
    today = [T.hall_id == hall_id, T.day == day]
    current = {
        w: Current(number, status, clerk, called, started)
        for w, number, status, clerk, called, started in s.execute(
            select(
                T.window_number,
                T.number,
                T.status,
                T.clerk_id,
                T.called_at,
                T.service_started_at,
            ).where(*today, T.status.in_(("called", "serving")))
        )
        if w is not None
    }
    last = {
        w: (ended, clerk)
        for w, ended, clerk in s.execute(
            select(T.window_number, func.max(T.ended_at), func.max(T.clerk_id))
            .where(*today)
            .group_by(T.window_number)
        )
        if w is not None
    }
    waiting = {
        code: (int(k), oldest)
        for code, k, oldest in s.execute(
            select(T.line_code, func.count(), func.min(T.issued_at))
            .where(T.hall_id == hall_id, T.status == "waiting")
            .group_by(T.line_code)
        )
    }
    return Tickets(current, last, waiting)
