"""Wording (issue 9, fix 12): an organisation's agent is its 经办人 in labels and messages
alike, a person's its 代理人; requirements are worded per material; English says no
"1 copies"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.paths import TRANSLATIONS_DIR
from app.rules.checklist import requirement_text
from tests.test_ui_case_form import GOOD_ID, GOOD_USCC
from tests.test_ui_case_panel import ime_type
from ui.applicant_form import ApplicantForm


def _texts(form: ApplicantForm) -> str:
    labels = [w.text() for w in form.findChildren(QLabel) if w.isVisible()]
    names = [form.agent_name_edit.accessibleName(), form.agent_id_edit.accessibleName()]
    problems = list(form.problems().values())
    return "\n".join([*labels, *names, *problems])


@pytest.mark.parametrize(
    ("org", "word", "other"), [(True, "经办人", "代理人"), (False, "代理人", "经办人")]
)
def test_agent_labels_and_messages_say_the_same_word(
    qtbot: QtBot, org: bool, word: str, other: str
) -> None:
    form = ApplicantForm()
    qtbot.addWidget(form)
    form.show()
    if org:
        qtbot.mouseClick(form.org_radio, Qt.MouseButton.LeftButton)
        ime_type(form.name_edit, "白城市某某商贸有限公司")
        qtbot.keyClicks(form.id_edit, GOOD_USCC)
    else:
        ime_type(form.name_edit, "王䶮")
        qtbot.keyClicks(form.id_edit, GOOD_ID)
        form.agent_check.setChecked(True)
    qtbot.keyClicks(form.phone_edit, "13912345678")
    qtbot.keyClicks(form.agent_phone_edit, "123")  # a bad phone: its message names the field
    text = _texts(form)
    assert word in text and other not in text
    assert f"{word}电话" in text and f"请填写{word}身份证号码" in text


@pytest.mark.parametrize(
    ("form", "copies", "role", "text"),
    [
        ("original_kept", 1, "application_form", "填写完整的原件1份"),
        ("original_kept", 2, "photo", "2张"),
        ("original_kept", 1, "other", "原件1份（收取）"),
        ("original_checked", 1, "agent_identity", "原件（核验后退还），另交复印件1份"),
        ("original_checked", 0, "applicant_identity", "原件（核验后退还）"),
        ("copy", 3, "other", "复印件3份"),
        ("electronic", 0, "other", "电子材料"),
    ],
)
def test_requirements_are_worded_per_material(form: str, copies: int, role: str, text: str) -> None:
    assert requirement_text(form, copies, role) == text


def test_english_never_says_one_copies(qtbot: QtBot) -> None:
    translator = QTranslator()
    assert translator.load("onewindow_en", str(TRANSLATIONS_DIR))
    for context, source in [
        ("ChecklistModel", "%1，复印件%2份"),
        ("Messages", "「{material}」须提供复印件{needed}份，现为{copies}份"),
        ("Messages", "「{material}」须另收复印件{needed}份，现为{copies}份"),
        ("Messages", "{status}，另收复印件{copies}份"),
    ]:
        english = translator.translate(context, source)
        assert english and "copies" in english
        for n in ("%2", "{needed}", "{copies}"):
            assert f"{n} copies" not in english
    assert QCoreApplication.instance() is not None
