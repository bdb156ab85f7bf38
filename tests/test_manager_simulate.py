"""`simulate`: a deterministic, realistic synthetic period; refusals that change nothing."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from app.errors import UserError
from app.manager.simulate import simulate

LAST = date(2026, 10, 16)  # a Friday; the Saturday 10 October 2026 is a make-up workday


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("sim") / "data"
    done = simulate(data, 14, seed=7, per_day=300, last_day=LAST)
    assert (done.first_day, done.last_day) == (date(2026, 10, 3), LAST)
    # 3–7 October is the National Day holiday: the 8th, 9th, the working 10th, 12–16 remain.
    assert done.working_days == 8
    return data


def rows(data: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(data / "onewindow.sqlite3")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_days_follow_the_calendar_and_the_weekdays(simulated: Path) -> None:
    per_day = dict(rows(simulated, "SELECT day, count(*) FROM ticket GROUP BY day"))
    assert sorted(per_day) == [
        "2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13", "2026-10-14", "2026-10-15",
        "2026-10-16",
    ]  # fmt: skip
    assert all(200 < n < 500 for n in per_day.values())
    assert per_day["2026-10-12"] > per_day["2026-10-16"]  # Monday heavy, Friday light


def test_arrivals_follow_the_hours(simulated: Path) -> None:
    by_hour = dict(
        rows(
            simulated,
            "SELECT CAST(strftime('%H', issued_at, '+480 minutes') AS INTEGER), count(*) "
            "FROM ticket GROUP BY 1",
        )
    )
    assert min(by_hour) == 8 and max(by_hour) == 16
    assert by_hour[9] > 2 * by_hour[12] and by_hour[14] > by_hour[12]


def test_the_period_has_every_kind_of_event(simulated: Path) -> None:
    def one(sql: str) -> int:
        return int(rows(simulated, sql)[0][0])

    tickets = one("SELECT count(*) FROM ticket")
    assert 0.01 < one("SELECT count(*) FROM ticket WHERE passed_reason IS NOT NULL") / tickets < 0.1
    assert one("SELECT count(*) FROM ticket WHERE transferred_from_line IS NOT NULL") > 0
    assert one("SELECT count(*) FROM ticket WHERE kind = 'priority'") > 0
    assert one("SELECT count(*) FROM ticket WHERE kind = 'appointment'") > 0
    purposes = dict(rows(simulated, "SELECT purpose, count(*) FROM visit GROUP BY purpose"))
    assert set(purposes) == {"new", "return", "supplement"}
    assert one("SELECT count(*) FROM \"case\" WHERE decision = 'accept_with_gap'") > 0
    assert one("SELECT count(*) FROM case_material WHERE gap_deadline IS NOT NULL") > 0
    assert one('SELECT count(*) FROM "case" WHERE previous_case_id IS NOT NULL') > 0
    assert one("SELECT count(*) FROM evaluation WHERE follow_up_needed") > 0
    assert one("SELECT count(*) FROM ticket WHERE status NOT IN ('done', 'closed')") == 0
    # Returning applicants come back with the ID number of their first visit.
    assert one(
        'SELECT count(*) FROM "case" c JOIN "case" p ON p.id = c.previous_case_id '
        "WHERE p.applicant_id_number = c.applicant_id_number"
    ) == one('SELECT count(*) FROM "case" WHERE previous_case_id IS NOT NULL')
    assert one("SELECT count(*) FROM outbox") < 200  # simulated rows are never synced


def test_service_times_are_skewed_like_a_log_normal(simulated: Path) -> None:
    services = sorted(
        s for (s,) in rows(
            simulated,
            "SELECT (julianday(ended_at) - julianday(service_started_at)) * 1440 FROM ticket "
            "WHERE status = 'done'",
        )
    )  # fmt: skip
    median = services[len(services) // 2]
    mean = sum(services) / len(services)
    assert 4 < median < 12 and mean > median and services[-1] > 3 * median


def test_the_same_seed_writes_the_same_rows(simulated: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    simulate(again, 14, seed=7, per_day=300, last_day=LAST)
    sql = "SELECT * FROM ticket ORDER BY id"
    assert rows(again, sql) == rows(simulated, sql)
    other = tmp_path / "other"
    simulate(other, 14, seed=8, per_day=300, last_day=LAST)
    assert rows(other, sql) != rows(simulated, sql)


def test_a_period_already_written_is_refused_unchanged(simulated: Path) -> None:
    before = rows(simulated, "SELECT count(*) FROM ticket")
    with pytest.raises(UserError, match="已有取号"):
        simulate(simulated, 3, seed=9, per_day=300, last_day=LAST)
    assert rows(simulated, "SELECT count(*) FROM ticket") == before


@pytest.mark.parametrize(("days", "per_day"), [(0, 100), (-3, 100), (99999, 100), (3, 0)])
def test_bad_sizes_are_refused(tmp_path: Path, days: int, per_day: int) -> None:
    with pytest.raises(UserError):
        simulate(tmp_path / "d", days, per_day=per_day, last_day=LAST)
    assert not (tmp_path / "d").exists()
