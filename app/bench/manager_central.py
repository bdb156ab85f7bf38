"""The whole hall's KPIs from the central store: `kpi_central_month_ms`, one month of the
simulated demo hall (the last month of app/bench/manager.py's cached year, about 55,000
tickets with their visits, cases and ratings) pushed to a central store as the hall's records,
then the manager's KPI request end to end (`GET /v1/halls/{hall}/kpi` to a real server in a
process of its own, and the KPIs finished on the client, app.manager.report.central_kpis).

- `mirror_catch_up_month_s`: the hall's mirror brought up to the month of records, as
  `central mirror --hall CODE` (and `central serve`'s follower) does it, in small transactions
  (app.central.mirror_follow), with `mirror_catch_up_records_per_s`;
- `kpi_central_month_first_ms`: the first request after it;
- `kpi_central_month_ms`: a later request (median), as every view after the first.

On PostgreSQL when its binaries are installed (`kpi_central_on_postgresql` says which)."""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from app.bench.manager import YEAR_LAST_DAY, YEAR_PER_DAY, year_desk

RUNS = 5
#: Records per write transaction while the month is loaded.
LOAD_CHUNK = 5000


def month_records(data: Path, start: date, end: date) -> list[tuple[str, str, object]]:
    """(entity, id, state) of the month's tickets, their visits and ratings, and the cases
    received in the month with their matters and materials, as a desk pushes them."""
    from sqlalchemy import select

    from app.services.changes import row_payload
    from db.engine import DB_FILE_NAME, open_database
    from db.models.case import Case, CaseMaterial, CaseMatter
    from db.models.queue import Evaluation, Ticket, Visit

    database = open_database(data / DB_FILE_NAME)
    out: list[tuple[str, str, object]] = []
    try:
        with database.read() as s:
            tickets = select(Ticket.id).where(Ticket.day >= start, Ticket.day <= end)
            cases = select(Case.id).where(Case.received_day >= start, Case.received_day <= end)
            queries = [
                ("ticket", select(Ticket).where(Ticket.day >= start, Ticket.day <= end)),
                ("visit", select(Visit).where(Visit.ticket_id.in_(tickets))),
                ("evaluation", select(Evaluation).where(Evaluation.ticket_id.in_(tickets))),
                ("case", select(Case).where(Case.id.in_(cases))),
                ("case_matter", select(CaseMatter).where(CaseMatter.case_id.in_(cases))),
                ("case_material", select(CaseMaterial).where(CaseMaterial.case_id.in_(cases))),
            ]
            for entity, query in queries:
                for row in s.scalars(query):
                    state = row_payload(row)
                    out.append((entity, str(state["id"]), state))
    finally:
        database.close()
    return out


def bench_kpi_central(
    runs: int = RUNS, days: int = 365, per_day: int = YEAR_PER_DAY
) -> dict[str, float]:
    from app.bench.central import _hall_file, _serve, _store_url
    from app.central import admin, feed
    from app.manager.period import Period
    from app.manager.report import central_kpis
    from app.sync.client import CentralClient
    from db.central.store import open_central

    period = Period.custom(YEAR_LAST_DAY.replace(day=1), YEAR_LAST_DAY)
    records = month_records(year_desk(days, per_day), period.start, period.end)
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="onewindow-kpi-central-") as name:
        tmp = Path(name)
        with _store_url(tmp) as (url, kind):
            results["kpi_central_on_postgresql"] = 1.0 if kind == "postgresql" else 0.0
            store = open_central(url)
            try:
                hall, _ = admin.add_hall(store, _hall_file(tmp))
                token = admin.add_manager(store, hall).token
                for i in range(0, len(records), LOAD_CHUNK):
                    with store.write() as s:
                        feed.put_records(
                            s, store, hall,
                            [(e, i_, st, None, None) for e, i_, st in records[i : i + LOAD_CHUNK]],
                        )  # fmt: skip
                # The mirror's first catch-up, off the request path (a request this far behind
                # is told the figures are being prepared).
                from app.central.mirror import catch_up
                from app.central.mirror_follow import page_size

                start = time.perf_counter()
                copied = catch_up(store, hall, page_size(store))
                took = time.perf_counter() - start
                results["mirror_catch_up_month_s"] = took
                results["mirror_catch_up_records_per_s"] = copied / took if took else 0.0
                with _serve(url, kind) as base:
                    patient = CentralClient(base, token, attempts=1, timeout_s=1800.0)
                    start = time.perf_counter()
                    first = patient.hall_kpi(period.start.isoformat(), period.end.isoformat())
                    results["kpi_central_month_first_ms"] = (time.perf_counter() - start) * 1000
                    patient.close()
                    times = []
                    for _ in range(runs):
                        start = time.perf_counter()
                        k, _names = central_kpis(base, token, period)
                        times.append(time.perf_counter() - start)
                    assert (
                        k.totals.tickets
                        == sum(v[0] for _k, v in first["parts"]["tallies"]["window"])
                        > 0
                    )
                    results["kpi_central_month_ms"] = statistics.median(times) * 1000
                    results["kpi_central_month_tickets"] = float(k.totals.tickets)
            finally:
                store.close()
    return results
