"""`python -m app bench`: the project's performance numbers, printed, never asserted.

Each metric is a median over repeated runs (the machines are noisy); names end in their unit.
The areas contribute their own measurements; this module only runs and prints them.
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
    "ui_stall_ms": 50.0,
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
    from app.catalogue.importer import bench_import
    from app.catalogue.search import bench_search_generated

    with tempfile.TemporaryDirectory() as tmp:
        return {**bench_import(Path(tmp)), **bench_search_generated(Path(tmp))}


def _cases() -> Metric:
    from app.services.cases import bench_cases

    return bench_cases()


def _printing() -> Metric:
    from app.printing.bench import bench_printing

    return bench_printing()


def _queue() -> Metric:
    from app.queue.bench import bench_queue

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


BENCHMARKS: dict[str, Callable[[], Metric]] = {
    "startup": bench_startup,
    "catalogue": _catalogue,
    "cases": _cases,
    "printing": _printing,
    "queue": _queue,
    "ui": _ui,
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
