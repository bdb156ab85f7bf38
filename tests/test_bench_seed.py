"""The bench's seeded desk: the cases it says, of every kind, and a desk that opens on it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.bench.seed import applicant_of, seed_desk, seeded_desk
from app.services.case_queries import list_cases
from app.startup import open_desk
from db.engine import DB_FILE_NAME


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path / DB_FILE_NAME) as conn:
        return int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def test_seed_desk_has_the_cases_of_every_kind_and_opens(tmp_path: Path) -> None:
    data = seed_desk(tmp_path / "data", cases=2000, matters=0)
    # 2000 copies, plus the four template cases saved through the services.
    assert _count(data, "case") == 2004
    for table in ("case_matter", "case_material", "document", "event", "outbox"):
        assert _count(data, table) >= 2004, table
    with sqlite3.connect(data / DB_FILE_NAME) as conn:
        statuses = {r[0] for r in conn.execute('SELECT DISTINCT status FROM "case"')}
        days = conn.execute('SELECT count(DISTINCT received_day) FROM "case"').fetchone()[0]
        names = conn.execute('SELECT count(DISTINCT applicant_id_number) FROM "case"').fetchone()
        overdue = conn.execute(
            "SELECT count(*) FROM case_material WHERE gap_deadline < date('now')"
        ).fetchone()[0]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert {"accepted", "accepted_with_gap", "notified", "rejected", "delivered"} <= statuses
    assert days == 10  # 200 a day
    assert names[0] == 2004
    assert overdue > 0
    assert mode == "wal"
    setup = open_desk(data)
    try:
        with setup.database.read() as s:
            cases = list_cases(s, today=max_day(data))
        assert cases
    finally:
        setup.database.close()


def max_day(data: Path):
    from datetime import date

    with sqlite3.connect(data / DB_FILE_NAME) as conn:
        return date.fromisoformat(
            conn.execute('SELECT max(received_day) FROM "case"').fetchone()[0]
        )


def test_applicants_are_distinct() -> None:
    seen = [applicant_of(i) for i in range(5000)]
    assert len({s[0] for s in seen}) == 5000
    assert len({s[1] for s in seen}) == 5000
    assert len({s[2] for s in seen}) == 5000


def test_seeded_desk_is_cached(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ONEWINDOW_BENCH_CACHE", str(tmp_path / "cache"))
    first = seeded_desk(tmp_path / "a", cases=50, matters=0)
    (first / "marker").write_text("")
    second = seeded_desk(tmp_path / "b", cases=50, matters=0)
    assert _count(second, "case") == 54
    assert not (second / "marker").exists()
    assert len(list((tmp_path / "cache").iterdir())) == 1


def test_db_growth_bench_saves_through_the_services(tmp_path: Path, monkeypatch) -> None:
    from app.bench import bench_db_growth, run_benchmarks

    monkeypatch.setenv("ONEWINDOW_BENCH_CACHE", str(tmp_path / "cache"))
    result = bench_db_growth(cases=5)
    assert result["db_bytes_per_case"] > 0
    # --only by a group's name runs that group alone (startup is not startup_100k).
    ran: list[str] = []

    def group(name: str) -> Callable[[], dict[str, float]]:
        def run() -> dict[str, float]:
            ran.append(name)
            return {}

        return run

    monkeypatch.setattr("app.bench.BENCHMARKS", {n: group(n) for n in ("startup", "startup_100k")})
    run_benchmarks("startup")
    assert ran == ["startup"]


def test_case_desk_bench_saves_refreshes_and_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import func, select

    from app.bench import bench_case_desk

    monkeypatch.setenv("ONEWINDOW_BENCH_CACHE", str(tmp_path / "cache"))
    result = bench_case_desk(cases=400, matters=0, runs=3)
    assert set(result) == {"save_refresh_ms", "case_find_p95_ms"}
    assert all(value > 0 for value in result.values())
    # The seeded desk in the cache is untouched: the bench saved into its own copy.
    (cached,) = (tmp_path / "cache").glob("v*-c400-m0-*")
    from db.engine import open_database
    from db.models.case import Case

    database = open_database(cached / "data" / "onewindow.sqlite3")
    try:
        with database.read() as s:
            assert s.scalar(select(func.count()).select_from(Case)) == 400 + 4
    finally:
        database.close()
