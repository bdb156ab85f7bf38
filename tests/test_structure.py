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
