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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement

from app.clock import HALL_TZ
from app.manager.parts import DIMS, Parts
from app.manager.period import Period
from app.manager.sql import day_end_utc, hour_in, seconds_between
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


@dataclass(frozen=True)
class Tables:
    """The tables the KPIs read: the desk's own, or the central store's mirror of a hall's
    (app.central.mirror: the same columns, with `hall_id`)."""

    ticket: Table
    visit: Table
    case: Table
    case_matter: Table
    case_material: Table
    evaluation: Table


DESK = Tables(T, V, C, CM, CMAT, E)
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


def _scoped(table: Any, hall_id: str | None) -> list[ColumnElement[bool]]:
    """Only the hall's rows, on tables that have a hall (the central store's; `table` may be
    an alias)."""
    if hall_id is not None and "hall_id" in table.c:
        return [table.c.hall_id == hall_id]
    return []


def _in_period(period: Period, hall_id: str | None) -> list[ColumnElement[bool]]:
    return [T.c.day >= period.start, T.c.day <= period.end, *_scoped(T, hall_id)]


def _sum_if(cond: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


@dataclass(frozen=True)
class Stored:
    """A stretch of days whose parts were stored (app.manager.rollup): its ticket parts, and
    the visit counts of the applications first received in it once those are final (None:
    still counted from the cases)."""

    start: date
    end: date
    parts: Parts
    visits: dict[tuple[int, int], int] | None


def compute(
    conn: Connection | Session,
    period: Period,
    *,
    target_wait_min: int | None = None,
    now: datetime | None = None,
    hall_id: str | None = None,
    stored: Sequence[Stored] = (),
    tables: Tables = DESK,
) -> HallKpis:
    """Every KPI of `period`. `now` (default: now) ends the wait of tickets still waiting.
    Days covered by `stored` stretches (computed with the same target) are not read again."""
    now = now or utcnow()
    if target_wait_min is None:
        target_wait_min = conn.execute(select(Hall.target_wait_minutes)).scalar() or 30
    target_s = target_wait_min * 60
    stored = [x for x in stored if period.start <= x.start and x.end <= period.end]
    parts = Parts()
    for x in stored:
        parts.merge(x.parts)
    for start, end in _uncovered(period, [(x.start, x.end) for x in stored]):
        parts.merge(ticket_parts(conn, start, end, target_s, now, hall_id, tables))
    visits: dict[tuple[int, int], int] = defaultdict(int)
    frozen = [x for x in stored if x.visits is not None]
    for x in frozen:
        for key, n in (x.visits or {}).items():
            visits[key] += n
    for start, end in _uncovered(period, [(x.start, x.end) for x in frozen]):
        for key, n in visit_counts(conn, start, end, hall_id, tables).items():
            visits[key] += n
    return finish(period, target_wait_min, parts, visits, _gaps(conn, period, now, hall_id, tables))


def _uncovered(period: Period, covered: Sequence[tuple[date, date]]) -> list[tuple[date, date]]:
    """The stretches of `period` outside the `covered` ones."""
    out: list[tuple[date, date]] = []
    day = period.start
    for start, end in sorted(covered):
        if start > day:
            out.append((day, start - timedelta(days=1)))
        day = max(day, end + timedelta(days=1))
    if day <= period.end:
        out.append((day, period.end))
    return out


def ticket_parts(
    conn: Connection | Session,
    start: date,
    end: date,
    target_s: int,
    now: datetime,
    hall_id: str | None = None,
    tables: Tables = DESK,
) -> Parts:
    """The ticket-based parts of the days `start`..`end` (a handful of grouped queries)."""
    T, V, CM, E = tables.ticket, tables.visit, tables.case_matter, tables.evaluation
    parts = Parts()
    where = [T.c.day >= start, T.c.day <= end, *_scoped(T, hall_id)]
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
    for row in facts:
        values = [int(v) for v in row[4:]]
        for dim, key in zip(DIMS, row[:4], strict=True):
            parts.add_tally(dim, key, values)
    for window, value, n in conn.execute(
        select(T.c.window_number, wait, func.count())
        .where(*where, T.c.called_at.is_not(None))
        .group_by(T.c.window_number, wait)
    ):
        parts.wait_by_window[window][int(value)] += n
        parts.wait[int(value)] += n

    def histogram(into: dict[int, int], expr: Any, *cond: ColumnElement[bool]) -> None:
        for value, n in conn.execute(
            select(expr, func.count()).where(*where, *cond).group_by(expr)
        ):
            into[int(value)] += n

    histogram(parts.walk, walk, walk.is_not(None))
    histogram(parts.service, service, done, T.c.service_started_at.is_not(None))
    histogram(parts.served_by_hour, hour_in(T.c.ended_at, OFFSET_MIN), done)
    call_hour = hour_in(T.c.called_at, OFFSET_MIN)
    days = set()
    for d, h, n in conn.execute(
        select(T.c.day, call_hour, func.count(func.distinct(T.c.window_number)))
        .where(*where, T.c.called_at.is_not(None))
        .group_by(T.c.day, call_hour)
    ):
        days.add(d)
        parts.open_by_hour[int(h)] += n
    parts.days = len(days)
    for code, name, n in conn.execute(
        select(CM.c.matter_code, func.max(CM.c.matter_name), func.count(func.distinct(V.c.ticket_id)))
        .select_from(T.join(V, V.c.ticket_id == T.c.id).join(CM, CM.c.case_id == V.c.case_id))
        .where(*where)
        .group_by(CM.c.matter_code)
    ):  # fmt: skip
        parts.matters[code] = [name, int(n)]
    for rating, n, follow in conn.execute(
        select(E.c.rating, func.count(), _sum_if(E.c.follow_up_needed.is_(True)))
        .select_from(E.join(T, T.c.id == E.c.ticket_id))
        .where(*where)
        .group_by(E.c.rating)
    ):
        parts.ratings[int(rating)] = [int(n), int(follow)]
    return parts


def finish(
    period: Period,
    target_wait_min: int,
    parts: Parts,
    visits: Mapping[tuple[int, int], int],
    gaps: Gaps,
) -> HallKpis:
    """The KPIs from their parts."""
    groups: dict[str, dict[Any, Tally]] = {
        dim: {key: Tally(key, *values) for key, values in parts.tallies[dim].items()}
        for dim in DIMS
    }
    totals = Tally("hall")
    for tally in groups["window"].values():
        totals.add(tally)
    for window, tally in groups["window"].items():
        tally.wait_p90 = Histogram(parts.wait_by_window.get(window, {}).items()).percentile(0.9)
    hall_wait = Histogram(parts.wait.items())
    totals.wait_p90 = hall_wait.percentile(0.9)
    days = parts.days
    by = {int(r): n for r, (n, _f) in parts.ratings.items()}
    count = sum(by.values())
    ratings = Ratings(
        count,
        sum(r * n for r, n in by.items()) / count if count else None,
        dict(sorted(by.items(), reverse=True)),
        sum(n for r, n in by.items() if r <= 2),
        sum(f for _n, f in parts.ratings.values()),
    )
    return HallKpis(
        period=period,
        target_wait_min=target_wait_min,
        totals=totals,
        wait=Times.of(hall_wait),
        walk=Times.of(Histogram(parts.walk.items())),
        service=Times.of(Histogram(parts.service.items())),
        by_window=_sorted(groups["window"]),
        by_clerk=_sorted(groups["clerk"]),
        by_line=_sorted(groups["line"]),
        by_hour=_sorted(groups["hour"]),
        by_matter=sorted(
            ((c, name, n) for c, (name, n) in parts.matters.items()), key=lambda r: (-r[2], r[0])
        ),
        served_by_hour={h: n for h, n in sorted(parts.served_by_hour.items()) if n},
        windows_open_by_hour={h: n / days for h, n in sorted(parts.open_by_hour.items()) if days},
        wait_bins=hall_wait.bins(5 * 60, 60 * 60),
        gaps=gaps,
        ratings=ratings,
        visits=_visits_of(visits),
        working_days=days,
    )


def _sorted(groups: Mapping[Any, Tally]) -> list[Tally]:
    return sorted(groups.values(), key=lambda t: (t.key is None, str(t.key).zfill(4)))


def _gaps(
    conn: Connection | Session,
    period: Period,
    now: datetime,
    hall_id: str | None,
    tables: Tables = DESK,
) -> Gaps:
    """容缺: the period's gap cases, and those whose gap was not supplied by its deadline (a
    deadline passed by today, or a supply after the hall's deadline day ended)."""
    C, CMAT = tables.case, tables.case_material
    as_of = now.astimezone(HALL_TZ).date()
    open_overdue = and_(CMAT.c.supplied_at.is_(None), CMAT.c.gap_deadline < as_of)
    late = CMAT.c.supplied_at >= day_end_utc(CMAT.c.gap_deadline, literal(OFFSET_MIN))
    cases, overdue, still_open = conn.execute(
        select(
            func.count(func.distinct(CMAT.c.case_id)),
            func.count(func.distinct(case((or_(open_overdue, late), CMAT.c.case_id)))),
            func.count(func.distinct(case((open_overdue, CMAT.c.case_id)))),
        )
        .select_from(CMAT.join(C, C.c.id == CMAT.c.case_id))
        .where(
            C.c.decision == "accept_with_gap",
            C.c.received_day >= period.start,
            C.c.received_day <= period.end,
            CMAT.c.gap_deadline.is_not(None),
            *_scoped(C, hall_id),
        )
    ).one()
    return Gaps(int(cases), int(overdue), int(still_open))


def visit_counts(
    conn: Connection | Session,
    start: date,
    end: date,
    hall_id: str | None = None,
    tables: Tables = DESK,
) -> dict[tuple[int, int], int]:
    """Applications first received on the days `start`..`end`: a case with no previous case,
    and the cases restarted from it (previous_case_id, followed to any depth). Its visits are
    the distinct tickets of all their visits (new, return, supplement). Returns how many
    applications have each (visits, settled) pair."""
    per_root = _per_root(start, end, hall_id, None, tables).subquery()
    rows = conn.execute(
        select(per_root.c.visits, per_root.c.settled, func.count()).group_by(
            per_root.c.visits, per_root.c.settled
        )
    ).all()
    return {(int(v), int(settled)): int(n) for v, settled, n in rows}


def root_visits(
    conn: Connection | Session,
    start: date,
    end: date,
    roots: Sequence[str] | None = None,
    hall_id: str | None = None,
) -> dict[str, tuple[int, int]]:
    """visit_counts application by application: {first case id: (visits, settled)}, for all
    the applications first received on `start`..`end` or only those of `roots`."""
    return {
        str(root): (int(v), int(settled))
        for root, v, settled in conn.execute(_per_root(start, end, hall_id, roots))
    }


def _per_root(
    start: date,
    end: date,
    hall_id: str | None,
    roots: Sequence[str] | None = None,
    tables: Tables = DESK,
) -> Any:
    """(root, visits, settled) for each application (see visit_counts). The first cases are
    found by ix_case_root_day (previous_case_id IS NULL, then the days)."""
    C, V = tables.case, tables.visit
    anchor = [
        C.c.previous_case_id.is_(None),
        C.c.received_day >= start,
        C.c.received_day <= end,
        *_scoped(C, hall_id),
    ]
    if roots is not None:
        anchor.append(C.c.id.in_(roots))
    chain = (
        select(C.c.id.label("id"), C.c.id.label("root")).where(*anchor).cte("chain", recursive=True)
    )
    nxt = C.alias("nxt")
    chain = chain.union_all(
        select(nxt.c.id, chain.c.root).where(
            nxt.c.previous_case_id == chain.c.id, *_scoped(nxt, hall_id)
        )
    )
    return (
        select(
            chain.c.root.label("root"),
            func.count(func.distinct(V.c.ticket_id)).label("visits"),
            func.max(case((C.c.decision.in_(SETTLED), 1), else_=0)).label("settled"),
        )
        .select_from(chain.join(C, C.c.id == chain.c.id).outerjoin(V, V.c.case_id == chain.c.id))
        .where(*_scoped(C, hall_id))  # the key of a hall's mirror (hall_id, id)
        .group_by(chain.c.root)
    )


def _visits_of(counts: Mapping[tuple[int, int], int]) -> Visits:
    distribution: dict[int, int] = defaultdict(int)
    applications = settled = one = total = 0
    for (visits, is_settled), n in counts.items():
        distribution[visits] += n
        applications += n
        total += visits * n
        if is_settled:
            settled += n
            if visits <= 1:
                one += n
    return Visits(applications, settled, one, total, dict(sorted(distribution.items())))
