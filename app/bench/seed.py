"""A desk as it is after years of use, made fast for the benchmarks: a catalogue of `matters`
matters (app/catalogue/generate.py, imported with the staged import) and `cases` cases with
their matters, materials, documents, events and outbox rows.

A few TEMPLATE cases are saved through the real services (save_case, documents_for_case), one
per kind (accepted, accepted with gaps, notified, rejected); every other case is a copy of one
of them written by bulk inserts (sqlite3 executemany) with its own ids, number, applicant
(distinct names, ID numbers and phones), day and deadlines, so each case carries the rows and
bytes that the services write for one today. About 200 cases a day, the newest today; older
cases are mostly delivered, recent ones mostly open; the gaps' deadlines follow their day, so
the older gaps are overdue. The daily counters are moved past the copies' numbers, so the
desk's next case and document get fresh numbers.

`seeded_desk(cases, matters)` returns a data directory, seeded once and kept in a cache
directory keyed by the sizes and the schema: later bench runs copy it instead of seeding.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from app.audit import GENESIS, stored_row_hash

#: Bump when the seed's shape changes: cached desks of an older shape are not reused.
SEED_VERSION = 3  # 3: events chained (app/audit.py), JSON stored canonical
CASES_PER_DAY = 200
#: The tables a case's rows live in, in insert order.
TABLES = ("case", "case_matter", "case_material", "document", "event", "outbox")

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国红梅海燕鹏飞志宏文斌晓东"


@dataclass(frozen=True)
class _Template:
    status: str
    rows: dict[str, list[dict[str, Any]]]  # table -> the rows the services wrote


def _ident_checksum(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def applicant_of(i: int) -> tuple[str, str, str]:
    """The i-th seeded applicant: a distinct name (for i < 160,000), a valid resident ID number
    and a mobile number, both distinct for every i."""
    s, g = len(SURNAMES), len(GIVEN)
    name = SURNAMES[i % s] + GIVEN[(i // s) % g] + GIVEN[(i // (s * g)) % g]
    born = date(1950, 1, 1) + timedelta(days=(i * 37) % 20_000)
    # The division code's last three digits carry i's thousands: every i its own number.
    first17 = f"220{(i // 1000) % 1000:03d}{born:%Y%m%d}{i % 1000:03d}"
    return name, first17 + _ident_checksum(first17), f"13{i:09d}"


# The column that orders a table's rows by insertion (the outbox has no rowid: its key is
# the event's ULID, which sorts by time).
_ORDER = {"outbox": "op_id"}


def _rows_since(conn: sqlite3.Connection, marks: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        key = _ORDER.get(table, "rowid")
        cur = conn.execute(f'SELECT * FROM "{table}" WHERE {key} > ?', (marks[table],))
        names = [d[0] for d in cur.description]
        out[table] = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    return out


def _marks(conn: sqlite3.Connection) -> dict[str, Any]:
    marks: dict[str, Any] = {}
    for t in TABLES:
        key = _ORDER.get(t, "rowid")
        empty = "''" if t in _ORDER else "0"
        marks[t] = conn.execute(f'SELECT coalesce(max({key}), {empty}) FROM "{t}"').fetchone()[0]
    return marks


def _entries_for(lines: Sequence[Any], mode: str) -> dict[str, Any]:
    from app.rules.decision import MaterialEntry, MaterialStatus

    entries: dict[str, MaterialEntry] = {}
    for n, line in enumerate(lines):
        if mode == "gap" and line.tolerable:
            entries[line.code] = MaterialEntry(MaterialStatus.TOLERATED)
        elif mode == "notify" and n == 0:
            entries[line.code] = MaterialEntry(MaterialStatus.MISSING)
        elif line.form == "copy":
            entries[line.code] = MaterialEntry(MaterialStatus.RECEIVED_COPIES, copies=line.copies)
        elif line.form == "original_kept":
            entries[line.code] = MaterialEntry(MaterialStatus.RECEIVED_ORIGINAL_KEPT)
        else:
            entries[line.code] = MaterialEntry(
                MaterialStatus.RECEIVED_ORIGINAL_CHECKED, copies=line.copies
            )
    return entries


def _save_templates(data_dir: Path) -> list[_Template]:
    """One case of each kind saved through the real services, with its papers."""
    from sqlalchemy import select

    from app.errors import UserError
    from app.services.applicant import ApplicantData
    from app.services.case_documents import documents_for_case
    from app.services.intake import checklist_for, save_case
    from app.startup import open_desk
    from db.engine import DB_FILE_NAME
    from db.models.catalogue import Matter

    setup = open_desk(data_dir)
    database, ctx = setup.database, setup.ctx
    path = data_dir / DB_FILE_NAME
    wanted = {
        "accept": "accepted",
        "gap": "accepted_with_gap",
        "notify": "notified",
        "reject": "rejected",
    }
    templates: list[_Template] = []
    try:
        with database.read() as s:
            codes = list(s.scalars(select(Matter.code).order_by(Matter.code).limit(400)))
            gap_codes = list(
                s.scalars(select(Matter.code).where(Matter.allows_gap).order_by(Matter.code))
            )[:200]
        for n, (mode, status) in enumerate(wanted.items()):
            candidates = gap_codes if mode == "gap" else codes
            for code in candidates:
                with database.read() as s:
                    lines = checklist_for(s, [code])
                if mode == "gap" and not any(x.tolerable for x in lines):
                    continue
                name, ident, phone = applicant_of(999_000 + n)  # beyond any seeded case
                conn = sqlite3.connect(path)
                marks = _marks(conn)
                try:
                    with database.write() as s:
                        saved = save_case(
                            s,
                            ctx,
                            applicant=ApplicantData("person", name, ident, phone),
                            matter_codes=[code],
                            entries=_entries_for(lines, mode),
                            commitment_signed=mode == "gap",
                            reject_reason="不属本机关职权范围" if mode == "reject" else None,
                            refer_to="吉林省政务服务中心" if mode == "reject" else None,
                        )
                        if saved.case.status != status:
                            raise _NotThisKind
                    with database.write() as s:
                        documents_for_case(s, ctx, saved.case.id)
                except (_NotThisKind, UserError):
                    conn.close()
                    continue
                templates.append(_Template(status, _rows_since(conn, marks)))
                conn.close()
                break
            else:
                raise RuntimeError(f"no matter of the catalogue gives a {status} case")
    finally:
        database.close()
    return templates


def template_entries(database: Any) -> tuple[str, dict[str, Any]]:
    """A matter of the desk's catalogue and the entries (everything handed in) that accept a
    case for it: for callers that save cases through the services, as a clerk would."""
    from sqlalchemy import select

    from app.rules.decision import decide
    from app.services.intake import calendar_for, checklist_for
    from db.models.catalogue import Matter

    with database.read() as s:
        for code in s.scalars(select(Matter.code).order_by(Matter.code).limit(400)):
            lines = checklist_for(s, [code])
            entries = _entries_for(lines, "accept")
            decision = decide(
                lines,
                entries,
                commitment_signed=False,
                not_this_hall_reason=None,
                calendar=calendar_for(s),
                today=date.today(),
                promised_days=5,
            )
            if decision.accepted:
                return code, entries
    raise RuntimeError("no matter of the catalogue accepts a complete case")


class _NotThisKind(Exception):
    pass


def _status_for(rng: random.Random, days_back: int) -> str:
    """Today's work is mostly open; what is older than a month is mostly handed over."""
    roll = rng.random()
    if days_back > 30 and roll < 0.8:
        return "delivered"
    roll = rng.random()
    if roll < 0.55:
        return "accepted"
    if roll < 0.70:
        return "accepted_with_gap"
    if roll < 0.85:
        return "notified"
    if roll < 0.92:
        return "rejected"
    return "delivered"


def _shift(value: str | None, new_day: date, old_day: date) -> str | None:
    """A stored date or datetime ('YYYY-MM-DD…'), moved by new_day - old_day."""
    if value is None:
        return None
    delta = new_day - old_day
    if len(value) == 10:
        return (date.fromisoformat(value) + delta).isoformat()
    moved = datetime.fromisoformat(value) + delta
    return moved.strftime("%Y-%m-%d %H:%M:%S.%f")


_DATE_COLUMNS = {
    "case": (
        "received_at",
        "received_day",
        "accepted_at",
        "promised_date",
        "updated_at",
        "created_at",
    ),
    "case_matter": ("created_at",),
    "case_material": ("created_at", "gap_deadline", "supplied_at"),
    "document": ("created_at", "day", "printed_at"),
    "event": ("at",),
    "outbox": (),  # an operation names its event (op_id, mapped like every id)
}


def _ids() -> Iterator[str]:
    """26-character ids (as db.ids.new_id's), sortable, distinct from any ULID the desk makes
    (they start with 'S', beyond the timestamps' first character)."""
    n = 0
    while True:
        n += 1
        yield f"S{n:025d}"


def seed_cases(path: Path, n: int, *, today: date | None = None, seed: int = 0) -> None:
    """Add `n` cases to the desk database at `path` (a desk's data directory, opened once with
    app.startup.open_desk, catalogue in place): ~200 a day, the newest today."""
    data_dir = path
    templates = _save_templates(data_dir)
    by_status = {t.status: t for t in templates}
    by_status["delivered"] = by_status["accepted"]
    from app.clock import hall_day
    from db.engine import DB_FILE_NAME

    today = today or hall_day(datetime.now(UTC))
    rng = random.Random(seed)
    ids = _ids()
    conn = sqlite3.connect(data_dir / DB_FILE_NAME, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -200000")
        conn.execute("BEGIN")
        columns = {t: list(templates[0].rows[t][0]) if templates[0].rows[t] else [] for t in TABLES}
        for t in TABLES:
            if not columns[t]:
                columns[t] = [d[1] for d in conn.execute(f'PRAGMA table_info("{t}")')]
        batches: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
        # The copied events continue the desk's audit chain (app/audit.py).
        device = conn.execute("SELECT device_id FROM sync_state WHERE id = 1").fetchone()[0]
        head = conn.execute(
            "SELECT seq, hash FROM event WHERE device_id = ? AND seq IS NOT NULL "
            "ORDER BY seq DESC LIMIT 1",
            (device,),
        ).fetchone()
        chain_seq, chain_hash = head if head is not None else (0, GENESIS)
        counters: dict[tuple[str, str], int] = {}
        for t in conn.execute("SELECT scope, day, value FROM daily_counter"):
            counters[(t[0], t[1])] = t[2]

        def flush() -> None:
            for t in TABLES:
                if batches[t]:
                    cols = ", ".join(f'"{c}"' for c in columns[t])
                    marks = ", ".join("?" * len(columns[t]))
                    conn.executemany(f'INSERT INTO "{t}" ({cols}) VALUES ({marks})', batches[t])
                    batches[t].clear()

        for i in range(n):
            days_back = i // CASES_PER_DAY
            day = today - timedelta(days=days_back)
            status = _status_for(rng, days_back)
            template = by_status[status]
            tcase = template.rows["case"][0]
            old_day = date.fromisoformat(tcase["received_day"])
            name, ident, phone = applicant_of(i)
            mapping: dict[str, str] = {}
            for t in ("case", "case_matter", "case_material", "document", "event"):
                for row in template.rows[t]:
                    mapping[row["id"]] = next(ids)
            window = tcase["window_number"] or 1
            division = tcase["case_no"][:6]
            scope = f"case:w{window}"
            seq = counters.get((scope, day.isoformat()), 0) + 1
            counters[(scope, day.isoformat())] = seq
            case_no = f"{division}{day:%Y%m%d}{window:02d}{seq:04d}"
            for t in TABLES:
                for row in template.rows[t]:
                    new = dict(row)
                    for key, value in row.items():
                        if isinstance(value, str) and value in mapping:
                            new[key] = mapping[value]
                    for key in _DATE_COLUMNS[t]:
                        if key in new:
                            new[key] = _shift(new[key], day, old_day)
                    if t == "case":
                        new.update(
                            case_no=case_no,
                            status=status,
                            applicant_name=name,
                            applicant_id_number=ident,
                            applicant_phone=phone,
                            ticket_id=None,
                        )
                    elif t == "document":
                        kind = new["kind"]
                        dscope = f"doc:{kind}:w{window}"
                        dseq = counters.get((dscope, day.isoformat()), 0) + 1
                        counters[(dscope, day.isoformat())] = dseq
                        prefix = new["doc_no"][: len(new["doc_no"]) - 20]
                        new["doc_no"] = f"{prefix}{division}{day:%Y%m%d}{window:02d}{dseq:04d}"
                        new["pdf_path"] = None
                    elif t == "event":
                        chain_seq += 1
                        new.update(device_id=device, seq=chain_seq, prev_hash=chain_hash)
                        chain_hash = new["hash"] = stored_row_hash(new)
                    batches[t].append(tuple(new[c] for c in columns[t]))
            if len(batches["case"]) >= 5_000:
                flush()
        flush()
        conn.executemany(
            "INSERT INTO daily_counter (scope, day, value) VALUES (?, ?, ?) "
            "ON CONFLICT(scope, day) DO UPDATE SET value = max(value, excluded.value)",
            [(s, d, v) for (s, d), v in counters.items()],
        )
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


def seed_desk(data_dir: Path, *, cases: int, matters: int) -> Path:
    """A fresh desk in `data_dir` with a generated catalogue of `matters` matters (none: the
    demo catalogue) and `cases` seeded cases."""
    from app.catalogue.generate import write_catalogue
    from app.catalogue.importer import import_catalogue_staged
    from app.startup import open_desk, open_store

    open_desk(data_dir).database.close()
    if matters:
        with tempfile.TemporaryDirectory(prefix="onewindow-seed-") as tmp:
            catalogue = Path(tmp) / "catalogue.json"
            write_catalogue(catalogue, matters=matters)
            database = open_store(data_dir)
            try:
                import_catalogue_staged(database, catalogue)
            finally:
                database.close()
    seed_cases(data_dir, cases)
    return data_dir


def _schema_key() -> str:
    from sqlalchemy import create_engine

    import db.models  # noqa: F401
    from db.base import Base

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with engine.connect() as c:
        sql = sorted(r[0] or "" for r in c.exec_driver_sql("SELECT sql FROM sqlite_master"))
    engine.dispose()
    source = Path(__file__).read_bytes()
    return hashlib.sha256(json.dumps(sql).encode() + source).hexdigest()[:12]


def cache_dir() -> Path:
    return Path(
        os.environ.get("ONEWINDOW_BENCH_CACHE") or Path(tempfile.gettempdir()) / "onewindow-bench"
    )


def seeded_desk(tmpdir: Path, cases: int = 100_000, matters: int = 20_000) -> Path:
    """A data directory under `tmpdir` holding a desk with `cases` cases and a `matters`-matter
    catalogue: copied from the cache (seeded there first if missing). The copy is the caller's
    to change."""
    key = f"v{SEED_VERSION}-c{cases}-m{matters}-{_schema_key()}"
    cached = cache_dir() / key
    if not (cached / "done").exists():
        building = cache_dir() / f"{key}.building-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        building.parent.mkdir(parents=True, exist_ok=True)
        seed_desk(building / "data", cases=cases, matters=matters)
        (building / "done").write_text("")
        try:
            building.rename(cached)
        except OSError:  # another run finished first
            shutil.rmtree(building, ignore_errors=True)
    target = Path(tmpdir) / "data"
    shutil.copytree(cached / "data", target)
    return target
