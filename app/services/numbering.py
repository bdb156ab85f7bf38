"""Daily sequences taken inside the caller's transaction: if the transaction rolls back the
number is not used, if it commits the number is gone for good. A crash can therefore never
reuse a number, and never skip one silently."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlalchemy.orm import Session

from db.models.numbering import DailyCounter


def next_in_sequence(session: Session, scope: str, day: date) -> int:
    """The next number (1, 2, …) of `scope` on `day`."""
    result = session.execute(
        update(DailyCounter)
        .where(DailyCounter.scope == scope, DailyCounter.day == day)
        .values(value=DailyCounter.value + 1)
        .returning(DailyCounter.value)
    ).scalar_one_or_none()
    if result is not None:
        return int(result)
    session.add(DailyCounter(scope=scope, day=day, value=1))
    session.flush()
    return 1
