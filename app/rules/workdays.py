"""Working days as a Chinese government office counts them: Monday to Friday, minus the public
holidays, plus the make-up workdays on weekends (调休上班) that the State Council publishes each
year. The `chinese_calendar` library knows the published years (up to 2026 for the installed
version); the catalogue's holiday table overrides it and is the only source for a year the
library does not know yet. For such a year the calendar still works (overrides and weekends)
but says so in `warnings`, because a deadline computed that way may be a few days off."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator, Mapping
from datetime import date, timedelta

import chinese_calendar

from app.messages import Message

log = logging.getLogger(__name__)

_ONE_DAY = timedelta(days=1)

#: What chinese_calendar says of each day asked so far (its tables are fixed for the installed
#: version, so the answer never changes). The library validates every date against the range
#: of its tables with min()/max() over them, about 40 µs a call: the case list asks for every
#: day up to each row's due date, and a save for every day up to its promised date.
_LIBRARY: dict[date, bool] = {}


def library_workday(day: date) -> bool:
    """chinese_calendar.is_workday(day), remembered; NotImplementedError for a year the
    library does not know (not remembered: it is raised again)."""
    known = _LIBRARY.get(day)
    if known is None:
        known = _LIBRARY[day] = bool(chinese_calendar.is_workday(day))
    return known


#: Years whose absence from the library the log has been told of.
_LOGGED_UNKNOWN: set[int] = set()


class WorkCalendar:
    """Which days are working days. `overrides` maps a day to True (a working day) or False (a
    day off) and wins over the library."""

    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        self._overrides: dict[date, bool] = dict(overrides or {})
        self._unknown_years: set[int] = set()
        self.warnings: list[Message] = []

    def _library_says(self, day: date) -> bool | None:
        if day.year in self._unknown_years:
            return None
        try:
            return library_workday(day)
        except NotImplementedError:
            self._unknown_years.add(day.year)
            self.warnings.append(Message("calendar.year_unknown", year=day.year))
            if day.year not in _LOGGED_UNKNOWN:  # once a process: a calendar is made per save
                _LOGGED_UNKNOWN.add(day.year)
                log.warning("working-day calendar: year %s unknown to chinese_calendar", day.year)
            return None

    def is_workday(self, day: date) -> bool:
        override = self._overrides.get(day)
        if override is not None:
            return override
        library = self._library_says(day)
        if library is not None:
            return library
        return day.weekday() < 5

    def add_working_days(self, start: date, n: int) -> date:
        """The day `n` working days after `start`; `start` itself (the day of acceptance)
        does not count. n == 0 gives `start`."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        left = n
        while left:
            day += _ONE_DAY
            if self.is_workday(day):
                left -= 1
        return day

    def _working_days_in(self, start: date, end: date) -> Iterator[date]:
        """The working days d with start < d <= end, in order, found as they are asked for."""
        day = start
        while day < end:
            day += _ONE_DAY
            if self.is_workday(day):
                yield day

    def more_working_days_than(self, start: date, end: date, n: int) -> bool:
        """Whether working_days_between(start, end) > n, counting no further than needed: a
        deadline's warning asks whether a few days are left, not how many."""
        if end < start or n < 0:
            return self.working_days_between(start, end) > n
        return next(itertools.islice(self._working_days_in(start, end), n, None), None) is not None

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end; negative (the days in end < d <= start) when
        end is before start. So add_working_days(s, n) == e implies between(s, e) == n."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for _ in self._working_days_in(start, end))
