"""The desk's checks after the first paint (app/start_checks.py), on Qt's pool rather than
the database's worker (a long chain must not hold up the clerk's reads and writes): a broken
audit chain shows a warning that stays in the status bar; a failed daily backup is reported."""

from __future__ import annotations

import contextlib
import logging

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QLabel, QStatusBar

from app.messages import Message
from app.start_checks import StartChecks, run_start_checks
from db.engine import Database
from ui.messages import localise

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)


class _Checks(QRunnable):
    def __init__(self, database: Database, signals: _Signals) -> None:
        super().__init__()
        self.database, self.signals = database, signals

    def run(self) -> None:
        try:
            result: object = run_start_checks(self.database)
        except Exception as exc:  # the desk closed under it, or the store failed: say so
            log.warning("the start-up checks failed: %s", type(exc).__name__)
            result = exc
        with contextlib.suppress(RuntimeError):
            if shiboken6.isValid(self.signals):
                self.signals.done.emit(result)


class StartCheckView(QObject):
    """Runs the checks once and shows their outcome in `status`."""

    def __init__(self, database: Database, status: QStatusBar) -> None:
        super().__init__(status)
        self.status = status
        self.warning = QLabel(status)
        self.warning.setObjectName("auditWarning")
        self.warning.setStyleSheet("color: #b00020; font-weight: bold;")
        self.warning.setWordWrap(True)
        self.warning.hide()
        status.addWidget(self.warning, 1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._show)
        QThreadPool.globalInstance().start(_Checks(database, self._signals))

    def _show(self, result: object) -> None:
        if not isinstance(result, StartChecks):
            return
        if result.audit.problem is not None:
            text = localise(Message("audit.broken", problem=result.audit.problem))
            self.warning.setText(text)
            self.warning.setToolTip(text)
            self.warning.setAccessibleName(text)
            self.warning.show()
        if result.backup_error is not None:
            self.status.showMessage(localise(result.backup_error), 15_000)
