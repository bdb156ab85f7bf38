"""The window-stall benchmark drives a real save through the panel (its number is printed by
`python -m app bench`, never asserted)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.bench import BENCHMARKS, TARGETS
from ui.bench import bench_ui_stall


def test_the_stall_bench_saves_and_previews_a_case(qtbot: QtBot) -> None:
    result = bench_ui_stall(runs=1)
    assert set(result) == {"ui_stall_ms", "ui_stall_max_ms"}
    assert result["ui_stall_ms"] > 0


def test_the_bench_runs_it_with_its_target() -> None:
    assert "ui" in BENCHMARKS and TARGETS["ui_stall_ms"] == 50.0
