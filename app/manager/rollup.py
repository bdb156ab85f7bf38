"""Monthly rollups of the KPI parts, so a year's KPIs read twelve stored months instead of every
ticket (kpi_rollup, derived data).

A month is rolled up once it is over (its last day before today, in the hall) and none of its
tickets is still open. Its ticket parts never change after that; each window's waits are kept
by the minute (the hall's own histograms by the second), so a window's 90th percentile over
stored months is to the minute. The visits of its applications are stored once the month has
been over for `VISITS_FINAL_DAYS` days: an application's visits are counted until then
(returns and supplements come within days; the 容缺 deadline is shorter than that), and
from the cases themselves before.

Building reads (a snapshot, never the write lock) and then stores the rows in one short
write; computing the KPIs only reads.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import HALL_TZ
from app.manager.kpi import HallKpis, Stored, compute, ticket_parts, visit_counts
from app.manager.parts import Parts
from app.manager.period import Period
from db.base import utcnow
from db.models.hall import Hall
from db.models.manager import KpiRollup
from db.models.queue import FINAL_STATUSES, Ticket

VERSION = 2
VISITS_FINAL_DAYS = 30


def months_in(period: Period, today: date) -> list[tuple[date, date]]:
    """The whole calendar months inside `period` that ended before `today`."""
    out: list[tuple[date, date]] = []
    first = period.start.replace(day=1)
    if first < period.start:
        first = (first + timedelta(days=32)).replace(day=1)
    while True:
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        if last > period.end or last >= today:
            return out
        out.append((first, last))
        first = last + timedelta(days=1)


def _target(s: Session) -> int:
    return s.scalar(select(Hall.target_wait_minutes)) or 30


def _today(now: datetime) -> date:
    return now.astimezone(HALL_TZ).date()


def _visits_final(month_end: date, today: date) -> bool:
    return month_end + timedelta(days=VISITS_FINAL_DAYS) < today


def load(s: Session, period: Period, target: int, now: datetime) -> list[Stored]:
    """The stored months of `period` (their visits only once final)."""
    today = _today(now)
    months = months_in(period, today)
    if not months:
        return []
    rows = s.scalars(
        select(KpiRollup).where(
            KpiRollup.month_start >= months[0][0],
            KpiRollup.month_end <= months[-1][1],
            KpiRollup.target_wait_min == target,
            KpiRollup.version == VERSION,
        )
    ).all()
    out = []
    for row in rows:
        final = row.visits is not None and _visits_final(row.month_end, today)
        visits = {(int(v), int(st)): int(n) for v, st, n in row.visits} if final else None  # type: ignore[union-attr]
        out.append(Stored(row.month_start, row.month_end, Parts.from_json(row.parts), visits))
    return out


def missing(s: Session, period: Period, now: datetime) -> list[tuple[date, date, bool]]:
    """The months of `period` to roll up (first day, last day, with visits?): not stored yet,
    or stored before their visits were final. A month with open tickets is left alone."""
    today, target = _today(now), _target(s)
    have = {
        row.month_start: row.visits is not None
        for row in s.scalars(
            select(KpiRollup).where(
                KpiRollup.target_wait_min == target, KpiRollup.version == VERSION
            )
        )
    }
    out = []
    for start, end in months_in(period, today):
        final = _visits_final(end, today)
        if start in have and (have[start] or not final):
            continue
        still_open = s.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(Ticket.status.not_in(FINAL_STATUSES), Ticket.day >= start, Ticket.day <= end)
        )
        if not still_open:
            out.append((start, end, final))
    return out


def build(s: Session, months: list[tuple[date, date, bool]], now: datetime) -> list[dict[str, Any]]:
    """The rows for `months`, computed on a read session."""
    target = _target(s)
    rows = []
    for start, end, final in months:
        parts = ticket_parts(s, start, end, target * 60, now)
        visits = visit_counts(s, start, end) if final else None
        rows.append(
            {
                "month_start": start,
                "target_wait_min": target,
                "month_end": end,
                "version": VERSION,
                "parts": parts.coarse(60).to_json(),
                "visits": None if visits is None else [[v, st, n] for (v, st), n in visits.items()],
                "computed_at": now,
            }
        )
    return rows


def store(s: Session, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        s.merge(KpiRollup(**row))


def ensure_rollups(database: Any, period: Period, now: datetime | None = None) -> int:
    """Roll up the months of `period` that need it: computed on a read snapshot, stored in one
    short write. Returns how many months were stored."""
    now = now or utcnow()
    with database.read() as s:
        months = missing(s, period, now)
        rows = build(s, months, now) if months else []
    if rows:
        database.run_write(lambda s: store(s, rows))
    return len(rows)


def compute_stored(s: Session, period: Period, now: datetime | None = None) -> HallKpis:
    """The KPIs of `period` from the stored months and the rest of its days."""
    now = now or utcnow()
    target = _target(s)
    return compute(s, period, target_wait_min=target, now=now, stored=load(s, period, target, now))
