"""The core (app/, db/) never imports Qt or the UI: every rule must be testable without a
screen. Checked two ways: import-linter's contract over the import graph, and a fresh
interpreter that imports every core module and finds no PySide6 loaded."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contract_holds() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_modules_load_without_qt() -> None:
    modules = [
        m.name
        for pkg in ("app", "db")
        for m in pkgutil.walk_packages([str(ROOT / pkg)], prefix=f"{pkg}.")
        if m.name not in ("app.cli", "app.__main__")  # the composition root starts the UI
        and ".migrations." not in m.name
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'ui')))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
