"""The live decision on the acceptance screen: its title in the decision's colour and its
reasons, which scroll when they are many (a new decision never re-lays out the panel: the
checklist above would be measured and painted again on every key)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.rules.decision import DecisionKind

DECISION_COLOURS: dict[DecisionKind, str] = {
    DecisionKind.ACCEPT: "#1b7f3b",
    DecisionKind.ACCEPT_WITH_GAP: "#a15c00",
    DecisionKind.NOTIFY: "#b3261e",
    DecisionKind.REJECT: "#5f2120",
}


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
        area = QScrollArea(self)
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
