"""Opening the desk's SQLite database: pragmas, migrations at start-up, and clear refusals.

An accepted case must survive a power cut, so the database runs in WAL mode with
synchronous=FULL. A brand-new database is created from the models and stamped at the newest
migration (a test checks this equals running every migration from empty); an existing one is
upgraded by Alembic. A database written by a newer OneWindow, a
file locked by another program, or a file that is not a database is refused with a message, and
the file is left as it was.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

import db.models  # noqa: F401  (registers every table)
from db import cipher
from db.base import Base
from db.messages import STORE_MESSAGES

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DB_FILE_NAME = "onewindow.sqlite3"


T = TypeVar("T")

#: How long one write waits for another process's write transaction before it gives up (and
#: `run_write` tries again). Writes are short; a wait this long means another window is saving.
WRITE_BUSY_TIMEOUT_MS = 2000


class StoreError(Exception):
    """A refusal of the store, by code (db/messages.py): `str(exc)` is the Chinese line for the
    shell and the log; `code` and `params` let the UI say it in the desk's language
    (ui/messages.describe). Parameters are data (paths, SQLite's own words), never prose."""

    def __init__(self, code: str, /, **params: str | int) -> None:
        self.code = code
        self.params = params
        super().__init__(STORE_MESSAGES[code].format(**params))


class DatabaseOpenError(StoreError):
    """The database cannot be used; the message says why, for the clerk or the shell."""


class StoreBusy(StoreError):
    """Another window (desk, kiosk, import) held the write lock for longer than a write may
    wait. Nothing was written; the action can simply be tried again."""

    def __init__(self) -> None:
        super().__init__("store.busy")


class ReadOnlySession(Exception):
    """A programming error: something tried to write through a read session."""


def _is_busy(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "locked" in text or "busy" in text


@dataclass
class Database:
    """The desk's database. Two ways in:

    - `read()`: a deferred transaction that sees a WAL snapshot. It never waits for a writer,
      and it refuses to write.
    - `write()` (or `session.begin()`): BEGIN IMMEDIATE, so two processes never both read then
      race to write; a write that cannot get the lock in time raises `StoreBusy`.
    `run_write(fn)` runs `fn(session)` in a write transaction and tries again while busy."""

    engine: Engine
    session: sessionmaker[Session]
    path: Path | None
    read: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.read = sessionmaker(
            self.engine.execution_options(onewindow_read=True),
            expire_on_commit=False,
            info={"read_only": True},
        )

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed on leaving, rolled back on an error."""
        try:
            with self.session.begin() as s:
                yield s
        except OperationalError as exc:
            if _is_busy(exc):
                raise StoreBusy() from exc
            raise

    def run_write(
        self,
        fn: Callable[[Session], T],
        *,
        attempts: int = 3,
        on_wait: Callable[[int], None] | None = None,
    ) -> T:
        """`fn(session)` in one write transaction, tried again (up to `attempts` times in all)
        while another process holds the write lock; `on_wait(attempt)` is told before each
        retry so a caller can say that another window is saving. Raises `StoreBusy` at last."""
        for attempt in range(1, attempts + 1):
            try:
                with self.write() as s:
                    return fn(s)
            except StoreBusy:
                if attempt == attempts:
                    raise
                if on_wait is not None:
                    on_wait(attempt)
                time.sleep(0.05 * attempt)
        raise AssertionError("unreachable")


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # The driver's own transaction handling is off: SQLAlchemy's "begin" below starts each
    # transaction itself, as BEGIN IMMEDIATE.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    # The busy timeout first: on a brand-new file, switching to WAL takes a write lock, and
    # several processes starting at once must wait for each other there, not fail.
    cur.execute(f"PRAGMA busy_timeout={WRITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _on_begin(conn: Any) -> None:
    """A write takes the write lock at BEGIN: the desk, the kiosk and the hall display may
    share one file, and a deferred transaction that reads and then writes can fail at once with
    "database is locked" when another writer got there first, while an immediate one waits its
    turn. A read (`Database.read`) begins deferred: in WAL mode it reads a snapshot and never
    waits for a writer."""
    if conn.get_execution_options().get("onewindow_read"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _refuse_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    if session.info.get("read_only") and (session.new or session.dirty or session.deleted):
        raise ReadOnlySession("a read session may not write; use Database.write()")


event.listen(Session, "before_flush", _refuse_flush)


def alembic_config(connection: Any = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([^'\"\n]*?)['\"]?\s*$", re.M)


def quick_revisions() -> tuple[set[str], str | None]:
    """Every revision id and the single head, read from the migration files' text. Alembic
    takes about half a second to import; a desk that is already up to date (every start but
    the first after an upgrade) must not pay for it. A test checks this agrees with Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found: dict[str, str] = {m[1]: m[2] for m in _REVISION.finditer(text)}
        if "revision" in found:
            revisions.add(found["revision"])
            if found.get("down_revision") not in (None, "None", ""):
                parents.add(found["down_revision"])
    heads = revisions - parents
    return revisions, (heads.pop() if len(heads) == 1 else None)


def canonical_json(value: Any) -> str:
    """How JSON columns are stored: keys sorted, no spaces, text as it is (no escapes).
    The audit chain (app/audit.py) hashes an event's data in this form, as stored."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def make_engine(path: Path | None, key: bytes | None = None) -> Engine:
    url = f"sqlite:///{path}" if path is not None else "sqlite://"
    # hide_parameters: an error's text never carries the row's values (names, ID numbers)
    # into a log or a crash report.
    options: dict[str, Any] = {"hide_parameters": True, "json_serializer": canonical_json}
    if key is not None and path is not None:
        # SQLCipher (db/cipher.py): its module, so its errors are wrapped like sqlite3's, and
        # a connection whose first statement is PRAGMA key, before anything reads the file.
        options["module"] = cipher.dbapi()
        options["creator"] = lambda: cipher.connect(path, key, check_same_thread=False)
    engine = create_engine(url, **options)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _locked(path: Path | None) -> DatabaseOpenError:
    return DatabaseOpenError("store.locked", path=str(path))


def _wrong_key(path: Path | None) -> DatabaseOpenError:
    return DatabaseOpenError("store.wrong_key", path=str(path))


def _damaged(path: Path, detail: str) -> DatabaseOpenError:
    return DatabaseOpenError("store.damaged", path=str(path), detail=detail)


def _read_only(path: Path) -> DatabaseOpenError:
    return DatabaseOpenError("store.read_only_file", path=str(path))


def _disk_full(path: Path | None) -> DatabaseOpenError:
    if path is None:
        return DatabaseOpenError("store.disk_full_data_dir")
    return DatabaseOpenError("store.disk_full", path=str(path.parent))


def store_error(exc: BaseException) -> StoreError | None:
    """The store's refusal (with its code) for a database error that is the machine's, not
    the program's (busy, full disk, read-only, damaged); None for anything else."""
    if isinstance(exc, StoreError):
        return exc
    orig = getattr(exc, "orig", exc)
    if not isinstance(orig, (*cipher.database_errors(), OSError)):
        return None
    if isinstance(orig, OSError) and orig.errno == errno.ENOSPC:
        return _disk_full(None)
    text = str(orig).lower()
    if "disk is full" in text:
        return _disk_full(None)
    if "readonly" in text or "read-only" in text:
        return StoreError("store.read_only")
    if "locked" in text or "busy" in text:
        return StoreBusy()
    if "malformed" in text or "not a database" in text:
        return StoreError("store.damaged_in_use")
    return None


def store_error_message(exc: BaseException) -> str | None:
    """One Chinese line for the shell for a database error that is the machine's, not the
    program's (see `store_error`); None for anything else."""
    error = store_error(exc)
    return None if error is None else str(error)


def _euid() -> int:
    """This process's user (-1 where there are no Unix users: then no file counts as ours)."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid() if geteuid is not None else -1


def _owner_made_read_only(path: Path) -> bool:
    """Not writable for us: for root, whom permissions do not stop, a file whose owner took
    away its own write bit counts as read-only too (that is what the owner meant)."""
    if not os.access(path, os.W_OK):
        return True
    st = path.stat()
    return st.st_uid == _euid() and not st.st_mode & stat.S_IWUSR


def _side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _wal_header(path: Path) -> bool:
    with path.open("rb") as f:
        head = f.read(20)
    return (
        len(head) == 20 and head.startswith(b"SQLite format 3\x00") and head[18:20] == b"\x02\x02"
    )


def _quiet(path: Path, key: bytes | None) -> bool:
    """Nobody has the file open (no -wal, -shm or -journal beside it), so it can be read as
    immutable. An encrypted file's header (where WAL mode shows) is encrypted too: there the
    side files alone tell."""
    if any(p.exists() for p in _side_files(path)):
        return False
    return key is not None or _wal_header(path)


#: A database file up to this size is checked whole (`PRAGMA quick_check`) before it is opened.
#: A bigger one (a desk after months of cases) has its schema checked at open and the whole file
#: by `whole_file_damage` after the desk's window shows: a check of the whole file grows with
#: every case saved (about a second at 100,000 cases) and would make every start grow with it.
WHOLE_CHECK_AT_OPEN_BYTES = 64 * 1024 * 1024


def checked_whole_at_open(path: Path) -> bool:
    return path.stat().st_size <= WHOLE_CHECK_AT_OPEN_BYTES


def _inspect(
    path: Path, immutable: bool, whole: bool = True, key: bytes | None = None
) -> tuple[set[str], str | None, str]:
    """Tables, the recorded revision and `PRAGMA quick_check`'s verdict (of the whole file, or
    of its schema alone), read only."""
    flags = "mode=ro&immutable=1" if immutable else "mode=ro"
    conn = cipher.connect(f"file:{path}?{flags}", key, uri=True, timeout=0.5)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        current = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            current = row[0] if row else None
        check = "quick_check(1)" if whole else "quick_check(sqlite_master)"
        verdict = "\n".join(r[0] for r in conn.execute(f"PRAGMA {check}").fetchall())
    finally:
        conn.close()
    return tables, current, str(verdict)


def whole_file_damage(path: Path) -> DatabaseOpenError | None:
    """The whole file's `PRAGMA quick_check`, read only, beside the open desk (for a file too big
    to check at open): None if it is sound, else the error that says it is damaged."""
    try:
        conn = cipher.connect(f"file:{path}?mode=ro", cipher.key_for(path), uri=True, timeout=5)
        try:
            verdict = str(conn.execute("PRAGMA quick_check(1)").fetchone()[0])
        finally:
            conn.close()
    except cipher.database_errors() as exc:
        verdict = str(exc)
    return None if verdict == "ok" else _damaged(path, verdict.splitlines()[-1] if verdict else "?")


def _check_existing(path: Path) -> None:
    """Refuse, before anything is written, a file that is not SQLite, that is damaged inside
    (`PRAGMA quick_check`), that another program holds locked, that another program created,
    or that a newer OneWindow wrote. Opened read-only, so a refused file stays byte-for-byte
    untouched, and no -wal or -shm file is left beside it: a read-only connection to a WAL
    database creates them and cannot remove them, so when nobody has the file open (no side
    files) it is read as immutable instead, which creates nothing."""
    if _owner_made_read_only(path):
        raise _read_only(path)
    whole = checked_whole_at_open(path)
    key = cipher.key_for(path)
    for attempt in range(3):
        quiet = _quiet(path, key)
        try:
            tables, current, verdict = _inspect(path, immutable=quiet, whole=whole, key=key)
        except cipher.database_errors() as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise _locked(path) from exc
            if key is not None and cipher.is_wrong_key_text(text):
                raise _wrong_key(path) from exc
            verdict = text
            tables, current = set(), None
        if verdict == "ok":
            break
        # Read as immutable while another process was starting on the same file: its writes
        # may have been half seen. Look again before calling the file damaged.
        if not quiet or attempt == 2:
            raise _damaged(path, verdict.splitlines()[-1] if verdict else "?")
        time.sleep(0.05)
    if current is None and tables - {"alembic_version"}:
        raise DatabaseOpenError("store.not_ours", path=str(path))
    if current is not None and current not in quick_revisions()[0]:
        # An unknown revision: written by a newer OneWindow.
        raise DatabaseOpenError("store.newer", revision=current)


#: The database file and its WAL and shared-memory files hold citizens' data: owner only.
PRIVATE_FILE_MODE = 0o600


def _create_private(path: Path) -> bool:
    """Create an empty database file readable by its owner only (whatever the umask; SQLite
    gives the -wal and -shm files the database file's mode). True if this call created it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def _make_private(path: Path) -> None:
    """Files of an earlier release may be readable by others: take that away (ours only)."""
    for p in (path, *_side_files(path)[:2]):
        try:
            st = p.stat()
            if st.st_uid == _euid() and stat.S_IMODE(st.st_mode) & 0o077:
                os.chmod(p, stat.S_IMODE(st.st_mode) & 0o700)
        except FileNotFoundError:
            continue


def open_database(path: Path | None) -> Database:
    """Open (creating or upgrading) the desk database at `path`; None gives an in-memory one."""
    created = False
    if path is not None:
        if path.exists() and path.stat().st_size > 0:
            _check_existing(path)
            _make_private(path)
        else:
            try:
                created = _create_private(path)
            except OSError as exc:
                if exc.errno == errno.ENOSPC:
                    raise _disk_full(path) from exc
                raise DatabaseOpenError(
                    "store.cannot_create", path=str(path), error=exc.strerror or str(exc)
                ) from exc
            if path.exists() and _owner_made_read_only(path):
                raise _read_only(path)
    key = cipher.key_for(path)
    engine = make_engine(path, key)
    try:
        _open_and_migrate(engine, path)
    except DatabaseOpenError:
        engine.dispose()
        raise
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        text = str(exc.orig)
        lowered = text.lower()
        if "disk is full" in lowered:
            if created and path is not None:
                # A database this call began on a full disk: leave nothing behind.
                for p in (path, *_side_files(path)):
                    p.unlink(missing_ok=True)
            raise _disk_full(path) from exc
        if "readonly" in lowered and path is not None:
            raise _read_only(path) from exc
        if "locked" in lowered or "busy" in lowered:
            raise _locked(path) from exc
        if key is not None and cipher.is_wrong_key_text(text):
            raise _wrong_key(path) from exc
        if isinstance(exc, OperationalError):
            raise DatabaseOpenError("store.cannot_open", path=str(path), error=text) from exc
        if path is None:
            raise DatabaseOpenError("store.cannot_open", path=":memory:", error=text) from exc
        raise _damaged(path, text) from exc
    return Database(engine, sessionmaker(engine, expire_on_commit=False), path)


def _open_and_migrate(engine: Engine, path: Path | None) -> None:
    """Look (without taking the write lock) whether the schema is current; only if not, take
    the write lock and migrate. Desks starting together then only wait for each other when
    there is work to do, and a busy lock is tried again rather than refused."""
    with engine.execution_options(onewindow_read=True).begin() as conn:
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        if path is not None and str(mode).lower() != "wal":
            log.warning("journal_mode is %s, not WAL", mode)
        current = _current_revision(conn)
    if current is not None and current == quick_revisions()[1]:
        return
    for attempt in range(1, 6):
        try:
            with engine.begin() as conn:
                _migrate(conn)
            return
        except OperationalError as exc:
            if not _is_busy(exc) or attempt == 5:
                raise
            time.sleep(0.1 * attempt)


def _current_revision(conn: Any) -> str | None:
    has_table = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
    ).first()
    if not has_table:
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _migrate(conn: Any) -> None:
    current = _current_revision(conn)
    if current is not None and current == quick_revisions()[1]:
        return
    from alembic import command

    head = head_revision()
    if current is None:
        # Building from the models and stamping is cheaper than running every migration from
        # empty (tests/test_migrations.py checks both give the same schema).
        Base.metadata.create_all(conn)
        command.stamp(alembic_config(conn), "head")
    elif current != head:
        log.info("upgrading database from %s to %s", current, head)
        command.upgrade(alembic_config(conn), "head")


def open_for_reading(path: Path) -> Database:
    """The database at `path` for reading only, as it is: not created, not migrated, not
    checked, nothing written beside it, and no wait for a writer (`Database.read()` is a
    deferred transaction on a WAL snapshot). For `python -m app status` while desks work.

    While another process has the file open its -wal and -shm exist and are shared; when
    nobody has, the file is read as immutable, which creates neither."""
    if not path.is_file():
        raise DatabaseOpenError("store.missing", path=str(path))
    key = cipher.key_for(path)
    quiet = _quiet(path, key)
    uri = f"file:{path}?mode=ro{'&immutable=1' if quiet else ''}"

    def connect() -> Any:
        conn = cipher.connect(uri, key, uri=True, check_same_thread=False)
        conn.isolation_level = None
        return conn

    options: dict[str, Any] = {"creator": connect, "hide_parameters": True}
    if key is not None:
        options["module"] = cipher.dbapi()
    engine = create_engine("sqlite://", **options)
    event.listen(engine, "begin", _on_begin)
    return Database(engine, sessionmaker(engine, expire_on_commit=False), path)
