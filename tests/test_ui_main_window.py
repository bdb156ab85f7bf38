"""The desk's main window on the embedded default: the parts are there, named, and the status
bar tells window, clerk, catalogue version and connection state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.catalogue.search import MatterIndex
from app.startup import DeskSetup, open_desk
from ui.i18n import install_translator, register_ui_fonts
from ui.main_window import MainWindow

W = TypeVar("W", bound=QWidget)


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[DeskSetup]:
    desk = open_desk(tmp_path / "data", window_number=3, clerk_id="BC0103")
    yield desk
    desk.database.close()


@pytest.fixture
def window(qtbot: QtBot, setup: DeskSetup) -> MainWindow:
    return _main_window(qtbot, setup)


def _main_window(qtbot: QtBot, setup: DeskSetup) -> MainWindow:
    with setup.database.session() as s:
        index = MatterIndex.load(s)
    main = MainWindow(setup, index)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    assert main.ops.wait_idle()
    return main


def label(window: MainWindow, name: str) -> str:
    found = window.findChild(QLabel, name)
    assert found is not None, name
    return found.text()


def test_status_bar_shows_the_desk(window: MainWindow) -> None:
    assert label(window, "windowLabel") == "3 号窗口"
    assert label(window, "clerkLabel") == "工作人员：王䶮"
    assert "目录版本" in label(window, "catalogueLabel")
    assert "演示" in label(window, "catalogueLabel")
    assert label(window, "onlineLabel") == "● 单机运行"
    assert "白城市政务服务中心" in window.windowTitle()


def test_the_desk_areas_are_present_and_named(window: MainWindow) -> None:
    for name in ("matterSearchEdit", "counterTabs", "deskStatusBar"):
        assert window.findChild(QWidget, name) is not None, name
    assert window.queue_panel.isVisible()
    assert window.case_panel.isVisible()


def test_offline_indicator_follows_the_probe(window: MainWindow) -> None:
    window.status.watch_central("http://127.0.0.1:9")  # nothing listens on the discard port
    assert label(window, "onlineLabel") == "● 离线"
    window.status.set_online(True)
    assert label(window, "onlineLabel") == "● 在线"
    window.status.watch_central(None)


def test_rare_name_characters_render_with_the_bundled_font(qtbot: QtBot) -> None:
    """王䶮: the second character is in CJK Extension A, which only the fallback font has."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    family = register_ui_fonts(app)
    assert family is not None
    from PySide6.QtGui import QFont, QRawFont

    families = app.font().families()
    assert families[0] == family
    covering = [f for f in families if QRawFont.fromFont(QFont(f, 12)).supportsCharacter(0x4DAE)]
    assert covering, f"no application font family covers 䶮: {families}"
    assert QRawFont.fromFont(QFont(family, 12)).supportsCharacter(ord("堃"))


def test_english_build_loads_its_translation(qtbot: QtBot, setup: DeskSetup) -> None:
    app = QApplication.instance()
    assert app is not None
    translator = install_translator(app, "en")
    assert translator is not None
    try:
        with setup.database.session() as s:
            index = MatterIndex.load(s)
        main = MainWindow(setup, index)
        qtbot.addWidget(main)
        assert main.ops.wait_idle()
        assert label(main, "onlineLabel") == "● Standalone"
        assert main.tabs.tabText(0) == "Intake"
    finally:
        app.removeTranslator(translator)


@pytest.fixture
def manager_window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    """The desk with the hall manager (BC0201) signed in."""
    desk = open_desk(tmp_path / "manager", window_number=3, clerk_id="BC0201")
    try:
        yield _main_window(qtbot, desk)
    finally:
        desk.database.close()


def test_close_day_from_the_menu(qtbot: QtBot, manager_window: MainWindow) -> None:
    """The prompt says what will close; another window's service ends only when chosen.
    Closing the hall's day is a manager's (the core refuses a clerk: test_queue_engine)."""
    window = manager_window
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QCheckBox, QDialog, QLineEdit, QPushButton

    from app.services.changes import DeskContext
    from db.models.queue import Ticket

    backend = window.queue_panel.backend
    own = window.ctx.window_number
    other = 1 if own != 1 else 2
    kiosk = DeskContext(None, None)
    for _ in range(4):
        backend.issue_ticket(kiosk, "ZH")
    other_ctx = DeskContext(other, None)
    served = backend.call_next(other_ctx, "r-other").ticket
    assert served is not None
    backend.start_service(other_ctx, served.id)
    mine = backend.call_next(window.ctx, "r-mine").ticket
    assert mine is not None
    backend.start_service(window.ctx, mine.id)

    def open_day_end() -> QDialog:
        close_day = window.findChild(QAction, "closeDayAction")
        assert close_day is not None
        close_day.trigger()
        qtbot.waitUntil(lambda: window.findChild(QDialog, "dayEndDialog") is not None)
        dialog = window.findChild(QDialog, "dayEndDialog")
        assert dialog is not None and dialog.isVisible()
        return dialog

    def find(dialog: QDialog, cls: type[W], name: str) -> W:
        found = dialog.findChild(cls, name)
        assert found is not None, name
        return found

    def confirm(dialog: QDialog) -> None:
        find(dialog, QLineEdit, "dayEndReason").setText("下班")
        qtbot.mouseClick(find(dialog, QPushButton, "dayEndConfirm"), Qt.MouseButton.LeftButton)
        assert window.ops.wait_idle()
        qtbot.waitUntil(lambda: window.findChild(QDialog, "dayEndDialog") is None)

    dialog = open_day_end()
    summary = find(dialog, QLabel, "dayEndSummary").text()
    assert "等候中（含过号）的 2 个号将关闭为未办理" in summary
    assert "正在办理的 2 个号" in summary
    own_box = dialog.findChild(QCheckBox, f"endService_{own}")
    other_box = dialog.findChild(QCheckBox, f"endService_{other}")
    assert own_box is not None and own_box.isChecked() and mine.number in own_box.text()
    assert other_box is not None and not other_box.isChecked()  # only when chosen
    assert served.number in other_box.text() and f"{other}号窗口" in other_box.text()
    confirm(dialog)
    with window.database.session() as s:
        rows = {t.number: (t.status, t.close_reason) for t in s.query(Ticket).all()}
    assert rows.pop(served.number) == ("serving", None)  # another window's service goes on
    assert rows.pop(mine.number) == ("done", None)
    assert sorted(rows.values()) == [("closed", "下班"), ("closed", "下班")]
    assert "已关闭 3 个号" in window.status.currentMessage()

    dialog = open_day_end()
    summary = find(dialog, QLabel, "dayEndSummary").text()
    assert "等候中（含过号）的 0 个号" in summary and "正在办理的 1 个号" in summary
    find(dialog, QCheckBox, f"endService_{other}").setChecked(True)
    confirm(dialog)
    with window.database.session() as s:
        ended = s.get(Ticket, served.id)
        assert ended is not None and ended.status == "done"
    assert "已关闭 1 个号" in window.status.currentMessage()


def test_tickets_left_from_yesterday_are_closed_at_start(tmp_path: Path) -> None:
    from datetime import timedelta

    from app.clock import hall_day
    from app.queue.backend import LocalQueue
    from app.services.changes import DeskContext
    from app.startup import LEFT_OVER_REASON
    from db.base import utcnow
    from db.models.queue import Ticket

    first = open_desk(tmp_path / "d")
    yesterday = utcnow() - timedelta(days=1)
    LocalQueue(first.database.session, clock=lambda: yesterday).issue_ticket(
        DeskContext(None, None), "QY"
    )
    LocalQueue(first.database.session).issue_ticket(DeskContext(None, None), "QY")
    first.database.close()
    again = open_desk(tmp_path / "d")
    try:
        with again.database.session() as s:
            today = hall_day(utcnow())
            states = sorted((t.day < today, t.status, t.close_reason) for t in s.query(Ticket))
    finally:
        again.database.close()
    assert states == [(False, "waiting", None), (True, "closed", LEFT_OVER_REASON)]


def test_an_overdue_gap_is_withdrawn_at_start(qtbot: QtBot, setup: DeskSetup) -> None:
    """A 容缺 case whose gap passed its deadline unsupplied is deemed withdrawn (视为撤回) when
    the desk starts, as the commitment says; the status bar says how many."""
    from datetime import timedelta

    from app.rules.decision import MaterialEntry
    from app.rules.decision import MaterialStatus as S
    from app.services.applicant import ApplicantData
    from app.services.case_queries import get_case
    from app.services.intake import save_case
    from db.base import utcnow

    with setup.database.write() as s:
        saved = save_case(
            s,
            setup.ctx,
            applicant=ApplicantData("person", "王五", "110105198001010016", "13912345678"),
            matter_codes=["11220800013549174M-000-220800-06"],
            entries={
                "ZYSQ": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT, copies=1),
                "SQRSFZ": MaterialEntry(S.ELECTRONIC),
                "CBJFPZ": MaterialEntry(S.TOLERATED),
            },
            commitment_signed=True,
            now=utcnow() - timedelta(days=40),
        )
    with setup.database.read() as s:
        assert get_case(s, saved.case_id).status == "accepted_with_gap"
    with setup.database.session() as s:
        index = MatterIndex.load(s)
    main = MainWindow(setup, index)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(lambda: hasattr(main, "start_checks"))
    assert main.ops.wait_idle()
    with setup.database.read() as s:
        case = get_case(s, saved.case_id)
        assert case.status == "withdrawn"
        assert case.status_reason == "逾期未补齐容缺材料，按承诺视为撤回申请"
    assert "视为撤回" in main.status.currentMessage()


def test_a_desk_on_its_own_does_not_say_it_has_not_synced(window: MainWindow) -> None:
    """单机运行 has nothing to sync with: 尚未同步 beside it read as something left to do."""
    assert window.ops.wait_idle()
    assert label(window, "onlineLabel") == "● 单机运行"
    assert label(window, "lastSyncLabel") == ""
