"""How long the desk waits for paper: median warm render time of the demo receipt and ticket."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from app.printing.fonts import register_fonts
from app.printing.render import render
from app.printing.samples import demo_receipt, demo_ticket

#: Targets: a receipt within 40 ms, a ticket within 20 ms.
TARGETS_MS = {"receipt_pdf_ms": 40.0, "ticket_pdf_ms": 20.0}


def _median_ms(work: Callable[[], object], runs: int) -> float:
    work()  # warm: fonts parsed, caches filled
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def accelerated() -> bool:
    """Whether reportlab runs with its C helpers (the rl_accel package) or pure Python ones,
    which make a receipt roughly three times slower."""
    from reportlab.lib import rl_accel

    return type(rl_accel.fp_str).__name__ == "builtin_function_or_method"


#: A session's first papers, in a fresh process, after the warm-up the desk runs once its
#: window is painted (ui/main_window.py `warm_printing`: reportlab, the main font and a
#: throwaway paper of another case, app.printing.render.warm_up). The
#: demo applicant's name (王䶮) needs the fallback font, a plain name does not.
_FIRST_PAPER = """
import dataclasses, json, time
from app.printing import render as rendering
rendering.warm_up()
from app.printing.samples import demo_receipt
receipt = demo_receipt()
plain = dataclasses.replace(receipt, applicant=dataclasses.replace(receipt.applicant, name="王伟"))
times = []
for paper in (plain, receipt, receipt):
    start = time.perf_counter()
    rendering.render(paper)
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps(times))
"""


def bench_first_papers(runs: int = 3) -> dict[str, float]:
    """`first_receipt_pdf_ms`: a session's first receipt (a plain name) after the desk's
    warm-up; `first_rare_name_receipt_pdf_ms`: the next one, whose name needs the fallback
    font (parsed then); `warm_receipt_pdf_ms`: the one after. Medians over `runs` processes."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, PYTHONPATH=root)
    rows = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _FIRST_PAPER],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    first, rare, warm = (statistics.median(column) for column in zip(*rows, strict=True))
    return {
        "first_receipt_pdf_ms": round(first, 2),
        "first_rare_name_receipt_pdf_ms": round(rare, 2),
        "warm_receipt_pdf_ms": round(warm, 2),
    }


def bench_printing(runs: int = 50, first_runs: int = 3) -> dict[str, Any]:
    register_fonts()
    receipt, ticket = demo_receipt(), demo_ticket()
    result: dict[str, Any] = {
        "receipt_pdf_ms": _median_ms(lambda: render(receipt), runs),
        "ticket_pdf_ms": _median_ms(lambda: render(ticket), runs),
        **bench_first_papers(first_runs),
        "runs": runs,
        "rl_accel": accelerated(),
    }
    result["within_targets"] = all(result[k] < v for k, v in TARGETS_MS.items())
    return result
