"""The administrator's settings dialog: the hall, its business lines, windows and staff (each
can be added and removed), and which window this desk is. Every check is the core's
(app.services.hall); the dialog only shows what it says and saves nothing until everything is
right. Removing is safe: a line with tickets and a window with a ticket at it are refused by
the core, and staff removed are deactivated, never deleted (their history stays)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, ClassVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.messages import Message
from app.services.changes import DeskContext
from app.services.hall import (
    ROLES,
    ClerkSettings,
    HallConfig,
    HallSettings,
    LineSettings,
    WindowSettings,
    config_problems,
    save_config,
)
from ui.messages import describe, join
from ui.operations import HALL, Operations
from ui.table_model import RowTableModel

_Index = QModelIndex | QPersistentModelIndex


def _split(text: str) -> tuple[str, ...]:
    return tuple(p for p in text.replace("，", ",").replace(" ", ",").split(",") if p)


class LinesModel(RowTableModel[LineSettings]):
    """Business lines as an editable table: code, name, prefix, departments, default."""

    HEADERS = (
        str(QT_TRANSLATE_NOOP("LinesModel", "代码")),
        str(QT_TRANSLATE_NOOP("LinesModel", "名称")),
        str(QT_TRANSLATE_NOOP("LinesModel", "号码前缀")),
        str(QT_TRANSLATE_NOOP("LinesModel", "办理部门（逗号分隔）")),
        str(QT_TRANSLATE_NOOP("LinesModel", "默认")),
    )

    def data(self, index: _Index, role: int = 0) -> Any:
        ln = self.rows[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 4:
            return Qt.CheckState.Checked if ln.is_default else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            values = (ln.code, ln.name, ln.ticket_prefix, ",".join(ln.departments), None)
            return values[index.column()]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 4:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: _Index, value: Any, role: int = 2) -> bool:
        ln = self.rows[index.row()]
        col = index.column()
        if col == 4 and role == Qt.ItemDataRole.CheckStateRole:
            ln = replace(ln, is_default=Qt.CheckState(value) == Qt.CheckState.Checked)
        elif role == Qt.ItemDataRole.EditRole and col < 4:
            text = str(value).strip()
            if col == 0:
                ln = replace(ln, code=text)
            elif col == 1:
                ln = replace(ln, name=text)
            elif col == 2:
                ln = replace(ln, ticket_prefix=text.upper())
            else:
                ln = replace(ln, departments=_split(text))
        else:
            return False
        self.rows[index.row()] = ln
        self.dataChanged.emit(index, index)
        return True


class WindowsModel(RowTableModel[WindowSettings]):
    """Windows as an editable table: number, name, the lines served in order of preference.
    A saved window's number is not editable; a window added here takes the next free one."""

    HEADERS = (
        str(QT_TRANSLATE_NOOP("WindowsModel", "窗口号")),
        str(QT_TRANSLATE_NOOP("WindowsModel", "名称")),
        str(QT_TRANSLATE_NOOP("WindowsModel", "办理的业务类别（按优先顺序，逗号分隔）")),
    )

    def data(self, index: _Index, role: int = 0) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            w = self.rows[index.row()]
            return (str(w.number), w.name, ",".join(w.lines))[index.column()]
        return None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.saved_numbers: set[int] = set()

    def set_rows(self, rows: Any) -> None:
        super().set_rows(rows)
        self.saved_numbers = {w.number for w in self.rows}

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        # A window's number is its identity (cases and documents carry it): not editable once
        # saved; a window added here may still be renumbered.
        if index.column() == 0 and self.rows[index.row()].number in self.saved_numbers:
            return flags
        return flags | Qt.ItemFlag.ItemIsEditable

    def add_row(self) -> int:
        number = max((w.number for w in self.rows), default=0) + 1
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(WindowSettings(number, "", ()))
        self.endInsertRows()
        return len(self.rows) - 1

    def setData(self, index: _Index, value: Any, role: int = 2) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        w = self.rows[index.row()]
        text = str(value).strip()
        if index.column() == 0:
            # Not a number: 0, which the core's check names (窗口号应在 1 到 99 之间).
            w = replace(w, number=int(text) if text.isdigit() else 0)
        elif index.column() == 1:
            w = replace(w, name=text)
        else:
            w = replace(w, lines=_split(text))
        self.rows[index.row()] = w
        self.dataChanged.emit(index, index)
        return True


class ClerksModel(RowTableModel[ClerkSettings]):
    """Staff as an editable table: staff number, name, role (shown in words)."""

    HEADERS = (
        str(QT_TRANSLATE_NOOP("ClerksModel", "工号")),
        str(QT_TRANSLATE_NOOP("ClerksModel", "姓名")),
        str(QT_TRANSLATE_NOOP("ClerksModel", "角色")),
    )
    ROLE_NAMES: ClassVar[dict[str, str]] = {
        "clerk": str(QT_TRANSLATE_NOOP("ClerksModel", "窗口工作人员")),
        "manager": str(QT_TRANSLATE_NOOP("ClerksModel", "大厅负责人")),
        "admin": str(QT_TRANSLATE_NOOP("ClerksModel", "管理员")),
    }

    def role_name(self, role: str) -> str:
        source = self.ROLE_NAMES.get(role)
        return role if source is None else QCoreApplication.translate("ClerksModel", source)

    def data(self, index: _Index, role: int = 0) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            c = self.rows[index.row()]
            return (c.id, c.name, self.role_name(c.role))[index.column()]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable

    def add_row(self) -> int:
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(ClerkSettings("", "", "clerk"))
        self.endInsertRows()
        return len(self.rows) - 1

    def setData(self, index: _Index, value: Any, role: int = 2) -> bool:
        if role != Qt.ItemDataRole.EditRole:
            return False
        c = self.rows[index.row()]
        text = str(value).strip()
        if index.column() == 0:
            c = replace(c, id=text)
        elif index.column() == 1:
            c = replace(c, name=text)
        else:
            # The role in words (either language) or its code; anything else is kept as typed
            # and named by the core's check.
            by_name = {self.role_name(r): r for r in ROLES} | {
                source: r for r, source in self.ROLE_NAMES.items()
            }
            c = replace(c, role=by_name.get(text, text))
        self.rows[index.row()] = c
        self.dataChanged.emit(index, index)
        return True


class SettingsDialog(QDialog):
    """Edits the hall's configuration and this desk's window and clerk."""

    def __init__(
        self,
        config: HallConfig,
        ctx: DeskContext,
        ops: Operations,
        parent: QWidget | None = None,
    ) -> None:
        """`config` as read by `app.services.hall.load_config` (on the worker); saving goes
        through `ops` too."""
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("大厅设置"))
        self.ops = ops
        self.ctx = ctx
        self.resize(760, 560)
        settings = config.hall
        self._demo = config.demo
        # Not edited here: kept as loaded (the hall file sets them).
        self._organs = config.organs
        lines = list(config.lines)
        windows = list(config.windows)
        # Saved windows removed in this dialog: deleted on save (the core checks no ticket is
        # at them); a window merely missing would be refused.
        self.removed_windows: set[int] = set()

        tabs = QTabWidget(self)
        tabs.setObjectName("settingsTabs")
        tabs.addTab(self._hall_tab(settings), self.tr("大厅"))
        self.lines_model = LinesModel(self)
        self.lines_model.set_rows(lines)
        self.windows_model = WindowsModel(self)
        self.windows_model.set_rows(windows)
        self.clerks_model = ClerksModel(self)
        self.clerks_model.set_rows(list(config.clerks))
        tabs.addTab(
            self._rows_tab(
                self.lines_model,
                "linesTable",
                self.tr("业务类别"),
                ("addLine", self.tr("添加业务类别")),
                ("removeLine", self.tr("删除所选业务类别")),
            ),
            self.tr("业务类别"),
        )
        tabs.addTab(
            self._rows_tab(
                self.windows_model,
                "windowsTable",
                self.tr("窗口"),
                ("addWindow", self.tr("添加窗口")),
                ("removeWindow", self.tr("删除所选窗口")),
            ),
            self.tr("窗口"),
        )
        tabs.addTab(
            self._rows_tab(
                self.clerks_model,
                "clerksTable",
                self.tr("工作人员"),
                ("addClerk", self.tr("添加工作人员")),
                ("removeClerk", self.tr("删除所选工作人员")),
            ),
            self.tr("工作人员"),
        )
        tabs.addTab(self._desk_tab(), self.tr("本机"))
        for model in (self.windows_model, self.clerks_model):
            model.rowsInserted.connect(self._fill_desk_choices)
            model.rowsRemoved.connect(self._fill_desk_choices)
            model.dataChanged.connect(self._fill_desk_choices)

        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("settingsProblems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #b3261e;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("settingsButtons")
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        assert save is not None
        self.save_button = save
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.problems_label)
        layout.addWidget(buttons)

    def _edit(self, name: str, text: str, label: str) -> QLineEdit:
        edit = QLineEdit(text, self)
        edit.setObjectName(name)
        edit.setAccessibleName(label)
        return edit

    def _hall_tab(self, h: HallSettings) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.name_edit = self._edit("hallName", h.name, self.tr("大厅名称"))
        self.address_edit = self._edit("hallAddress", h.address, self.tr("地址"))
        self.enquiry_edit = self._edit("enquiryPhone", h.enquiry_phone, self.tr("咨询电话"))
        self.supervision_edit = self._edit(
            "supervisionPhone", h.supervision_phone, self.tr("监督电话")
        )
        self.division_edit = self._edit("divisionCode", h.division_code, self.tr("行政区划代码"))
        self.query_edit = self._edit(
            "queryUrlPattern", h.query_url_pattern, self.tr("进度查询链接")
        )
        self.query_edit.setToolTip(self.tr("打印为二维码；{case_no} 处填入办件编号"))
        self.target_spin = QSpinBox(page)
        self.target_spin.setObjectName("targetWaitMinutes")
        self.target_spin.setAccessibleName(self.tr("目标等候时间（分钟）"))
        self.target_spin.setRange(1, 480)
        self.target_spin.setValue(h.target_wait_minutes)
        self.policy_combo = QComboBox(page)
        self.policy_combo.setObjectName("priorityPolicy")
        self.policy_combo.setAccessibleName(self.tr("优先叫号规则"))
        self.policy_combo.addItem(self.tr("优先号全部先叫"), "priority_first")
        self.policy_combo.addItem(self.tr("每 N 个普通号插一个优先号"), "every_n")
        self.policy_combo.setCurrentIndex(max(0, self.policy_combo.findData(h.priority_policy)))
        self.every_n_spin = QSpinBox(page)
        self.every_n_spin.setObjectName("priorityEveryN")
        every_n_label = self.tr("每隔几个普通号插一个优先号")
        self.every_n_spin.setAccessibleName(every_n_label)
        self.every_n_spin.setRange(1, 50)
        self.every_n_spin.setSuffix(self.tr(" 个普通号"))
        self.every_n_spin.setValue(h.priority_every_n)
        # Only the every-N rule uses it.
        self.policy_combo.currentIndexChanged.connect(
            lambda _i: self.every_n_spin.setEnabled(self.policy_combo.currentData() == "every_n")
        )
        self.every_n_spin.setEnabled(h.priority_policy == "every_n")
        self.keep_place_check = QCheckBox(self.tr("转移的号保留原取号顺序"), page)
        self.keep_place_check.setObjectName("transferKeepsPlace")
        self.keep_place_check.setAccessibleName(self.keep_place_check.text())
        self.keep_place_check.setChecked(h.transfer_keeps_place)
        form.addRow(self.tr("大厅名称"), self.name_edit)
        form.addRow(self.tr("地址"), self.address_edit)
        form.addRow(self.tr("咨询电话"), self.enquiry_edit)
        form.addRow(self.tr("监督电话"), self.supervision_edit)
        form.addRow(self.tr("行政区划代码"), self.division_edit)
        form.addRow(self.tr("进度查询链接"), self.query_edit)
        form.addRow(self.tr("目标等候时间（分钟）"), self.target_spin)
        form.addRow(self.tr("优先叫号规则"), self.policy_combo)
        form.addRow(every_n_label, self.every_n_spin)
        form.addRow("", self.keep_place_check)
        return page

    def _table(self, model: QAbstractTableModel, name: str, label: str) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setAccessibleName(label)
        view.setModel(model)
        view.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move inside it
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        return view

    def _rows_tab(
        self,
        model: LinesModel | WindowsModel | ClerksModel,
        name: str,
        label: str,
        add: tuple[str, str],
        remove: tuple[str, str],
    ) -> QWidget:
        """A table with buttons to add a row (edited in place) and remove the selected ones."""
        page = QWidget(self)
        layout = QVBoxLayout(page)
        view = self._table(model, name, label)
        layout.addWidget(view)
        row = QHBoxLayout()
        for (button_name, text), action in (
            (add, lambda: self._add_row(view, model)),
            (remove, lambda: self._remove_rows(view, model)),
        ):
            button = QPushButton(text, page)
            button.setObjectName(button_name)
            button.setAccessibleName(text)
            button.clicked.connect(action)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    def _add_row(self, view: QTableView, model: LinesModel | WindowsModel | ClerksModel) -> None:
        if isinstance(model, LinesModel):
            model.beginInsertRows(QModelIndex(), len(model.rows), len(model.rows))
            model.rows.append(LineSettings("", "", ""))
            model.endInsertRows()
            row, column = len(model.rows) - 1, 0
        else:
            row = model.add_row()
            column = 1 if isinstance(model, WindowsModel) else 0
        index = model.index(row, column)
        view.setCurrentIndex(index)
        view.setFocus()
        view.edit(index)

    def _remove_rows(
        self, view: QTableView, model: LinesModel | WindowsModel | ClerksModel
    ) -> None:
        selection = view.selectionModel()
        rows = sorted({i.row() for i in selection.selectedIndexes()}, reverse=True)
        if not rows and view.currentIndex().isValid():
            rows = [view.currentIndex().row()]
        for row in rows:
            if isinstance(model, WindowsModel):
                number = model.rows[row].number
                if number in model.saved_numbers:
                    self.removed_windows.add(number)
            model.beginRemoveRows(QModelIndex(), row, row)
            del model.rows[row]
            model.endRemoveRows()

    def _desk_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.window_combo = QComboBox(page)
        self.window_combo.setObjectName("deskWindow")
        self.window_combo.setAccessibleName(self.tr("本机窗口"))
        self.clerk_combo = QComboBox(page)
        self.clerk_combo.setObjectName("deskClerk")
        self.clerk_combo.setAccessibleName(self.tr("工作人员"))
        self._fill_desk_choices()
        form.addRow(self.tr("本机窗口"), self.window_combo)
        form.addRow(self.tr("工作人员"), self.clerk_combo)
        return page

    def _fill_desk_choices(self, *_args: object) -> None:
        """The windows and staff this desk can be, as the tables now list them (the choice
        made is kept while it is listed)."""
        window = self.window_combo.currentData()
        clerk = self.clerk_combo.currentData()
        if window is None:
            window = self.ctx.window_number
        if clerk is None:
            clerk = self.ctx.clerk_id
        # A choice no longer listed is never silently replaced by another: 请选择.
        self.window_combo.clear()
        for w in self.windows_model.rows:
            self.window_combo.addItem(f"{w.number} {w.name}", w.number)
        if self.window_combo.findData(window) < 0:
            self.window_combo.insertItem(0, self.tr("（请选择）"), None)
        self.window_combo.setCurrentIndex(max(0, self.window_combo.findData(window)))
        self.clerk_combo.clear()
        for c in self.clerks_model.rows:
            self.clerk_combo.addItem(f"{c.id} {c.name}", c.id)
        if self.clerk_combo.findData(clerk) < 0:
            self.clerk_combo.insertItem(0, self.tr("（请选择）"), None)
        self.clerk_combo.setCurrentIndex(max(0, self.clerk_combo.findData(clerk)))

    def hall_settings(self) -> HallSettings:
        return HallSettings(
            name=self.name_edit.text().strip(),
            address=self.address_edit.text().strip(),
            enquiry_phone=self.enquiry_edit.text().strip(),
            supervision_phone=self.supervision_edit.text().strip(),
            division_code=self.division_edit.text().strip(),
            target_wait_minutes=self.target_spin.value(),
            query_url_pattern=self.query_edit.text().strip(),
            priority_policy=str(self.policy_combo.currentData()),
            priority_every_n=self.every_n_spin.value(),
            transfer_keeps_place=self.keep_place_check.isChecked(),
        )

    def config(self) -> HallConfig:
        return HallConfig(
            hall=self.hall_settings(),
            lines=tuple(self.lines_model.rows),
            windows=tuple(self.windows_model.rows),
            clerks=tuple(self.clerks_model.rows),
            demo=self._demo,
            organs=self._organs,
        )

    def save(self) -> None:
        """Save everything in one transaction on the worker, or nothing and say what is
        wrong. The dialog closes when the save has committed."""
        cfg = self.config()
        problems = config_problems(cfg)
        if problems:
            self.problems_label.setText(join([self._placed(p) for p in problems], "\n"))
            return
        ctx = self.ctx
        window, clerk = self.window_combo.currentData(), self.clerk_combo.currentData()
        if window is None or clerk is None:
            self.problems_label.setText(self.tr("请在“本机”页选择本机的窗口和工作人员"))
            return
        removed = frozenset(self.removed_windows - {w.number for w in cfg.windows})
        self.save_button.setEnabled(False)
        self.ops.write(
            lambda s: save_config(s, ctx, cfg, window, clerk, removed_windows=removed),
            self._saved,
            changes={HALL},
            initiator=self,
            on_failed=self._refused,
            owner=self,
        )

    def _place(self, where: str) -> str:
        """`lines[2].ticket_prefix` (the hall file's form) as the dialog shows it."""
        found = re.match(r"(lines|windows|clerks)(?:\[(\d+)\])?", where)
        if found is None:
            return where
        table = {
            "lines": self.tr("业务类别"),
            "windows": self.tr("窗口"),
            "clerks": self.tr("工作人员"),
        }[found.group(1)]
        if found.group(2) is None:
            return table
        return (
            self.tr("%1第 %2 行").replace("%1", table).replace("%2", str(int(found.group(2)) + 1))
        )

    def _placed(self, problem: Message) -> Message:
        """`problem` with its place (and any problem it carries) named as the dialog does."""
        params = {
            key: self._placed(value) if isinstance(value, Message) else value
            for key, value in problem.params.items()
        }
        where = params.get("where")
        if isinstance(where, str):
            params["where"] = self._place(where)
        return Message(problem.code, **params)

    def _saved(self, ctx: DeskContext) -> None:
        self.ctx = ctx
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, UserError) and exc.messages:
            # The core's refusal of the hall (headed 大厅配置有误) names places as the dialog does.
            messages = [self._placed(m) for m in exc.messages]
            self.problems_label.setText(join(messages, "\n"))
            return
        self.problems_label.setText(describe(exc, "\n"))
