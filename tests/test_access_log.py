"""Looking up or searching an ID number is an event (chained like every other): in the case
list's filter and in the supplement dialog's search. Printing and reprinting are events too."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.access_log import SEARCH_KIND, is_id_query, record_id_search
from app.audit import verify_store
from app.services.changes import DeskContext
from db.engine import Database
from db.models.sync import Event, Outbox
from tests.test_ui_case_list import ctx, dialog, save, scan  # noqa: F401  (fixtures)
from ui.case_list import CaseList
from ui.supplement_dialog import SupplementDialog

ID = "11010519491231002X"


def _searches(db: Database) -> list[Event]:
    with db.read() as s:
        return list(s.scalars(select(Event).where(Event.kind == SEARCH_KIND).order_by(Event.seq)))


def test_what_counts_as_searching_an_id_number() -> None:
    assert is_id_query(ID) and is_id_query("1101 0519 4912 3100 2x")
    assert is_id_query("91220800MA0000000M")  # a unified social credit code
    assert is_id_query("491231")  # part of one (or of a phone number)
    assert not is_id_query("22080020261130010001")  # a case number
    assert not is_id_query("王䶮") and not is_id_query("12345")


def test_an_id_search_is_a_chained_event_pushed_like_any_other(db: Database) -> None:
    with db.write() as s:
        assert record_id_search(s, DeskContext(3, "C01"), "王䶮", "case_list") is None
        ev = record_id_search(s, DeskContext(3, "C01"), ID.lower(), "case_list")
        assert ev is not None
    with db.read() as s:
        stored = s.get(Event, ev.id)
        assert stored is not None and stored.data == {"query": ID, "where": "case_list"}
        assert (stored.clerk_id, stored.window_number, stored.seq) == ("C01", 3, 1)
        assert s.get(Outbox, ev.id) is not None
    assert verify_store(db).ok


def test_the_supplement_dialogs_id_search_is_recorded(
    qtbot: QtBot,
    db: Database,
    ctx: DeskContext,  # noqa: F811
    dialog: SupplementDialog,  # noqa: F811
) -> None:
    save(db, ctx, "王䶮")
    edit = dialog.findChild(QLineEdit, "caseSearchEdit")
    assert edit is not None
    edit.setText("王䶮")  # a name: not an ID number
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert dialog.ops.wait_idle()
    assert _searches(db) == []
    scan(qtbot, dialog, ID)
    found = _searches(db)
    assert [(e.data["query"], e.data["where"], e.clerk_id) for e in found] == [
        (ID, "supplement", "BC0101")
    ]


def test_the_case_lists_id_search_is_recorded_once(
    qtbot: QtBot,
    db: Database,
    ctx: DeskContext,  # noqa: F811
    tmp_path: Path,
) -> None:
    save(db, ctx, "王䶮")
    cases = CaseList(db, ctx)
    qtbot.addWidget(cases)
    edit = cases.findChild(QLineEdit, "caseListFilter")
    assert edit is not None
    edit.setText(ID)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert cases.ops.wait_idle()
    cases.refresh()  # the same search shown again (after a save): not a new search
    assert cases.ops.wait_idle()
    assert [e.data["query"] for e in _searches(db)] == [ID]
    assert cases.model.rowCount() == 1


def test_printing_and_reprinting_are_chained_events(db: Database) -> None:
    from datetime import date

    from app.services.documents import issue_document, record_print

    desk = DeskContext(1, "C01")
    pdf = b"%PDF-1.4 x"
    with db.write() as s:
        doc = issue_document(
            s, desk, "ticket", pdf, ticket_id="T1", division_code="220800", day=date(2026, 11, 30)
        )
        record_print(s, desk, doc.id, pdf, reprint=False, printer="p", job_id=1)
        record_print(s, desk, doc.id, pdf, reprint=True, printer="p", job_id=2)
    with db.read() as s:
        kinds = [(e.kind, e.seq) for e in s.scalars(select(Event).order_by(Event.seq))]
    assert kinds == [("document.issued", 1), ("document.printed", 2), ("document.reprinted", 3)]
    assert verify_store(db).ok
