"""`python -m app status`: what the store holds, read without waiting and without creating."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.cli import build_parser
from app.status import print_status, read_status
from db.engine import DB_FILE_NAME, head_revision

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / "tests" / "data" / "release-0.1.0.sqlite3"
#: The day the release database's tickets and cases were made (hall time).
THAT_DAY = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    directory = tmp_path / "data"
    directory.mkdir()
    shutil.copyfile(RELEASE, directory / DB_FILE_NAME)
    return directory


def status_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "status", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "", "PYTHONPATH": str(ROOT), **env},
        timeout=60,
    )


def test_status_parser_follows_bench() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sub.choices is not None
    names = list(sub.choices)
    assert names[names.index("bench") + 1] == "status"
    assert parser.parse_args(["status", "--data-dir", "x"]).data_dir == "x"


def test_status_counts_a_days_tickets_cases_and_outbox(data: Path) -> None:
    status = read_status(data, now=THAT_DAY)
    assert status.data_dir == str(data)
    assert status.size_bytes == RELEASE.stat().st_size
    # Release 0.1.0 made it at 0001; status reads it as it is (the desk upgrades it).
    assert status.revision == "0001" and status.head == head_revision() != "0001"
    assert status.tickets == {"called": 1, "waiting": 2}
    assert (status.cases, status.outbox) == (2, 56)
    out = io.StringIO()
    print_status(status, out)
    text = out.getvalue()
    assert f"数据目录：{data}" in text
    assert f"0001（下次启动工作台时升级到 {head_revision()}）" in text
    assert "取号：3 张（已叫号 1，等候中 2）" in text
    assert "今日受理：2 件" in text and "待同步：56 项" in text


def test_status_with_data_dir_reads_and_changes_nothing(data: Path, tmp_path: Path) -> None:
    path = data / DB_FILE_NAME
    before = sha(path)
    result = status_cli("--data-dir", str(data), env={"HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert f"数据目录：{data}" in result.stdout
    assert "待同步：56 项" in result.stdout and "KB" in result.stdout
    assert sha(path) == before
    assert sorted(p.name for p in data.iterdir()) == [DB_FILE_NAME]


def test_status_from_the_environment(data: Path, tmp_path: Path) -> None:
    result = status_cli(env={"ONEWINDOW_DATA_DIR": str(data), "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert f"数据目录：{data}" in result.stdout


@pytest.mark.parametrize("how", ["flag", "environment", "home"])
def test_status_never_creates_a_database(tmp_path: Path, how: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home)}
    args: tuple[str, ...] = ()
    if how == "flag":
        args = ("--data-dir", str(tmp_path / "nowhere"))
    elif how == "environment":
        env["ONEWINDOW_DATA_DIR"] = str(tmp_path / "nowhere")
    result = status_cli(*args, env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "还没有数据库" in lines[0], result.stderr
    assert not (tmp_path / "nowhere").exists()
    assert list(home.iterdir()) == []
    if how == "home":
        assert str(home / ".local" / "share" / "onewindow") in lines[0]


def test_status_with_an_empty_data_dir_is_one_line(tmp_path: Path) -> None:
    result = status_cli("--data-dir", "", env={"HOME": str(tmp_path)})
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "数据目录不能为空" in result.stderr


HOLD_WRITE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("BEGIN IMMEDIATE")
conn.execute(
    "INSERT INTO event (id, at, entity, entity_id, kind, data) "
    "VALUES ('HELD', '2026-11-30 00:00:00', 'x', '1', 'held', '{}')"
)
print("holding", flush=True)
sys.stdin.readline()
conn.rollback()
conn.close()
"""


def test_status_does_not_wait_for_a_writer(data: Path, tmp_path: Path) -> None:
    """Another process holds a write transaction (with an uncommitted outbox row): status
    answers from the last committed snapshot instead of waiting for the lock."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE, str(data / DB_FILE_NAME)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        _while_held(holder, data, tmp_path)


def _while_held(holder: subprocess.Popen[str], data: Path, tmp_path: Path) -> None:
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        result = status_cli("--data-dir", str(data), env={"HOME": str(tmp_path)})
        assert result.returncode == 0, result.stderr
        assert "待同步：56 项" in result.stdout
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)


def test_status_of_a_damaged_database_is_one_line(data: Path, tmp_path: Path) -> None:
    path = data / DB_FILE_NAME
    with path.open("r+b") as f:
        f.seek(0)
        f.write(b"\x00" * 100)
    result = status_cli("--data-dir", str(data), env={"HOME": str(tmp_path)})
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert os.listdir(data) == [DB_FILE_NAME]
