"""The acceptance panel driven like a clerk drives it: by objectName, from the keyboard, on the
demo catalogue and hall. Counts what a complete acceptance costs in key presses and clicks."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.catalogue.importer import import_demo_if_empty
from app.catalogue.search import MatterIndex
from app.queue.calling import call_next
from app.queue.issuing import issue_ticket
from app.queue.window_actions import end_service, start_service
from app.rules.decision import MaterialEntry, MaterialStatus
from app.rules.identity import id_check_char
from app.services.applicant import ApplicantData
from app.services.changes import DeskContext
from app.services.documents import document_file, print_records
from app.services.hall import ensure_demo_hall, set_desk
from app.services.intake import save_case
from db.engine import Database
from db.models.account import Credential
from db.models.case import Case
from db.models.document import Document
from db.models.queue import Visit
from db.models.sync import Event, Outbox
from tests.test_cases_support import MANAGER_PIN, give_pin
from ui.case_panel import CasePanel
from ui.operations import wait_all_idle
from ui.printing import PrintService

S = MaterialStatus
GOOD_ID = "22080219800101001" + id_check_char("22080219800101001")
BAD_ID = GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1")
ID_RENEWAL = "11220800013546813E-000-220800-03"  # 居民身份证换领: 3 required materials
UNEMPLOYMENT = "11220800013549174M-000-220800-04"  # 失业保险金申领
PENSION_TRANSFER = "11220800013549174M-000-220800-06"  # 参保缴费凭证 tolerable


@dataclass
class Desk:
    db: Database
    ctx: DeskContext
    index: MatterIndex


@pytest.fixture
def desk(db: Database) -> Desk:
    with db.session.begin() as s:
        import_demo_if_empty(s)
        ensure_demo_hall(s)
        s.flush()
        give_pin(s, "BC0201")
        ctx = set_desk(s, 1, "BC0101")
    with db.session() as s:
        index = MatterIndex.load(s)
    return Desk(db, ctx, index)


@pytest.fixture
def panel(qtbot: QtBot, desk: Desk, tmp_path: Path) -> Iterator[CasePanel]:
    # No printer on this machine: the preview offers 保存为PDF only.
    service = PrintService(
        data_dir=tmp_path / "data",
        settings=QSettings(str(tmp_path / "print.ini"), QSettings.Format.IniFormat),
        printers=lambda: [],
    )
    widget = CasePanel(desk.db, desk.ctx, desk.index, print_service=service)
    service.setParent(widget)
    qtbot.addWidget(widget)
    widget.resize(1100, 820)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    yield widget


W = TypeVar("W", bound=QWidget)


def child(parent: QWidget, cls: type[W], name: str) -> W:
    found = parent.findChild(cls, name)
    assert found is not None, name
    return found


def ime_type(widget: QWidget, text: str) -> None:
    """Chinese arrives through the input method as committed text."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


class Clerk:
    """Drives the widgets and counts every key press and click (typing text is not counted:
    the brief counts presses after the applicant's details are typed)."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.presses = 0

    def key(
        self,
        widget: QWidget,
        key: Qt.Key,
        modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    ) -> None:
        self.presses += 1
        self.qtbot.keyClick(widget, key, modifier)
        self.look()

    def look(self) -> None:
        """The clerk looks at the screen: what the key asked the workers for has arrived."""
        assert wait_all_idle()

    def click(self, widget: QWidget) -> None:
        self.presses += 1
        # A check box reacts on its box and label, not on the empty rest of its row.
        pos = QPoint(8, widget.height() // 2) if isinstance(widget, QCheckBox) else QPoint()
        self.qtbot.mouseClick(
            widget,
            Qt.MouseButton.LeftButton,
            pos=pos if not pos.isNull() else widget.rect().center(),
        )
        self.look()

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None
        return widget

    def type(self, widget: QWidget, text: str) -> None:
        if text.isascii():
            self.qtbot.keyClicks(widget, text)
        else:
            ime_type(widget, text)
        self.look()


def when_dialog(qtbot: QtBot, act: Callable[[QDialog], None]) -> None:
    """Run `act` on the next modal dialog once it is open (it blocks the caller's exec())."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            act(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def type_applicant(
    clerk: Clerk,
    panel: CasePanel,
    name: str = "王䶮",
    id_number: str = GOOD_ID,
    phone: str = "13912345678",
) -> None:
    form = panel.applicant_form
    clerk.type(form.name_edit, name)
    clerk.type(form.id_edit, id_number)
    clerk.type(form.phone_edit, phone)


def counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        return {
            model.__name__: int(s.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Case, Event, Outbox, Document, Visit)
        }


def called_ticket(desk: Desk, id_number: str | None = None) -> str:
    now = datetime.now(UTC)
    with desk.db.session.begin() as s:
        issue_ticket(s, desk.ctx, line_code="ZH", now=now, id_number=id_number)
        ticket, _ = call_next(s, desk.ctx, request_id=None, now=now)
        assert ticket is not None
        start_service(s, desk.ctx, ticket_id=ticket.id, now=now)
        return ticket.id


# --- the 12-press acceptance -------------------------------------------------------------------


def test_complete_acceptance_takes_at_most_12_presses(
    qtbot: QtBot, desk: Desk, panel: CasePanel
) -> None:
    ticket_id = called_ticket(desk)
    panel.attach_ticket(ticket_id)  # the queue panel says which ticket is being served
    assert wait_all_idle()  # its number is read on the worker
    assert "E001" in panel.ticket_label.text()
    clerk = Clerk(qtbot)
    type_applicant(clerk, panel)
    assert clerk.presses == 0
    saved: list[str] = []
    panel.case_saved.connect(saved.append)

    clerk.key(clerk.focused(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # 1
    search = child(panel, QLineEdit, "matterSearchEdit")
    assert clerk.focused() is search
    clerk.type(search, "居民身份证换领")
    clerk.key(search, Qt.Key.Key_Return)  # 2: choose, cursor on the checklist
    table = child(panel, QTableView, "checklistTable")
    assert clerk.focused() is table
    assert table.model().rowCount() == 3
    for _ in range(3):  # 3, 4, 5: one key per material, as the line requires
        clerk.key(table, Qt.Key.Key_Space)
    assert child(panel, QLabel, "decisionLabel").text() == "受理"

    def save_pdf(dialog: QDialog) -> None:
        assert dialog.objectName() == "printPreviewDialog"
        clerk.click(child(dialog, QPushButton, "savePdfButton"))  # 7

    when_dialog(qtbot, save_pdf)
    clerk.key(table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # 6
    # saved, made, previewed and kept off the UI thread; the outcome is said, then counted
    qtbot.waitUntil(lambda: "文书已保存为PDF" in panel.message.text(), timeout=10_000)
    assert wait_all_idle()
    assert clerk.presses <= 12
    assert clerk.presses == 7

    assert len(saved) == 1
    with desk.db.session() as s:
        case = s.get(Case, saved[0])
        assert case is not None
        assert (case.decision, case.status) == ("accept", "accepted")
        assert case.ticket_id == ticket_id
        assert case.applicant_name == "王䶮" and case.applicant_id_number == GOOD_ID
        assert [m.status for m in case.materials] == ["electronic"] * 3
        doc = s.scalars(select(Document).where(Document.case_id == case.id)).one()
        # Saved as a PDF, not printed: kept and recorded, not counted as a print.
        assert doc.kind == "receipt" and doc.print_count == 0 and doc.pdf_path
        assert [r.outcome for r in print_records(s, doc.id)] == ["saved"]
        kept = document_file(s, doc)
        assert kept is not None and kept.exists()
        visit = s.scalars(select(Visit).where(Visit.case_id == case.id)).one()
        assert visit.ticket_id == ticket_id
    # ready for the next one, the ticket still attached, the number on screen
    assert panel.model.rowCount() == 0 and panel.applicant_form.name_edit.text() == ""
    assert panel.ticket_id == ticket_id
    message = child(panel, QLabel, "caseMessage").text()
    assert f"已保存：办件编号 {case.case_no}（受理）" in message
    assert "文书已保存为PDF" in message  # and where the paper went (no printer here)


def test_a_ticket_taken_with_an_id_number_fills_it_in(desk: Desk, panel: CasePanel) -> None:
    first = called_ticket(desk, id_number=GOOD_ID)
    panel.attach_ticket(first)
    assert wait_all_idle()
    assert panel.applicant_form.id_edit.text() == GOOD_ID
    assert panel.applicant_form.messages["id_number"].text() == "✓"
    assert QApplication.focusWidget() is panel.applicant_form.name_edit
    # the next ticket is the next applicant: the form starts empty again
    panel.applicant_form.name_edit.setText("王䶮")
    with desk.db.session.begin() as s:
        end_service(s, desk.ctx, ticket_id=first, now=datetime.now(UTC))
    panel.attach_ticket(called_ticket(desk))
    assert panel.applicant_form.name_edit.text() == ""
    assert panel.applicant_form.id_edit.text() == ""


# --- nothing saved while something is wrong ------------------------------------------------------


def choose(clerk: Clerk, panel: CasePanel, text: str) -> QTableView:
    clerk.key(
        clerk.focused() if QApplication.focusWidget() else panel,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier,
    )
    search = child(panel, QLineEdit, "matterSearchEdit")
    assert QApplication.focusWidget() is search
    clerk.type(search, text)
    clerk.key(search, Qt.Key.Key_Return)
    table = child(panel, QTableView, "checklistTable")
    assert isinstance(table, QTableView)
    return table


def test_bad_applicant_shown_beside_field_and_nothing_saved(
    qtbot: QtBot, desk: Desk, panel: CasePanel
) -> None:
    clerk = Clerk(qtbot)
    type_applicant(clerk, panel, id_number=BAD_ID)
    message = panel.applicant_form.messages["id_number"]
    assert message.text() == "身份证号码校验位不正确，请核对号码"  # at once, as typed
    table = choose(clerk, panel, "居民身份证换领")
    for _ in range(3):
        clerk.key(table, Qt.Key.Key_Space)
    before = counts(desk.db)
    clerk.key(table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert counts(desk.db) == before
    assert message.property("error") is True
    assert "申请人信息有误" in panel.message.text()
    assert QApplication.focusWidget() is panel.applicant_form.id_edit
    # corrected: saved
    panel.applicant_form.id_edit.clear()
    clerk.type(panel.applicant_form.id_edit, GOOD_ID)
    when_dialog(qtbot, lambda d: d.reject())
    clerk.key(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert panel.ops.wait_idle()
    assert counts(desk.db)["Case"] == before["Case"] + 1


def test_unchecked_materials_block_saving(qtbot: QtBot, desk: Desk, panel: CasePanel) -> None:
    clerk = Clerk(qtbot)
    type_applicant(clerk, panel)
    table = choose(clerk, panel, "居民身份证换领")
    clerk.key(table, Qt.Key.Key_1)
    before = counts(desk.db)
    clerk.click(child(panel, QPushButton, "saveAndPrintButton"))
    assert counts(desk.db) == before
    assert panel.message.text() == "还有2项材料未核对：申请人居民身份证、居民身份证相片采集回执"
    assert table.currentIndex().row() == 1


# --- keyboard statuses and the live decision ----------------------------------------------------


def test_keyboard_statuses_and_live_decision(qtbot: QtBot, panel: CasePanel) -> None:
    clerk = Clerk(qtbot)
    decision = child(panel, QLabel, "decisionLabel")
    reasons = child(panel, QLabel, "decisionReasons")
    assert decision.text() == "请选择办理事项"
    table = choose(clerk, panel, "基本养老保险关系转移接续")
    assert decision.text() == "一次性告知"
    assert "还有3项材料未核对" in reasons.text()
    clerk.key(table, Qt.Key.Key_2)  # 申请表: original kept
    clerk.key(table, Qt.Key.Key_4)  # ID card: e-licence
    clerk.key(table, Qt.Key.Key_6)  # 参保缴费凭证: tolerated
    entries = panel.model.entries()
    assert [e.status for e in entries.values()] == [
        S.RECEIVED_ORIGINAL_KEPT,
        S.ELECTRONIC,
        S.TOLERATED,
    ]
    assert decision.text() == "一次性告知"
    assert "未签署容缺承诺书" in reasons.text()
    commitment = child(panel, QCheckBox, "commitmentSigned")
    clerk.click(commitment)
    assert decision.text() == "容缺受理"
    assert "「参保缴费凭证」容缺，须于" in reasons.text()
    table.setFocus()
    assert table.currentIndex().row() == 2  # the last line keeps the cursor
    clerk.key(table, Qt.Key.Key_3)  # 参保缴费凭证: the copy was handed in after all
    assert decision.text() == "受理"
    assert "承诺办结日期" in reasons.text()
    child(panel, QLineEdit, "rejectReason").setFocus()
    clerk.type(child(panel, QLineEdit, "rejectReason"), "not ours")
    assert decision.text() == "不予受理"


def test_a_status_the_material_does_not_allow_is_named(qtbot: QtBot, panel: CasePanel) -> None:
    clerk = Clerk(qtbot)
    table = choose(clerk, panel, "基本养老保险关系转移接续")
    clerk.key(table, Qt.Key.Key_1)  # 申请表 must be kept, not checked and returned
    decision = child(panel, QLabel, "decisionLabel")
    assert decision.text() == "需要改正"
    assert "须收取原件" in child(panel, QLabel, "decisionReasons").text()
    assert panel.decision is None
    assert not child(panel, QPushButton, "overrideButton").isEnabled()


def test_defective_asks_the_reason_in_a_dialog(qtbot: QtBot, panel: CasePanel) -> None:
    clerk = Clerk(qtbot)
    table = choose(clerk, panel, "居民身份证换领")

    def give_reason(dialog: QDialog) -> None:
        assert dialog.objectName() == "defectReasonDialog"
        edit = dialog.findChild(QLineEdit)
        assert edit is not None
        clerk.type(edit, "expired")
        clerk.key(edit, Qt.Key.Key_Return)

    when_dialog(qtbot, give_reason)
    clerk.key(table, Qt.Key.Key_7)
    entry = panel.model.entries()["HKB"]
    assert entry == MaterialEntry(S.DEFECTIVE, defect_reason="expired")
    assert "「居民户口簿」不符合要求：expired" in panel.reasons_label.text()


def test_bundle_and_matters(qtbot: QtBot, panel: CasePanel) -> None:
    clerk = Clerk(qtbot)
    choose(clerk, panel, "居民身份证换领")
    clerk.key(child(panel, QTableView, "checklistTable"), Qt.Key.Key_Space)
    choose(clerk, panel, "失业保险金申领")  # shares 申请人居民身份证
    assert panel.chosen_list.count() == 2
    names = [line.name for line in panel.model.lines]
    assert names.count("申请人居民身份证") == 1 and len(names) == 5
    assert "HKB" in panel.model.entries()  # what was checked stays checked
    chosen = child(panel, QListWidget, "chosenMatters")
    chosen.setFocus()
    chosen.setCurrentRow(0)
    clerk.key(chosen, Qt.Key.Key_Delete)
    assert panel.chosen_list.count() == 1 and len(panel.model.lines) == 3
    choose(clerk, panel, "出生一件事")
    assert panel.chosen_list.count() == 1
    assert panel.chosen_list.item(0).text().startswith("【一件事】")


def test_override_is_approved_by_a_manager_and_recorded(
    qtbot: QtBot, desk: Desk, panel: CasePanel
) -> None:
    clerk = Clerk(qtbot)
    type_applicant(clerk, panel)
    table = choose(clerk, panel, "居民身份证换领")
    clerk.key(table, Qt.Key.Key_Space)
    clerk.key(table, Qt.Key.Key_Space)
    clerk.key(table, Qt.Key.Key_5)  # 相片采集回执 missing
    assert panel.decision_label.text() == "一次性告知"

    def approve(dialog: QDialog) -> None:
        combo = dialog.findChild(QComboBox, "overrideDecision")
        assert combo is not None
        combo.setCurrentIndex(combo.findText("受理"))
        manager = dialog.findChild(QComboBox, "overrideManager")
        assert manager is not None and manager.currentData() == "BC0201"
        reason = dialog.findChild(QPlainTextEdit, "overrideReason")
        assert reason is not None
        ok = child(dialog, QPushButton, "overrideOk")
        clerk.click(ok)  # no credential yet: refused, stays open
        assert dialog.isVisible()
        credential = child(dialog, QLineEdit, "overrideCredential")
        assert credential.echoMode() == QLineEdit.EchoMode.Password
        clerk.type(credential, "000000")
        clerk.click(ok)  # no reason yet: refused, stays open
        assert dialog.isVisible()
        reason.setFocus()
        clerk.type(reason, "photo receipt checked online")
        clerk.click(ok)  # the manager's credential is checked on the spot: wrong, stays open
        message = child(dialog, QLabel, "overrideMessage")
        qtbot.waitUntil(lambda: "BC0201 的密码或PIN不对" in message.text())
        assert dialog.isVisible() and credential.text() == ""
        with desk.db.read() as s:  # the failure counts towards the manager's lock
            assert s.get(Credential, "BC0201").failures == 1  # type: ignore[union-attr]
        credential.setFocus()
        clerk.type(credential, MANAGER_PIN)
        clerk.click(ok)

    when_dialog(qtbot, approve)
    clerk.click(child(panel, QPushButton, "overrideButton"))
    # The managers are read on the worker, then the dialog opens; the clerk approves.
    qtbot.waitUntil(lambda: panel.decision_label.text() == "受理（规则的决定：一次性告知）")
    # The window manager gives the focus back after a dialog; offscreen, we do.
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    when_dialog(qtbot, lambda d: d.reject())
    clerk.key(table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert panel.ops.wait_idle()
    assert "已保存" in panel.message.text(), panel.message.text()
    with desk.db.session() as s:
        case = s.scalars(select(Case)).one()
        assert (case.decision, case.rule_decision) == ("accept", "notify")
        assert case.override_by == "BC0201"
        assert case.override_reason == "photo receipt checked online"


# --- the screen ----------------------------------------------------------------------------------


INTERACTIVE = (QLineEdit, QAbstractButton, QComboBox, QTableView, QListWidget, QPlainTextEdit)


def test_every_interactive_widget_is_named(panel: CasePanel) -> None:
    panel.applicant_form.agent_check.setChecked(True)  # show the agent fields too
    widgets = [
        w
        for w in panel.findChildren(QWidget)
        if isinstance(w, INTERACTIVE)
        and w.isVisibleTo(panel)
        and not w.objectName().startswith("qt_")  # Qt's own parts (a table's corner button)
    ]
    assert len(widgets) > 15
    unnamed = [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in widgets
        if not w.objectName() or not w.accessibleName()
    ]
    assert unnamed == []


def test_screenshot(qtbot: QtBot, panel: CasePanel, tmp_path: Path) -> None:
    clerk = Clerk(qtbot)
    type_applicant(clerk, panel)
    table = choose(clerk, panel, "基本养老保险关系转移接续")
    for key in (Qt.Key.Key_2, Qt.Key.Key_4, Qt.Key.Key_6):
        clerk.key(table, key)
    panel.commitment_check.setChecked(True)
    image = panel.grab()
    path = tmp_path / "case_panel.png"
    assert image.save(str(path))
    assert image.width() >= 1000 and path.stat().st_size > 10_000


def test_start_from_notice_carries_what_was_received(
    qtbot: QtBot, desk: Desk, panel: CasePanel
) -> None:
    with desk.db.session.begin() as s:
        first = save_case(
            s,
            desk.ctx,
            applicant=ApplicantData("person", "王䶮", GOOD_ID, "13912345678"),
            matter_codes=[ID_RENEWAL],
            entries={
                "HKB": MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED),
                "SQRSFZ": MaterialEntry(S.MISSING),
                "ZPCJ": MaterialEntry(S.ELECTRONIC),
            },
            commitment_signed=False,
        )
        first_id, first_no = first.case_id, first.case_no
    panel.start_from_notice(first_id)
    assert wait_all_idle()  # the first case, then its checklist, are read on the worker
    assert first_no in panel.origin_label.text()
    assert panel.applicant_form.name_edit.text() == "王䶮"
    assert set(panel.model.entries()) == {"HKB", "ZPCJ"}
    clerk = Clerk(qtbot)
    assert [line.code for line in panel.model.unchecked()] == ["SQRSFZ"]
    assert QApplication.focusWidget() is panel.checklist
    assert panel.checklist.currentIndex().row() == 1
    clerk.key(panel.checklist, Qt.Key.Key_1)
    when_dialog(qtbot, lambda d: d.reject())
    clerk.key(panel.checklist, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert panel.ops.wait_idle()
    with desk.db.session() as s:
        second = s.scalars(select(Case).where(Case.previous_case_id == first_id)).one()
        assert second.decision == "accept"


# --- off the UI thread ---------------------------------------------------------------------------


def fill_renewal(panel: CasePanel) -> None:
    panel.applicant_form.set_applicant(ApplicantData("person", "王䶮", GOOD_ID, "13912345678"))
    panel.add_matter(ID_RENEWAL)
    assert wait_all_idle()
    for row in range(panel.model.rowCount()):
        panel.model.set_status(row, S.ELECTRONIC)


def test_a_save_announces_cases_and_the_case_list_refreshes_itself(
    qtbot: QtBot, desk: Desk, panel: CasePanel
) -> None:
    from ui.case_list import CaseList

    cases = CaseList(desk.db, desk.ctx, print_service=panel.print_service)
    qtbot.addWidget(cases)
    assert panel.ops is cases.ops  # one worker for the database
    assert panel.ops.wait_idle() and cases.model.rowCount() == 0
    announced: list[tuple[frozenset[str], object]] = []
    panel.ops.did_execute.connect(lambda changes, who: announced.append((changes, who)))
    fill_renewal(panel)
    when_dialog(qtbot, lambda d: d.reject())
    panel.save_and_print()
    assert panel.ops.wait_idle()
    assert announced[0] == (frozenset({"cases"}), panel)
    assert [r.applicant_name for r in cases.model.rows] == ["王䶮"]
    with desk.db.read() as s:
        doc = s.scalars(select(Document)).one()
        path = document_file(s, doc)
        assert doc.kind == "receipt" and path is not None and path.exists()


@pytest.mark.slow
def test_a_save_waits_for_another_window_without_freezing_then_saves(
    qtbot: QtBot, desk: Desk, panel: CasePanel
) -> None:
    import sqlite3

    fill_renewal(panel)
    other = sqlite3.connect(str(desk.db.path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another window is saving
    try:
        with qtbot.waitSignal(panel.ops.waiting, timeout=20_000):
            panel.save_and_print()
        # the event loop runs while the save waits; the button cannot save twice
        assert not panel.save_button.isEnabled()
        assert panel.message.text() == "正在保存…"
        assert counts(desk.db)["Case"] == 0
    finally:
        other.execute("ROLLBACK")
        other.close()
    when_dialog(qtbot, lambda d: d.reject())
    assert panel.ops.wait_idle()
    assert counts(desk.db)["Case"] == 1 and counts(desk.db)["Document"] == 1
    assert panel.save_button.isEnabled()
    assert "已保存：办件编号" in panel.message.text()


def hold_worker(panel: CasePanel) -> threading.Event:
    """Keep the database's worker busy until the event is set: what is asked meanwhile waits."""
    release = threading.Event()
    panel.ops.run(lambda: release.wait(30))
    return release


def test_matters_chosen_quickly_all_count_while_the_checklist_is_read(
    qtbot: QtBot, desk: Desk, panel: CasePanel
) -> None:
    release = hold_worker(panel)
    try:
        panel.add_matter(ID_RENEWAL)
        panel.add_matter(UNEMPLOYMENT)  # chosen before the first checklist arrived
        assert panel.model.rowCount() == 0  # nothing read on the UI thread
        panel.save_and_print()
        assert panel.message.text() == "材料清单正在载入，请稍候"
    finally:
        release.set()
    assert wait_all_idle()
    assert panel.chosen_list.count() == 2
    assert {line.name for line in panel.model.lines} >= {"居民户口簿", "申请人居民身份证"}
    assert counts(desk.db)["Case"] == 0


def test_a_stale_decision_or_restart_is_dropped(qtbot: QtBot, desk: Desk, panel: CasePanel) -> None:
    panel.add_matter(ID_RENEWAL)
    assert wait_all_idle()
    release = hold_worker(panel)
    try:
        for row in range(panel.model.rowCount()):
            panel.model.set_status(row, S.ELECTRONIC)  # asks for the decision (受理)
        panel.start_from_notice("no-such-case")  # asks for a case to restart
        panel.new_case()  # the clerk starts afresh before either answer arrived
    finally:
        release.set()
    assert wait_all_idle()
    assert panel.decision_label.text() == "请选择办理事项"
    assert panel.decision is None
    assert panel.message.text() == ""  # the refused restart was for a case no longer wanted
