"""The hall's mirror on the central store (app.central.mirror): it follows the record feed,
whatever wrote the records, in steps (only what changed since the last catch-up), a record
without state removes its row, and the KPIs computed on it equal the desk's after each step."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.central import feed
from app.central.kpi import hall_kpi_parts
from app.central.mirror import catch_up
from app.manager.kpi import Gaps, HallKpis, compute, finish
from app.manager.parts import Parts
from app.manager.period import Period
from app.services.changes import row_payload
from app.startup import open_desk
from db.central.models import MirrorTicket
from db.central.store import CentralStore
from db.models.queue import Ticket
from tests.central.conftest import HALL
from tests.central.test_kpi_report import DAY, PERIOD, push_all


@pytest.fixture(scope="module")
def desk_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.manager.simulate import simulate

    data = tmp_path_factory.mktemp("mirror") / "data"
    simulate(data, 3, seed=5, per_day=60, last_day=DAY)
    return data


def central(store: CentralStore) -> HallKpis:
    data = hall_kpi_parts(store, HALL, PERIOD)
    visits = {(int(v), int(st)): int(n) for v, st, n in data["visits"]}
    gaps = Gaps(*(int(x) for x in data["gaps"]))
    return finish(
        PERIOD, int(data["target_wait_min"]), Parts.from_json(data["parts"]), visits, gaps
    )


def desk(data: Path) -> HallKpis:
    setup = open_desk(data)
    try:
        with setup.database.read() as s:
            return compute(s, PERIOD)
    finally:
        setup.database.close()


def test_the_mirror_follows_the_feed_step_by_step(store: CentralStore, desk_data: Path) -> None:
    push_all(store, desk_data)
    first = central(store)
    assert first.totals.tickets > 50
    assert dataclasses.asdict(first) == dataclasses.asdict(desk(desk_data))
    assert catch_up(store, HALL) == 0  # nothing new: nothing read again

    # One ticket changes (a no-show) and another disappears from the feed's point of view.
    setup = open_desk(desk_data)
    try:
        with setup.database.read() as s:
            done = s.scalars(
                select(Ticket).where(Ticket.status == "done", Ticket.day == DAY).limit(2)
            ).all()
            changed, dropped = row_payload(done[0]), row_payload(done[1])
    finally:
        setup.database.close()
    changed.update(status="passed", passed_reason="no_show", service_started_at=None, ended_at=None)
    with store.write() as s:
        feed.put_records(
            s, store, HALL, [("ticket", changed["id"], changed, None, None),
                             ("ticket", dropped["id"], None, None, None)],
        )  # fmt: skip
    assert catch_up(store, HALL) == 2
    with store.session() as s:
        assert s.get(MirrorTicket, (HALL, dropped["id"])) is None
        assert s.get(MirrorTicket, (HALL, changed["id"])).status == "passed"  # type: ignore[union-attr]
        assert s.scalar(select(func.count()).select_from(MirrorTicket)) == first.totals.tickets - 1
    after = central(store)
    assert after.totals.tickets == first.totals.tickets - 1
    assert after.totals.no_show == first.totals.no_show + 1
    assert after.totals.served == first.totals.served - 2


def test_a_record_that_is_not_a_row_is_left_out(store: CentralStore) -> None:
    """A desk's record is any JSON object: a value that does not fit its column leaves that
    row out (and never stops the mirror: the good row after them is mirrored)."""
    good = {
        "id": "01JGOODGOODGOODGOODGOODGOO", "number": "A001", "line_code": "QY",
        "day": "2026-11-27", "status": "waiting", "issued_at": "2026-11-27T01:00:00+00:00",
    }  # fmt: skip
    bad: list[dict[str, object]] = [
        {**good, "day": "not a day"},
        {**good, "issued_at": None},  # no issue time
        {**good, "number": "A" * 50},  # longer than the column
        {**good, "window_number": "three"},
        {**good, "window_number": 2**40},
        {**good, "clerk_id": "BC\x000101"},
        {**good, "called_at": 5},
        {"line_code": "QY"},
    ]
    records: list[feed.RecordChange] = [("ticket", f"01JBAD{i:020d}", {**b, "id": f"01JBAD{i:020d}"}, None, None)
               for i, b in enumerate(bad)]  # fmt: skip
    records.append(("ticket", "x", "not an object", None, None))
    records.append(("ticket", good["id"], good, None, None))
    with store.write() as s:
        feed.put_records(s, store, HALL, records)
    assert catch_up(store, HALL) == len(records)
    with store.session() as s:
        assert s.scalars(select(MirrorTicket.id)).all() == [good["id"]]
    assert central(store).totals.tickets == 1


def test_a_day_of_kpis_reads_that_day_only(store: CentralStore, desk_data: Path) -> None:
    push_all(store, desk_data)
    one = Period.day(DAY)
    data = hall_kpi_parts(store, HALL, one)
    assert data["start"] == data["end"] == str(date(2026, 11, 27))
    day_tickets = sum(values[0] for _key, values in data["parts"]["tallies"]["window"])
    assert 0 < day_tickets < desk(desk_data).totals.tickets
