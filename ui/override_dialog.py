"""A hall manager's approval to decide a case otherwise than the rules did (e.g. accept a case
the rules would notify, because the missing proof was fetched by phone). The manager's staff
number and the reason are recorded with the case; the rules' own decision is kept beside it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.rules.decision import DECISION_LABELS, DecisionKind, Override
from ui.messages import describe, localise

REASON_MIN_LENGTH = 4


class OverrideDialog(QDialog):
    """Choose the decision, the approving manager (who types their own password or PIN) and
    the reason. `override()` is the result
    after the dialog was accepted."""

    def __init__(
        self,
        rule_kind: DecisionKind,
        managers: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
        *,
        verify: Callable[[Override, Callable[[], None], Callable[[BaseException], None]], None]
        | None = None,
    ) -> None:
        """`managers`: (staff number, name) of the hall's managers; `rule_kind`: what the
        rules decided, which is not offered again. `verify(override, passed, refused)`: the
        manager's credential checked on the spot (on the worker; failures count towards the
        account's lock) before the dialog closes; the save checks it again in the core."""
        super().__init__(parent)
        self._verify = verify
        self.setObjectName("overrideDialog")
        self.setAccessibleName(self.tr("负责人批准改变受理决定"))
        self.setWindowTitle(self.tr("负责人批准改变受理决定"))
        self.rule_kind = rule_kind

        intro = QLabel(
            self.tr("规则的决定是「%1」。改变它须经大厅负责人批准，并记录理由。").replace(
                "%1", localise(DECISION_LABELS[rule_kind])
            ),
            self,
        )
        intro.setWordWrap(True)
        self.decision_combo = QComboBox(self)
        self.decision_combo.setObjectName("overrideDecision")
        self.decision_combo.setAccessibleName(self.tr("改为的决定"))
        for kind in DecisionKind:
            if kind is not rule_kind:
                self.decision_combo.addItem(localise(DECISION_LABELS[kind]), kind.value)
        self.manager_combo = QComboBox(self)
        self.manager_combo.setObjectName("overrideManager")
        self.manager_combo.setAccessibleName(self.tr("批准的负责人"))
        for staff_no, name in managers:
            self.manager_combo.addItem(
                self.tr("%1（%2）").replace("%1", name).replace("%2", staff_no), staff_no
            )
        # The manager's own password or PIN, typed here: the core checks it when the case is
        # saved (app.services.intake), so naming a manager is not an approval.
        self.credential_edit = QLineEdit(self)
        self.credential_edit.setObjectName("overrideCredential")
        self.credential_edit.setAccessibleName(self.tr("负责人本人的密码或PIN"))
        self.credential_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setObjectName("overrideReason")
        self.reason_edit.setAccessibleName(self.tr("改变决定的理由"))
        self.reason_edit.setPlaceholderText(self.tr("例如：产权证明已通过数据共享核实"))
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(80)
        self.message = QLabel(self)
        self.message.setObjectName("overrideMessage")
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("改为"), self.decision_combo)
        form.addRow(self.tr("批准人"), self.manager_combo)
        form.addRow(self.tr("密码或PIN"), self.credential_edit)
        form.addRow(self.tr("理由"), self.reason_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.setObjectName("overrideButtons")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("确认批准"))
        ok.setObjectName("overrideOk")
        ok.setAccessibleName(self.tr("确认批准"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("取消"))
        cancel.setObjectName("overrideCancel")
        cancel.setAccessibleName(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if not managers:
            self.message.setText(self.tr("大厅配置中没有负责人，无法批准改变决定。"))
            ok.setEnabled(False)

    def override(self) -> Override:
        return Override(
            decision=DecisionKind(self.decision_combo.currentData()),
            reason=self.reason_edit.toPlainText().strip(),
            manager_id=str(self.manager_combo.currentData() or ""),
            credential=self.credential_edit.text(),
        )

    def accept(self) -> None:
        """Refuse to close without a manager and a real reason."""
        if not self.manager_combo.currentData():
            self.message.setText(self.tr("请选择批准的负责人"))
            return
        if not self.credential_edit.text():
            self.message.setText(self.tr("请负责人输入本人的密码或PIN"))
            self.credential_edit.setFocus()
            return
        if len(self.reason_edit.toPlainText().strip()) < REASON_MIN_LENGTH:
            self.message.setText(
                self.tr("请填写理由（至少%1个字）").replace("%1", str(REASON_MIN_LENGTH))
            )
            self.reason_edit.setFocus()
            return
        if self._verify is None:
            super().accept()
            return
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self._verify(self.override(), self._verified, self._refused)

    def _verified(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        super().accept()

    def _refused(self, exc: BaseException) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        self.credential_edit.clear()
        self.credential_edit.setFocus()
        self.message.setText(describe(exc))
