"""Monthly rollups of the KPI parts, so a year's KPIs read twelve stored months instead of every
ticket (kpi_rollup, derived data).

A month is rolled up once it is over (its last day before today, in the hall) and none of its
tickets is still open. Its ticket parts never change after that; each window's waits are kept
by the minute (the hall's own histograms by the second), so a window's 90th percentile over
stored months is to the minute. The visits of its applications are stored once the month has
been over for `VISITS_FINAL_DAYS` days: an application's visits are counted until then
(returns and supplements come within days; the 容缺 deadline is shorter than that). Before,
the counts are stored with the time they were counted (`visits_so_far`, `visits_as_of`) and
each application's in kpi_rollup_root, and a view counts again only the applications touched
since: a case written
(updated_at) or a visit added (created_at) since, followed up its chain to its first case. The
desk stamps those rows with its own clock, and its cases and visits are its own (a desk pulls
only tickets and the hall's settings): nothing reaches it with an older stamp. The counts are
taken again every `RECOUNT_AFTER` (the touched ones grow through the day), and counted live
when the clock has gone back since.

Building reads (a snapshot, never the write lock) and then stores the rows in one short
write; computing the KPIs only reads.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from app.clock import HALL_TZ
from app.manager.kpi import C, HallKpis, Stored, V, compute, root_visits, ticket_parts
from app.manager.parts import Parts
from app.manager.period import Period
from db.base import utcnow
from db.models.hall import Hall
from db.models.manager import KpiRollup, KpiRollupRoot
from db.models.queue import FINAL_STATUSES, Ticket

VERSION = 3
VISITS_FINAL_DAYS = 30
RECOUNT_AFTER = timedelta(hours=1)
#: A write that stamped its rows just before a rollup's read snapshot began may commit after
#: it: rows stamped this long before `visits_as_of` are counted again too.
STAMP_MARGIN = timedelta(minutes=2)
#: Roots per statement when counting touched applications again.
CHUNK = 500


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
    """The stored months of `period`: their visits as stored once final, before that from the
    stored counts with the applications touched since counted again."""
    today = _today(now)
    months = months_in(period, today)
    if not months:
        return []
    rows = s.execute(
        select(
            KpiRollup.month_start, KpiRollup.month_end, KpiRollup.parts, KpiRollup.visits,
            KpiRollup.visits_so_far, KpiRollup.visits_as_of,
        ).where(
            KpiRollup.month_start >= months[0][0],
            KpiRollup.month_end <= months[-1][1],
            KpiRollup.target_wait_min == target,
            KpiRollup.version == VERSION,
        )
    ).all()  # fmt: skip
    out = []
    for start, end, parts, visits, so_far, as_of in rows:
        counts = None
        if visits is not None and _visits_final(end, today):
            counts = _counts(visits)
        elif so_far is not None and as_of is not None:
            counts = _recounted(s, start, end, target, _counts(so_far), as_of)
        out.append(Stored(start, end, Parts.from_json(parts), counts))
    return out


def _counts(rows: list[list[int]]) -> dict[tuple[int, int], int]:
    return {(int(v), int(st)): int(n) for v, st, n in rows}


def _recounted(
    s: Session,
    start: date,
    end: date,
    target: int,
    counts: dict[tuple[int, int], int],
    as_of: datetime,
) -> dict[tuple[int, int], int] | None:
    """A month's visit counts as of `as_of` with the applications touched since counted again
    (their stored counts taken out, their counts now put in: one deleted since is taken out);
    None (count them all) if the clock is now before `as_of`."""
    if utcnow() < as_of:
        return None
    touched = touched_roots(s, as_of - STAMP_MARGIN, start, end)
    R = KpiRollupRoot
    for i in range(0, len(touched), CHUNK):
        chunk = touched[i : i + CHUNK]
        for v, settled in s.execute(
            select(R.visits, R.settled).where(
                R.month_start == start, R.target_wait_min == target, R.root_id.in_(chunk)
            )
        ):
            counts[(v, settled)] -= 1
        for key in root_visits(s, start, end, chunk).values():
            counts[key] = counts.get(key, 0) + 1
    return {key: n for key, n in counts.items() if n}


def touched_roots(s: Session, since: datetime, start: date, end: date) -> list[str]:
    """The first cases, received on `start`..`end`, of the applications with a case written or
    a visit added at or after `since` (indexes ix_case_updated_at, ix_visit_created_at)."""
    seeds = union(
        select(C.c.id).where(C.c.updated_at >= since),
        select(V.c.case_id).where(V.c.created_at >= since),
    ).subquery()
    up = (
        select(
            C.c.id.label("id"), C.c.previous_case_id.label("prev"), C.c.received_day.label("day")
        )
        .where(C.c.id.in_(select(seeds.c[0])))
        .cte("up", recursive=True)
    )
    parent = C.alias("parent")
    up = up.union(
        select(parent.c.id, parent.c.previous_case_id, parent.c.received_day).where(
            parent.c.id == up.c.prev
        )
    )
    return sorted(
        s.scalars(select(up.c.id).where(up.c.prev.is_(None), up.c.day >= start, up.c.day <= end))
    )


def missing(s: Session, period: Period, now: datetime) -> list[tuple[date, date, bool]]:
    """The months of `period` to roll up (first day, last day, with visits?): not stored yet,
    stored before their visits were final and final now, or with visits not final counted
    more than RECOUNT_AFTER ago. A month with open tickets is left alone."""
    today, target = _today(now), _target(s)
    clock = utcnow()
    have = {
        start: (visits is not None, as_of is not None and clock - RECOUNT_AFTER <= as_of <= clock)
        for start, visits, as_of in s.execute(
            select(KpiRollup.month_start, KpiRollup.visits, KpiRollup.visits_as_of).where(
                KpiRollup.target_wait_min == target, KpiRollup.version == VERSION
            )
        )
    }
    out = []
    for start, end in months_in(period, today):
        final = _visits_final(end, today)
        stored_final, counted_lately = have.get(start, (False, False))
        if stored_final or (counted_lately and not final):
            continue
        still_open = s.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(Ticket.status.not_in(FINAL_STATUSES), Ticket.day >= start, Ticket.day <= end)
        )
        if not still_open:
            out.append((start, end, final))
    return out


def build(
    s: Session,
    months: list[tuple[date, date, bool]],
    now: datetime,
    as_of: datetime | None = None,
) -> list[dict[str, Any]]:
    """The rows for `months`, computed on a read session that began after `as_of` (default:
    now). A month already stored keeps its ticket parts (they do not change once stored)."""
    as_of = as_of or utcnow()
    target = _target(s)
    rows = []
    for start, end, final in months:
        kept = s.scalar(
            select(KpiRollup.parts).where(
                KpiRollup.month_start == start,
                KpiRollup.target_wait_min == target,
                KpiRollup.version == VERSION,
            )
        )
        parts = kept if kept is not None else ticket_parts(s, start, end, target * 60, now)
        roots = root_visits(s, start, end)
        visits: dict[tuple[int, int], int] = {}
        for key in roots.values():
            visits[key] = visits.get(key, 0) + 1
        counted = [[v, st, n] for (v, st), n in visits.items()]
        rows.append(
            {
                "month_start": start,
                "target_wait_min": target,
                "month_end": end,
                "version": VERSION,
                "parts": parts if kept is not None else parts.coarse(60).to_json(),
                "visits": counted if final else None,
                "visits_so_far": None if final else counted,
                "visits_as_of": None if final else as_of,
                "computed_at": now,
                "roots": [] if final else [
                    {"month_start": start, "target_wait_min": target, "root_id": r,
                     "visits": v, "settled": st}
                    for r, (v, st) in roots.items()
                ],
            }
        )  # fmt: skip
    return rows


def store(s: Session, rows: list[dict[str, Any]]) -> None:
    from sqlalchemy import delete, insert

    for row in rows:
        roots = row.pop("roots", [])
        s.merge(KpiRollup(**row))
        s.execute(
            delete(KpiRollupRoot).where(
                KpiRollupRoot.month_start == row["month_start"],
                KpiRollupRoot.target_wait_min == row["target_wait_min"],
            )
        )
        if roots:
            s.execute(insert(KpiRollupRoot), roots)


def ensure_rollups(database: Any, period: Period, now: datetime | None = None) -> int:
    """Roll up the months of `period` that need it: computed on a read snapshot, stored in one
    short write. Returns how many months were stored."""
    now = now or utcnow()
    as_of = utcnow()  # before the snapshot: a row stamped after it is seen as touched
    with database.read() as s:
        months = missing(s, period, now)
        rows = build(s, months, now, as_of) if months else []
    if rows:
        database.run_write(lambda s: store(s, rows))
    return len(rows)


def compute_stored(s: Session, period: Period, now: datetime | None = None) -> HallKpis:
    """The KPIs of `period` from the stored months and the rest of its days."""
    now = now or utcnow()
    target = _target(s)
    return compute(s, period, target_wait_min=target, now=now, stored=load(s, period, target, now))
