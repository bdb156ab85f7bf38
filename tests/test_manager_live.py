"""The live hall: window states, waiting per line, alerts."""

from __future__ import annotations

import pytest

from app.manager.live import Alert, live
from app.services.hall import ensure_demo_hall, set_desk
from db.engine import Database
from db.models.hall import Window
from tests.manager_data import at, ticket


@pytest.fixture
def hall(db: Database) -> Database:
    with db.write() as s:
        ensure_demo_hall(s)
        set_desk(s, 7, "BC0103")
        s.get(Window, 5).paused = True  # type: ignore[union-attr]
        ticket(s, "09:30", "09:50", "09:52", window=1, clerk="BC0101", status="serving")
        ticket(s, "09:00", "09:10", "09:12", "09:40", window=2, clerk="BC0102")
        ticket(s, "09:00", "09:30", "09:31", "09:58", window=4, clerk="BC0101", line="BDC")
        ticket(s, "09:20", line="QY")  # waiting 40 minutes at 10:00
        ticket(s, "09:55", line="SB")
    return db


def test_windows_lines_and_alerts(hall: Database) -> None:
    with hall.read() as s:
        now = live(s, at("10:00"))
    by = {w.number: w for w in now.windows}
    assert {n: w.state for n, w in by.items()} == {
        1: "serving",
        2: "idle",
        3: "offline",
        4: "idle",
        5: "paused",
        6: "offline",
        7: "idle",
    }
    w1 = by[1]
    assert (w1.ticket_status, w1.in_service_s, w1.clerk_name) == ("serving", 8 * 60, "李晓梅")
    assert w1.ticket is not None and w1.ticket.startswith("A")
    assert by[2].idle_s == 20 * 60 and by[4].idle_s == 2 * 60
    assert by[7].clerk_id == "BC0103" and by[7].idle_s is None
    lines = {ln.code: ln for ln in now.lines}
    assert (lines["QY"].waiting, lines["QY"].longest_wait_s) == (1, 40 * 60)
    assert (lines["SB"].waiting, lines["SB"].longest_wait_s) == (1, 5 * 60)
    assert (lines["BDC"].waiting, lines["BDC"].longest_wait_s) == (0, None)
    assert now.waiting == 2
    # Window 2 (QY, ZH) idle 20 minutes while QY waits; window 4 (BDC, SB) idle only 2; window
    # 7, this desk's, has done nothing today while its lines wait.
    assert now.alerts == [
        Alert("wait_over_target", line="QY", minutes=40),
        Alert("idle_while_waiting", window=2, minutes=20),
        Alert("idle_while_waiting", window=7, minutes=0),
    ]


def test_a_quiet_hall_has_no_alerts(db: Database) -> None:
    with db.write() as s:
        ensure_demo_hall(s)
    with db.read() as s:
        now = live(s, at("10:00"))
    assert now.alerts == [] and now.waiting == 0
    assert {w.state for w in now.windows} == {"offline"}


def test_the_target_comes_from_the_hall(hall: Database) -> None:
    from db.models.hall import Hall

    with hall.write() as s:
        s.get(Hall, 1).target_wait_minutes = 60  # type: ignore[union-attr]
    with hall.read() as s:
        now = live(s, at("10:00"))
    assert now.target_wait_min == 60
    assert [a.kind for a in now.alerts] == ["idle_while_waiting", "idle_while_waiting"]
