"""The desk's sync in the status bar (pytest-qt): a round on its own worker, online/offline,
operations waiting, the last sync, and the progress bar for a large backlog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.bench.postgres import free_port
from app.central import admin
from app.queue.issuing import issue_ticket
from app.sync.settings import save_token
from db.base import utcnow
from db.central.store import CentralStore
from db.models.sync import SyncState
from tests.central.conftest import HALL, Desk, LiveServer
from ui.status_bar import DeskStatusBar
from ui.sync_status import PROGRESS_FROM, DeskSync


def _configure(desk: Desk, url: str) -> None:
    with desk.database.write() as s:
        state = s.get(SyncState, 1)
        assert state is not None
        state.central_url = url
    assert desk.database.path is not None
    save_token(desk.database.path.parent, desk.token)


def _round(qtbot: QtBot, sync: DeskSync) -> None:
    with qtbot.waitSignal(sync.finished, timeout=60_000):
        sync.sync_now()


def test_a_backlog_is_sent_with_progress_and_the_bar_says_online(
    qtbot: QtBot, make_desk: Callable[..., Desk], server: object
) -> None:
    desk = make_desk(1)
    _configure(desk, desk.client.url)
    with desk.database.write() as s:
        for _ in range(PROGRESS_FROM + 10):
            issue_ticket(s, desk.ctx, line_code="QY", now=utcnow())
    bar = DeskStatusBar()
    qtbot.addWidget(bar)
    sync = DeskSync(desk.database, bar)
    seen: list[tuple[int, int]] = []
    sync.progress.connect(lambda done, total: seen.append((done, total)))
    _round(qtbot, sync)
    assert seen and seen[-1][0] == seen[-1][1] >= PROGRESS_FROM
    assert sync.bar.maximum() >= PROGRESS_FROM and sync.bar.isHidden()
    assert sync.pending_label.objectName() == "syncPendingLabel"
    assert sync.pending_label.text() == "待同步 0 条"
    assert sync.last_label.text().startswith("上次同步")
    from app.clock import hall_now

    # The hall's clock, whatever the machine's zone (the runner's is UTC, the hall's +8).
    shown = sync.last_label.text().split()[-1]
    assert abs(
        int(shown[:2]) * 60 + int(shown[3:]) - (hall_now().hour * 60 + hall_now().minute)
    ) in (0, 1, 1439)
    assert bar.online_label.property("online") is True


def test_an_unreachable_store_shows_offline_and_keeps_the_count(
    qtbot: QtBot, make_desk: Callable[..., Desk]
) -> None:
    desk = make_desk(1)
    _configure(desk, f"http://127.0.0.1:{free_port()}")
    desk.issue(2)
    bar = DeskStatusBar()
    qtbot.addWidget(bar)
    sync = DeskSync(desk.database, bar)
    _round(qtbot, sync)
    assert bar.online_label.property("online") is False
    assert sync.pending_label.text() == f"待同步 {desk.outbox()} 条" and desk.outbox() > 0
    assert sync.last_label.text() == "尚未同步"


def test_central_settings_keep_the_address_and_a_private_token(
    qtbot: QtBot, make_desk: Callable[..., Desk], server: object
) -> None:
    import stat

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

    from app.sync.settings import token_path

    desk = make_desk(1)
    bar = DeskStatusBar()
    qtbot.addWidget(bar)
    sync = DeskSync(desk.database, bar)
    sync.configure()
    qtbot.waitUntil(lambda: sync.dialog is not None and sync.dialog.isVisible(), timeout=10_000)
    dialog = sync.dialog
    assert dialog is not None
    url_edit = dialog.findChild(QLineEdit, "centralUrl")
    token_edit = dialog.findChild(QLineEdit, "centralToken")
    ok = dialog.findChild(QDialogButtonBox, "centralButtons").button(  # type: ignore[union-attr]
        QDialogButtonBox.StandardButton.Ok
    )
    assert url_edit is not None and token_edit is not None and ok is not None
    # A bad address: one line in the dialog, nothing kept.
    url_edit.setText("central.example")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "http://" in dialog.error_label.text()  # type: ignore[attr-defined]
    url_edit.setText(desk.client.url + "/")
    token_edit.setText(desk.token)
    with qtbot.waitSignal(sync.finished, timeout=60_000):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert desk.database.path is not None
    path = token_path(desk.database.path.parent)
    assert path.read_text().strip() == desk.token
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with desk.database.read() as s:
        state = s.get(SyncState, 1)
        assert state is not None and state.central_url == desk.client.url
    assert bar.online_label.property("online") is True


def test_a_new_catalogue_is_announced_to_the_window(
    qtbot: QtBot, make_desk: Callable[..., Desk], store: CentralStore, tmp_path: Path
) -> None:
    from tests.central.test_commands import _catalogue

    admin.publish_catalogue(store, _catalogue(tmp_path, "220800-demo-2026.12"))
    desk = make_desk(1)
    _configure(desk, desk.client.url)
    bar = DeskStatusBar()
    qtbot.addWidget(bar)
    sync = DeskSync(desk.database, bar)
    with qtbot.waitSignal(sync.catalogue_changed, timeout=60_000) as taken:
        sync.sync_now()
    assert taken.args == ["220800-demo-2026.12"]


def test_the_main_window_of_a_configured_desk_syncs_and_uses_the_shared_queue(
    qtbot: QtBot, server: LiveServer, store: CentralStore, tmp_path: Path
) -> None:
    from app.catalogue.search import MatterIndex
    from app.queue.http_backend import HttpQueueBackend
    from app.startup import open_desk
    from app.sync.settings import remember_central
    from ui.main_window import MainWindow

    setup = open_desk(tmp_path / "data", window_number=3)
    try:
        remember_central(setup.database, server.url, admin.add_desk(store, HALL, 3).token)
        with setup.database.session() as s:
            index = MatterIndex.load(s)
        main = MainWindow(setup, index)
        qtbot.addWidget(main)
        with qtbot.waitSignal(main.sync.finished, timeout=60_000):
            main.show()
        qtbot.waitUntil(lambda: isinstance(main.queue_panel.backend, HttpQueueBackend))
        assert main.status.online_label.property("online") is True
        assert main.ops.wait_idle()
        main.queue_panel.backend.close()  # type: ignore[attr-defined]
        main.close()
    finally:
        setup.database.close()
