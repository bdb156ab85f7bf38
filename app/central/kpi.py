"""The whole hall's KPIs on the central store (`GET /v1/halls/{hall}/kpi`, a manager's token).

The desk's KPI SQL (app.manager.kpi, the same Qt-free code the desk runs) runs on the store's
own tables: the hall's desk-shaped mirror (app.central.mirror), filtered by hall and period and
read through its indexes. The mirror is brought up to the hall's feed first (the records changed
since the last request). The KPIs' parts travel (app.manager.parts' JSON, with the visit counts,
the 容缺 figures and the hall's names), and the client turns them into the KPIs with `finish`,
as the desk does."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text

from app.central.mirror import MIRRORED
from app.central.mirror_follow import for_request
from app.manager.kpi import Tables, _gaps, ticket_parts, visit_counts
from app.manager.period import Period
from db.base import utcnow
from db.central.models import Hall
from db.central.store import CentralStore

#: The mirror's tables, in the shape the KPI code reads.
MIRROR = Tables(*(mirror.__table__ for _desk, mirror in MIRRORED.values()))
#: The desk's tables the KPIs read, by their entity name in the records.
MODELS: dict[str, type[Any]] = {entity: desk for entity, (desk, _mirror) in MIRRORED.items()}


def hall_config(store: CentralStore, hall_id: str) -> dict[str, Any]:
    with store.session() as s:
        hall = s.get(Hall, hall_id)
        return dict(hall.config) if hall is not None else {}


def hall_kpi_parts(
    store: CentralStore, hall_id: str, period: Period, now: datetime | None = None
) -> dict[str, Any]:
    """The parts of the hall's KPIs for `period`, as JSON (see the module's note)."""
    now = now or utcnow()
    for_request(store, hall_id)  # the remainder, or refused while the mirror is far behind
    config = hall_config(store, hall_id)
    target = int(config.get("hall", {}).get("target_wait_minutes") or 30)
    with store.session() as s, s.begin():
        if store.is_postgres:
            # The recursive visit count's estimates are huge: PostgreSQL would spend about a
            # second compiling JIT code for queries that run in a fraction of it.
            s.execute(text("SET LOCAL jit = off"))
        parts = ticket_parts(s, period.start, period.end, target * 60, now, hall_id, MIRROR)
        visits = visit_counts(s, period.start, period.end, hall_id, MIRROR)
        gaps = _gaps(s, period, now, hall_id, MIRROR)
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
