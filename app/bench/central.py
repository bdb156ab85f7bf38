"""The central store's numbers, against a throwaway PostgreSQL when its binaries are
installed (else the embedded SQLite store), through a real uvicorn server on a free port:

- `push_10k_ops_s`: a desk pushes 10,000 queued operations (tickets it issued), batch by batch;
- `pull_catalogue_20k_s`: a desk takes a newly published 20,000-matter catalogue;
- `idle_sync_ms`: a sync round with nothing to do (median);
- `call_next_central_p95_ms`: 20 desks calling next at the same moment, in repeated bursts,
  on the shared queue: the p95 over all their calls (app/bench/central_load.py, in a process
  of its own); with it `call_next_central_single_ms` (one desk calling alone, end to end),
  `call_next_central_closed_per_s` and `_closed_p95_ms` (the 20 desks calling back to back
  with no pause: the server's throughput, and the queue that saturating it builds).

The server runs as `python -m app central serve` in processes of its own (WORKERS of them on
PostgreSQL), as it does in production."""

from __future__ import annotations

import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PUSH_OPS = 10_000
DESKS = 20
HALL_FILE = Path(__file__).resolve().parents[2] / "resources" / "catalogue" / "baicheng-hall.json"


@contextlib.contextmanager
def _store_url(tmp: Path) -> Iterator[tuple[str, str]]:
    from app.bench.postgres import pg_bin_dir, postgres_server

    if pg_bin_dir() is None:
        yield str(tmp / "central.sqlite3"), "sqlite"
        return
    with postgres_server() as url:
        yield url, "postgresql"


#: Server processes: uvicorn workers over one PostgreSQL (the claim is safe across processes:
#: FOR UPDATE SKIP LOCKED); one process on the embedded SQLite store.
WORKERS = 2


@contextlib.contextmanager
def _serve(url: str, kind: str) -> Iterator[str]:
    """`python -m app central serve` in a process of its own (as in production: the callers
    do not share its CPU time slice or its GIL), until it answers /health."""
    import httpx

    from app.bench.postgres import free_port

    port = free_port()
    workers = WORKERS if kind == "postgresql" else 1
    command = [sys.executable, "-m", "app", "central", "serve", "--db", url]
    command += ["--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the central store did not start")
            time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _hall_file(tmp: Path) -> Path:
    """The demo hall with 20 windows, each serving every line."""
    data = json.loads(HALL_FILE.read_text(encoding="utf-8"))
    codes = [ln["code"] for ln in data["lines"]]
    data["windows"] = [{"number": n, "name": f"窗口 {n}", "lines": codes} for n in range(1, 21)]
    path = tmp / "hall.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _desk(tmp: Path, name: str) -> Any:
    from app.services.hall import ensure_demo_hall
    from db.engine import open_database

    database = open_database(tmp / f"{name}.sqlite3")
    with database.session.begin() as s:
        ensure_demo_hall(s)
    return database


def bench_central() -> dict[str, float]:
    from app.catalogue.generate import write_catalogue
    from app.central import admin
    from app.queue.issuing import issue_ticket
    from app.services.changes import DeskContext
    from app.sync.client import CentralClient
    from app.sync.engine import SyncReport, push_outbox, sync_once, update_catalogue
    from db.base import utcnow
    from db.central.store import open_central

    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="onewindow-central-") as name:
        tmp = Path(name)
        with _store_url(tmp) as (url, kind):
            results["central_on_postgresql"] = 1.0 if kind == "postgresql" else 0.0
            store = open_central(url)
            hall, _ = admin.add_hall(store, _hall_file(tmp))
            tokens = [admin.add_desk(store, hall, n).token for n in range(1, DESKS + 1)]
            try:
                with _serve(url, kind) as base:
                    # push_10k_ops_s: 10,000 tickets issued by one desk, then pushed.
                    database = _desk(tmp, "desk1")
                    ctx = DeskContext(1, None)
                    with database.write() as s:
                        now = utcnow()
                        for i in range(PUSH_OPS):
                            issue_ticket(s, ctx, line_code=("QY", "BDC", "SB")[i % 3], now=now)
                    client = CentralClient(base, tokens[0])
                    start = time.perf_counter()
                    push_outbox(database, client, SyncReport())
                    results["push_10k_ops_s"] = time.perf_counter() - start

                    # idle_sync_ms: nothing to push, nothing new to pull.
                    sync_once(database, client)
                    idle = []
                    for _ in range(20):
                        start = time.perf_counter()
                        sync_once(database, client)
                        idle.append(time.perf_counter() - start)
                    results["idle_sync_ms"] = statistics.median(idle) * 1000

                    # pull_catalogue_20k_s: a 20,000-matter catalogue published, then taken.
                    catalogue = tmp / "catalogue.json"
                    write_catalogue(catalogue, matters=20_000)
                    version, _n, _new = admin.publish_catalogue(store, catalogue)
                    start = time.perf_counter()
                    update_catalogue(database, client, version, SyncReport())
                    results["pull_catalogue_20k_s"] = time.perf_counter() - start
                    client.close()
                    database.close()

                    results.update(call_next_load(store, base, tokens))
            finally:
                store.close()
    return results


def call_next_load(store: Any, base: str, tokens: list[str]) -> dict[str, float]:
    """20 desks on the shared queue, driven by app.bench.central_load in a process of its
    own (its docstring says what "20 concurrent desks" means): the p95 of their calls in
    bursts (all 20 at the same moment), their throughput back to back, one call alone."""
    from sqlalchemy import text

    from app.bench import central_load
    from app.central import admin, shared_queue
    from db.ids import new_id

    with store.session() as s:
        issuer = admin.authenticate(s, tokens[0])
    assert issuer is not None
    rounds = central_load.ROUNDS + central_load.CLOSED_CALLS + 1
    for _ in range(len(tokens) * rounds + central_load.SINGLE_CALLS):
        shared_queue.issue(store, issuer, new_id(), "QY")  # every call claims a ticket
    if store.is_postgres:
        # The planner's statistics of the morning's tickets, as autovacuum keeps them.
        with store.engine.connect() as conn:
            conn.execute(text("ANALYZE shared_ticket, shared_call, record"))
            conn.commit()
    settings = json.dumps({"url": base, "tokens": tokens})
    command = [sys.executable, "-m", "app.bench.central_load"]
    done = subprocess.run(command, input=settings, capture_output=True, text=True, check=True)
    load = json.loads(done.stdout.strip().splitlines()[-1])
    called = load.pop("called")
    if len(called) != len(set(called)):
        raise RuntimeError("a ticket was called twice")
    return {
        "call_next_central_p95_ms": load["burst_p95_ms"],
        "call_next_central_single_ms": load["single_ms"],
        "call_next_central_closed_per_s": load["closed_calls_per_s"],
        "call_next_central_closed_p95_ms": load["closed_p95_ms"],
    }
