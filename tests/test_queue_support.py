"""Shared set-up for the queue tests: a database with a small hall, a controllable clock.
(No tests here; the queue test modules import these helpers and fixtures.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QObject
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

import db.models  # noqa: F401  (registers every table)
from app.queue.backend import LocalQueue
from app.services.changes import DeskContext
from db.base import Base
from db.engine import Database
from db.models.hall import Clerk, Hall, Line, Window, WindowLine

# 09:00 in the hall (China time) on a Thursday.
START = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)

# Window number → the lines it serves, in order of preference.
DEFAULT_WINDOWS: dict[int, list[str]] = {1: ["A"], 2: ["A", "B"], 3: ["B", "A"], 5: ["C"]}


class Clock:
    """Moves one second forward on every reading, so that every action has its own time."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def immediate_engine(url: str, **kwargs: Any) -> Engine:
    """A SQLite engine whose transactions take the write lock at BEGIN (BEGIN IMMEDIATE), so
    that concurrent desks wait for each other instead of failing on a lock upgrade."""
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA busy_timeout = 10000")
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def file_sessions(path: Path) -> sessionmaker[Session]:
    engine = immediate_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    return sessionmaker(engine, expire_on_commit=False)


def memory_sessions() -> sessionmaker[Session]:
    engine = immediate_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    Base.metadata.create_all(engine)
    return sessionmaker(engine, expire_on_commit=False)


def seed_hall(
    sessions: sessionmaker[Session],
    *,
    policy: str = "priority_first",
    every_n: int = 3,
    keeps_place: bool = True,
    windows: dict[int, list[str]] | None = None,
) -> None:
    with sessions.begin() as s:
        s.add(
            Hall(
                id=1,
                name="白城市政务服务中心",
                division_code="220800",
                priority_policy=policy,
                priority_every_n=every_n,
                transfer_keeps_place=keeps_place,
            )
        )
        for position, (code, name) in enumerate(
            [("A", "社保医保"), ("B", "不动产登记"), ("C", "市场准入")]
        ):
            s.add(Line(code=code, name=name, ticket_prefix=code, position=position))
        # The hall manager who closes the day (MANAGER); "c1", a clerk, may not.
        s.add_all(
            [
                Clerk(id="c1", name="窗口", role="clerk"),
                Clerk(id="m1", name="负责人", role="manager"),
            ]
        )
        s.flush()
        for number, codes in (windows or DEFAULT_WINDOWS).items():
            s.add(Window(number=number, name=f"{number}号窗口"))
            for preference, code in enumerate(codes):
                s.add(WindowLine(window_number=number, line_code=code, preference=preference))


def ctx(window: int | None, clerk: str | None = "c1") -> DeskContext:
    return DeskContext(window_number=window, clerk_id=clerk)


KIOSK = DeskContext(window_number=None, clerk_id=None)
#: The hall manager at window 1 (closes the day).
MANAGER = DeskContext(window_number=1, clerk_id="m1")

Q = TypeVar("Q", bound=QObject)


def child(parent: QObject, cls: type[Q], name: str) -> Q:
    """The child widget of that class and objectName (the tests find widgets by name)."""
    found = parent.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} named {name!r}"
    return found


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    factory = file_sessions(tmp_path / "desk.sqlite")
    yield factory
    engine = factory.kw["bind"]
    engine.dispose()


@pytest.fixture
def database(sessions: sessionmaker[Session]) -> Database:
    """The desk's Database over the same file (reads on snapshots, writes retried)."""
    return Database(sessions.kw["bind"], sessions, None)


@pytest.fixture
def ops(qtbot: Any, database: Database) -> Iterator[Any]:
    """The database's worker (ui/operations.py), finished at the end of the test."""
    from ui.operations import Operations

    operations = Operations(database)
    yield operations
    operations.shutdown()


@pytest.fixture
def queue(sessions: sessionmaker[Session], clock: Clock) -> LocalQueue:
    seed_hall(sessions)
    return LocalQueue(sessions, clock=clock)
