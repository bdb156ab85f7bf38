"""The command line: mistakes give one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.errors import UserError
from app.startup import open_desk, prepare_data_dir

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {"ONEWINDOW_DATA_DIR": str(env_dir), "QT_QPA_PLATFORM": "offscreen", "PATH": ""}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [("--bogus",), ("catalogue",), ("catalogue", "frobnicate"), ("desk", "--window", "x")],
)
def test_bad_command_line_is_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run(*args, env_dir=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "错误" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_data_dir_is_one_line_and_nothing_created(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    hall_file = ROOT / "resources" / "catalogue" / "baicheng-hall.json"
    result = run(
        "--data-dir", str(blocker / "data"), "hall", "import", str(hall_file), env_dir=tmp_path
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "数据目录不可写" in result.stderr
    assert blocker.read_text() == "not a directory"


def test_prepare_data_dir_refuses_a_file_in_the_way(tmp_path: Path) -> None:
    blocker = tmp_path / "f"
    blocker.write_text("")
    with pytest.raises(UserError, match="数据目录不可写"):
        prepare_data_dir(blocker / "sub")


def test_data_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEWINDOW_DATA_DIR", str(tmp_path / "envdir"))
    assert prepare_data_dir(None) == tmp_path / "envdir"
    assert prepare_data_dir(tmp_path / "flag") == tmp_path / "flag"


def test_first_run_imports_demo_and_signs_in(tmp_path: Path) -> None:
    setup = open_desk(tmp_path / "d")
    try:
        assert setup.ctx.window_number == 1 and setup.ctx.clerk_id
        assert (tmp_path / "d" / "onewindow.sqlite3").exists()
    finally:
        setup.database.close()
    again = open_desk(tmp_path / "d", window_number=3, clerk_id="BC0103")
    try:
        assert again.ctx.window_number == 3 and again.ctx.clerk_id == "BC0103"
    finally:
        again.database.close()


def test_bad_window_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "d"), "hall", "import", "/nonexistent.json"]) == 1
    assert "无法读取大厅配置文件" in capsys.readouterr().err


def test_no_screen_is_one_line_not_a_core_dump(tmp_path: Path) -> None:
    env = {"ONEWINDOW_DATA_DIR": str(tmp_path), "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-m", "app"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "没有可用的显示器" in result.stderr
