"""The manager's rollups: a closed month's KPI parts (app/manager/parts.py) kept as JSON, so a
year's KPIs add twelve stored months instead of reading every ticket again. Derived data: it
can be dropped at any time and is computed again on demand."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, String
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
    # While the month's visits are not final (visits is null): the same counts as of
    # `visits_as_of`, each application's in kpi_rollup_root (0012). Only the applications
    # touched since are counted again.
    visits_so_far: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    visits_as_of: Mapped[datetime | None]


class KpiRollupRoot(Base):
    """One application of a month whose visits are not final yet: its visits and whether it is
    settled as of the month's `visits_as_of` (derived data, like kpi_rollup)."""

    __tablename__ = "kpi_rollup_root"
    month_start: Mapped[date] = mapped_column(primary_key=True)
    target_wait_min: Mapped[int] = mapped_column(primary_key=True)
    root_id: Mapped[str] = mapped_column(String(26), primary_key=True)
    visits: Mapped[int]
    settled: Mapped[int]
