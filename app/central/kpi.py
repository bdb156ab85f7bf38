"""The whole hall's KPIs on the central store (`GET /v1/halls/{hall}/kpi`, a manager's token).

The central store keeps each row a desk pushed as its latest JSON state (table `record`), not in
the desk's tables, so the KPI SQL (app.manager.kpi, the same Qt-free code the desk runs) cannot
run on it as it is. For a request, the hall's tickets, visits, cases (with their matters and
materials) and ratings are copied from their records into a private in-memory SQLite database
in the desk's shape, and the KPIs are computed there. Their parts travel (app.manager.parts'
JSON, with the visit counts, the 容缺 figures and the hall's names), and the client turns them
into the KPIs with `finish`, as the desk does. The copy costs a read of every such record of the
hall: right for a day's or a month's report of a hall, not for a year of several halls (a
desk-shaped mirror kept at push time would be; see docs/sync-protocol.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import create_engine, insert, select
from sqlalchemy.pool import StaticPool

from app.manager.kpi import _gaps, ticket_parts, visit_counts
from app.manager.period import Period
from db.base import utcnow
from db.central.models import Hall, Record
from db.central.store import CentralStore
from db.models.case import Case, CaseMaterial, CaseMatter
from db.models.queue import Evaluation, Ticket, Visit

#: The desk's tables the KPIs read, by their entity name in the records.
MODELS: dict[str, type[Any]] = {
    "ticket": Ticket,
    "visit": Visit,
    "case": Case,
    "case_matter": CaseMatter,
    "case_material": CaseMaterial,
    "evaluation": Evaluation,
}


def hall_kpi_parts(
    store: CentralStore, hall_id: str, period: Period, now: datetime | None = None
) -> dict[str, Any]:
    """The parts of the hall's KPIs for `period`, as JSON (see the module's note)."""
    from app.sync.engine import _from_json

    now = now or utcnow()
    with store.session() as s:
        hall = s.get(Hall, hall_id)
        config = dict(hall.config) if hall is not None else {}
        states = {
            entity: [
                st
                for st in s.scalars(
                    select(Record.state).where(Record.hall_id == hall_id, Record.entity == entity)
                )
                if isinstance(st, dict)
            ]
            for entity in MODELS
        }
    engine = create_engine("sqlite://", poolclass=StaticPool)
    try:
        tables = [model.__table__ for model in MODELS.values()]
        tables[0].metadata.create_all(engine, tables=tables)
        with engine.begin() as conn:
            for entity, model in MODELS.items():
                rows = [_from_json(model, st) for st in states[entity]]
                rows = [r for r in rows if "id" in r]
                if rows:
                    conn.execute(insert(model.__table__), rows)
            target = int(config.get("hall", {}).get("target_wait_minutes") or 30)
            parts = ticket_parts(conn, period.start, period.end, target * 60, now)
            visits = visit_counts(conn, period.start, period.end)
            gaps = _gaps(conn, period, now, None)
    finally:
        engine.dispose()
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "target_wait_min": target,
        "parts": parts.to_json(),
        "visits": [[v, st, n] for (v, st), n in visits.items()],
        "gaps": [gaps.cases, gaps.overdue, gaps.open_overdue],
        "names": {
            "hall": config.get("hall", {}).get("name", ""),
            "windows": [[int(w["number"]), w.get("name", "")] for w in config.get("windows", [])],
            "clerks": [[c["id"], c.get("name", "")] for c in config.get("clerks", [])],
            "lines": [[x["code"], x.get("name", "")] for x in config.get("lines", [])],
        },
    }
