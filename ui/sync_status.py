"""The desk's sync with the central store, on a worker of its own (a slow or dead network
never freezes the window nor queues in front of the desk's database work): a round every
SYNC_INTERVAL_MS and on demand. The status bar shows online / offline, the operations
waiting, the last successful sync, and a progress bar while a large backlog is sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar

from app.clock import hall_now
from app.services.changes import DeskContext
from db.engine import Database
from ui.operations import Operations
from ui.status_bar import DeskStatusBar

if TYPE_CHECKING:  # the engine (and httpx) load on the sync worker, after the first paint
    from app.sync.engine import SyncReport

# A backlog at least this large shows the progress bar.
PROGRESS_FROM = 200


_WORKER_ATTR = "_ui_sync_worker"


def sync_worker_for(database: Database) -> Operations:
    """The database's sync worker, apart from its database worker (a round waiting on the
    network never queues in front of the desk's own work). Like the database's worker it
    lives as long as the database, not as the status bar: a round in flight when the window
    closes delivers to nobody (its owner is gone) instead of to a deleted object."""
    worker = database.__dict__.get(_WORKER_ATTR)
    if not isinstance(worker, Operations) or worker.closed or not shiboken6.isValid(worker):
        worker = Operations(None)
        database.__dict__[_WORKER_ATTR] = worker
    return worker


class DeskSync(QObject):
    SYNC_INTERVAL_MS = 30_000

    progress = Signal(int, int)  # worker -> UI thread (queued)
    finished = Signal()
    # A new catalogue version was taken: the search reloads its index (no restart).
    catalogue_changed = Signal(str)

    def __init__(
        self,
        database: Database,
        status: DeskStatusBar,
        who: Callable[[], DeskContext] | None = None,
    ) -> None:
        """`who`: the desk's signed-in person now (saving 中心库设置 is an administrator's,
        checked in the core); none: nobody named (a desk with no account yet)."""
        super().__init__(status)
        self.database = database
        self.who = who or (lambda: DeskContext(None, None))
        self.status = status
        self.worker = sync_worker_for(database)
        self.busy = False
        self.dialog: QDialog | None = None
        self.pending_label = self._label("syncPendingLabel")
        self.last_label = self._label("lastSyncLabel")
        # Said once there is a store to sync with (sync_now): a desk on its own has none.
        self.bar = QProgressBar(status)
        self.bar.setObjectName("syncProgress")
        self.bar.setMaximumWidth(160)
        self.bar.setFormat(self.tr("正在同步 %v/%m"))
        self.bar.hide()
        status.addPermanentWidget(self.bar)
        self.progress.connect(self._on_progress)
        self.timer = QTimer(self)
        self.timer.setInterval(self.SYNC_INTERVAL_MS)
        self.timer.timeout.connect(self.sync_now)

    def _label(self, name: str) -> QLabel:
        label = QLabel(self.status)
        label.setObjectName(name)
        self.status.addPermanentWidget(label)
        return label

    def configure(self) -> None:
        """中心库设置…: the address read on the worker, the dialog, then kept on the worker."""
        from app.sync.status import central_url

        database = self.database

        def read() -> str | None:
            with database.read() as s:
                return central_url(s)

        self.worker.run(read, self._edit, owner=self.status)

    def _edit(self, url: str | None) -> None:
        from app.sync.settings import remember_central
        from ui.central_settings import CentralSettingsDialog

        database, ctx = self.database, self.who()
        dialog = CentralSettingsDialog(
            url,
            self.status.window(),
            save=lambda url, token, ca: remember_central(database, url, token, ca, ctx=ctx),
            worker=self.worker,
        )
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._configured(dialog.url))
        dialog.open()

    def _configured(self, url: str) -> None:
        self.status.watch_central(url)
        self.start()

    def start(self) -> None:
        """Sync now and every SYNC_INTERVAL_MS from now on."""
        self.timer.start()
        self.sync_now()

    def sync_now(self) -> None:
        if self.busy:
            return
        if not self.last_label.text():
            self.last_label.setText(self.tr("尚未同步"))
        self.busy = True
        self.worker.run(self._round, self._done, on_failed=self._failed, owner=self.status)

    # --- on the worker -----------------------------------------------------------------------

    def _round(self) -> tuple[SyncReport | None, int, bool | None]:
        """(the report, operations still waiting, reached; None when no central store is
        set): a round that could not reach the store is no error of the desk's; it is shown
        as offline."""
        from app.sync.client import CentralClient, CentralRefused, CentralUnreachable
        from app.sync.engine import pending_count, sync_once
        from app.sync.settings import load_token, tls_verify
        from app.sync.status import central_url

        with self.database.read() as s:
            url = central_url(s)
        assert self.database.path is not None
        token = load_token(self.database.path.parent)
        if not url or not token:
            return None, pending_count(self.database), None
        client = CentralClient(url, token, verify=tls_verify(self.database.path.parent))
        try:
            report = sync_once(self.database, client, self._report_progress)
        except (CentralUnreachable, CentralRefused):
            return None, pending_count(self.database), False
        finally:
            client.close()
        return report, pending_count(self.database), True

    def _report_progress(self, done: int, total: int) -> None:
        self.progress.emit(done, total)

    # --- on the UI thread --------------------------------------------------------------------

    def _on_progress(self, done: int, total: int) -> None:
        if total >= PROGRESS_FROM:
            self.bar.setMaximum(total)
            self.bar.setValue(done)
            self.bar.show()

    def _show_pending(self, pending: int) -> None:
        self.pending_label.setText(self.tr("待同步 %1 条").replace("%1", str(pending)))

    def _done(self, result: tuple[SyncReport | None, int, bool | None]) -> None:
        report, pending, reached = result
        self.busy = False
        self.bar.hide()
        self._show_pending(pending)
        if reached is not None:
            self.status.set_online(reached)
        if report is not None:
            self.last_label.setText(
                # The hall's clock, as the display and the papers give it.
                self.tr("上次同步 %1").replace("%1", hall_now().strftime("%H:%M"))
            )
            if report.clock_warning and report.clock_offset_s is not None:
                minutes = round(report.clock_offset_s / 60)
                self.status.report(
                    self.tr("本机时钟与中心库相差约 %1 分钟，请校准本机时间").replace(
                        "%1", str(minutes)
                    )
                )
            if report.catalogue:
                self.catalogue_changed.emit(report.catalogue)
            if report.rejected:
                self.status.report(
                    self.tr("有 %1 条操作被中心库拒绝，已保留在本机").replace(
                        "%1", str(report.rejected)
                    )
                )
        self.finished.emit()

    def _failed(self, _exc: BaseException) -> Any:
        # Reported by the worker like any failed operation (logged); the desk goes on.
        self.busy = False
        self.bar.hide()
        self.finished.emit()
