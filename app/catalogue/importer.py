"""Import of a catalogue file into the desk's database: validate first, then replace every
catalogue row in the caller's transaction, all or nothing.

Run it inside `with session.begin():` (the command line and start-up do). A file with problems
is refused before anything is written; a failure while writing rolls the session back, so a
half-imported catalogue can never be committed."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, Table, delete, func, insert, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.catalogue.pacing import pause_after
from app.errors import UserError
from app.paths import CATALOGUE_DIR
from app.rules.decision import DEFAULT_GAP_RESERVE_DAYS
from db.base import Base, utcnow
from db.models.catalogue import (
    Bundle,
    BundleMatter,
    CatalogueVersion,
    Department,
    Holiday,
    Material,
    Matter,
)

if TYPE_CHECKING:
    from db.engine import Database

log = logging.getLogger(__name__)

DEMO_CATALOGUE = CATALOGUE_DIR / "baicheng-demo.json"


_LITERAL = "\x00"  # marks a chunk pypinyin left as it is (not Chinese characters)


def _literal(chunk: str) -> str:
    return _LITERAL + chunk


@lru_cache(maxsize=65536)
def _segment_keys(segment: str) -> tuple[str, str]:
    initials, full = [], []
    # pypinyin loads its dictionaries on import (a quarter of a second): only when importing.
    from pypinyin import Style, lazy_pinyin

    for item in lazy_pinyin(segment, style=Style.NORMAL, errors=_literal):
        if item.startswith(_LITERAL):
            kept = "".join(c for c in item[1:].lower() if c.isascii() and c.isalnum())
            initials.append(kept)
            full.append(kept)
        else:
            initials.append(item[:1])  # Style.FIRST_LETTER is the first letter of NORMAL
            full.append(item)
    return "".join(initials), "".join(full)


def pinyin_keys(text: str) -> tuple[str, str]:
    """(initials, full pinyin) of `text`, lowercase without spaces or punctuation, for search:
    个体工商户 -> ("gtgsh", "getigongshanghu"). Latin letters and digits are kept; heteronyms
    take pypinyin's default reading, phrase-aware. Computed per word of pypinyin's own
    segmentation and cached, since catalogue names repeat their words: a 20,000-name catalogue
    takes well under a second instead of several."""
    initials, full = [], []
    from app.catalogue.pinyin import segments

    for segment in segments(text):
        i, f = _segment_keys(segment)
        initials.append(i)
        full.append(f)
    return "".join(initials), "".join(full)


def _refusal(problems: list[str]) -> UserError:
    """One line: how many problems, the first of them, and where to see them all."""
    if len(problems) == 1:
        return UserError(f"事项目录未导入，目录保持不变：{problems[0]}")
    return UserError(
        f"事项目录未导入，目录保持不变：文件有 {len(problems)} 处问题，第一处是 {problems[0]}"
        "（用 catalogue validate 命令可列出全部）"
    )


def _canonical_bytes(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")


def _rows(data: Mapping[str, Any]) -> dict[type[Base], list[dict[str, Any]]]:
    """The insert rows of every catalogue table, pinyin computed once per distinct name."""
    cache: dict[str, tuple[str, str]] = {}

    def keys(name: str) -> tuple[str, str]:
        found = cache.get(name)
        if found is None:
            found = cache[name] = pinyin_keys(name)
        return found

    matters: list[dict[str, Any]] = []
    materials: list[dict[str, Any]] = []
    for m in data["matters"]:
        initials, full = keys(m["name"])
        matters.append(
            {
                "code": m["code"],
                "name": m["name"],
                "department_code": m["department"],
                "kind": m["kind"],
                "legal_days": m["legal_days"],
                "promised_days": m["promised_days"],
                "fee_yuan": Decimal(str(m["fee_yuan"])).quantize(Decimal("0.01")),
                "fee_basis": m["fee_basis"],
                "allows_pledge": m["allows_pledge"],
                "allows_gap": m["allows_gap"],
                "visit_class": m["visit_class"],
                "place": m["place"],
                "legal_basis": m.get("legal_basis", ""),
                "gap_policy": m.get("gap_policy", ""),
                "gap_reserve_days": m.get("gap_reserve_days", DEFAULT_GAP_RESERVE_DAYS),
                "parallel_review": m.get("parallel_review", False),
                "gap_credit_record": m.get("gap_credit_record", False),
                "pinyin_initials": initials,
                "pinyin_full": full,
            }
        )
        for position, x in enumerate(m["materials"]):
            materials.append(
                {
                    "matter_code": m["code"],
                    "position": position,
                    "code": x["code"],
                    "name": x["name"],
                    "form": x["form"],
                    "copies": x["copies"],
                    "necessity": x["necessity"],
                    "condition": x.get("condition") or "",
                    "tolerable": x["tolerable"],
                    "source": x["source"],
                    "paper_size": x["paper_size"],
                    "note": x["note"],
                    "obtain": x["obtain"],
                    "blank_form": x.get("blank_form"),
                    "sample": x.get("sample"),
                    "core": x.get("core", False),
                    "role": x.get("role", "other"),
                }
            )
    bundles: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    for b in data["bundles"]:
        initials, full = keys(b["name"])
        bundles.append(
            {
                "code": b["code"],
                "name": b["name"],
                "description": b["description"],
                "pinyin_initials": initials,
                "pinyin_full": full,
            }
        )
        members += [
            {"bundle_code": b["code"], "matter_code": code, "position": i}
            for i, code in enumerate(b["matters"])
        ]
    return {
        Department: [
            {
                "code": d["code"],
                "name": d["name"],
                "organ_type": d.get("organ_type", "administrative"),
                "review_body": d.get("review_body", ""),
                "court": d.get("court", ""),
                "phone": d.get("phone", ""),
            }
            for d in data["departments"]
        ],
        Matter: matters,
        Material: materials,
        Bundle: bundles,
        BundleMatter: members,
        Holiday: [
            {"day": date.fromisoformat(c["date"]), "is_workday": c["workday"], "name": c["name"]}
            for c in data["calendar"]
        ],
    }


# Parents before children for inserts; the reverse for deletes (foreign keys are enforced).
_TABLES: tuple[type[Base], ...] = (Department, Matter, Material, Bundle, BundleMatter, Holiday)


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def check_catalogue(source: str | Path | Mapping[str, Any]) -> tuple[Mapping[str, Any], str]:
    """The validated content of `source` (a file, or already parsed content) and its sha256;
    refused with one line (UserError) when it has problems. Touches no database."""
    from app.catalogue.validate import load_file, validate_data  # jsonschema: not at start-up

    if isinstance(source, str | Path):
        loaded = load_file(source)
        if loaded.problems:
            raise _refusal(loaded.problems)
        data, raw = loaded.data, loaded.raw
    else:
        data, raw = source, _canonical_bytes(source)
    report = validate_data(data)
    if report.problems:
        raise _refusal(report.problems)
    return data, hashlib.sha256(raw).hexdigest()


def check_catalogue_bytes(
    raw: bytes, label: str, strict: bool = True
) -> tuple[Mapping[str, Any], str]:
    """As `check_catalogue` for a file's bytes received some other way, and their sha256.
    `strict=False` is for bytes the central store serves: it re-serialised them after its own
    strict and whole check at publishing, so the plain parser (fees as Decimal) and the
    schema (the structure the import reads) suffice; the cross-checks are not run twice."""
    from app.catalogue.validate import _schema_problems, parse_bytes, validate_data

    if strict:
        loaded = parse_bytes(raw, label)
        if loaded.problems:
            raise _refusal(loaded.problems)
        data = loaded.data
    else:
        try:
            data = json.loads(raw, parse_float=Decimal)
        except ValueError as exc:
            raise _refusal([f"{label}: {exc}"]) from None
        if not isinstance(data, dict):
            raise _refusal([f"{label}: 不是目录文件"])
    problems = validate_data(data).problems if strict else _schema_problems(data)
    if problems:
        raise _refusal(problems)
    return data, hashlib.sha256(raw).hexdigest()


def _refuse_changed_version(existing: CatalogueVersion | None, version: str, sha256: str) -> None:
    if existing is not None and existing.sha256 != sha256:
        raise UserError(
            f"事项目录未导入：版本 {version} 已导入过，但内容不同。修改过的目录必须使用新的版本号。"
        )


def _make_current(
    session: Session, existing: CatalogueVersion | None, data: Mapping[str, Any], sha256: str
) -> CatalogueVersion:
    session.execute(
        update(CatalogueVersion)
        .where(CatalogueVersion.is_current.is_(True))
        .values(is_current=False)
    )
    if existing is None:
        existing = CatalogueVersion(version=data["version"])
        session.add(existing)
    existing.name = data["name"]
    existing.is_demo = data["demo"]
    existing.sha256 = sha256
    existing.imported_at = utcnow()
    existing.is_current = True
    session.flush()
    return existing


def import_catalogue(session: Session, source: str | Path | Mapping[str, Any]) -> CatalogueVersion:
    """Validate `source` (a file, or already parsed content), then replace the whole catalogue
    and make its version the current one, in the caller's transaction (start-up's demo import;
    a command imports with `import_catalogue_staged`, which holds the write lock far shorter).
    Refused with UserError (nothing written) when the file has problems or reuses an imported
    version number for different content."""
    data, sha256 = check_catalogue(source)
    version = data["version"]
    existing = session.get(CatalogueVersion, version)
    _refuse_changed_version(existing, version, sha256)
    rows = _rows(data)
    try:
        session.flush()
        for table in reversed(_TABLES):
            session.execute(delete(_table(table)))
        # Core inserts on the tables: one executemany each (the ORM's bulk path falls back
        # to a statement per row here, ten times slower).
        for table in _TABLES:
            if rows[table]:
                session.execute(insert(_table(table)), rows[table])
        # Objects loaded before the bulk statements would show the replaced catalogue.
        session.expire_all()
        current = _make_current(session, existing, data, sha256)
    except BaseException:
        # All or nothing: never leave a half-replaced catalogue for the caller to commit.
        session.rollback()
        raise
    return current


#: Staged tables, and the staged copies of the live tables' secondary indexes, are named with
#: this prefix. Nothing else in the database may use it.
STAGE_PREFIX = "catalogue_stage_"
#: Rows written to the staging tables per write transaction (each a few milliseconds: the rows
#: are converted to the driver's values before the transaction begins).
STAGE_CHUNK = 500
#: The least pause between two staging transactions (a longer one: app.catalogue.pacing).
STAGE_PAUSE_S = 0.02
#: Beside the database file: held (an OS lock, released by the OS if the process dies) while
#: a catalogue import runs, so that a second import is refused instead of touching the first
#: one's staging tables, and start-up cleans up only what a dead import left.
IMPORT_LOCK_SUFFIX = ".catalogue-import.lock"

#: Told each step of a staged import once its transaction has committed: "staging" after each
#: chunk of staged rows, "swapped" once the new catalogue is live, "indexed" once its indexes
#: carry their live names again.
Progress = Callable[[str], None]


class ImportRunning(UserError):
    """Another catalogue import is running on this database."""


def _refuse_running() -> ImportRunning:
    return ImportRunning("事项目录未导入，目录保持不变：另一个目录导入正在进行，请等它完成后再试")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError: held by another import
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def import_lock(database: Database) -> Iterator[bool]:
    """Yields True while this process holds `database`'s import lock, False when another
    import holds it (nothing is waited for). A database in memory has no other process."""
    if database.path is None:
        yield True
        return
    path = database.path.with_name(database.path.name + IMPORT_LOCK_SUFFIX)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if not _try_lock(fd):
            yield False
            return
        try:
            yield True
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def _stage_name(name: str) -> str:
    return STAGE_PREFIX + name


def _stage_ddl(table: Table) -> list[str]:
    """CREATE statements for `table`'s staging copy: the same columns and constraints
    (references to the live names, so that they hold once renamed) and the same secondary
    indexes under staged names (the live table keeps its own indexes meanwhile)."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    dialect = sqlite.dialect()
    name = table.name
    create = str(CreateTable(table).compile(dialect=dialect)).strip()
    head = f"CREATE TABLE {name} ("
    assert create.startswith(head), create
    staged = [f"CREATE TABLE {_stage_name(name)} (" + create[len(head) :]]
    for index in sorted(table.indexes, key=lambda i: str(i.name)):
        statement = str(CreateIndex(index).compile(dialect=dialect)).strip()
        head = f"CREATE INDEX {index.name} ON {name} ("
        assert statement.startswith(head), statement
        staged.append(
            f"CREATE INDEX {_stage_name(str(index.name))} ON {_stage_name(name)} ("
            + statement[len(head) :]
        )
    return staged


def _live_index_ddl() -> dict[str, str]:
    """Every live catalogue table's secondary index by name, with its CREATE statement."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex

    dialect = sqlite.dialect()
    return {
        str(index.name): str(CreateIndex(index).compile(dialect=dialect)).strip()
        for model in _TABLES
        for index in _table(model).indexes
    }


def _insert_rows(table: Table, rows: list[dict[str, Any]]) -> tuple[str, list[tuple[Any, ...]]]:
    """The staging INSERT for `table` and its rows as the driver's values, made with no
    transaction open (SQLAlchemy's per-value processing inside the lock took most of it)."""
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    if not rows:
        return "", []
    columns = [c for c in table.columns if c.name in rows[0]]
    for column in table.columns:
        # A column the rows leave out must need no value from Python (the autoincrement id).
        assert column in columns or column.default is None, column
    processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    names = [c.name for c in columns]
    # The plain columns are taken by itemgetter (in C); only those with a processor by Python.
    take = itemgetter(*names, names[0])  # a tuple even for one column (trimmed below)
    process = [(i, p) for i, p in enumerate(processors) if p is not None]
    values: list[tuple[Any, ...]] = []
    for row in rows:
        value = list(take(row)[:-1])
        for i, p in process:
            if value[i] is not None:
                value[i] = p(value[i])
        values.append(tuple(value))
    sql = (
        f"INSERT INTO {_stage_name(table.name)} ({', '.join(names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    return sql, values


_NAMES_SQL = "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')"


def _schema_names(conn: Connection) -> list[tuple[str, str, str]]:
    """(type, name, table) of every table and index in the database, read by the driver in
    its own read statement (a SQLAlchemy statement outside a transaction would begin one,
    and take the write lock)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    return [(str(t), str(n), str(tb)) for t, n, tb in driver.execute(_NAMES_SQL)]


def _needs_repair(names: list[tuple[str, str, str]]) -> bool:
    present = {n for _t, n, _tb in names}
    return any(n.startswith(STAGE_PREFIX) for n in present) or not (
        set(_live_index_ddl()) <= present
    )


def _repair(conn: Connection, locked: Callable[[], Any], progress: Progress | None) -> None:
    """Put the catalogue's schema back as the models have it, in short transactions: drop
    staging tables an import left (cut off, or failed), give every live table each of its
    secondary indexes under its live name (after a swap they carry the staged names), then
    drop the staged names. At every step each live table has an index on each indexed
    column, under one name or the other. Only under the import lock."""
    names = _schema_names(conn)
    tables = [n for t, n, _tb in names if t == "table" and n.startswith(STAGE_PREFIX)]
    if tables:
        with locked():
            for name in tables:
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
    present = {n for _t, n, _tb in _schema_names(conn)}
    for name, statement in _live_index_ddl().items():
        if name not in present:
            with locked():  # one index per transaction: each holds the lock a moment
                conn.exec_driver_sql(statement)
    staged = [n for t, n, _tb in _schema_names(conn) if t == "index" and n.startswith(STAGE_PREFIX)]
    if staged:
        with locked():
            for name in staged:
                conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    if progress is not None:
        progress("indexed")


def _rename_staged_indexes(conn: Connection) -> None:
    """In the swap, once the staged tables have their live names: give their indexes the live
    names too. SQLite has no ALTER INDEX ... RENAME, and building the indexes afresh under
    their live names would hold the lock for hundreds of milliseconds on a 20,000-matter
    catalogue. An index's name lives only in its row of sqlite_master (its b-tree is found by
    root page), so the row is rewritten as SQLite's documented procedure for schema changes
    that leave the file's content alone does it (writable_schema, then the schema version
    bumped so that every connection reloads the schema). The caller's transaction commits it
    with the swap, or rolls it back with it."""
    statements = _live_index_ddl()
    version = int(conn.exec_driver_sql("PRAGMA schema_version").scalar_one())
    conn.exec_driver_sql("PRAGMA writable_schema=ON")
    try:
        for name, statement in statements.items():
            renamed = conn.exec_driver_sql(
                "UPDATE sqlite_master SET name = ?, sql = ? WHERE type = 'index' AND name = ?",
                (name, statement, _stage_name(name)),
            ).rowcount
            assert renamed == 1, name
        conn.exec_driver_sql(f"PRAGMA schema_version={version + 1}")
    finally:
        conn.exec_driver_sql("PRAGMA writable_schema=OFF")


@contextmanager
def _import_connection(
    database: Database, times: list[float]
) -> Iterator[tuple[Connection, Callable[[], Any]]]:
    """A connection of `database` with foreign keys off (the staged tables reference the live
    names; writing them must not check the live catalogue: the content was checked whole),
    and `locked()`: one write transaction on it, timed into `times`, then a pause."""
    from db.engine import StoreBusy

    with database.engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        driver.execute("PRAGMA foreign_keys=OFF")
        # Index builds sort in memory, not in temporary files.
        driver.execute("PRAGMA temp_store=MEMORY")
        driver.execute("PRAGMA cache_size=-65536")

        @contextmanager
        def locked() -> Iterator[None]:
            try:
                with conn.begin():
                    start = time.perf_counter()
                    yield
                held = time.perf_counter() - start
            except OperationalError as exc:
                if "locked" in str(exc.orig) or "busy" in str(exc.orig):
                    raise StoreBusy() from exc
                raise
            times.append(held)
            # Let a waiting writer in: SQLite's busy handler polls at intervals, and
            # back-to-back transactions would starve a kiosk until its timeout.
            time.sleep(pause_after(held, STAGE_PAUSE_S))

        try:
            yield conn, locked
        finally:
            if conn.in_transaction():
                conn.rollback()
            driver.execute("PRAGMA foreign_keys=ON")
            driver.execute("PRAGMA temp_store=DEFAULT")


def clean_up_staging(database: Database) -> bool:
    """At opening: what an import cut off (the process killed) left behind is removed, and the
    live catalogue's indexes get their live names back. Costs one read when there is nothing
    to do, and does nothing while another process's import is running. True if it cleaned."""
    with database.read() as s:
        names = [(str(t), str(n), str(tb)) for t, n, tb in s.execute(text(_NAMES_SQL))]
        if not _needs_repair(names):
            return False
    with import_lock(database) as mine:
        if not mine:
            return False
        with _import_connection(database, []) as (conn, locked):
            _repair(conn, locked, None)
    log.info("removed what a cut-off catalogue import left")
    return True


def import_catalogue_staged(
    database: Database,
    source: str | Path,
    lock_times: list[float] | None = None,
    checked: tuple[Mapping[str, Any], str] | None = None,
    progress: Progress | None = None,
    chunk: int = STAGE_CHUNK,
) -> str:
    """Import a catalogue file into `database` without holding its write lock for long, so
    that desks and kiosks keep working.

    The file is checked and its rows built (as the driver's values) with no transaction open.
    The rows are written to staging tables beside the live ones (`catalogue_stage_*`, with
    their own copies of the secondary indexes under staged names), a few hundred per short
    write transaction; the live tables keep all their indexes. Then one short transaction drops
    the live tables, renames the staged ones into their place and makes the version current:
    readers see the old catalogue or the new one, never a mix. Last, each index gets its live
    name back, one short transaction per index (the staged copy serves until it has).

    One import at a time per database: a second one is refused (`ImportRunning`, one line)
    and touches nothing. A file with problems changes nothing; a failure while staging leaves
    the live catalogue as it was; an import cut off (the process killed) is cleaned up by the
    next import or the next opening (`clean_up_staging`). `lock_times`, if given, gets the
    seconds each write transaction held the lock; `checked` is `check_catalogue(source)` when
    the caller already has it; `progress` is told each step (see `Progress`); `chunk` is the
    rows per staging transaction (a worker that may hold the lock a little longer, such as
    the sync engine, takes fewer, larger ones). Returns the imported version."""
    data, sha256 = checked or check_catalogue(source)
    version = data["version"]
    with database.read() as s:
        _refuse_changed_version(s.get(CatalogueVersion, version), version, sha256)
    rows = _rows(data)
    inserts = {m: _insert_rows(_table(m), rows[m]) for m in _TABLES}
    times = lock_times if lock_times is not None else []

    with import_lock(database) as mine:
        if not mine:
            raise _refuse_running()
        with _import_connection(database, times) as (conn, locked):
            _repair(conn, locked, None)  # left over from an import that was cut off
            session = Session(bind=conn)
            try:
                with locked():
                    for model in _TABLES:
                        for statement in _stage_ddl(_table(model)):
                            conn.exec_driver_sql(statement)
                for model in _TABLES:
                    sql, values = inserts[model]
                    for at in range(0, len(values), chunk):
                        with locked():
                            conn.exec_driver_sql(sql, values[at : at + chunk])
                        if progress is not None:
                            progress("staging")
                with locked():  # the swap
                    existing = session.get(CatalogueVersion, version)
                    _refuse_changed_version(existing, version, sha256)
                    for model in reversed(_TABLES):
                        conn.exec_driver_sql(f"DROP TABLE {_table(model).name}")
                    for model in _TABLES:
                        name = _table(model).name
                        conn.exec_driver_sql(f"ALTER TABLE {_stage_name(name)} RENAME TO {name}")
                    _rename_staged_indexes(conn)
                    _make_current(session, existing, data, sha256)
            except BaseException:
                session.close()
                if conn.in_transaction():
                    conn.rollback()
                try:
                    _repair(conn, locked, None)
                except Exception:  # the first error is the one to report
                    log.warning("could not clean up after a failed catalogue import", exc_info=True)
                raise
            session.close()
            if progress is not None:
                progress("swapped")
            try:
                _repair(conn, locked, progress)
            except Exception:
                # The new catalogue is in and indexed (under the staged names): the next import
                # or opening gives the indexes their live names.
                log.warning("catalogue imported; its indexes keep staged names", exc_info=True)
    return version


def current_version(session: Session) -> CatalogueVersion | None:
    return session.scalars(
        select(CatalogueVersion).where(CatalogueVersion.is_current.is_(True))
    ).one_or_none()


def import_demo_if_empty(session: Session) -> bool:
    """On a desk's first run (no catalogue ever imported), import the bundled demo catalogue.
    True if it did."""
    if session.scalar(select(func.count()).select_from(CatalogueVersion)):
        return False
    import_catalogue(session, DEMO_CATALOGUE)
    return True
