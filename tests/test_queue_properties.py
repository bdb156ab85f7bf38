"""Invariants of the queue under any sequence of actions: no ticket is ever called by two
windows, a refused action changes nothing, and after the day's end every ticket issued has
ended in exactly one final state. Also: concurrent desks never call the same ticket, and the
offline number space never meets the shared one."""

from __future__ import annotations

import re
import threading
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.errors import UserError
from app.queue.backend import LocalQueue
from db.ids import new_id
from db.models.queue import Ticket
from db.models.sync import Event
from tests.test_queue_support import (
    KIOSK,
    MANAGER,
    Clock,
    ctx,
    file_sessions,
    memory_sessions,
    seed_hall,
)

WINDOWS = (1, 2, 3, 5)
LINES = ("A", "B", "C")
TERMINAL_EVENTS = ("ticket.service_ended", "ticket.closed")


def snapshot(sessions: sessionmaker[Session]) -> list[tuple[Any, ...]]:
    with sessions() as s:
        return [
            (
                t.id,
                t.status,
                t.window_number,
                t.line_code,
                t.call_count,
                t.order_key,
                t.target_window,
            )
            for t in s.scalars(select(Ticket).order_by(Ticket.id))
        ]


class QueueMachine(RuleBasedStateMachine):
    hall: ClassVar[dict[str, Any]] = {"policy": "every_n", "every_n": 2, "keeps_place": True}

    def __init__(self) -> None:
        super().__init__()
        self.sessions = memory_sessions()
        seed_hall(self.sessions, **self.hall)
        self.clock = Clock()
        self.queue = LocalQueue(self.sessions, clock=self.clock)

    def tickets(self) -> list[Ticket]:
        with self.sessions() as s:
            return list(s.scalars(select(Ticket).order_by(Ticket.id)))

    def attempt(self, action: Any) -> Any:
        """Run an action; if it is refused, nothing may have changed."""
        before = snapshot(self.sessions)
        try:
            return action()
        except UserError:
            assert snapshot(self.sessions) == before
            return None

    def held_by(self, window: int) -> Ticket | None:
        held = [
            t
            for t in self.tickets()
            if t.window_number == window and t.status in ("called", "serving")
        ]
        return held[0] if held else None

    @rule(
        line=st.sampled_from(LINES),
        kind=st.sampled_from(["normal", "priority", "appointment"]),
        id_number=st.sampled_from([None, "220802198001011232", "22080219900202104X"]),
    )
    def issue(self, line: str, kind: str, id_number: str | None) -> None:
        group = "elderly" if kind == "priority" else None
        self.attempt(lambda: self.queue.issue_ticket(KIOSK, line, kind, group, id_number))

    @rule(window=st.sampled_from(WINDOWS))
    def call_next(self, window: int) -> None:
        before = {t.id: t.status for t in self.tickets()}
        result = self.attempt(lambda: self.queue.call_next(ctx(window), new_id()))
        if result is not None and result.ticket is not None:
            # Only a waiting ticket can be called: never one another window holds.
            assert before[result.ticket.id] == "waiting"
            assert result.ticket.window_number == window

    @rule(window=st.sampled_from(WINDOWS), pick=st.integers(0, 30))
    def call_specific(self, window: int, pick: int) -> None:
        tickets = self.tickets()
        if not tickets:
            return
        target = tickets[pick % len(tickets)]
        result = self.attempt(lambda: self.queue.call_ticket(ctx(window), target.id))
        if result is not None:
            assert target.status in ("waiting", "passed")

    @rule(
        window=st.sampled_from(WINDOWS),
        action=st.sampled_from(["recall", "start", "no_show", "end", "to_line", "to_window"]),
    )
    def act_on_current(self, window: int, action: str) -> None:
        # Also tried on other windows' tickets: those attempts must be refused.
        tickets = [t for t in self.tickets() if t.status in ("called", "serving")]
        held = self.held_by(window)
        target = held or (tickets[0] if tickets else None)
        if target is None:
            return
        c = ctx(window)
        actions = {
            "recall": lambda: self.queue.recall(c, target.id),
            "start": lambda: self.queue.start_service(c, target.id),
            "no_show": lambda: self.queue.mark_no_show(c, target.id, "未到"),
            "end": lambda: self.queue.end_service(c, target.id),
            "to_line": lambda: self.queue.transfer(c, target.id, to_line="B"),
            "to_window": lambda: self.queue.transfer(c, target.id, to_window=5),
        }
        result = self.attempt(actions[action])
        if held is None:
            assert result is None, "acting on another window's ticket must be refused"

    @rule(pick=st.integers(0, 30))
    def reactivate(self, pick: int) -> None:
        tickets = self.tickets()
        if tickets:
            target = tickets[pick % len(tickets)]
            self.attempt(lambda: self.queue.reactivate(ctx(1), target.id))

    @rule(window=st.sampled_from(WINDOWS))
    def toggle_pause(self, window: int) -> None:
        if self.queue.window_state(window).paused:
            self.attempt(lambda: self.queue.resume_window(ctx(window)))
        else:
            self.attempt(lambda: self.queue.pause_window(ctx(window)))

    @rule()
    def close_day(self) -> None:
        self.queue.close_day(MANAGER, "日终未办理", "all")
        self.check_all_final()

    def check_all_final(self) -> None:
        tickets = self.tickets()
        assert all(t.status in ("done", "closed") for t in tickets)
        with self.sessions() as s:
            terminal = Counter(
                s.scalars(
                    select(Event.entity_id).where(
                        Event.entity == "ticket", Event.kind.in_(TERMINAL_EVENTS)
                    )
                )
            )
        assert all(terminal[t.id] == 1 for t in tickets)
        assert all(t.ended_at is not None for t in tickets)

    @invariant()
    def each_window_holds_at_most_one_ticket(self) -> None:
        held = Counter(t.window_number for t in self.tickets() if t.status in ("called", "serving"))
        assert all(count == 1 for count in held.values())

    @invariant()
    def called_tickets_are_at_a_window(self) -> None:
        for t in self.tickets():
            if t.status in ("called", "serving"):
                assert t.window_number is not None and t.call_count >= 1
            if t.status == "waiting":
                assert t.window_number is None

    def teardown(self) -> None:
        self.queue.close_day(MANAGER, "日终未办理", "all")
        self.check_all_final()
        self.sessions.kw["bind"].dispose()


class PriorityFirstToTheBack(QueueMachine):
    """The other hall settings: priority first, a transfer goes to the back."""

    hall: ClassVar[dict[str, Any]] = {"policy": "priority_first", "keeps_place": False}


for machine in (QueueMachine, PriorityFirstToTheBack):
    machine.TestCase.settings = settings(
        max_examples=30,
        stateful_step_count=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
TestQueueMachine = QueueMachine.TestCase
TestPriorityFirstToTheBack = PriorityFirstToTheBack.TestCase


def test_concurrent_desks_never_call_the_same_ticket(tmp_path: Path) -> None:
    path = tmp_path / "hall.sqlite"
    setup = file_sessions(path)
    seed_hall(setup, windows={1: ["A"], 2: ["A"], 3: ["A"], 4: ["A"]})
    issuer = LocalQueue(setup)
    for _ in range(60):
        issuer.issue_ticket(KIOSK, "A")
    served: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def desk(window: int) -> None:
        # Each desk has its own engine and connections, like separate processes.
        q = LocalQueue(file_sessions(path))
        mine: list[str] = []
        try:
            while (ticket := q.call_next(ctx(window), new_id()).ticket) is not None:
                mine.append(ticket.id)
                q.start_service(ctx(window), ticket.id)
                q.end_service(ctx(window), ticket.id)
        except BaseException as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)
        served[window] = mine

    threads = [threading.Thread(target=desk, args=(w,)) for w in (1, 2, 3, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    all_served = [tid for mine in served.values() for tid in mine]
    assert len(all_served) == len(set(all_served)) == 60
    with setup() as s:
        calls = Counter(s.scalars(select(Event.entity_id).where(Event.kind == "ticket.called")))
    assert set(calls.values()) == {1}


ONLINE = re.compile(r"^[A-Z]\d{3,}$")
OFFLINE = re.compile(r"^[A-Z]\d+-\d{3,}$")


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.booleans(),
            st.sampled_from([1, 2, 3, 5]),
            st.sampled_from(LINES),
            st.sampled_from(["normal", "appointment"]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_offline_numbers_never_collide(issues: list[tuple[bool, int, str, str]]) -> None:
    sessions = memory_sessions()
    seed_hall(sessions)
    clock = Clock()
    shared = LocalQueue(sessions, clock=clock)
    offline = LocalQueue(sessions, clock=clock, offline=True)
    numbers = []
    for is_offline, window, line, kind in issues:
        q = offline if is_offline else shared
        ticket = q.issue_ticket(ctx(window), line, kind)
        assert ticket.offline == is_offline
        assert (OFFLINE if is_offline else ONLINE).match(ticket.number)
        if is_offline:
            assert ticket.number[1:].startswith(f"{window}-")
        numbers.append(ticket.number)
    assert len(numbers) == len(set(numbers))
    sessions.kw["bind"].dispose()
