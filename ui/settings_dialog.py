"""The administrator's settings dialog: the hall, its business lines and windows, and which
window this desk is. Every check is the core's (app.services.hall); the dialog only shows
what it says and saves nothing until everything is right."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.changes import DeskContext
from app.services.hall import (
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
    """Windows as an editable table: number, name, the lines served in order of preference."""

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

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        # A window's number is its identity (cases and documents carry it): not editable here.
        return flags if index.column() == 0 else flags | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: _Index, value: Any, role: int = 2) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() == 0:
            return False
        w = self.rows[index.row()]
        text = str(value).strip()
        w = replace(w, name=text) if index.column() == 1 else replace(w, lines=_split(text))
        self.rows[index.row()] = w
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
        self._clerks = list(config.clerks)

        tabs = QTabWidget(self)
        tabs.setObjectName("settingsTabs")
        tabs.addTab(self._hall_tab(settings), self.tr("大厅"))
        self.lines_model = LinesModel(self)
        self.lines_model.set_rows(lines)
        self.windows_model = WindowsModel(self)
        self.windows_model.set_rows(windows)
        tabs.addTab(
            self._table(self.lines_model, "linesTable", self.tr("业务类别")), self.tr("业务类别")
        )
        tabs.addTab(
            self._table(self.windows_model, "windowsTable", self.tr("窗口")), self.tr("窗口")
        )
        tabs.addTab(self._desk_tab(windows), self.tr("本机"))

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
        self.every_n_spin.setAccessibleName(self.tr("N"))
        self.every_n_spin.setRange(1, 50)
        self.every_n_spin.setValue(h.priority_every_n)
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
        form.addRow(self.tr("N"), self.every_n_spin)
        form.addRow("", self.keep_place_check)
        return page

    def _table(self, model: QAbstractTableModel, name: str, label: str) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setAccessibleName(label)
        view.setModel(model)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        return view

    def _desk_tab(self, windows: list[WindowSettings]) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.window_combo = QComboBox(page)
        self.window_combo.setObjectName("deskWindow")
        self.window_combo.setAccessibleName(self.tr("本机窗口"))
        for w in windows:
            self.window_combo.addItem(f"{w.number} {w.name}", w.number)
        self.window_combo.setCurrentIndex(
            max(0, self.window_combo.findData(self.ctx.window_number))
        )
        self.clerk_combo = QComboBox(page)
        self.clerk_combo.setObjectName("deskClerk")
        self.clerk_combo.setAccessibleName(self.tr("工作人员"))
        for c in self._clerks:
            self.clerk_combo.addItem(f"{c.id} {c.name}", c.id)
        self.clerk_combo.setCurrentIndex(max(0, self.clerk_combo.findData(self.ctx.clerk_id)))
        form.addRow(self.tr("本机窗口"), self.window_combo)
        form.addRow(self.tr("工作人员"), self.clerk_combo)
        return page

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
            clerks=tuple(self._clerks),
            demo=self._demo,
            organs=self._organs,
        )

    def save(self) -> None:
        """Save everything in one transaction on the worker, or nothing and say what is
        wrong. The dialog closes when the save has committed."""
        cfg = self.config()
        problems = config_problems(cfg)
        if problems:
            self.problems_label.setText(join(problems, "\n"))
            return
        ctx = self.ctx
        window, clerk = self.window_combo.currentData(), self.clerk_combo.currentData()
        self.save_button.setEnabled(False)
        self.ops.write(
            lambda s: save_config(s, ctx, cfg, window, clerk),
            self._saved,
            changes={HALL},
            initiator=self,
            on_failed=self._refused,
            owner=self,
        )

    def _saved(self, ctx: DeskContext) -> None:
        self.ctx = ctx
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.problems_label.setText(describe(exc, "\n"))
