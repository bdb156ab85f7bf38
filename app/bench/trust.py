"""Benchmarks of the audit trail and the backup on a seeded 100k-case desk: the desk verifies
its chain at every start (on a worker, after the first paint) and backs up once a day."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path


def bench_trust(cases: int = 100_000, matters: int = 20_000, runs: int = 3) -> dict[str, float]:
    """`audit_verify_s`: the whole chain verified (every event hashed again);
    `backup_s`: `python -m app backup`'s copy of the database and PDFs; each also as this
    process's CPU time (`_cpu_s`: the backup's SQLite copy is in-process too); `audit_events_n`:
    how many events the chain holds (not a time)."""
    from app.audit import verify_store
    from app.backup import make_backup
    from app.bench.seed import seeded_desk
    from app.startup import open_store

    with tempfile.TemporaryDirectory() as tmp:
        data = seeded_desk(Path(tmp), cases=cases, matters=matters)
        database = open_store(data)
        try:
            verify_times, backup_times, verify_cpu, backup_cpu = [], [], [], []
            events = 0
            for i in range(runs):
                start, cpu = time.perf_counter(), time.process_time()
                report = verify_store(database)
                verify_times.append(time.perf_counter() - start)
                verify_cpu.append(time.process_time() - cpu)
                if not report.ok:
                    raise RuntimeError(f"the seeded chain is broken: {report.problem}")
                events = report.events
                start, cpu = time.perf_counter(), time.process_time()
                make_backup(database, Path(tmp) / f"backup-{i}.zip")
                backup_times.append(time.perf_counter() - start)
                backup_cpu.append(time.process_time() - cpu)
        finally:
            database.close()
    return {
        "audit_verify_s": statistics.median(verify_times),
        "backup_s": statistics.median(backup_times),
        # This process's CPU time: what the machine's other load does not change.
        "audit_verify_cpu_s": statistics.median(verify_cpu),
        "backup_cpu_s": statistics.median(backup_cpu),
        "audit_events_n": float(events),
    }
