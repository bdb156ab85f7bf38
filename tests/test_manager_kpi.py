"""The manager's KPIs against values computed by hand on small data, edge cases included."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from app.manager.kpi import HallKpis, Histogram, compute
from app.manager.period import Period
from app.services.hall import ensure_demo_hall
from db.engine import Database
from tests.manager_data import DAY, at, case_row, minutes, rating, ticket


@pytest.fixture
def hall(db: Database) -> Iterator[Database]:
    with db.write() as s:
        ensure_demo_hall(s)
    yield db


def kpis(db: Database, fill: Callable[[Session], object], period: Period | None = None,
         now: str = "18:00", now_day: date = DAY) -> HallKpis:  # fmt: skip
    with db.write() as s:
        fill(s)
    with db.read() as s:
        return compute(s, period or Period.day(DAY), now=at(now, now_day))


def five_served(s: Session) -> None:
    # waits 5, 10, 15, 20, 40; walks 1, 1, 2, 2, 3; services 4, 6, 8, 10, 12 (minutes)
    for issued, called, started, ended, window in (
        ("09:00", "09:05", "09:06", "09:10", 1),
        ("09:00", "09:10", "09:11", "09:17", 1),
        ("09:00", "09:15", "09:17", "09:25", 2),
        ("09:00", "09:20", "09:22", "09:32", 2),
        ("09:00", "09:40", "09:43", "09:55", 2),
    ):
        ticket(s, issued, called, started, ended, window=window, clerk=f"BC010{window}")


def test_no_tickets(hall: Database) -> None:
    k = kpis(hall, lambda s: None)
    assert (k.totals.tickets, k.totals.served, k.wait.count) == (0, 0, 0)
    assert (k.wait.mean, k.wait.median, k.wait.p90) == (None, None, None)
    assert k.over_target_share is None and k.totals.no_show_rate is None
    assert k.by_window == [] and k.served_by_hour == {} and k.windows_open_by_hour == {}
    assert (k.visits.applications, k.visits.one_visit_rate, k.visits.per_case) == (0, None, None)
    assert (k.ratings.count, k.ratings.mean) == (0, None)
    assert (k.gaps.cases, k.gaps.overdue) == (0, 0)


def test_waiting_walking_service_times(hall: Database) -> None:
    k = kpis(hall, five_served)
    assert (k.totals.tickets, k.totals.served, k.totals.no_show) == (5, 5, 0)
    assert [minutes(v) for v in (k.wait.mean, k.wait.median, k.wait.p90)] == [18, 15, 40]
    assert [minutes(v) for v in (k.walk.mean, k.walk.median, k.walk.p90)] == [1.8, 2, 3]
    assert [minutes(v) for v in (k.service.mean, k.service.median, k.service.p90)] == [8, 8, 12]
    assert k.over_target_share == pytest.approx(1 / 5)  # only the 40-minute wait is over 30
    w1, w2 = k.by_window
    assert (w1.key, w1.tickets, minutes(w1.wait_mean), minutes(w1.wait_p90)) == (1, 2, 7.5, 10)
    assert (w2.key, w2.tickets, minutes(w2.wait_mean), minutes(w2.wait_p90)) == (2, 3, 25, 40)
    assert minutes(w2.service_mean) == 10
    assert [(c.key, c.tickets) for c in k.by_clerk] == [("BC0101", 2), ("BC0102", 3)]
    assert [(h.key, h.tickets) for h in k.by_hour] == [(9, 5)]
    assert k.served_by_hour == {9: 5}
    assert k.windows_open_by_hour == {9: 2.0}
    assert k.wait_bins[:3] == [(0, 0), (300, 1), (600, 1)]


def test_only_no_shows(hall: Database) -> None:
    def fill(s: Session) -> None:
        ticket(s, "10:00", "10:10", None, "17:30", window=1, passed=True, status="closed")
        ticket(s, "10:00", "10:20", None, None, window=1, passed=True, status="passed")

    k = kpis(hall, fill)
    assert (k.totals.tickets, k.totals.no_show, k.totals.served) == (2, 2, 0)
    assert k.totals.no_show_rate == 1.0
    assert [minutes(v) for v in (k.wait.mean, k.wait.median, k.wait.p90)] == [15, 15, 20]
    assert (k.service.count, k.service.mean, k.walk.count) == (0, None, 0)


@pytest.mark.parametrize(
    ("issued", "ended", "now", "over"),
    [
        ("16:00", "17:30", "18:00", 1),  # closed at the day's end, unserved for 90 minutes
        ("16:50", "17:15", "18:00", 0),  # closed after 25 minutes: not over the target
        ("10:00", None, "10:20", 0),  # still waiting now, 20 minutes so far
        ("10:00", None, "10:40", 1),  # still waiting now, 40 minutes so far
    ],
)
def test_ticket_still_waiting(hall: Database, issued: str, ended: str | None, now: str, over: int) -> None:  # fmt: skip
    k = kpis(hall, lambda s: ticket(s, issued, None, None, ended), now=now)
    assert (k.totals.tickets, k.totals.unserved, k.totals.over_target) == (1, 1, over)
    assert k.wait.count == 0 and k.totals.served == 0


def test_a_transfer_is_one_ticket_at_the_window_that_served_it(hall: Database) -> None:
    def fill(s: Session) -> None:
        t = ticket(s, "09:00", "09:10", "09:30", "09:40", window=3, clerk="BC0103", line="BDC",
                   from_line="QY")  # fmt: skip
        case_row(s, [(t, "new")])

    k = kpis(hall, fill)
    assert k.totals.tickets == 1 and [(w.key, w.tickets) for w in k.by_window] == [(3, 1)]
    assert [(x.key, x.tickets) for x in k.by_line] == [("BDC", 1)]
    assert minutes(k.wait.mean) == 10 and minutes(k.service.mean) == 10
    assert k.walk.count == 0  # the walk of a transferred ticket is not a walk
    assert (k.visits.applications, k.visits.visits, k.visits.one_visit_rate) == (1, 1, 1.0)
    assert k.by_matter == [("M1", "事项M1", 1)]


def test_the_hall_day_is_in_hall_time(hall: Database) -> None:
    # 07:50 in the hall on 26 November is 23:50 UTC on the 25th.
    def fill(s: Session) -> None:
        ticket(s, "07:50", "08:35", "08:36", "08:50", window=1)

    assert at("07:50").isoformat() == "2026-11-25T23:50:00+00:00"
    k = kpis(hall, fill)
    assert k.totals.tickets == 1 and [h.key for h in k.by_hour] == [7]
    assert k.served_by_hour == {8: 1} and minutes(k.wait.mean) == 45
    with hall.read() as s:
        before = compute(s, Period.day(DAY - timedelta(days=1)), now=at("18:00"))
    assert before.totals.tickets == 0


def test_a_window_paused_all_day_has_no_tickets_and_is_not_open(hall: Database) -> None:
    from db.models.hall import Window

    def fill(s: Session) -> None:
        s.get(Window, 5).paused = True  # type: ignore[union-attr]
        five_served(s)

    k = kpis(hall, fill)
    assert 5 not in {w.key for w in k.by_window}
    assert k.windows_open_by_hour == {9: 2.0}


def test_visits_per_case_and_the_one_visit_rate(hall: Database) -> None:
    def fill(s: Session) -> None:
        t1, t2, t3, t4, t5, t6 = (
            ticket(s, "09:00", "09:05", "09:06", "09:20", window=1) for _ in range(6)
        )
        notified = case_row(s, [(t1, "new")], decision="notify")
        case_row(s, [(t2, "return")], previous=notified)  # the same application, 2 visits
        case_row(s, [(t3, "new"), (t4, "supplement")], decision="accept_with_gap",
                 gap_deadline=date(2026, 11, 27), supplied=at("10:00", date(2026, 11, 30)))  # fmt: skip
        case_row(s, [(t5, "new")])
        case_row(s, [(t6, "new")], decision="accept_with_gap", gap_deadline=date(2026, 11, 27))
        rating(s, t1, 5)
        rating(s, t2, 4)
        rating(s, t3, 1)

    k = kpis(hall, fill, now="12:00", now_day=date(2026, 12, 1))
    v = k.visits
    assert (v.applications, v.settled, v.one_visit, v.visits) == (4, 4, 2, 6)
    assert v.distribution == {1: 2, 2: 2}
    assert v.one_visit_rate == 0.5 and v.per_case == 1.5
    assert (k.gaps.cases, k.gaps.overdue, k.gaps.open_overdue) == (2, 2, 1)
    r = k.ratings
    assert (r.count, r.bad, r.follow_up_pending, r.by_rating) == (3, 1, 1, {5: 1, 4: 1, 1: 1})
    assert r.mean == pytest.approx(10 / 3)
    assert k.by_matter == [("M1", "事项M1", 6)]


def test_gaps_not_yet_due_are_not_overdue(hall: Database) -> None:
    def fill(s: Session) -> None:
        t = ticket(s, "09:00", "09:05", "09:06", "09:20", window=1)
        case_row(s, [(t, "new")], decision="accept_with_gap", gap_deadline=date(2026, 11, 27))

    k = kpis(hall, fill, now="12:00", now_day=date(2026, 11, 27))
    assert (k.gaps.cases, k.gaps.overdue) == (1, 0)


def test_a_week_adds_up_its_days(hall: Database) -> None:
    def fill(s: Session) -> None:
        five_served(s)
        nxt = DAY + timedelta(days=1)
        ticket(s, "09:00", "10:00", "10:01", "10:11", window=1, day=nxt)

    k = kpis(hall, fill, Period.week(DAY))
    assert Period.week(DAY) == Period(date(2026, 11, 23), date(2026, 11, 29), "week")
    assert k.totals.tickets == 6 and k.working_days == 2
    assert minutes(k.wait.p90) == 60 and k.totals.over_target == 2
    assert k.windows_open_by_hour == {9: 1.0, 10: 0.5}


@pytest.mark.parametrize(
    ("values", "mean", "median", "p90"),
    [
        ([], None, None, None),
        ([7], 7, 7, 7),
        ([1, 2], 1.5, 1.5, 2),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 5.5, 9),
        ([10] * 9 + [100], 19, 10, 10),
    ],
)
def test_histogram(values: list[int], mean: float | None, median: float | None, p90: float | None) -> None:  # fmt: skip
    h = Histogram((v, 1) for v in values)
    assert (h.mean(), h.median(), h.percentile(0.9)) == (mean, median, p90)


def test_periods() -> None:
    from app.errors import UserError

    assert Period.month(DAY) == Period(date(2026, 11, 1), date(2026, 11, 30), "month")
    assert Period.month(date(2026, 12, 5)).end == date(2026, 12, 31)
    assert Period.of("custom", date(2026, 11, 2), date(2026, 11, 3)).days == 2
    with pytest.raises(UserError, match="晚于"):
        Period.custom(date(2026, 11, 3), date(2026, 11, 2))


@pytest.mark.parametrize(
    ("utc", "hour"),
    [
        ("2026-11-26 00:00:00", 8),  # 08:00 in the hall, on the hour
        ("2026-11-25 23:59:59.999000", 7),
        ("2026-11-25 23:50:00", 7),  # 07:50 hall time
        ("2026-11-26 15:59:59", 23),
        ("2026-11-26 16:00:00", 0),  # midnight in the hall
        ("2026-11-26 04:00:00.000001", 12),
    ],
)
def test_the_hour_in_hall_time(db: Database, utc: str, hour: int) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import literal, select

    from app.manager.sql import hour_in
    from db.base import UTCDateTime

    at = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    with db.read() as s:
        assert s.scalar(select(hour_in(literal(at, UTCDateTime()), 480))) == hour
