"""The English build shows the core's refusals, labels and reasons in English: real refusals
triggered through the widgets and the services leave no Chinese on screen except data (names
of materials, lines, people)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from app.errors import UserError
from app.paths import TRANSLATIONS_DIR
from app.queue.backend import LocalQueue
from app.rules.lifecycle import check_transition
from app.services.case_queries import get_case
from db.engine import Database
from tests.test_queue_kiosk import kiosk, resident_id, shown, tap
from tests.test_queue_support import KIOSK, ctx, database, ops, seed_hall, sessions
from tests.test_ui_case_panel import (
    BAD_ID,
    Clerk,
    Desk,
    child,
    choose,
    desk,
    panel,
    type_applicant,
)
from ui.case_panel import CasePanel
from ui.kiosk import Kiosk
from ui.messages import describe

__all__ = ["database", "desk", "kiosk", "ops", "panel", "sessions"]

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture(autouse=True)
def english(qtbot: QtBot) -> Iterator[None]:
    translator = QTranslator()
    assert translator.load("onewindow_en", str(TRANSLATIONS_DIR))
    app = QCoreApplication.instance()
    assert app is not None
    app.installTranslator(translator)
    try:
        yield
    finally:
        app.removeTranslator(translator)


def chinese_besides(text: str, data: Iterable[str]) -> list[str]:
    """The Chinese left in `text` once the data (names) are taken out."""
    for item in sorted(data, key=len, reverse=True):
        text = text.replace(item, "")
    return CJK.findall(text)


def test_the_check_finds_chinese_that_is_not_data() -> None:
    assert chinese_besides("“申请表” must be kept", ["申请表"]) == []
    assert chinese_besides("“申请表”须收取原件", ["申请表"]) != []


@pytest.fixture
def backend(sessions: sessionmaker[Session]) -> LocalQueue:
    seed_hall(sessions)
    return LocalQueue(sessions)


def test_refused_entries_and_live_reasons_in_english(qtbot: QtBot, panel: CasePanel) -> None:
    clerk = Clerk(qtbot)
    table = choose(clerk, panel, "基本养老保险关系转移接续")
    names = [line.name for line in panel.model.lines]
    decision = child(panel, QLabel, "decisionLabel")
    reasons = child(panel, QLabel, "decisionReasons")
    assert decision.text() == "Notify once"
    assert "The materials are incomplete" in reasons.text()
    assert chinese_besides(reasons.text(), names) == []
    clerk.key(table, Qt.Key.Key_1)  # the application form must be kept: refused
    assert decision.text() == "Needs correcting"
    assert "the original must be kept, not checked and returned" in reasons.text()
    assert chinese_besides(reasons.text(), names) == []
    table.setCurrentIndex(table.model().index(0, 0))
    clerk.key(table, Qt.Key.Key_2)  # kept
    clerk.key(table, Qt.Key.Key_4)  # ID card: e-licence
    clerk.key(table, Qt.Key.Key_6)  # tolerated, but no commitment signed
    assert "the applicant has not signed the commitment letter" in reasons.text()
    assert chinese_besides(decision.text() + reasons.text(), names) == []


def test_an_applicant_problem_beside_its_field_in_english(qtbot: QtBot, panel: CasePanel) -> None:
    type_applicant(Clerk(qtbot), panel, id_number=BAD_ID)
    message = panel.applicant_form.messages["id_number"]
    assert (
        message.text() == "The check character of the ID number is wrong; please check the number"
    )


def test_the_kiosk_refuses_a_second_ticket_in_english(qtbot: Any, kiosk: Kiosk) -> None:
    number = resident_id("19900101")
    for _ in range(2):
        child(kiosk, QLineEdit, "idNumber").setText(number)
        tap(qtbot, kiosk, "line_A")
        if kiosk.pages.currentIndex() != 0:
            tap(qtbot, kiosk, "ticketDone")
    text = shown(kiosk, "kioskMessage")
    assert text == (
        "This ID already holds a place in “社保医保” today; one ticket per line."
        " Forgot your number? Please ask at the information desk"
    )
    assert chinese_besides(text, ["社保医保"]) == []


def refusals(desk: Desk, backend: LocalQueue) -> Iterator[UserError]:
    """Real refusals from the services, each caught as the UI catches it."""
    with desk.db.session() as s:
        try:
            get_case(s, "  ")
        except UserError as exc:
            yield exc
    try:
        check_transition("notified", "accepted")
    except UserError as exc:
        yield exc
    try:
        check_transition("accepted", "received")
    except UserError as exc:
        yield exc
    ticket = backend.issue_ticket(KIOSK, "A")
    try:
        backend.start_service(ctx(1, "clerk-7"), ticket.id)
    except UserError as exc:
        yield exc
    try:
        backend.issue_ticket(KIOSK, "A", "priority", None)
    except UserError as exc:
        yield exc


def test_refusals_from_the_services_are_described_in_english(
    desk: Desk, backend: LocalQueue, db: Database
) -> None:
    shown_texts = [describe(exc) for exc in refusals(desk, backend)]
    assert len(shown_texts) == 5
    assert shown_texts[:3] == [
        "No such case: (empty)",
        "The case is “Notified” and can no longer become “Accepted”",
        "A case cannot go from “Accepted” to “Received” (it can become: In department review, "
        "Withdrawn)",
    ]
    assert shown_texts[3].startswith("Ticket A001 is Waiting; only a ticket that is Called")
    for text in shown_texts:
        assert CJK.findall(text) == [], text
