"""The working-day calendar remembers what chinese_calendar says of each day (the library
checks every date against its tables' range, which cost a save and the case list's refresh
several milliseconds), and gives the same answers and deadlines as asking the library."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from app.rules import workdays
from app.rules.lifecycle import DeadlineState, deadline_state
from app.rules.workdays import WorkCalendar

#: A catalogue holiday table: a working day made a day off, a weekend made a working day.
OVERRIDES = {date(2026, 11, 27): False, date(2026, 11, 28): True, date(2026, 5, 6): False}


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _reference_add(start: date, n: int, overrides: dict[date, bool]) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        if overrides.get(day, chinese_calendar.is_workday(day)):
            n -= 1
    return day


def test_the_library_is_asked_once_per_day(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[date] = []
    real = chinese_calendar.is_workday

    def counting(day: date) -> bool:
        asked.append(day)
        return bool(real(day))

    monkeypatch.setattr(workdays, "_LIBRARY", {})
    monkeypatch.setattr(chinese_calendar, "is_workday", counting)
    start = date(2026, 9, 25)
    first = WorkCalendar().add_working_days(start, 10)
    # Another calendar (each save and each refresh builds its own) asks nothing again.
    assert WorkCalendar(OVERRIDES).add_working_days(start, 10) == first
    assert WorkCalendar().working_days_between(start, first) == 10
    assert sorted(asked) == _days(start + timedelta(days=1), first)


def test_remembered_answers_are_the_librarys() -> None:
    every = _days(date(2024, 1, 1), date(2026, 12, 31))
    for _ in range(2):  # the second pass answers from memory
        cal = WorkCalendar()
        assert [cal.is_workday(d) for d in every] == [chinese_calendar.is_workday(d) for d in every]


@pytest.mark.parametrize("n", [0, 1, 5, 20, 60])
def test_deadlines_equal_the_librarys_with_a_holiday_table(n: int) -> None:
    cal = WorkCalendar(OVERRIDES)
    for start in _days(date(2026, 1, 1), date(2026, 8, 31)):
        due = cal.add_working_days(start, n)
        assert due == _reference_add(start, n, OVERRIDES)
        assert cal.working_days_between(start, due) == n


def test_deadline_states_across_the_national_day_holiday() -> None:
    cal = WorkCalendar(OVERRIDES)
    due = date(2026, 10, 9)  # 1-7 October are off, the 8th and 9th working days
    assert deadline_state(due, date(2026, 9, 29), cal) is DeadlineState.NORMAL
    assert deadline_state(due, date(2026, 9, 30), cal) is DeadlineState.WARNING
    assert deadline_state(due, date(2026, 10, 10), cal) is DeadlineState.OVERDUE


def test_an_unknown_year_is_not_remembered_as_a_known_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workdays, "_LIBRARY", {})
    cal = WorkCalendar()
    for _ in range(2):
        assert cal.is_workday(date(2031, 1, 6))  # a Monday
        assert not cal.is_workday(date(2031, 1, 4))  # a Saturday
    assert len(cal.warnings) == 1
    assert date(2031, 1, 6) not in workdays._LIBRARY


def test_more_working_days_than_agrees_with_counting_them() -> None:
    cal = WorkCalendar(OVERRIDES)
    days = _days(date(2026, 9, 20), date(2026, 10, 20))  # the National Day week inside
    for start in days:
        for end in days:
            between = cal.working_days_between(start, end)
            for n in (-1, 0, 1, 2, 3, 5):
                assert cal.more_working_days_than(start, end, n) is (between > n)


def test_a_deadline_far_off_asks_only_the_days_its_warning_needs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cal = WorkCalendar()
    asked: list[date] = []
    real = cal.is_workday

    def counting(day: date) -> bool:
        asked.append(day)
        return real(day)

    monkeypatch.setattr(cal, "is_workday", counting)
    today, due = date(2026, 11, 2), date(2026, 12, 31)  # about 44 working days apart
    assert deadline_state(due, today, cal) is DeadlineState.NORMAL
    assert len(asked) <= 5  # Tuesday to Thursday: three working days are past the warning
