"""The catalogue's numbers: importing a large generated catalogue, and the matter search's
keystroke time on it (with the keystrokes clerks type)."""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

from sqlalchemy.orm import Session

from app.catalogue.importer import import_catalogue
from app.catalogue.search import MatterIndex, box_results


def realistic_queries(index: MatterIndex, count: int = 2000, seed: int = 0) -> list[str]:
    """What clerks type, keystroke by keystroke: growing prefixes of matter names, of pinyin
    initials and full pinyin, of codes, department names, and misses."""
    rng = random.Random(seed)
    items = index._all.items
    if not items:
        return ["gtgsh", "登记", "zzz"]
    queries: list[str] = []
    while len(queries) < count:
        item = rng.choice(items)
        code, name, dept, initials, full = item.fields
        kind = rng.randrange(6)
        source = (name, initials, full[:14], code[:24], dept, "不存在的事项xyz")[kind]
        queries += [source[:n] for n in range(1, len(source) + 1)]
        if kind == 0:  # then a second word: the department's initials, keystroke by keystroke
            other = rng.choice(items).fields[3]
            queries += [f"{name} {other[:n]}" for n in range(1, min(len(other), 4) + 1)]
    return queries[:count]


def bench_search(session: Session, queries: list[str] | None = None) -> dict[str, float]:
    """p95 of one keystroke (matter search and bundle search) over realistic queries, and the
    time to build the index."""
    start = time.perf_counter()
    index = MatterIndex.load(session)
    load_ms = (time.perf_counter() - start) * 1000
    queries = queries if queries is not None else realistic_queries(index)
    times: list[float] = []
    for q in queries:
        start = time.perf_counter()
        index.search(q)
        index.search_bundles(q)
        times.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    box: list[float] = []
    for q in queries:
        start = time.perf_counter()
        rows = [(h.code, h.name) for h in box_results(index, q)]  # the model's rows
        box.append((time.perf_counter() - start) * 1000)
        del rows
    box_p95 = statistics.quantiles(box, n=20)[-1] if len(box) > 1 else box[0]
    return {"search_p95_ms": p95, "search_box_p95_ms": box_p95, "search_index_load_ms": load_ms}


def bench_search_generated(tmpdir: Path, matters: int = 20_000) -> dict[str, float]:
    """bench_search on a generated catalogue of `matters` matters in a fresh desk database."""
    from app.catalogue.generate import generate_catalogue
    from app.catalogue.importer import import_catalogue
    from db.engine import open_database

    database = open_database(tmpdir / f"bench-search-{matters}.sqlite3")
    try:
        with database.session.begin() as session:
            import_catalogue(session, generate_catalogue(matters))
        with database.session() as session:
            return bench_search(session)
    finally:
        database.close()


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
