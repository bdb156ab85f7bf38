"""The KPI SQL on PostgreSQL (the central store's database): the same hand-made data gives the
same figures as on SQLite. A throwaway server is started for the module (as the `postgres`
user when run as root); without PostgreSQL's binaries the module is skipped, saying so."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

import db.models  # noqa: F401
from app.manager.kpi import HallKpis, compute
from app.manager.period import Period
from app.services.hall import ensure_demo_hall
from db.base import Base
from db.engine import Database
from tests.manager_data import DAY, at, case_row, rating, ticket
from tests.test_manager_kpi import five_served


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def pg_engine() -> Iterator[Engine]:
    if shutil.which("initdb") is None or shutil.which("pg_ctl") is None:
        pytest.skip("SKIPPED LOUDLY: PostgreSQL binaries (initdb, pg_ctl) not found")
    user = pwd.getpwnam("postgres") if os.getuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="onewindow-kpi-pg-"))
    if user is not None:
        os.chown(root, user.pw_uid, user.pw_gid)

    def demote() -> None:
        if user is not None:
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)

    def run(*args: str) -> None:
        subprocess.run(args, preexec_fn=demote, check=True, capture_output=True, cwd=root)

    port = _free_port()
    data = root / "data"
    run("initdb", "-D", str(data), "-U", "kpi", "--auth=trust", "-E", "UTF8")
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    run("pg_ctl", "-D", str(data), "-o", options, "-w", "-l", str(root / "log"), "start")
    engine = create_engine(f"postgresql+psycopg://kpi@127.0.0.1:{port}/postgres")
    try:
        Base.metadata.create_all(engine)
        yield engine
    finally:
        engine.dispose()
        run("pg_ctl", "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


def fill(s: Session) -> None:
    ensure_demo_hall(s)
    five_served(s)
    ticket(s, "07:50", "08:35", "08:36", "08:50", window=1)  # 23:50 UTC the day before
    ticket(s, "10:00", "10:10", None, "17:30", window=1, passed=True, status="closed")
    ticket(s, "16:00", None, None, "17:30")
    t = ticket(s, "09:00", "09:10", "09:30", "09:40", window=3, line="BDC", from_line="QY")
    notified = case_row(s, [(t, "new")], decision="notify")
    t2 = ticket(s, "11:00", "11:05", "11:06", "11:20", window=2)
    case_row(s, [(t2, "return")], previous=notified, matter="M2")
    t3 = ticket(s, "11:00", "11:05", "11:06", "11:20", window=2)
    case_row(s, [(t3, "new")], decision="accept_with_gap", gap_deadline=date(2026, 11, 27))
    rating(s, t2, 5)
    rating(s, t3, 1)
    for supplied in (at("23:59", date(2026, 11, 27)), at("00:00", date(2026, 11, 28))):
        t4 = ticket(s, "11:00", "11:05", "11:06", "11:20", window=2)
        case_row(s, [(t4, "new")], decision="accept_with_gap", gap_deadline=date(2026, 11, 27),
                 supplied=supplied)  # fmt: skip


def figures(k: HallKpis) -> tuple[object, ...]:
    return (
        k.totals, k.wait, k.walk, k.service, k.by_window, k.by_clerk, k.by_line, k.by_hour,
        k.by_matter, k.served_by_hour, k.windows_open_by_hour, k.wait_bins, k.gaps, k.ratings,
        k.visits, k.working_days,
    )  # fmt: skip


def test_postgres_gives_the_same_figures_as_sqlite(pg_engine: Engine, db: Database) -> None:
    with sessionmaker(pg_engine).begin() as s:
        fill(s)
    with db.write() as s:
        fill(s)
    now = at("12:00", date(2026, 12, 1))
    with sessionmaker(pg_engine)() as s:
        on_pg = compute(s, Period.day(DAY), now=now)
    with db.read() as s:
        on_sqlite = compute(s, Period.day(DAY), now=now)
    assert on_pg.totals.tickets == 13 and on_pg.visits.applications == 4
    # Supplied on the deadline's last minute: in time; a minute later (hall time): late.
    assert (on_pg.gaps.cases, on_pg.gaps.overdue, on_pg.gaps.open_overdue) == (3, 2, 1)
    assert [h.key for h in on_pg.by_hour] == [7, 9, 10, 11, 16]
    assert figures(on_pg) == figures(on_sqlite)
