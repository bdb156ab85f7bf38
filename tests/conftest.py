"""Test set-up shared by every test: headless Qt, and a fresh data directory and database per
test so no test touches a real desk's data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Qt aborts without a display unless told to render offscreen; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import sys

import pytest

from db.engine import Database, open_database


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own data directory; nothing reads the machine's real one."""
    data = tmp_path / "data"
    monkeypatch.setenv("ONEWINDOW_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return data


@pytest.fixture(autouse=True)
def _chinese_locale() -> None:
    """Qt tests run in the desk's own locale (the launcher sets it; the machine may not)."""
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QLocale

        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """An opened, migrated, empty desk database in a temporary file."""
    database = open_database(tmp_path / "desk.sqlite3")
    try:
        yield database
    finally:
        database.close()
