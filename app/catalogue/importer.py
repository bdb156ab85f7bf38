"""Import of a catalogue file into the desk's database: validate first, then replace every
catalogue row in the caller's transaction, all or nothing.

Run it inside `with session.begin():` (the command line and start-up do). A file with problems
is refused before anything is written; a failure while writing rolls the session back, so a
half-imported catalogue can never be committed."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.errors import UserError
from app.paths import CATALOGUE_DIR
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
    from pypinyin.seg.simpleseg import seg as pinyin_segments

    for segment in pinyin_segments(text):
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
        Department: [{"code": d["code"], "name": d["name"]} for d in data["departments"]],
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


def _refuse_changed_version(existing: CatalogueVersion | None, version: str, sha256: str) -> None:
    if existing is not None and existing.sha256 != sha256:
        raise UserError(
            f"事项目录未导入：版本 {version} 已导入过，但内容不同。"
            "修改过的目录必须使用新的版本号。"
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


def import_catalogue(
    session: Session, source: str | Path | Mapping[str, Any]
) -> CatalogueVersion:
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


#: Staged tables are named with this prefix.
STAGE_PREFIX = "catalogue_stage_"
#: Rows written to the staging tables per write transaction (each a few milliseconds).
STAGE_CHUNK = 500
#: The least pause between two staging transactions (at least as long as the last one held).
STAGE_PAUSE_S = 0.02


def _stage_ddl(table: Table) -> tuple[list[str], list[str]]:
    """CREATE statements for `table`'s staging copy (same columns, constraints and index
    names, references to the live names so that they hold once renamed), and the CREATE
    statements of the live table's named indexes (to restore them if the import fails)."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    dialect = sqlite.dialect()
    name = table.name
    create = str(CreateTable(table).compile(dialect=dialect)).strip()
    head = f"CREATE TABLE {name} ("
    assert create.startswith(head), create
    staged = [f"CREATE TABLE {STAGE_PREFIX}{name} (" + create[len(head) :]]
    live: list[str] = []
    for index in sorted(table.indexes, key=lambda i: str(i.name)):
        statement = str(CreateIndex(index).compile(dialect=dialect)).strip()
        live.append(statement.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
        moved = statement.replace(f" ON {name} (", f" ON {STAGE_PREFIX}{name} (", 1)
        assert moved != statement, statement
        staged.append(moved)
    return staged, live


def _stage_table(model: type[Base]) -> Table:
    from sqlalchemy import MetaData

    return _table(model).to_metadata(MetaData(), name=STAGE_PREFIX + _table(model).name)


def import_catalogue_staged(
    database: Database,
    source: str | Path,
    lock_times: list[float] | None = None,
    checked: tuple[Mapping[str, Any], str] | None = None,
) -> str:
    """Import a catalogue file into `database` without holding its write lock for long, so
    that desks and kiosks keep working. The file is checked and its rows built with no
    transaction open. The rows are written to staging tables beside the live ones, a few
    hundred per short write transaction (the staging tables carry the secondary indexes under
    their live names, so the live tables do without them meanwhile; their primary keys and
    unique constraints stay). Then one short transaction drops the live tables, renames the
    staged ones into their place and makes the version current: readers see the old catalogue
    or the new one, never a mix. A file with problems changes nothing; a failure while staging
    leaves the live catalogue as it was (staging tables dropped, indexes restored).
    `lock_times`, if given, gets the seconds each write transaction held the lock; `checked`
    is `check_catalogue(source)` when the caller already has it. Returns the imported version."""
    from db.engine import StoreBusy

    data, sha256 = checked or check_catalogue(source)
    version = data["version"]
    with database.read() as s:
        _refuse_changed_version(s.get(CatalogueVersion, version), version, sha256)
    rows = _rows(data)
    ddl = {m: _stage_ddl(_table(m)) for m in _TABLES}
    index_names = [str(i.name) for m in _TABLES for i in _table(m).indexes]
    times = lock_times if lock_times is not None else []

    with database.engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        # The staged tables reference the live names; with foreign keys enforced, writing
        # them would check the live catalogue. The content was checked whole above.
        driver.execute("PRAGMA foreign_keys=OFF")
        session = Session(bind=conn)

        @contextmanager
        def locked() -> Iterator[None]:
            try:
                with conn.begin():
                    start = time.perf_counter()
                    yield
                held = time.perf_counter() - start
                times.append(held)
                # Let a waiting writer in: SQLite's busy handler polls at intervals, and
                # back-to-back transactions would starve a kiosk until its timeout.
                time.sleep(max(STAGE_PAUSE_S, held))
            except OperationalError as exc:
                if "locked" in str(exc.orig) or "busy" in str(exc.orig):
                    raise StoreBusy() from exc
                raise

        def drop_stage() -> None:
            for model in reversed(_TABLES):
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGE_PREFIX}{_table(model).name}")

        try:
            with locked():
                drop_stage()  # left over from an import that was cut off
                for name in index_names:
                    conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
                for model in _TABLES:
                    for statement in ddl[model][0]:
                        conn.exec_driver_sql(statement)
            for model in _TABLES:
                stage = _stage_table(model)
                table_rows = rows[model]
                for at in range(0, len(table_rows), STAGE_CHUNK):
                    with locked():
                        conn.execute(insert(stage), table_rows[at : at + STAGE_CHUNK])
            with locked():  # the swap
                existing = session.get(CatalogueVersion, version)
                _refuse_changed_version(existing, version, sha256)
                for model in reversed(_TABLES):
                    conn.exec_driver_sql(f"DROP TABLE {_table(model).name}")
                for model in _TABLES:
                    name = _table(model).name
                    conn.exec_driver_sql(f"ALTER TABLE {STAGE_PREFIX}{name} RENAME TO {name}")
                _make_current(session, existing, data, sha256)
        except BaseException:
            session.close()
            if conn.in_transaction():
                conn.rollback()
            try:
                with locked():
                    drop_stage()
                    for model in _TABLES:
                        for statement in ddl[model][1]:
                            conn.exec_driver_sql(statement)
            except Exception:  # the first error is the one to report
                log.warning("could not clean up after a failed catalogue import", exc_info=True)
            raise
        finally:
            session.close()
            driver.execute("PRAGMA foreign_keys=ON")
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
