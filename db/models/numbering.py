"""Daily counters for case, document and ticket numbers, local to a desk: the scope names the
window (or desk), so that numbers from different desks never collide even offline."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class DailyCounter(Base):
    __tablename__ = "daily_counter"
    scope: Mapped[str] = mapped_column(String(60), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
