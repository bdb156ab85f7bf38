"""不予受理 at the desk (issue 9, fix 9): it needs its reason, never every material marked; a
request the catalogue does not hold is named in free text; where the matter is not this
organ's, the organ to apply to must be named, or the desk refuses the save."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models.case import Case
from tests.test_ui_case_panel import (
    Clerk,
    Desk,
    child,
    choose,
    counts,
    desk,
    panel,
    type_applicant,
    when_dialog,
)
from ui.case_panel import CasePanel

__all__ = ["desk", "panel"]


def test_a_rejection_needs_its_referral_not_every_material(
    qtbot: QtBot, desk: Desk, panel: CasePanel
) -> None:
    clerk = Clerk(qtbot)
    type_applicant(clerk, panel)
    choose(clerk, panel, "食品经营许可")  # nothing marked
    clerk.type(child(panel, QLineEdit, "rejectReason"), "经营场所不在本市")
    before = counts(desk.db)
    clerk.click(child(panel, QPushButton, "saveAndPrintButton"))
    assert panel.ops.wait_idle()
    assert counts(desk.db) == before
    assert "请填写受理机关" in panel.message.text()

    clerk.type(child(panel, QLineEdit, "rejectReferTo"), "长春市市场监督管理局")
    when_dialog(qtbot, lambda d: d.reject())
    clerk.click(child(panel, QPushButton, "saveAndPrintButton"))
    assert panel.ops.wait_idle()
    with desk.db.read() as s:
        case = s.scalars(select(Case)).one()
        assert (case.status, case.reject_ground, case.refer_to) == (
            "rejected",
            "not_competent",
            "长春市市场监督管理局",
        )


def test_a_request_the_catalogue_does_not_hold_is_named_in_free_text(
    qtbot: QtBot, desk: Desk, panel: CasePanel
) -> None:
    clerk = Clerk(qtbot)
    type_applicant(clerk, panel)
    clerk.type(child(panel, QLineEdit, "rejectReason"), "药品批发由省级药品监督管理部门许可")
    clerk.type(child(panel, QLineEdit, "rejectRequestedMatter"), "药品批发企业经营许可")
    clerk.type(child(panel, QLineEdit, "rejectReferTo"), "吉林省药品监督管理局")
    ground = child(panel, QComboBox, "rejectGround")
    assert ground.currentData() == "not_competent"
    when_dialog(qtbot, lambda d: d.reject())
    clerk.click(child(panel, QPushButton, "saveAndPrintButton"))
    assert panel.ops.wait_idle()
    with desk.db.read() as s:
        case = s.scalars(select(Case)).one()
        assert case.status == "rejected"
        assert [m.matter_name for m in case.matters] == ["药品批发企业经营许可"]
    # The next applicant starts with a clean rejection.
    panel.new_case()
    assert child(panel, QLineEdit, "rejectRequestedMatter").text() == ""
    assert child(panel, QLineEdit, "rejectReferTo").text() == ""
