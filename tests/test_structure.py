"""The house stays walkable: one definition per rule, no module too long to read."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "app").rglob("*.py")) + sorted((ROOT / "ui").rglob("*.py"))


def _grep(pattern: str, *, skip: tuple[str, ...] = ()) -> list[str]:
    found = []
    for path in SOURCES:
        rel = path.relative_to(ROOT).as_posix()
        if rel in skip:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(pattern, line):
                found.append(f"{rel}:{number}: {line.strip()}")
    return found


def test_the_hall_time_zone_is_defined_once() -> None:
    assert _grep(r"hours=8|Asia/Shanghai", skip=("app/clock.py",)) == []
    assert _grep(r"^def hall_day\b", skip=("app/clock.py",)) == []


def test_an_id_number_is_normalised_by_one_function() -> None:
    from app.rules.identity import normalise_id_number

    assert normalise_id_number(" 11010519491231002x ") == "11010519491231002X"
    assert normalise_id_number("91 2208 00mA0000000x") == "91220800MA0000000X"
    assert _grep(r"def normali[sz]e_(id_number|uscc)\b", skip=("app/rules/identity.py",)) == []
    assert _grep(r"def normalise_uscc\b") == []


def test_the_manager_roles_and_the_gap_statuses_are_named_once() -> None:
    from app.rules.lifecycle import GAP_STATUSES, CaseStatus
    from app.services.hall import MANAGER_ROLES, ROLES

    assert set(MANAGER_ROLES) < set(ROLES)
    assert {CaseStatus.ACCEPTED_WITH_GAP, CaseStatus.AWAITING_SUPPLEMENT} == GAP_STATUSES
    assert _grep(r"\"manager\", \"admin\"", skip=("app/services/hall.py",)) == []
    assert (
        _grep(
            r"^\s*(MANAGER_ROLES|GAP_STATUSES)\s*=",
            skip=("app/services/hall.py", "app/rules/lifecycle.py"),
        )
        == []
    )
    assert (
        _grep(
            r"ACCEPTED_WITH_GAP,\s*(CaseStatus\.|S\.)?AWAITING_SUPPLEMENT\)",
            skip=("app/rules/lifecycle.py",),
        )
        == []
    )


def test_the_queue_panel_enables_its_actions_by_the_queue_rules() -> None:
    """The window's buttons follow ACTION_STATUSES, not statuses written again in ui/."""
    ui = [line for line in _grep(r"status (==|in) \(?\"(called|serving)") if line.startswith("ui/")]
    assert ui == []


def test_benchmarks_live_with_the_bench() -> None:
    """Every `python -m app bench` measurement is in app/bench/ (ui/bench.py is the window's,
    run in its own process: app/ never imports ui/)."""
    outside = [
        line
        for line in _grep(r"^def (_?bench_\w*)\(")
        if not line.startswith(("app/bench/", "ui/bench.py"))
    ]
    assert outside == []


#: A module longer than this is split into cohesive modules before it grows further.
MAX_MODULE_LINES = 700


def test_no_module_grows_past_the_size_limit() -> None:
    too_long = {
        path.relative_to(ROOT).as_posix(): count
        for path in SOURCES
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}, f"split these modules (over {MAX_MODULE_LINES} lines): {too_long}"
