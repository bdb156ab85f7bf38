"""Erlang C staffing advice against values worked out by hand (and the M/M/1 formulas)."""

from __future__ import annotations

import math

import pytest

from app.manager.staffing import (
    HourAdvice,
    advice,
    erlang_c,
    mean_wait_min,
    share_within,
    windows_needed,
)
from db.engine import Database


@pytest.mark.parametrize(
    ("windows", "load", "expected"),
    [
        (1, 0.5, 0.5),  # M/M/1: the probability of waiting is the utilisation
        (2, 1.0, 1 / 3),
        (3, 2.0, 4 / 9),
        (3, 0.0, 0.0),
        (2, 2.0, 1.0),  # no spare capacity: everybody waits
        (2, 5.0, 1.0),
    ],
)
def test_erlang_c(windows: int, load: float, expected: float) -> None:
    assert erlang_c(windows, load) == pytest.approx(expected)


def test_mean_wait() -> None:
    # M/M/1, λ = 3/h, S = 10 min: Wq = ρ/(μ − λ) = 0.5/(6 − 3) h = 10 minutes.
    assert mean_wait_min(1, 3, 10) == pytest.approx(10)
    assert mean_wait_min(3, 12, 10) == pytest.approx(40 / 9)
    assert mean_wait_min(2, 12, 10) == math.inf
    assert mean_wait_min(2, 0, 10) == 0


def test_share_within() -> None:
    assert share_within(3, 12, 10, 30) == pytest.approx(1 - 4 / 9 * math.exp(-3))
    assert share_within(3, 12, 10, 0) == pytest.approx(5 / 9)
    assert share_within(2, 12, 10, 30) == 0.0


@pytest.mark.parametrize(
    ("arrivals", "service", "target", "within", "expected"),
    [
        (12, 10, 30, 0.9, 3),
        (12, 10, 0, 0.9, 5),  # nobody may wait (90% called at once)
        (0, 10, 30, 0.9, 0),
        (12, 0, 30, 0.9, 0),
        (5, 8, 30, 0.9, 2),
        (1e9, 10, 30, 0.9, 1000),  # absurd input is capped
    ],
)
def test_windows_needed(arrivals: float, service: float, target: float, within: float, expected: int) -> None:  # fmt: skip
    assert windows_needed(arrivals, service, target, within) == expected


def test_more_arrivals_never_need_fewer_windows() -> None:
    needed = [windows_needed(a, 9, 15) for a in range(0, 400, 7)]
    assert needed == sorted(needed) and needed[-1] > 40


def test_advice_beside_the_windows_open(db: Database) -> None:
    from app.manager.kpi import compute
    from app.manager.period import Period
    from app.services.hall import ensure_demo_hall
    from tests.manager_data import DAY, at
    from tests.test_manager_kpi import five_served

    with db.write() as s:
        ensure_demo_hall(s)
        five_served(s)
    with db.read() as s:
        k = compute(s, Period.day(DAY), now=at("18:00"))
    # 5 arrivals at 9 o'clock, 8 minutes' mean service, target 30: two windows; two were open.
    assert advice(k) == [HourAdvice(9, 5.0, 2.0, 2)]
