"""The case list (overdue first, deadline state coloured and written, filter, reprint) and the
supplement dialog (a scanned case number, an unknown one, a gap handed in, a notified
applicant's return)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtPrintSupport import QPrinter
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
from sqlalchemy import select

from app.catalogue.importer import import_demo_if_empty
from app.catalogue.search import MatterIndex
from app.clock import hall_day
from app.rules.decision import DecisionKind, MaterialEntry, MaterialStatus
from app.rules.lifecycle import DeadlineState, deadline_state
from app.services.applicant import ApplicantData
from app.services.case_documents import documents_for_case
from app.services.case_queries import CaseSummary
from app.services.changes import DeskContext
from app.services.desk_queries import Session
from app.services.hall import ensure_demo_hall, set_desk
from app.services.intake import SavedCase, calendar_for, save_case
from db.engine import Database
from db.ids import new_id
from db.models.case import Case
from db.models.document import Document
from tests.test_lock_support import write_lock_held_elsewhere
from ui import supplement_dialog
from ui.case_list import CaseList, CaseListModel
from ui.case_panel import CasePanel
from ui.case_papers import print_case_documents
from ui.override_dialog import OverrideDialog
from ui.printing import PrintOutcome, PrintService
from ui.supplement_dialog import SupplementDialog

S = MaterialStatus
ID_RENEWAL = "11220800013546813E-000-220800-03"
PENSION_TRANSFER = "11220800013549174M-000-220800-06"  # 参保缴费凭证 may be a gap
ALL_IN = {
    "HKB": MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED),
    "SQRSFZ": MaterialEntry(S.ELECTRONIC),
    "ZPCJ": MaterialEntry(S.ELECTRONIC),
}
GAP = {
    "ZYSQ": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT, copies=1),
    "SQRSFZ": MaterialEntry(S.ELECTRONIC),
    "CBJFPZ": MaterialEntry(S.TOLERATED),
}


def person(name: str, id_number: str = "11010519491231002X") -> ApplicantData:
    return ApplicantData("person", name, id_number, "13912345678")


@pytest.fixture
def ctx(db: Database) -> DeskContext:
    with db.session.begin() as s:
        import_demo_if_empty(s)
        ensure_demo_hall(s)
        return set_desk(s, 1, "BC0101")


def save(
    db: Database,
    ctx: DeskContext,
    name: str,
    *,
    now: datetime | None = None,
    matter: str = ID_RENEWAL,
    entries: dict[str, MaterialEntry] | None = None,
    signed: bool = False,
) -> SavedCase:
    with db.session.begin() as s:
        saved = save_case(
            s,
            ctx,
            applicant=person(name),
            matter_codes=[matter],
            entries=entries or ALL_IN,
            commitment_signed=signed,
            now=now or datetime.now(UTC),
        )
        s.expunge(saved.case)
        return saved


def gap_case_in_state(db: Database, ctx: DeskContext, name: str, state: DeadlineState) -> None:
    """A gap case received on the most recent past day whose gap deadline is in `state` today
    (by the hall's own calendar)."""
    now = datetime.now(UTC)
    today = hall_day(now)
    with db.session() as s:
        calendar = calendar_for(s)
    for back in range(1, 40):
        start = today - timedelta(days=back)
        if not calendar.is_workday(start):
            continue
        deadline = calendar.add_working_days(start, 5)
        if deadline_state(deadline, today, calendar) is state:
            save(
                db,
                ctx,
                name,
                now=now - timedelta(days=back),
                matter=PENSION_TRANSFER,
                entries=GAP,
                signed=True,
            )
            return
    raise AssertionError(f"no start day gives {state}")


def wait_for_dialog(act: Callable[[QDialog], None]) -> None:
    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            act(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def no_printer(tmp_path: Path) -> PrintService:
    return PrintService(
        data_dir=tmp_path / "data",
        settings=QSettings(str(tmp_path / "print.ini"), QSettings.Format.IniFormat),
        printers=lambda: [],
    )


class FilePrinter(PrintService):
    """A print service whose one printer, "PDF-A4", writes PDF files through Qt's print engine
    (the offscreen platform has no printer): a print that really comes out."""

    def make_printer(self, name: str) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.data_dir.parent / f"printed-{new_id()}.pdf"))
        return printer


def file_printer(tmp_path: Path) -> PrintService:
    return FilePrinter(
        data_dir=tmp_path / "data",
        settings=QSettings(str(tmp_path / "print.ini"), QSettings.Format.IniFormat),
        printers=lambda: ["PDF-A4"],
    )


# --- case list ---------------------------------------------------------------------------------


def test_overdue_first_with_deadline_state_shown(
    qtbot: QtBot, db: Database, ctx: DeskContext
) -> None:
    save(db, ctx, "正常甲")  # accepted today: promised in 15 working days
    save(db, ctx, "告知乙", entries={**ALL_IN, "ZPCJ": MaterialEntry(S.MISSING)})  # no deadline
    gap_case_in_state(db, ctx, "超期丙", DeadlineState.OVERDUE)
    gap_case_in_state(db, ctx, "临期丁", DeadlineState.WARNING)
    cases = CaseList(db, ctx)
    qtbot.addWidget(cases)
    assert cases.ops.wait_idle()  # the list reads on the database's worker
    table = cases.findChild(QTableView, "caseListTable")
    assert table is not None
    model = table.model()
    assert isinstance(model, CaseListModel)

    def column(col: int, role: int = Qt.ItemDataRole.DisplayRole) -> list[object]:
        return [model.index(r, col).data(role) for r in range(model.rowCount())]

    # open gaps by due date first, then today's cases newest first
    assert column(CaseListModel.COL_APPLICANT) == ["超期丙", "临期丁", "告知乙", "正常甲"]
    assert column(CaseListModel.COL_DEADLINE) == ["超期", "临期", "—", "正常"]
    colours = [
        b.color().name() if isinstance(b, QBrush) else None
        for b in column(CaseListModel.COL_DEADLINE, Qt.ItemDataRole.BackgroundRole)
    ]
    assert len({colours[0], colours[1], colours[3]}) == 3 and colours[2] is None
    assert QColor(colours[0]).red() > QColor(colours[0]).green()  # overdue reads as red
    assert column(CaseListModel.COL_GAPS)[:2] == ["1", "1"]
    assert "超期 1 件，临期 1 件" in cases.count_label.text()

    # filter by text (debounced as typed; Enter applies at once)
    edit = cases.findChild(QLineEdit, "caseListFilter")
    assert edit is not None
    qtbot.keyClicks(edit, "1101051949")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert cases.ops.wait_idle()
    assert model.rowCount() == 4
    edit.clear()
    edit.setText("临期")
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert column(CaseListModel.COL_APPLICANT) == ["临期丁"]
    edit.clear()
    qtbot.waitUntil(lambda: model.rowCount() == 4)
    # only open cases: the notified one goes
    open_only = cases.findChild(QCheckBox, "caseListOpenOnly")
    assert open_only is not None
    open_only.setChecked(True)
    assert cases.ops.wait_idle()
    assert "告知乙" not in column(CaseListModel.COL_APPLICANT)
    assert model.rowCount() == 3


def test_refresh_shows_a_new_case_and_reprint_counts(
    qtbot: QtBot, db: Database, ctx: DeskContext, tmp_path: Path
) -> None:
    cases = CaseList(db, ctx, print_service=file_printer(tmp_path))
    qtbot.addWidget(cases)
    cases.show()
    assert cases.ops.wait_idle()
    assert cases.model.rowCount() == 0
    saved = save(db, ctx, "王䶮")
    cases.refresh()
    assert cases.ops.wait_idle()
    assert cases.model.rowCount() == 1
    cases.table.selectRow(0)

    def counted() -> tuple[int, int]:
        with db.read() as s:
            doc = s.scalars(select(Document).where(Document.case_id == saved.case_id)).one_or_none()
            return (doc.print_count, doc.reprint_count) if doc else (0, 0)

    def click(name: str) -> Callable[[QDialog], None]:
        return lambda d: qtbot.mouseClick(d.findChild(QPushButton, name), Qt.MouseButton.LeftButton)

    # A PDF saved instead of printed counts nothing: no paper came out.
    wait_for_dialog(click("savePdfButton"))
    qtbot.mouseClick(cases.findChild(QPushButton, "caseListReprint"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已保存为PDF" in cases.message.text(), timeout=10_000)
    assert cases.ops.wait_idle() and counted() == (0, 0)
    # The paper is made, previewed and printed off the UI thread; the count follows.
    wait_for_dialog(click("printButton"))
    qtbot.mouseClick(cases.findChild(QPushButton, "caseListReprint"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: counted() == (1, 0), timeout=10_000)
    wait_for_dialog(click("printButton"))
    qtbot.mouseClick(cases.findChild(QPushButton, "caseListReprint"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: counted() == (2, 1), timeout=10_000)
    assert "已发送到打印机" in cases.message.text()


# --- supplement dialog ---------------------------------------------------------------------------


@pytest.fixture
def dialog(qtbot: QtBot, db: Database, ctx: DeskContext) -> SupplementDialog:
    widget = SupplementDialog(db, ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def scan(qtbot: QtBot, dialog: SupplementDialog, number: str) -> None:
    """A barcode scanner types the number and Enter."""
    edit = dialog.findChild(QLineEdit, "caseSearchEdit")
    assert edit is not None
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, number)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert dialog.ops.wait_idle()  # the search and the case's detail are read on the worker


def test_scanned_case_number_then_gap_supplied(
    qtbot: QtBot, db: Database, ctx: DeskContext, dialog: SupplementDialog
) -> None:
    saved = save(db, ctx, "王䶮", matter=PENSION_TRANSFER, entries=GAP, signed=True)
    changed: list[str] = []
    dialog.case_changed.connect(changed.append)
    scan(qtbot, dialog, saved.case_no)
    assert dialog.results.rowCount() == 1
    materials = dialog.findChild(QListWidget, "supplementMaterials")
    assert materials is not None and materials.count() == 1
    assert materials.item(0).text().startswith("参保缴费凭证（须于")
    assert QApplication.focusWidget() is materials  # straight to the gap list
    qtbot.keyClick(materials, Qt.Key.Key_Space)  # tick it
    assert dialog.checked_codes() == ["CBJFPZ"]
    qtbot.keyClick(materials, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.ops.wait_idle()
    assert changed == [saved.case_id]
    with db.session() as s:
        case = s.get(Case, saved.case_id)
        assert case is not None and case.status == "supplemented"
    assert "已补齐" in dialog.message.text()
    assert materials.item(0).text() == "参保缴费凭证（已补齐）"
    assert not dialog.record_button.isEnabled()


def test_nothing_ticked_records_nothing(
    qtbot: QtBot, db: Database, ctx: DeskContext, dialog: SupplementDialog
) -> None:
    saved = save(db, ctx, "王䶮", matter=PENSION_TRANSFER, entries=GAP, signed=True)
    scan(qtbot, dialog, saved.case_no)
    qtbot.mouseClick(
        dialog.findChild(QPushButton, "recordSupplementButton"), Qt.MouseButton.LeftButton
    )
    assert dialog.message.text() == "请勾选本次补齐的材料（空格勾选）"
    with db.session() as s:
        assert s.get(Case, saved.case_id).status == "accepted_with_gap"  # type: ignore[union-attr]


def test_unknown_case_number_is_a_clear_message(
    qtbot: QtBot, db: Database, ctx: DeskContext, dialog: SupplementDialog
) -> None:
    save(db, ctx, "王䶮")
    scan(qtbot, dialog, "22080020261126019999")
    message = dialog.findChild(QLabel, "supplementMessage")
    assert message is not None
    assert message.text() == "办件编号 22080020261126019999 不存在，请核对回执上的编号"
    assert dialog.results.rowCount() == 0
    assert not dialog.record_button.isEnabled() and not dialog.restart_button.isEnabled()
    scan(qtbot, dialog, "nobody")
    assert message.text() == "没有找到与“nobody”相符的办件"


def test_scanned_document_number_or_qr_address_finds_the_case(
    qtbot: QtBot, db: Database, ctx: DeskContext, dialog: SupplementDialog
) -> None:
    """Issue 9, 10: the receipt's document number (SL…) and its QR code's address, each as a
    scanner types it, find the case; so does the applicant's phone."""
    from app.services.documents import issue_document

    saved = save(db, ctx, "王䶮", matter=PENSION_TRANSFER, entries=GAP, signed=True)
    with db.write() as s:
        doc_no = issue_document(
            s,
            ctx,
            "receipt",
            b"%PDF",
            case_id=saved.case_id,
            division_code="220800",
            day=hall_day(datetime.now(UTC)),
        ).doc_no
    for typed in (doc_no, f"https://zwfw.example.gov.cn/q?no={saved.case_no}", "13912345678"):
        scan(qtbot, dialog, typed)
        assert [r.case_no for r in dialog.results.rows] == [saved.case_no], typed
        qtbot.waitUntil(lambda: dialog.materials.count() == 1)


def test_find_by_id_number_and_name(
    qtbot: QtBot, db: Database, ctx: DeskContext, dialog: SupplementDialog
) -> None:
    save(db, ctx, "王䶮")
    save(db, ctx, "王䶮")
    scan(qtbot, dialog, "11010519491231002x")
    assert dialog.results.rowCount() == 2
    assert QApplication.focusWidget() is dialog.table  # several: choose first
    assert "该办件没有待补齐或待补正的材料" in dialog.detail.text()


def test_search_and_detail_read_on_the_worker_while_another_process_writes(
    qtbot: QtBot,
    db: Database,
    ctx: DeskContext,
    dialog: SupplementDialog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved = save(db, ctx, "王䶮", matter=PENSION_TRANSFER, entries=GAP, signed=True)
    real_find, real_get = supplement_dialog.find_for_supplement, supplement_dialog.get_case
    gate = threading.Event()
    on_ui_thread: list[bool] = []

    def find(s: Session, query: str, today: date | None = None) -> list[CaseSummary]:
        on_ui_thread.append(threading.current_thread() is threading.main_thread())
        gate.wait(10)  # the disk is slow: the answer comes when the test says
        return real_find(s, query, today)

    def get(s: Session, case_id: str) -> Case:
        on_ui_thread.append(threading.current_thread() is threading.main_thread())
        return real_get(s, case_id)

    monkeypatch.setattr(supplement_dialog, "find_for_supplement", find)
    monkeypatch.setattr(supplement_dialog, "get_case", get)
    assert db.path is not None
    with write_lock_held_elsewhere(db.path):
        dialog.search_edit.setText(saved.case_no)
        qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
        # The search was asked for and the window goes on: events are handled while the
        # read waits, and nothing has been shown yet.
        ticks: list[int] = []
        QTimer.singleShot(0, lambda: ticks.append(1))
        qtbot.waitUntil(lambda: ticks == [1])
        assert dialog.results.rowCount() == 0
        assert dialog.message.text() == "正在查找…"
        gate.set()
        # The answers arrive although another process holds the write lock.
        qtbot.waitUntil(lambda: dialog.materials.count() == 1, timeout=10_000)
    assert on_ui_thread == [False, False]
    assert [r.case_no for r in dialog.results.rows] == [saved.case_no]
    assert dialog.materials.item(0).text().startswith("参保缴费凭证（须于")
    assert dialog.record_button.isEnabled()
    assert QApplication.focusWidget() is dialog.materials
    assert dialog.message.text() == "找到 1 件"


def test_answers_to_older_questions_are_dropped(
    qtbot: QtBot,
    db: Database,
    ctx: DeskContext,
    dialog: SupplementDialog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = datetime.now(UTC)
    complete = save(db, ctx, "张三", now=now - timedelta(minutes=5))
    gap = save(db, ctx, "李四", now=now, matter=PENSION_TRANSFER, entries=GAP, signed=True)
    real_find, real_get = supplement_dialog.find_for_supplement, supplement_dialog.get_case
    gate = threading.Event()

    def find(s: Session, query: str, today: date | None = None) -> list[CaseSummary]:
        if query == "张三":
            gate.wait(10)
        return real_find(s, query, today)

    monkeypatch.setattr(supplement_dialog, "find_for_supplement", find)
    shown: list[list[str]] = []
    dialog.results.modelReset.connect(
        lambda: shown.append([r.applicant_name for r in dialog.results.rows])
    )
    # A search still on its way when the clerk searches again: only the new one is shown.
    for query in ("张三", "李四"):
        dialog.search_edit.setText(query)
        qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    gate.set()
    assert dialog.ops.wait_idle()
    assert shown == [["李四"]]
    assert [r.case_no for r in dialog.results.rows] == [gap.case_no]

    # The same for a case's detail: the first case's materials, read late, are not shown
    # under the second case chosen meanwhile.
    gate.clear()
    calls: list[str] = []

    def get(s: Session, case_id: str) -> Case:
        calls.append(case_id)
        if len(calls) == 1:
            gate.wait(10)
        return real_get(s, case_id)

    monkeypatch.setattr(supplement_dialog, "get_case", get)
    dialog.search_edit.setText("11010519491231002X")
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(calls))  # the newest (the gap case) is read first
    assert [r.case_no for r in dialog.results.rows] == [gap.case_no, complete.case_no]
    dialog.table.selectRow(1)
    gate.set()
    assert dialog.ops.wait_idle()
    assert calls == [gap.case_id, complete.case_id]
    assert dialog.materials.count() == 0
    assert not dialog.record_button.isEnabled()
    assert complete.case_no in dialog.detail.text()
    assert "该办件没有待补齐或待补正的材料" in dialog.detail.text()


def test_notified_applicant_returns_through_the_panel(
    qtbot: QtBot, db: Database, ctx: DeskContext, tmp_path: Path
) -> None:
    first = save(db, ctx, "王䶮", entries={**ALL_IN, "ZPCJ": MaterialEntry(S.MISSING)})
    with db.session() as s:
        index = MatterIndex.load(s)
    panel = CasePanel(db, ctx, index, print_service=no_printer(tmp_path))
    qtbot.addWidget(panel)
    panel.show()

    def restart(dialog: QDialog) -> None:
        assert isinstance(dialog, SupplementDialog)
        scan(qtbot, dialog, first.case_no)
        assert "居民身份证相片采集回执：未提供" in [
            dialog.materials.item(i).text() for i in range(dialog.materials.count())
        ]
        qtbot.mouseClick(dialog.restart_button, Qt.MouseButton.LeftButton)

    wait_for_dialog(restart)
    qtbot.mouseClick(panel.findChild(QPushButton, "supplementButton"), Qt.MouseButton.LeftButton)
    # The notified case and then its checklist are read on the worker.
    qtbot.waitUntil(lambda: first.case_no in panel.origin_label.text(), timeout=10_000)
    assert panel.ops.wait_idle()
    assert [line.code for line in panel.model.unchecked()] == ["ZPCJ"]
    assert set(panel.model.entries()) == {"HKB", "SQRSFZ"}


def test_a_print_that_cannot_be_counted_is_reported(
    qtbot: QtBot, db: Database, ctx: DeskContext, tmp_path: Path
) -> None:
    saved = save(db, ctx, "王䶮")
    with db.session.begin() as s:
        documents = documents_for_case(s, ctx, saved.case_id)
    host = CaseList(db, ctx)
    qtbot.addWidget(host)
    service = file_printer(tmp_path)
    said: list[str] = []
    service.message.connect(said.append)

    def save_pdf(dialog: QDialog) -> None:  # prints (the name kept from when saving counted)
        qtbot.mouseClick(dialog.findChild(QPushButton, "printButton"), Qt.MouseButton.LeftButton)

    first: list[PrintOutcome] = []
    wait_for_dialog(save_pdf)
    print_case_documents(host, service, db, ctx, documents, on_done=first.extend)
    qtbot.waitUntil(lambda: bool(first), timeout=10_000)  # the outcomes arrive by callback
    assert host.ops.wait_idle()
    # the same list again, still marked as a first print: the count refuses, the clerk is told
    outcomes: list[PrintOutcome] = []
    wait_for_dialog(save_pdf)
    print_case_documents(host, service, db, ctx, documents, on_done=outcomes.extend)
    qtbot.waitUntil(lambda: bool(outcomes), timeout=10_000)
    assert host.ops.wait_idle()  # the prints are counted on the database's worker
    assert outcomes[0].printed
    assert any("已打印，但未能记录" in text for text in said)
    with db.session() as s:
        assert s.scalars(select(Document)).one().print_count == 1


INTERACTIVE = (QLineEdit, QAbstractButton, QComboBox, QTableView, QListWidget, QPlainTextEdit)


@pytest.mark.parametrize("which", ["case_list", "supplement", "override"])
def test_every_interactive_widget_is_named(
    qtbot: QtBot, db: Database, ctx: DeskContext, which: str
) -> None:
    widget: QWidget
    if which == "case_list":
        widget = CaseList(db, ctx)
    elif which == "supplement":
        widget = SupplementDialog(db, ctx)
    else:
        widget = OverrideDialog(DecisionKind.NOTIFY, [("BC0201", "赵丽华")])
    qtbot.addWidget(widget)
    widgets = [
        w
        for w in widget.findChildren(QWidget)
        if isinstance(w, INTERACTIVE)
        and w.isVisibleTo(widget)
        and not w.objectName().startswith("qt_")
    ]
    assert len(widgets) >= 4
    unnamed = [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in widgets
        if not w.objectName() or not w.accessibleName()
    ]
    assert unnamed == []


# --- the worklist: paged, lazy; handing over ----------------------------------------------------


def test_the_list_holds_a_page_and_fetches_more_on_demand(
    qtbot: QtBot, db: Database, ctx: DeskContext
) -> None:
    names = [f"分页{i}" for i in range(5)]
    for name in names:
        save(db, ctx, name)
    cases = CaseList(db, ctx)
    qtbot.addWidget(cases)
    cases.page_size = 2
    cases.refresh()
    assert cases.ops.wait_idle()
    model = cases.model
    assert model.rowCount() == 2 and model.canFetchMore(QModelIndex())
    more = cases.findChild(QPushButton, "caseListMore")
    assert more is not None and more.isEnabled()
    more.click()
    assert cases.ops.wait_idle()
    qtbot.waitUntil(lambda: model.rowCount() == 4)
    model.fetchMore(QModelIndex())
    assert cases.ops.wait_idle()
    qtbot.waitUntil(lambda: model.rowCount() == 5)
    assert not model.canFetchMore(QModelIndex()) and not more.isEnabled()
    shown = [model.index(r, CaseListModel.COL_APPLICANT).data() for r in range(5)]
    assert shown == names[::-1]
    # a save reads the first page again, not everything seen so far
    save(db, ctx, "分页新")
    cases.refresh()
    assert cases.ops.wait_idle()
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    assert model.index(0, CaseListModel.COL_APPLICANT).data() == "分页新"


def test_hand_over_a_decided_case_from_the_list(
    qtbot: QtBot, db: Database, ctx: DeskContext
) -> None:
    from app.services.aftercare import transition

    saved = save(db, ctx, "送达甲")
    cases = CaseList(db, ctx)
    qtbot.addWidget(cases)
    assert cases.ops.wait_idle()
    cases.table.selectRow(0)
    button = cases.findChild(QPushButton, "caseListHandOver")
    assert button is not None and "Ctrl+D" in button.text()
    button.click()  # accepted, not decided: refused in one line, nothing changes
    assert cases.ops.wait_idle()
    qtbot.waitUntil(lambda: cases.message.text() != "")
    assert cases.message.text().startswith("办件状态不能从「已受理」变为「已送达」")
    with db.read() as s:
        assert s.get(Case, saved.case_id).status == "accepted"  # type: ignore[union-attr]
    with db.write() as s:
        transition(s, ctx, saved.case_id, "in_review")
        transition(s, ctx, saved.case_id, "decided")
    cases.refresh()
    assert cases.ops.wait_idle()
    cases.table.selectRow(0)
    cases.hand_over_action.trigger()
    assert cases.ops.wait_idle()
    qtbot.waitUntil(lambda: cases.message.text() == f"已送达：{saved.case_no}")
    with db.read() as s:
        assert s.get(Case, saved.case_id).status == "delivered"  # type: ignore[union-attr]


def test_a_single_hit_of_the_filter_is_selected(
    qtbot: QtBot, db: Database, ctx: DeskContext
) -> None:
    """Issue 9, 15: when the filter finds one case, that case is selected (ready for 补打,
    送达 or its supplements); several hits leave the selection to the clerk."""
    save(db, ctx, "单独甲")
    save(db, ctx, "另一乙")
    cases = CaseList(db, ctx)
    qtbot.addWidget(cases)
    assert cases.ops.wait_idle()
    edit = cases.findChild(QLineEdit, "caseListFilter")
    assert edit is not None
    edit.setText("单独甲")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert cases.ops.wait_idle()
    qtbot.waitUntil(lambda: cases.model.rowCount() == 1)
    selected = cases.selected()
    assert selected is not None and selected.applicant_name == "单独甲"
    assert cases.table.currentIndex().row() == 0
    edit.clear()
    edit.setText("1101051949")  # both applicants' ID numbers
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert cases.ops.wait_idle()
    qtbot.waitUntil(lambda: cases.model.rowCount() == 2)
    still = cases.selected()  # several hits: the clerk's selection stays where it was
    assert still is not None and still.applicant_name == "单独甲"
