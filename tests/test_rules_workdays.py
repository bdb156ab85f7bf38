"""The working-day calendar: public holidays, make-up workdays, overrides, unknown years."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.workdays import WorkCalendar


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (date(2026, 11, 26), True),  # a Thursday
        (date(2026, 11, 28), False),  # a Saturday
        (date(2026, 10, 1), False),  # National Day
        (date(2026, 10, 7), False),  # National Day week 2026 runs to 7 October
        (date(2026, 10, 10), True),  # and is paid back on Saturday 10 October
        (date(2026, 2, 14), True),  # Saturday make-up workday before the Spring Festival
        (date(2026, 2, 17), False),  # Spring Festival
        (date(2025, 1, 26), True),  # Sunday make-up workday 2025
        (date(2027, 1, 4), True),  # a Monday of an unknown year: weekdays work
        (date(2027, 1, 2), False),  # a Saturday of an unknown year
    ],
)
def test_is_workday(day: date, workday: bool) -> None:
    assert WorkCalendar().is_workday(day) is workday


def test_overrides_win_over_the_library() -> None:
    cal = WorkCalendar({date(2026, 11, 26): False, date(2026, 11, 28): True})
    assert not cal.is_workday(date(2026, 11, 26))
    assert cal.is_workday(date(2026, 11, 28))
    assert cal.warnings == []


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 11, 26), 0, date(2026, 11, 26)),
        (date(2026, 11, 26), 1, date(2026, 11, 27)),  # Thu + 1 = Fri (acceptance day not counted)
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Fri + 1 = Mon
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # accepted on Saturday
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # across the National Day week
        (date(2026, 9, 30), 5, date(2026, 10, 13)),  # 8, 9, 10 (Saturday, worked), 12, 13
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # the Saturday make-up workday counts
        # Into 2027, unknown to the library: Friday 1 January counts as a plain weekday.
        (date(2026, 12, 30), 3, date(2027, 1, 4)),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert WorkCalendar().add_working_days(start, n) == expected


def test_catalogue_override_fixes_an_unknown_year() -> None:
    cal = WorkCalendar({date(2027, 1, 1): False})
    assert cal.add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 5)


def test_unknown_year_warns_once_and_logs(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.rules import workdays

    monkeypatch.setattr(workdays, "_LOGGED_UNKNOWN", set())
    cal = WorkCalendar()
    with caplog.at_level(logging.WARNING, logger="app.rules.workdays"):
        cal.add_working_days(date(2027, 3, 1), 30)
        # A calendar is made per save: each says so to its caller, the log hears it once.
        later = WorkCalendar()
        later.add_working_days(date(2027, 3, 1), 30)
    assert len(cal.warnings) == 1 and len(later.warnings) == 1
    assert "2027年" in cal.warnings[0]
    assert sum("2027" in r.getMessage() for r in caplog.records) == 1


def test_years_before_the_library_do_not_crash() -> None:
    cal = WorkCalendar()
    assert cal.add_working_days(date(1999, 12, 31), 1) == date(2000, 1, 3)
    assert cal.warnings


def test_negative_n_refused() -> None:
    with pytest.raises(ValueError):
        WorkCalendar().add_working_days(date(2026, 1, 5), -1)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 26), date(2026, 11, 26), 0),
        (date(2026, 11, 26), date(2026, 11, 30), 2),
        (date(2026, 11, 30), date(2026, 11, 26), -2),
        (date(2026, 9, 30), date(2026, 10, 9), 2),
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert WorkCalendar().working_days_between(start, end) == expected


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)),
    st.integers(min_value=0, max_value=60),
)
def test_between_inverts_add(start: date, n: int) -> None:
    cal = WorkCalendar()
    end = cal.add_working_days(start, n)
    assert cal.working_days_between(start, end) == n
    assert end == start or cal.is_workday(end)
    assert end - start >= timedelta(days=n)
