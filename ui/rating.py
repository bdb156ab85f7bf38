"""好差评: the applicant rates the service just ended, on five levels. Shown full screen on the
second screen (the one facing the applicant) when the desk has one, otherwise in a dialog on
the clerk's screen. A bad rating may carry a comment; it is flagged for follow-up by the core.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.queue.backend import QueueBackend
from app.queue.views import TicketView
from app.services.changes import DeskContext
from ui.messages import describe
from ui.operations import Operations

# 5 非常满意 … 1 非常不满意, in the order the buttons are shown.
RATING_LEVELS = (
    (5, str(QT_TRANSLATE_NOOP("Rating", "非常满意"))),
    (4, str(QT_TRANSLATE_NOOP("Rating", "满意"))),
    (3, str(QT_TRANSLATE_NOOP("Rating", "基本满意"))),
    (2, str(QT_TRANSLATE_NOOP("Rating", "不满意"))),
    (1, str(QT_TRANSLATE_NOOP("Rating", "非常不满意"))),
)
BAD_RATINGS = (1, 2)
# The rating screen gives up after this long without an answer (the applicant has left).
RATING_TIMEOUT_MS = 60_000


class RatingView(QWidget):
    """Five big buttons; a bad rating first asks for an optional comment."""

    rated = Signal(int, str)

    def __init__(self, ticket: TicketView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratingView")
        self._pending: int | None = None
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("请您对本次服务进行评价"), self)
        title.setObjectName("ratingTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(title.font())
        font.setPointSize(24)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        window_text = (
            self.tr("{0}号窗口").format(ticket.window_number) if ticket.window_number else ""
        )
        subtitle = QLabel(self.tr("号票 {0}  {1}").format(ticket.number, window_text), self)
        subtitle.setObjectName("ratingTicket")
        subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(subtitle)
        row = QHBoxLayout()
        self.buttons: dict[int, QPushButton] = {}
        for value, source in RATING_LEVELS:
            text = QCoreApplication.translate("Rating", source)
            button = QPushButton(text, self)
            button.setObjectName(f"rating{value}")
            button.setAccessibleName(text)
            button.setMinimumSize(150, 110)
            bfont = QFont(button.font())
            bfont.setPointSize(20)
            button.setFont(bfont)
            button.clicked.connect(lambda _checked=False, v=value: self._choose(v))
            row.addWidget(button)
            self.buttons[value] = button
        layout.addLayout(row)
        self.comment = QPlainTextEdit(self)
        self.comment.setObjectName("ratingComment")
        self.comment.setAccessibleName(self.tr("意见和建议"))
        self.comment.setPlaceholderText(self.tr("请告诉我们哪里做得不好（可不填）"))
        self.comment.setVisible(False)
        layout.addWidget(self.comment)
        self.submit = QPushButton(self.tr("提交评价"), self)
        self.submit.setObjectName("ratingSubmit")
        self.submit.setAccessibleName(self.tr("提交评价"))
        self.submit.setVisible(False)
        self.submit.clicked.connect(self._submit)
        layout.addWidget(self.submit)
        self.message = QLabel("", self)
        self.message.setObjectName("ratingMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.message)

    def _choose(self, value: int) -> None:
        if value in BAD_RATINGS:
            # Ask why before recording: the follow-up needs something to go on.
            self._pending = value
            for v, button in self.buttons.items():
                button.setChecked(False)
                button.setEnabled(v != value)
            self.comment.setVisible(True)
            self.submit.setVisible(True)
            self.comment.setFocus()
            return
        self.rated.emit(value, "")

    def _submit(self) -> None:
        if self._pending is not None:
            self.rated.emit(self._pending, self.comment.toPlainText().strip())


class RatingDialog(QDialog):
    """The rating on the clerk's own screen (a desk without a second screen)."""

    def __init__(self, ticket: TicketView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratingDialog")
        self.setWindowTitle(self.tr("服务评价"))
        self.view = RatingView(ticket, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)


class RatingScreen(QWidget):
    """The rating full screen on the applicant-facing screen; closes itself after a while."""

    def __init__(self, ticket: TicketView, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("ratingScreen")
        self.setWindowTitle(self.tr("服务评价"))
        self.view = RatingView(ticket, self)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.view)
        layout.addStretch(1)
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self.close)
        self._timeout.start(RATING_TIMEOUT_MS)


def ask_rating(
    backend: QueueBackend,
    ctx: DeskContext,
    ticket: TicketView,
    ops: Operations,
    parent: QWidget | None = None,
) -> QWidget:
    """Ask the applicant to rate the service of `ticket` and record the answer (on the
    worker of `ops`). Returns the rating window (already shown): the second screen
    if there is one, else a dialog."""
    screens = QGuiApplication.screens()
    widget: RatingScreen | RatingDialog
    if len(screens) > 1:
        widget = RatingScreen(ticket, parent)
        widget.setGeometry(screens[1].geometry())
        widget.showFullScreen()
    else:
        widget = RatingDialog(ticket, parent)
        widget.open()

    def recorded(_none: object = None) -> None:
        widget.view.message.setText(QCoreApplication.translate("Rating", "谢谢您的评价"))
        widget.close()

    def refused(exc: BaseException) -> None:
        widget.view.message.setText(describe(exc))

    def record(value: int, comment: str) -> None:
        ops.run(
            lambda: backend.record_evaluation(ctx, ticket.id, value, comment),
            recorded,
            on_failed=refused,
            owner=widget,
        )

    widget.view.rated.connect(record)
    return widget
