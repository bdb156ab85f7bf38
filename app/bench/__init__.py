"""`python -m app bench`: the project's performance numbers, printed, never asserted.

Each metric is a median over repeated runs (the machines are noisy); names end in their unit.
Each area's measurements live in this package (catalogue, cases, printing, queue); this module
runs and prints them, and holds the cross-area ones (startup, the store, the import's lock).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

Metric = dict[str, float]

#: Targets from the issues, shown beside the numbers (upper bounds).
TARGETS: dict[str, float] = {
    "startup_to_window_s": 1.0,
    "search_p95_ms": 10.0,
    "accept_case_ms": 20.0,
    "checklist_build_ms": 10.0,
    "receipt_pdf_ms": 40.0,
    "ticket_pdf_ms": 20.0,
    "call_next_local_ms": 5.0,
    "read_during_write_ms": 50.0,
    "ui_stall_ms": 50.0,
    "import_lock_ms": 200.0,
}


def bench_startup(runs: int = 5) -> Metric:
    """Process start to main window shown (offscreen), on a desk whose first run is over."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONEWINDOW_EXIT_AFTER_SHOWN="1")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "app", "--data-dir", tmp]
        first = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        if "window-shown" not in first.stdout:
            raise RuntimeError(f"the desk did not start: {first.stderr.strip()[-500:]}")
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("window-shown"):
                    times.append(time.perf_counter() - start)
                    break
            proc.wait(timeout=60)
    return {"startup_to_window_s": statistics.median(times)}


def _catalogue() -> Metric:
    from app.bench.catalogue import bench_import, bench_search_generated

    with tempfile.TemporaryDirectory() as tmp:
        return {**bench_import(Path(tmp)), **bench_search_generated(Path(tmp))}


def _cases() -> Metric:
    from app.bench.cases import bench_cases

    return bench_cases()


def _printing() -> Metric:
    from app.bench.printing import bench_printing

    return bench_printing()


def _queue() -> Metric:
    from app.bench.queue import bench_queue

    return bench_queue()


def _ui() -> Metric:
    """The window's longest stall while a case is saved and previewed (ui/bench.py), run in its
    own process: app/ never imports ui/."""
    import json

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-m", "ui.bench"], env=env, capture_output=True, text=True, timeout=600
    )
    if proc.returncode != 0:
        raise RuntimeError(f"ui bench failed: {proc.stderr.strip()[-500:]}")
    result: Metric = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


_KIOSK = """
import sys, time
from pathlib import Path
from app.queue.backend import LocalQueue
from app.services.changes import DeskContext
from db.engine import open_database
database = open_database(Path(sys.argv[1]))
queue = LocalQueue(database.session)
stop, out = Path(sys.argv[2]), Path(sys.argv[3])
lines = ("QY", "BDC", "SB", "HZ", "ZH")
worst, issued, refused, i, why = 0.0, 0, 0, 0, ""
while not stop.exists():
    start = time.perf_counter()
    try:
        queue.issue_ticket(DeskContext(None, None), lines[i % len(lines)])
        issued += 1
    except Exception as exc:
        refused += 1
        why = repr(exc)[:200]
    if i >= 3:  # the first tickets load the code: not a wait
        worst = max(worst, time.perf_counter() - start)
    i += 1
    if i == 3:
        Path(sys.argv[2] + ".ready").write_text("")
    time.sleep(0.05)
if why:
    print("kiosk refused:", why, file=sys.stderr)
database.close()
out.write_text(f"{worst} {issued} {refused}")
"""


def bench_import_lock(matters: int = 20_000) -> Metric:
    """The longest time the write lock is held while `catalogue import` replaces the demo
    catalogue with a generated one of `matters` matters, while a kiosk (another process)
    keeps issuing tickets, each in its own write transaction; and the longest the kiosk
    waited for one ticket meanwhile."""
    from app.catalogue.generate import write_catalogue
    from app.catalogue.importer import import_catalogue_staged
    from app.startup import open_desk
    from db.engine import DB_FILE_NAME

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        open_desk(data).database.close()
        catalogue = Path(tmp) / "catalogue.json"
        write_catalogue(catalogue, matters=matters)
        stop, out = Path(tmp) / "stop", Path(tmp) / "kiosk.txt"
        kiosk = subprocess.Popen(
            [sys.executable, "-c", _KIOSK, str(data / DB_FILE_NAME), str(stop), str(out)]
        )
        try:
            ready = Path(str(stop) + ".ready")
            deadline = time.monotonic() + 60
            while not ready.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            from app.startup import open_store

            database = open_store(data)
            lock_times: list[float] = []
            try:
                import_catalogue_staged(database, catalogue, lock_times)
            finally:
                database.close()
            time.sleep(0.2)
        finally:
            stop.write_text("")
            kiosk.wait(timeout=60)
        worst, issued, refused = out.read_text().split()
    return {
        "import_lock_ms": max(lock_times) * 1000,
        "import_kiosk_wait_ms": float(worst) * 1000,
        "import_kiosk_tickets": float(issued),
        "import_kiosk_refused": float(refused),
    }


#: Another process's write transaction, held open until told to let go (a line on stdin).
_HOLD_WRITE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO event (id, at, entity, entity_id, kind, data)"
             " VALUES ('BENCH-HELD', '2026-01-01 00:00:00', 'bench', '1', 'held', '{}')")
print("holding", flush=True)
sys.stdin.readline()
conn.rollback()
"""


def bench_read_during_write(runs: int = 30) -> Metric:
    """`read_during_write_ms`: today's queue (a window's queue and the waiting counts, the
    queue's read path through `Database.read()`) read while ANOTHER PROCESS holds a write
    transaction on the same file; median of `runs` reads."""
    from app.queue.backend import LocalQueue
    from app.startup import open_desk
    from db.engine import DB_FILE_NAME

    with tempfile.TemporaryDirectory() as tmp:
        setup = open_desk(Path(tmp) / "data")
        try:
            writer = LocalQueue(setup.database.session)
            for i in range(40):
                writer.issue_ticket(setup.ctx, ("QY", "BDC", "SB")[i % 3])
            queue = LocalQueue(setup.database.read)
            path = setup.data_dir / DB_FILE_NAME
            with subprocess.Popen(
                [sys.executable, "-c", _HOLD_WRITE, str(path)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            ) as holder:
                assert holder.stdin is not None and holder.stdout is not None
                try:
                    if holder.stdout.readline().strip() != "holding":
                        raise RuntimeError("the writing process did not start")
                    times = []
                    for _ in range(runs):
                        start = time.perf_counter()
                        queue.window_queue(setup.ctx.window_number or 1)
                        queue.waiting_counts()
                        times.append(time.perf_counter() - start)
                finally:
                    holder.stdin.write("\n")
                    holder.stdin.close()
                    holder.wait(timeout=30)
        finally:
            setup.database.close()
    return {"read_during_write_ms": statistics.median(times) * 1000}


BENCHMARKS: dict[str, Callable[[], Metric]] = {
    "startup": bench_startup,
    "catalogue": _catalogue,
    "cases": _cases,
    "printing": _printing,
    "queue": _queue,
    "store": bench_read_during_write,
    "ui": _ui,
    "import_lock": bench_import_lock,
}


#: A metric's name ends in its unit; the areas' other keys (run counts, sizes) are left out.
UNITS = ("_s", "_ms")


def run_benchmarks(only: str | None = None) -> Metric:
    results: Metric = {}
    for name, run in BENCHMARKS.items():
        if only and only not in name:
            continue
        results.update({k: round(v, 3) for k, v in run().items() if k.endswith(UNITS)})
    return results


def print_table(results: Metric) -> None:
    width = max((len(k) for k in results), default=10)
    print(f"{'metric':<{width}}  {'median':>10}  {'target':>8}")
    for key, value in results.items():
        target = TARGETS.get(key)
        mark = "" if target is None else ("  ok" if value <= target else "  OVER")
        shown = "" if target is None else f"< {target:g}"
        print(f"{key:<{width}}  {value:>10.3f}  {shown:>8}{mark}")
