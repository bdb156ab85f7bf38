"""How fast a window calls the next ticket on the desk's own database, with a long queue.

`bench_queue()` builds a temporary SQLite file (WAL, synchronous=FULL, as a desk runs it: db.engine),
puts 2,000 tickets in the queue and times call_next, each one a whole transaction with its
events and outbox rows. The queue is topped up after each call (untimed) so that 2,000 tickets
are always waiting. Target: a median under 5 ms."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker

import db.models  # noqa: F401  (registers every table)
from app.queue.backend import LocalQueue
from app.queue.issuing import issue_ticket
from app.services.changes import DeskContext
from db.base import Base, utcnow
from db.ids import new_id
from db.models.hall import Hall, Line, Window, WindowLine

WAITING = 2_000
SAMPLES = 200


def bench_queue(waiting: int = WAITING, samples: int = SAMPLES) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="onewindow-bench-") as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA journal_mode = WAL")
            dbapi_connection.execute("PRAGMA synchronous = FULL")

        try:
            Base.metadata.create_all(engine)
            sessions = sessionmaker(engine, expire_on_commit=False)
            kiosk = DeskContext(window_number=None, clerk_id=None)
            window = DeskContext(window_number=1, clerk_id="bench")
            with sessions.begin() as s:
                s.add(Hall(id=1, name="基准测试大厅", division_code="000000"))
                s.add(Line(code="A", name="综合业务", ticket_prefix="A"))
                s.add(Line(code="B", name="不动产", ticket_prefix="B"))
                s.flush()
                s.add(Window(number=1))
                s.add(WindowLine(window_number=1, line_code="A", preference=0))
                s.add(WindowLine(window_number=1, line_code="B", preference=1))
            with sessions.begin() as s:
                for i in range(waiting):
                    # A mix of lines and kinds, as in a real morning.
                    kind = "priority" if i % 10 == 0 else "normal"
                    issue_ticket(
                        s,
                        kiosk,
                        line_code="A" if i % 3 else "B",
                        now=utcnow(),
                        kind=kind,
                        priority_group="elderly" if kind == "priority" else None,
                    )
            queue = LocalQueue(sessions)
            timings = []
            for _ in range(samples):
                started = time.perf_counter()
                result = queue.call_next(window, new_id())
                timings.append((time.perf_counter() - started) * 1000)
                if result.ticket is None:
                    raise RuntimeError("the benchmark queue ran dry")
                queue.mark_no_show(window, result.ticket.id, "基准测试")
                queue.issue_ticket(kiosk, "A")
            return {
                "call_next_local_ms": round(statistics.median(timings), 3),
                "call_next_local_p90_ms": round(statistics.quantiles(timings, n=10)[-1], 3),
                "waiting": waiting,
                "samples": samples,
            }
        finally:
            engine.dispose()


if __name__ == "__main__":
    print(bench_queue())
