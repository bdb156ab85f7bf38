"""The manager's numbers: `kpi_year_ms`, every KPI (and the tables and staffing advice built
from them) for one simulated year of about 700,000 tickets; `live_refresh_ms`, one refresh of
the live hall on that desk with a busy morning in today's queue.

The year is simulated once (app/manager/simulate.py, fixed seed and dates) and kept in the
bench cache like app/bench/seed.py's desks; the measurements only read it (today's queue is
written inside a transaction that is rolled back), so it is used in place, not copied.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from pathlib import Path
from typing import Any

#: Bump when the simulation's shape changes.
YEAR_VERSION = 1
YEAR_LAST_DAY = date(2026, 11, 30)
YEAR_PER_DAY = 2400  # ~250 working days: ~700,000 tickets with the returns and supplements


def year_desk(days: int = 365, per_day: int = YEAR_PER_DAY) -> Path:
    """The cached data directory of a simulated year (simulated first if missing)."""
    import hashlib

    from app.bench.seed import cache_dir
    from app.manager import simulate as simulation

    # Keyed by the simulation's source, not the schema: opening the cached desk upgrades it
    # (db.engine.open_database runs the migrations), so a new index or column does not cost
    # another twenty minutes of simulation.
    source = hashlib.sha256(Path(simulation.__file__).read_bytes()).hexdigest()[:12]
    key = f"manager-v{YEAR_VERSION}-d{days}-p{per_day}-{source}"
    cached = cache_dir() / key
    if not (cached / "done").exists():
        building = cache_dir() / f"{key}.building-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        simulation.simulate(
            building / "data", days, seed=1, per_day=per_day, last_day=YEAR_LAST_DAY
        )
        (building / "done").write_text("")
        try:
            building.rename(cached)
        except OSError:  # another run finished first
            shutil.rmtree(building, ignore_errors=True)
    return cached / "data"


def bench_manager(runs: int = 5, days: int = 365, per_day: int = YEAR_PER_DAY) -> dict[str, float]:
    from sqlalchemy import delete, func, select

    from app.clock import HALL_TZ
    from app.manager.live import live
    from app.manager.period import Period
    from app.manager.report import hall_names
    from app.manager.rollup import compute_stored, ensure_rollups
    from app.manager.staffing import advice
    from app.manager.tables import all_tables
    from db.engine import DB_FILE_NAME, open_database
    from db.models.manager import KpiRollup, KpiRollupRoot
    from db.models.queue import Ticket

    data = year_desk(days, per_day)
    database = open_database(data / DB_FILE_NAME)
    try:
        period = Period.custom(YEAR_LAST_DAY - timedelta(days=days - 1), YEAR_LAST_DAY)
        now = datetime.combine(YEAR_LAST_DAY + timedelta(days=2), time_of_day(10, 30), HALL_TZ)
        # The monthly rollups (derived data) are built again each run: how long a year's
        # first view takes; then every KPI from them, as every later view.
        database.run_write(
            lambda s: (s.execute(delete(KpiRollup)), s.execute(delete(KpiRollupRoot)))
        )
        start = time.perf_counter()
        ensure_rollups(database, period, now)
        cold = time.perf_counter() - start
        times: list[float] = []
        tickets = 0
        for _ in range(runs):
            start = time.perf_counter()
            with database.read() as s:
                k = compute_stored(s, period, now)
                names = hall_names(s)
            advice(k)
            all_tables(k, names.windows, names.clerks, names.lines)
            times.append(time.perf_counter() - start)
            tickets = k.totals.tickets
        # Live: today's queue written in a transaction that is rolled back.
        now = datetime.combine(YEAR_LAST_DAY + timedelta(days=1), time_of_day(10, 30), HALL_TZ)
        live_times: list[float] = []
        with database.session() as s:
            _today_queue(s, now)
            s.flush()
            assert s.scalar(
                select(func.count()).select_from(Ticket).where(Ticket.day == now.date())
            )
            for _ in range(runs * 4):
                start = time.perf_counter()
                live(s, now)
                live_times.append(time.perf_counter() - start)
            s.rollback()
    finally:
        database.close()
    return {
        "kpi_year_ms": statistics.median(times) * 1000,
        "kpi_year_rollup_build_ms": cold * 1000,
        "kpi_year_tickets": float(tickets),
        "live_refresh_ms": statistics.median(live_times) * 1000,
    }


def _today_queue(s: Any, now: Any) -> None:
    """A busy morning in today's queue: ~450 tickets done, one in service at most windows,
    ~60 waiting across the lines."""
    import random

    from sqlalchemy import select

    from db.models.hall import Line, Window
    from db.models.queue import Ticket

    rng = random.Random(5)
    lines = list(s.scalars(select(Line.code)))
    windows = list(s.scalars(select(Window.number)))
    day = now.astimezone(now.tzinfo).date()
    opened = now.replace(hour=8, minute=0)
    for i in range(520):
        issued = opened + timedelta(seconds=i * 17)
        kind = "done" if i < 450 else "serving" if i < 460 else "waiting"
        t = Ticket(
            number=f"Z{i:03d}", line_code=rng.choice(lines), day=day, seq=i, status=kind,
            issued_at=issued, order_key=int(issued.timestamp() * 1e6),
        )  # fmt: skip
        if kind != "waiting":
            w = windows[i % len(windows)]
            t.window_number, t.called_at = w, issued + timedelta(minutes=10)
            t.service_started_at = issued + timedelta(minutes=11)
            t.clerk_id = None
            if kind == "done":
                t.ended_at = issued + timedelta(minutes=20)
        s.add(t)
