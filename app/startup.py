"""Starting a desk on the embedded default: the data directory, the database, and on first
run the demo catalogue and the demo hall."""

from __future__ import annotations

import errno
import logging
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalogue.importer import clean_up_staging, import_demo_if_empty
from app.clock import hall_day
from app.encryption import unlock
from app.errors import UserError
from app.messages import Message
from app.paths import data_dir
from app.queue.day_end import EVERY_WINDOW, close_day
from app.services.changes import DeskContext
from app.services.hall import desk_context, ensure_demo_hall, set_desk
from db.base import utcnow
from db.engine import DB_FILE_NAME, Database, DatabaseOpenError, open_database
from db.models.hall import Clerk, Window

log = logging.getLogger(__name__)


@dataclass
class DeskSetup:
    database: Database
    ctx: DeskContext
    data_dir: Path


#: The data directory holds citizens' data: its owner only.
PRIVATE_DIR_MODE = 0o700


def _euid() -> int:
    """This process's user (-1 where there are no Unix users: then no file counts as ours)."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid() if geteuid is not None else -1


def prepare_data_dir(override: str | os.PathLike[str] | None) -> Path:
    """The data directory, created if needed (owner only, whatever the umask); refused with one
    clear line if it is empty, read-only, unwritable or on a full disk.

    Writability is tried with a file of a unique name: desks, kiosks and displays starting at
    the same moment on one directory must never remove each other's probe."""
    if override is not None and not str(override).strip():
        raise UserError("startup.data_dir_empty")
    path = data_dir(override)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.mkdir(path, PRIVATE_DIR_MODE)
            os.chmod(path, PRIVATE_DIR_MODE)
        except FileExistsError:
            if not path.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, "不是目录") from None
            _tighten(path)
        st = path.stat()
        if st.st_uid == _euid() and not st.st_mode & stat.S_IWUSR:
            # Root is not stopped by permissions; the owner's read-only still means read-only.
            raise PermissionError(errno.EACCES, "只读")
        fd, probe = tempfile.mkstemp(prefix=".write-test-", dir=path)
        try:
            os.write(fd, b"x")
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise UserError("startup.disk_full", path=str(path)) from exc
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise UserError("startup.data_dir_read_only", path=str(path)) from exc
        raise UserError(
            "startup.data_dir_unwritable", path=str(path), error=str(exc.strerror or exc)
        ) from exc
    return path


def _tighten(path: Path) -> None:
    """A data directory of an earlier release (made under the umask) becomes owner-only once it
    is known to be ours: it holds our database. Any other existing directory is left alone."""
    st = path.stat()
    if (path / DB_FILE_NAME).exists() and st.st_uid == _euid() and stat.S_IMODE(st.st_mode) & 0o077:
        os.chmod(path, stat.S_IMODE(st.st_mode) & 0o700)


#: A start-up's first transaction is tried this often (each waits up to the busy timeout).
STARTUP_WRITE_ATTEMPTS = 8

#: Why tickets of an earlier day that nobody closed are closed at the next start.
LEFT_OVER_REASON = Message("queue.left_over")


def close_earlier_days(session: Session, now: datetime | None = None) -> int:
    """Tickets still open from an earlier day (the desk was not closed properly) are closed as
    not served; today's queue is left alone."""
    now = now or utcnow()
    yesterday = hall_day(now) - timedelta(days=1)
    return close_day(
        session,
        DeskContext(None, None),
        day=yesterday,
        reason=LEFT_OVER_REASON,
        now=now,
        end_service_at=EVERY_WINDOW,
    )


def open_desk(
    override_dir: str | os.PathLike[str] | None = None,
    window_number: int | None = None,
    clerk_id: str | None = None,
) -> DeskSetup:
    """Open the desk: database migrated, demo catalogue and hall on first run, and this desk
    signed in at its window (the first window and clerk of the hall unless told otherwise)."""
    path = prepare_data_dir(override_dir)
    with startup_lock(path):
        return _open_desk(path, window_number, clerk_id)


#: The file that desks, kiosks and displays starting on one data directory take turns on.
STARTUP_LOCK_FILE = ".startup.lock"
#: How long a start waits for the others before it goes ahead regardless (SQLite's own
#: locking still keeps the data safe; the turn-taking only spares everyone the busy waits).
STARTUP_LOCK_WAIT_S = 120.0


@contextmanager
def startup_lock(path: Path) -> Iterator[None]:
    """Starts on one data directory take turns (open, migrate, first writes): twenty processes
    polling SQLite's write lock at once starve each other past any busy timeout, while a lock
    file queues them. Where flock does not exist (Windows), starts rely on SQLite alone."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover  (not Linux or macOS)
        yield
        return
    fd = os.open(path / STARTUP_LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + STARTUP_LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    log.warning("another start held the start-up lock too long; going ahead")
                    break
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # releases the lock


def _open_desk(path: Path, window_number: int | None, clerk_id: str | None) -> DeskSetup:
    unlock(path)  # an encrypted data directory's key (the desk asked for it already)
    database = open_database(path / DB_FILE_NAME)

    def first_writes(s: Session) -> DeskContext:
        if import_demo_if_empty(s):
            log.info("imported the demo catalogue")
        if ensure_demo_hall(s):
            log.info("configured the demo hall")
        closed = close_earlier_days(s)
        if closed:
            log.info("closed %d tickets left over from earlier days", closed)
        ctx = desk_context(s)
        number, clerk = window_number, clerk_id
        if number is not None or clerk is not None or ctx.window_number is None:
            number = (
                number
                or ctx.window_number
                or s.scalars(select(Window.number).order_by(Window.number)).first()
            )
            clerk = (
                clerk
                or ctx.clerk_id
                or s.scalars(select(Clerk.id).where(Clerk.active).order_by(Clerk.id)).first()
            )
            ctx = set_desk(s, number, clerk)
        return ctx

    try:
        clean_up_staging(database)
        # Desks, kiosks and displays starting together queue for the write lock: wait longer
        # than a clerk's write would before giving up.
        ctx = database.run_write(first_writes, attempts=STARTUP_WRITE_ATTEMPTS)
    except Exception:
        database.close()
        raise
    return DeskSetup(database, ctx, path)


def open_store(override_dir: str | os.PathLike[str] | None = None) -> Database:
    """The data directory and the migrated database, and nothing else: no demo import, no
    closing of earlier days, no sign-in. For commands (imports) that must change nothing but
    what they were asked to."""
    path = prepare_data_dir(override_dir)
    unlock(path)
    database = open_database(path / DB_FILE_NAME)
    try:
        clean_up_staging(database)  # what an import that was cut off left behind
    except Exception:
        database.close()
        raise
    return database


def existing_store(override_dir: str | os.PathLike[str] | None = None) -> Database:
    """The database of an existing data directory (migrated to this release), for a command
    that checks or copies it (audit verify, backup): a data directory that has none is refused
    with one line, and nothing is created."""
    path = data_dir(override_dir) / DB_FILE_NAME
    if not path.is_file():
        raise DatabaseOpenError("store.missing", path=str(path))
    return open_store(override_dir)
