"""The acceptance screen's keys (all from the registry, ui/actions.py) and what they ask or
say: whether to throw away a half-entered case, and which papers of the case just saved did
not come out of a printer (Ctrl+P prints them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.accounts import MANAGER_ROLES, policy_from_env, sign_in
from app.rules.decision import Override
from app.services.desk_queries import active_managers
from ui.actions import ACTIONS
from ui.messages import localise
from ui.override_dialog import OverrideDialog

if TYPE_CHECKING:
    from app.services.case_documents import IssuedDocument
    from ui.case_panel import CasePanel
    from ui.printing import PrintOutcome


def install_case_keys(panel: CasePanel) -> dict[str, QAction]:
    """The panel's QActions by registry id: saving (Ctrl+S prints on the remembered
    printers, Ctrl+Shift+S previews first), Ctrl+P for papers not printed, Ctrl+F into the
    matter search, Ctrl+N for a new case (asking first), Delete on the chosen matters, and a
    key each for the 容缺 commitment, the rejection reason and the manager's override."""
    handlers: dict[str, tuple[QWidget, Callable[[], object]]] = {
        "saveCase": (panel, panel.save_and_print),
        "saveCasePreview": (panel, lambda: panel.save_and_print(preview=True)),
        "printPapers": (panel, panel.papers.print_unprinted),
        "focusSearch": (panel, panel.focus_search),
        "newCase": (panel, panel.ask_new_case),
        "removeMatter": (panel.chosen_list, panel.remove_selected_matter),
        "toggleCommitment": (panel, lambda: _toggle(panel)),
        "focusRejectReason": (panel, lambda: _focus_reject(panel)),
        "managerOverride": (panel, lambda: _override(panel)),
    }
    for action_id, control in (
        ("toggleCommitment", panel.commitment_check),
        ("focusRejectReason", panel.reject_edit),
        ("managerOverride", panel.override_button),
    ):
        spec = ACTIONS.spec(action_id)
        control.setToolTip(f"{spec.text()} ({spec.key_text()})")  # the key, where it is used
    return {
        action_id: ACTIONS.create(action_id, widget, slot)
        for action_id, (widget, slot) in handlers.items()
    }


def _toggle(panel: CasePanel) -> None:
    box = panel.commitment_check
    if box.isEnabled():
        box.setChecked(not box.isChecked())
        box.setFocus()
    else:
        panel.say(
            QCoreApplication.translate("CasePanel", "所选事项没有可容缺的材料，无需容缺承诺"),
            error=False,
        )


def _focus_reject(panel: CasePanel) -> None:
    panel.reject_edit.setFocus()
    panel.reject_edit.selectAll()


def _override(panel: CasePanel) -> None:
    if panel.override_button.isEnabled():
        panel.override_button.click()
    else:
        panel.say(
            QCoreApplication.translate("CasePanel", "请先选择事项并核对材料，再由负责人改变决定"),
            error=False,
        )


def confirm_discard(parent: QWidget, what: str) -> bool:
    """Ask before a half-entered case is thrown away; `what` says what the key would do.
    The safe answer (keep it) is the default, so a stray Enter loses nothing."""
    box = QMessageBox(parent)
    box.setObjectName("discardCaseDialog")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("CasePanel", "放弃正在录入的办件？"))
    box.setText(
        QCoreApplication.translate("CasePanel", "正在录入的办件尚未保存。%1").replace("%1", what)
    )
    discard = box.addButton(
        QCoreApplication.translate("CasePanel", "放弃录入"), QMessageBox.ButtonRole.DestructiveRole
    )
    discard.setObjectName("discardButton")
    keep = box.addButton(
        QCoreApplication.translate("CasePanel", "继续录入"), QMessageBox.ButtonRole.RejectRole
    )
    keep.setObjectName("keepButton")
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    focus = QApplication.focusWidget()
    box.exec()
    _back_to(parent, focus)
    return box.clickedButton() is discard


def _back_to(parent: QWidget, focus: QWidget | None) -> None:
    """After a dialog: the desk's window active again, the cursor where it was."""
    parent.window().activateWindow()
    if focus is not None and shiboken6.isValid(focus):
        focus.setFocus()


def unprinted(
    documents: Sequence[IssuedDocument], outcomes: Sequence[PrintOutcome]
) -> list[IssuedDocument]:
    """The papers that did not come out of a printer (cancelled, failed, or only saved)."""
    printed = {id(d) for d, o in zip(documents, outcomes, strict=False) if o.printed}
    return [d for d in documents if id(d) not in printed]


def unprinted_text(documents: Sequence[IssuedDocument]) -> str:
    """One line: which papers were not printed, and the key that prints them."""
    key = ACTIONS.spec("printPapers").key_text()
    names = QCoreApplication.translate("CasePanel", "、").join(
        f"{localise(d.title)} {d.doc_no}" for d in documents
    )
    return (
        QCoreApplication.translate("CasePanel", "文书未打印：%1。按 %2 打印")
        .replace("%1", names)
        .replace("%2", key)
    )


class CasePapers(QObject):
    """The papers of the case just saved, printed (`direct`: on the remembered printers) and
    remembered when they did not come out, so that Ctrl+P prints them through the preview."""

    def __init__(self, panel: CasePanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.unprinted: list[IssuedDocument] = []

    def print(self, documents: list[IssuedDocument], *, direct: bool) -> None:
        from ui.case_papers import print_case_documents  # printing's modules: when printing

        panel = self.panel
        self.unprinted = []
        focus = QApplication.focusWidget()
        print_case_documents(
            panel,
            panel.print_service,
            panel.database,
            panel.ctx,
            documents,
            on_done=lambda outcomes: self._done(documents, outcomes, focus),
            direct=direct,
        )

    def _done(
        self,
        documents: list[IssuedDocument],
        outcomes: list[PrintOutcome],
        focus: QWidget | None,
    ) -> None:
        """Say which papers did not come out (a cancelled preview, a failed or saved print),
        under what was said already; the keys work on where the cursor was."""
        if QApplication.activeModalWidget() is None:
            _back_to(self.panel, focus)
        self.unprinted = unprinted(documents, outcomes)
        if self.unprinted:
            note, said = self.panel.saved_note, self.panel.message.text()
            said = said.removeprefix(note).strip()
            lines = [note, said, unprinted_text(self.unprinted)]
            self.panel.say("\n".join(t for t in lines if t), error=False)

    def print_unprinted(self) -> None:
        if not self.unprinted:
            self.panel.say(QCoreApplication.translate("CasePanel", "没有未打印的文书"), error=False)
            return
        self.print(list(self.unprinted), direct=False)


# --- the manager's override ------------------------------------------------------------------


def show_override(panel: CasePanel) -> None:
    """The override button: undo a change made, or ask for one once there is a decision."""
    button = panel.override_button
    if panel.override is not None:
        button.setText(QCoreApplication.translate("CasePanel", "撤销负责人改变的决定"))
        button.setEnabled(True)
    else:
        button.setText(QCoreApplication.translate("CasePanel", "负责人批准改变决定…"))
        button.setEnabled(panel.decision is not None)


def override_clicked(panel: CasePanel) -> None:
    if panel.override is not None:
        panel.set_override(None)
        return
    if panel.decision is None:
        return
    panel.override_button.setEnabled(False)  # until the managers are read
    panel.ops.read(active_managers, partial(_ask_override, panel), owner=panel)


def _ask_override(panel: CasePanel, managers: list[tuple[str, str]]) -> None:
    show_override(panel)
    decision = panel.decision
    if decision is None or panel.override is not None:
        return  # the checklist changed while the managers were read
    dialog = OverrideDialog(decision.rule_kind, managers, panel, verify=partial(_verify, panel))
    dialog.accepted.connect(lambda: panel.set_override(dialog.override()))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()


def _verify(
    panel: CasePanel,
    override: Override,
    passed: Callable[[], None],
    refused: Callable[[BaseException], None],
) -> None:
    """The manager signs in on the spot (app.accounts: failures counted, then a lock)."""
    database = panel.database
    panel.ops.run(
        lambda: sign_in(
            database,
            override.manager_id,
            override.credential,
            policy=policy_from_env(),
            roles=MANAGER_ROLES,
        ),
        lambda _who: passed(),
        on_failed=refused,
        owner=panel,
    )
