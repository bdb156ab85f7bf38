"""How long the staged catalogue import pauses between two of its write transactions.

The pause is there for a writer that began waiting while the import held the lock (the
clerk's own writes, a kiosk's): it must get the lock before the import's next transaction.
Such a writer waits in SQLite's busy handler (`PRAGMA busy_timeout`), which sleeps 1, 2, 5,
10, 15, 20, 25, 25, 25, 50, 50, then 100 ms between tries (sqliteDefaultBusyCallback): after
waiting w ms it tries again at most `_delay(w)` ms later. A writer that arrived during a
transaction that held h ms has waited at most h, so a pause of `_delay(h)` (plus a margin)
always lets it in. The pause used to be h itself, which doubled the time of a large import
(a 20,000-matter catalogue from the central store) without letting anyone in sooner."""

from __future__ import annotations

#: SQLite's busy handler: its sleeps (ms) and the total slept before each.
_DELAYS_MS = (1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100)
_TOTALS_MS = tuple(sum(_DELAYS_MS[:i]) for i in range(len(_DELAYS_MS)))
#: Beyond the writer's sleep: the time it takes to wake up and take the lock.
MARGIN_S = 0.005


def _delay_ms(waited_ms: float) -> int:
    """The busy handler's next sleep after `waited_ms` of waiting."""
    for total, delay in zip(reversed(_TOTALS_MS), reversed(_DELAYS_MS), strict=True):
        if waited_ms >= total:
            return delay
    return _DELAYS_MS[0]


def pause_after(held_s: float, least_s: float) -> float:
    """Seconds to pause after a write transaction that held the lock `held_s` seconds."""
    return max(least_s, _delay_ms(held_s * 1000) / 1000 + MARGIN_S)
