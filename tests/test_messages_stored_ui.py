"""The English build, continued: the settings dialog's refusals, a case's decision reasons and
why its materials are still needed (read back from the database), and a database refused at
start leave no Chinese on screen except data. The command line keeps the Chinese line."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView
from pytestqt.qtbot import QtBot

from app.errors import UserError
from app.rules.decision import MaterialEntry
from app.services.changes import DeskContext
from app.services.hall import load_config
from app.startup import open_desk
from db.engine import DB_FILE_NAME, Database, DatabaseOpenError
from db.models.case import Case
from db.models.queue import Ticket
from tests.test_messages_ui import CJK, chinese_besides, english
from tests.test_ui_case_list import ALL_IN, GAP, PENSION_TRANSFER, S, ctx, save, scan
from ui.case_list import CaseList, CaseListModel
from ui.launch import refusal_box
from ui.operations import Operations
from ui.settings_dialog import SettingsDialog
from ui.supplement_dialog import SupplementDialog

__all__ = ["ctx", "english"]
pytestmark = pytest.mark.usefixtures("english")


# --- the settings dialog --------------------------------------------------------------------------


@pytest.fixture
def ops(qtbot: QtBot, db: Database) -> Iterator[Operations]:
    operations = Operations(db)
    yield operations
    operations.shutdown()


def settings_dialog(
    qtbot: QtBot, db: Database, ops: Operations, ctx: DeskContext
) -> SettingsDialog:
    with db.read() as s:
        config = load_config(s)
    # The hall's settings are an administrator's.
    dialog = SettingsDialog(config, dataclasses.replace(ctx, clerk_id="BC0901"), ops)
    qtbot.addWidget(dialog)
    return dialog


def problems_of(dialog: SettingsDialog) -> str:
    label = dialog.findChild(QLabel, "settingsProblems")
    assert label is not None
    return label.text()


def test_the_settings_dialog_refuses_in_english(
    qtbot: QtBot, db: Database, ops: Operations, ctx: DeskContext
) -> None:
    dialog = settings_dialog(qtbot, db, ops, ctx)
    division = dialog.findChild(QLineEdit, "divisionCode")
    assert division is not None
    division.setText("22")
    table = dialog.findChild(QTableView, "linesTable")
    assert table is not None
    table.model().setData(table.model().index(1, 2), "a")  # B → A: a duplicate prefix
    dialog.save()
    assert ops.wait_idle()
    assert problems_of(dialog).splitlines() == [
        "The division code must be 6 digits (e.g. 220800 for Baicheng)",
        "Services: a ticket prefix is used twice",
    ]
    assert dialog.result() == 0


def test_a_refusal_from_the_save_is_in_english(
    qtbot: QtBot, db: Database, ops: Operations, ctx: DeskContext
) -> None:
    """The dialog's own check passes; the save on the worker refuses (a line with tickets)."""
    with db.write() as s:
        s.add(Ticket(number="D001", line_code="HZ", day=date(2026, 11, 26), seq=1, order_key=1))
        hz_name = next(ln.name for ln in load_config(s).lines if ln.code == "HZ")
    dialog = settings_dialog(qtbot, db, ops, ctx)
    dialog.lines_model.set_rows([ln for ln in dialog.lines_model.rows if ln.code != "HZ"])
    dialog.windows_model.set_rows(
        [
            dataclasses.replace(w, lines=tuple(c for c in w.lines if c != "HZ") or ("ZH",))
            for w in dialog.windows_model.rows
        ]
    )
    dialog.save()
    assert ops.wait_idle()
    text = problems_of(dialog)
    assert text == (
        f"Line HZ ({hz_name}) has tickets and cannot be removed; rename it, or let no window "
        "serve it"
    )
    assert chinese_besides(text, [hz_name]) == []


# --- a case's stored texts ----------------------------------------------------------------------


def test_the_case_lists_tooltip_shows_stored_reasons_in_english(
    qtbot: QtBot, db: Database, ctx: DeskContext
) -> None:
    saved = save(
        db,
        ctx,
        "李四",
        matter=PENSION_TRANSFER,
        entries=GAP,
        signed=True,
        now=datetime(2026, 11, 30, 2, 0, tzinfo=UTC),
    )
    gap_name = next(m.name for m in saved.case.materials if m.material_code == "CBJFPZ")
    deadline = next(m.gap_deadline for m in saved.case.materials if m.gap_deadline)
    assert deadline is not None
    cases = CaseList(db, ctx)
    qtbot.addWidget(cases)
    assert cases.ops.wait_idle()
    model = cases.model
    row = next(
        r
        for r in range(model.rowCount())
        if model.index(r, CaseListModel.COL_APPLICANT).data() == "李四"
    )
    tooltip = model.index(row, CaseListModel.COL_CASE_NO).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.splitlines() == [
        "The main materials are complete, the rest may be gaps and the applicant signed the "
        "commitment letter: accepted with gaps",
        f"“{gap_name}” is a gap, to be supplied by {deadline:%d %b %Y}",
    ]
    assert chinese_besides(tooltip, [gap_name]) == []


def test_reasons_stored_as_text_before_codes_are_shown_as_they_are(
    qtbot: QtBot, db: Database, ctx: DeskContext
) -> None:
    """A case saved by release 0.1.0 holds its reasons as Chinese sentences: data now."""
    saved = save(db, ctx, "张三")
    with db.write() as s:
        case = s.get(Case, saved.case_id)
        assert case is not None
        case.decision_reasons = ["申请材料齐全、符合法定形式，予以受理"]
    cases = CaseList(db, ctx)
    qtbot.addWidget(cases)
    assert cases.ops.wait_idle()
    tooltip = cases.model.index(0, CaseListModel.COL_CASE_NO).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "申请材料齐全、符合法定形式，予以受理"


def test_the_supplement_dialog_lists_what_was_notified_in_english(
    qtbot: QtBot, db: Database, ctx: DeskContext
) -> None:
    saved = save(
        db,
        ctx,
        "王五",
        entries={
            **ALL_IN,
            "ZPCJ": MaterialEntry(S.MISSING),
            "HKB": MaterialEntry(S.DEFECTIVE, defect_reason="页码不全"),
        },
    )
    names = [m.name for m in saved.case.materials]
    dialog = SupplementDialog(db, ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    scan(qtbot, dialog, saved.case_no)
    shown = [dialog.materials.item(i).text() for i in range(dialog.materials.count())]
    by_name = dict(line.split(": ", 1) for line in shown)
    zpcj = next(m.name for m in saved.case.materials if m.material_code == "ZPCJ")
    hkb = next(m.name for m in saved.case.materials if m.material_code == "HKB")
    assert by_name[zpcj] == "Not provided"
    assert by_name[hkb].endswith("页码不全") and CJK.findall(by_name[hkb][:-4]) == []
    for line in shown:
        assert chinese_besides(line, [*names, "页码不全"]) == [], line


# --- a database refused at start ------------------------------------------------------------------


def test_a_damaged_database_is_refused_at_start_in_english(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / DB_FILE_NAME).write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DatabaseOpenError) as info:
        open_desk(data)
    assert "数据库文件已损坏" in str(info.value)  # the command line's line
    box = refusal_box(info.value)
    assert box.objectName() == "startRefusal"
    text = box.text()
    assert re.fullmatch(
        r"The database file is damaged: .*onewindow\.sqlite3 \(.+\)\. The file was not changed; "
        r"ask the IT centre to restore it from a backup .*\.",
        text,
    ), text
    assert chinese_besides(text, [str(data)]) == []


def test_a_refusal_of_the_desk_settings_at_start_is_in_english(tmp_path: Path) -> None:
    with pytest.raises(UserError) as info:
        open_desk(tmp_path / "data", window_number=42)
    assert refusal_box(info.value).text() == "The hall has no window 42"


def test_the_machines_trouble_met_mid_operation_is_in_english() -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from db.engine import StoreBusy
    from ui.messages import describe

    full = OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))
    assert describe(full) == (
        "The disk is full: the data directory's disk has no space left; free some space and "
        "try again. Data already saved is not affected."
    )
    assert CJK.findall(describe(StoreBusy())) == []
