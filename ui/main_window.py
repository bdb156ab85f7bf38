"""The desk's main window: the queue on the left, the counter (acceptance and the case list)
in the middle, the desk's state in the status bar. It only connects the parts."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QWidget,
)

from app.accounts import role_of
from app.catalogue.search import MatterIndex
from app.services.desk_queries import Session
from app.services.gap_expiry import expire_overdue_gaps
from app.services.hall import DeskSummary, HallConfig, desk_summary, load_config
from app.startup import DeskSetup
from app.sync.status import central_url
from ui.actions import ACTIONS
from ui.case_keys import confirm_discard
from ui.case_list import CaseList
from ui.case_panel import CasePanel
from ui.operations import CASES, CATALOGUE, HALL, operations_for
from ui.printing import PrintService
from ui.queue_panel import QueuePanel
from ui.role_menus import apply_role
from ui.settings_dialog import SettingsDialog
from ui.shortcut_help import ShortcutHelp
from ui.start_checks import StartCheckView
from ui.status_bar import DeskStatusBar
from ui.sync_status import DeskSync

log = logging.getLogger(__name__)


def warm_printing() -> None:
    """Load reportlab and parse the main font (~0.1 s), so the session's first paper does not
    wait for them: on a worker thread, once the window is shown. A failure here is only logged: the
    first paper loads them again and reports what is wrong."""
    try:
        from app.printing import render
        from app.printing.fonts import missing_glyphs, register_fonts
        from app.services import case_documents  # noqa: F401  (the papers' model, ditto)

        register_fonts()
        missing_glyphs("")  # each font's glyph coverage, cached
        render.warm_up()  # a throwaway paper: the first real one is as fast as the next
    except Exception:
        log.exception("could not prepare the printing fonts")


def _is_manager(s: Session, clerk_id: str | None) -> bool:
    # On the database's worker: the manager's module is not imported for the first paint.
    from app.manager.live import is_manager

    return is_manager(s, clerk_id)


class MainWindow(QMainWindow):
    def __init__(
        self,
        setup: DeskSetup,
        index: MatterIndex | None = None,
        parent: QWidget | None = None,
        *,
        print_service: PrintService | None = None,
    ) -> None:
        """`index` None: the matter index is built on the database's worker once the window
        is shown, not before (start-up time); the search box says so until then.
        `print_service`: the desk's printing (one saving into the data directory if none)."""
        super().__init__(parent)
        self._shown_once = False
        self._quitting = False
        self.setObjectName("mainWindow")
        self.setup = setup
        self.database = setup.database
        self.ctx = setup.ctx
        self.resize(1440, 900)

        # One printer service for the desk, saving into this desk's data directory.
        self.print_service = print_service or PrintService(setup.data_dir, parent=self)
        # The one worker of this database: every widget's work goes through it.
        self.ops = operations_for(self.database)
        self.queue_panel = QueuePanel(self.database, self.ctx, self)
        self.case_panel = CasePanel(
            self.database, self.ctx, index, self, print_service=self.print_service
        )
        self.case_list = CaseList(self.database, self.ctx, self, print_service=self.print_service)
        # Tab leaves the list (the arrows move inside it); the file is the case list's own.
        self.case_list.table.setTabKeyNavigation(False)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("counterTabs")
        self.tabs.setAccessibleName(self.tr("受理与办件"))
        self.tabs.addTab(self.case_panel, self.tr("受理"))
        self.tabs.addTab(self.case_list, self.tr("办件"))
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("deskSplitter")
        splitter.addWidget(self.queue_panel)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 1080])
        self.setCentralWidget(splitter)

        self.status = DeskStatusBar(self)
        self.setStatusBar(self.status)
        self.sync = DeskSync(self.database, self.status, lambda: self.ctx)
        self._build_menus()

        self.print_service.message.connect(lambda text: self.status.showMessage(text, 15_000))
        # Each paper's printer and its state, read on the printer's worker; again after every
        # print and after the printers were set.
        self.print_service.message.connect(lambda _text: self.show_printers())
        self.show_printers()

        self.queue_panel.service_started.connect(self.case_panel.attach_ticket)
        self.queue_panel.service_started.connect(self.show_intake)
        # F7 (or a transfer): the next case saved is a walk-in, not the finished ticket's.
        self.queue_panel.service_ended.connect(self.case_panel.detach_ticket)
        self.case_list.restart_requested.connect(self.case_panel.start_from_notice)
        self.case_list.restart_requested.connect(self.show_intake)
        # The one place where the desk's operations report: failures and waits in the status
        # bar (once, never a dialog); views refresh themselves on did_execute (what changed).
        self.ops.failed.connect(self._report)
        self.ops.waiting.connect(self.status.report)
        self.ops.did_execute.connect(self._on_changes)
        self.refresh_desk()
        # The desk opens ready for the first applicant's name.
        self.case_panel.applicant_form.name_edit.setFocus()
        self.sync.catalogue_changed.connect(self._catalogue_taken)
        self.ops.read(central_url, self._central_known, owner=self)
        self.ops.read(lambda s: _is_manager(s, self.ctx.clerk_id), self._manager_tab, owner=self)
        clerk_id = self.ctx.clerk_id
        self.ops.read(lambda s: role_of(s, clerk_id), lambda r: apply_role(self, r), owner=self)

    def _manager_tab(self, manager: bool) -> None:
        """The hall manager's tab, for clerks with the manager role."""
        if manager:
            from ui.manager.panel import ManagerPanel

            self.manager_panel = ManagerPanel(self.database, self.tabs)
            self.tabs.addTab(self.manager_panel, self.tr("大厅管理"))

    def _catalogue_taken(self, _version: str) -> None:
        """A catalogue the sync brought: new cases and the search use it from now on."""
        self.case_panel.load_index()
        self.refresh_desk()

    def _central_known(self, url: str | None) -> None:
        """The central store's address, read on the worker: probe it, and sync with it."""
        self.status.watch_central(url)
        if url:
            self.sync.start()
            from app.queue.http_backend import shared_queue_for

            database = self.database
            self.ops.run(lambda: shared_queue_for(database), self._use_shared_queue, owner=self)

    def _use_shared_queue(self, backend: object) -> None:
        """The hall's shared queue over HTTP (its calls run on the worker like the local one)."""
        if backend is not None:
            self.queue_panel.backend = backend  # type: ignore[assignment]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            # After the first paint (the timer fires once the show's events are handled).
            QTimer.singleShot(0, self, self.after_first_paint)

    def after_first_paint(self) -> None:
        """What start-up left for later: the matter index on the database's worker, reportlab
        and the fonts on the printer's, both before the clerk needs them."""
        if not self.case_panel.index_loaded:
            self.case_panel.load_index()
        # Fire and forget on Qt's shared pool: nothing comes back, and the window may close
        # (or a test end) while reportlab loads.
        QThreadPool.globalInstance().start(warm_printing)
        # The audit chain checked and today's backup made, on a worker (ui/start_checks.py).
        self.start_checks = StartCheckView(self.database, self.status)
        # 容缺 cases whose gap passed its deadline unsupplied are deemed withdrawn (视为撤回),
        # as their commitment says: once at each start, on the worker.
        ctx = self.ctx
        self.ops.write(
            lambda s: expire_overdue_gaps(s, ctx), self._gaps_expired, changes={CASES}, owner=self
        )

    def _gaps_expired(self, case_nos: list[str]) -> None:
        if case_nos:
            self.status.report(
                self.tr("%n 件容缺受理逾期未补齐，已按承诺视为撤回", "", len(case_nos))
            )

    def show_intake(self) -> None:
        self.tabs.setCurrentWidget(self.case_panel)

    def _build_menus(self) -> None:
        """The menus and the window's own keys, all from the registry (ui/actions.py)."""
        desk_menu = self.menuBar().addMenu(self.tr("工作台(&D)"))
        desk_menu.addAction(ACTIONS.create("settings", self, self.open_settings))
        desk_menu.addAction(ACTIONS.create("closeDay", self, self.close_day))
        desk_menu.addAction(ACTIONS.create("printers", self, self.configure_printers))
        desk_menu.addAction(ACTIONS.create("central", self, self.sync.configure))
        desk_menu.addSeparator()
        desk_menu.addAction(ACTIONS.create("quit", self, self.quit_desk))
        apply_role(self, None)  # until the signed-in person's role is read
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self.shortcut_help = ShortcutHelp(self)
        help_menu.addAction(self.shortcut_help.action)
        help_menu.addAction(ACTIONS.create("about", self, self.show_about))

    def quit_desk(self) -> None:
        """Ctrl+Q: close the desk, after asking when a case is half-entered."""
        if self._may_discard():
            self._quitting = True
            self.close()

    def _may_discard(self) -> bool:
        return not self.case_panel.has_unsaved_input() or confirm_discard(
            self, self.tr("退出工作台？")
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close button asks as Ctrl+Q does (a close by the program does not)."""
        if event.spontaneous() and not self._quitting and not self._may_discard():
            event.ignore()
            return
        super().closeEvent(event)

    def _report(self, text: str, _initiator: object) -> None:
        self.status.report(text)

    def _on_changes(self, changes: frozenset[str], _initiator: object) -> None:
        if HALL in changes or CATALOGUE in changes:
            self.refresh_desk()

    def refresh_desk(self) -> None:
        """Title and status bar from the database: hall, window, clerk, catalogue version."""
        ctx = self.ctx
        self.ops.read(lambda s: desk_summary(s, ctx), self._show_desk, owner=self)

    def _show_desk(self, summary: DeskSummary) -> None:
        hall = summary.hall_name
        self.setWindowTitle(self.tr("OneWindow 一窗受理工作台") + (f" — {hall}" if hall else ""))
        self.status.show_desk(
            self.ctx.window_number,
            summary.clerk_name,
            summary.catalogue_version,
            summary.demo,
        )

    def open_settings(self) -> None:
        """Read the hall on the worker, then open the dialog on what was read."""
        self.ops.read(load_config, self._edit_settings, owner=self)

    def _edit_settings(self, config: HallConfig) -> None:
        dialog = SettingsDialog(config, self.ctx, self.ops, self)
        if dialog.exec() and dialog.ctx != self.ctx:
            QMessageBox.information(
                self,
                self.tr("大厅设置"),
                self.tr("窗口或工作人员已更改，重新启动工作台后生效。"),
            )

    def configure_printers(self) -> None:
        """The printer of each paper for this desk, checked against the sizes it offers."""
        self.print_service.configure_printers(self, on_done=self.show_printers)

    def show_printers(self) -> None:
        service = self.print_service
        service.ops.run(service.printer_summary, self.status.show_printers, owner=self)

    def close_day(self) -> None:
        """The day's end: says what will close, ends another window's service only if chosen."""
        from ui.day_end_dialog import start_day_end

        def closed(count: int) -> None:
            self.status.showMessage(self.tr("已关闭 %1 个号").replace("%1", str(count)), 15_000)

        start_day_end(self, self.queue_panel.backend, self.ctx, self.ops, closed)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("关于 OneWindow"),
            self.tr("OneWindow 一窗受理工作台\n一窗受理、集成服务，让群众和企业办事“只跑一次”。"),
        )
