"""The whole desk (queue, acceptance, printing) driven by keys only, as a window clerk drives it
all day: F7 leaves no ticket attached (the next case is a walk-in), F4 keeps what was typed
after F2, Ctrl+N and Ctrl+Q ask before a half-entered case is lost, a cancelled preview says
the papers were not printed (Ctrl+P prints them), and — on a private CUPS server — an
acceptance of 7 materials and a one-time notification each take at most 12 keys from the
applicant's details to printed papers and the next applicant."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.catalogue.search import MatterIndex
from app.queue.issuing import issue_ticket
from app.services.documents import print_records
from app.startup import DeskSetup, open_desk
from db.models.case import Case
from db.models.document import Document
from db.models.queue import Ticket, Visit
from tests import cupsd
from tests.test_printing_cups_ui import cups
from tests.test_ui_case_panel import GOOD_ID, Clerk, child, type_applicant, when_dialog
from ui.main_window import MainWindow
from ui.operations import wait_all_idle
from ui.printing import CupsPrinters, PrintService

__all__ = ["cups"]  # fixture

SELF_EMPLOYED = "112208000135487124-000-220800-01"  # 个体工商户设立登记: 7 materials
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@dataclass
class Desk:
    setup: DeskSetup
    window: MainWindow
    clerk: Clerk

    def issue(self, count: int = 1) -> None:
        """Applicants take tickets at the kiosk (not the clerk's keys)."""
        with self.setup.database.session.begin() as s:
            for _ in range(count):
                issue_ticket(s, self.setup.ctx, line_code="ZH", now=datetime.now(UTC))

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        """A key to whatever has the focus, counted; what it set off delivered. After a
        dialog the window manager gives the desk its focus back (an event to wait for)."""
        self.clerk.qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
        self.clerk.key(self.clerk.focused(), key, modifier)

    def type_keys(self, text: str) -> None:
        """Letters typed one key each (the pinyin initials of a search), counted."""
        for char in text:
            self.press(Qt.Key(ord(char.upper())))

    def ticket(self, ticket_id: str | None) -> Ticket:
        assert ticket_id is not None
        with self.setup.database.read() as s:
            found = s.get(Ticket, ticket_id)
            assert found is not None
            s.expunge(found)
            return found


def make_desk(
    qtbot: QtBot, tmp_path: Path, service: PrintService, setup: DeskSetup | None = None
) -> Iterator[Desk]:
    """The desk's main window on `setup` (window 1, the demo clerk BC0101 by default)."""
    if setup is None:
        setup = open_desk(tmp_path / "data", window_number=1, clerk_id="BC0101")
    with setup.database.read() as s:
        index = MatterIndex.load(s)
    window = MainWindow(setup, index, print_service=service)
    service.setParent(window)
    # The rating is the applicant's (on the kiosk or a second screen), not the desk's.
    window.queue_panel.ask_rating = lambda ticket: None
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    assert wait_all_idle()
    try:
        yield Desk(setup, window, Clerk(qtbot))
    finally:
        # As the desk closes: what was asked for finishes, nothing more is delivered, and no
        # worker of this desk is left for the next test to wait on.
        window.close()
        window.ops.shutdown()
        service.ops.shutdown()
        setup.database.close()


@pytest.fixture
def desk(qtbot: QtBot, tmp_path: Path) -> Iterator[Desk]:
    # No printer on this machine: the preview offers 保存为PDF only.
    service = PrintService(
        data_dir=tmp_path / "data",
        settings=QSettings(str(tmp_path / "print.ini"), QSettings.Format.IniFormat),
        printers=lambda: [],
    )
    yield from make_desk(qtbot, tmp_path, service)


def answer(qtbot: QtBot, name: str, button: str) -> list[str]:
    """Answer the next modal dialog `name` with `button`; returns what it said."""
    said: list[str] = []

    def act(dialog: QDialog) -> None:
        assert dialog.objectName() == name
        said.append(" ".join(label.text() for label in dialog.findChildren(QLabel)))
        found = dialog.findChild(QPushButton, button)
        assert found is not None, button
        found.click()

    when_dialog(qtbot, act)
    return said


def choose_and_receive_all(desk: Desk, search: str) -> None:
    desk.press(Qt.Key.Key_F, CTRL)
    desk.type_keys(search)
    desk.press(Qt.Key.Key_Return)
    assert desk.window.case_panel.model.rowCount() == 7
    desk.press(Qt.Key.Key_Space, SHIFT)  # every remaining material as required


# --- fix 1: after F7 the panel serves nobody; the next case is a walk-in -------------------------


def test_after_f7_the_next_case_is_a_walk_in(qtbot: QtBot, desk: Desk) -> None:
    desk.issue(2)
    panel = desk.window.case_panel
    desk.press(Qt.Key.Key_F2)
    desk.press(Qt.Key.Key_F4)
    served = panel.ticket_id
    assert served is not None and "正在服务" in panel.ticket_label.text()
    desk.press(Qt.Key.Key_F7)
    assert desk.ticket(served).status == "done"
    assert panel.ticket_id is None
    assert panel.ticket_label.text() == "未叫号（窗口直接受理）"

    type_applicant(desk.clerk, panel)
    choose_and_receive_all(desk, "gt")
    answer(qtbot, "printPreviewDialog", "savePdfButton")
    desk.press(Qt.Key.Key_S, CTRL)
    with desk.setup.database.read() as s:
        case = s.scalars(select(Case)).one()
        assert case.decision == "accept" and case.ticket_id is None
        assert s.scalars(select(Visit)).all() == []


# --- fix 2: F4 after F2 keeps the name and ID typed meanwhile ----------------------------------


def test_f7_over_an_unsaved_case_says_so(desk: Desk) -> None:
    desk.issue(1)
    panel = desk.window.case_panel
    desk.press(Qt.Key.Key_F2)
    desk.press(Qt.Key.Key_F4)
    desk.clerk.type(panel.applicant_form.name_edit, "王䶮")
    desk.press(Qt.Key.Key_F7)
    assert "尚未保存" in child(panel, QLabel, "caseMessage").text()
    assert "Ctrl+N" in child(panel, QLabel, "caseMessage").text()


def test_start_service_keeps_what_was_typed_after_the_call(desk: Desk) -> None:
    desk.issue(1)
    panel = desk.window.case_panel
    desk.press(Qt.Key.Key_F2)
    type_applicant(desk.clerk, panel)  # the applicant walks up and shows the ID card
    desk.press(Qt.Key.Key_F4)
    assert panel.ticket_id is not None and "正在服务" in panel.ticket_label.text()
    form = panel.applicant_form
    assert (form.name_edit.text(), form.id_edit.text()) == ("王䶮", GOOD_ID)


# --- fix 8: Ctrl+N and Ctrl+Q ask before a half-entered case is lost ---------------------------


def test_ctrl_n_asks_before_clearing_a_half_entered_case(qtbot: QtBot, desk: Desk) -> None:
    panel = desk.window.case_panel
    form = panel.applicant_form
    desk.press(Qt.Key.Key_N, CTRL)  # nothing entered: nothing to ask
    form.name_edit.setFocus()
    desk.clerk.type(form.name_edit, "王䶮")
    said = answer(qtbot, "discardCaseDialog", "keepButton")
    desk.press(Qt.Key.Key_N, CTRL)
    assert said and "尚未保存" in said[0]
    assert form.name_edit.text() == "王䶮"
    answer(qtbot, "discardCaseDialog", "discardButton")
    desk.press(Qt.Key.Key_N, CTRL)
    assert form.name_edit.text() == ""


def test_ctrl_q_asks_before_closing_over_a_half_entered_case(qtbot: QtBot, desk: Desk) -> None:
    panel = desk.window.case_panel
    desk.clerk.type(panel.applicant_form.name_edit, "王䶮")
    said = answer(qtbot, "discardCaseDialog", "keepButton")
    desk.press(Qt.Key.Key_Q, CTRL)
    assert said and "退出工作台" in said[0]
    assert desk.window.isVisible() and panel.applicant_form.name_edit.text() == "王䶮"
    answer(qtbot, "discardCaseDialog", "discardButton")
    desk.press(Qt.Key.Key_Q, CTRL)
    assert not desk.window.isVisible()


# --- fix 6: a cancelled preview says the papers were not printed; Ctrl+P prints them -----------


def test_a_cancelled_preview_says_the_papers_were_not_printed(qtbot: QtBot, desk: Desk) -> None:
    panel = desk.window.case_panel
    type_applicant(desk.clerk, panel)
    choose_and_receive_all(desk, "gt")
    answer(qtbot, "printPreviewDialog", "cancelButton")
    desk.press(Qt.Key.Key_S, CTRL)
    label = child(panel, QLabel, "caseMessage")
    qtbot.waitUntil(lambda: "文书未打印" in label.text())  # the preview answered
    assert "已保存：办件编号" in label.text() and "Ctrl+P" in label.text()
    with desk.setup.database.read() as s:
        doc = s.scalars(select(Document)).one()
        assert doc.print_count == 0 and print_records(s, doc.id) == []

    answer(qtbot, "printPreviewDialog", "savePdfButton")
    desk.press(Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: "文书已保存为PDF" in label.text())
    assert wait_all_idle()
    with desk.setup.database.read() as s:
        doc = s.scalars(select(Document)).one()
        assert [r.outcome for r in print_records(s, doc.id)] == ["saved"]


# --- speed: at most 12 keys from the applicant's details to printed papers and the next ------


@pytest.fixture
def printing_desk(qtbot: QtBot, tmp_path: Path, cups: cupsd.Cups) -> Iterator[Desk]:
    service = PrintService(
        tmp_path / "data",
        QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat),
        cups=CupsPrinters(cups.server),
    )
    service.set_default_printer("receipt", "OfficeA4")  # chosen once, in 打印机设置
    yield from make_desk(qtbot, tmp_path, service)


def printed_papers(desk: Desk, case_id: str) -> list[tuple[str, int, str | None]]:
    with desk.setup.database.read() as s:
        docs = s.scalars(select(Document).where(Document.case_id == case_id)).all()
        return [
            (d.kind, d.print_count, print_records(s, d.id)[-1].printer if d.print_count else None)
            for d in docs
        ]


def test_acceptance_and_notification_take_at_most_12_keys_each(
    qtbot: QtBot, printing_desk: Desk, cups: cupsd.Cups
) -> None:
    desk = printing_desk
    panel, queue = desk.window.case_panel, desk.window.queue_panel
    saved: list[str] = []
    panel.case_saved.connect(saved.append)
    desk.issue(3)
    desk.press(Qt.Key.Key_F2)
    desk.press(Qt.Key.Key_F4)
    before = set(cups.outputs())
    counts: dict[str, int] = {}

    # An acceptance of 7 materials: search, Enter, the rest as required, save and print, next.
    first = panel.ticket_id
    type_applicant(desk.clerk, panel)
    desk.clerk.presses = 0
    choose_and_receive_all(desk, "gt")  # Ctrl+F, g, t, Enter, Shift+Space
    desk.press(Qt.Key.Key_S, CTRL)  # saved, printed on OfficeA4
    desk.press(Qt.Key.Key_F12)  # the service ends, the next applicant is called
    counts["acceptance"] = desk.clerk.presses
    assert QApplication.activeModalWidget() is None  # nothing waits for an answer
    assert desk.ticket(first).status == "done"
    second = queue.current_ticket()
    assert second is not None and second.status == "called"
    with desk.setup.database.read() as s:
        case = s.get(Case, saved[0])
        assert case is not None
        assert (case.decision, case.status, case.ticket_id) == ("accept", "accepted", first)
        assert len(case.materials) == 7
        assert all(m.status != "missing" for m in case.materials)
    assert printed_papers(desk, saved[0]) == [("receipt", 1, "OfficeA4")]

    # A one-time notification: the first two materials missing, the rest as required.
    desk.press(Qt.Key.Key_F4)  # the next applicant arrives (before their details)
    type_applicant(desk.clerk, panel, name="李雷")
    desk.clerk.presses = 0
    desk.press(Qt.Key.Key_F, CTRL)
    desk.type_keys("gt")
    desk.press(Qt.Key.Key_Return)
    desk.press(Qt.Key.Key_5)  # 缺: the application form
    desk.press(Qt.Key.Key_5)  # 缺: the applicant's ID card
    desk.press(Qt.Key.Key_Space, SHIFT)
    desk.press(Qt.Key.Key_S, CTRL)
    desk.press(Qt.Key.Key_F12)
    counts["notification"] = desk.clerk.presses
    print(f"keys after the applicant's details: {counts}")
    assert counts["acceptance"] <= 12 and counts["notification"] <= 12
    assert desk.ticket(second.id).status == "done"
    with desk.setup.database.read() as s:
        case = s.get(Case, saved[1])
        assert case is not None
        assert (case.decision, case.status, case.ticket_id) == ("notify", "notified", second.id)
        missing = [m.position for m in case.materials if m.status == "missing"]
        assert missing == [0, 1]
    assert printed_papers(desk, saved[1]) == [("notice", 1, "OfficeA4")]
    assert len(set(cups.outputs()) - before) == 2  # two papers came out of the printer
    assert isinstance(QApplication.focusWidget(), QWidget)
