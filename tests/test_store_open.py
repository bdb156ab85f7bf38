"""Opening the local store: damaged, read-only, full or missing places each give one clear line
and change nothing; starts at the same moment never refuse each other; files stay private."""

from __future__ import annotations

import errno
import hashlib
import multiprocessing
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import db.engine
from app.cli import main
from app.errors import UserError
from app.startup import open_desk, prepare_data_dir
from db.engine import DB_FILE_NAME, DatabaseOpenError, StoreBusy, open_database
from db.models.sync import Event

# A valid file: each command below gets as far as opening the store.
HALL_FILE = str(Path(__file__).resolve().parent.parent / "resources/catalogue/baicheng-hall.json")

ROOT = Path(__file__).resolve().parent.parent


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def side_files(path: Path) -> list[str]:
    """SQLite's files beside the database (its WAL, shared memory, rollback journal)."""
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(f"{path.name}-"))


def run_cli(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "ONEWINDOW_DATA_DIR": str(env_dir),
        "QT_QPA_PLATFORM": "offscreen",
        "PATH": "",
        "HOME": str(env_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def a_real_database(path: Path, events: int = 400) -> None:
    """A database with enough rows to span many pages, closed (so no -wal or -shm is left)."""
    database = open_database(path)
    with database.write() as s:
        for i in range(events):
            s.add(Event(entity="case", entity_id=str(i), kind="test", data={"pad": "x" * 200}))
    database.close()


def corrupt_page(path: Path, page: int) -> None:
    size = 4096
    with path.open("r+b") as f:
        f.seek((page - 1) * size)
        f.write(b"\xa5" * 1000)


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    path = data / DB_FILE_NAME
    a_real_database(path)
    assert side_files(path) == []
    corrupt_page(path, 3)
    return path


def test_damage_inside_the_file_is_refused_with_how_to_restore_and_no_side_files(
    damaged: Path,
) -> None:
    before = sha(damaged)
    with pytest.raises(DatabaseOpenError) as info:
        open_database(damaged)
    message = str(info.value)
    assert "损坏" in message and "备份" in message and "信息中心" in message
    assert "\n" not in message
    assert sha(damaged) == before
    assert side_files(damaged) == []


def test_damaged_database_on_the_command_line_is_one_line(damaged: Path) -> None:
    before = sha(damaged)
    line = one_line(
        run_cli(
            "--data-dir", str(damaged.parent), "hall", "import", HALL_FILE, env_dir=damaged.parent
        )
    )
    assert "损坏" in line and "备份" in line
    assert sha(damaged) == before
    assert side_files(damaged) == []


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000],
    ids=["text", "corrupt-header"],
)
def test_a_file_that_is_not_a_database_gets_no_side_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "d.sqlite3"
    path.write_bytes(content)
    with pytest.raises(DatabaseOpenError, match="损坏"):
        open_database(path)
    assert side_files(path) == []


def test_read_only_database_file_is_one_line_and_untouched(tmp_path: Path) -> None:
    data = tmp_path / "data"
    prepare_data_dir(data)
    path = data / DB_FILE_NAME
    a_real_database(path, events=3)
    path.chmod(0o400)
    before = sha(path)
    line = one_line(run_cli("--data-dir", str(data), "hall", "import", HALL_FILE, env_dir=tmp_path))
    assert "只读" in line
    assert sha(path) == before
    assert side_files(path) == []


def test_read_only_data_directory_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o500)
    try:
        line = one_line(
            run_cli("--data-dir", str(data), "hall", "import", HALL_FILE, env_dir=tmp_path)
        )
        assert "数据目录不可写" in line and "只读" in line
        assert list(data.iterdir()) == []
    finally:
        data.chmod(0o700)


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
def test_data_directory_that_cannot_be_made_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """Simulated (the tests may run as root, whom permissions do not stop): making the
    directory fails as it does under a parent without write permission or on a read-only
    mount."""

    def refuse(path: Any, mode: int = 0o777) -> None:
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(os, "mkdir", refuse)
    with pytest.raises(UserError, match="数据目录不可写（只读或没有权限）"):
        prepare_data_dir(tmp_path / "data")


def test_empty_data_dir_is_one_line_and_nothing_created(tmp_path: Path) -> None:
    env_dir = tmp_path / "from-env"
    line = one_line(run_cli("--data-dir", "", "hall", "import", HALL_FILE, env_dir=env_dir))
    assert "数据目录不能为空" in line
    assert not env_dir.exists()


def test_full_disk_while_probing_the_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated: the probe's write fails with ENOSPC, as on a full disk."""
    real_write = os.write

    def full(fd: int, data: Any) -> int:
        if Path(os.readlink(f"/proc/self/fd/{fd}")).name.startswith(".write-test"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(UserError, match="磁盘已满"):
        prepare_data_dir(tmp_path / "data")
    assert list((tmp_path / "data").iterdir()) == []


@pytest.fixture
def tiny_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated full disk: every connection may grow the file to 4 pages only, so SQLite
    answers "database or disk is full" exactly where a full disk would make it."""
    real = db.engine._on_connect

    def on_connect(conn: Any, record: Any) -> None:
        real(conn, record)
        conn.execute("PRAGMA max_page_count=4")

    monkeypatch.setattr(db.engine, "_on_connect", on_connect)


@pytest.mark.usefixtures("tiny_disk")
def test_full_disk_creating_the_database_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / DB_FILE_NAME
    with pytest.raises(DatabaseOpenError, match="磁盘已满"):
        open_database(path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("tiny_disk")
def test_full_disk_on_the_command_line_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "hall", "import", HALL_FILE]) == 1
    err = capsys.readouterr().err.strip()
    assert "磁盘已满" in err and "\n" not in err and "Traceback" not in err
    assert not (data / DB_FILE_NAME).exists()


def test_full_disk_during_a_command_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A write that hits a full disk after the desk opened (SQLite's own error) is one line."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    def full(_args: Any) -> int:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr("app.cli._cmd_bench", full)
    assert main(["bench"]) == 1
    err = capsys.readouterr().err.strip()
    assert "磁盘已满" in err and "\n" not in err


def test_store_busy_reaching_the_command_line_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def busy(_args: Any) -> int:
        raise StoreBusy()

    monkeypatch.setattr("app.cli._cmd_bench", busy)
    assert main(["bench"]) == 1
    err = capsys.readouterr().err.strip()
    assert "另一个窗口正在保存" in err and "\n" not in err


def test_another_starts_probe_file_is_left_alone(tmp_path: Path) -> None:
    """A process starting at the same moment may be between writing and removing its probe;
    ours must neither remove nor reuse it (the old fixed `.write-test` did both)."""
    data = prepare_data_dir(tmp_path / "data")
    theirs = data / ".write-test"
    theirs.write_bytes(b"")
    prepare_data_dir(data)
    assert theirs.exists()
    assert [p.name for p in data.iterdir()] == [".write-test"]


def _start(data: str, barrier: Any, results: Any) -> None:
    barrier.wait()
    try:
        setup = open_desk(data)
        setup.database.close()
        results.put("ok")
    except Exception as exc:
        results.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.slow
def test_twenty_processes_starting_at_once_never_refuse_each_other(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    count = 20
    barrier = ctx.Barrier(count)
    results = ctx.Queue()
    data = str(tmp_path / "data")
    procs = [ctx.Process(target=_start, args=(data, barrier, results)) for _ in range(count)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=110) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert outcomes == ["ok"] * count


@pytest.fixture(params=[0o022, 0o000], ids=["umask022", "umask000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask")
def test_data_directory_and_database_files_are_private(tmp_path: Path) -> None:
    data = prepare_data_dir(tmp_path / "new" / "data")
    assert mode(data) == 0o700
    path = data / DB_FILE_NAME
    database = open_database(path)
    try:
        with database.write() as s:
            s.add(Event(entity="x", entity_id="1", kind="test"))
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()
        assert (mode(path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
    finally:
        database.close()


def test_an_earlier_releases_open_files_are_made_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        data = tmp_path / "data"
        data.mkdir(mode=0o755)
        path = data / DB_FILE_NAME
        open_database(path).close()
        path.chmod(0o644)
        data.chmod(0o755)
        prepare_data_dir(data)
        open_database(path).close()
    finally:
        os.umask(old)
    assert mode(data) == 0o700 and mode(path) == 0o600


def test_an_existing_directory_that_is_not_ours_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    prepare_data_dir(shared)
    assert mode(shared) == 0o755


def test_read_during_write_benchmark_reads_while_another_process_writes() -> None:
    """The benchmark runs (the number itself is printed by `python -m app bench`, not asserted);
    had the reads waited for the writer they would fail with StoreBusy or "locked" here."""
    from app.bench import BENCHMARKS, TARGETS, bench_read_during_write

    assert TARGETS["read_during_write_ms"] == 50.0
    assert BENCHMARKS["store"] is bench_read_during_write
    result = bench_read_during_write(runs=2)
    assert set(result) == {"read_during_write_ms"} and result["read_during_write_ms"] > 0
