"""The desk's sync in the status bar (pytest-qt): a round on its own worker, online/offline,
operations waiting, the last sync, and the progress bar for a large backlog."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from app.bench.postgres import free_port
from app.queue.issuing import issue_ticket
from app.sync.settings import save_token
from db.base import utcnow
from db.models.sync import SyncState
from tests.central.conftest import Desk
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
