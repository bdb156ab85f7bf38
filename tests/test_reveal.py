"""A returning applicant's full ID and phone numbers in the open case: masked and read-only
until the clerk reveals them on purpose (a button, or Ctrl+Shift+I), and the reveal is an
event in the audit chain naming who and which case, never the numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.audit import verify_store
from app.catalogue.search import MatterIndex
from app.errors import UserError
from app.reveal import REVEAL_KIND, reveal_numbers
from app.rules.decision import MaterialEntry
from app.services.changes import DeskContext
from db.engine import Database
from db.models.sync import Event
from tests.test_ui_case_list import ALL_IN, S, ctx, no_printer, save
from ui.case_panel import CasePanel

__all__ = ["ctx"]  # the fixture, shared with the case list's tests

ID = "11010519491231002X"
PHONE = "13912345678"


def _reveals(db: Database) -> list[Event]:
    with db.read() as s:
        return list(s.scalars(select(Event).where(Event.kind == REVEAL_KIND)))


def test_reveal_is_an_event_naming_who_and_which_case(db: Database, ctx: DeskContext) -> None:
    saved = save(db, ctx, "王䶮")
    with db.write() as s:
        applicant = reveal_numbers(s, ctx, saved.case_id)
    assert (applicant.id_number, applicant.phone) == (ID, PHONE)
    [event] = _reveals(db)
    assert (event.entity, event.entity_id) == ("case", saved.case_id)
    assert (event.clerk_id, event.window_number) == ("BC0101", 1)
    assert event.data["case_no"] == saved.case_no
    assert ID not in str(event.data) and PHONE not in str(event.data)
    assert verify_store(db).ok


def test_an_unknown_case_reveals_nothing_and_records_nothing(
    db: Database, ctx: DeskContext
) -> None:
    with pytest.raises(UserError, match="办件不存在"), db.write() as s:
        reveal_numbers(s, ctx, "01NOPE")
    assert _reveals(db) == []


@pytest.fixture
def returned(qtbot: QtBot, db: Database, ctx: DeskContext, tmp_path: Path) -> CasePanel:
    first = save(db, ctx, "王䶮", entries={**ALL_IN, "ZPCJ": MaterialEntry(S.MISSING)})
    with db.session() as s:
        index = MatterIndex.load(s)
    panel = CasePanel(db, ctx, index, print_service=no_printer(tmp_path))
    qtbot.addWidget(panel)
    panel.show()
    panel.start_from_notice(first.case_id)
    qtbot.waitUntil(lambda: first.case_no in panel.origin_label.text(), timeout=10_000)
    assert panel.ops.wait_idle()
    return panel


def test_a_returning_applicants_numbers_are_masked_until_revealed(
    qtbot: QtBot, db: Database, returned: CasePanel
) -> None:
    form = returned.applicant_form
    assert form.id_edit.text() == "110105********002X" and form.id_edit.isReadOnly()
    assert form.phone_edit.text() == "139****5678" and form.phone_edit.isReadOnly()
    # Held, not lost: the new case would still carry the full numbers, and they are valid.
    assert (form.applicant().id_number, form.applicant().phone) == (ID, PHONE)
    assert "id_number" not in form.problems()
    assert _reveals(db) == []  # opening the case reveals nothing
    button = returned.findChild(QPushButton, "revealNumbersButton")
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.id_edit.text() == ID, timeout=10_000)
    assert form.phone_edit.text() == PHONE and not form.id_edit.isReadOnly()
    assert not button.isVisible()
    [event] = _reveals(db)
    assert event.clerk_id == "BC0101"
    # Revealed once: the key does nothing more (nothing masked, nothing recorded).
    qtbot.keyClick(
        form.name_edit,
        Qt.Key.Key_I,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert returned.ops.wait_idle()
    assert len(_reveals(db)) == 1


def test_the_reveal_key_is_a_deliberate_action_too(
    qtbot: QtBot, db: Database, returned: CasePanel
) -> None:
    form = returned.applicant_form
    form.name_edit.setFocus()
    qtbot.waitUntil(form.name_edit.hasFocus)
    qtbot.keyClick(
        form.name_edit,
        Qt.Key.Key_I,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: form.id_edit.text() == ID, timeout=10_000)
    assert len(_reveals(db)) == 1


def test_a_new_case_clears_the_held_numbers(qtbot: QtBot, returned: CasePanel) -> None:
    form = returned.applicant_form
    returned.new_case()
    assert not form.masked and not form.id_edit.isReadOnly() and form.id_edit.text() == ""
    assert form.applicant().id_number == ""


def test_the_reveal_button_says_on_hover_that_it_is_recorded_and_its_key(
    returned: CasePanel,
) -> None:
    button = returned.findChild(QPushButton, "revealNumbersButton")
    assert button is not None and button.isVisible()
    assert "将被记录" in button.toolTip() and "Ctrl+Shift+I" in button.toolTip()
