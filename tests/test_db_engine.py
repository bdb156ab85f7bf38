"""Opening the desk database: pragmas, migrations, and the refusals that leave files alone."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from db.base import Base
from db.engine import (
    Database,
    DatabaseOpenError,
    alembic_config,
    head_revision,
    make_engine,
    open_database,
)
from db.models.case import include_name
from db.models.sync import Event


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_has_wal_fk_full_sync_and_head(tmp_path: Path) -> None:
    database = open_database(tmp_path / "d.sqlite3")
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        rev = MigrationContext.configure(conn).get_current_revision()
    assert rev == head_revision()
    database.close()


def test_migrations_build_the_same_schema_as_the_models(tmp_path: Path) -> None:
    """Upgrading an empty database through every migration gives exactly the models' schema."""
    from alembic import command

    engine = make_engine(tmp_path / "m.sqlite3")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"include_name": include_name}), Base.metadata
        )
        triggers = (
            conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")
            .scalars()
            .all()
        )
    assert diff == [], f"models and migrations differ: {diff}"
    assert {"event_no_update", "event_no_delete"} <= set(triggers)
    engine.dispose()


def test_reopening_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    database = open_database(path)
    with database.session.begin() as s:
        s.add(Event(entity="x", entity_id="1", kind="test"))
    database.close()
    database = open_database(path)
    with database.session() as s:
        assert s.query(Event).count() == 1
    database.close()


def test_event_log_is_append_only(db: Database) -> None:
    with db.session.begin() as s:
        s.add(Event(entity="x", entity_id="1", kind="test"))
    with pytest.raises(Exception, match="append-only"), db.session.begin() as s:
        s.execute(text("UPDATE event SET kind='changed'"))
    with pytest.raises(Exception, match="append-only"), db.session.begin() as s:
        s.execute(text("DELETE FROM event"))


def test_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num='9999_future'")
    conn.commit()
    conn.close()
    before = sha(path)
    with pytest.raises(DatabaseOpenError, match="更新版本"):
        open_database(path)
    assert sha(path) == before


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000],
    ids=["text", "corrupt-header"],
)
def test_corrupt_file_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "d.sqlite3"
    path.write_bytes(content)
    with pytest.raises(DatabaseOpenError, match="损坏"):
        open_database(path)
    assert path.read_bytes() == content


def test_locked_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    open_database(path).close()
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseOpenError, match="占用"):
            open_database(path)
    finally:
        holder.rollback()
        holder.close()


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    before = sha(path)
    with pytest.raises(DatabaseOpenError, match="不是 OneWindow"):
        open_database(path)
    assert sha(path) == before


def test_quick_revision_reading_agrees_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    from db.engine import quick_revisions

    scripts = ScriptDirectory.from_config(alembic_config())
    revisions, head = quick_revisions()
    assert revisions == {s.revision for s in scripts.walk_revisions()}
    assert head == head_revision()


def _take_numbers(path: str, count: int) -> list[int]:
    from datetime import date

    from app.services.numbering import next_in_sequence

    database = open_database(Path(path))
    taken = []
    try:
        for _ in range(count):
            with database.session.begin() as s:
                taken.append(next_in_sequence(s, "shared", date(2026, 11, 26)))
    finally:
        database.close()
    return taken


def test_processes_sharing_one_file_wait_for_each_other(tmp_path: Path) -> None:
    """The desk, the kiosk and the display may share a file: concurrent writers neither fail
    with "database is locked" nor take the same number."""
    import multiprocessing

    path = tmp_path / "shared.sqlite3"
    open_database(path).close()
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        results = pool.starmap(_take_numbers, [(str(path), 60)] * 3)
    taken = sorted(n for r in results for n in r)
    assert taken == list(range(1, 181))
