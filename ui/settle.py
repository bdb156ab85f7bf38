"""When the start's deferred work is done: the memory benchmark's mark.

After the first paint the desk builds the matter index and reads the case list on the
database's worker, loads reportlab and the fonts and checks the audit chain on Qt's pool, and
checks a big file whole on a thread of its own (ui/launch.py). Memory read at the first paint
races that work; read once all of it is over, it is what the desk holds while the clerk works.
"""

from __future__ import annotations

import json
import resource
import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QThreadPool, QTimer
from PySide6.QtWidgets import QWidget

from ui.operations import _LIVE  # every live worker (the database's, the printer's)

#: How often the desk looks whether its workers are idle, and how many looks in a row must
#: find them idle (work asked for by a callback starts within one look).
POLL_MS = 100
QUIET_POLLS = 5
#: Past this the desk reports anyway, marked as not settled.
SETTLE_LIMIT_S = 300.0


def memory() -> dict[str, float]:
    """This process's memory in MB: resident now (`rss`, of which `anon` is its own heap and
    `file` mapped files such as Qt's libraries) and its peak (`peak`). Linux reads
    /proc/self/status; elsewhere only the peak is known (then reported for both)."""
    fields: dict[str, float] = {}
    status = Path("/proc/self/status")
    if status.exists():
        names = {"VmRSS": "rss", "VmHWM": "peak", "RssAnon": "anon", "RssFile": "file"}
        for line in status.read_text().splitlines():
            key, _, value = line.partition(":")
            if key in names:
                fields[names[key]] = int(value.split()[0]) / 1024  # kB
    if "rss" not in fields:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak_mb = peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
        fields.update(rss=peak_mb, peak=peak_mb)
    return fields


def is_settled(thread: threading.Thread | None) -> bool:
    """Every operations worker idle, Qt's shared pool idle, and `thread` (the whole-file check,
    started late on a timer) started and finished."""
    if thread is not None and (thread.ident is None or thread.is_alive()):
        return False
    if QThreadPool.globalInstance().activeThreadCount():
        return False
    return all(ops.is_idle() for ops in list(_LIVE))


def exit_when_settled(
    app: QCoreApplication, windows: list[QWidget], thread: threading.Thread | None = None
) -> QTimer:
    """Once the deferred work is done (`is_settled` on QUIET_POLLS looks in a row), print one
    line, "settled" and a JSON object (seconds since the process started, memory, what was
    loaded), then quit `app`."""
    started = time.monotonic()
    quiet = 0
    timer = QTimer(app)

    def look() -> None:
        nonlocal quiet
        quiet = quiet + 1 if is_settled(thread) else 0
        timed_out = time.monotonic() - started > SETTLE_LIMIT_S
        if quiet < QUIET_POLLS and not timed_out:
            return
        timer.stop()
        panel = getattr(windows[0], "case_panel", None) if windows else None
        report = {
            "settled": not timed_out,
            "after_s": round(time.monotonic() - started, 3),
            **{k: round(v, 1) for k, v in memory().items()},
            "index_loaded": bool(getattr(panel, "index_loaded", False)),
            "reportlab": "reportlab" in sys.modules,
        }
        print("settled", json.dumps(report), flush=True)
        app.quit()

    timer.timeout.connect(look)
    timer.start(POLL_MS)
    return timer
