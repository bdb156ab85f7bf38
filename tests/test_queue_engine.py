"""The queue rules: numbering, call order under each policy, window actions, transfers,
no-shows, the day's end, visits and ratings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.clock import hall_day
from app.errors import UserError
from app.queue import announcement_text, spoken_text
from app.queue.backend import LocalQueue
from app.queue.visits import link_case, visits_per_case
from app.services.changes import DeskContext
from db.ids import new_id
from db.models.numbering import DailyCounter
from db.models.queue import Evaluation, Ticket
from db.models.sync import Event
from tests.test_queue_support import (
    KIOSK,
    MANAGER,
    START,
    Clock,
    clock,
    ctx,
    queue,
    seed_hall,
    sessions,
)

__all__ = ["clock", "queue", "sessions"]  # fixtures used by name


def make_queue(sessions: sessionmaker[Session], clock: Clock, **hall: object) -> LocalQueue:
    seed_hall(sessions, **hall)  # type: ignore[arg-type]
    return LocalQueue(sessions, clock=clock)


def issue_all(q: LocalQueue, spec: str, line: str = "A") -> list[str]:
    """Issue tickets from a spec: n = normal, p = priority (elderly), y = appointment."""
    kinds = {"n": ("normal", None), "p": ("priority", "elderly"), "y": ("appointment", None)}
    numbers = []
    for letter in spec:
        kind, group = kinds[letter]
        numbers.append(q.issue_ticket(KIOSK, line, kind, group).number)
    return numbers


def drain(q: LocalQueue, window: int, count: int) -> list[str]:
    """Call `count` tickets at the window, serving each one, and return their numbers."""
    called = []
    for _ in range(count):
        result = q.call_next(ctx(window), new_id())
        assert result.ticket is not None
        called.append(result.ticket.number)
        q.start_service(ctx(window), result.ticket.id)
        q.end_service(ctx(window), result.ticket.id)
    return called


# --- numbering -----------------------------------------------------------------------------


def test_numbers_are_per_prefix_and_restart_each_day(queue: LocalQueue, clock: Clock) -> None:
    assert [queue.issue_ticket(KIOSK, "A").number for _ in range(3)] == ["A001", "A002", "A003"]
    assert queue.issue_ticket(KIOSK, "B").number == "B001"
    appointment = queue.issue_ticket(KIOSK, "B", "appointment")
    assert (appointment.number, appointment.line_code) == ("Y001", "B")
    assert queue.issue_ticket(KIOSK, "A", "appointment").number == "Y002"
    day_one = hall_day(clock.now)
    clock.advance(days=1)
    fresh = queue.issue_ticket(KIOSK, "A")
    assert fresh.number == "A001"
    assert fresh.day == day_one + timedelta(days=1)


def test_the_hall_day_is_china_time(queue: LocalQueue, clock: Clock) -> None:
    # 23:30 UTC is already 07:30 the next morning in the hall.
    clock.now = clock.now.replace(hour=23, minute=30)
    ticket = queue.issue_ticket(KIOSK, "A")
    assert ticket.day == clock.now.date() + timedelta(days=1)


def test_offline_numbers_use_the_window_space(
    sessions: sessionmaker[Session], clock: Clock
) -> None:
    seed_hall(sessions)
    shared = LocalQueue(sessions, clock=clock)
    offline = LocalQueue(sessions, clock=clock, offline=True)
    assert shared.issue_ticket(KIOSK, "A").number == "A001"
    first = offline.issue_ticket(ctx(3), "A")
    assert (first.number, first.offline) == ("A3-001", True)
    assert offline.issue_ticket(ctx(3), "A").number == "A3-002"
    assert offline.issue_ticket(ctx(2), "A").number == "A2-001"
    assert offline.issue_ticket(ctx(3), "A", "appointment").number == "Y3-001"
    assert shared.issue_ticket(KIOSK, "A").number == "A002"
    with pytest.raises(UserError, match="窗口号"):
        offline.issue_ticket(KIOSK, "A")


@pytest.mark.parametrize(
    ("kind", "group", "message"),
    [
        ("priority", None, "优先对象"),
        ("priority", "vip", "优先对象"),
        ("normal", "elderly", "只有优先号"),
        ("express", None, "未知的号票类型"),
    ],
)
def test_bad_ticket_requests_are_refused(
    queue: LocalQueue, kind: str, group: str | None, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        queue.issue_ticket(KIOSK, "A", kind, group)


def test_unknown_line_is_refused(queue: LocalQueue) -> None:
    with pytest.raises(UserError, match="没有业务类别"):
        queue.issue_ticket(KIOSK, "Z")


# --- duplicate ID ----------------------------------------------------------------------


def test_one_id_cannot_hold_two_waiting_tickets_in_a_line(
    queue: LocalQueue, sessions: sessionmaker[Session]
) -> None:
    first = queue.issue_ticket(KIOSK, "A", id_number="22080219800101103x")
    with pytest.raises(UserError, match="重复取号") as refused:
        queue.issue_ticket(KIOSK, "A", id_number=" 22080219800101103X ")
    # Whoever typed the number may not be its holder: the refusal never names the ticket.
    assert first.number not in str(refused.value)
    # Nothing of the refused ticket was saved: no row, no number used.
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1
        assert s.scalar(select(DailyCounter.value).where(DailyCounter.scope == "ticket:A")) == 1
    # Another line is another queue.
    assert queue.issue_ticket(KIOSK, "B", id_number="22080219800101103X").number == "B001"
    # Once served, the same person may queue again.
    called = queue.call_next(ctx(1), "r1").ticket
    assert called is not None and called.id == first.id
    with pytest.raises(UserError):
        queue.issue_ticket(KIOSK, "A", id_number="22080219800101103X")
    queue.start_service(ctx(1), first.id)
    assert queue.issue_ticket(KIOSK, "A", id_number="22080219800101103X").number == "A002"


def test_a_passed_ticket_still_holds_the_place(queue: LocalQueue) -> None:
    ticket = queue.issue_ticket(KIOSK, "A", id_number="220802198001011232")
    queue.call_next(ctx(1), "r1")
    queue.mark_no_show(ctx(1), ticket.id, "三次呼叫未到")
    with pytest.raises(UserError, match="重复取号"):
        queue.issue_ticket(KIOSK, "A", id_number="220802198001011232")


@pytest.mark.parametrize(
    "bad",
    [
        "12",
        "2208!0219800101",
        "x" * 31,
        "220802198001011234",  # a wrong GB 11643 check character (…1232 is right)
        "22080219800101123X",
        "220802198013011232",  # no 13th month
    ],
)
def test_malformed_id_numbers_are_refused(
    queue: LocalQueue, sessions: sessionmaker[Session], bad: str
) -> None:
    with pytest.raises(UserError, match="身份证号码"):
        queue.issue_ticket(KIOSK, "A", id_number=bad)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 0


# --- call order ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "every_n", "spec", "expected"),
    [
        # priority first: every priority and appointment ticket before the normal ones
        ("priority_first", 3, "nnpn", ["A003", "A001", "A002", "A004"]),
        ("priority_first", 3, "nypnp", ["Y001", "A002", "A004", "A001", "A003"]),
        ("priority_first", 3, "nnn", ["A001", "A002", "A003"]),
        # every 2: two normal calls, then the oldest priority ticket
        ("every_n", 2, "ppnnnnn", ["A003", "A004", "A001", "A005", "A006", "A002", "A007"]),
        ("every_n", 2, "nnnnp", ["A001", "A002", "A005", "A003", "A004"]),
        # only priority tickets left: they are called, no waiting for normal ones
        ("every_n", 3, "pppn", ["A004", "A001", "A002", "A003"]),
        # every 1 alternates
        ("every_n", 1, "nnpp", ["A001", "A003", "A002", "A004"]),
        # every 0 is priority first
        ("every_n", 0, "nnp", ["A003", "A001", "A002"]),
    ],
)
def test_call_order_under_each_policy(
    sessions: sessionmaker[Session],
    clock: Clock,
    policy: str,
    every_n: int,
    spec: str,
    expected: list[str],
) -> None:
    q = make_queue(sessions, clock, policy=policy, every_n=every_n)
    issue_all(q, spec)
    assert drain(q, 1, len(spec)) == expected


def test_every_n_counts_the_lines_calls_across_windows(
    sessions: sessionmaker[Session], clock: Clock
) -> None:
    q = make_queue(sessions, clock, policy="every_n", every_n=2)
    issue_all(q, "nnnp")
    assert drain(q, 1, 1) == ["A001"]
    assert drain(q, 2, 1) == ["A002"]  # window 2 serves A too: the line's streak is 2
    assert drain(q, 1, 1) == ["A004"]


def test_window_serves_its_lines_in_order_of_preference(queue: LocalQueue) -> None:
    issue_all(queue, "nn", "A")
    issue_all(queue, "n", "B")
    issue_all(queue, "nn", "C")
    # window 3 prefers B, then A; it never calls C.
    assert drain(queue, 3, 3) == ["B001", "A001", "A002"]
    assert queue.call_next(ctx(3), "empty").ticket is None
    assert drain(queue, 5, 2) == ["C001", "C002"]


def test_a_retried_call_returns_the_same_ticket(queue: LocalQueue) -> None:
    issue_all(queue, "nn")
    first = queue.call_next(ctx(1), "req-1")
    again = queue.call_next(ctx(1), "req-1")
    assert first.ticket is not None and again.ticket is not None
    assert again.ticket.id == first.ticket.id
    assert (first.replayed, again.replayed) == (False, True)
    assert again.ticket.call_count == 1
    with pytest.raises(UserError, match="其他窗口"):
        queue.call_next(ctx(2), "req-1")


def test_call_result_carries_the_announcement(queue: LocalQueue) -> None:
    issue_all(queue, "n", "B")
    result = queue.call_next(ctx(3), "r")
    assert result.announcement == "请B001号到3号窗口办理"


def test_call_a_specific_ticket_out_of_order(queue: LocalQueue) -> None:
    _a1, a2, a3 = issue_all(queue, "nnn")
    target = next(t for t in queue.window_queue(1) if t.number == a3)
    result = queue.call_ticket(ctx(1), target.id)
    assert result.ticket is not None and result.ticket.number == a3
    queue.start_service(ctx(1), target.id)
    queue.end_service(ctx(1), target.id)
    assert drain(queue, 1, 2) == ["A001", a2]


# --- window actions and their refusals -----------------------------------------------------


def test_a_full_service(queue: LocalQueue, sessions: sessionmaker[Session]) -> None:
    issue_all(queue, "n")
    called = queue.call_next(ctx(1, "clerk-7"), "r").ticket
    assert called is not None
    assert (called.status, called.window_number, called.call_count) == ("called", 1, 1)
    recalled = queue.recall(ctx(1, "clerk-7"), called.id)
    assert recalled.ticket is not None and recalled.ticket.call_count == 2
    assert recalled.ticket.called_at == called.called_at  # the first call stays
    assert recalled.ticket.last_called_at is not None
    assert called.last_called_at is not None
    assert recalled.ticket.last_called_at > called.last_called_at
    serving = queue.start_service(ctx(1, "clerk-7"), called.id)
    assert serving.status == "serving" and serving.service_started_at is not None
    assert queue.current_ticket(1) == serving
    done = queue.end_service(ctx(1, "clerk-7"), called.id)
    assert done.status == "done" and done.ended_at is not None
    assert queue.current_ticket(1) is None
    with sessions() as s:
        events = s.execute(
            select(Event.kind, Event.window_number, Event.clerk_id)
            .where(Event.entity == "ticket", Event.entity_id == called.id)
            .order_by(Event.at, Event.id)
        ).all()
    assert [e.kind for e in events] == [
        "ticket.issued",
        "ticket.called",
        "ticket.recalled",
        "ticket.service_started",
        "ticket.service_ended",
    ]
    assert all(e.window_number == 1 and e.clerk_id == "clerk-7" for e in events[1:])


def _called(q: LocalQueue, window: int = 1) -> str:
    result = q.call_next(ctx(window), new_id())
    assert result.ticket is not None
    return result.ticket.id


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("call_while_paused", "已暂停"),
        ("end_never_started", "尚未开始办理"),
        ("start_twice", "只有已叫号"),
        ("start_at_other_window", "不在本窗口"),
        ("recall_after_start", "只有已叫号"),
        ("call_while_busy", "仍在本窗口"),
        ("pause_twice", "已暂停"),
        ("resume_running", "在叫号"),
        ("no_show_without_reason", "原因"),
        ("reactivate_waiting", "只有过号"),
        ("transfer_nowhere", "请选择"),
        ("transfer_to_own_window", "本窗口"),
        ("transfer_to_same_line", "已在"),
        ("call_without_window", "窗口号"),
        ("call_unknown_window", "没有9号窗口"),
        ("rate_unfinished", "尚未办结"),
    ],
)
def test_illegal_actions_are_refused_and_change_nothing(
    queue: LocalQueue, sessions: sessionmaker[Session], name: str, message: str
) -> None:
    issue_all(queue, "nn")
    tid = _called(queue)
    with sessions() as s:
        before = s.scalar(select(func.count()).select_from(Event)) or 0
    actions = {
        "call_while_paused": lambda: (queue.pause_window(ctx(2)), queue.call_next(ctx(2), "x")),
        "end_never_started": lambda: queue.end_service(ctx(1), tid),
        "start_twice": lambda: (queue.start_service(ctx(1), tid), queue.start_service(ctx(1), tid)),
        "start_at_other_window": lambda: queue.start_service(ctx(2), tid),
        "recall_after_start": lambda: (queue.start_service(ctx(1), tid), queue.recall(ctx(1), tid)),
        "call_while_busy": lambda: queue.call_next(ctx(1), "x"),
        "pause_twice": lambda: (queue.pause_window(ctx(2)), queue.pause_window(ctx(2))),
        "resume_running": lambda: queue.resume_window(ctx(2)),
        "no_show_without_reason": lambda: queue.mark_no_show(ctx(1), tid, "  "),
        "reactivate_waiting": lambda: queue.reactivate(ctx(1), tid),
        "transfer_nowhere": lambda: queue.transfer(ctx(1), tid),
        "transfer_to_own_window": lambda: queue.transfer(ctx(1), tid, to_window=1),
        "transfer_to_same_line": lambda: queue.transfer(ctx(1), tid, to_line="A"),
        "call_without_window": lambda: queue.call_next(ctx(None), "x"),
        "call_unknown_window": lambda: queue.call_next(ctx(9), "x"),
        "rate_unfinished": lambda: queue.record_evaluation(ctx(1), tid, 5),
    }
    with pytest.raises(UserError, match=message):
        actions[name]()
    # Only the steps before the refused one left events (pause, start): the refusal none.
    with sessions() as s:
        after = s.scalar(select(func.count()).select_from(Event))
    preparatory = {
        "call_while_paused": 1,
        "start_twice": 1,
        "recall_after_start": 1,
        "pause_twice": 1,
    }
    assert after == before + preparatory.get(name, 0)


def test_pause_then_resume(queue: LocalQueue) -> None:
    issue_all(queue, "n")
    assert queue.pause_window(ctx(1)).paused is True
    with pytest.raises(UserError):
        queue.call_next(ctx(1), "r")
    assert queue.resume_window(ctx(1)).paused is False
    assert queue.call_next(ctx(1), "r").ticket is not None


# --- no-shows --------------------------------------------------------------------------


def test_no_show_then_reactivation_returns_to_its_place(queue: LocalQueue) -> None:
    issue_all(queue, "nnn")
    first = _called(queue)
    passed = queue.mark_no_show(ctx(1), first, "三次呼叫未到")
    assert (passed.status, passed.passed_reason) == ("passed", "三次呼叫未到")
    assert [t.number for t in queue.passed_tickets()] == ["A001"]
    assert drain(queue, 1, 1) == ["A002"]
    queue.reactivate(ctx(3), first)
    assert drain(queue, 1, 2) == ["A001", "A003"]


def test_a_passed_ticket_can_be_served_later(queue: LocalQueue) -> None:
    issue_all(queue, "nn")
    first = _called(queue)
    queue.mark_no_show(ctx(1), first, "未到")
    # Another window serves it when the applicant turns up.
    again = queue.call_ticket(ctx(2), first)
    assert again.ticket is not None
    assert (again.ticket.status, again.ticket.window_number) == ("called", 2)
    assert again.ticket.call_count == 2


# --- transfers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keeps_place", "expected"),
    [(True, ["A001", "B001", "B002"]), (False, ["B001", "B002", "A001"])],
)
def test_transfer_to_another_line(
    sessions: sessionmaker[Session], clock: Clock, keeps_place: bool, expected: list[str]
) -> None:
    q = make_queue(sessions, clock, keeps_place=keeps_place)
    issue_all(q, "n", "A")
    issue_all(q, "nn", "B")
    tid = _called(q, 1)
    q.start_service(ctx(1), tid)
    moved = q.transfer(ctx(1), tid, to_line="B")
    assert (moved.status, moved.line_code, moved.transferred_from_line) == ("waiting", "B", "A")
    assert moved.window_number is None and moved.service_started_at is None
    # window 3 prefers B: the transferred A001 is in B now.
    assert drain(q, 3, 3) == expected


def test_transfer_to_a_specific_window(queue: LocalQueue) -> None:
    issue_all(queue, "nnn")
    tid = _called(queue, 1)
    moved = queue.transfer(ctx(1), tid, to_window=5)
    assert moved.target_window == 5
    # window 2 serves A but the ticket waits for window 5 only...
    assert drain(queue, 2, 1) == ["A002"]
    # ...and window 5 (which serves only C) calls it before anything of its own.
    issue_all(queue, "n", "C")
    assert drain(queue, 5, 2) == ["A001", "C001"]


# --- the day's end -------------------------------------------------------------------------


def test_close_day_finishes_every_ticket(
    queue: LocalQueue, sessions: sessionmaker[Session], clock: Clock
) -> None:
    issue_all(queue, "nnnnn")
    serving = _called(queue, 1)
    queue.start_service(ctx(1), serving)
    passed = queue.call_next(ctx(2), "r2").ticket
    assert passed is not None
    queue.mark_no_show(ctx(2), passed.id, "未到")
    called = queue.call_next(ctx(3), "r3").ticket
    assert called is not None
    with pytest.raises(UserError, match="原因"):
        queue.close_day(MANAGER, "")
    assert queue.close_day(MANAGER, "下班未办理") == 5
    with sessions() as s:
        rows = {t.number: (t.status, t.close_reason) for t in s.scalars(select(Ticket))}
    assert rows == {
        "A001": ("done", None),
        "A002": ("closed", "下班未办理"),
        "A003": ("closed", "下班未办理"),
        "A004": ("closed", "下班未办理"),
        "A005": ("closed", "下班未办理"),
    }
    assert queue.waiting_counts().total == 0
    # The next morning starts from A001 again; yesterday's history is kept.
    clock.advance(days=1)
    assert queue.issue_ticket(KIOSK, "A").number == "A001"
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 6


def test_closing_the_hall_day_is_a_managers_and_a_clerks_attempt_changes_nothing(
    queue: LocalQueue, sessions: sessionmaker[Session]
) -> None:
    issue_all(queue, "nn")
    with pytest.raises(UserError, match="此操作须由大厅负责人进行，c1 不是大厅负责人"):
        queue.close_day(ctx(1), "日终")
    with pytest.raises(UserError, match="须由大厅负责人登录后进行"):
        queue.close_day(DeskContext(1, None), "日终")
    with sessions() as s:
        assert set(s.scalars(select(Ticket.status))) == {"waiting"}
    assert queue.close_day(MANAGER, "日终") == 2


def test_close_day_says_what_will_close_and_ends_another_windows_service_only_when_chosen(
    queue: LocalQueue, sessions: sessionmaker[Session]
) -> None:
    issue_all(queue, "nnnnnn")
    mine = _called(queue, 1)
    queue.start_service(ctx(1), mine)
    theirs = _called(queue, 2)
    queue.start_service(ctx(2), theirs)
    _called(queue, 3)  # called to window 3, not yet served
    preview = queue.day_end_preview()
    assert (preview.waiting, preview.called) == (3, 1)
    assert [(t.window_number, t.number) for t in preview.serving] == [(1, "A001"), (2, "A002")]
    assert [t.number for t in preview.serving_at(2)] == ["A002"]
    # By default the desk ends its own service only: window 2 is still serving A002.
    assert queue.close_day(MANAGER, "日终") == 5
    with sessions() as s:
        rows = {t.number: t.status for t in s.scalars(select(Ticket))}
    assert rows == {
        "A001": "done",
        "A002": "serving",
        "A003": "closed",
        "A004": "closed",
        "A005": "closed",
        "A006": "closed",
    }
    after = queue.day_end_preview()
    assert (after.waiting, after.called, len(after.serving)) == (0, 0, 1)
    # Chosen, window 2's service ends too.
    assert queue.close_day(MANAGER, "日终", (2,)) == 1
    assert queue.day_end_preview().serving == ()


def test_close_day_also_closes_forgotten_earlier_days(
    queue: LocalQueue, sessions: sessionmaker[Session], clock: Clock
) -> None:
    issue_all(queue, "nn")
    clock.advance(days=2)
    issue_all(queue, "n")
    # Yesterday's tickets are never called today.
    assert drain(queue, 1, 1) == ["A001"]
    assert queue.call_next(ctx(1), "none").ticket is None
    assert queue.close_day(MANAGER, "日终") == 2
    with sessions() as s:
        assert set(s.scalars(select(Ticket.status))) == {"done", "closed"}


# --- what the hall sees --------------------------------------------------------------------


def test_waiting_counts_and_latest_calls(queue: LocalQueue, clock: Clock) -> None:
    issue_all(queue, "nnp", "A")
    issue_all(queue, "n", "B")
    clock.advance(minutes=12)
    counts = queue.waiting_counts()
    assert [(w.line_code, w.waiting, w.priority_waiting) for w in counts.lines] == [
        ("A", 3, 1),
        ("B", 1, 0),
        ("C", 0, 0),
    ]
    assert counts.lines[0].longest_wait_minutes == 12
    assert counts.total == 4
    first = _called(queue, 1)
    queue.call_next(ctx(3), "b")
    queue.recall(ctx(1), first)
    calls = queue.latest_calls()
    assert [(c.number, c.window_number, c.call_count) for c in calls] == [
        ("A003", 1, 2),
        ("B001", 3, 1),
    ]
    fields = set(calls[0].__dataclass_fields__)
    assert not fields & {"id_number", "name", "applicant"}


def test_waiting_ahead(queue: LocalQueue) -> None:
    issue_all(queue, "nn")
    prio = queue.issue_ticket(KIOSK, "A", "priority", "pregnant")
    normal = queue.issue_ticket(KIOSK, "A")
    assert queue.waiting_ahead(prio.id) == 0
    assert queue.waiting_ahead(normal.id) == 3
    _called(queue, 1)  # the priority ticket goes first
    assert queue.waiting_ahead(normal.id) == 2


def test_announcement_sentences() -> None:
    assert announcement_text("A012", 3) == "请A012号到3号窗口办理"
    assert spoken_text("A012", 3) == "请A零一二号到3号窗口办理"
    assert spoken_text("A3-007", 12) == "请A三杠零零七号到12号窗口办理"


# --- visits and ratings --------------------------------------------------------------------


def test_visits_per_case(queue: LocalQueue, sessions: sessionmaker[Session]) -> None:
    first = queue.issue_ticket(KIOSK, "A")
    later = queue.issue_ticket(KIOSK, "A")
    with sessions.begin() as s:
        link_case(s, ctx(1), ticket_id=first.id, case_id="CASE1")
        link_case(s, ctx(1), ticket_id=first.id, case_id="CASE1")  # idempotent
        link_case(s, ctx(1), ticket_id=first.id, case_id="CASE2")
        link_case(s, ctx(1), ticket_id=later.id, case_id="CASE1", purpose="supplement")
    with sessions() as s:
        assert visits_per_case(s, "CASE1") == 2
        assert visits_per_case(s, "CASE2") == 1
        assert visits_per_case(s, "NONE") == 0
    with sessions.begin() as s, pytest.raises(UserError, match="来访目的"):
        link_case(s, ctx(1), ticket_id=first.id, case_id="CASE3", purpose="chat")


@pytest.mark.parametrize(("rating", "follow_up"), [(5, False), (3, False), (2, True), (1, True)])
def test_ratings_and_follow_up(
    queue: LocalQueue, sessions: sessionmaker[Session], rating: int, follow_up: bool
) -> None:
    issue_all(queue, "n")
    tid = _called(queue, 1)
    with sessions.begin() as s:
        link_case(s, ctx(1), ticket_id=tid, case_id="CASE9")
    queue.start_service(ctx(1, "clerk-7"), tid)
    queue.end_service(ctx(1, "clerk-7"), tid)
    queue.record_evaluation(ctx(1), tid, rating, "  好  ")
    with sessions() as s:
        evaluation = s.scalars(select(Evaluation)).one()
    assert (evaluation.rating, evaluation.follow_up_needed) == (rating, follow_up)
    assert (evaluation.window_number, evaluation.clerk_id) == (1, "clerk-7")
    assert (evaluation.case_id, evaluation.comment) == ("CASE9", "好")
    with pytest.raises(UserError, match="已评价"):
        queue.record_evaluation(ctx(1), tid, 4)


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_ratings_out_of_range(queue: LocalQueue, rating: int) -> None:
    issue_all(queue, "n")
    tid = _called(queue, 1)
    with pytest.raises(UserError, match="评价"):
        queue.record_evaluation(ctx(1), tid, rating)


def test_the_benchmark_reports_the_median_call_time() -> None:
    from app.bench.queue import bench_queue

    result = bench_queue(waiting=60, samples=5)
    assert result["waiting"] == 60 and result["samples"] == 5
    assert 0 < result["call_next_local_ms"] < 1000


@pytest.mark.parametrize("line_count", [1, 3])
def test_choosing_the_next_ticket_is_index_lookups_only(
    queue: LocalQueue, sessions: sessionmaker[Session], line_count: int
) -> None:
    # call_next must stay fast with thousands waiting: every candidate is one index lookup,
    # never a walk over the day's tickets.
    from app.queue.calling import _candidates_statement

    statement = _candidates_statement(line_count).params(
        w=1, day=hall_day(START), **{f"l{i}": "ABC"[i] for i in range(line_count)}
    )
    engine = sessions.kw["bind"]
    sql = str(statement.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
    lookups = [step for step in plan if step.startswith("SEARCH ticket")]
    assert len(lookups) == 1 + 3 * line_count
    assert all("ix_ticket_targeted" in s or "ix_ticket_call_kind" in s for s in lookups)
    assert not any(s.startswith("SCAN ticket") or "TEMP B-TREE" in s for s in plan)
