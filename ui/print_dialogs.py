"""The dialogs of printing at the desk: the preview of a document before it prints, the
printer of each paper (checked against the paper sizes a printer offers), and a print that
failed, shown until the clerk answers it. Used by ui.printing.PrintService."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.printing import spool

ERROR_COLOUR = "#b3261e"


# A page of each paper, for checking a printer's paper sizes (mm): A4, and a ticket on the
# 80 mm roll (its length varies; the roll is cut where it ends).
PAPER_PAGES = {"a4": (210.0, 297.0), "ticket": (80.0, 100.0)}


@dataclasses.dataclass(frozen=True)
class PrinterStatus:
    """A printer as the settings and the status bar show it: its state in a few words, and the
    paper sizes it offers (None when the platform does not say)."""

    name: str
    state: str
    ready: bool
    papers: tuple[spool.Paper, ...] | None = None

    def fits(self, paper: str) -> bool | None:
        """Whether this printer has the paper (None: unknown)."""
        if not self.papers:
            return None
        return any(p.fits(PAPER_PAGES[paper]) for p in self.papers)


class PageImage(QWidget):
    """One page of the preview: an image rendered on the worker, drawn as it is (no scaling on
    the UI thread)."""

    def __init__(self, image: QImage, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = image
        self.setObjectName(f"previewPage{number}")
        self.setAccessibleName(self.tr("第%1页").replace("%1", str(number)))
        self.setFixedSize(image.size())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.drawImage(event.rect(), self.image, event.rect())
        finally:
            painter.end()


class PrintPreviewDialog(QDialog):
    """Shows the document as it will print (its pages rendered on the worker); the clerk picks
    the printer, prints, or saves the PDF (the only choice when no printer exists)."""

    def __init__(
        self,
        pages: Sequence[QImage],
        title: str,
        printers: list[str],
        default_printer: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("printPreviewDialog")
        self.setAccessibleName(self.tr("打印预览"))
        self.setWindowTitle(self.tr("打印预览 - %1").replace("%1", title))
        self.choice: str | None = None  # "print" | "save"

        sheet = QWidget(self)
        sheet.setObjectName("previewPages")
        palette = sheet.palette()  # grey around the pages (a palette: no style sheet to polish)
        palette.setColor(QPalette.ColorRole.Window, QColor("#808080"))
        sheet.setPalette(palette)
        sheet.setAutoFillBackground(True)
        sheet_layout = QVBoxLayout(sheet)
        sheet_layout.setSpacing(12)
        self.pages = [PageImage(image, i + 1, sheet) for i, image in enumerate(pages)]
        for page in self.pages:
            sheet_layout.addWidget(page, 0, Qt.AlignmentFlag.AlignHCenter)
        self.view = QScrollArea(self)
        self.view.setObjectName("pdfPreview")
        self.view.setAccessibleName(self.tr("文书预览"))
        self.view.setWidget(sheet)
        self.view.setWidgetResizable(True)
        self.view.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        self.pages_label = QLabel(self.tr("共 %n 页", "", len(self.pages)), self)
        self.pages_label.setObjectName("pageCountLabel")
        self.pages_label.setAccessibleName(self.tr("页数"))

        self.printer_combo = QComboBox(self)
        self.printer_combo.setObjectName("printerCombo")
        self.printer_combo.setAccessibleName(self.tr("打印机"))
        for name in printers:
            self.printer_combo.addItem(name, name)
        if default_printer in printers:
            self.printer_combo.setCurrentIndex(printers.index(default_printer))
        if not printers:
            self.printer_combo.addItem(self.tr("（未找到打印机）"), None)
            self.printer_combo.setEnabled(False)

        self.remember_box = QCheckBox(self.tr("设为此类文书的默认打印机"), self)
        self.remember_box.setObjectName("rememberPrinter")
        self.remember_box.setAccessibleName(self.tr("记住打印机"))
        self.remember_box.setChecked(True)
        self.remember_box.setEnabled(bool(printers))

        self.no_printer_label = QLabel(self.tr("本机没有可用的打印机，可将文书保存为PDF。"), self)
        self.no_printer_label.setObjectName("noPrinterLabel")
        self.no_printer_label.setAccessibleName(self.tr("打印机提示"))
        self.no_printer_label.setVisible(not printers)

        buttons = QDialogButtonBox(self)
        buttons.setObjectName("previewButtons")
        buttons.setAccessibleName(self.tr("操作"))
        self.print_button = QPushButton(self.tr("打印"), self)
        self.print_button.setObjectName("printButton")
        self.print_button.setAccessibleName(self.tr("打印"))
        self.print_button.setEnabled(bool(printers))
        self.print_button.setDefault(bool(printers))
        self.save_button = QPushButton(self.tr("保存为PDF"), self)
        self.save_button.setObjectName("savePdfButton")
        self.save_button.setAccessibleName(self.tr("保存为PDF"))
        self.cancel_button = QPushButton(self.tr("取消"), self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setAccessibleName(self.tr("取消"))
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.clicked.connect(self._print)
        self.save_button.clicked.connect(self._save)
        self.cancel_button.clicked.connect(self.reject)

        printer_label = QLabel(self.tr("打印机："), self)
        printer_label.setObjectName("printerLabel")
        printer_label.setAccessibleName(self.tr("打印机"))
        printer_label.setBuddy(self.printer_combo)
        form = QFormLayout()
        form.addRow(printer_label, self.printer_combo)
        form.addRow(self.remember_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.pages_label)
        layout.addLayout(form)
        layout.addWidget(self.no_printer_label)
        layout.addWidget(buttons)
        self.resize(880, 900)

    def selected_printer(self) -> str | None:
        data = self.printer_combo.currentData()
        return str(data) if data else None

    def _print(self) -> None:
        if self.selected_printer() is None:
            return
        self.choice = "print"
        self.accept()

    def _save(self) -> None:
        self.choice = "save"
        self.accept()


PAPER_LABELS: dict[str, Callable[[], str]] = {
    "a4": lambda: QCoreApplication.translate("PrinterSettingsDialog", "A4文书"),
    "ticket": lambda: QCoreApplication.translate("PrinterSettingsDialog", "排队票"),
}


class PrinterSettingsDialog(QDialog):
    """The printer of each paper (A4 documents, the ticket roll) for this machine, each shown
    with its state. A printer without that paper is marked, and kept only when the person
    confirms it explicitly (an A4 notice never goes to the 80 mm roll by mistake)."""

    def __init__(
        self,
        statuses: Sequence[PrinterStatus],
        current: dict[str, str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("printerSettingsDialog")
        self.setAccessibleName(self.tr("打印机设置"))
        self.setWindowTitle(self.tr("打印机设置"))
        self.statuses = {status.name: status for status in statuses}
        self.combos: dict[str, QComboBox] = {}
        self.warnings: dict[str, QLabel] = {}
        self.confirms: dict[str, QCheckBox] = {}
        form = QFormLayout()
        for paper, chosen in current.items():
            combo = QComboBox(self)
            combo.setObjectName(f"{paper}PrinterCombo")
            combo.setAccessibleName(PAPER_LABELS[paper]())
            combo.addItem(self.tr("（不设置）"), None)
            for status in statuses:
                item = self.tr("%1（%2）").replace("%1", status.name).replace("%2", status.state)
                combo.addItem(item, status.name)
            if chosen is not None and combo.findData(chosen) < 0:
                combo.addItem(self.tr("%1（找不到）").replace("%1", chosen), chosen)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            warning = QLabel(self)
            warning.setObjectName(f"{paper}PaperWarning")
            warning.setAccessibleName(self.tr("纸张提示"))
            warning.setWordWrap(True)
            palette = warning.palette()
            palette.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOUR))
            warning.setPalette(palette)
            confirm = QCheckBox(self.tr("确认使用此打印机"), self)
            confirm.setObjectName(f"{paper}PaperConfirm")
            confirm.setAccessibleName(self.tr("确认使用此打印机"))
            self.combos[paper], self.warnings[paper], self.confirms[paper] = combo, warning, confirm
            label = QLabel(self.tr("%1：").replace("%1", PAPER_LABELS[paper]()), self)
            label.setBuddy(combo)
            form.addRow(label, combo)
            form.addRow(warning)
            form.addRow(confirm)
            combo.currentIndexChanged.connect(self._check)
            confirm.toggled.connect(self._check)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("printerSettingsButtons")
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        assert save is not None
        save.setObjectName("savePrintersButton")
        self.save_button = save
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._check()

    def choices(self) -> dict[str, str | None]:
        return {
            paper: (str(combo.currentData()) if combo.currentData() else None)
            for paper, combo in self.combos.items()
        }

    def _check(self) -> None:
        ok = True
        for paper, name in self.choices().items():
            status = self.statuses.get(name) if name else None
            missing = status is not None and status.fits(paper) is False
            warning, confirm = self.warnings[paper], self.confirms[paper]
            if missing and status is not None:
                offered = self.tr("、").join(
                    p.label() for p in status.papers or () if p.max_width is None
                )
                warning.setText(
                    self.tr("打印机“%1”没有%2纸张（只有%3）")
                    .replace("%1", status.name)
                    .replace("%2", PAPER_LABELS[paper]())
                    .replace("%3", offered or "—")
                )
            warning.setVisible(missing)
            confirm.setVisible(missing)
            if not missing:
                confirm.setChecked(False)
            elif not confirm.isChecked():
                ok = False
        self.save_button.setEnabled(ok)


class PrintFailedDialog(QMessageBox):
    """A print that did not come out, said plainly, in the error colour; it stays until the
    clerk answers: retry, choose another printer, save the PDF to hand over, print anyway (only
    when the paper size was the problem), or close."""

    def __init__(self, text: str, paper_mismatch: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printFailedDialog")
        self.setAccessibleName(self.tr("打印失败"))
        self.setWindowTitle(self.tr("打印失败"))
        self.setIcon(QMessageBox.Icon.Critical)
        self.setText(self.tr("文书没有打印出来。"))
        self.setInformativeText(text)
        label = self.findChild(QLabel, "qt_msgbox_informativelabel")
        if label is not None:
            palette = label.palette()
            palette.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOUR))
            label.setPalette(palette)
        self.buttons_by_choice: dict[str, QPushButton] = {}
        choices = [
            ("retry", self.tr("重试"), "retryButton", QMessageBox.ButtonRole.AcceptRole),
            ("other", self.tr("换打印机"), "otherPrinterButton", QMessageBox.ButtonRole.ActionRole),
            ("save", self.tr("保存为PDF"), "savePdfButton", QMessageBox.ButtonRole.ActionRole),
        ]
        if paper_mismatch:
            choices.append(
                (
                    "anyway",
                    self.tr("仍然打印"),
                    "printAnywayButton",
                    QMessageBox.ButtonRole.ActionRole,
                )
            )
        choices.append(("close", self.tr("关闭"), "closeButton", QMessageBox.ButtonRole.RejectRole))
        for choice, text_, name, role in choices:
            button = self.addButton(text_, role)
            button.setObjectName(name)
            button.setAccessibleName(text_)
            self.buttons_by_choice[choice] = button
        self.setEscapeButton(self.buttons_by_choice["close"])

    def choice(self) -> str:
        """The clerk's answer (once finished): retry, other, save, anyway or close."""
        clicked = self.clickedButton()
        for choice, button in self.buttons_by_choice.items():
            if button is clicked:
                return choice
        return "close"
