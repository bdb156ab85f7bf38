"""The material checklist as a table the clerk works through from the keyboard.

`ChecklistModel` is a QAbstractTableModel over the rules' ChecklistLines and what the clerk
recorded for each (the rules' MaterialEntry); a line not yet marked has no entry. It decides
nothing: the entries go to the cases service, which asks the rules.

`ChecklistView` is the table: arrow keys move, one key sets a status (see STATUS_KEYS, shown
in the legend), the cursor then moves to the next line so a complete checklist is one key per
material. 7 (有误) asks for the reason; + and - change the number of copies received."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QTableView,
    QWidget,
)

from app.rules.checklist import ChecklistLine
from app.rules.decision import STATUS_LABELS, MaterialEntry, MaterialStatus, entry_problem
from ui.messages import localise

_Index = QModelIndex | QPersistentModelIndex
S = MaterialStatus


def _tr(text: str) -> str:
    return QCoreApplication.translate("ChecklistModel", text)


@dataclass(frozen=True)
class StatusKey:
    key: Qt.Key
    key_label: str
    status: MaterialStatus | None  # None: "as the line requires"
    label: str


# One key per status; the legend under the table lists them in this order.
STATUS_KEYS: tuple[StatusKey, ...] = (
    StatusKey(
        Qt.Key.Key_Space,
        str(QT_TRANSLATE_NOOP("ChecklistModel", "空格")),
        None,
        str(QT_TRANSLATE_NOOP("ChecklistModel", "按要求收齐")),
    ),
    StatusKey(
        Qt.Key.Key_1,
        "1",
        S.RECEIVED_ORIGINAL_CHECKED,
        str(QT_TRANSLATE_NOOP("ChecklistModel", "原件核验")),
    ),
    StatusKey(
        Qt.Key.Key_2,
        "2",
        S.RECEIVED_ORIGINAL_KEPT,
        str(QT_TRANSLATE_NOOP("ChecklistModel", "原件收取")),
    ),
    StatusKey(
        Qt.Key.Key_3, "3", S.RECEIVED_COPIES, str(QT_TRANSLATE_NOOP("ChecklistModel", "复印件"))
    ),
    StatusKey(
        Qt.Key.Key_4, "4", S.ELECTRONIC, str(QT_TRANSLATE_NOOP("ChecklistModel", "电子证照"))
    ),
    StatusKey(Qt.Key.Key_5, "5", S.MISSING, str(QT_TRANSLATE_NOOP("ChecklistModel", "缺"))),
    StatusKey(Qt.Key.Key_6, "6", S.TOLERATED, str(QT_TRANSLATE_NOOP("ChecklistModel", "容缺"))),
    StatusKey(Qt.Key.Key_7, "7", S.DEFECTIVE, str(QT_TRANSLATE_NOOP("ChecklistModel", "有误"))),
    StatusKey(
        Qt.Key.Key_8, "8", S.NOT_APPLICABLE, str(QT_TRANSLATE_NOOP("ChecklistModel", "不适用"))
    ),
)
_BY_KEY = {k.key: k for k in STATUS_KEYS}

# The status that receives a line in exactly the form it asks for.
_AS_REQUIRED: dict[str, MaterialStatus] = {
    "original_checked": S.RECEIVED_ORIGINAL_CHECKED,
    "original_kept": S.RECEIVED_ORIGINAL_KEPT,
    "copy": S.RECEIVED_COPIES,
    "electronic": S.ELECTRONIC,
}

_COLOURS: dict[MaterialStatus, str] = {
    S.RECEIVED_ORIGINAL_CHECKED: "#dff0e0",
    S.RECEIVED_ORIGINAL_KEPT: "#dff0e0",
    S.RECEIVED_COPIES: "#dff0e0",
    S.ELECTRONIC: "#dff0e0",
    S.MISSING: "#fbe3e1",
    S.TOLERATED: "#fff1cc",
    S.DEFECTIVE: "#fbe3e1",
    S.NOT_APPLICABLE: "#ececec",
}
_PROBLEM_COLOUR = "#b3261e"
# The rules' NECESSITY_LABELS, marked for translation.
_NECESSITY: dict[str, str] = {
    "required": str(QT_TRANSLATE_NOOP("ChecklistModel", "必需")),
    "conditional": str(QT_TRANSLATE_NOOP("ChecklistModel", "视情形")),
    "optional": str(QT_TRANSLATE_NOOP("ChecklistModel", "可选")),
}


def legend_text() -> str:
    """The key legend shown under the checklist."""
    parts = [f"{_tr(k.key_label)} {_tr(k.label)}" for k in STATUS_KEYS]
    parts.append(QCoreApplication.translate("ChecklistModel", "+/- 份数"))
    parts.append(QCoreApplication.translate("ChecklistModel", "Shift+空格 其余全部按要求收齐"))
    return QCoreApplication.translate("ChecklistModel", "　").join(parts)


def default_entry(line: ChecklistLine, status: MaterialStatus, reason: str = "") -> MaterialEntry:
    """The entry a status key records: received paper comes with the copies the line asks
    for (the clerk corrects the count with + and - when fewer were handed in)."""
    if status is S.RECEIVED_COPIES:
        return MaterialEntry(status, copies=max(line.copies, 1))
    if status in (S.RECEIVED_ORIGINAL_CHECKED, S.RECEIVED_ORIGINAL_KEPT):
        return MaterialEntry(status, copies=line.copies if line.form != "copy" else 0)
    if status is S.DEFECTIVE:
        return MaterialEntry(status, defect_reason=reason.strip())
    return MaterialEntry(status)


def as_required_status(line: ChecklistLine) -> MaterialStatus:
    # An e-licence the hall fetches by data sharing counts as electronic (电子证照).
    if line.source == "e_licence":
        return S.ELECTRONIC
    return _AS_REQUIRED[line.form]


def status_text(entry: MaterialEntry | None) -> str:
    if entry is None:
        return QCoreApplication.translate("ChecklistModel", "未核对")
    label = localise(STATUS_LABELS[entry.status])
    if entry.status is S.RECEIVED_COPIES:
        return (
            QCoreApplication.translate("ChecklistModel", "%1 %2份")
            .replace("%1", label)
            .replace("%2", str(entry.copies))
        )
    if entry.status is S.DEFECTIVE:
        return (
            QCoreApplication.translate("ChecklistModel", "%1：%2")
            .replace("%1", label)
            .replace("%2", entry.defect_reason)
        )
    if entry.copies and entry.status in (S.RECEIVED_ORIGINAL_CHECKED, S.RECEIVED_ORIGINAL_KEPT):
        return (
            QCoreApplication.translate("ChecklistModel", "%1，复印件%2份")
            .replace("%1", label)
            .replace("%2", str(entry.copies))
        )
    return label


class ChecklistModel(QAbstractTableModel):
    """One row per checklist line: 材料, 要求, 份数, 必要性, 所需事项, 状态."""

    COL_NAME, COL_FORM, COL_COPIES, COL_NECESSITY, COL_MATTERS, COL_STATUS = range(6)
    HEADERS = (
        str(QT_TRANSLATE_NOOP("ChecklistModel", "材料")),
        str(QT_TRANSLATE_NOOP("ChecklistModel", "要求")),
        str(QT_TRANSLATE_NOOP("ChecklistModel", "份数")),
        str(QT_TRANSLATE_NOOP("ChecklistModel", "必要性")),
        str(QT_TRANSLATE_NOOP("ChecklistModel", "所需事项")),
        str(QT_TRANSLATE_NOOP("ChecklistModel", "状态")),
    )

    entries_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lines: list[ChecklistLine] = []
        self.matter_names: dict[str, str] = {}
        self._entries: dict[str, MaterialEntry] = {}

    # --- content ---------------------------------------------------------------------------

    def set_checklist(
        self,
        lines: Sequence[ChecklistLine],
        matter_names: Mapping[str, str],
        entries: Mapping[str, MaterialEntry] | None = None,
    ) -> None:
        """A new checklist; `entries` carries over what was already checked (a returning
        applicant); entries for materials not on the list are dropped."""
        self.beginResetModel()
        self.lines = list(lines)
        self.matter_names = dict(matter_names)
        codes = {line.code for line in self.lines}
        self._entries = {c: e for c, e in (entries or {}).items() if c in codes}
        self.endResetModel()
        self.entries_changed.emit()

    def clear(self) -> None:
        self.set_checklist([], {})

    def entries(self) -> dict[str, MaterialEntry]:
        return dict(self._entries)

    def entry(self, row: int) -> MaterialEntry | None:
        return self._entries.get(self.lines[row].code)

    def unchecked(self) -> list[ChecklistLine]:
        return [line for line in self.lines if line.code not in self._entries]

    def problems(self) -> list[str]:
        """Entries a line does not allow (the rules' messages), in checklist order."""
        out: list[str] = []
        for line in self.lines:
            entry = self._entries.get(line.code)
            problem = entry_problem(line, entry) if entry else None
            if problem:
                out.append(localise(problem))
        return out

    def set_entry(self, row: int, entry: MaterialEntry | None) -> None:
        code = self.lines[row].code
        if entry is None:
            self._entries.pop(code, None)
        else:
            self._entries[code] = entry
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.entries_changed.emit()

    def set_status(self, row: int, status: MaterialStatus | None, reason: str = "") -> None:
        """Record `status` for the row (None: as the line requires)."""
        line = self.lines[row]
        self.set_entry(row, default_entry(line, status or as_required_status(line), reason))

    def receive_rest_as_required(self) -> int:
        """Every line not yet marked, received as it requires (one key for the rest of the
        list); returns how many were marked."""
        rest = [line for line in self.lines if line.code not in self._entries]
        for line in rest:
            self._entries[line.code] = default_entry(line, as_required_status(line))
        if rest:
            last = self.index(len(self.lines) - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)
            self.entries_changed.emit()
        return len(rest)

    def adjust_copies(self, row: int, delta: int) -> None:
        entry = self.entry(row)
        if entry is None or entry.status not in (
            S.RECEIVED_COPIES,
            S.RECEIVED_ORIGINAL_CHECKED,
            S.RECEIVED_ORIGINAL_KEPT,
        ):
            return
        self.set_entry(row, replace(entry, copies=max(0, entry.copies + delta)))

    # --- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.tr(self.HEADERS[section])
        return str(section + 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.lines):
            return None
        line = self.lines[index.row()]
        entry = self._entries.get(line.code)
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(line, entry, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line, entry)
        if role == Qt.ItemDataRole.BackgroundRole and col == self.COL_STATUS and entry:
            return QBrush(QColor(_COLOURS[entry.status]))
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == self.COL_STATUS and entry and entry_problem(line, entry):
                return QBrush(QColor(_PROBLEM_COLOUR))
            if col == self.COL_STATUS and entry is None:
                return QBrush(QColor("#6b6b6b"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_COPIES:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, line: ChecklistLine, entry: MaterialEntry | None, col: int) -> str:
        if col == self.COL_NAME:
            return line.name + (
                QCoreApplication.translate("ChecklistModel", "（可容缺）") if line.tolerable else ""
            )
        if col == self.COL_FORM:
            return line.requirement_text()
        if col == self.COL_COPIES:
            return str(line.copies) if line.copies else "—"
        if col == self.COL_NECESSITY:
            return _tr(_NECESSITY[line.necessity])
        if col == self.COL_MATTERS:
            return self.tr("、").join(self.matter_names.get(c, c) for c in line.matter_codes)
        text = status_text(entry)
        if entry is not None and entry_problem(line, entry):
            text = "⚠ " + text
        return text

    def _tooltip(self, line: ChecklistLine, entry: MaterialEntry | None) -> str:
        parts = [line.name, line.requirement_text()]
        if line.condition:
            parts.append(
                QCoreApplication.translate("ChecklistModel", "适用情形：") + line.condition
            )
        if line.obtain:
            parts.append(QCoreApplication.translate("ChecklistModel", "获取方式：") + line.obtain)
        problem = entry_problem(line, entry) if entry else None
        if problem:
            parts.append("⚠ " + problem)
        return "\n".join(parts)


class ChecklistView(QTableView):
    """The checklist table driven from the keyboard (see STATUS_KEYS)."""

    def __init__(self, model: ChecklistModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistTable")
        self.setAccessibleName(self.tr("材料核对清单"))
        self.setAccessibleDescription(legend_text())
        self.setModel(model)
        self._model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move inside it
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setSectionResizeMode(ChecklistModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col in (
            ChecklistModel.COL_FORM,
            ChecklistModel.COL_COPIES,
            ChecklistModel.COL_NECESSITY,
            ChecklistModel.COL_MATTERS,
        ):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ChecklistModel.COL_STATUS, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ChecklistModel.COL_STATUS, 170)
        model.modelReset.connect(self._select_first)
        # Asks the defect reason; replaceable so an embedding window may use its own dialog.
        self.ask_reason: Callable[[str], str | None] = self._ask_reason_dialog

    def _select_first(self) -> None:
        if self._model.rowCount():
            self.selectRow(0)

    def current_row(self) -> int:
        row = self.currentIndex().row()
        return row if 0 <= row < self._model.rowCount() else -1

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.current_row()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if row >= 0 and mods == Qt.KeyboardModifier.NoModifier:
            status_key = _BY_KEY.get(Qt.Key(event.key()))
            if status_key is not None:
                self.apply_status(row, status_key.status)
                event.accept()
                return
        if (
            row >= 0
            and mods == Qt.KeyboardModifier.ShiftModifier
            and event.key() == Qt.Key.Key_Space
        ):
            self._model.receive_rest_as_required()
            event.accept()
            return
        if row >= 0 and event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Minus, Qt.Key.Key_Equal):
            self._model.adjust_copies(row, -1 if event.key() == Qt.Key.Key_Minus else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def apply_status(self, row: int, status: MaterialStatus | None) -> None:
        """Record a status for `row` and move on to the next line."""
        reason = ""
        if status is S.DEFECTIVE:
            answer = self.ask_reason(self._model.lines[row].name)
            if answer is None or not answer.strip():
                return  # cancelled: nothing recorded
            reason = answer
        self._model.set_status(row, status, reason)
        if row + 1 < self._model.rowCount():
            self.selectRow(row + 1)

    def _ask_reason_dialog(self, material: str) -> str | None:
        dialog = QInputDialog(self)
        dialog.setObjectName("defectReasonDialog")
        dialog.setAccessibleName(self.tr("材料有误的原因"))
        dialog.setWindowTitle(self.tr("材料有误"))
        dialog.setLabelText(self.tr("「%1」不符合要求的原因：").replace("%1", material))
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        if dialog.exec() != QInputDialog.DialogCode.Accepted:
            return None
        return dialog.textValue()
