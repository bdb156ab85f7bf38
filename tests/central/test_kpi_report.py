"""The whole hall's report from the central store: the KPIs computed there (app.central.kpi,
the desk's own KPI code over a copy of the hall's records) equal the desk's on the same rows,
only for a manager's token; `python -m app report --central URL --token T` writes them."""

from __future__ import annotations

import csv
import dataclasses
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from app.central import admin, feed
from app.central.kpi import MODELS
from app.manager.kpi import compute
from app.manager.period import Period
from app.manager.report import central_kpis
from app.services.changes import row_payload
from app.startup import open_desk
from db.central.store import CentralStore
from tests.central.conftest import HALL, LiveServer

DAY = date(2026, 11, 27)
PERIOD = Period.custom(date(2026, 11, 25), date(2026, 11, 27))


@pytest.fixture(scope="module")
def desk_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.manager.simulate import simulate

    data = tmp_path_factory.mktemp("hall") / "data"
    simulate(data, 4, seed=3, per_day=80, last_day=DAY)
    return data


def push_all(store: CentralStore, data: Path) -> None:
    """Every row a desk's sync would push, as the hall's records."""
    setup = open_desk(data)
    try:
        with setup.database.read() as s:
            changes = []
            for entity, model in MODELS.items():
                for row in s.scalars(select(model)):
                    changes.append((entity, row.id, row_payload(row), None, None))
    finally:
        setup.database.close()
    with store.write() as s:
        feed.put_records(s, store, HALL, changes)


def test_the_hall_report_from_the_central_store_equals_the_desks(
    store: CentralStore, server: LiveServer, desk_data: Path, tmp_path: Path
) -> None:
    push_all(store, desk_data)
    token = admin.add_manager(store, HALL).token
    central, names = central_kpis(server.url, token, PERIOD)
    setup = open_desk(desk_data)
    try:
        with setup.database.read() as s:
            desk = compute(s, PERIOD)
    finally:
        setup.database.close()
    assert central.totals.tickets > 100
    assert dataclasses.asdict(central) == dataclasses.asdict(desk)
    assert (1, "综合窗口 1") in names.windows

    from app.cli import main

    out = tmp_path / "hall.csv"
    args = ["report", "--central", server.url, "--token", token, "--day", str(DAY)]
    assert main([*args, "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert max(int(r["tickets"]) for r in rows) == compute_day(desk_data)  # the hall's row


def compute_day(data: Path) -> int:
    setup = open_desk(data)
    try:
        with setup.database.read() as s:
            return compute(s, Period.day(DAY)).totals.tickets
    finally:
        setup.database.close()


def test_only_a_managers_token_of_the_hall_gets_its_kpis(
    store: CentralStore, server: LiveServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    desk = admin.add_desk(store, HALL, 1).token
    reply = httpx.get(
        f"{server.url}/v1/halls/{HALL}/kpi",
        params={"start": "2026-11-27", "end": "2026-11-27"},
        headers={"Authorization": f"Bearer {desk}"},
    )
    assert reply.status_code == 403
    from app.cli import main

    out = tmp_path / "r.csv"
    args = ["report", "--central", server.url, "--token", desk, "--day", "2026-11-27"]
    assert main([*args, "--out", str(out)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "中心库拒绝了请求" in err[0] and not out.exists()
