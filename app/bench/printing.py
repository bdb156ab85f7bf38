"""How long the desk waits for paper: median warm render time of the demo receipt and ticket."""

from __future__ import annotations

import statistics
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


def bench_printing(runs: int = 50) -> dict[str, Any]:
    register_fonts()
    receipt, ticket = demo_receipt(), demo_ticket()
    result: dict[str, Any] = {
        "receipt_pdf_ms": _median_ms(lambda: render(receipt), runs),
        "ticket_pdf_ms": _median_ms(lambda: render(ticket), runs),
        "runs": runs,
        "rl_accel": accelerated(),
    }
    result["within_targets"] = all(result[k] < v for k, v in TARGETS_MS.items())
    return result
