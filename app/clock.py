"""The hall's time: one time zone, one calendar day. Qt-free.

China has one time zone and no daylight saving (since 1991): a fixed UTC+8 offset needs no
tz database, so the desk behaves the same on a machine without one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from db.base import utcnow

HALL_TZ = timezone(timedelta(hours=8), "CST")


def hall_day(at: datetime) -> date:
    """The hall's calendar day at the aware timestamp `at` (ticket and case numbers restart
    every day)."""
    return at.astimezone(HALL_TZ).date()


def hall_now() -> datetime:
    """Now, in the hall's local time."""
    return utcnow().astimezone(HALL_TZ)


def hall_today() -> date:
    """Today, in the hall."""
    return hall_day(utcnow())
