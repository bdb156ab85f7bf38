"""Turning a plain database into an encrypted one in place (`python -m app encrypt`).

1. The plain file leaves WAL mode, its WAL checkpointed into it: SQLite allows that only
   while no other window (desk, kiosk, display) has the file open, so it is refused then.
2. `sqlcipher_export` copies it into `onewindow.sqlite3.encrypting` (owner only), which is
   checked: SQLCipher's integrity check and every table's row count against the plain file.
3. Only then is the key stored (keyring) and the settings written; the plain file is kept
   aside (a hard link, so the database's path never stands empty) while the encrypted copy
   takes its place, and the desk's own opening (migrations, checks) and the audit chain are
   run on it. If any of that fails, the plain file goes back and encryption stays off.
4. The plain copy is removed.

A run cut off after step 3 wrote its settings leaves the plain file in place;
`encrypt` run again finishes with the same key (app/encryption.py)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from app.encryption import SOURCE_KEYRING, Settings, marker_path, store_in_keyring, write_settings
from app.errors import UserError
from db import cipher
from db.engine import DB_FILE_NAME, open_database

WORK_SUFFIX = ".encrypting"
ASIDE_SUFFIX = ".plain"


def _side_files(db_file: Path) -> list[Path]:
    return [db_file.with_name(db_file.name + s) for s in ("-wal", "-shm", "-journal")]


def _counts(conn: object) -> dict[str, int]:
    rows = conn.execute(  # type: ignore[attr-defined]
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    ).fetchall()
    return {
        name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # type: ignore[attr-defined]
        for (name,) in rows
    }


def export_encrypted(db_file: Path, target: Path, key: bytes) -> dict[str, int]:
    """The plain database at `db_file` copied into a new encrypted file `target`; the row count
    of every table of the plain file."""
    plain = cipher.dbapi().connect(str(db_file), isolation_level=None, timeout=2)
    try:
        # Leaving WAL mode checkpoints the WAL, and SQLite allows it only to the one connection
        # to the file: a desk, kiosk or display that has it open (even idle) refuses it.
        mode = plain.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise UserError("encryption.in_use")
        counts = _counts(plain)
        version = plain.execute("PRAGMA user_version").fetchone()[0]
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        plain.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        try:
            plain.execute("SELECT sqlcipher_export('encrypted')")
            plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        finally:
            plain.execute("DETACH DATABASE encrypted")
    except cipher.database_errors() as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise UserError("encryption.in_use") from exc
        raise UserError("encryption.verify_failed", detail=str(exc)) from exc
    finally:
        plain.close()
    return counts


def verify_copy(target: Path, key: bytes, counts: dict[str, int]) -> None:
    """The encrypted copy opens with `key`, passes the integrity check and holds every row."""
    try:
        conn = cipher.connect(target, key)
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            copied = _counts(conn)
        finally:
            conn.close()
    except cipher.database_errors() as exc:
        raise UserError("encryption.verify_failed", detail=str(exc)) from exc
    if verdict != "ok":
        raise UserError("encryption.verify_failed", detail=str(verdict))
    if copied != counts:
        differ = sorted(t for t in counts.keys() | copied.keys() if counts.get(t) != copied.get(t))
        raise UserError("encryption.verify_failed", detail=", ".join(differ))


def _chain_problem(db_file: Path) -> str | None:
    from app.audit import verify_store

    database = open_database(db_file)
    try:
        return verify_store(database).problem
    finally:
        database.close()


def encrypt_database(directory: Path, settings: Settings, key: bytes) -> None:
    """Encrypt the plain database of `directory` with `key` (see the module's steps)."""
    db_file = directory / DB_FILE_NAME
    work = db_file.with_name(db_file.name + WORK_SUFFIX)
    aside = db_file.with_name(db_file.name + ASIDE_SUFFIX)
    for stale in (work, *_side_files(work)):
        stale.unlink(missing_ok=True)
    cipher.forget_key(db_file)
    plain_chain = _chain_problem(db_file)
    try:
        counts = export_encrypted(db_file, work, key)
        verify_copy(work, key, counts)
    except BaseException:
        work.unlink(missing_ok=True)
        raise
    if settings.source == SOURCE_KEYRING:
        store_in_keyring(settings, key)
    write_settings(directory, settings)
    aside.unlink(missing_ok=True)
    os.link(db_file, aside)
    os.replace(work, db_file)
    for side in _side_files(db_file):
        side.unlink(missing_ok=True)  # the plain file's: checkpointed and empty
    cipher.register_key(db_file, key)
    try:
        problem = _chain_problem(db_file)
        if problem != plain_chain:
            raise UserError("encryption.verify_failed", detail=str(problem))
    except BaseException:
        cipher.forget_key(db_file)
        for side in _side_files(db_file):
            side.unlink(missing_ok=True)
        os.replace(aside, db_file)
        with contextlib.suppress(FileNotFoundError):
            marker_path(directory).unlink()
        raise
    aside.unlink()
