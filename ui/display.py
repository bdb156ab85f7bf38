"""The hall display (叫号屏): full screen, legible from ten metres. It shows the latest calls
with their windows (the newest highlighted), the waiting counts per line, the hall's name and
a clock, and announces each call with a chime and, when a speech engine is present, the
sentence. It shows ticket numbers and windows only: never a name, never an ID number (what it
reads, AnnouncedCall and WaitingCounts, carries none).

Announcements go through one queue and never overlap; a speech engine that never reports
back is stopped after a while so that the hall is never left silent for good."""

from __future__ import annotations

import atexit
import contextlib
import math
import os
import struct
import tempfile
import wave
from collections import deque
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QLocale,
    QObject,
    Qt,
    QTime,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.clock import hall_now
from app.queue.announce import announcement_text, spoken_text
from app.queue.backend import LocalQueue, QueueBackend
from app.queue.views import AnnouncedCall, WaitingCounts
from db.engine import Database
from ui.messages import localise
from ui.operations import QUEUE, Operations, operations_for

POLL_MS = 1500
HISTORY = 6  # calls shown: the newest big, the others below it
CHIME_MS = 900
SPEECH_START_MS = 3000
SAMPLE_RATE = 22_050

# --- the chime -----------------------------------------------------------------------------


def write_chime(path: Path, *, rate: int = SAMPLE_RATE) -> Path:
    """A two-tone "ding-dong" (E5 then C5, each fading out), 16-bit mono WAV, generated here
    so that no sound file needs to ship."""
    frames = bytearray()
    half = int(rate * CHIME_MS / 1000 / 2)
    for frequency in (659.25, 523.25):
        for i in range(half):
            t = i / rate
            envelope = math.exp(-4.0 * t) * min(1.0, i / (rate * 0.01))  # 10 ms attack, no click
            sample = (
                0.55
                * envelope
                * (
                    math.sin(2 * math.pi * frequency * t)
                    + 0.25 * math.sin(2 * math.pi * 2 * frequency * t)
                )
            )
            frames += struct.pack("<h", int(max(-1.0, min(1.0, sample)) * 32767))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return path


# --- speaking ------------------------------------------------------------------------------


class Speaker(Protocol):
    """Plays one utterance (optionally preceded by the chime) and calls `done` once it has
    finished; `stop` cuts it short."""

    def speak(self, text: str, chime: bool, done: Callable[[], None]) -> None: ...

    def stop(self) -> None: ...


class SystemSpeaker(QObject):
    """The chime through QtMultimedia's QSoundEffect and the sentence through QtTextToSpeech,
    each only if the platform offers it: without a speech engine the chime alone is played."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        fd, name = tempfile.mkstemp(prefix="onewindow-chime-", suffix=".wav")
        os.close(fd)
        self.chime_path = write_chime(Path(name))
        atexit.register(self._remove_chime)
        self._effect: Any = None
        self._tts: Any = None
        self._done: Callable[[], None] | None = None
        self._saw_speaking = False
        self._after_chime = QTimer(self)
        self._after_chime.setSingleShot(True)
        self._after_chime.timeout.connect(self._say_pending)
        self._pending_text = ""
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:  # Qt Multimedia or its audio libraries are not installed
            pass
        else:
            self._effect = QSoundEffect(self)
            self._effect.setSource(QUrl.fromLocalFile(str(self.chime_path)))
            self._effect.setVolume(0.9)
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            pass
        else:
            self._tts = self._working_tts(QTextToSpeech)
            if self._tts is not None:
                chinese = [
                    loc
                    for loc in self._tts.availableLocales()
                    if loc.language() == QLocale.Language.Chinese
                ]
                if chinese:
                    self._tts.setLocale(chinese[0])
                self._tts.setRate(-0.1)  # a little slower: a large hall echoes
                self._tts.stateChanged.connect(self._on_tts_state)
        # A speech engine that never starts must not hold the queue until its watchdog.
        self._start_timeout = QTimer(self)
        self._start_timeout.setSingleShot(True)
        self._start_timeout.setInterval(SPEECH_START_MS)
        self._start_timeout.timeout.connect(self._on_start_timeout)

    def _working_tts(self, tts_class: Any) -> Any:
        """The first speech engine that initialises ("mock" is Qt's silent test engine; a
        plug-in such as speechd may be installed without its service running)."""
        for engine in tts_class.availableEngines():
            if engine == "mock":
                continue
            tts = tts_class(engine, self)
            if tts.state() != tts_class.State.Error:
                return tts
            tts.deleteLater()
        return None

    @property
    def has_voice(self) -> bool:
        return self._tts is not None

    def _remove_chime(self) -> None:
        with contextlib.suppress(OSError):
            self.chime_path.unlink()

    def speak(self, text: str, chime: bool, done: Callable[[], None]) -> None:
        self._done = done
        self._pending_text = text
        if chime:
            if self._effect is not None:
                self._effect.play()
            # The sentence starts once the chime has rung out (a timer: an audio device that
            # never reports playing must not hold the announcement back).
            self._after_chime.start(CHIME_MS)
        else:
            self._say_pending()

    def _say_pending(self) -> None:
        if self._tts is None:
            self._finish()
            return
        self._saw_speaking = False
        self._start_timeout.start()
        self._tts.say(self._pending_text)

    def _on_start_timeout(self) -> None:
        if not self._saw_speaking:
            self._finish()

    def _on_tts_state(self, state: Any) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        if state == QTextToSpeech.State.Speaking:
            self._saw_speaking = True
            self._start_timeout.stop()
        elif state == QTextToSpeech.State.Error or (
            state == QTextToSpeech.State.Ready and self._saw_speaking
        ):
            self._finish()

    def _finish(self) -> None:
        self._start_timeout.stop()
        done, self._done = self._done, None
        if done is not None:
            done()

    def stop(self) -> None:
        self._after_chime.stop()
        self._start_timeout.stop()
        self._done = None
        if self._effect is not None:
            self._effect.stop()
        if self._tts is not None:
            self._tts.stop()


class AnnouncementQueue(QObject):
    """Announcements one after another, each `repeat` times (the chime before the first);
    the next starts only when the speaker reports the previous one done, or when it has taken
    longer than `max_ms` (the speaker is then stopped)."""

    started = Signal(str)
    finished = Signal(str)

    def __init__(
        self,
        speaker: Speaker,
        *,
        repeat: int = 2,
        max_ms: int = 15_000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.speaker = speaker
        self.repeat = max(1, repeat)
        self._items: deque[tuple[str, str]] = deque()  # (shown text, spoken text)
        self._current: tuple[str, str] | None = None
        self._remaining = 0
        self._token = 0
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.setInterval(max_ms)
        self._watchdog.timeout.connect(self._on_timeout)

    @property
    def busy(self) -> bool:
        return self._current is not None

    def pending(self) -> int:
        return len(self._items)

    def enqueue(self, text: str, spoken: str | None = None) -> None:
        self._items.append((text, spoken or text))
        if not self.busy:
            self._start_next()

    def _start_next(self) -> None:
        if self._current is not None or not self._items:
            return
        self._current = self._items.popleft()
        self._remaining = self.repeat
        self.started.emit(self._current[0])
        self._utter(chime=True)

    def _utter(self, *, chime: bool) -> None:
        assert self._current is not None
        self._token += 1
        token = self._token
        self._remaining -= 1
        self._watchdog.start()
        self.speaker.speak(self._current[1], chime, lambda: self._on_done(token))

    def _on_done(self, token: int) -> None:
        if token != self._token or self._current is None:
            return  # a late answer for an utterance already given up on
        self._watchdog.stop()
        # Continue from the event loop: a speaker that answers at once must not recurse.
        QTimer.singleShot(0, self._advance)

    def _on_timeout(self) -> None:
        self._token += 1  # whatever the speaker says later about it no longer counts
        self.speaker.stop()
        self._finish_current()

    def _advance(self) -> None:
        if self._current is None:
            return
        if self._remaining > 0:
            self._utter(chime=False)
        else:
            self._finish_current()

    def _finish_current(self) -> None:
        if self._current is None:
            return
        text = self._current[0]
        self._current = None
        self._remaining = 0
        self.finished.emit(text)
        QTimer.singleShot(0, self._start_next)


# --- the screen ----------------------------------------------------------------------------

NEWEST_STYLE = "background:#b71c1c;color:#ffffff;border-radius:12px;"
OLDER_STYLE = "color:#ffe082;"
NEWEST_STRETCH = 6  # of the calls column; each older call has 1
MIN_PX = 8


class FitLabel(QLabel):
    """A label whose text is as large as `scale` × the screen's unit allows, and smaller when
    it would not fit its rectangle. Its size never follows its font (the layout ignores its
    size hint), so the font following the window cannot make the window grow."""

    def __init__(
        self,
        parent: QWidget,
        name: str,
        scale: float,
        *,
        bold: bool = False,
        wrap: bool = False,
        margin: int = 0,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setTextFormat(Qt.TextFormat.PlainText)  # names from data, never markup
        self.setWordWrap(wrap)
        # After setWordWrap (which asks for height-for-width): no size hint, no minimum.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setContentsMargins(margin, margin, margin, margin)
        self.scale = scale
        self.bold = bold
        self.unit = 12

    def set_unit(self, unit: int) -> None:
        self.unit = unit
        self.fit()

    def setText(self, text: str) -> None:
        super().setText(text)
        self.fit()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.fit()

    def fits(self, font: QFont) -> bool:
        """Whether the text, in `font`, fits inside the label's contents rectangle."""
        rect = self.contentsRect()
        flags = int(self.alignment().value)
        if self.wordWrap():
            flags |= int(Qt.TextFlag.TextWordWrap.value)
        bound = QFontMetrics(font).boundingRect(rect, flags, self.text())
        return bound.width() <= rect.width() and bound.height() <= rect.height()

    def fit(self) -> None:
        font = QFont(self.font())
        font.setBold(self.bold)
        high = max(MIN_PX, int(self.unit * self.scale))
        font.setPixelSize(high)
        if self.text() and not self.fits(font):
            low = MIN_PX  # the largest size that fits lies in [low, high)
            while high - low > 1:
                middle = (low + high) // 2
                font.setPixelSize(middle)
                if self.fits(font):
                    low = middle
                else:
                    high = middle
            font.setPixelSize(low)
        if font != self.font():
            self.setFont(font)


Reading = tuple[str, tuple[AnnouncedCall, ...], WaitingCounts]
SCREEN_STYLE = "QWidget#hallDisplay{background:#0d1b2a;} QLabel{color:#ffffff;}"


class HallDisplay(QWidget):
    """The hall screen. `refresh()` reads the queue now (connect it to the desk's
    ticket_called signal when both run in one process); otherwise it polls."""

    def __init__(
        self,
        backend: QueueBackend,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        speaker: Speaker | None = None,
        repeat: int = 2,
        poll_ms: int = POLL_MS,
        history: int = HISTORY,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("hallDisplay")
        self.setAccessibleName(self.tr("叫号显示屏"))
        self.setStyleSheet(SCREEN_STYLE)
        self.backend = backend
        # Polls run on the database's worker: a busy file never freezes the screen.
        self.ops = ops
        self._polling = False
        self._poll_again = False
        self.history = history
        self.announcements = AnnouncementQueue(
            speaker if speaker is not None else SystemSpeaker(self), repeat=repeat, parent=self
        )
        # (ticket id, call count) of every call already announced: a recall counts anew.
        self._seen: set[tuple[str, int]] = set()
        self._primed = False
        self.highlighted: QLabel | None = None  # the newest call's label, when there is one
        self._build()
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._tick()
        self._poll = QTimer(self)
        self._poll.timeout.connect(self.refresh)
        self._poll.start(poll_ms)
        # A call made in this process (a desk beside the screen) is shown at once.
        ops.did_execute.connect(self._on_changes)
        self.refresh()

    def _on_changes(self, changes: frozenset[str], _initiator: object) -> None:
        if QUEUE in changes:
            self.refresh()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        header = QHBoxLayout()
        self.hall_label = FitLabel(self, "hallName", 1.6, bold=True)
        self.hall_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.clock_label = FitLabel(self, "clock", 1.1)
        self.clock_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.hall_label, 1)
        header.addWidget(self.clock_label, 1)
        outer.addLayout(header, 2)

        body = QHBoxLayout()
        calls = QVBoxLayout()
        self.call_labels: list[FitLabel] = []
        for i in range(self.history):
            label = FitLabel(
                self, f"call{i}", 4 if i == 0 else 1.8, bold=i == 0, margin=12 if i == 0 else 2
            )
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            calls.addWidget(label, NEWEST_STRETCH if i == 0 else 1)
            self.call_labels.append(label)
        body.addLayout(calls, 3)

        side = QFrame(self)
        side.setObjectName("waitingPanel")
        self.waiting_grid = QGridLayout(side)
        self.waiting_title = FitLabel(side, "waitingTitle", 1.4, bold=True)
        self.waiting_title.setText(self.tr("等候人数"))
        self.waiting_grid.addWidget(self.waiting_title, 0, 0, 1, 2)
        # A long line name wraps rather than running into its count.
        self.waiting_grid.setColumnStretch(0, 3)
        self.waiting_grid.setColumnStretch(1, 1)
        self.waiting_labels: dict[str, tuple[FitLabel, FitLabel]] = {}
        body.addWidget(side, 2)
        outer.addLayout(body, 20)
        # Shown only while a display following the central store cannot reach it.
        self.central_label = FitLabel(self, "centralOffline", 0.5)
        self.central_label.setStyleSheet("color:#8d99ae;")
        self.central_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.central_label.setVisible(False)
        outer.addWidget(self.central_label, 1)
        self._apply_fonts()

    # Sizes follow the screen: from ten metres, the newest call needs ~1/6 of its height.
    # Each label shrinks its text where it would not fit; none makes the window grow.
    def _apply_fonts(self) -> None:
        unit = max(12, self.height() // 24)
        labels: list[FitLabel] = [self.hall_label, self.clock_label, self.waiting_title]
        labels.append(self.central_label)
        labels += self.call_labels
        for pair in self.waiting_labels.values():
            labels += pair
        for label in labels:
            label.set_unit(unit)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._apply_fonts()

    def _tick(self) -> None:
        now = hall_now()
        self.clock_label.setText(_clock_text(now))

    # --- reading the queue --------------------------------------------------------------

    def refresh(self) -> None:
        """Read the queue on the worker and show it when it arrives. A failed poll shows
        nothing new (the operations log it); the next poll catches up."""
        if self._polling:
            self._poll_again = True  # the reading on its way may predate the change
            return
        self._polling = True
        self._poll_again = False
        backend, history = self.backend, self.history
        # A display following the central store reads its board in one request.
        board: Callable[[int], Reading] | None = getattr(backend, "board", None)

        def read() -> tuple[Reading, bool]:
            if board is not None:
                reading = board(history)
            else:
                reading = (
                    backend.hall_name(),
                    backend.latest_calls(history),
                    backend.waiting_counts(),
                )
            return reading, bool(getattr(backend, "online", True))

        self.ops.run(read, self._show, on_failed=self._poll_failed, owner=self)

    def _poll_failed(self, _exc: BaseException) -> None:
        self._poll_done()

    def _poll_done(self) -> None:
        self._polling = False
        if self._poll_again:
            self.refresh()

    def _show(self, read: tuple[Reading, bool]) -> None:
        try:
            reading, online = read
            self.central_label.setText("" if online else self.tr("中心库未连接：显示本机数据"))
            self.central_label.setVisible(not online)
            self._show_reading(reading)
        finally:
            self._poll_done()

    def _show_reading(self, read: Reading) -> None:
        hall_name, calls, counts = read
        self.hall_label.setText(hall_name)
        self._show_calls(calls)
        self._show_counts(counts)
        fresh = [c for c in reversed(calls) if (c.ticket_id, c.call_count) not in self._seen]
        self._seen.update((c.ticket_id, c.call_count) for c in calls)
        if not self._primed:
            # Calls made before the screen was switched on are shown, not announced.
            self._primed = True
            return
        for call in fresh:  # oldest first
            self.announcements.enqueue(
                localise(announcement_text(call.number, call.window_number)),
                spoken_text(call.number, call.window_number),
            )

    def _show_calls(self, calls: tuple[AnnouncedCall, ...]) -> None:
        for i, label in enumerate(self.call_labels):
            if i < len(calls):
                call = calls[i]
                offline = self.tr("（离线号）") if call.offline else ""
                if i == 0:
                    text = self.tr("请 {0} 号\n到 {1} 号窗口{2}").format(
                        call.number, call.window_number, offline
                    )
                else:
                    text = self.tr("{0}  →  {1}号窗口{2}").format(
                        call.number, call.window_number, offline
                    )
                label.setText(text)
            elif i == 0:
                # Nobody called yet today: the screen says what to do rather than stay blank.
                label.setText(self.tr("请取号等候\n留意屏幕叫号"))
            else:
                label.setText("")
            newest = i == 0 and i < len(calls)
            label.setStyleSheet(NEWEST_STYLE if newest else OLDER_STYLE)
            label.setAccessibleDescription(self.tr("最新叫号") if newest else "")
            if newest:
                self.highlighted = label

    def _show_counts(self, counts: WaitingCounts) -> None:
        for row, line in enumerate(counts.lines, start=1):
            if line.line_code not in self.waiting_labels:
                name = FitLabel(self, f"waitingName_{line.line_code}", 1.4, wrap=True)
                name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                count = FitLabel(self, f"waitingCount_{line.line_code}", 1.6, bold=True)
                count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.waiting_grid.addWidget(name, row, 0)
                self.waiting_grid.addWidget(count, row, 1)
                self.waiting_labels[line.line_code] = (name, count)
                self._apply_fonts()
            name_label, count_label = self.waiting_labels[line.line_code]
            name_label.setText(f"{line.prefix}  {line.line_name}")
            count_label.setText(self.tr("{0} 人").format(line.waiting))


def _clock_text(now: datetime) -> str:
    """The date and time in the UI's language (QLocale's day names, a translatable format)."""
    moment = QDateTime(QDate(now.year, now.month, now.day), QTime(now.hour, now.minute, now.second))
    fmt = QCoreApplication.translate("HallDisplay", "yyyy年M月d日 dddd HH:mm:ss")
    return QLocale().toString(moment, fmt)


def run_display(database: Database) -> HallDisplay:
    """The hall screen on the desk's database (`python -m app display`), not yet shown: the
    launcher shows it full screen (or windowed). In one process with a desk, connect the
    queue panel's `ticket_called` to `refresh` so a call is announced without waiting for
    the next poll."""
    from app.queue.following import following_queue_for

    # With a central store and a token (`--central URL --token T`): every desk's calls.
    following = following_queue_for(database)
    backend: QueueBackend = following if following is not None else LocalQueue(database)
    display = HallDisplay(backend, operations_for(database))
    if following is not None:
        display.destroyed.connect(lambda *_: following.close())
    display.setWindowTitle(display.tr("叫号显示屏"))
    return display
