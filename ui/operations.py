"""The one way the desk's windows do work: off the UI thread, one worker per database.

Modelled on Anki's `CollectionOp` and `operation_did_execute`:

    ops = operations_for(database)
    ops.read(lambda s: todays_cases(s), on_done=table.show)
    ops.write(lambda s: save_case(s, ...), changes={CASES}, on_done=panel.saved)
    ops.run(lambda: render_pages(pdf), on_done=preview.show)      # no database

- Each operation runs on the database's worker (a thread pool of ONE thread, so the desk's own
  writes are serialised and never race each other), in its own session: `Database.read()` for
  a read (a WAL snapshot that never waits for a writer), `Database.run_write()` for a write
  (BEGIN IMMEDIATE, tried again while another process holds the lock).
- `on_done(result)` is called on the UI thread, in the order the operations were asked for.
- Every failure is reported in one place: the `failed` signal, with the text from
  `ui.messages.describe` (never a traceback). An error the desk does not expect is logged with
  its traceback first. `on_failed(exc)` lets the caller put its own widgets right (e.g. mark
  the fields that were refused); it does not replace the report.
- While a write waits for another window's lock, `waiting` says so plainly.
- After a write commits, `did_execute(changes, initiator)` announces WHAT changed, so views
  refresh what they show (`if CASES in changes: self.refresh()`) instead of being wired to
  each other.
"""

from __future__ import annotations

import logging
import traceback
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)

from app.errors import UserError
from app.services.desk_queries import Session
from db.engine import Database, DatabaseOpenError, StoreBusy
from ui.messages import describe

log = logging.getLogger(__name__)

T = TypeVar("T")

# What a committed write changed: the names views subscribe to.
CASES = "cases"
QUEUE = "queue"
DOCUMENTS = "documents"
CATALOGUE = "catalogue"
HALL = "hall"
ALL_CHANGES = frozenset({CASES, QUEUE, DOCUMENTS, CATALOGUE, HALL})

# Errors the desk expects (a refusal, a busy store, an unusable file): reported without a
# traceback in the log. Anything else is a bug or a broken machine and is logged in full.
EXPECTED: tuple[type[BaseException], ...] = (UserError, StoreBusy, DatabaseOpenError, OSError)

# How long a worker thread stays alive with nothing to do.
WORKER_EXPIRY_MS = 10_000


@dataclass(eq=False)
class _Job(Generic[T]):
    kind: str  # "read" | "write" | "run"
    fn: Callable[..., T]
    on_done: Callable[[T], object] | None
    on_failed: Callable[[BaseException], object] | None
    changes: frozenset[str]
    initiator: object
    owner: QObject | None
    attempts: int
    result: Any = None
    error: BaseException | None = None
    error_trace: str = field(default="", repr=False)


class _Runnable(QRunnable):
    def __init__(self, ops: Operations, job: _Job[Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._ops = ops
        self._job = job

    def run(self) -> None:  # on the worker thread
        self._ops._execute(self._job)


class Operations(QObject):
    """One database's worker and the desk's single place for results, errors and changes."""

    # A failed operation, as the text the clerk reads, and who asked for it.
    failed = Signal(str, object)
    # A write is waiting for another window's write lock (the text says so).
    waiting = Signal(str)
    # A write committed: `(changes: frozenset[str], initiator)`.
    did_execute = Signal(object, object)
    # Nothing is pending any more.
    idle = Signal()

    _finished = Signal(object)  # worker -> UI thread
    _wait_notice = Signal(int)  # worker -> UI thread

    def __init__(
        self, database: Database | None, parent: QObject | None = None, *, attempts: int = 3
    ) -> None:
        """`database` None: a worker for work without a session (`run` only), e.g. the
        printer's, so a slow device never queues in front of the database's work."""
        super().__init__(parent)
        self.database = database
        self.attempts = attempts
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(WORKER_EXPIRY_MS)
        self._pending = 0
        self._closed = False
        queued = Qt.ConnectionType.QueuedConnection
        self._finished.connect(self._deliver, queued)
        self._wait_notice.connect(self._announce_wait, queued)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        _LIVE.add(self)

    # --- asking for work (UI thread) -------------------------------------------------------

    def read(
        self,
        fn: Callable[[Session], T],
        on_done: Callable[[T], object] | None = None,
        *,
        on_failed: Callable[[BaseException], object] | None = None,
        owner: QObject | None = None,
    ) -> None:
        """`fn(session)` in a read transaction (a snapshot; it never waits for a writer and
        may not write). Return plain data: the session is closed before `on_done` runs."""
        self._database_needed()
        self._submit(_Job("read", fn, on_done, on_failed, frozenset(), None, owner, 1))

    def write(
        self,
        fn: Callable[[Session], T],
        on_done: Callable[[T], object] | None = None,
        *,
        changes: Iterable[str],
        initiator: object = None,
        on_failed: Callable[[BaseException], object] | None = None,
        owner: QObject | None = None,
    ) -> None:
        """`fn(session)` in one write transaction, committed before `on_done` runs; then
        `did_execute(changes, initiator)`. Tried again while another window holds the lock
        (`waiting` says so), reported through `failed` if it stays busy."""
        self._database_needed()
        names = frozenset(changes)
        unknown = names - ALL_CHANGES
        if unknown:
            raise ValueError(f"unknown change names: {sorted(unknown)}")
        self._submit(_Job("write", fn, on_done, on_failed, names, initiator, owner, self.attempts))

    def run(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], object] | None = None,
        *,
        on_failed: Callable[[BaseException], object] | None = None,
        owner: QObject | None = None,
    ) -> None:
        """`fn()` on the worker, without a session: rendering, files, the printer. Queued
        behind the database work asked for before it, so it sees what that work committed."""
        self._submit(_Job("run", fn, on_done, on_failed, frozenset(), None, owner, 1))

    def _database_needed(self) -> None:
        if self.database is None:
            raise ValueError("this worker has no database: only run() is possible")

    def is_idle(self) -> bool:
        return self._pending == 0

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Run the event loop until every operation asked for so far has been delivered (for
        tests, benchmarks and closing); False if `timeout_ms` passed first."""
        if self._pending == 0:
            return True
        loop = QEventLoop()
        self.idle.connect(loop.quit)
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(timeout_ms)
        try:
            while self._pending and timer.isActive():
                loop.exec()
        finally:
            self.idle.disconnect(loop.quit)
            timer.stop()
        return self._pending == 0

    def shutdown(self, timeout_ms: int = 30_000) -> None:
        """On closing: finish what was asked for (a save in flight still commits), deliver
        nothing more to widgets that are going away, and let the worker go."""
        if self._closed:
            return
        self._closed = True
        self._pool.waitForDone(QDeadlineTimer(timeout_ms))
        _LIVE.discard(self)

    @property
    def closed(self) -> bool:
        return self._closed

    def _submit(self, job: _Job[Any]) -> None:
        if self._closed:
            log.warning("operation asked for after shutdown; ignored")
            return
        self._pending += 1
        self._pool.start(_Runnable(self, job))

    # --- the worker ------------------------------------------------------------------------

    def _execute(self, job: _Job[Any]) -> None:
        try:
            if job.kind == "read":
                assert self.database is not None
                with self.database.read() as s:
                    job.result = job.fn(s)
            elif job.kind == "write":
                assert self.database is not None
                job.result = self.database.run_write(
                    job.fn, attempts=job.attempts, on_wait=self._wait_notice.emit
                )
            else:
                job.result = job.fn()
        except BaseException as exc:  # reported on the UI thread, never lost
            job.error = exc
            if not isinstance(exc, EXPECTED):
                job.error_trace = traceback.format_exc()
        try:
            self._finished.emit(job)
        except RuntimeError:
            # Its window closed (and Qt deleted this object) while the job ran: nobody is
            # left to tell, and the job's own work is already committed or rolled back.
            if job.error_trace:
                log.error("a job ended after its window closed:\n%s", job.error_trace)

    # --- back on the UI thread -------------------------------------------------------------

    def _announce_wait(self, attempt: int) -> None:
        self.waiting.emit(
            self.tr("另一个窗口正在保存，稍候自动重试（第%1次）…").replace("%1", str(attempt))
        )

    def _deliver(self, job: _Job[Any]) -> None:
        try:
            if self._closed or (job.owner is not None and not shiboken6.isValid(job.owner)):
                if job.error is not None:
                    log.info("operation failed after its window closed: %r", job.error)
                return
            if job.error is not None:
                self._fail(job, job.error, job.error_trace)
                return
            try:
                if job.on_done is not None:
                    job.on_done(job.result)
            except Exception as exc:
                self._fail(job, exc, traceback.format_exc())
            finally:
                if job.kind == "write" and job.changes:
                    self.did_execute.emit(job.changes, job.initiator)
        finally:
            # Counted down only now: work asked for by the callbacks keeps the count above 0.
            self._pending -= 1
            if self._pending == 0:
                self.idle.emit()

    def _fail(self, job: _Job[Any], exc: BaseException, trace: str) -> None:
        if trace:
            log.error("operation failed unexpectedly:\n%s", trace)
        else:
            log.info("operation refused: %s", type(exc).__name__)
        self.failed.emit(describe(exc), job.initiator)
        if job.on_failed is not None:
            try:
                job.on_failed(exc)
            except Exception:
                log.exception("an operation's failure handler failed")


_LIVE: weakref.WeakSet[Operations] = weakref.WeakSet()
_ATTR = "_ui_operations"


def operations_for(database: Database) -> Operations:
    """The database's one worker, made on first use (it lives as long as the database)."""
    ops = cast("Operations | None", database.__dict__.get(_ATTR))
    if ops is None or ops.closed or not shiboken6.isValid(ops):
        ops = Operations(database)
        database.__dict__[_ATTR] = ops
    return ops


def shutdown_all() -> None:
    """Finish and close every worker (the application is quitting)."""
    for ops in list(_LIVE):
        ops.shutdown()


def wait_all_idle(timeout_ms: int = 30_000) -> bool:
    """Run the event loop until every worker (each database's, the printer's) has delivered
    everything, including what their callbacks asked for on another worker (for tests and
    benchmarks); False if `timeout_ms` passed first."""
    deadline = QDeadlineTimer(timeout_ms)
    while True:
        busy = [ops for ops in list(_LIVE) if not ops.is_idle()]
        if not busy:
            return True
        for ops in busy:
            if not ops.wait_idle(max(1, deadline.remainingTime())) or deadline.hasExpired():
                return all(o.is_idle() for o in list(_LIVE))
