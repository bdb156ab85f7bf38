"""Every event written while someone is signed in at the desk carries that person
(`clerk_id`): the queue's calls and services, the case, its papers' print, the reveal of a
returning applicant's numbers, the day's end. The kiosk's events carry no person and say
which device wrote them (data["terminal"])."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.accounts import Policy, set_secret, sign_in_at_desk
from app.queue.issuing import issue_ticket
from app.reveal import REVEAL_KIND
from app.services.changes import DeskContext
from app.startup import open_desk
from db.models.case import Case
from db.models.sync import Event
from tests.test_ui_case_panel import type_applicant
from tests.test_ui_desk_keys import CTRL, SHIFT, Desk, answer, make_desk
from ui.kiosk import KIOSK_CTX
from ui.operations import wait_all_idle
from ui.printing import PrintService

CHEAP = Policy(time_cost=1, memory_kib=8)
MANAGER, PIN = "BC0201", "246813"  # a manager: the day's end is theirs


def test_a_device_for_no_one_cannot_name_a_person() -> None:
    with pytest.raises(ValueError):
        DeskContext(None, "BC0101", terminal="kiosk")


@pytest.fixture
def signed_in(qtbot: QtBot, tmp_path: Path) -> Iterator[Desk]:
    setup = open_desk(tmp_path / "data", window_number=1)
    with setup.database.write() as s:
        set_secret(s, DeskContext(None, None), MANAGER, PIN, policy=CHEAP)
    ctx = sign_in_at_desk(setup.database, 1, MANAGER, PIN, policy=CHEAP)
    setup = dataclasses.replace(setup, ctx=ctx)
    service = PrintService(
        data_dir=tmp_path / "data",
        settings=QSettings(str(tmp_path / "print.ini"), QSettings.Format.IniFormat),
        printers=lambda: [],
    )
    yield from make_desk(qtbot, tmp_path, service, setup)


def test_every_event_of_a_signed_in_desk_names_the_person(qtbot: QtBot, signed_in: Desk) -> None:
    desk, database = signed_in, signed_in.setup.database
    with database.read() as s:
        before = set(s.scalars(select(Event.id)))
    with database.write() as s:
        for _ in range(3):  # applicants take tickets at the kiosk
            issue_ticket(s, KIOSK_CTX, line_code="ZH", now=datetime.now(UTC))
    panel = desk.window.case_panel
    qtbot.waitUntil(lambda: QApplication.activeWindow() is desk.window)
    desk.press(Qt.Key.Key_F2)  # called
    desk.press(Qt.Key.Key_F4)  # served
    type_applicant(desk.clerk, panel)
    desk.press(Qt.Key.Key_F, CTRL)
    desk.type_keys("gt")
    desk.press(Qt.Key.Key_Return)
    desk.press(Qt.Key.Key_5)  # 缺: a one-time notification
    desk.press(Qt.Key.Key_Space, SHIFT)
    answer(qtbot, "printPreviewDialog", "savePdfButton")
    desk.press(Qt.Key.Key_S, CTRL)  # saved, the paper saved as PDF (a print record)
    assert wait_all_idle()
    desk.window.activateWindow()  # the preview has closed: the desk has its focus back
    qtbot.waitUntil(lambda: QApplication.activeWindow() is desk.window)
    desk.press(Qt.Key.Key_F12)  # the service ends, the next is called
    assert wait_all_idle()
    with database.read() as s:
        case_id = s.scalars(select(Case.id)).one()
    panel.start_from_notice(case_id)  # the applicant returns: numbers masked
    qtbot.waitUntil(lambda: panel.findChild(QPushButton, "revealNumbersButton").isVisible())  # type: ignore[union-attr]
    reveal = panel.findChild(QPushButton, "revealNumbersButton")
    assert reveal is not None
    qtbot.mouseClick(reveal, Qt.MouseButton.LeftButton)
    assert wait_all_idle()

    def confirm() -> None:
        shown = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QDialog) and w.objectName() == "dayEndDialog" and w.isVisible()
        ]
        if not shown:
            QTimer.singleShot(20, confirm)
            return
        found = shown[0].findChild(QPushButton, "dayEndConfirm")
        assert found is not None
        found.click()

    QTimer.singleShot(0, confirm)
    desk.window.close_day()

    def closed() -> bool:
        assert wait_all_idle()
        with database.read() as s:
            return (
                s.scalars(select(Event.id).where(Event.kind == "ticket.closed")).first() is not None
            )

    qtbot.waitUntil(closed)

    with database.read() as s:
        events = [e for e in s.scalars(select(Event).order_by(Event.seq)) if e.id not in before]
    kinds = {e.kind for e in events}
    for wanted in ("ticket.called", "ticket.service_started", "ticket.service_ended"):
        assert wanted in kinds, wanted
    assert any(k.startswith("case.") for k in kinds), kinds
    assert any(k.startswith("document.") for k in kinds), kinds
    assert REVEAL_KIND in kinds and "ticket.closed" in kinds, kinds
    kiosk = [e for e in events if e.data.get("terminal") == "kiosk"]
    assert len(kiosk) == 3
    assert all(e.clerk_id is None and e.kind == "ticket.issued" for e in kiosk)
    unnamed = [(e.kind, e.clerk_id) for e in events if e not in kiosk and e.clerk_id != MANAGER]
    assert unnamed == []
