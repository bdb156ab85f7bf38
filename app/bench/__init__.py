"""`python -m app bench`: the project's performance numbers, printed, never asserted.

Each metric is a median over repeated runs (the machines are noisy); names end in their unit.
Each area's measurements live in this package (catalogue, cases, printing, queue); this module
runs and prints them, and holds the cross-area ones (startup, the store, the import's lock).
"""

from __future__ import annotations

import json
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
    "search_box_p95_ms": 10.0,
    "accept_case_ms": 20.0,
    "checklist_build_ms": 10.0,
    "receipt_pdf_ms": 40.0,
    "ticket_pdf_ms": 20.0,
    "call_next_local_ms": 5.0,
    "read_during_write_ms": 50.0,
    "ui_stall_ms": 50.0,
    "import_lock_ms": 200.0,
    "startup_100k_cases_s": 1.0,
    "db_bytes_per_case": 6000.0,
    "desk_rss_mb": 250.0,
    "save_refresh_ms": 30.0,
    "case_find_p95_ms": 10.0,
    "kpi_year_ms": 500.0,
    "live_refresh_ms": 50.0,
    "push_10k_ops_s": 5.0,
    "pull_catalogue_20k_s": 5.0,
    "idle_sync_ms": 50.0,
    "call_next_central_p95_ms": 20.0,
}


def _compile_desk() -> None:
    """The desk's modules as bytecode, as on a desk that ran before (or a wheel's install): a
    machine with PYTHONDONTWRITEBYTECODE (CI, containers) would otherwise compile every
    changed module from source at every start and time the compiler, not the start."""
    import compileall

    root = Path(__file__).resolve().parents[2]
    for package in ("app", "db", "ui"):
        compileall.compile_dir(root / package, quiet=1)


def _start_desk(data: Path, runs: int) -> list[float]:
    """Start the desk on `data` `runs` times (offscreen): seconds from process start to the
    first painted window."""
    _compile_desk()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONEWINDOW_EXIT_AFTER_SHOWN="1")
    # --clerk: the demo's way past the sign-in (a benchmark has nobody to type a PIN).
    cmd = [sys.executable, "-m", "app", "--data-dir", str(data), "--clerk", "BC0101"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("window-shown"):
                times.append(time.perf_counter() - start)
                break
        proc.stdout.read()
        proc.wait()
    if len(times) != runs:
        raise RuntimeError("the desk did not show its window")
    return times


def _settled_desk(data: Path, runs: int) -> list[dict[str, float]]:
    """Start the desk on `data` `runs` times (offscreen) and let it run until the work its
    start left for after the first paint is done (the matter index, the case list, reportlab
    and the fonts, the audit chain, a big file's whole check: ui/settle.py): each run's memory
    then, in MB (`rss` resident now, `peak` the most it held)."""
    _compile_desk()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONEWINDOW_EXIT_AFTER_SETTLED="1")
    cmd = [sys.executable, "-m", "app", "--data-dir", str(data), "--clerk", "BC0101"]
    reports = []
    for _ in range(runs):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
        lines = [line for line in done.stdout.splitlines() if line.startswith("settled ")]
        if not lines:
            raise RuntimeError(f"the desk did not settle: {done.stderr.strip()[-500:]}")
        report = json.loads(lines[-1].removeprefix("settled "))
        if not report["settled"]:
            raise RuntimeError("the desk's deferred start work did not finish")
        reports.append(report)
    return reports


def bench_startup(runs: int = 5) -> Metric:
    """Process start to main window painted (offscreen), on a desk whose first run is over."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONEWINDOW_EXIT_AFTER_SHOWN="1")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "app", "--data-dir", tmp, "--clerk", "BC0101"]
        first = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        if "window-shown" not in first.stdout:
            raise RuntimeError(f"the desk did not start: {first.stderr.strip()[-500:]}")
        times = _start_desk(Path(tmp), runs)
    return {"startup_to_window_s": statistics.median(times)}


def bench_startup_100k(
    runs: int = 5, cases: int = 100_000, matters: int = 20_000, memory_runs: int = 3
) -> Metric:
    """`startup_100k_cases_s`: the same start on a seeded desk of `cases` cases and a
    `matters`-matter catalogue (app/bench/seed.py); `desk_rss_mb`: the desk's resident memory
    once the work its start deferred is done (median of `memory_runs` starts), and
    `desk_peak_rss_mb` the most any of them held meanwhile."""
    from app.bench.seed import seeded_desk

    with tempfile.TemporaryDirectory() as tmp:
        data = seeded_desk(Path(tmp), cases=cases, matters=matters)
        # The first start after a copy (today's backup, a copied file's first reads) settles
        # before anything is counted.
        _settled_desk(data, 1)
        times = _start_desk(data, runs)
        memory = _settled_desk(data, memory_runs)
    return {
        "startup_100k_cases_s": statistics.median(times),
        "desk_rss_mb": statistics.median(m["rss"] for m in memory),
        "desk_peak_rss_mb": max(m["peak"] for m in memory),
    }


def bench_case_desk(cases: int = 100_000, matters: int = 20_000, runs: int = 30) -> Metric:
    """On a seeded desk of `cases` cases (app/bench/seed.py), as the desk runs
    (synchronous=FULL): `save_refresh_ms`, a case saved through the services and the case
    list's first page read again, as after Ctrl+S; `case_find_p95_ms`, finding cases by name,
    by ID number and by 6 digits (p95 over all three kinds)."""
    from app.bench.seed import applicant_of, seeded_desk, template_entries
    from app.clock import hall_day
    from app.services.applicant import ApplicantData
    from app.services.case_queries import find_cases, list_cases
    from app.services.intake import save_case
    from app.startup import open_desk
    from db.base import utcnow

    with tempfile.TemporaryDirectory() as tmp:
        # The same seeded desk as startup_100k's (one seed in the cache for both).
        data = seeded_desk(Path(tmp), cases=cases, matters=matters)
        setup = open_desk(data)
        database = setup.database
        try:
            code, entries = template_entries(database)
            today = hall_day(utcnow())
            saves: list[float] = []
            for i in range(runs):
                name, ident, phone = applicant_of(cases + 1000 + i)
                applicant = ApplicantData(kind="person", name=name, id_number=ident, phone=phone)
                start = time.perf_counter()
                with database.write() as s:
                    save_case(
                        s,
                        setup.ctx,
                        applicant=applicant,
                        matter_codes=[code],
                        bundle_code=None,
                        entries=entries,
                        commitment_signed=False,
                    )
                with database.read() as s:
                    list_cases(s, today=today)
                saves.append((time.perf_counter() - start) * 1000)
            finds: list[float] = []
            for i in range(0, cases, max(1, cases // runs)):
                name, ident, _phone = applicant_of(i)
                for query in (name, ident, ident[6:12]):
                    start = time.perf_counter()
                    with database.read() as s:
                        find_cases(s, query, today)
                    finds.append((time.perf_counter() - start) * 1000)
        finally:
            database.close()
    return {
        "save_refresh_ms": statistics.median(saves),
        "case_find_p95_ms": statistics.quantiles(finds, n=20)[-1],
    }


def bench_db_growth(cases: int = 200) -> Metric:
    """`db_bytes_per_case`: the database file's growth per case saved through the real
    services (save_case, then its papers), measured after a WAL checkpoint, on a desk that
    already holds 2,000 seeded cases."""
    import sqlite3

    from app.bench.seed import applicant_of, seeded_desk, template_entries
    from app.services.applicant import ApplicantData
    from app.services.case_documents import documents_for_case
    from app.services.intake import save_case
    from app.startup import open_desk
    from db.engine import DB_FILE_NAME

    with tempfile.TemporaryDirectory() as tmp:
        data = seeded_desk(Path(tmp), cases=2_000, matters=0)
        setup = open_desk(data)
        database = setup.database
        path = data / DB_FILE_NAME

        def checkpoint() -> int:
            conn = sqlite3.connect(path, isolation_level=None)
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
            return path.stat().st_size

        try:
            code, entries = template_entries(database)
            before = checkpoint()
            for i in range(cases):
                name, ident, phone = applicant_of(900_000 + i)
                with database.write() as s:
                    saved = save_case(
                        s,
                        setup.ctx,
                        applicant=ApplicantData("person", name, ident, phone),
                        matter_codes=[code],
                        entries=entries,
                        commitment_signed=False,
                    )
                with database.write() as s:
                    documents_for_case(s, setup.ctx, saved.case.id)
            after = checkpoint()
        finally:
            database.close()
    return {"db_bytes_per_case": (after - before) / cases}


def _catalogue() -> Metric:
    from app.bench.catalogue import bench_import, bench_search_generated

    with tempfile.TemporaryDirectory() as tmp:
        return {**bench_import(Path(tmp)), **bench_search_generated(Path(tmp), 100_000)}


def _cases() -> Metric:
    from app.bench.cases import bench_cases

    return bench_cases()


def _printing() -> Metric:
    from app.bench.printing import bench_printing

    return bench_printing()


def _queue() -> Metric:
    from app.bench.queue import bench_queue

    return bench_queue()


def _manager() -> Metric:
    from app.bench.manager import bench_manager

    return bench_manager()


def _manager_central() -> Metric:
    from app.bench.manager_central import bench_kpi_central

    return bench_kpi_central()


def _central() -> Metric:
    from app.bench.central import bench_central

    return bench_central()


def _ui() -> Metric:
    """The window's longest stall while a case is saved and previewed (ui/bench.py), run in its
    own process: app/ never imports ui/."""
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


def _trust() -> Metric:
    from app.bench.trust import bench_trust

    return bench_trust()


def _cipher() -> Metric:
    from app.bench.cipher import bench_cipher

    return bench_cipher()


BENCHMARKS: dict[str, Callable[[], Metric]] = {
    "startup": bench_startup,
    "startup_100k": bench_startup_100k,
    "db_growth": bench_db_growth,
    "case_desk": bench_case_desk,
    "catalogue": _catalogue,
    "cases": _cases,
    "printing": _printing,
    "queue": _queue,
    "store": bench_read_during_write,
    "ui": _ui,
    "import_lock": bench_import_lock,
    "manager": _manager,
    "manager_central": _manager_central,
    "trust": _trust,
    "cipher": _cipher,
    "central": _central,
}


#: A metric's name ends in its unit; the areas' other keys (run counts, sizes) are left out.
UNITS = ("_s", "_ms", "_mb", "_per_case")


def run_benchmarks(only: str | None = None) -> Metric:
    results: Metric = {}
    for name, run in BENCHMARKS.items():
        # A group's own name runs that group alone; anything else, every group containing it.
        if only and (only != name if only in BENCHMARKS else only not in name):
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
