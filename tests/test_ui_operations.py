"""ui.operations: work off the UI thread, results on it, failures in one place, and what
changed announced only after the commit."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.errors import UserError
from db.engine import Database, StoreBusy, open_database
from ui.messages import describe
from ui.operations import CASES, DOCUMENTS, Operations, operations_for


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "ops.sqlite3")
    with database.write() as s:
        s.execute(text("CREATE TABLE scratch (v INTEGER)"))
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def ops(qtbot: QtBot, database: Database) -> Iterator[Operations]:
    operations = Operations(database, attempts=2)
    yield operations
    operations.shutdown()


def rows(path: Path | None) -> list[int]:
    """What another process would see: only committed rows."""
    conn = sqlite3.connect(str(path))
    try:
        return [r[0] for r in conn.execute("SELECT v FROM scratch ORDER BY v")]
    finally:
        conn.close()


def insert(value: int) -> Callable[[Session], int]:
    def fn(s: Session) -> int:
        s.execute(text("INSERT INTO scratch (v) VALUES (:v)"), {"v": value})
        return value

    return fn


def test_work_runs_on_a_worker_and_results_arrive_on_the_ui_thread(ops: Operations) -> None:
    ui_thread = threading.get_ident()
    seen: list[tuple[int, int]] = []
    ops.read(
        lambda s: threading.get_ident(), lambda worker: seen.append((worker, threading.get_ident()))
    )
    assert ops.wait_idle()
    [(worker, delivered)] = seen
    assert worker != ui_thread
    assert delivered == ui_thread


def test_results_arrive_in_the_order_asked(ops: Operations, database: Database) -> None:
    got: list[object] = []
    for i in range(5):
        ops.write(insert(i), got.append, changes={CASES})
        ops.read(lambda s: s.execute(text("SELECT count(*) FROM scratch")).scalar(), got.append)
    ops.run(lambda: "done", got.append)
    assert ops.wait_idle()
    assert got == [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, "done"]


def test_a_refusal_reaches_the_one_handler_as_its_text(qtbot: QtBot, ops: Operations) -> None:
    done: list[object] = []
    local: list[BaseException] = []

    def refuse(s: Session) -> None:
        raise UserError("证件号码有误")

    with qtbot.waitSignal(ops.failed) as blocker:
        ops.read(refuse, done.append, on_failed=local.append)
    assert blocker.args == ["证件号码有误", None]
    assert done == []
    assert [str(e) for e in local] == ["证件号码有误"]


def test_an_unexpected_error_is_logged_with_its_traceback_and_shown_plainly(
    qtbot: QtBot, ops: Operations, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise KeyError("secret-internal-detail")

    with caplog.at_level(logging.ERROR, "ui.operations"), qtbot.waitSignal(ops.failed) as b:
        ops.run(broken)
    message = b.args[0]
    assert message == describe(KeyError())
    assert "Traceback" not in message and "secret-internal-detail" not in message
    assert "Traceback" in caplog.text and "in broken" in caplog.text


def test_an_error_in_the_success_callback_is_reported_too(qtbot: QtBot, ops: Operations) -> None:
    def show(_value: object) -> None:
        raise ValueError("bad widget")

    with qtbot.waitSignal(ops.failed) as blocker:
        ops.read(lambda s: 1, show)
    assert blocker.args[0] == describe(ValueError())


def test_did_execute_fires_after_the_commit_with_what_changed(
    qtbot: QtBot, ops: Operations, database: Database
) -> None:
    seen: list[tuple[frozenset[str], object, list[int]]] = []
    ops.did_execute.connect(lambda changes, who: seen.append((changes, who, rows(database.path))))
    initiator = QObject()
    ops.write(insert(7), changes={CASES, DOCUMENTS}, initiator=initiator)
    assert ops.wait_idle()
    assert seen == [(frozenset({CASES, DOCUMENTS}), initiator, [7])]


def test_a_failed_write_commits_nothing_and_announces_nothing(
    qtbot: QtBot, ops: Operations, database: Database
) -> None:
    announced: list[object] = []
    ops.did_execute.connect(lambda changes, who: announced.append(changes))

    def half(s: Session) -> None:
        s.execute(text("INSERT INTO scratch (v) VALUES (1)"))
        raise UserError("不予保存")

    with qtbot.waitSignal(ops.failed):
        ops.write(half, changes={CASES})
    assert ops.wait_idle()
    assert announced == []
    assert rows(database.path) == []


def test_reads_and_runs_announce_nothing(ops: Operations) -> None:
    announced: list[object] = []
    ops.did_execute.connect(lambda changes, who: announced.append(changes))
    ops.read(lambda s: 1)
    ops.run(lambda: 2)
    assert ops.wait_idle()
    assert announced == []


def test_unknown_change_names_are_a_programming_error(ops: Operations) -> None:
    with pytest.raises(ValueError, match="unknown change names"):
        ops.write(lambda s: None, changes={"casess"})
    assert ops.is_idle()


@pytest.fixture
def other_window(database: Database) -> Iterator[sqlite3.Connection]:
    """Another process holding the write lock."""
    conn = sqlite3.connect(str(database.path), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    finally:
        conn.close()


@pytest.mark.slow
def test_a_busy_store_is_retried_then_reported(
    qtbot: QtBot, ops: Operations, database: Database, other_window: sqlite3.Connection
) -> None:
    waits: list[str] = []
    ops.waiting.connect(waits.append)
    done: list[object] = []
    with qtbot.waitSignal(ops.failed, timeout=20_000) as blocker:
        ops.write(insert(1), done.append, changes={CASES})
    assert blocker.args[0] == describe(StoreBusy())
    assert len(waits) == 1 and "另一个窗口正在保存" in waits[0]
    assert done == []
    other_window.rollback()
    assert rows(database.path) == []


@pytest.mark.slow
def test_the_ui_thread_runs_while_a_write_waits_for_another_process(
    qtbot: QtBot, ops: Operations, database: Database, other_window: sqlite3.Connection
) -> None:
    done: list[object] = []
    # The notice that another window is saving reaches the UI thread while the write is still
    # waiting for the lock: the event loop is running, not blocked behind the write.
    with qtbot.waitSignal(ops.waiting, timeout=20_000):
        ops.write(insert(3), done.append, changes={CASES})
    assert done == [] and not ops.is_idle()
    other_window.execute("COMMIT")
    assert ops.wait_idle()
    assert done == [3]
    assert rows(database.path) == [3]


def test_nothing_is_delivered_to_a_widget_that_was_deleted(qtbot: QtBot, ops: Operations) -> None:
    owner = QObject()
    got: list[object] = []
    ops.read(lambda s: 1, got.append, owner=owner)
    shiboken6.delete(owner)
    assert ops.wait_idle()
    assert got == []


def test_shutdown_finishes_a_write_in_flight(ops: Operations, database: Database) -> None:
    ops.write(insert(5), changes={CASES})
    ops.shutdown()
    assert rows(database.path) == [5]
    got: list[object] = []
    ops.read(lambda s: 1, got.append)  # ignored: the desk is closing
    assert ops.wait_idle()
    assert got == []


def test_one_worker_per_database(database: Database, tmp_path: Path) -> None:
    first = operations_for(database)
    assert operations_for(database) is first
    other = open_database(tmp_path / "other.sqlite3")
    try:
        assert operations_for(other) is not first
    finally:
        operations_for(other).shutdown()
        other.close()
        first.shutdown()
