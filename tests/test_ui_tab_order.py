"""Every control of the desk by keyboard: Tab and Shift+Tab go round each screen and dialog and
reach every enabled input (tables are left, not cycled inside); the 容缺 commitment, the
rejection reason and the manager's override have keys; F1 lists every key of the registry."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QLabel,
    QRadioButton,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.printing.spool import Paper
from app.queue.views import TicketView
from app.rules.decision import DecisionKind
from tests.test_ui_case_panel import child, type_applicant, when_dialog
from tests.test_ui_desk_keys import CTRL, Desk, desk
from ui.actions import ACTIONS
from ui.case_keys import confirm_discard
from ui.override_dialog import OverrideDialog
from ui.print_dialogs import (
    PrinterSettingsDialog,
    PrinterStatus,
    PrintFailedDialog,
    PrintPreviewDialog,
)
from ui.queue_panel import NoShowDialog, PickTicketDialog, TransferDialog
from ui.supplement_dialog import SupplementDialog

__all__ = ["desk"]  # fixture

ALT = Qt.KeyboardModifier.AltModifier
PENSION_TRANSFER = "11220800013549174M-000-220800-06"  # 参保缴费凭证 tolerable


def _key(widget: QWidget) -> object:
    """What Tab must reach: the widget its focus goes to; one of a group of radio buttons
    (the arrows choose inside the group)."""
    while (proxy := widget.focusProxy()) is not None:
        widget = proxy
    if isinstance(widget, QRadioButton) and widget.autoExclusive():
        return ("radios", id(widget.group()) if widget.group() else id(widget.parentWidget()))
    return widget


def inputs(top: QWidget) -> set[object]:
    """Every visible, enabled widget of the window `top` that takes focus by Tab."""
    tab = Qt.FocusPolicy.TabFocus
    return {
        _key(w)
        for w in top.findChildren(QWidget)
        if w.window() is top and w.isVisible() and w.isEnabled() and (w.focusPolicy() & tab) == tab
    }


def focus_in(top: QWidget) -> bool:
    focused = QApplication.focusWidget()
    return focused is not None and focused.window() is top


def tab_round(qtbot: QtBot, top: QWidget, *, backwards: bool = False) -> set[object]:
    """Press Tab (Shift+Tab) from the focused widget until the focus is back where it started;
    what it visited. A table that keeps the Tab key would never give it back."""
    start = QApplication.focusWidget()
    assert start is not None and start.window() is top
    seen: set[object] = {_key(start)}
    for _ in range(3 * len(inputs(top)) + 10):
        here = QApplication.focusWidget()
        assert here is not None
        if backwards:
            qtbot.keyClick(here, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        else:
            qtbot.keyClick(here, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not None and now.window() is top, "Tab left the window"
        if now is start:
            return seen
        seen.add(_key(now))
    stuck = QApplication.focusWidget()
    where = stuck.objectName() if stuck is not None else "nowhere"
    pytest.fail(f"Tab never came back to {start.objectName()}: stuck at {where}")


def check_every_input(qtbot: QtBot, top: QWidget) -> None:
    want = inputs(top)
    assert want
    for backwards in (False, True):
        reached = tab_round(qtbot, top, backwards=backwards)
        missed = [getattr(w, "objectName", lambda w=w: str(w))() for w in want - reached]
        assert missed == [], f"{top.objectName()}: not reached by {'Shift+' * backwards}Tab"


@pytest.fixture
def shown(qtbot: QtBot) -> Iterator[Callable[[QWidget], QWidget]]:
    opened: list[QWidget] = []

    def show(dialog: QWidget) -> QWidget:
        opened.append(dialog)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: focus_in(dialog))
        return dialog

    yield show
    for dialog in opened:
        dialog.close()


def ticket(number: str = "E001", status: str = "called") -> TicketView:
    return TicketView(
        id="t1",
        number=number,
        line_code="ZH",
        day=datetime.now(UTC).date(),
        seq=1,
        kind="normal",
        priority_group=None,
        status=status,
        issued_at=datetime.now(UTC),
        called_at=None,
        last_called_at=None,
        call_count=1,
        window_number=1,
        service_started_at=None,
        ended_at=None,
        passed_reason=None,
        close_reason=None,
        transferred_from_line=None,
        target_window=None,
        offline=False,
        id_number=None,
    )


# --- the desk's screens ---------------------------------------------------------------------


def test_tab_goes_round_the_intake_screen_and_leaves_every_table(qtbot: QtBot, desk: Desk) -> None:
    desk.issue(2)  # the waiting counts have rows
    panel = desk.window.case_panel
    type_applicant(desk.clerk, panel)
    desk.press(Qt.Key.Key_F, CTRL)
    desk.type_keys("gt")  # the matter results have rows
    desk.press(Qt.Key.Key_Return)  # the checklist has rows, and the focus
    assert isinstance(QApplication.focusWidget(), QTableView)
    check_every_input(qtbot, desk.window)


def test_tab_goes_round_the_case_list(qtbot: QtBot, desk: Desk) -> None:
    tabs = desk.window.tabs
    tabs.tabBar().setFocus()
    qtbot.keyClick(tabs.tabBar(), Qt.Key.Key_Right)  # to 办件, by keyboard
    assert tabs.currentWidget() is desk.window.case_list
    check_every_input(qtbot, desk.window)


def test_the_dialogs_of_the_queue(qtbot: QtBot, shown: Callable[[QWidget], QWidget]) -> None:
    for dialog in (
        NoShowDialog(ticket()),
        TransferDialog(ticket(), (), (), 1),
        PickTicketDialog([ticket(), ticket("E002")]),
    ):
        check_every_input(qtbot, shown(dialog))


def test_the_dialogs_of_printing(qtbot: QtBot, shown: Callable[[QWidget], QWidget]) -> None:
    page = QImage(200, 280, QImage.Format.Format_RGB32)
    page.fill(Qt.GlobalColor.white)
    a4 = Paper(210.0, 297.0)
    statuses = [PrinterStatus("OfficeA4", "就绪", True, (a4,)), PrinterStatus("Roll", "就绪", True)]
    for dialog in (
        PrintPreviewDialog([page, page], "受理通知书", ["OfficeA4", "Roll"], "OfficeA4"),
        PrintPreviewDialog([page], "受理通知书", [], None),
        PrinterSettingsDialog(statuses, {"a4": "OfficeA4", "ticket": None}),
        PrintFailedDialog("打印机无纸", True),
    ):
        check_every_input(qtbot, shown(dialog))


def test_the_dialogs_of_the_case(
    qtbot: QtBot, desk: Desk, shown: Callable[[QWidget], QWidget]
) -> None:
    managers = [("BC0100", "张主任")]
    override = OverrideDialog(DecisionKind.NOTIFY, managers)
    check_every_input(qtbot, shown(override))
    supplement = SupplementDialog(desk.setup.database, desk.setup.ctx)
    check_every_input(qtbot, shown(supplement))


def test_the_question_before_a_case_is_discarded(qtbot: QtBot, desk: Desk) -> None:
    checked: list[str] = []

    def act(box: QDialog) -> None:
        try:
            qtbot.waitUntil(lambda: focus_in(box))
            check_every_input(qtbot, box)
            checked.append(box.objectName())
        finally:
            box.reject()  # the test's failure is reported, not a dialog left waiting

    when_dialog(qtbot, act)
    assert confirm_discard(desk.window, "退出工作台？") is False
    assert checked == ["discardCaseDialog"]


# --- the keys of the controls that had none -------------------------------------------------


def test_commitment_reject_reason_and_override_have_keys(qtbot: QtBot, desk: Desk) -> None:
    panel = desk.window.case_panel
    type_applicant(desk.clerk, panel)
    desk.press(Qt.Key.Key_F, CTRL)
    desk.clerk.type(child(panel, QWidget, "matterSearchEdit"), PENSION_TRANSFER)
    desk.press(Qt.Key.Key_Return)
    commitment = child(panel, QCheckBox, "commitmentSigned")
    assert commitment.isEnabled() and not commitment.isChecked()
    desk.press(Qt.Key.Key_C, ALT)
    assert commitment.isChecked()
    desk.press(Qt.Key.Key_C, ALT)
    assert not commitment.isChecked()

    desk.press(Qt.Key.Key_R, ALT)
    assert QApplication.focusWidget() is panel.reject_edit

    opened: list[str] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            qtbot.wait(10)
            return close_it()
        opened.append(dialog.objectName())
        dialog.close()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, close_it)
    desk.press(Qt.Key.Key_O, ALT)
    qtbot.waitUntil(lambda: bool(opened))
    assert opened == ["overrideDialog"]


def test_f1_lists_every_key_of_the_registry(qtbot: QtBot, desk: Desk) -> None:
    desk.press(Qt.Key.Key_F1)
    help_text = child(desk.window, QLabel, "shortcutHelpText").text()
    for spec in ACTIONS.specs.values():
        if spec.keys:
            assert f"{spec.key_text()}  {spec.text()}" in help_text, spec.id
    for key in ("F12", "Ctrl+P", "Ctrl+Shift+S", "Shift+Space", "Alt+C", "Alt+R", "Alt+O"):
        assert key in help_text


def test_the_dialogs_of_the_desk_menu(
    qtbot: QtBot, desk: Desk, shown: Callable[[QWidget], QWidget]
) -> None:
    """工作台's own dialogs: the hall settings (every tab page), day end, the central store."""
    from PySide6.QtWidgets import QTabWidget

    from app.queue.day_end import DayEndPreview, InService
    from app.services.hall import load_config
    from ui.central_settings import CentralSettingsDialog
    from ui.day_end_dialog import DayEndDialog
    from ui.operations import operations_for
    from ui.settings_dialog import SettingsDialog

    with desk.setup.database.read() as s:
        config = load_config(s)
    settings = SettingsDialog(config, desk.setup.ctx, operations_for(desk.setup.database))
    shown(settings)
    tabs = settings.findChildren(QTabWidget)
    for pages in tabs:
        for i in range(pages.count()):
            pages.setCurrentIndex(i)
            check_every_input(qtbot, settings)
    if not tabs:
        check_every_input(qtbot, settings)
    preview = DayEndPreview(3, 1, (InService(1, "E001"), InService(2, "A002")))
    check_every_input(qtbot, shown(DayEndDialog(preview, 1)))
    check_every_input(qtbot, shown(CentralSettingsDialog("https://central.example")))


def test_the_kiosk_and_the_managers_view(
    qtbot: QtBot, desk: Desk, shown: Callable[[QWidget], QWidget]
) -> None:
    """The applicant's kiosk and the hall manager's view (each of its tabs)."""
    from PySide6.QtWidgets import QTabWidget

    from app.queue.backend import LocalQueue
    from ui.kiosk import Kiosk
    from ui.manager.panel import ManagerPanel
    from ui.operations import operations_for

    ops = operations_for(desk.setup.database)
    kiosk = Kiosk(LocalQueue(desk.setup.database.session), ops)
    kiosk.resize(1080, 1920)
    check_every_input(qtbot, shown(kiosk))
    manager = ManagerPanel(desk.setup.database)
    shown(manager)
    assert manager.live.ops.wait_idle()
    for pages in manager.findChildren(QTabWidget):
        for i in range(pages.count()):
            pages.setCurrentIndex(i)
            check_every_input(qtbot, manager)


def test_the_sign_in_dialog(qtbot: QtBot, desk: Desk, shown: Callable[[QWidget], QWidget]) -> None:
    from ui.sign_in import SignInDialog

    check_every_input(qtbot, shown(SignInDialog(desk.setup.database, 3)))
