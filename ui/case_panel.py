"""The counter's acceptance screen (受理): the applicant, the matters, the material checklist, the
live decision with its reasons, and ONE action — 保存并打印 (Ctrl+S; keys: ui/case_keys.py).

The panel decides nothing itself: the checklist and the decision come from the cases service
(which asks the rules). Saving happens in one transaction; only after it committed are the
documents produced (app.services.case_documents) and handed to the printing UI, so paper is
never printed for a case that was not saved.

Keyboard path for a called ticket (the queue panel calls `attach_ticket`): type the applicant,
Ctrl+F, type, Enter chooses the matter and puts the cursor on the checklist, one key per
material or Shift+Space for the rest (legend under the table), Ctrl+S prints on the printers
remembered per paper (Ctrl+Shift+S previews first), F12 ends the service, calls the next."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.catalogue.search import MatterIndex
from app.clock import hall_today
from app.errors import UserError
from app.rules.decision import Decision, MaterialEntry, Override
from app.rules.lifecycle import CaseStatus
from app.services.aftercare import save_at_the_counter
from app.services.applicant import InvalidApplicant
from app.services.changes import DeskContext
from app.services.desk_queries import (
    ChosenChecklist,
    NotifiedCase,
    Session,
    TicketInfo,
    chosen_checklist,
    notified_case,
    ticket_info,
)
from app.services.intake import SavedCase, preview_decision
from db.engine import Database
from ui.actions import ACTIONS
from ui.applicant_form import ApplicantForm
from ui.case_keys import (
    CasePapers,
    confirm_discard,
    install_case_keys,
    override_clicked,
    show_override,
)
from ui.checklist_model import ChecklistModel, ChecklistView, legend_text
from ui.decision_view import DecisionActions, DecisionView, decision_text
from ui.intake_layout import (
    ChecklistColumns,
    ChosenMatters,
    SearchRoom,
    checklist_box,
    lay_out,
    matter_box,
)
from ui.matter_search import MatterSearch
from ui.messages import describe, localise
from ui.number_reveal import NumberReveal
from ui.operations import CASES, DOCUMENTS, Operations, operations_for
from ui.printing import PrintService

if TYPE_CHECKING:  # the papers' and supplements' modules load when first used
    from app.services.case_documents import IssuedDocument

ERROR_COLOUR = "#b3261e"
INFO_COLOUR = "#1b4f8f"


class CasePanel(QWidget):
    """One applicant's case, from the called ticket to the printed paper."""

    case_saved = Signal(str)

    def __init__(
        self,
        database: Database,
        ctx: DeskContext,
        index: MatterIndex | None,
        parent: QWidget | None = None,
        *,
        print_service: PrintService | None = None,
        ops: Operations | None = None,
    ) -> None:
        """`print_service`: the desk's (shared with the case list); its own if none.
        `ops`: the database's worker (`operations_for(database)` if none). `index` None: the
        catalogue is loaded later (`load_index`), the search box saying so until it arrives."""
        super().__init__(parent)
        self.setObjectName("casePanel")
        self.setAccessibleName(self.tr("受理"))
        self.database = database
        self.ctx = ctx
        self.ops = ops or operations_for(database)
        self._saving = False
        self.print_service = print_service or PrintService(parent=self)
        self.print_service.message.connect(self._print_message)

        self._ticket_id: str | None = None
        self._matter_codes: list[str] = []
        self._bundle_code: str | None = None
        self._bundle_name = ""
        self._matter_names: dict[str, str] = {}
        self._previous_case_id: str | None = None
        self._override: Override | None = None
        self._decision: Decision | None = None
        self.last_saved_case_no: str | None = None
        # Reads run on the worker; each answer is applied only if it is still the latest
        # question asked (a stale answer for older input is dropped).
        self._asked = {"ticket": 0, "notice": 0, "checklist": 0, "decision": 0}
        # The matters asked for while their checklist is being read: (codes, bundle, entries).
        self._wanted: tuple[list[str], str | None, dict[str, MaterialEntry]] | None = None
        self._saved_note = ""  # "已保存：办件编号 …", kept above what the printer says
        self._preview = False  # this save's papers through the preview (Ctrl+Shift+S)
        self.papers = CasePapers(self)  # the last case's papers, and which were not printed

        self._build(index)
        self._connect()
        self._update_decision()

    # --- the catalogue ---------------------------------------------------------------------

    def load_index(self) -> None:
        """Build the matter index on the database's worker (a snapshot read, ~0.2 s per 20,000
        matters); the search box searches it once it arrives, what was typed meanwhile too."""
        self.ops.read(MatterIndex.load, self.set_index, owner=self)

    def set_index(self, index: MatterIndex) -> None:
        self.index_loaded = True
        self.search.edit.setPlaceholderText(self._search_hint)
        self.search.set_index(index)

    # --- layout ----------------------------------------------------------------------------

    def _build(self, index: MatterIndex | None) -> None:
        self.ticket_label = QLabel(self.tr("未叫号（窗口直接受理）"), self)
        self.ticket_label.setObjectName("ticketLabel")
        self.ticket_label.setStyleSheet("font-weight: bold;")
        self.origin_label = QLabel(self)
        self.origin_label.setObjectName("originLabel")
        self.origin_label.setStyleSheet(f"color: {INFO_COLOUR};")
        self.supplement_button = self._button(
            "supplementButton",
            self.tr("补齐 / 补正…"),
            self.tr("查找办件，登记补齐或补正后重新受理"),
        )
        self.new_button = self._button(
            "newCaseButton", ACTIONS.spec("newCase").button_text(), self.tr("清空，开始新的办件")
        )
        header = QHBoxLayout()
        header.addWidget(self.ticket_label)
        header.addWidget(self.origin_label, 1)
        header.addWidget(self.supplement_button)
        header.addWidget(self.new_button)

        self.applicant_form = ApplicantForm(self)
        self.reveal = NumberReveal(self.applicant_form, self.ops, lambda: self.ctx, self)
        applicant_box = QGroupBox(self.tr("申请人"), self)
        applicant_box.setObjectName("applicantBox")
        applicant_layout = QVBoxLayout(applicant_box)
        applicant_layout.addWidget(self.applicant_form)
        applicant_layout.addStretch(1)

        self.search = MatterSearch(index or MatterIndex([], [], []), self)
        self._search_hint = self.search.edit.placeholderText()
        self.index_loaded = index is not None
        if index is None:
            self.search.edit.setPlaceholderText(self.tr("正在载入事项目录…"))
        self.search.table.setTabKeyNavigation(False)  # Tab leaves the results
        self.chosen_list = ChosenMatters(self)
        self.clear_matters_button = self._button(
            "clearMattersButton", self.tr("清空事项"), self.tr("清空已选事项")
        )
        matters = matter_box(self, self.search, self.chosen_list, self.clear_matters_button)

        self.model = ChecklistModel(self)
        self.checklist = ChecklistView(self.model, self)
        self.legend = QLabel(legend_text(), self)
        self.legend.setObjectName("checklistLegend")
        self.legend.setStyleSheet("color: #444; padding: 2px;")
        self.legend.setWordWrap(True)
        checklist = checklist_box(self, self.checklist, self.legend)
        self.checklist_columns = ChecklistColumns(self.checklist, self.model)
        self.decision_view = decision_box = DecisionView(self)
        self.decision_label, self.reasons_label = decision_box.heading, decision_box.reasons
        self.search_room = SearchRoom(
            self, self.search, self.search.table, self.model, decision_box.reasons_area
        )

        self.actions_box = actions_box = DecisionActions(self)
        self.commitment_check, self.reject_edit = actions_box.commitment, actions_box.reject
        self.override_button, self.save_button = actions_box.override, actions_box.save
        self.message = actions_box.message

        lay_out(self, header, applicant_box, matters, checklist, decision_box, actions_box)

    def _print_message(self, text: str) -> None:
        self._say("\n".join(t for t in (self._saved_note, text) if t), error=False)

    def _button(self, name: str, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setAutoDefault(False)
        return button

    def _connect(self) -> None:
        self.search.matter_chosen.connect(self.add_matter)
        self.search.bundle_chosen.connect(self.choose_bundle)
        self.model.entries_changed.connect(self._update_decision)
        self.commitment_check.toggled.connect(self._update_decision)
        self.reject_edit.textChanged.connect(self._update_decision)
        self.applicant_form.changed.connect(self._clear_message)
        self.applicant_form.finished.connect(self.focus_search)
        self.save_button.clicked.connect(self.save_and_print)
        self.override_button.clicked.connect(self._override_clicked)
        self.new_button.clicked.connect(self.ask_new_case)
        self.clear_matters_button.clicked.connect(self.clear_matters)
        self.supplement_button.clicked.connect(self.open_supplements)
        # The panel's keys are the registry's (ui/actions.py), made in ui/case_keys.py.
        self.keys = install_case_keys(self)

    # --- ticket and case origin ------------------------------------------------------------

    @Slot(str)
    def attach_ticket(self, ticket_id: str) -> None:
        """The queue panel started serving `ticket_id`: a new applicant, the case will carry
        the ticket. A ticket taken with an ID number fills it in. What was typed while no
        ticket was served (after F2, before F4) is this applicant's and stays; the case of
        another ticket still attached is not."""
        if self._ticket_id is not None and ticket_id != self._ticket_id:
            self.new_case()
        self._ticket_id = ticket_id
        token = self._ask("ticket")
        self.ops.read(
            lambda s: ticket_info(s, ticket_id),
            partial(self._show_ticket, token, ticket_id),
            owner=self,
        )
        self.applicant_form.name_edit.setFocus()

    def _show_ticket(self, token: int, ticket_id: str, ticket: TicketInfo | None) -> None:
        if not self._current("ticket", token) or ticket_id != self._ticket_id:
            return
        number = ticket.number if ticket else ""
        id_number = ticket.id_number if ticket else None
        self.ticket_label.setText(
            self.tr("正在服务：%1号").replace("%1", number)
            if number
            else self.tr("正在服务：未知号码")
        )
        if id_number and not self.applicant_form.id_edit.text():
            self.applicant_form.id_edit.setText(id_number)

    @Slot(str)
    def detach_ticket(self, ticket_id: str) -> None:
        """The service of `ticket_id` ended (F7, a transfer): the next case saved is a walk-in
        unless another ticket is started."""
        if ticket_id != self._ticket_id:
            return
        self._ticket_id = None
        self._ask("ticket")  # its number still being read is no longer wanted
        self.ticket_label.setText(self.tr("未叫号（窗口直接受理）"))
        if self.has_unsaved_input():  # kept (F4 keeps what is typed): say whose it is
            key = ACTIONS.spec("newCase").key_text()
            self._say(
                self.tr("已办结的号的办件尚未保存；按 %1 清空").replace("%1", key), error=True
            )

    @property
    def ticket_id(self) -> str | None:
        return self._ticket_id

    @Slot(str)
    def start_from_notice(self, case_id: str) -> None:
        """A notified applicant came back: a new case for the same matters, linked to the
        first, with what was already received and the lines judged not applicable carried
        over (still to be confirmed)."""
        token = self._ask("notice")

        def read(s: Session) -> NotifiedCase | UserError:
            try:
                return notified_case(s, case_id)
            except UserError as exc:
                return exc

        self.ops.read(read, partial(self._restart, token, case_id), owner=self)

    def _restart(self, token: int, case_id: str, first: NotifiedCase | UserError) -> None:
        if not self._current("notice", token):
            return
        if isinstance(first, UserError):
            self._say(describe(first), error=True)
            return
        if CaseStatus(first.status) is not CaseStatus.NOTIFIED:
            self._say(
                self.tr("办件%1不是一次性告知的办件，不能补正后重新受理").replace(
                    "%1", first.case_no
                ),
                error=True,
            )
            return
        self.new_case()
        self._previous_case_id = case_id
        self.origin_label.setText(
            self.tr("补正后重新受理，原办件 %1（已收材料及“不适用”的判断已带入）").replace(
                "%1", first.case_no
            )
        )
        self.reveal.hold(case_id, first.applicant)  # masked until revealed (an event)
        self._load_checklist(list(first.matter_codes), first.bundle_code, first.carried)

    # --- matters ---------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.edit.setFocus()
        self.search.edit.selectAll()

    def add_matter(self, code: str) -> None:
        # A single matter after a bundle starts the list afresh. While a checklist is being
        # read, the matters asked for count (the clerk chose quickly).
        chosen, bundle, entries = self._wanted or (
            self._matter_codes,
            self._bundle_code,
            self.model.entries(),
        )
        codes = [] if bundle else chosen
        if code in codes:
            self._say(self.tr("该事项已选择"), error=False)
            self._focus_checklist()
            return
        self._load_checklist([*codes, code], None, entries)

    def choose_bundle(self, code: str) -> None:
        entries = self._wanted[2] if self._wanted else self.model.entries()
        self._load_checklist([], code, entries)

    def remove_selected_matter(self) -> None:
        item = self.chosen_list.currentItem()
        if item is None:
            return
        code = item.data(Qt.ItemDataRole.UserRole)
        if self._bundle_code or code not in self._matter_codes:
            self.clear_matters()
            return
        rest = [c for c in self._matter_codes if c != code]
        if not rest:
            self.clear_matters()
            return
        self._load_checklist(rest, None, self.model.entries())

    def clear_matters(self) -> None:
        self._ask("checklist")  # a checklist still being read is no longer wanted
        self._wanted = None
        self._matter_codes, self._bundle_code, self._bundle_name = [], None, ""
        self._matter_names = {}
        self.model.clear()
        self._show_chosen()

    def _load_checklist(
        self, codes: list[str], bundle: str | None, entries: Mapping[str, MaterialEntry]
    ) -> None:
        """The checklist of `codes` (or of the bundle), keeping what was already checked of
        the materials still on it. Read on the worker; shown when it arrives."""
        token = self._ask("checklist")
        self._wanted = (list(codes), bundle, dict(entries))

        def read(s: Session) -> ChosenChecklist | UserError:
            try:
                return chosen_checklist(s, codes, bundle)
            except UserError as exc:
                return exc

        self.ops.read(read, partial(self._show_checklist, token), owner=self)

    def _show_checklist(self, token: int, chosen: ChosenChecklist | UserError) -> None:
        if not self._current("checklist", token) or self._wanted is None:
            return
        codes, bundle, entries = self._wanted
        self._wanted = None
        if isinstance(chosen, UserError):
            self._say(describe(chosen), error=True)
            return
        self._matter_codes, self._bundle_code = codes, bundle
        self._bundle_name = chosen.bundle_name
        self._matter_names = {m.code: m.name for m in chosen.specs}
        self.model.set_checklist(chosen.lines, self._matter_names, entries)
        self._show_chosen()
        self._clear_message()
        self._focus_checklist()

    def _show_chosen(self) -> None:
        self.chosen_list.clear()
        if self._bundle_code:
            item = QListWidgetItem(self.tr("【一件事】") + self._bundle_name)
            item.setData(Qt.ItemDataRole.UserRole, self._bundle_code)
            item.setToolTip("\n".join(self._matter_names.values()))
            self.chosen_list.addItem(item)
        else:
            for code in self._matter_codes:
                item = QListWidgetItem(self._matter_names.get(code, code))
                item.setData(Qt.ItemDataRole.UserRole, code)
                item.setToolTip(code)
                self.chosen_list.addItem(item)
        tolerable = any(line.tolerable for line in self.model.lines)
        self.commitment_check.setEnabled(tolerable)
        if not tolerable:
            self.commitment_check.setChecked(False)

    def _focus_checklist(self) -> None:
        if not self.model.lines:
            return
        unchecked = {line.code for line in self.model.unchecked()}
        rows = [i for i, line in enumerate(self.model.lines) if line.code in unchecked]
        self.checklist.selectRow(rows[0] if rows else 0)
        self.checklist.setFocus()

    # --- the live decision -----------------------------------------------------------------

    def _update_decision(self) -> None:
        """Ask the rules (on the worker) for the decision the checklist makes now; shown when
        it arrives, unless the clerk changed something meanwhile."""
        self._decision = None
        token = self._ask("decision")
        if not self.model.lines:
            self._show_decision(
                self.tr("请选择办理事项"),
                "#6b6b6b",
                self.tr("在上方搜索并选择事项或一件事，材料清单随即列出。"),
            )
            self._update_override_button()
            return
        lines, entries = list(self.model.lines), self.model.entries()
        signed = self.commitment_check.isChecked()
        reject = self.reject_edit.text().strip() or None
        codes, override = list(self._matter_codes) or None, self._override

        def read(s: Session) -> Decision | UserError:
            try:
                return preview_decision(
                    s,
                    lines,
                    entries,
                    signed,
                    reject,
                    hall_today(),
                    matter_codes=codes,
                    override=override,
                )
            except UserError as exc:
                return exc

        self.ops.read(read, partial(self._show_decision_of, token), owner=self)

    def _show_decision_of(self, token: int, decision: Decision | UserError) -> None:
        if not self._current("decision", token):
            return
        if isinstance(decision, UserError):
            self._show_decision(self.tr("需要改正"), ERROR_COLOUR, describe(decision, "\n"))
            self._update_override_button()
            return
        self._decision = decision
        self._show_decision(*decision_text(decision, self.model.unchecked()))
        self._update_override_button()

    def _show_decision(self, title: str, colour: str, reasons: str) -> None:
        self.decision_view.show_decision(title, colour, reasons)

    @property
    def decision(self) -> Decision | None:
        """The decision shown now (None while there is nothing to decide or an entry is
        wrong)."""
        return self._decision

    # --- override (ui/case_keys.py) -------------------------------------------------------

    def _update_override_button(self) -> None:
        show_override(self)

    def _override_clicked(self) -> None:
        override_clicked(self)

    @property
    def override(self) -> Override | None:
        return self._override

    def set_override(self, override: Override | None) -> None:
        """The manager's approved change of the decision (None: the rules' decision again)."""
        self._override = override
        self._update_decision()

    # --- saving ----------------------------------------------------------------------------

    def save_and_print(self, *, preview: bool = False) -> None:
        """Save the case in one transaction on the database's worker; after the commit,
        produce its documents (on the worker too) and print them: on the printer remembered
        for each paper, through the preview where none is or when `preview` (Ctrl+Shift+S).
        Nothing is saved while anything is wrong; the window answers throughout."""
        if self._saving:
            return
        self._preview = preview
        if self._wanted is not None:
            self._say(self.tr("材料清单正在载入，请稍候"), error=False)
            return
        if not self.model.lines and not self.actions_box.names_a_request():
            self._say(self.tr("请先选择办理事项"), error=True)
            self.focus_search()
            return
        problems = self.applicant_form.problems()
        if problems:
            self.applicant_form.show_all_problems(problems)
            self._say(self.tr("申请人信息有误，请按输入框旁的提示改正"), error=True)
            return
        unchecked = self.model.unchecked()
        if unchecked and not self.reject_edit.text().strip():  # a rejection checks none
            self._say(
                self.tr("还有%1项材料未核对：%2")
                .replace("%1", str(len(unchecked)))
                .replace("%2", self.tr("、").join(line.name for line in unchecked)),
                error=True,
            )
            self._focus_checklist()
            return
        applicant = self.applicant_form.applicant()
        reject = self.reject_edit.text().strip() or None
        entries = self.model.entries()
        signed = self.commitment_check.isChecked()
        override, ticket_id, previous = self._override, self._ticket_id, self._previous_case_id
        matter_codes = None if self._bundle_code else list(self._matter_codes)
        bundle_code, ctx = self._bundle_code, self.ctx

        save = partial(
            save_at_the_counter,
            ctx=ctx,
            previous_case_id=previous,
            matter_codes=matter_codes,
            bundle_code=bundle_code,
            entries=entries,
            commitment_signed=signed,
            applicant=applicant,
            reject_reason=reject,
            override=override,
            ticket_id=ticket_id,
            **self.actions_box.rejection_kwargs(),
        )
        self._saved_note = ""
        self._set_saving(True)
        self._say(self.tr("正在保存…"), error=False)
        self.ops.write(
            save,
            self._saved,
            changes={CASES},
            initiator=self,
            on_failed=self._save_refused,
            owner=self,
        )

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)

    def _save_refused(self, exc: BaseException) -> None:
        self._set_saving(False)
        if isinstance(exc, InvalidApplicant):
            self.applicant_form.show_all_problems(exc.problems)
        self._say(describe(exc), error=True)

    def _saved(self, saved: SavedCase) -> None:
        """Committed: the case exists whatever happens to its paper."""
        case_id, case_no = saved.case_id, saved.case_no
        self.last_saved_case_no = case_no
        self.case_saved.emit(case_id)
        self.new_case()
        done = (
            self.tr("已保存：办件编号 %1（%2）")
            .replace("%1", case_no)
            .replace("%2", localise(saved.decision.label))
        )
        self._saved_note = done
        self._say(done, error=False)
        ctx = self.ctx
        from app.services.case_documents import documents_for_case

        def documents(s: Session) -> list[IssuedDocument]:
            return documents_for_case(s, ctx, case_id)

        def not_made(exc: BaseException) -> None:
            # e.g. the printing model refused the case's data (a gap deadline past the
            # promised date); the case stays saved, its paper can be reprinted once fixed.
            self._set_saving(False)
            self._say(done, error=False)
            QMessageBox.warning(
                self,
                self.tr("文书未能生成"),
                self.tr("办件已保存，编号 %1。\n但文书未能生成：%2\n请在办件列表中补打。")
                .replace("%1", case_no)
                .replace("%2", describe(exc)),
            )

        self.ops.write(
            documents,
            self._documents_ready,
            changes={DOCUMENTS},
            initiator=self,
            on_failed=not_made,
            owner=self,
        )

    def _documents_ready(self, documents: list[IssuedDocument]) -> None:
        self._set_saving(False)
        self.papers.print(documents, direct=not self._preview)

    # --- resetting and messages ------------------------------------------------------------

    def has_unsaved_input(self) -> bool:
        """Whether a half-entered case is on screen (what Ctrl+N or closing would lose)."""
        form = self.applicant_form
        edits = (form.name_edit, form.id_edit, form.phone_edit, self.reject_edit)
        return any(e.text().strip() for e in edits) or bool(self.model.lines or self._wanted)

    def ask_new_case(self) -> None:
        """Ctrl+N / 新办件: a new case, after asking when one is half-entered."""
        if not self.has_unsaved_input() or confirm_discard(self, self.tr("清空后开始新的办件？")):
            self.new_case()

    def new_case(self) -> None:
        """Clear everything for the next case; the ticket being served stays attached."""
        self.applicant_form.clear()
        self.clear_matters()
        self.search.edit.clear()
        self.actions_box.clear_rejection()
        self.commitment_check.setChecked(False)
        self._override = None
        self._previous_case_id = None
        self._ask("notice")  # a restart still being read is no longer wanted
        self.origin_label.clear()
        self._update_decision()
        self.applicant_form.name_edit.setFocus()

    def open_supplements(self) -> None:
        from ui.supplement_dialog import SupplementDialog

        dialog = SupplementDialog(self.database, self.ctx, self, ticket_id=self._ticket_id)
        dialog.restart_requested.connect(self.start_from_notice)
        dialog.case_changed.connect(self.case_saved)
        dialog.exec()

    def _ask(self, question: str) -> int:
        """A new question of this kind: earlier answers still on their way are stale."""
        self._asked[question] += 1
        return self._asked[question]

    def _current(self, question: str, token: int) -> bool:
        return self._asked[question] == token

    def say(self, text: str, *, error: bool) -> None:
        self._say(text, error=error)

    @property
    def saved_note(self) -> str:
        """「已保存：办件编号 …」 of the last case saved (empty while saving)."""
        return self._saved_note

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {ERROR_COLOUR if error else INFO_COLOUR};")
        self.message.setProperty("error", error)

    def _clear_message(self) -> None:
        if self.message.property("error"):
            self.message.clear()
            self.message.setProperty("error", False)
