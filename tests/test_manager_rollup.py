"""Monthly rollups: the KPIs from stored months equal those read from every ticket (each
window's 90th percentile to the minute), months are stored once, visits only once final."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.manager.kpi import HallKpis, compute
from app.manager.period import Period
from app.manager.rollup import compute_stored, ensure_rollups, months_in
from app.startup import open_desk
from db.engine import Database
from db.models.manager import KpiRollup

PERIOD = Period.custom(date(2026, 8, 15), date(2026, 10, 31))
NOW = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.manager.simulate import simulate

    data = tmp_path_factory.mktemp("rollup") / "data"
    simulate(data, 80, seed=11, per_day=60, last_day=date(2026, 10, 31))
    return data


@pytest.fixture
def database(year: Path, tmp_path: Path) -> Iterator[Database]:
    import shutil

    shutil.copytree(year, tmp_path / "copy")
    setup = open_desk(tmp_path / "copy")
    yield setup.database
    setup.database.close()


def without_window_p90(k: HallKpis) -> dict[str, object]:
    out = dataclasses.asdict(k)
    for row in out["by_window"]:
        row["wait_p90"] = None
    return out


def test_months_in() -> None:
    assert months_in(PERIOD, date(2026, 12, 2)) == [
        (date(2026, 9, 1), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2026, 10, 31)),
    ]
    assert months_in(PERIOD, date(2026, 10, 31)) == [(date(2026, 9, 1), date(2026, 9, 30))]
    assert months_in(Period.day(date(2026, 10, 1)), date(2026, 12, 2)) == []
    assert months_in(Period.month(date(2026, 2, 3)), date(2026, 3, 1)) == [
        (date(2026, 2, 1), date(2026, 2, 28))
    ]


def test_stored_months_give_the_same_kpis(database: Database) -> None:
    with database.read() as s:
        live = compute(s, PERIOD, now=NOW)
    assert ensure_rollups(database, PERIOD, NOW) == 2
    assert ensure_rollups(database, PERIOD, NOW) == 0  # stored once
    with database.read() as s:
        stored = compute_stored(s, PERIOD, NOW)
    assert live.totals.tickets > 2000
    assert without_window_p90(stored) == without_window_p90(live)
    for a, b in zip(stored.by_window, live.by_window, strict=True):
        assert a.wait_p90 is not None and b.wait_p90 is not None
        assert b.wait_p90 - 60 < a.wait_p90 <= b.wait_p90  # by the minute


def test_visits_are_stored_once_final(database: Database) -> None:
    early = datetime(2026, 11, 15, 4, 0, tzinfo=UTC)  # October's applications not final yet
    assert ensure_rollups(database, PERIOD, early) == 2
    with database.read() as s:
        visits = {m: v for m, v in s.execute(select(KpiRollup.month_start, KpiRollup.visits))}
        on_the_15th = compute_stored(s, PERIOD, early)
        assert on_the_15th.visits == compute(s, PERIOD, now=early).visits
    assert visits[date(2026, 9, 1)] is not None and visits[date(2026, 10, 1)] is None
    assert ensure_rollups(database, PERIOD, NOW) == 1  # October again, with its visits
    with database.read() as s:
        assert s.scalar(select(func.count()).select_from(KpiRollup).where(KpiRollup.visits.is_(None))) == 0  # fmt: skip


def test_a_month_with_open_tickets_is_not_stored(database: Database) -> None:
    from db.models.queue import Ticket

    with database.write() as s:
        t = s.scalars(select(Ticket).where(Ticket.day == date(2026, 9, 15))).first()
        assert t is not None
        t.status = "waiting"
    assert ensure_rollups(database, PERIOD, NOW) == 1
    with database.read() as s:
        assert list(s.scalars(select(KpiRollup.month_start))) == [date(2026, 10, 1)]


def test_a_month_not_final_counts_again_only_the_applications_touched(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """October on 15 November: its applications' visits are stored one by one; a return visit,
    a restarted case and a decision taken since are counted again, the rest is not read."""
    from sqlalchemy import insert
    from sqlalchemy.orm import aliased

    from app.manager import kpi
    from db.ids import new_id
    from db.models.case import Case
    from db.models.queue import Visit

    early = datetime(2026, 11, 15, 4, 0, tzinfo=UTC)
    assert ensure_rollups(database, PERIOD, early) == 2
    assert ensure_rollups(database, PERIOD, early) == 0  # counted lately: not again
    with database.read() as s:
        before = compute_stored(s, PERIOD, early).visits
    october = (Case.received_day >= date(2026, 10, 1), Case.previous_case_id.is_(None))
    later = aliased(Case)
    with database.write() as s:
        first, other, restarted = s.scalars(
            select(Case).where(*october, Case.decision.in_(kpi.SETTLED)).limit(3)
        ).all()
        undecided = s.scalars(
            select(Case)
            .where(*october, Case.decision.not_in(kpi.SETTLED))
            .where(~select(later.id).where(later.previous_case_id == Case.id).exists())
        ).first()
        assert undecided is not None
        ticket = s.scalar(select(Visit.ticket_id).where(Visit.case_id == other.id))
        s.add(Visit(ticket_id=ticket, case_id=first.id, purpose="return"))
        row = dict(s.execute(select(kpi.C).where(kpi.C.c.id == restarted.id)).mappings().one())
        row.update(id=new_id(), case_no=row["case_no"] + "R", previous_case_id=restarted.id,
                   decision="reject", ticket_id=None)  # fmt: skip
        s.execute(insert(kpi.C), [row])
        s.add(Visit(ticket_id=ticket, case_id=row["id"], purpose="return"))
        undecided.decision = "accept"

    def only_before_september(conn: object, start: date, *args: object) -> object:
        assert start < date(2026, 9, 1), "a stored month's visits counted in full"
        return visit_counts(conn, start, *args)  # type: ignore[arg-type]

    visit_counts = kpi.visit_counts
    with database.read() as s:
        live = compute(s, PERIOD, now=early).visits
        monkeypatch.setattr(kpi, "visit_counts", only_before_september)
        after = compute_stored(s, PERIOD, early).visits
    assert after == live
    assert after != before
    assert after.visits == before.visits + 2 and after.settled == before.settled + 1


def test_a_month_not_final_is_counted_again_after_an_hour(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.manager import rollup
    from db.base import utcnow

    early = datetime(2026, 11, 15, 4, 0, tzinfo=UTC)
    assert ensure_rollups(database, PERIOD, early) == 2
    later = utcnow() + rollup.RECOUNT_AFTER + timedelta(minutes=1)
    monkeypatch.setattr(rollup, "utcnow", lambda: later)
    assert ensure_rollups(database, PERIOD, early) == 1  # October; September is final
    with database.read() as s:
        assert s.scalar(select(KpiRollup.visits_as_of).where(KpiRollup.month_start == date(2026, 10, 1))) == later  # fmt: skip
        # A clock gone back before the count: October's visits counted in full, the same.
        monkeypatch.setattr(rollup, "utcnow", lambda: later - timedelta(days=1))
        assert compute_stored(s, PERIOD, early).visits == compute(s, PERIOD, now=early).visits
