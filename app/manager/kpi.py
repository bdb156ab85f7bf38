"""The hall's KPIs for a period, Qt-free, as SQLAlchemy Core SQL that runs on SQLite (the desk)
and PostgreSQL (the central store, which passes `hall_id`). Definitions: app.manager.definitions.

Durations come from the ticket's own times: waiting = issued → first call, walking = first call
→ service start (transferred tickets left out), service = start → end. Percentiles come from
histograms counted in SQL (one row per distinct whole second), so nothing but counts leaves the
database. A ticket is one row however often it was transferred, so it is counted once; it
belongs to the window and clerk that finished it, and to the line it ended in.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from app.clock import HALL_TZ
from app.manager.period import Period
from app.manager.sql import hour_in, seconds_between
from db.base import utcnow
from db.models.case import Case, CaseMaterial, CaseMatter
from db.models.hall import Hall
from db.models.queue import Evaluation, Ticket, Visit

OFFSET_MIN = int((HALL_TZ.utcoffset(None) or timedelta()).total_seconds() // 60)
T: Table = Ticket.__table__  # type: ignore[assignment]
V: Table = Visit.__table__  # type: ignore[assignment]
C: Table = Case.__table__  # type: ignore[assignment]
CM: Table = CaseMatter.__table__  # type: ignore[assignment]
CMAT: Table = CaseMaterial.__table__  # type: ignore[assignment]
E: Table = Evaluation.__table__  # type: ignore[assignment]
#: Case decisions that settle an application (the applicant need not come back to be accepted).
SETTLED = ("accept", "accept_with_gap", "reject")


class Histogram:
    """Counts of whole-second values: mean, median and nearest-rank percentiles."""

    def __init__(self, counts: Iterable[tuple[int, int]] = ()) -> None:
        self.counts: dict[int, int] = defaultdict(int)
        for value, n in counts:
            self.counts[int(value)] += int(n)

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    def mean(self) -> float | None:
        n = self.n
        return sum(v * c for v, c in self.counts.items()) / n if n else None

    def _kth(self, k: int) -> int:
        """The k-th smallest value (1-based)."""
        seen = 0
        for value in sorted(self.counts):
            seen += self.counts[value]
            if seen >= k:
                return value
        raise IndexError(k)

    def percentile(self, p: float) -> float | None:
        n = self.n
        return float(self._kth(max(1, math.ceil(p * n)))) if n else None

    def median(self) -> float | None:
        n = self.n
        if not n:
            return None
        if n % 2:
            return float(self._kth(n // 2 + 1))
        return (self._kth(n // 2) + self._kth(n // 2 + 1)) / 2

    def bins(self, width_s: int, last_s: int) -> list[tuple[int, int]]:
        """(bin start in seconds, count), the last bin holding everything from `last_s` on."""
        out = dict.fromkeys(range(0, last_s + 1, width_s), 0)
        for value, n in self.counts.items():
            out[min(max(value, 0) // width_s * width_s, last_s)] += n
        return sorted(out.items())


@dataclass(frozen=True)
class Times:
    """One duration measure, in seconds."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, h: Histogram) -> Times:
        return cls(h.n, h.mean(), h.median(), h.percentile(0.9))


@dataclass
class Tally:
    """The tickets of one group (a window, clerk, line, matter or hour, or the whole hall)."""

    key: Any
    tickets: int = 0
    served: int = 0
    no_show: int = 0
    unserved: int = 0
    over_target: int = 0
    wait_sum: int = 0
    wait_n: int = 0
    service_sum: int = 0
    service_n: int = 0
    wait_p90: float | None = None

    @property
    def wait_mean(self) -> float | None:
        return self.wait_sum / self.wait_n if self.wait_n else None

    @property
    def service_mean(self) -> float | None:
        return self.service_sum / self.service_n if self.service_n else None

    @property
    def no_show_rate(self) -> float | None:
        return self.no_show / self.tickets if self.tickets else None

    def add(self, other: Tally) -> None:
        for name in (
            "tickets", "served", "no_show", "unserved", "over_target", "wait_sum", "wait_n",
            "service_sum", "service_n",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class Gaps:
    cases: int
    overdue: int  # a gap not supplied by its deadline (still missing, or supplied late)
    open_overdue: int  # still missing after the deadline


@dataclass(frozen=True)
class Ratings:
    count: int
    mean: float | None
    by_rating: dict[int, int]
    bad: int
    follow_up_pending: int


@dataclass(frozen=True)
class Visits:
    applications: int
    settled: int
    one_visit: int
    visits: int  # over every application
    distribution: dict[int, int]  # visits -> applications

    @property
    def per_case(self) -> float | None:
        return self.visits / self.applications if self.applications else None

    @property
    def one_visit_rate(self) -> float | None:
        return self.one_visit / self.settled if self.settled else None


@dataclass
class HallKpis:
    period: Period
    target_wait_min: int
    totals: Tally
    wait: Times
    walk: Times
    service: Times
    by_window: list[Tally]
    by_clerk: list[Tally]
    by_line: list[Tally]
    by_hour: list[Tally]
    by_matter: list[tuple[str, str, int]]  # code, name, tickets
    served_by_hour: dict[int, int]
    windows_open_by_hour: dict[int, float]  # windows that called a ticket, per day
    wait_bins: list[tuple[int, int]]
    gaps: Gaps
    ratings: Ratings
    visits: Visits
    working_days: int
    names: dict[str, dict[Any, str]] = field(default_factory=dict)

    @property
    def over_target_share(self) -> float | None:
        t = self.totals
        return t.over_target / t.tickets if t.tickets else None


def _scoped(table: Table, hall_id: str | None) -> list[ColumnElement[bool]]:
    if hall_id is not None and "hall_id" in table.c:
        return [table.c.hall_id == hall_id]
    return []


def _in_period(period: Period, hall_id: str | None) -> list[ColumnElement[bool]]:
    return [T.c.day >= period.start, T.c.day <= period.end, *_scoped(T, hall_id)]


def _sum_if(cond: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def compute(
    conn: Connection | Session,
    period: Period,
    *,
    target_wait_min: int | None = None,
    now: datetime | None = None,
    hall_id: str | None = None,
) -> HallKpis:
    """Every KPI of `period`. `now` (default: now) ends the wait of tickets still waiting."""
    now = now or utcnow()
    if target_wait_min is None:
        target_wait_min = conn.execute(select(Hall.target_wait_minutes)).scalar() or 30
    target_s = target_wait_min * 60
    where = _in_period(period, hall_id)
    wait = seconds_between(T.c.issued_at, T.c.called_at)
    service = seconds_between(T.c.service_started_at, T.c.ended_at)
    transferred = or_(T.c.transferred_from_line.is_not(None), T.c.target_window.is_not(None))
    walk = case((transferred, None), else_=seconds_between(T.c.called_at, T.c.service_started_at))
    done = T.c.status == "done"
    waited_uncalled = seconds_between(
        T.c.issued_at, func.coalesce(T.c.ended_at, literal(now, T.c.issued_at.type))
    )
    hour = hour_in(T.c.issued_at, OFFSET_MIN)
    facts = conn.execute(
        select(
            T.c.window_number, T.c.clerk_id, T.c.line_code, hour,
            func.count(),
            _sum_if(done),
            _sum_if(and_(T.c.passed_reason.is_not(None), T.c.status.in_(("passed", "closed")))),
            _sum_if(T.c.called_at.is_(None)),
            _sum_if(or_(
                and_(T.c.called_at.is_not(None), wait > target_s),
                and_(T.c.called_at.is_(None), waited_uncalled > target_s),
            )),
            func.coalesce(func.sum(wait), 0), func.count(T.c.called_at),
            func.coalesce(func.sum(case((done, service))), 0), func.count(case((done, service))),
        )
        .where(*where)
        .group_by(T.c.window_number, T.c.clerk_id, T.c.line_code, hour)
    ).all()  # fmt: skip
    totals = Tally("hall")
    groups: dict[str, dict[Any, Tally]] = {k: {} for k in ("window", "clerk", "line", "hour")}
    for row in facts:
        part = Tally(None, *row[4:])
        totals.add(part)
        for kind, key in zip(("window", "clerk", "line", "hour"), row[:4], strict=True):
            groups[kind].setdefault(key, Tally(key)).add(part)

    wait_by_window: dict[Any, Histogram] = defaultdict(Histogram)
    hall_wait = Histogram()
    for window, value, n in conn.execute(
        select(T.c.window_number, wait, func.count())
        .where(*where, T.c.called_at.is_not(None))
        .group_by(T.c.window_number, wait)
    ):
        wait_by_window[window].counts[int(value)] += n
        hall_wait.counts[int(value)] += n
    for window, tally in groups["window"].items():
        tally.wait_p90 = wait_by_window[window].percentile(0.9)
    totals.wait_p90 = hall_wait.percentile(0.9)

    def histogram(expr: Any, *cond: ColumnElement[bool]) -> Histogram:
        return Histogram(
            tuple(r)
            for r in conn.execute(select(expr, func.count()).where(*where, *cond).group_by(expr))
        )

    walk_h = histogram(walk, walk.is_not(None))
    service_h = histogram(service, done, T.c.service_started_at.is_not(None))
    end_hour = hour_in(T.c.ended_at, OFFSET_MIN)
    served_by_hour = {
        int(h): int(n)
        for h, n in conn.execute(
            select(end_hour, func.count()).where(*where, done).group_by(end_hour)
        )
    }
    call_hour = hour_in(T.c.called_at, OFFSET_MIN)
    open_rows = conn.execute(
        select(T.c.day, call_hour, func.count(func.distinct(T.c.window_number)))
        .where(*where, T.c.called_at.is_not(None))
        .group_by(T.c.day, call_hour)
    ).all()
    days = {d for d, _h, _n in open_rows}
    open_by_hour: dict[int, float] = defaultdict(float)
    for _d, h, n in open_rows:
        open_by_hour[int(h)] += n / len(days)
    return HallKpis(
        period=period,
        target_wait_min=target_wait_min,
        totals=totals,
        wait=Times.of(hall_wait),
        walk=Times.of(walk_h),
        service=Times.of(service_h),
        by_window=_sorted(groups["window"]),
        by_clerk=_sorted(groups["clerk"]),
        by_line=_sorted(groups["line"]),
        by_hour=_sorted(groups["hour"]),
        by_matter=_matters(conn, period, hall_id),
        served_by_hour=served_by_hour,
        windows_open_by_hour=dict(open_by_hour),
        wait_bins=hall_wait.bins(5 * 60, 60 * 60),
        gaps=_gaps(conn, period, now, hall_id),
        ratings=_ratings(conn, period, hall_id),
        visits=_visits(conn, period, hall_id),
        working_days=len(days),
    )


def _sorted(groups: Mapping[Any, Tally]) -> list[Tally]:
    return sorted(groups.values(), key=lambda t: (t.key is None, str(t.key).zfill(4)))


def _matters(
    conn: Connection | Session, period: Period, hall_id: str | None
) -> list[tuple[str, str, int]]:
    rows = conn.execute(
        select(CM.c.matter_code, func.max(CM.c.matter_name), func.count(func.distinct(V.c.ticket_id)))
        .select_from(T.join(V, V.c.ticket_id == T.c.id).join(CM, CM.c.case_id == V.c.case_id))
        .where(*_in_period(period, hall_id))
        .group_by(CM.c.matter_code)
    ).all()  # fmt: skip
    return sorted(((c, n, int(k)) for c, n, k in rows), key=lambda r: (-r[2], r[0]))


def _gaps(conn: Connection | Session, period: Period, now: datetime, hall_id: str | None) -> Gaps:
    """容缺: the period's gap cases, and those whose gap was not supplied by its deadline (a
    deadline passed by today, or a supply after it)."""
    as_of = now.astimezone(HALL_TZ).date()
    rows = conn.execute(
        select(CMAT.c.case_id, CMAT.c.gap_deadline, CMAT.c.supplied_at)
        .select_from(CMAT.join(C, C.c.id == CMAT.c.case_id))
        .where(
            C.c.decision == "accept_with_gap",
            C.c.received_day >= period.start,
            C.c.received_day <= period.end,
            CMAT.c.gap_deadline.is_not(None),
            *_scoped(C, hall_id),
        )
    ).all()
    cases, overdue, open_overdue = set(), set(), set()
    for case_id, deadline, supplied in rows:
        cases.add(case_id)
        if supplied is None:
            if deadline < as_of:
                overdue.add(case_id)
                open_overdue.add(case_id)
        else:
            at = supplied if supplied.tzinfo else supplied.replace(tzinfo=UTC)
            if at.astimezone(HALL_TZ).date() > deadline:
                overdue.add(case_id)
    return Gaps(len(cases), len(overdue), len(open_overdue))


def _ratings(conn: Connection | Session, period: Period, hall_id: str | None) -> Ratings:
    rows = conn.execute(
        select(E.c.rating, func.count(), _sum_if(E.c.follow_up_needed.is_(True)))
        .select_from(E.join(T, T.c.id == E.c.ticket_id))
        .where(*_in_period(period, hall_id))
        .group_by(E.c.rating)
    ).all()
    by = {int(r): int(n) for r, n, _f in rows}
    count = sum(by.values())
    mean = sum(r * n for r, n in by.items()) / count if count else None
    bad = sum(n for r, n in by.items() if r <= 2)
    return Ratings(count, mean, by, bad, int(sum(f for _r, _n, f in rows)))


def _visits(conn: Connection | Session, period: Period, hall_id: str | None) -> Visits:
    """Applications first received in the period: a case with no previous case, and the cases
    restarted from it (previous_case_id, followed to any depth). Its visits are the distinct
    tickets of all their visits (new, return, supplement)."""
    chain = (
        select(C.c.id.label("id"), C.c.id.label("root"))
        .where(
            C.c.previous_case_id.is_(None),
            C.c.received_day >= period.start,
            C.c.received_day <= period.end,
            *_scoped(C, hall_id),
        )
        .cte("chain", recursive=True)
    )
    nxt = C.alias("nxt")
    chain = chain.union_all(
        select(nxt.c.id, chain.c.root).where(nxt.c.previous_case_id == chain.c.id)
    )
    per_root = (
        select(
            chain.c.root.label("root"),
            func.count(func.distinct(V.c.ticket_id)).label("visits"),
            func.max(case((C.c.decision.in_(SETTLED), 1), else_=0)).label("settled"),
        )
        .select_from(chain.join(C, C.c.id == chain.c.id).outerjoin(V, V.c.case_id == chain.c.id))
        .group_by(chain.c.root)
        .subquery()
    )
    rows = conn.execute(
        select(per_root.c.visits, per_root.c.settled, func.count()).group_by(
            per_root.c.visits, per_root.c.settled
        )
    ).all()
    distribution: dict[int, int] = defaultdict(int)
    applications = settled = one = total = 0
    for visits, is_settled, n in rows:
        distribution[int(visits)] += n
        applications += n
        total += visits * n
        if is_settled:
            settled += n
            if visits <= 1:
                one += n
    return Visits(applications, settled, one, total, dict(sorted(distribution.items())))


def hall_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants the hall's `day` starts and ends."""
    start = datetime(day.year, day.month, day.day, tzinfo=HALL_TZ)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)
