"""Backups: a consistent, owner-only copy of the database and the PDFs (relative paths) made
while others write; a restore that checks the copy first and keeps the replaced database; the
desk's daily backup."""

from __future__ import annotations

import sqlite3
import stat
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.backup import daily_backup, make_backup
from app.cli import main
from app.services.changes import DeskContext, record
from app.services.documents import issue_document, resolve_pdf_path
from app.startup import open_desk
from db.engine import DB_FILE_NAME, Database, open_database
from db.messages import STORE_MESSAGES
from db.models.document import Document
from db.models.hall import Clerk
from db.models.sync import Event

CTX = DeskContext(1, None)
PDF = b"%PDF-1.4 test paper\n%%EOF"


def _desk(data: Path) -> Database:
    """A desk with two papers: one kept by a relative path (this release), one by an absolute
    path (release 0.1.0)."""
    database = open_desk(data).database
    folder = data / "documents" / "2026" / "11"
    folder.mkdir(parents=True)
    (folder / "SL1.pdf").write_bytes(PDF)
    (folder / "SL2.pdf").write_bytes(PDF + b"2")
    with database.write() as s:
        for ticket, path in (("T1", "documents/2026/11/SL1.pdf"), ("T2", str(folder / "SL2.pdf"))):
            issue_document(
                s,
                CTX,
                "ticket",
                PDF,
                ticket_id=ticket,
                division_code="220800",
                day=date(2026, 11, 30),
                pdf_path=path,
            )
    return database


def _event_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM event").fetchone()[0])
    finally:
        conn.close()


def test_a_backup_is_a_consistent_private_copy_while_another_writer_works(
    tmp_path: Path,
) -> None:
    data = tmp_path / "desk"
    database = _desk(data)
    before = _event_count(data / DB_FILE_NAME)
    # Another window is in the middle of a write: its transaction is not in the copy.
    other = sqlite3.connect(data / DB_FILE_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO event (id, at, entity, entity_id, kind, data) "
        "VALUES ('UNCOMMITTED', '2026-12-01 10:00:00.000000', 'x', '1', 'x', '{}')"
    )
    out = tmp_path / "out" / "b.zip"
    try:
        assert make_backup(database, out) == 2
    finally:
        other.execute("ROLLBACK")
        other.close()
        database.close()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        assert names == {DB_FILE_NAME, "documents/2026/11/SL1.pdf", "documents/2026/11/SL2.pdf"}
        zf.extract(DB_FILE_NAME, tmp_path / "x")
    copy = tmp_path / "x" / DB_FILE_NAME
    assert _event_count(copy) == before
    conn = sqlite3.connect(copy)
    paths = sorted(r[0] for r in conn.execute("SELECT pdf_path FROM document"))
    conn.close()
    # The absolute path of release 0.1.0 is relative in the copy: it works anywhere.
    assert paths == ["documents/2026/11/SL1.pdf", "documents/2026/11/SL2.pdf"]
    assert not list((tmp_path / "out").glob(".backup-*"))  # no work files left


def test_a_backup_never_replaces_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "desk"
    _desk(data).close()
    out = tmp_path / "b.zip"
    out.write_bytes(b"mine")
    assert main(["backup", str(out), "--data-dir", str(data)]) == 1
    assert "已存在" in capsys.readouterr().err
    assert out.read_bytes() == b"mine"


def test_restore_elsewhere_works_and_keeps_the_replaced_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "desk"
    _desk(data).close()
    out = tmp_path / "b.zip"
    assert main(["backup", str(out), "--data-dir", str(data)]) == 0
    assert "2 个文书 PDF" in capsys.readouterr().out
    # Another machine's data directory, with a database of its own.
    other = tmp_path / "elsewhere"
    open_desk(other).database.close()
    replaced = (other / DB_FILE_NAME).read_bytes()
    assert main(["restore", str(out), "--data-dir", str(other)]) == 0
    assert "原数据库已另存为" in capsys.readouterr().out
    aside = list(other.glob(f"{DB_FILE_NAME}.replaced-*"))
    assert [p.read_bytes() for p in aside if not p.name.endswith(("-wal", "-shm"))] == [replaced]
    database = open_database(other / DB_FILE_NAME)
    try:
        with database.read() as s:
            docs = list(s.scalars(select(Document)))
            assert len(docs) == 2
            for doc in docs:
                path = resolve_pdf_path(other, doc.pdf_path)
                assert path is not None and path.is_file() and path.is_relative_to(other)
        assert stat.S_IMODE((other / DB_FILE_NAME).stat().st_mode) == 0o600
    finally:
        database.close()


def _refused(tmp_path: Path, backup: Path, capsys: pytest.CaptureFixture[str]) -> str:
    target = tmp_path / "target"
    open_desk(target).database.close()
    before = (target / DB_FILE_NAME).read_bytes()
    assert main(["restore", str(backup), "--data-dir", str(target)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "未作任何改动" in err
    assert (target / DB_FILE_NAME).read_bytes() == before
    assert not list(target.glob("*.replaced-*"))
    return err


def _backup_with(tmp_path: Path, change: str | None, raw: bytes | None = None) -> Path:
    data = tmp_path / "src"
    _desk(data).close()
    out = tmp_path / "good.zip"
    assert main(["backup", str(out), "--data-dir", str(data)]) == 0
    work = tmp_path / "unpacked"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(work)
    db_file = work / DB_FILE_NAME
    if change is not None:
        conn = sqlite3.connect(db_file, isolation_level=None)
        conn.execute("DROP TRIGGER event_no_update")
        conn.execute(change)
        conn.close()
    if raw is not None:
        data_bytes = bytearray(db_file.read_bytes())
        data_bytes[4096 : 4096 + len(raw)] = raw
        db_file.write_bytes(bytes(data_bytes))
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.write(db_file, DB_FILE_NAME)
    return bad


def test_restore_refuses_a_broken_audit_chain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _backup_with(tmp_path, "UPDATE event SET clerk_id = 'M01' WHERE seq = 2")
    assert "审计记录" in _refused(tmp_path, bad, capsys)


def test_restore_refuses_an_unknown_schema_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _backup_with(tmp_path, "UPDATE alembic_version SET version_num = '9999'")
    assert "9999" in _refused(tmp_path, bad, capsys)


def test_restore_refuses_a_damaged_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _backup_with(tmp_path, None, raw=b"\xff" * 2048)
    assert "损坏" in _refused(tmp_path, bad, capsys)


def test_restore_refuses_what_is_not_a_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "x.zip"
    bad.write_bytes(b"not a zip")
    assert "不是 OneWindow 的备份文件" in _refused(tmp_path, bad, capsys)


def test_the_daily_backup_is_made_once_a_day_and_keeps_the_newest(tmp_path: Path) -> None:
    database = _desk(tmp_path / "desk")
    try:
        days = [date(2026, 11, d) for d in (26, 27, 28, 29)]
        for day in days:
            assert daily_backup(database, today=day, keep=3) is not None
        assert daily_backup(database, today=days[-1], keep=3) is None
        folder = tmp_path / "desk" / "backups"
        assert sorted(p.name for p in folder.iterdir()) == [
            f"onewindow-{d.isoformat()}.zip" for d in days[1:]
        ]
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    finally:
        database.close()


def test_the_damaged_database_message_names_the_restore_command() -> None:
    for code in ("store.damaged", "store.damaged_in_use"):
        assert "python -m app restore" in STORE_MESSAGES[code]


def test_a_backup_taken_during_writes_passes_the_audit_check(tmp_path: Path) -> None:
    data = tmp_path / "desk"
    database = _desk(data)
    try:
        for i in range(3):
            with database.write() as s:
                clerk = Clerk(id=f"K{i}", name="某")
                s.add(clerk)
                record(s, CTX, clerk, "clerk.added")
        make_backup(database, tmp_path / "b.zip")
        with database.read() as s:
            total = s.scalar(select(func.count()).select_from(Event))
    finally:
        database.close()
    target = tmp_path / "t"
    assert main(["restore", str(tmp_path / "b.zip"), "--data-dir", str(target)]) == 0
    assert _event_count(target / DB_FILE_NAME) == total


def test_two_desks_starting_together_make_one_daily_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second desk finds today's file made under its feet: not an error."""
    import app.backup

    database = _desk(tmp_path / "desk")
    real = app.backup.make_backup

    def raced(db: Database, out: Path) -> int:
        real(db, out)  # the other desk's, just before this one's
        return real(db, out)

    monkeypatch.setattr(app.backup, "make_backup", raced)
    try:
        assert daily_backup(database, today=date(2026, 11, 30)) is None
        assert (tmp_path / "desk" / "backups" / "onewindow-2026-11-30.zip").is_file()
    finally:
        database.close()
