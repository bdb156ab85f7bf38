"""Staffing advice from the Erlang C queue (M/M/c): how many windows each hour needs so that
the hall keeps its target wait, from the arrivals per hour and the mean service time.

With `c` windows, arrivals λ per hour and mean service S hours, the offered load is a = λ·S
erlangs; if c > a the probability that an applicant waits at all is Erlang C,
    C(c, a) = c·B / (c − a·(1 − B)),  B = Erlang B, by the recursion B₀ = 1, Bₖ = a·Bₖ₋₁/(k + a·Bₖ₋₁),
the mean wait is C·S/(c − a), and the share served within t is 1 − C·e^(−(c − a)·t/S).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.manager.kpi import HallKpis

#: Never advise more windows than this (a guard against absurd input, not a hall's size).
MAX_WINDOWS = 1000


def erlang_c(windows: int, load: float) -> float:
    """The probability of waiting with `windows` servers and `load` erlangs (1.0 if unstable)."""
    if load <= 0:
        return 0.0
    if windows <= load:
        return 1.0
    b = 1.0
    for k in range(1, windows + 1):
        b = load * b / (k + load * b)
    return windows * b / (windows - load * (1 - b))


def mean_wait_min(windows: int, arrivals_per_hour: float, service_min: float) -> float:
    """The mean wait in minutes (infinite if the windows cannot keep up)."""
    load = arrivals_per_hour * service_min / 60
    if load <= 0:
        return 0.0
    if windows <= load:
        return math.inf
    return erlang_c(windows, load) * service_min / (windows - load)


def share_within(windows: int, arrivals_per_hour: float, service_min: float, target_min: float) -> float:  # fmt: skip
    """The share of applicants called within `target_min` minutes."""
    load = arrivals_per_hour * service_min / 60
    if load <= 0:
        return 1.0
    if windows <= load:
        return 0.0
    return 1 - erlang_c(windows, load) * math.exp(-(windows - load) * target_min / service_min)


def windows_needed(
    arrivals_per_hour: float, service_min: float, target_min: float, within: float = 0.9
) -> int:
    """The fewest windows that call at least `within` of the applicants within `target_min`."""
    if arrivals_per_hour <= 0 or service_min <= 0:
        return 0
    load = arrivals_per_hour * service_min / 60
    c = max(1, math.floor(load) + 1)
    if c > MAX_WINDOWS:
        return MAX_WINDOWS
    while share_within(c, arrivals_per_hour, service_min, target_min) < within:
        c += 1
        if c > MAX_WINDOWS:
            return MAX_WINDOWS
    return c


@dataclass(frozen=True)
class HourAdvice:
    hour: int
    arrivals: float  # per hour, average over the period's working days
    windows_open: float
    windows_needed: int


def advice(k: HallKpis, within: float = 0.9) -> list[HourAdvice]:
    """Per hour of the day: arrivals, windows open and windows needed, from the period's KPIs
    (the hall's mean service time, its target wait)."""
    days = max(1, k.working_days)
    service_min = (k.service.mean or 0) / 60
    hours = sorted({t.key for t in k.by_hour if t.key is not None} | set(k.windows_open_by_hour))
    arrivals = {t.key: t.tickets / days for t in k.by_hour}
    return [
        HourAdvice(
            hour=h,
            arrivals=arrivals.get(h, 0.0),
            windows_open=k.windows_open_by_hour.get(h, 0.0),
            windows_needed=windows_needed(
                arrivals.get(h, 0.0), service_min, k.target_wait_min, within
            ),
        )
        for h in hours
    ]
