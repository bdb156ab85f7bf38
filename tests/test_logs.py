"""The log: a rotating, owner-only file in the data directory, with no personal data; the crash
dialog says where it is."""

from __future__ import annotations

import ast
import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

import app.logs
from app.cli import main
from app.logs import mask_personal, start_file_log, stop_file_log
from ui import qtlog

ROOT = Path(__file__).resolve().parent.parent
ID_18 = "11010519491231002X"
ID_15 = "110105491231002"
PHONE = "13812345678"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def file_log(tmp_path: Path) -> Iterator[Path]:
    old = os.umask(0o022)
    try:
        start_file_log(tmp_path)
        yield tmp_path / "logs" / "onewindow.log"
    finally:
        stop_file_log()
        os.umask(old)


def test_mask_personal_numbers_but_not_case_or_document_numbers() -> None:
    text = f"id {ID_18}, old id {ID_15}, phone {PHONE}; case 22080020261130010001 SL22080020261130010001"
    masked = mask_personal(text)
    assert ID_18 not in masked and ID_15 not in masked and PHONE not in masked
    assert masked.count("<id-number>") == 2 and "<phone>" in masked
    assert "22080020261130010001" in masked and "SL22080020261130010001" in masked
    assert mask_personal("x11010519491231002x") == "x11010519491231002x"  # part of a word


def test_the_log_file_is_private_and_masks_personal_data(file_log: Path) -> None:
    log = logging.getLogger("test.logs")
    log.info("applicant %s phone %s", ID_18, PHONE)
    try:
        raise ValueError(f"bad id {ID_18}")
    except ValueError:
        log.exception("failed")
    text = file_log.read_text(encoding="utf-8")
    assert "applicant <id-number> phone <phone>" in text
    assert "ValueError: bad id <id-number>" in text
    assert ID_18 not in text and PHONE not in text
    assert mode(file_log) == 0o600 and mode(file_log.parent) == 0o700


def test_rotated_files_are_private_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.logs, "MAX_BYTES", 300)
    old = os.umask(0o000)
    try:
        start_file_log(tmp_path)
        for i in range(40):
            logging.getLogger("test.rotate").warning("line %d %s", i, "x" * 40)
    finally:
        stop_file_log()
        os.umask(old)
    files = sorted((tmp_path / "logs").iterdir())
    assert len(files) == 1 + app.logs.BACKUPS
    assert {mode(f) for f in files} == {0o600}


def test_a_command_that_opens_the_data_directory_logs_there(tmp_path: Path) -> None:
    data = tmp_path / "data"
    hall = ROOT / "resources" / "catalogue" / "baicheng-hall.json"
    assert main(["--data-dir", str(data), "hall", "import", str(hall)]) == 0
    log = data / "logs" / "onewindow.log"
    assert "hall configuration imported" in log.read_text(encoding="utf-8")
    assert mode(log) == 0o600
    assert app.logs.current_log_file() is None  # closed when the command ends


def test_the_desk_logs_in_its_data_directory(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        ONEWINDOW_EXIT_AFTER_SHOWN="1",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(data), "--clerk", "BC0101"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "window-shown" in result.stdout, result.stderr
    log = data / "logs" / "onewindow.log"
    assert log.exists() and mode(log) == 0o600


def test_crash_dialog_says_where_the_log_is(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "logs" / "onewindow.log"
    qtlog.install_crash_dialog(path)
    seen: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and box.objectName() == "crashDialog"
        seen.append(box.informativeText())
        box.close()

    QTimer.singleShot(0, read_and_close)
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        qtlog._excepthook(RuntimeError, exc, exc.__traceback__)
    finally:
        sys.excepthook = sys.__excepthook__
    assert seen and str(path) in seen[0]


PERSONAL = {"name", "phone", "applicant", "agent"}  # and id_number


def _log_calls(tree: ast.AST) -> Iterator[ast.Call]:
    levels = {"debug", "info", "warning", "error", "exception", "critical", "log"}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in levels
            and isinstance(node.func.value, ast.Name | ast.Call)
            and (
                getattr(node.func.value, "id", "") in {"log", "logger", "logging"}
                or "getLogger" in ast.unparse(node.func.value)
            )
        ):
            yield node


def test_no_log_call_names_a_person() -> None:
    """The log calls of app/ and ui/ pass no names, phones or ID numbers (the filter is only a
    safety net, and cannot recognise a name)."""
    offending = []
    for path in [*(ROOT / "app").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        for call in _log_calls(ast.parse(path.read_text(encoding="utf-8"))):
            names = {
                n.id if isinstance(n, ast.Name) else n.attr
                for a in call.args[1:]
                for n in ast.walk(a)
                if isinstance(n, ast.Name | ast.Attribute)
            }
            words = {w for n in names if not n.startswith("__") for w in n.lower().split("_")}
            if words & PERSONAL or any("id_number" in n for n in names):
                offending.append(f"{path.relative_to(ROOT)}:{call.lineno}: {ast.unparse(call)}")
    assert offending == []
