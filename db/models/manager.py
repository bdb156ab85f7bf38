"""The manager's rollups: a closed month's KPI parts (app/manager/parts.py) kept as JSON, so a
year's KPIs add twelve stored months instead of reading every ticket again. Derived data: it
can be dropped at any time and is computed again on demand."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class KpiRollup(Base):
    __tablename__ = "kpi_rollup"
    month_start: Mapped[date] = mapped_column(primary_key=True)
    # Waits over the target are counted with this target.
    target_wait_min: Mapped[int] = mapped_column(primary_key=True)
    month_end: Mapped[date]
    version: Mapped[int]
    parts: Mapped[dict[str, Any]]
    # [[visits, settled, applications], …] once the month's applications are final, else null.
    visits: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # While the month's visits are not final (visits is null): each application's count,
    # {first case id: visits * 2 + settled}, as of `visits_as_of` (0012). Only applications
    # touched since are counted again.
    visit_roots: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    visits_as_of: Mapped[datetime | None]
