"""The applicant form and the checklist table, on their own (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app.rules.checklist import MaterialSpec, MatterSpec, build_checklist
from app.rules.decision import RECEIVED_STATUSES, MaterialEntry, MaterialStatus, entry_problem
from app.rules.identity import id_check_char, uscc_check_char
from ui.applicant_form import (
    ApplicantForm,
    FieldState,
    id_number_state,
    phone_state,
    uscc_state,
)
from ui.checklist_model import (
    ChecklistModel,
    ChecklistView,
    as_required_status,
    default_entry,
    legend_text,
)


def ime_type(widget: QWidget, text: str) -> None:
    """Chinese arrives through the input method as committed text (QTest can only type
    ASCII keys)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


GOOD_ID = "22080219800101001" + id_check_char("22080219800101001")
GOOD_USCC = "91220800MA0Y12345"
GOOD_USCC += uscc_check_char(GOOD_USCC)
BAD_CHECK_ID = GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1")


@pytest.mark.parametrize(
    ("typed", "message", "error"),
    [
        ("", "", False),
        ("22080", "还差13位", False),
        ("2208021980010100", "还差2位", False),
        ("22080a", "身份证号码含有不允许的字符：A", True),
        ("2208X", "身份证号码含有不允许的字符：X", True),
        (BAD_CHECK_ID, "身份证号码校验位不正确，请核对号码", True),
        (GOOD_ID, "✓", False),
        (GOOD_ID + "1", "身份证号码应为18位，现为19位", True),
    ],
)
def test_id_number_state_as_typed(typed: str, message: str, error: bool) -> None:
    state = id_number_state(typed)
    assert (state.message, state.error) == (message, error)


@pytest.mark.parametrize(
    ("typed", "error"),
    [("9122", False), (GOOD_USCC, False), (GOOD_USCC[:17] + "I", True), ("91O", True)],
)
def test_uscc_state(typed: str, error: bool) -> None:
    assert uscc_state(typed).error is error


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("139", False),
        ("13912345678", False),
        ("0436-3234567", False),
        ("0436", False),
        ("12345", False),
        ("139123456789", True),
        ("0436-1234567", True),
        ("13a", True),
    ],
)
def test_phone_state(typed: str, error: bool) -> None:
    assert phone_state(typed).error is error


def test_bad_id_shown_beside_field_as_typed(qtbot: QtBot) -> None:
    form = ApplicantForm()
    qtbot.addWidget(form)
    form.show()
    edit = form.findChild(QLineEdit, "applicantIdNumber")
    assert edit is not None
    message = form.messages["id_number"]
    qtbot.keyClicks(edit, GOOD_ID[:10])
    assert message.text() == "还差8位"
    assert message.property("error") is False
    qtbot.keyClicks(edit, BAD_CHECK_ID[10:])
    assert message.text() == "身份证号码校验位不正确，请核对号码"
    assert message.property("error") is True
    # beside the field: same grid row, to its right
    assert message.geometry().top() < edit.geometry().bottom()
    assert message.geometry().left() >= edit.geometry().right()
    assert "id_number" in form.problems()


def test_org_uses_uscc_and_needs_an_agent(qtbot: QtBot) -> None:
    form = ApplicantForm()
    qtbot.addWidget(form)
    form.show()
    assert not form.agent_name_edit.isVisible()
    qtbot.mouseClick(form.org_radio, Qt.MouseButton.LeftButton)
    assert form.id_label.text() == "统一社会信用代码"
    # an organisation always acts through a person: the agent fields are required
    assert form.agent_check.isChecked() and not form.agent_check.isEnabled()
    assert form.agent_name_edit.isVisible()
    ime_type(form.name_edit, "白城市某某商贸有限公司")
    qtbot.keyClicks(form.id_edit, GOOD_USCC.lower())
    qtbot.keyClicks(form.phone_edit, "13912345678")
    assert set(form.problems()) == {"agent_name", "agent_id_number"}
    ime_type(form.agent_name_edit, "张三")
    assert set(form.problems()) == {"agent_id_number"}
    qtbot.keyClicks(form.agent_id_edit, GOOD_ID)
    assert form.problems() == {}
    applicant = form.applicant()
    assert applicant.kind == "org"
    assert applicant.id_number == GOOD_USCC
    assert (applicant.agent_name, applicant.agent_id_number) == ("张三", GOOD_ID)
    assert applicant.agent_phone is None


def test_person_agent_is_optional(qtbot: QtBot) -> None:
    form = ApplicantForm()
    qtbot.addWidget(form)
    ime_type(form.name_edit, "王䶮")
    qtbot.keyClicks(form.id_edit, GOOD_ID)
    qtbot.keyClicks(form.phone_edit, "0436-3234567")
    assert form.problems() == {}
    assert form.applicant().agent_name is None
    form.agent_check.setChecked(True)
    assert set(form.problems()) == {"agent_name", "agent_id_number"}


def test_empty_fields_become_errors_only_after_a_save_attempt(qtbot: QtBot) -> None:
    form = ApplicantForm()
    qtbot.addWidget(form)
    assert form.messages["name"].text() == ""
    form.show_all_problems()
    assert form.messages["name"].text() == "请填写申请人姓名"
    assert form.messages["name"].property("error") is True
    assert form.messages["phone"].text() == "请填写联系电话"
    # a number still being typed becomes an error after the attempt, too
    qtbot.keyClicks(form.id_edit, "2208")
    assert form.messages["id_number"].property("error") is True
    assert form.messages["id_number"].text() == "身份证号码应为18位，现为4位"


def test_every_interactive_widget_is_named(qtbot: QtBot) -> None:
    form = ApplicantForm()
    qtbot.addWidget(form)
    for edit in form._edits.values():
        assert edit.objectName() and edit.accessibleName()
    for w in (form.person_radio, form.org_radio, form.agent_check):
        assert w.objectName() and w.accessibleName()


# --- checklist -------------------------------------------------------------------------------

ID_CARD = MaterialSpec("M001", "居民身份证", "original_checked")
FORM = MaterialSpec("M002", "申请表", "original_kept")
LEASE = MaterialSpec("M003", "房屋租赁合同", "copy", copies=2, tolerable=True)
PLAN = MaterialSpec("M004", "平面图", "copy", necessity="optional")
MATTER = MatterSpec(
    "X1", "个体工商户设立登记", 5, 20, allows_gap=True, materials=(ID_CARD, FORM, LEASE, PLAN)
)


@pytest.fixture
def view(qtbot: QtBot) -> ChecklistView:
    model = ChecklistModel()
    view = ChecklistView(model)
    qtbot.addWidget(view)
    model.set_checklist(build_checklist([MATTER]), {"X1": "个体工商户设立登记"})
    view.show()
    view.setFocus()
    return view


def status_cells(view: ChecklistView) -> list[str]:
    m = view.model()
    return [m.index(r, ChecklistModel.COL_STATUS).data() for r in range(m.rowCount())]


def test_one_key_per_status_moves_to_next_line(qtbot: QtBot, view: ChecklistView) -> None:
    model = view._model
    assert status_cells(view) == ["未核对"] * 4
    qtbot.keyClick(view, Qt.Key.Key_1)
    qtbot.keyClick(view, Qt.Key.Key_2)
    qtbot.keyClick(view, Qt.Key.Key_6)
    qtbot.keyClick(view, Qt.Key.Key_8)
    entries = model.entries()
    assert entries["M001"] == MaterialEntry(MaterialStatus.RECEIVED_ORIGINAL_CHECKED)
    assert entries["M002"].status is MaterialStatus.RECEIVED_ORIGINAL_KEPT
    assert entries["M003"].status is MaterialStatus.TOLERATED
    assert entries["M004"].status is MaterialStatus.NOT_APPLICABLE
    assert status_cells(view) == ["原件已核验", "原件已收取", "容缺", "不适用"]
    # arrows move; a second key replaces the status
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.current_row() == 1
    qtbot.keyClick(view, Qt.Key.Key_5)
    assert model.entries()["M002"].status is MaterialStatus.MISSING


def test_copies_key_and_plus_minus(qtbot: QtBot, view: ChecklistView) -> None:
    view.selectRow(2)
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert view._model.entries()["M003"] == MaterialEntry(MaterialStatus.RECEIVED_COPIES, 2)
    view.selectRow(2)
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view._model.entries()["M003"].copies == 1
    assert view._model.problems() == ["「房屋租赁合同」须提供复印件2份，现为1份"]
    assert status_cells(view)[2].startswith("⚠")


def test_space_receives_as_required(qtbot: QtBot, view: ChecklistView) -> None:
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert [e.status for e in view._model.entries().values()] == [
        MaterialStatus.RECEIVED_ORIGINAL_CHECKED,
        MaterialStatus.RECEIVED_ORIGINAL_KEPT,
        MaterialStatus.RECEIVED_COPIES,
    ]
    assert view._model.problems() == []
    assert [line.code for line in view._model.unchecked()] == ["M004"]


def test_defective_asks_the_reason(qtbot: QtBot, view: ChecklistView) -> None:
    answers: list[str | None] = [None, "复印件模糊"]
    view.ask_reason = lambda _name: answers.pop(0)
    qtbot.keyClick(view, Qt.Key.Key_7)  # cancelled: nothing recorded, stays on the line
    assert view._model.entries() == {}
    assert view.current_row() == 0
    qtbot.keyClick(view, Qt.Key.Key_7)
    assert view._model.entries()["M001"] == MaterialEntry(
        MaterialStatus.DEFECTIVE, defect_reason="复印件模糊"
    )
    assert status_cells(view)[0] == "有瑕疵：复印件模糊"


def test_carried_over_entries_keep_only_listed_materials() -> None:
    model = ChecklistModel()
    model.set_checklist(
        build_checklist([MATTER]),
        {},
        {
            "M001": MaterialEntry(MaterialStatus.RECEIVED_ORIGINAL_CHECKED),
            "GONE": MaterialEntry(MaterialStatus.MISSING),
        },
    )
    assert set(model.entries()) == {"M001"}
    assert model.index(0, ChecklistModel.COL_MATTERS).data() == "X1"


def test_legend_lists_every_key() -> None:
    text = legend_text()
    for part in ("1 原件核验", "2 原件收取", "3 复印件", "4 电子证照", "5 缺", "6 容缺", "7 有误"):
        assert part in text


# --- invariants ----------------------------------------------------------------------------------

FORMS = ("original_checked", "original_kept", "copy", "electronic")


@given(
    form=st.sampled_from(FORMS),
    copies=st.integers(min_value=0, max_value=5),
    source=st.sampled_from(("applicant", "department", "e_licence")),
    necessity=st.sampled_from(("required", "conditional", "optional")),
)
def test_space_always_gives_an_acceptable_entry(
    form: str, copies: int, source: str, necessity: str
) -> None:
    """ "As required" (the space bar) never records something the line does not allow."""
    spec = MaterialSpec(
        "X",
        "材料",
        form,  # type: ignore[arg-type]
        copies=copies,
        source=source,  # type: ignore[arg-type]
        necessity=necessity,  # type: ignore[arg-type]
    )
    line = build_checklist([MatterSpec("M", "事项", 5, 20, materials=(spec,))])[0]
    entry = default_entry(line, as_required_status(line))
    assert entry_problem(line, entry) is None
    assert entry.status in RECEIVED_STATUSES


@given(st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_typing_a_valid_id_never_shows_red_before_it_is_complete(digits: str) -> None:
    first17 = "22" + digits[:4] + "19800101" + digits[4:]  # region, birth date, sequence
    number = first17 + id_check_char(first17)
    for end in range(1, 18):
        assert id_number_state(number[:end]).error is False
    assert id_number_state(number) == FieldState("✓", False)


def test_enter_moves_through_the_fields_then_finishes(qtbot: QtBot) -> None:
    form = ApplicantForm()
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    finished: list[bool] = []
    form.finished.connect(lambda: finished.append(True))
    form.name_edit.setFocus()
    qtbot.keyClick(form.name_edit, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is form.id_edit
    qtbot.keyClick(form.id_edit, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is form.phone_edit
    qtbot.keyClick(form.phone_edit, Qt.Key.Key_Return)
    assert finished == [True]
    form.agent_check.setChecked(True)  # an agent: the phone leads on to the agent's name
    qtbot.keyClick(form.phone_edit, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is form.agent_name_edit and finished == [True]
