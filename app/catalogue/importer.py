"""Import of a catalogue file into the desk's database: validate first, then replace every
catalogue row in the caller's transaction, all or nothing.

Run it inside `with session.begin():` (the command line and start-up do). A file with problems
is refused before anything is written; a failure while writing rolls the session back, so a
half-imported catalogue can never be committed."""

from __future__ import annotations

import hashlib
import json
import statistics
import time
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, update
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

DEMO_CATALOGUE = CATALOGUE_DIR / "baicheng-demo.json"
#: How many problems the refusal message lists (the validate command lists them all).
PROBLEMS_SHOWN = 10


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
    shown = problems[:PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    tail = f"\n……另有 {more} 处问题（用“校验目录”命令可列出全部）" if more else ""
    return UserError(
        f"事项目录未导入：文件有 {len(problems)} 处问题，目录保持不变。\n"
        + "\n".join(shown)
        + tail
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


def import_catalogue(
    session: Session, source: str | Path | Mapping[str, Any]
) -> CatalogueVersion:
    """Validate `source` (a file, or already parsed content), then replace the whole catalogue
    and make its version the current one. Refused with UserError (nothing written) when the
    file has problems or reuses an imported version number for different content."""
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
    sha256 = hashlib.sha256(raw).hexdigest()
    version = data["version"]
    existing = session.get(CatalogueVersion, version)
    if existing is not None and existing.sha256 != sha256:
        raise UserError(
            f"事项目录未导入：版本 {version} 已导入过，但内容不同。"
            "修改过的目录必须使用新的版本号。"
        )
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
        session.execute(
            update(CatalogueVersion)
            .where(CatalogueVersion.is_current.is_(True))
            .values(is_current=False)
        )
        if existing is None:
            existing = CatalogueVersion(version=version)
            session.add(existing)
        existing.name = data["name"]
        existing.is_demo = data["demo"]
        existing.sha256 = sha256
        existing.imported_at = utcnow()
        existing.is_current = True
        session.flush()
    except BaseException:
        # All or nothing: never leave a half-replaced catalogue for the caller to commit.
        session.rollback()
        raise
    return existing


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


def bench_import(tmpdir: Path, matters: int = 20_000, runs: int = 3) -> dict[str, float]:
    """Median seconds to import a generated catalogue of `matters` matters (4 materials each)
    from its file into a fresh desk database, validation and pinyin included."""
    from app.catalogue.generate import write_catalogue
    from db.engine import open_database

    path = tmpdir / f"bench-catalogue-{matters}.json"
    write_catalogue(path, matters=matters)
    times: list[float] = []
    for run in range(runs):
        database = open_database(tmpdir / f"bench-import-{run}.sqlite3")
        try:
            start = time.perf_counter()
            with database.session.begin() as session:
                import_catalogue(session, path)
            times.append(time.perf_counter() - start)
        finally:
            database.close()
    return {"catalogue_import_s": statistics.median(times)}
