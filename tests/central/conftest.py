"""Shared set-up for the central store's tests: the store on SQLite and on a real PostgreSQL
(started by the tests; skipped loudly without its binaries), a real uvicorn server on a free
port, the demo hall and desk tokens."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import create_engine, text

from app.bench.postgres import free_port, pg_bin_dir, postgres_server
from app.central import admin
from app.central.api import create_app
from app.central.serving import NoDelayHttpProtocol
from db.central.store import CentralStore, normalise_url, open_central
from db.engine import Database, open_database

HALL_FILE = Path(__file__).resolve().parents[2] / "resources" / "catalogue" / "baicheng-hall.json"
HALL = "220800-001"

_counter = iter(range(10**6))


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    if pg_bin_dir() is None:
        if os.environ.get("ONEWINDOW_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL binaries not found, and CI requires the PostgreSQL tests")
        pytest.skip(
            "SKIPPED LOUDLY: PostgreSQL binaries (initdb, pg_ctl) not found; install postgresql "
            "(./dev does) to run the central store's PostgreSQL tests"
        )
    with postgres_server() as url:
        yield url


def fresh_pg_database(pg_url: str) -> str:
    """A new, empty database on the test server."""
    name = f"central_{next(_counter)}_{int(time.time() * 1000) % 100000}"
    engine = create_engine(normalise_url(pg_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return pg_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "central.sqlite3")
    return fresh_pg_database(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[CentralStore]:
    central = open_central(store_url)
    admin.add_hall(central, HALL_FILE)
    try:
        yield central
    finally:
        central.close()


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[CentralStore]:
    """The demo hall on a fresh PostgreSQL database, with this process's caches empty."""
    from app.central import cache

    central = open_central(fresh_pg_database(pg_url))
    admin.add_hall(central, HALL_FILE)
    cache.clear()
    try:
        yield central
    finally:
        central.close()
        cache.clear()


@pytest.fixture
def machine(tmp_path: Path) -> Iterator[Callable[[str, str], Database]]:
    """Another machine of the hall (a kiosk's, a display's): its own data directory with the
    demo hall, given `--central URL --token T`."""
    from app.services.hall import ensure_demo_hall
    from app.sync.settings import remember_central

    opened: list[Database] = []

    def make(url: str, token: str) -> Database:
        data = tmp_path / f"machine{len(opened)}"
        data.mkdir()
        database = open_database(data / "onewindow.sqlite3")
        with database.session.begin() as s:
            ensure_demo_hall(s)
        remember_central(database, url, token)
        opened.append(database)
        return database

    yield make
    for database in opened:
        database.close()


def dead_url() -> str:
    """The address of a central store that is not there (connection refused)."""
    return f"http://127.0.0.1:{free_port()}"


class LiveServer:
    def __init__(self, store: CentralStore) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # As `central serve` runs it: the fast call-next on PostgreSQL, httptools.
        config = uvicorn.Config(
            create_app(store, serving=True),
            host="127.0.0.1",
            port=self.port,
            log_level="error",
            http=NoDelayHttpProtocol,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        for _ in range(500):
            if self.server.started:
                return self
            time.sleep(0.01)
        raise RuntimeError("uvicorn did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def server(store: CentralStore) -> Iterator[LiveServer]:
    with LiveServer(store) as live:
        yield live


class Desk:
    """A desk: its own SQLite database with the demo hall, signed in at a window, and its
    client of the central store (through `transport` to inject faults)."""

    def __init__(self, path: Path, server_url: str, token: str, transport: object = None) -> None:
        from app.queue.backend import LocalQueue
        from app.services.changes import DeskContext
        from app.services.hall import ensure_demo_hall, set_desk
        from app.sync.client import CentralClient
        from db.engine import open_database

        self.database = open_database(path)
        with self.database.session.begin() as s:
            ensure_demo_hall(s)
        self.token = token
        self.client = CentralClient(
            server_url,
            token,
            transport=transport,  # type: ignore[arg-type]
            attempts=4,
            wait_max_s=0.02,
        )
        self.queue = LocalQueue(self.database)
        self.ctx = DeskContext(None, None)
        self._set_desk = set_desk

    def sign_in(self, window: int) -> None:
        with self.database.session.begin() as s:
            self.ctx = self._set_desk(s, window, None)

    def issue(self, n: int, line: str = "QY") -> list[str]:
        return [self.queue.issue_ticket(self.ctx, line).id for _ in range(n)]

    def sync(self) -> object:
        from app.sync.engine import sync_once

        return sync_once(self.database, self.client)

    def outbox(self) -> int:
        from db.models.sync import Outbox

        with self.database.read() as s:
            return s.query(Outbox).count()

    def close(self) -> None:
        self.client.close()
        self.database.close()


@pytest.fixture
def make_desk(
    tmp_path: Path, server: LiveServer, store: CentralStore
) -> Iterator[Callable[..., Desk]]:
    desks: list[Desk] = []

    def make(window: int, transport: object = None, url: str | None = None) -> Desk:
        token = admin.add_desk(store, HALL, window).token
        desk = Desk(tmp_path / f"desk{window}.sqlite3", url or server.url, token, transport)
        desk.sign_in(window)
        desks.append(desk)
        return desk

    yield make
    for desk in desks:
        desk.close()
