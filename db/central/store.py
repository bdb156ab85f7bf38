"""Opening the central store: PostgreSQL (psycopg 3) in production, a SQLite file as the
embedded default. The schema is brought to the newest revision of its own Alembic history
(db/central/migrations) on every open."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def normalise_url(url: str) -> str:
    """A plain `postgresql://` URL means psycopg 3; a bare path means a SQLite file."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # Writes are serialised on SQLite: every transaction takes the write lock at BEGIN, so a
    # plain sequence orders the pull feed and a max()+1 cannot race.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass
class CentralStore:
    engine: Engine
    session: sessionmaker[Session]
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction, committed on leaving. On SQLite this process's writers also queue
        on a lock (the file allows one writer anyway)."""
        if self.is_postgres:
            with self.session.begin() as s:
                yield s
            return
        with self.lock, self.session.begin() as s:
            yield s

    def close(self) -> None:
        self.engine.dispose()


def alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def make_central_engine(url: str) -> Engine:
    full = normalise_url(url)
    if make_url(full).get_backend_name() == "sqlite":
        engine = create_engine(full, pool_size=8, max_overflow=16)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(full, pool_size=10, max_overflow=30)
    _ping_when_idle(engine)
    return engine


#: A pooled PostgreSQL connection idle for longer is pinged before use (a restarted server or
#: a firewall may have dropped it); one in steady use is not: the ping is a round trip, as
#: long as a call-next's whole statement. A connection that died in between fails its
#: request once (a 5xx, which the desk retries: every write is idempotent) and SQLAlchemy
#: then drops the pool's connections.
IDLE_PING_S = 10.0


def _ping_when_idle(engine: Engine) -> None:
    def checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    def checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_S:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as err:
            # The pool drops this connection and checks out (or opens) another.
            raise exc.DisconnectionError(str(err)) from err

    event.listen(engine, "checkin", checkin)
    event.listen(engine, "checkout", checkout)


def open_central(url: str) -> CentralStore:
    """Open (creating or upgrading) the central store at `url`."""
    from alembic import command

    engine = make_central_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    return CentralStore(engine, sessionmaker(engine, expire_on_commit=False))
