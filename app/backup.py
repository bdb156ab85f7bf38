"""Backups of a desk: the database and the document PDFs in one zip file, owner-only (0600).

`make_backup` copies the database with SQLite's online backup API from its own read
connection, so it runs while the desk, the kiosk and the display work: the copy is one
consistent snapshot (a commit made meanwhile is either all in it or not at all). The PDFs go
in under the paths the rows keep, relative to the data directory ("documents/2026/11/…"); a
row of release 0.1.0 that still holds an absolute path is rewritten in the copy (to its place
under the data directory, or, for a file outside it, to "documents/external/…", copied in), so
a restored copy works in any data directory.

`restore` checks the copy before it touches anything: the zip holds a database, SQLite's
integrity_check passes, its schema is one this program knows (an older one is migrated, as
the desk would), and its audit chain holds. Only then is the current database moved aside
(onewindow.sqlite3.replaced-<time>, with its -wal) and the copy put in its place; PDFs the
data directory lacks are added, none replaced. Close every OneWindow window first.

The desk makes a daily backup on its own (`daily_backup`, in <data dir>/backups), keeping the
newest `ONEWINDOW_BACKUPS_KEEP` (default 7)."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from app.clock import hall_today
from app.encryption import (
    MARKER_FILE,
    Ask,
    Settings,
    check_key,
    key_from,
    marker_path,
    parse_settings,
    read_passphrase,
    read_settings,
    unlock,
    write_settings,
)
from app.errors import UserError
from app.messages import Message
from db import cipher
from db.engine import DB_FILE_NAME, Database, open_database, quick_revisions

log = logging.getLogger(__name__)

FILE_MODE = 0o600
DIR_MODE = 0o700
DOCUMENTS = "documents"
BACKUPS_DIR = "backups"
KEEP_ENV = "ONEWINDOW_BACKUPS_KEEP"
DEFAULT_KEEP = 7
_PDF_TABLES = ("document", "print_record")


def _private_dir(path: Path) -> Path:
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)
    return path


def _snapshot(source: Path, target: Path, key: bytes | None = None) -> None:
    """The database at `source` copied to `target` through the online backup API (an
    encrypted one stays encrypted, with the same key: SQLCipher copies page for page)."""
    src = cipher.connect(f"file:{source}?mode=ro", key, uri=True, timeout=10)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        os.close(fd)
        dst = cipher.connect(target, key)
        try:
            src.backup(dst)  # all pages in one step: one snapshot of the source
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _relative_paths(db_file: Path, data_dir: Path, key: bytes | None = None) -> dict[str, Path]:
    """Rewrite, in the copy at `db_file`, every absolute PDF path to a relative one; return the
    files to add from outside the data directory (name in the zip -> file)."""
    extra: dict[str, Path] = {}
    base = data_dir.expanduser().absolute()
    conn = cipher.connect(db_file, key, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for table in _PDF_TABLES:
            rows = conn.execute(
                f"SELECT id, pdf_path FROM {table} WHERE pdf_path LIKE '/%'"
            ).fetchall()
            for row_id, stored in rows:
                path = Path(stored)
                try:
                    relative = path.relative_to(base).as_posix()
                except ValueError:
                    relative = f"{DOCUMENTS}/external/{row_id}-{path.name}"
                    if path.is_file():
                        extra[relative] = path
                conn.execute(f"UPDATE {table} SET pdf_path = ? WHERE id = ?", (relative, row_id))
        conn.execute("COMMIT")
    finally:
        conn.close()
    return extra


def make_backup(database: Database, out: Path) -> int:
    """Write the backup of `database` (a desk's data directory) to `out`; the number of PDF
    files it holds. `out` must not exist; it appears whole or not at all."""
    assert database.path is not None
    data_dir = database.path.parent
    out = out.expanduser().absolute()
    if out.exists():
        raise UserError("backup.exists", path=str(out))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".backup-", dir=out.parent))
    except OSError as exc:
        raise UserError(
            "backup.cannot_write", path=str(out), error=exc.strerror or str(exc)
        ) from exc
    try:
        copy = work / DB_FILE_NAME
        key = cipher.key_for(database.path)
        _snapshot(database.path, copy, key)
        files = _relative_paths(copy, data_dir, key)
        if key is not None:  # no secret in it; a restore elsewhere needs its salt and source
            files[MARKER_FILE] = marker_path(data_dir)
        documents = data_dir / DOCUMENTS
        if documents.is_dir():
            for path in sorted(documents.rglob("*.pdf")):
                if path.is_file() and not path.name.startswith("."):
                    files.setdefault(path.relative_to(data_dir).as_posix(), path)
        part = work / "backup.zip"
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            # fast: a desk backs up at start (an encrypted file does not shrink anyway)
            zf.write(copy, DB_FILE_NAME, compresslevel=1)
            for name, path in files.items():
                zf.write(path, name, compress_type=zipfile.ZIP_STORED)
            raw.flush()
            os.fsync(raw.fileno())
        os.link(part, out)  # refuses to replace a file that appeared meanwhile
    except FileExistsError as exc:
        raise UserError("backup.exists", path=str(out)) from exc
    except OSError as exc:
        raise UserError(
            "backup.cannot_write", path=str(out), error=exc.strerror or str(exc)
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return len(files) - (MARKER_FILE in files)


def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and "\\" not in name


def _backup_key(
    settings: Settings | None, data_dir: Path | None, copy: Path, ask: Ask | None
) -> bytes | None:
    """The key of an encrypted backup (None for a plain one): the data directory's own where
    it is the same key, else from the keyring or the passphrase it was made with."""
    if settings is None:
        return None
    if data_dir is not None:
        own = read_settings(data_dir)
        registered = cipher.key_for(data_dir / DB_FILE_NAME)
        if own is not None and own.key_id == settings.key_id and registered is not None:
            return registered
    key = key_from(settings, ask or read_passphrase)
    check_key(copy, key)
    return key


def check_backup(
    file: Path, work: Path, data_dir: Path | None = None, ask: Ask | None = None
) -> tuple[Path, Settings | None]:
    """Unpack the database of the backup `file` into `work` and check it (integrity, schema,
    audit chain); the checked, migrated copy and, for an encrypted backup, its encryption
    settings (its key is then registered for the copy). Refuses with one line, changing
    nothing."""
    from app.audit import verify_store

    try:
        with zipfile.ZipFile(file) as zf:
            names = zf.namelist()
            if DB_FILE_NAME not in names:
                raise UserError("restore.not_backup", path=str(file), error=DB_FILE_NAME)
            copy = work / DB_FILE_NAME
            with zf.open(DB_FILE_NAME) as src, copy.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            os.chmod(copy, FILE_MODE)
            marker = zf.read(MARKER_FILE) if MARKER_FILE in names else None
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserError("restore.not_backup", path=str(file), error=str(exc)) from exc
    settings = None if marker is None else parse_settings(marker, f"{file}:{MARKER_FILE}")
    key = _backup_key(settings, data_dir, copy, ask)
    try:
        conn = cipher.connect(f"file:{copy}?mode=ro", key, uri=True)
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except cipher.database_errors() as exc:
        raise UserError("restore.damaged", path=str(file), detail=str(exc)) from exc
    if verdict != "ok":
        raise UserError("restore.damaged", path=str(file), detail=str(verdict))
    known, head = quick_revisions()
    if revision is None or revision[0] not in known:
        raise UserError(
            "restore.wrong_version",
            revision=str(None if revision is None else revision[0]),
            head=str(head),
        )
    if key is not None:
        cipher.register_key(copy, key)
    database = open_database(copy)  # an older schema is migrated, as the desk would
    try:
        report = verify_store(database)
    finally:
        database.close()
    if report.problem is not None:
        raise UserError("restore.audit_broken", problem=report.problem)
    return copy, settings


def _encrypt_copy(copy: Path, data_dir: Path, ask: Ask | None) -> tuple[Path, bytes]:
    """A plain backup restored into an encrypted data directory is encrypted with its key
    (checked against the current database) first: a restore never turns encryption off."""
    from app.encrypt_file import export_encrypted, verify_copy

    unlock(data_dir, ask)
    key = cipher.key_for(data_dir / DB_FILE_NAME)
    assert key is not None
    target = copy.with_name(copy.name + ".encrypted")
    verify_copy(target, key, export_encrypted(copy, target, key))
    return target, key


def restore(data_dir: Path, file: Path, ask: Ask | None = None) -> Path:
    """Replace the database of `data_dir` by the checked copy in `file`; the path the replaced
    database was kept at. An encrypted backup stays encrypted (its settings come with it); a
    plain one restored where the data directory is encrypted is encrypted with its key."""
    _private_dir(data_dir)
    work = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
    current = data_dir / DB_FILE_NAME
    try:
        copy, settings = check_backup(file, work, data_dir, ask)
        key = cipher.key_for(copy)
        cipher.forget_key(copy)
        for side in ("-wal", "-shm", "-journal"):
            (work / (DB_FILE_NAME + side)).unlink(missing_ok=True)
        if settings is None and read_settings(data_dir) is not None:
            copy, key = _encrypt_copy(copy, data_dir, ask)
        stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
        aside = data_dir / f"{DB_FILE_NAME}.replaced-{stamp}"
        if current.exists():  # else there is nothing to keep: the aside name stays unused
            os.replace(current, aside)
            for side in ("-wal", "-shm"):
                old = current.with_name(current.name + side)
                if old.exists():
                    os.replace(old, aside.with_name(aside.name + side))
        if settings is not None:
            if marker_path(data_dir).exists():  # the replaced database's, kept beside it
                shutil.copy2(marker_path(data_dir), data_dir / f"{MARKER_FILE}.replaced-{stamp}")
            write_settings(data_dir, settings)
        os.replace(copy, current)
        if key is None:
            cipher.forget_key(current)
        else:
            cipher.register_key(current, key)
        with zipfile.ZipFile(file) as zf:
            for info in zf.infolist():
                name = info.filename
                if name == DB_FILE_NAME or not name.startswith(DOCUMENTS + "/"):
                    continue
                if not _safe_name(name):
                    log.warning("a file of the backup with an unsafe name was left out")
                    continue
                target = data_dir / name
                if target.exists():
                    continue
                _private_dir(target.parent)
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
                with os.fdopen(fd, "wb") as dst, zf.open(info) as src:
                    shutil.copyfileobj(src, dst)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return aside


def backups_to_keep() -> int:
    try:
        return max(1, int(os.environ.get(KEEP_ENV, DEFAULT_KEEP)))
    except ValueError:
        return DEFAULT_KEEP


def daily_backup(
    database: Database, today: date | None = None, keep: int | None = None
) -> Path | None:
    """Today's backup in <data dir>/backups, unless it is there already (then None); the oldest
    beyond `keep` are removed."""
    assert database.path is not None
    folder = _private_dir(database.path.parent / BACKUPS_DIR)
    today = today or hall_today()
    out = folder / f"onewindow-{today.isoformat()}.zip"
    made = None
    if not out.exists():
        try:
            make_backup(database, out)
            made = out
        except UserError as exc:
            if exc.code != "backup.exists":
                raise
            # Another desk on this data directory made it meanwhile: today's is there.
    keep = backups_to_keep() if keep is None else keep
    existing = sorted(folder.glob("onewindow-*.zip"))
    for old in existing[:-keep]:
        old.unlink(missing_ok=True)
    return made


def cmd_backup(data_dir: str | None, out: Path) -> int:
    from app.startup import existing_store

    database = existing_store(data_dir)
    try:
        files = make_backup(database, out)
    finally:
        database.close()
    print(Message("backup.done", path=str(out), files=files))
    return 0


def cmd_restore(data_dir: str | None, file: Path) -> int:
    from app.startup import prepare_data_dir

    if not file.is_file():
        raise UserError("restore.not_backup", path=str(file), error=os.strerror(errno.ENOENT))
    aside = restore(prepare_data_dir(data_dir), file)
    print(Message("restore.done", path=str(file), aside=str(aside)))
    return 0
