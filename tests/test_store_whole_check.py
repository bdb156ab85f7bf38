"""A big database file is not read whole before the desk shows (that would grow every start
with the cases): its schema is checked at open, the whole file after the window shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import db.engine
from db.engine import DB_FILE_NAME, DatabaseOpenError, open_database, whole_file_damage
from tests.test_store_open import a_real_database, corrupt_page


def last_page(path: Path) -> int:
    return path.stat().st_size // 4096


@pytest.fixture
def damaged_inside(tmp_path: Path) -> Path:
    """A closed database whose last page (event rows, not the schema) is overwritten."""
    path = tmp_path / DB_FILE_NAME
    a_real_database(path, events=2000)
    corrupt_page(path, last_page(path))
    return path


def test_a_small_file_is_checked_whole_at_open(damaged_inside: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="损坏"):
        open_database(damaged_inside)


def test_a_big_file_opens_after_its_schema_and_is_checked_whole_beside(
    damaged_inside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db.engine, "WHOLE_CHECK_AT_OPEN_BYTES", 0)
    assert not db.engine.checked_whole_at_open(damaged_inside)
    open_database(damaged_inside).close()  # not read whole: it opens
    error = whole_file_damage(damaged_inside)
    assert error is not None and "损坏" in str(error)


def test_a_big_file_with_a_damaged_schema_is_still_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db.engine, "WHOLE_CHECK_AT_OPEN_BYTES", 0)
    path = tmp_path / DB_FILE_NAME
    a_real_database(path)
    with path.open("r+b") as f:  # the schema's page, past the 100-byte file header
        f.seek(100)
        f.write(b"\xa5" * (4096 - 100))
    with pytest.raises(DatabaseOpenError):
        open_database(path)


def test_a_sound_file_checked_whole_says_nothing(tmp_path: Path) -> None:
    path = tmp_path / DB_FILE_NAME
    a_real_database(path)
    assert whole_file_damage(path) is None


def test_the_desk_says_when_the_whole_file_check_finds_damage(
    qtbot: QtBot, damaged_inside: Path
) -> None:
    from PySide6.QtWidgets import QWidget

    from ui.launch import WholeFileCheck

    parent = QWidget()
    qtbot.addWidget(parent)
    check = WholeFileCheck(damaged_inside, parent)
    with qtbot.waitSignal(check.damaged, timeout=30_000):
        check.start()
    qtbot.waitUntil(lambda: check.box is not None and check.box.isVisible())
    assert check.box is not None and check.box.objectName() == "databaseDamaged"
    assert "损坏" in check.box.text()
    check.box.close()
    check.worker.join(timeout=30)
