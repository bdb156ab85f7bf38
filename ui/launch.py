"""Starting the Qt side: the desk, the hall display, the kiosk, or all three in one process."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.errors import UserError
from app.logs import log_file, start_file_log
from app.startup import DeskSetup, open_desk
from db.engine import DatabaseOpenError, StoreBusy, checked_whole_at_open, whole_file_damage
from ui.i18n import install_translator, register_ui_fonts
from ui.messages import describe
from ui.qtlog import install_crash_dialog, install_qt_logging

log = logging.getLogger(__name__)

#: Set by the start-up benchmark: print when the first window is shown, then quit.
EXIT_AFTER_SHOWN_ENV = "ONEWINDOW_EXIT_AFTER_SHOWN"
#: Set by the memory benchmark: once the work the start left for after the first paint is
#: done (ui/settle.py), print the process's memory, then quit.
EXIT_AFTER_SETTLED_ENV = "ONEWINDOW_EXIT_AFTER_SETTLED"
#: The whole database file is checked this long after the window shows (a big file only).
WHOLE_CHECK_DELAY_MS = 1000


def make_application(lang: str | None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("OneWindow")
    app.setOrganizationName("OneWindow")
    install_qt_logging()
    register_ui_fonts(app)
    install_translator(app, lang)
    return app


def _show(widget: QWidget, full_screen: bool) -> None:
    if full_screen:
        # The screen's size first: a kiosk or wall screen whose session runs no window manager
        # (Xvfb, a bare X kiosk session) ignores the full-screen request and stayed a small
        # window in a corner.
        widget.setGeometry(widget.screen().geometry())
        widget.showFullScreen()
    else:
        # The desk's 1440×900 (the manager's 1280×860) on a 1366×768 counter screen: kept
        # inside the screen, or its status bar and lower buttons open below its edge.
        room = widget.screen().availableGeometry()
        if widget.width() > room.width() or widget.height() > room.height():
            widget.resize(min(widget.width(), room.width()), min(widget.height(), room.height()))
            widget.move(room.topLeft())
        widget.show()


def refusal_box(exc: BaseException) -> QMessageBox:
    """The dialog that says why the desk cannot start (a refused database, data directory or
    desk setting), in the desk's language."""
    box = QMessageBox(QMessageBox.Icon.Critical, "OneWindow", describe(exc))
    box.setObjectName("startRefusal")
    return box


class WholeFileCheck(QObject):
    """The whole database file's check (db.engine.whole_file_damage) for a file too big to
    check before the window shows: run on a thread of its own after the first paint, beside
    the desk; a damaged file is said in a dialog (the desk keeps running: what it can still
    read is the clerk's way to finish the applicant at the window)."""

    damaged = Signal(str)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.box: QMessageBox | None = None
        self.damaged.connect(self._show)
        self.worker = threading.Thread(target=self._run, name="whole-file-check", daemon=True)

    def start(self) -> None:
        self.worker.start()

    def _run(self) -> None:
        error = whole_file_damage(self.path)
        if error is not None:
            log.error("the database file is damaged: %s", error)
            self.damaged.emit(describe(error))

    @Slot(str)
    def _show(self, text: str) -> None:
        self.box = QMessageBox(QMessageBox.Icon.Critical, "OneWindow", text)
        self.box.setObjectName("databaseDamaged")
        self.box.open()


def launch(args: argparse.Namespace) -> int:
    """Run the Qt part named by the command line; returns the exit code."""
    app = make_application(getattr(args, "lang", None))
    try:
        from ui.unlock import unlock_at_start

        if not unlock_at_start(args.data_dir):  # an encrypted database's passphrase
            return 0
        setup = open_desk(args.data_dir, args.window, args.clerk)
    except (UserError, DatabaseOpenError, StoreBusy) as exc:
        print(f"onewindow: {exc}", file=sys.stderr)  # the shell gets the Chinese line
        box = refusal_box(exc)
        if os.environ.get("QT_QPA_PLATFORM") != "offscreen":  # nobody there to close it
            box.exec()
        return 1
    signed = sign_in_first(args, setup)
    if signed is None:
        setup.database.close()
        return 0
    setup = signed
    handler = start_file_log(setup.data_dir, getattr(args, "verbose", False))
    log_path = log_file(setup.data_dir) if handler is not None else None
    install_crash_dialog(log_path)
    windows = build_windows(args, setup)
    path = setup.database.path
    check: WholeFileCheck | None = None
    if windows and path is not None and not checked_whole_at_open(path):
        check = WholeFileCheck(path, windows[0])
        QTimer.singleShot(WHOLE_CHECK_DELAY_MS, check.start)  # after the first paint
    if os.environ.get(EXIT_AFTER_SETTLED_ENV):
        from ui.settle import exit_when_settled

        exit_when_settled(app, windows, check.worker if check is not None else None)
    elif os.environ.get(EXIT_AFTER_SHOWN_ENV):
        # The benchmark's marker, once the first window has been painted: repaint() paints
        # it now (whatever the platform's expose timing), so the mark counts the first paint.
        first = windows[0] if windows else None

        def _painted() -> None:
            if first is not None:
                first.repaint()
            print("window-shown", time.time(), flush=True)
            app.quit()

        QTimer.singleShot(0, _painted)
    code = app.exec()
    del windows
    setup.database.close()
    return code


def sign_in_first(args: argparse.Namespace, setup: DeskSetup) -> DeskSetup | None:
    """The sign-in before the desk (or, on a desk with accounts, before the manager's window
    unless `--user` was checked on the command line); `--clerk` (tests, the demo) skips it,
    and the window says so. None: the dialog was closed."""
    command = args.command or "desk"
    if getattr(args, "clerk", None) or command not in ("desk", "manager"):
        return setup
    if command == "desk":
        from ui.sign_in import sign_in_at_start

        return sign_in_at_start(setup)
    if getattr(args, "user", None):  # app.cli checked the credential
        return setup
    from ui.sign_in import manager_sign_in_at_start

    return manager_sign_in_at_start(setup)


def build_windows(args: argparse.Namespace, setup: DeskSetup) -> list[QWidget]:
    """The top-level windows for the command: desk (optionally with display and kiosk in the
    same process), display alone, or kiosk alone."""
    # Each window's module is loaded only when that window is wanted: start-up time counts.
    command = args.command or "desk"
    windowed = getattr(args, "windowed", False)
    windows: list[QWidget] = []
    if command == "desk":
        from ui.main_window import MainWindow

        # The matter index is built on the database's worker after the window shows.
        main = MainWindow(setup)
        from ui.sign_in import guard

        main.guard = guard(main, setup, demo=bool(getattr(args, "clerk", None)))  # type: ignore[attr-defined]
        _show(main, False)
        windows.append(main)
        # In one process the parts share the database's operations: each refreshes on what
        # the others' operations changed (did_execute) instead of waiting for a poll.
        if args.with_display:
            from ui.display import run_display

            windows.append(run_display(setup.database))
        if args.with_kiosk:
            from ui.kiosk import run_kiosk

            windows.append(run_kiosk(setup.database, setup.data_dir))
        for extra in windows[1:]:
            extra.show()
    elif command == "manager":
        from ui.manager.panel import ManagerWindow

        manager = ManagerWindow(setup.database)
        if getattr(args, "clerk", None):  # the demo's way in (app.cli checked the role)
            from ui.sign_in import mark_demo

            manager.demo_mark = mark_demo(manager)  # type: ignore[attr-defined]
        _show(manager, False)
        windows.append(manager)
    elif command == "display":
        from ui.display import run_display

        display = run_display(setup.database)
        _show(display, not windowed)
        windows.append(display)
    elif command == "kiosk":
        from ui.kiosk import run_kiosk

        kiosk = run_kiosk(setup.database, setup.data_dir)
        _show(kiosk, not windowed)
        windows.append(kiosk)
    return windows
