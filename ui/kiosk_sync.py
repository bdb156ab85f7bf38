"""A kiosk's sync round with the central store: what it wrote into its own database (its
offline tickets, its slips, the ratings it took, its events) is pushed to the store every
INTERVAL_MS, on the database's sync worker (app.queue.following.FollowingQueue.push): never
on the UI thread, never in front of the kiosk's own database work, and one round at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from ui.sync_status import sync_worker_for

if TYPE_CHECKING:
    from app.queue.following import FollowingQueue
    from app.sync.engine import SyncReport
    from db.engine import Database


class KioskSync(QObject):
    INTERVAL_MS = 10_000

    #: A round ended: its report (None: nothing sent, or the store was not reached).
    finished = Signal(object)

    def __init__(
        self,
        database: Database,
        queue: FollowingQueue,
        parent: QObject | None = None,
        *,
        interval_ms: int = INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.queue = queue
        self.worker = sync_worker_for(database)
        self._running = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.sync_now)
        self.timer.start()

    def sync_now(self) -> None:
        if self._running:
            return
        self._running = True
        self.worker.run(self.queue.push, self._done, on_failed=self._failed, owner=self)

    def _done(self, report: SyncReport | None) -> None:
        self._running = False
        self.finished.emit(report)

    def _failed(self, _exc: BaseException) -> None:
        self._running = False
        self.finished.emit(None)
