"""The manager's benchmark runs end to end on a small simulated period (its numbers are printed
by `python -m app bench`, never asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_bench_manager_on_a_small_period(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.bench.manager import bench_manager

    monkeypatch.setenv("ONEWINDOW_BENCH_CACHE", str(tmp_path / "cache"))
    result = bench_manager(runs=1, days=40, per_day=40)
    assert set(result) == {
        "kpi_year_ms", "kpi_year_rollup_build_ms", "kpi_year_tickets", "live_refresh_ms",
    }  # fmt: skip
    assert result["kpi_year_tickets"] > 500
    # Seeded once: the second run reuses the cached period (and rebuilds only the rollups).
    assert len(list((tmp_path / "cache").iterdir())) == 1
    assert (
        bench_manager(runs=1, days=40, per_day=40)["kpi_year_tickets"] == result["kpi_year_tickets"]
    )


def test_bench_kpi_central_on_a_small_period(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.bench.manager_central import bench_kpi_central

    monkeypatch.setenv("ONEWINDOW_BENCH_CACHE", str(tmp_path / "cache"))
    result = bench_kpi_central(runs=1, days=35, per_day=30)
    assert {"kpi_central_month_ms", "kpi_central_month_first_ms", "mirror_catch_up_month_s"} <= set(
        result
    )
    assert result["kpi_central_month_tickets"] > 300
