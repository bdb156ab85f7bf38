"""F1: every shortcut of the desk, listed from the one registry (ui/actions.py), over the
window. F1 again or Esc hides it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.actions import ACTIONS, ActionRegistry


class ShortcutHelp(QFrame):
    """The overlay; `install` puts it on a window with its F1 action."""

    def __init__(self, host: QWidget, registry: ActionRegistry = ACTIONS) -> None:
        super().__init__(host)
        self.setObjectName("shortcutHelp")
        self.setAccessibleName(self.tr("快捷键说明"))
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._host = host
        layout = QVBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.text_label = QLabel(registry.help_text(), scroll)
        self.text_label.setObjectName("shortcutHelpText")
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.text_label.font())
        font.setPointSize(14)
        self.text_label.setFont(font)
        scroll.setWidget(self.text_label)
        layout.addWidget(scroll)
        self.hide()
        host.installEventFilter(self)
        self.action = registry.create("help", host, self.toggle)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        self.setGeometry(self._host.rect().adjusted(20, 20, -20, -20))

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
            return
        self._place()
        self.raise_()
        self.show()
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)
