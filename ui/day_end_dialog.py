"""The day's end (日终) prompt: says exactly what will close (how many tickets waiting, how many
called but not yet served, and who is in service at which window) and ends another window's
service only when the clerk ticks it. Opened window-modal with open(), never exec()."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.queue.backend import QueueBackend
from app.queue.day_end import DayEndPreview
from app.services.changes import DeskContext
from ui.operations import QUEUE, Operations


class DayEndDialog(QDialog):
    def __init__(
        self, preview: DayEndPreview, own_window: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dayEndDialog")
        self.setWindowTitle(self.tr("日终关闭排队"))
        self.preview = preview
        layout = QVBoxLayout(self)
        lines = [
            self.tr("等候中（含过号）的 %1 个号将关闭为未办理。").replace(
                "%1", str(preview.waiting)
            )
        ]
        if preview.called:
            lines.append(
                self.tr("已叫号、尚未开始办理的 %1 个号将关闭为未办理。").replace(
                    "%1", str(preview.called)
                )
            )
        if not preview.serving:
            lines.append(self.tr("没有正在办理的号。"))
        else:
            lines.append(
                self.tr("正在办理的 %1 个号：勾选的窗口结束办理，其余继续办理。").replace(
                    "%1", str(len(preview.serving))
                )
            )
        summary = QLabel("\n".join(lines), self)
        summary.setObjectName("dayEndSummary")
        summary.setTextFormat(Qt.TextFormat.PlainText)
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.end_service: dict[int, QCheckBox] = {}
        for ticket in preview.serving:
            if ticket.window_number is None:
                continue
            if ticket.window_number == own_window:
                text = self.tr("结束本窗口（%1号）正在办理的 %2")
            else:
                text = self.tr("结束 %1号窗口 正在办理的 %2")
            box = QCheckBox(
                text.replace("%1", str(ticket.window_number)).replace("%2", ticket.number), self
            )
            box.setObjectName(f"endService_{ticket.window_number}")
            box.setChecked(ticket.window_number == own_window)  # another's only when chosen
            layout.addWidget(box)
            self.end_service[ticket.window_number] = box
        reason_label = QLabel(self.tr("关闭原因(&R)："), self)
        self.reason = QLineEdit(self.tr("下班时间已到，当日未能办理"), self)
        self.reason.setObjectName("dayEndReason")
        self.reason.setMaxLength(200)
        reason_label.setBuddy(self.reason)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        self.message = QLabel("", self)
        self.message.setObjectName("dayEndMessage")
        self.message.setStyleSheet("color:#b71c1c;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("dayEndButtons")
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("关闭排队"))
        ok.setObjectName("dayEndConfirm")
        buttons.accepted.connect(self._confirm)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen_windows(self) -> tuple[int, ...]:
        return tuple(sorted(w for w, box in self.end_service.items() if box.isChecked()))

    def _confirm(self) -> None:
        if not self.reason.text().strip():
            self.message.setText(self.tr("请填写关闭原因"))
            self.reason.setFocus()
            return
        self.accept()


def start_day_end(
    parent: QWidget,
    backend: QueueBackend,
    ctx: DeskContext,
    ops: Operations,
    on_closed: Callable[[int], object],
) -> None:
    """Read what would close (on the worker), ask, then close what was chosen."""

    def ask(preview: DayEndPreview) -> None:
        dialog = DayEndDialog(preview, ctx.window_number, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def confirmed() -> None:
            reason, windows = dialog.reason.text(), dialog.chosen_windows()

            def closed(count: int) -> None:
                ops.did_execute.emit(frozenset({QUEUE}), parent)
                on_closed(count)

            ops.run(lambda: backend.close_day(ctx, reason, windows), closed, owner=parent)

        dialog.accepted.connect(confirmed)
        dialog.open()

    ops.run(backend.day_end_preview, ask, owner=parent)
