"""好差评: the applicant rates the service just ended, on five levels. The rating belongs to the
applicant, so it is never asked on the clerk's screen: when a service ends the desk records
that a rating is awaited (app.queue.ratings) and the screen facing the applicant asks it: the
desk's second screen when it has one (full screen there, never taking the keyboard from the
desk), else the hall's kiosk. Nobody answering within the timeout records "not rated". A bad
rating may carry a comment; it is flagged for follow-up by the core.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QFont, QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.queue.backend import QueueBackend
from app.queue.ratings import (
    AwaitedRating,
    await_rating,
    awaited_ratings,
    expire_awaited,
    rate,
    record_not_rated,
)
from app.queue.views import TicketView
from app.services.changes import DeskContext
from ui.messages import describe
from ui.operations import QUEUE, Operations

# 5 非常满意 … 1 非常不满意, in the order the buttons are shown.
RATING_LEVELS = (
    (5, str(QT_TRANSLATE_NOOP("Rating", "非常满意"))),
    (4, str(QT_TRANSLATE_NOOP("Rating", "满意"))),
    (3, str(QT_TRANSLATE_NOOP("Rating", "基本满意"))),
    (2, str(QT_TRANSLATE_NOOP("Rating", "不满意"))),
    (1, str(QT_TRANSLATE_NOOP("Rating", "非常不满意"))),
)
BAD_RATINGS = (1, 2)
# The rating screen gives up after this long without an answer (the applicant has left) and
# records "not rated".
RATING_TIMEOUT_MS = 60_000
# How often the kiosk looks for a rating awaited (another process's desk ended a service).
KIOSK_POLL_MS = 3_000


class Rated(Protocol):
    """What the rating screen shows of the service rated."""

    @property
    def number(self) -> str: ...

    @property
    def window_number(self) -> int | None: ...


class RatingView(QWidget):
    """Five big buttons; a bad rating first asks for an optional comment."""

    rated = Signal(int, str)

    def __init__(self, ticket: Rated, parent: QWidget | None = None) -> None:
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
            if not self.window().windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus:
                self.comment.setFocus()  # never takes the keyboard from the desk
            return
        self.rated.emit(value, "")

    def _submit(self) -> None:
        if self._pending is not None:
            self.rated.emit(self._pending, self.comment.toPlainText().strip())


class RatingScreen(QWidget):
    """The rating full screen on the desk's second screen, facing the applicant. It never takes
    the keyboard from the desk (the clerk's F2 goes on working) and gives up after a while:
    `timed_out`."""

    timed_out = Signal()

    def __init__(
        self, ticket: Rated, parent: QWidget | None = None, *, timeout_ms: int = RATING_TIMEOUT_MS
    ) -> None:
        super().__init__(
            parent,
            Qt.WindowType.Window
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowDoesNotAcceptFocus,
        )
        self.setObjectName("ratingScreen")
        self.setWindowTitle(self.tr("服务评价"))
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.view = RatingView(ticket, self)
        for button in (*self.view.buttons.values(), self.view.submit):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.view)
        layout.addStretch(1)
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self.timed_out)
        self._timeout.start(timeout_ms)


def applicant_screen() -> QScreen | None:
    """The desk's screen facing the applicant: its second screen, if it has one and the hall
    display (run in the same process) is not on it."""
    screens = QGuiApplication.screens()
    if len(screens) < 2:
        return None
    taken = {
        w.screen()
        for w in QApplication.topLevelWidgets()
        if w.objectName() == "hallDisplay" and w.isVisible()
    }
    return next((s for s in screens[1:] if s not in taken), None)


def ask_rating(
    backend: QueueBackend,
    ctx: DeskContext,
    ticket: TicketView,
    ops: Operations,
    parent: QWidget | None = None,
    *,
    timeout_ms: int = RATING_TIMEOUT_MS,
) -> QWidget | None:
    """The service of `ticket` has ended: record that its rating is awaited, and where. With a
    second screen the rating is shown there (returned); otherwise the kiosk asks it (None).
    Nothing is shown on the clerk's screen and nothing waits for the answer."""
    del backend  # the rating is recorded through the database's operations
    screen = applicant_screen()
    place = "kiosk" if screen is None else "second_screen"
    ops.write(lambda s: await_rating(s, ctx, ticket.id, place), changes={QUEUE}, owner=parent)
    if screen is None:
        return None
    widget = RatingScreen(ticket, parent, timeout_ms=timeout_ms)
    widget.setGeometry(screen.geometry())
    # Full screen without activating it (showFullScreen() would take the desk's keyboard).
    widget.setWindowState(Qt.WindowState.WindowFullScreen)
    widget.show()
    _record_answers(widget.view, widget.timed_out, ops, ctx, ticket.id, widget.close)
    return widget


def _record_answers(
    view: RatingView,
    timed_out: SignalInstance,
    ops: Operations,
    ctx: DeskContext,
    ticket_id: str,
    finished: Callable[[], object],
) -> None:
    """The applicant's rating, or "not rated" once the time is up, recorded on the worker;
    `finished` once recorded (or the rating was closed meanwhile)."""
    answered = [False]

    def recorded(_result: object = None) -> None:
        view.message.setText(QCoreApplication.translate("Rating", "谢谢您的评价"))
        finished()

    def refused(exc: BaseException) -> None:
        answered[0] = False
        view.message.setText(describe(exc))

    def record(value: int, comment: str) -> None:
        if answered[0]:
            return
        answered[0] = True
        ops.write(
            lambda s: rate(s, ctx, ticket_id, value, comment),
            recorded,
            changes={QUEUE},
            on_failed=refused,
            owner=view,
        )

    def give_up() -> None:
        if answered[0]:
            return
        answered[0] = True
        ops.write(
            lambda s: record_not_rated(s, ctx, ticket_id),
            lambda _closed: finished(),
            changes={QUEUE},
            owner=view,
        )

    view.rated.connect(record)
    timed_out.connect(give_up)


class KioskRatingPage(QWidget):
    """The kiosk's rating page: asks the oldest rating awaited at the kiosk, records the answer
    or, after `timeout_ms`, "not rated". `wanted` says a rating is waiting to be shown (the kiosk
    shows the page when nobody is taking a ticket); `finished` that the page is done."""

    wanted = Signal()
    finished = Signal()

    def __init__(
        self,
        ops: Operations,
        ctx: DeskContext,
        parent: QWidget | None = None,
        *,
        poll_ms: int = KIOSK_POLL_MS,
        timeout_ms: int = RATING_TIMEOUT_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kioskRatingPage")
        self.ops = ops
        self.ctx = ctx
        self.timeout_ms = timeout_ms
        self.pending: AwaitedRating | None = None
        self.shown: AwaitedRating | None = None
        self.view: RatingView | None = None
        self._layout = QVBoxLayout(self)
        self.back = QPushButton(self.tr("返回取号"), self)
        self.back.setObjectName("ratingBack")
        self.back.setMinimumHeight(96)
        self.back.clicked.connect(self._leave)
        self._layout.addWidget(self.back)
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.poll)
        self._poll.start()
        ops.did_execute.connect(self._changed)

    def poll(self) -> None:
        self.ops.read(lambda s: awaited_ratings(s, place="kiosk"), self._found, owner=self)

    def _changed(self, changes: frozenset[str], _initiator: object) -> None:
        if QUEUE in changes:
            self.poll()

    def _found(self, ratings: tuple[AwaitedRating, ...]) -> None:
        now, timeout = datetime.now(UTC), timedelta(milliseconds=self.timeout_ms)
        stale = [r for r in ratings if r.expired(now, timeout)]
        if stale and self.shown is None:
            ctx = self.ctx
            self.ops.write(lambda s: expire_awaited(s, ctx), changes={QUEUE}, owner=self)
        fresh = [r for r in ratings if r not in stale]
        self.pending = fresh[0] if fresh else None
        if self.pending is not None and self.shown is None:
            self.wanted.emit()

    def show_pending(self) -> bool:
        """Show the pending rating; False when there is none."""
        rating = self.pending
        if rating is None or self.shown is not None:
            return False
        self.shown = rating
        self.view = RatingView(rating, self)
        self._layout.insertWidget(0, self.view, 1)
        self._timeout = QTimer(self.view)
        self._timeout.setSingleShot(True)
        self._timeout.start(self.timeout_ms)
        _record_answers(
            self.view, self._timeout.timeout, self.ops, self.ctx, rating.ticket_id, self._done
        )
        return True

    def _done(self) -> None:
        view, self.view, self.shown, self.pending = self.view, None, None, None
        if view is not None:
            view.hide()
            view.deleteLater()
        self.finished.emit()
        self.poll()

    def _leave(self) -> None:
        # Back to taking tickets: the rating stays awaited; its time keeps running.
        self.finished.emit()
