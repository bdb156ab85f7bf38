"""The applicant's details at the counter: a person (ID number) or an organisation (unified
social credit code), name, phone, and an optional agent (代理人/经办人).

Each field is checked as it is typed, by the rules' own checks (app.rules.identity), and the
problem is shown BESIDE the field. Before saving, `problems()` asks the cases service
(`applicant_problems`), the same check `save_case` makes, so the form never lets through what
the service would refuse. A number still being typed (too short, nothing wrong yet)
shows how many characters are left in grey instead of an error, so the clerk is not shouted
at while typing; once it is complete or wrong the message turns red. Nothing here saves: the
panel asks `problems()` before it saves and the service checks again."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from app.privacy import mask_id_number, mask_phone
from app.rules.identity import (
    ORG_NAME_MAX_LENGTH,
    USCC_ALPHABET,
    check_id_number,
    check_name,
    check_phone,
    check_uscc,
    normalise_id_number,
    normalise_name,
    normalise_phone,
)
from app.services.applicant import ApplicantData, applicant_problems
from ui.messages import localise

if TYPE_CHECKING:  # the papers' model: not imported for the first paint
    from app.printing.model import ApplicantKind

ERROR_STYLE = "color: #b3261e;"
HINT_STYLE = "color: #6b6b6b;"
OK_STYLE = "color: #1b7f3b;"

# Field keys: the same names the cases service uses for its problems dict.
FIELDS = ("name", "id_number", "phone", "agent_name", "agent_id_number", "agent_phone")


@dataclass(frozen=True)
class FieldState:
    """What to show beside a field: `message` ('' for nothing), and whether it is an error
    (red, blocks saving) or only a typing hint (grey)."""

    message: str
    error: bool


def _id_like_state(
    value: str, what: str, check: Callable[[str], str | None], bad_chars: Callable[[str], str]
) -> FieldState:
    """A number still being typed (shorter than 18, nothing wrong yet) gets a grey hint; a
    wrong character is named at once; a complete one gets the rules' verdict."""
    if not value:
        return FieldState("", False)
    bad = bad_chars(value)
    if bad:
        return FieldState(
            QCoreApplication.translate("ApplicantForm", "%1含有不允许的字符：%2")
            .replace("%1", what)
            .replace("%2", bad),
            True,
        )
    if len(value) < 18:
        return FieldState(
            QCoreApplication.translate("ApplicantForm", "还差%1位").replace(
                "%1", str(18 - len(value))
            ),
            False,
        )
    problem = check(value)
    return FieldState(localise(problem), True) if problem else FieldState("✓", False)


def _id_bad_chars(value: str) -> str:
    # Digits everywhere; X only as the 18th (check) character.
    bad = [
        c
        for i, c in enumerate(value[:18])
        if not (c.isascii() and c.isdigit()) and not (i == 17 and c == "X")
    ]
    return "".join(dict.fromkeys(bad))


def _uscc_bad_chars(value: str) -> str:
    return "".join(dict.fromkeys(c for c in value if c not in USCC_ALPHABET))


def id_number_state(raw: str) -> FieldState:
    return _id_like_state(
        normalise_id_number(raw),
        QCoreApplication.translate("ApplicantForm", "身份证号码"),
        check_id_number,
        _id_bad_chars,
    )


def uscc_state(raw: str) -> FieldState:
    return _id_like_state(
        normalise_id_number(raw),
        QCoreApplication.translate("ApplicantForm", "统一社会信用代码"),
        check_uscc,
        _uscc_bad_chars,
    )


def phone_state(raw: str) -> FieldState:
    value = normalise_phone(raw)
    if not value:
        return FieldState("", False)
    problem = check_phone(value)
    if problem is None:
        return FieldState("✓", False)
    if value.startswith("1") and value.isdigit() and len(value) < 11:
        return FieldState(
            QCoreApplication.translate("ApplicantForm", "还差%1位").replace(
                "%1", str(11 - len(value))
            ),
            False,
        )
    digits = value.replace("-", "")
    if digits.isascii() and digits.isdigit() and not value.startswith("1") and len(digits) < 7:
        return FieldState("", False)  # a landline still being typed
    return FieldState(localise(problem), True)


def name_state(raw: str, *, org: bool, what: str) -> FieldState:
    if not raw.strip():
        return FieldState("", False)
    limit = ORG_NAME_MAX_LENGTH if org else 50
    problem = check_name(raw, max_length=limit, what=what)
    return FieldState(localise(problem), True) if problem else FieldState("", False)


class ApplicantForm(QWidget):
    """Applicant fields with their messages beside them. `changed` fires on every edit."""

    changed = Signal()
    finished = Signal()  # Enter in the last visible field: on to the matters

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("applicantForm")
        self._show_empty = False  # after a save attempt, empty required fields are errors

        self.person_radio = QRadioButton(self.tr("个人"), self)
        self.person_radio.setObjectName("applicantPerson")
        self.person_radio.setAccessibleName(self.tr("申请人类型：个人"))
        self.org_radio = QRadioButton(self.tr("法人或其他组织"), self)
        self.org_radio.setObjectName("applicantOrg")
        self.org_radio.setAccessibleName(self.tr("申请人类型：法人或其他组织"))
        self.person_radio.setChecked(True)
        self._kind_group = QButtonGroup(self)
        self._kind_group.addButton(self.person_radio)
        self._kind_group.addButton(self.org_radio)

        self.name_edit = self._edit("applicantName", self.tr("申请人姓名"), 100)
        self.id_edit = self._edit("applicantIdNumber", self.tr("身份证号码"), 24)
        self.phone_edit = self._edit("applicantPhone", self.tr("联系电话"), 24)
        self.agent_check = QCheckBox(self.tr("代理人办理"), self)
        self.agent_check.setObjectName("applicantHasAgent")
        self.agent_check.setAccessibleName(self.tr("由代理人办理"))
        self.agent_name_edit = self._edit("agentName", self.tr("代理人姓名"), 50)
        self.agent_id_edit = self._edit("agentIdNumber", self.tr("代理人身份证号码"), 24)
        self.agent_phone_edit = self._edit("agentPhone", self.tr("代理人联系电话（可不填）"), 24)

        self.name_label = QLabel(self.tr("姓名"), self)
        self.id_label = QLabel(self.tr("身份证号码"), self)
        self.agent_name_label = QLabel(self.tr("代理人姓名"), self)
        self.agent_id_label = QLabel(self.tr("代理人身份证"), self)
        self.agent_phone_label = QLabel(self.tr("代理人电话"), self)
        self.messages: dict[str, QLabel] = {}
        for key in FIELDS:
            label = QLabel(self)
            label.setObjectName(f"{key}Message")
            label.setAccessibleName(self.tr("输入提示"))
            label.setWordWrap(True)
            label.setMinimumWidth(150)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            self.messages[key] = label

        kind_row = QHBoxLayout()
        kind_row.addWidget(self.person_radio)
        kind_row.addWidget(self.org_radio)
        kind_row.addStretch(1)
        # A returning applicant's numbers are masked until revealed (an event: ui/number_reveal).
        self._held: dict[str, str] = {}
        self.reveal_button = QPushButton(self.tr("显示完整号码"), self)
        self.reveal_button.setObjectName("revealNumbersButton")
        self.reveal_button.setAccessibleName(self.tr("显示完整的证件号码和电话（将被记录）"))
        # On hover too: that the reveal is recorded, and its key.
        self.reveal_button.setToolTip(f"{self.reveal_button.accessibleName()}  Ctrl+Shift+I")
        self.reveal_button.hide()
        kind_row.addWidget(self.reveal_button)
        kind_row.addWidget(self.agent_check)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.addLayout(kind_row, 0, 0, 1, 3)
        rows: list[tuple[QLabel, QLineEdit, str]] = [
            (self.name_label, self.name_edit, "name"),
            (self.id_label, self.id_edit, "id_number"),
            (QLabel(self.tr("联系电话"), self), self.phone_edit, "phone"),
            (self.agent_name_label, self.agent_name_edit, "agent_name"),
            (self.agent_id_label, self.agent_id_edit, "agent_id_number"),
            (self.agent_phone_label, self.agent_phone_edit, "agent_phone"),
        ]
        for i, (label, edit, key) in enumerate(rows, start=1):
            label.setBuddy(edit)
            grid.addWidget(label, i, 0)
            grid.addWidget(edit, i, 1)
            grid.addWidget(self.messages[key], i, 2)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)

        self._edits: dict[str, QLineEdit] = {
            "name": self.name_edit,
            "id_number": self.id_edit,
            "phone": self.phone_edit,
            "agent_name": self.agent_name_edit,
            "agent_id_number": self.agent_id_edit,
            "agent_phone": self.agent_phone_edit,
        }
        for key, edit in self._edits.items():
            # Also programmatic changes (a ticket's ID number, a returning applicant).
            edit.textChanged.connect(self._edited)
            edit.returnPressed.connect(lambda k=key: self._next_field(k))
        self.org_radio.toggled.connect(self._kind_changed)
        self.agent_check.toggled.connect(self._agent_toggled)
        self._kind_changed()
        self._agent_toggled(False)

    def _edit(self, name: str, accessible: str, max_length: int) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setMaxLength(max_length)
        return edit

    # --- state -----------------------------------------------------------------------------

    @property
    def kind(self) -> ApplicantKind:
        return "org" if self.org_radio.isChecked() else "person"

    @property
    def has_agent(self) -> bool:
        return self.agent_check.isChecked()

    def _states(self) -> dict[str, FieldState]:
        org = self.kind == "org"
        states = {
            "name": name_state(
                self.name_edit.text(), org=org, what=self.tr("单位名称") if org else self.tr("姓名")
            ),
            "id_number": (uscc_state if org else id_number_state)(self._text("id_number")),
            "phone": phone_state(self._text("phone")),
            "agent_name": FieldState("", False),
            "agent_id_number": FieldState("", False),
            "agent_phone": FieldState("", False),
        }
        if self.has_agent:
            states["agent_name"] = name_state(
                self.agent_name_edit.text(), org=False, what=self._agent_words()[0]
            )
            states["agent_id_number"] = id_number_state(self._text("agent_id_number"))
            states["agent_phone"] = phone_state(self._text("agent_phone"))
        return states

    def problems(self) -> dict[str, str]:
        """Every field that keeps the case from being saved, with its message (also for empty
        or unfinished fields, which the live view only hints at): the cases service's own
        check, the one `save_case` makes."""
        applicant = self.applicant()
        problems: dict[str, str] = dict(applicant_problems(applicant))
        # The service takes an empty agent as "no agent"; a ticked box means one is expected.
        name_word, id_word, _ = self._agent_words()
        if self.has_agent and not applicant.agent_name:
            problems.setdefault("agent_name", check_name("", what=name_word) or "")
        if self.has_agent and not applicant.agent_id_number:
            problems.setdefault("agent_id_number", self.tr("请填写%1").replace("%1", id_word))
        return problems

    def _agent_words(self) -> tuple[str, str, str]:
        """An organisation's agent is its 经办人, a person's its 代理人: labels and messages
        say the same word."""
        if self.kind == "org":
            return self.tr("经办人姓名"), self.tr("经办人身份证号码"), self.tr("经办人电话")
        return self.tr("代理人姓名"), self.tr("代理人身份证号码"), self.tr("代理人电话")

    def applicant(self) -> ApplicantData:
        """The applicant as typed, normalised; agent fields only when an agent is named."""
        agent = self.has_agent
        return ApplicantData(
            kind=self.kind,
            name=normalise_name(self.name_edit.text()),
            id_number=normalise_id_number(self._text("id_number")),
            phone=normalise_phone(self._text("phone")),
            agent_name=normalise_name(self.agent_name_edit.text()) or None if agent else None,
            agent_id_number=(
                normalise_id_number(self._text("agent_id_number")) or None if agent else None
            ),
            agent_phone=normalise_phone(self._text("agent_phone")) or None if agent else None,
        )

    def _text(self, key: str) -> str:
        """A field's value: the held number while it is shown masked, else what is typed."""
        return self._held.get(key) or self._edits[key].text()

    @property
    def masked(self) -> bool:
        return bool(self._held)

    def mask_numbers(self) -> None:
        """Show the ID and phone numbers filled in masked and read-only, holding the values
        (a case saved from here still carries them), until `show_numbers`."""
        masks = {"id_number": mask_id_number, "phone": mask_phone}
        masks |= {"agent_id_number": mask_id_number, "agent_phone": mask_phone}
        for key, mask in masks.items():
            edit = self._edits[key]
            value = edit.text()
            if value:
                self._held[key] = value
                edit.setText(mask(value))
                edit.setReadOnly(True)
        self.reveal_button.setVisible(self.masked)

    def show_numbers(self, applicant: ApplicantData) -> None:
        """The full numbers (once the reveal was recorded), editable again."""
        self._unmask()
        self.set_applicant(applicant)

    def _unmask(self) -> None:
        self._held.clear()
        for key in ("id_number", "phone", "agent_id_number", "agent_phone"):
            self._edits[key].setReadOnly(False)
        self.reveal_button.hide()

    def set_applicant(self, applicant: ApplicantData) -> None:
        """Fill the form (a returning applicant's earlier details)."""
        (self.org_radio if applicant.kind == "org" else self.person_radio).setChecked(True)
        self.name_edit.setText(applicant.name)
        self.id_edit.setText(applicant.id_number)
        self.phone_edit.setText(applicant.phone)
        self.agent_check.setChecked(bool(applicant.agent_name or applicant.agent_id_number))
        self.agent_name_edit.setText(applicant.agent_name or "")
        self.agent_id_edit.setText(applicant.agent_id_number or "")
        self.agent_phone_edit.setText(applicant.agent_phone or "")
        self._refresh()
        self.changed.emit()

    def clear(self) -> None:
        self._unmask()
        for edit in self._edits.values():
            edit.clear()
        self.person_radio.setChecked(True)
        self.agent_check.setChecked(False)
        self._show_empty = False
        self._refresh()

    def show_all_problems(self, extra: Mapping[str, str] | None = None) -> None:
        """After a save attempt: every problem red beside its field, also the service's own
        (`extra`, keyed like FIELDS); the first bad field gets the focus."""
        self._show_empty = True
        self._refresh()
        problems = {**self.problems(), **(extra or {})}
        for key, message in problems.items():
            if key in self.messages:
                self._show(key, FieldState(localise(message), True))
        for key in FIELDS:
            if key in problems:
                self._edits[key].setFocus()
                break

    # --- reactions -------------------------------------------------------------------------

    def _next_field(self, key: str) -> None:
        """Enter moves on, as the Tab key would; after the last field the form is done."""
        order = [k for k in FIELDS if self._edits[k].isVisibleTo(self)]
        following = order[order.index(key) + 1 :] if key in order else []
        if following:
            self._edits[following[0]].setFocus()
        else:
            self.finished.emit()

    def _edited(self, _text: str) -> None:
        self._refresh()
        self.changed.emit()

    def _kind_changed(self) -> None:
        org = self.kind == "org"
        self.name_label.setText(self.tr("单位名称") if org else self.tr("姓名"))
        self.name_edit.setAccessibleName(self.tr("单位名称") if org else self.tr("申请人姓名"))
        self.id_label.setText(self.tr("统一社会信用代码") if org else self.tr("身份证号码"))
        self.id_edit.setAccessibleName(
            self.tr("统一社会信用代码") if org else self.tr("身份证号码")
        )
        self.agent_check.setText(self.tr("经办人") if org else self.tr("代理人办理"))
        # An organisation always acts through a person (经办人): the service requires one.
        if org:
            self.agent_check.setChecked(True)
        self.agent_check.setEnabled(not org)
        self.agent_name_label.setText(self.tr("经办人姓名") if org else self.tr("代理人姓名"))
        self.agent_id_label.setText(self.tr("经办人身份证") if org else self.tr("代理人身份证"))
        self.agent_phone_label.setText(self.tr("经办人电话") if org else self.tr("代理人电话"))
        for edit, text in zip(
            (self.agent_name_edit, self.agent_id_edit), self._agent_words()[:2], strict=True
        ):
            edit.setAccessibleName(text)
        self.agent_phone_edit.setAccessibleName(
            self.tr("经办人联系电话（可不填）") if org else self.tr("代理人联系电话（可不填）")
        )
        self._refresh()
        self.changed.emit()

    def _agent_toggled(self, on: bool) -> None:
        for w in (
            self.agent_name_label,
            self.agent_name_edit,
            self.messages["agent_name"],
            self.agent_id_label,
            self.agent_id_edit,
            self.messages["agent_id_number"],
            self.agent_phone_label,
            self.agent_phone_edit,
            self.messages["agent_phone"],
        ):
            w.setVisible(on)
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        states = self._states()
        # After a save attempt, every problem is an error, also a number still being typed.
        empty_problems = self.problems() if self._show_empty else {}
        for key in FIELDS:
            state = states[key]
            if not state.error and key in empty_problems:
                state = FieldState(empty_problems[key], True)
            self._show(key, state)

    def _show(self, key: str, state: FieldState) -> None:
        label = self.messages[key]
        label.setText(state.message)
        if state.error:
            label.setStyleSheet(ERROR_STYLE)
        elif state.message == "✓":
            label.setStyleSheet(OK_STYLE)
        else:
            label.setStyleSheet(HINT_STYLE)
        label.setProperty("error", state.error)
        edit = self._edits[key]
        edit.setProperty("invalid", state.error)
        # Screen readers hear the problem with the field.
        edit.setAccessibleDescription(state.message if state.error else "")
