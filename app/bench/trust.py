"""Benchmarks of the audit trail and the backup on a seeded 100k-case desk: the desk verifies
its chain at every start (on a worker, after the first paint) and backs up once a day."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path


def bench_trust(cases: int = 100_000, matters: int = 20_000, runs: int = 3) -> dict[str, float]:
    """`audit_verify_s`: the whole chain verified (every event hashed again);
    `backup_s`: `python -m app backup`'s copy of the database and PDFs; `audit_events_n`:
    how many events the chain holds (not a time)."""
    from app.audit import verify_store
    from app.backup import make_backup
    from app.bench.seed import seeded_desk
    from app.startup import open_store

    with tempfile.TemporaryDirectory() as tmp:
        data = seeded_desk(Path(tmp), cases=cases, matters=matters)
        database = open_store(data)
        try:
            verify_times, backup_times = [], []
            events = 0
            for i in range(runs):
                start = time.perf_counter()
                report = verify_store(database)
                verify_times.append(time.perf_counter() - start)
                if not report.ok:
                    raise RuntimeError(f"the seeded chain is broken: {report.problem}")
                events = report.events
                start = time.perf_counter()
                make_backup(database, Path(tmp) / f"backup-{i}.zip")
                backup_times.append(time.perf_counter() - start)
        finally:
            database.close()
    return {
        "audit_verify_s": statistics.median(verify_times),
        "backup_s": statistics.median(backup_times),
        "audit_events_n": float(events),
    }
