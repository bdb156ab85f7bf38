"""The live decision on the acceptance screen: its title in the decision's colour and its
reasons, which scroll when they are many (a new decision never re-lays out the panel: the
checklist above would be measured and painted again on every key)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.rules.checklist import ChecklistLine
from app.rules.decision import DECISION_LABELS, Decision, DecisionKind
from app.rules.rejection import RejectGround
from ui.actions import ACTIONS
from ui.messages import localise


class RejectionFields(TypedDict):
    reject_ground: str
    refer_to: str | None
    requested_matter: str | None


DECISION_COLOURS: dict[DecisionKind, str] = {
    DecisionKind.ACCEPT: "#1b7f3b",
    DecisionKind.ACCEPT_WITH_GAP: "#a15c00",
    DecisionKind.NOTIFY: "#b3261e",
    DecisionKind.REJECT: "#5f2120",
}


def decision_text(decision: Decision, unchecked: Sequence[ChecklistLine]) -> tuple[str, str, str]:
    """The decision as the panel shows it: (title, colour, reasons), the materials not yet
    checked first, the promised date and the warnings after the reasons."""
    title = localise(decision.label)
    if decision.override is not None:
        title += QCoreApplication.translate("CasePanel", "（规则的决定：%1）").replace(
            "%1", localise(DECISION_LABELS[decision.rule_kind])
        )
    lines = [f"• {localise(r)}" for r in decision.reasons]
    if decision.promised_date is not None:
        lines.append(
            QCoreApplication.translate("CasePanel", "• 承诺办结日期：%1").replace(
                "%1",
                format(
                    decision.promised_date, QCoreApplication.translate("CasePanel", "%Y年%m月%d日")
                ),
            )
        )
    if unchecked:
        lines.insert(
            0,
            QCoreApplication.translate("CasePanel", "还有%1项材料未核对（暂按未提供计）：%2")
            .replace("%1", str(len(unchecked)))
            .replace(
                "%2",
                QCoreApplication.translate("CasePanel", "、").join(line.name for line in unchecked),
            ),
        )
    lines += [f"⚠ {localise(w)}" for w in decision.warnings]
    return title, DECISION_COLOURS[decision.kind], "\n".join(lines)


class DecisionView(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("受理决定（随核对实时更新）"))
        self.setObjectName("decisionBox")
        self.heading = QLabel(self)
        self.heading.setObjectName("decisionLabel")
        self.heading.setAccessibleName(self.tr("受理决定"))
        self.reasons = QLabel(self)
        self.reasons.setObjectName("decisionReasons")
        self.reasons.setAccessibleName(self.tr("决定的理由"))
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.PlainText)
        self.reasons.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.reasons.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.reasons_area = area = QScrollArea(self)
        area.setObjectName("decisionReasonsArea")
        area.setAccessibleName(self.tr("决定的理由"))
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidgetResizable(True)
        area.setWidget(self.reasons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(area, 1)

    def show_decision(self, title: str, colour: str, reasons: str) -> None:
        self.heading.setText(title)
        self.heading.setStyleSheet(f"color: {colour}; font-size: 20px; font-weight: bold;")
        self.reasons.setText(reasons)
        self.heading.setAccessibleDescription(reasons)


class DecisionActions(QWidget):
    """Beside the decision: the signed commitment, the reason for a rejection, the manager's
    override and the one action, 保存并打印, with the panel's message under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.commitment = QCheckBox(self.tr("申请人已签署容缺承诺书"), self)
        self.commitment.setObjectName("commitmentSigned")
        self.commitment.setAccessibleName(self.tr("申请人已签署容缺承诺书"))
        self.reject = QLineEdit(self)
        self.reject.setObjectName("rejectReason")
        self.reject.setAccessibleName(self.tr("不予受理的原因"))
        self.reject.setPlaceholderText(self.tr("不予受理时填写理由"))
        # What a rejection needs besides its reason: its ground, the organ the applicant is
        # referred to where the matter is not this organ's, and the request named in free
        # text when the catalogue does not hold it (no matter need be chosen then).
        self.reject_ground = QComboBox(self)
        self.reject_ground.setObjectName("rejectGround")
        self.reject_ground.setAccessibleName(self.tr("不予受理的情形"))
        self.reject_ground.addItem(
            self.tr("不属于本机关职权范围"), RejectGround.NOT_COMPETENT.value
        )
        self.reject_ground.addItem(self.tr("其他情形"), RejectGround.OTHER.value)
        self.refer_to = QLineEdit(self)
        self.refer_to.setObjectName("rejectReferTo")
        self.refer_to.setAccessibleName(self.tr("告知申请人向其申请的机关"))
        self.refer_to.setPlaceholderText(self.tr("应向哪个机关申请"))
        self.requested_matter = QLineEdit(self)
        self.requested_matter.setObjectName("rejectRequestedMatter")
        self.requested_matter.setAccessibleName(self.tr("目录中没有的申请事项"))
        self.requested_matter.setPlaceholderText(self.tr("目录中没有的事项，写明申请人要办的事"))
        self.override = self._button(
            "overrideButton", self.tr("负责人批准改变决定…"), self.tr("负责人批准改变受理决定")
        )
        self.save = self._button(
            "saveAndPrintButton", ACTIONS.spec("saveCase").button_text(), self.tr("保存并打印")
        )
        self.save.setDefault(False)
        self.save.setMinimumHeight(44)
        self.save.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.message = QLabel(self)
        self.message.setObjectName("caseMessage")
        self.message.setAccessibleName(self.tr("提示"))
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # Room for four lines, whatever it says: a message never moves the rest of the panel.
        self.message.setFixedHeight(self.message.fontMetrics().lineSpacing() * 4 + 4)
        grid = QGridLayout(self)
        grid.addWidget(self.commitment, 0, 0, 1, 2)
        grid.addWidget(QLabel(self.tr("不予受理"), self), 1, 0)
        grid.addWidget(self.reject, 1, 1)
        # One field a line, as wide as the column: a narrow column (1366×768, English) cuts
        # no placeholder short.
        grid.addWidget(self.reject_ground, 2, 0, 1, 2)
        grid.addWidget(self.refer_to, 3, 0, 1, 2)
        grid.addWidget(self.requested_matter, 4, 0, 1, 2)
        grid.addWidget(self.override, 5, 0, 1, 2)
        grid.addWidget(self.save, 6, 0, 1, 2)
        grid.addWidget(self.message, 7, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(8, 1)
        self.setMinimumWidth(260)

    def names_a_request(self) -> bool:
        """A rejection of a request the catalogue does not hold: no matter is chosen."""
        return bool(self.reject.text().strip() and self.requested_matter.text().strip())

    def rejection_kwargs(self) -> RejectionFields:
        """The rejection's ground, referral and free-text request, for saving the case."""
        return {
            "reject_ground": str(self.reject_ground.currentData()),
            "refer_to": self.refer_to.text().strip() or None,
            "requested_matter": self.requested_matter.text().strip() or None,
        }

    def clear_rejection(self) -> None:
        for edit in (self.reject, self.refer_to, self.requested_matter):
            edit.clear()
        self.reject_ground.setCurrentIndex(0)

    def _button(self, name: str, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setAutoDefault(False)
        return button
