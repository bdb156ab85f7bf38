"""The staged catalogue import: the live tables keep their indexes at every step (and after a
crash), the schema agrees with the models afterwards, and two imports never collide."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from app.catalogue import importer
from app.catalogue.generate import write_catalogue
from app.catalogue.importer import (
    STAGE_PREFIX,
    ImportRunning,
    import_catalogue_staged,
    import_lock,
)
from app.cli import main
from app.startup import open_desk, open_store
from db.base import Base
from db.engine import DB_FILE_NAME
from db.models.case import include_name
from db.models.catalogue import CatalogueVersion, Material, Matter
from tests.test_catalogue_samples import small_catalogue

ROOT = Path(__file__).resolve().parent.parent

#: The live catalogue's secondary indexes, by table.
LIVE_INDEXES = {
    "matter": {"ix_matter_department_code"},
    "material": {"ix_material_code", "ix_material_matter_code"},
}


def _indexes(path: Path) -> dict[str, set[str]]:
    """The indexes of the live tables, seen by another connection (read-only)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            table: {row[1] for row in conn.execute(f"PRAGMA index_list('{table}')")}
            for table in LIVE_INDEXES
        }
    finally:
        conn.close()


def _stage_leftovers(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master")
            if row[0].startswith(STAGE_PREFIX)
        ]
    finally:
        conn.close()


def _schema_diff(path: Path) -> list[object]:
    from db.engine import make_engine

    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            return list(
                compare_metadata(
                    MigrationContext.configure(conn, opts={"include_name": include_name}),
                    Base.metadata,
                )
            )
    finally:
        engine.dispose()


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A desk's data directory with the demo catalogue; staging in small chunks, no pauses."""
    monkeypatch.setattr(importer, "STAGE_CHUNK", 40)
    monkeypatch.setattr(importer, "STAGE_PAUSE_S", 0.0)
    data = tmp_path / "d"
    open_desk(data).database.close()
    return data


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    path = tmp_path / "generated.json"
    write_catalogue(path, matters=60)
    return path


def test_live_tables_keep_their_indexes_at_every_step(desk: Path, generated: Path) -> None:
    db_file = desk / DB_FILE_NAME
    seen: list[tuple[str, dict[str, set[str]], list[str]]] = []

    def look(step: str) -> None:
        seen.append((step, _indexes(db_file), _stage_leftovers(db_file)))

    database = open_store(desk)
    try:
        import_catalogue_staged(database, generated, progress=look)
    finally:
        database.close()
    steps = [step for step, _, _ in seen]
    assert steps.count("staging") > 5 and steps[-2:] == ["swapped", "indexed"]
    for step, indexes, _ in seen:
        for table, names in LIVE_INDEXES.items():
            assert names <= indexes[table], (step, table, indexes[table])
    # While staging, the staged tables carry their indexes under their own names.
    staging = seen[0][2]
    assert f"{STAGE_PREFIX}ix_material_code" in staging
    assert f"{STAGE_PREFIX}material" in staging
    # Once swapped, nothing staged is left.
    assert seen[-2][2] == [] and seen[-1][2] == []


def test_schema_agrees_with_the_models_after_an_import(desk: Path, generated: Path) -> None:
    database = open_store(desk)
    try:
        import_catalogue_staged(database, generated)
        # The same process's pooled connection sees the new schema and uses the indexes.
        with database.read() as s:
            assert s.scalar(select(func.count()).select_from(Matter)) == 60
            plan = " ".join(
                str(row[-1])
                for row in s.connection().exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT * FROM material WHERE code = 'X'"
                )
            )
        assert "ix_material_code" in plan
        with database.write() as s:  # and can write after the swap
            s.execute(select(func.count()).select_from(Material))
    finally:
        database.close()
    assert _schema_diff(desk / DB_FILE_NAME) == []
    conn = sqlite3.connect(desk / DB_FILE_NAME)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_a_failure_while_staging_keeps_the_live_catalogue_and_its_indexes(
    desk: Path, generated: Path
) -> None:
    db_file = desk / DB_FILE_NAME
    database = open_store(desk)
    try:
        with database.read() as s:
            before = s.scalars(select(Matter.code).order_by(Matter.code)).all()
        calls = []

        def fail(step: str) -> None:
            calls.append(step)
            if len(calls) == 3:
                raise OSError("disk full")

        with pytest.raises(OSError, match="disk full"):
            import_catalogue_staged(database, generated, progress=fail)
        with database.read() as s:
            assert s.scalars(select(Matter.code).order_by(Matter.code)).all() == before
    finally:
        database.close()
    assert _stage_leftovers(db_file) == []
    assert all(LIVE_INDEXES[t] <= names for t, names in _indexes(db_file).items())
    assert _schema_diff(db_file) == []


_CUT_OFF = """
import sys, time
from pathlib import Path
from app.catalogue import importer
from app.startup import open_store
importer.STAGE_CHUNK = 40
importer.STAGE_PAUSE_S = 0.0
marker, at = Path(sys.argv[3]), sys.argv[4]
count = 0
def progress(step):
    global count
    count += 1
    if step == at or (at == "staging" and count == 4):
        marker.write_text(step)
        time.sleep(600)  # killed here
database = open_store(sys.argv[1])
importer.import_catalogue_staged(database, Path(sys.argv[2]), progress=progress)
"""


def _kill_import_at(step: str, data: Path, catalogue: Path, tmp_path: Path) -> None:
    marker = tmp_path / f"reached-{step}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(_CUT_OFF),
            str(data),
            str(catalogue),
            str(marker),
            step,
        ],
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, "the import ended before the step"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        proc.kill()
        proc.wait(timeout=60)


def test_an_import_killed_mid_staging_keeps_the_indexes_and_is_cleaned_at_open(
    desk: Path, generated: Path, tmp_path: Path
) -> None:
    db_file = desk / DB_FILE_NAME
    _kill_import_at("staging", desk, generated, tmp_path)
    # Right after the crash, before anything opens the store: the live tables are indexed.
    assert all(LIVE_INDEXES[t] <= names for t, names in _indexes(db_file).items())
    assert _stage_leftovers(db_file)  # the staging tables of the cut-off import
    database = open_store(desk)
    try:
        with database.read() as s:
            current = s.scalars(select(CatalogueVersion).where(CatalogueVersion.is_current)).one()
            assert current.is_demo  # the cut-off import changed nothing
    finally:
        database.close()
    assert _stage_leftovers(db_file) == []  # cleaned up at opening
    assert _schema_diff(db_file) == []
    # and the next import goes through
    database = open_store(desk)
    try:
        assert import_catalogue_staged(database, generated)
    finally:
        database.close()
    assert _schema_diff(db_file) == []


def test_an_import_killed_after_its_swap_leaves_the_new_catalogue_indexed(
    desk: Path, generated: Path, tmp_path: Path
) -> None:
    db_file = desk / DB_FILE_NAME
    _kill_import_at("swapped", desk, generated, tmp_path)
    assert all(LIVE_INDEXES[t] <= names for t, names in _indexes(db_file).items())
    assert _schema_diff(db_file) == []
    database = open_store(desk)
    try:
        with database.read() as s:
            assert s.scalar(select(func.count()).select_from(Matter)) == 60
    finally:
        database.close()


def test_a_second_import_at_the_same_time_is_refused_and_changes_nothing(
    desk: Path, generated: Path, tmp_path: Path
) -> None:
    small = tmp_path / "small.json"
    small.write_text(json.dumps(small_catalogue(), ensure_ascii=False), encoding="utf-8")
    first, second = open_store(desk), open_store(desk)
    refusals: list[str] = []

    def meanwhile(step: str) -> None:
        if step == "staging" and not refusals:
            with pytest.raises(ImportRunning) as raised:
                import_catalogue_staged(second, small)
            refusals.append(str(raised.value))

    try:
        version = import_catalogue_staged(first, generated, progress=meanwhile)
        with first.read() as s:
            assert s.scalar(select(func.count()).select_from(Matter)) == 60
            current = s.scalars(select(CatalogueVersion).where(CatalogueVersion.is_current)).one()
            assert current.version == version
            assert s.get(CatalogueVersion, "t-1") is None
    finally:
        first.close()
        second.close()
    assert len(refusals) == 1 and "\n" not in refusals[0]
    assert "另一个目录导入正在进行" in refusals[0]
    assert _schema_diff(desk / DB_FILE_NAME) == []
    # Once the first is done, the second can run.
    database = open_store(desk)
    try:
        assert import_catalogue_staged(database, small) == "t-1"
    finally:
        database.close()


def test_the_command_refuses_an_import_while_another_runs(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = tmp_path / "small.json"
    small.write_text(json.dumps(small_catalogue(), ensure_ascii=False), encoding="utf-8")
    holder = open_store(desk)
    try:
        with import_lock(holder) as mine:
            assert mine
            assert main(["--data-dir", str(desk), "catalogue", "import", str(small)]) == 1
    finally:
        holder.close()
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "另一个目录导入正在进行" in err
    database = open_store(desk)
    try:
        with database.read() as s:
            assert s.get(CatalogueVersion, "t-1") is None
    finally:
        database.close()


def test_opening_leaves_a_running_imports_staging_alone(desk: Path, generated: Path) -> None:
    """Start-up's cleanup must not drop the staging tables of an import that is running."""
    db_file = desk / DB_FILE_NAME
    checks: list[list[str]] = []

    def open_meanwhile(step: str) -> None:
        if step == "staging" and not checks:
            open_store(desk).close()
            checks.append(_stage_leftovers(db_file))

    database = open_store(desk)
    try:
        import_catalogue_staged(database, generated, progress=open_meanwhile)
        with database.read() as s:
            assert s.scalar(select(func.count()).select_from(Matter)) == 60
    finally:
        database.close()
    assert checks and f"{STAGE_PREFIX}matter" in checks[0]


@pytest.mark.parametrize(
    ("held", "pause"),
    [(0.5, 0.105), (0.15, 0.055), (0.08, 0.03), (0.04, 0.025), (0.003, 0.02)],
)
def test_the_pause_after_a_staging_transaction_lets_a_waiting_writer_in_and_no_longer(
    desk: Path, monkeypatch: pytest.MonkeyPatch, held: float, pause: float
) -> None:
    """A writer that began waiting during the transaction polls again within SQLite's next
    busy-handler sleep (app.catalogue.pacing): the pause lasts that long, not as long as the
    transaction held (the import took twice its time)."""
    import types

    monkeypatch.setattr(importer, "STAGE_PAUSE_S", 0.02)
    clock = iter([10.0, 10.0 + held])
    pauses: list[float] = []
    fake_time = types.SimpleNamespace(perf_counter=lambda: next(clock), sleep=pauses.append)
    store = open_desk(desk)
    monkeypatch.setattr(importer, "time", fake_time)
    times: list[float] = []
    try:
        with importer._import_connection(store.database, times) as (_c, locked), locked():
            pass
    finally:
        store.database.close()
    assert times == [pytest.approx(held)]
    assert pauses == [pytest.approx(pause)]
