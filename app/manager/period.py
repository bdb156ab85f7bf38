"""The period a manager looks at: today, one day, a week (Monday to Sunday), a month or a custom
range of the hall's days (ticket.day and case.received_day are the hall's local days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.clock import hall_today
from app.errors import UserError

PERIOD_KINDS = ("today", "day", "week", "month", "custom")


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError("manager.bad_day", text=text) from None


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str = "custom"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @classmethod
    def today(cls) -> Period:
        today = hall_today()
        return cls(today, today, "today")

    @classmethod
    def day(cls, day: date) -> Period:
        return cls(day, day, "day")

    @classmethod
    def week(cls, day: date) -> Period:
        monday = day - timedelta(days=day.weekday())
        return cls(monday, monday + timedelta(days=6), "week")

    @classmethod
    def month(cls, day: date) -> Period:
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return cls(first, following - timedelta(days=1), "month")

    @classmethod
    def custom(cls, start: date, end: date) -> Period:
        if start > end:
            raise UserError("manager.bad_range", start=start, end=end)
        return cls(start, end, "custom")

    @classmethod
    def of(cls, kind: str, day: date, end: date | None = None) -> Period:
        if kind == "today":
            return cls.today()
        if kind == "week":
            return cls.week(day)
        if kind == "month":
            return cls.month(day)
        if kind == "custom":
            return cls.custom(day, end or day)
        return cls.day(day)
