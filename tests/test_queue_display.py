"""The hall display: what it shows (numbers and windows, the newest highlighted, never a name
or an ID number), what it announces, and the announcement queue that never overlaps."""

from __future__ import annotations

import os
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel
from sqlalchemy.orm import Session, sessionmaker

from app.queue.backend import LocalQueue
from tests.test_queue_support import KIOSK, child, ctx, database, ops, seed_hall, sessions
from ui.display import (
    CHIME_MS,
    SPEECH_START_MS,
    AnnouncementQueue,
    HallDisplay,
    SystemSpeaker,
    write_chime,
)
from ui.operations import Operations

__all__ = ["database", "ops", "sessions"]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ID_NUMBER = "220802198001011232"


class FakeSpeaker:
    """Speaks for `duration_ms` (or until told, if None) and records any overlap."""

    def __init__(self, duration_ms: int | None = 20) -> None:
        self.duration_ms = duration_ms
        self.spoken: list[tuple[str, bool]] = []
        self.active = 0
        self.max_active = 0
        self.stops = 0
        self.waiting: list[Callable[[], None]] = []

    def speak(self, text: str, chime: bool, done: Callable[[], None]) -> None:
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        self.spoken.append((text, chime))

        def finish() -> None:
            self.active -= 1
            done()

        if self.duration_ms is None:
            self.waiting.append(finish)
        else:
            QTimer.singleShot(self.duration_ms, finish)

    def stop(self) -> None:
        self.stops += 1
        self.active = 0


@pytest.fixture
def backend(sessions: sessionmaker[Session]) -> LocalQueue:
    seed_hall(sessions)
    return LocalQueue(sessions)


@pytest.fixture
def displays(qtbot: Any) -> Iterator[list[HallDisplay]]:
    """Keeps the test's displays alive until their announcements are over: the fake
    speaker's timers must not outlive the queue they report to."""
    shown: list[HallDisplay] = []
    yield shown
    for display in shown:
        queue = display.announcements
        qtbot.waitUntil(lambda q=queue: not q.busy and q.pending() == 0, timeout=5000)
        display.close()
        display.deleteLater()


def make_display(
    qtbot: Any,
    backend: LocalQueue,
    speaker: FakeSpeaker,
    displays: list[HallDisplay],
    ops: Operations,
) -> HallDisplay:
    display = HallDisplay(backend, ops, speaker=speaker, poll_ms=60_000)
    assert ops.wait_idle()
    displays.append(display)  # closed by the fixture, once quiet
    display.resize(1920, 1080)
    display.show()
    qtbot.waitExposed(display)
    return display


def refresh(display: HallDisplay) -> None:
    """A poll, delivered."""
    display.refresh()
    assert display.ops.wait_idle()


def call(backend: LocalQueue, window: int) -> str:
    result = backend.call_next(ctx(window), f"r-{window}-{id(backend)}-{os.urandom(4).hex()}")
    assert result.ticket is not None
    return result.ticket.id


def test_the_queue_never_overlaps(qtbot: Any) -> None:
    speaker = FakeSpeaker(duration_ms=15)
    queue = AnnouncementQueue(speaker, repeat=2)
    for text in ("一", "二", "三"):
        queue.enqueue(text)
    assert queue.busy and queue.pending() == 2
    qtbot.waitUntil(lambda: not queue.busy and queue.pending() == 0, timeout=3000)
    assert speaker.spoken == [
        ("一", True),
        ("一", False),
        ("二", True),
        ("二", False),
        ("三", True),
        ("三", False),
    ]
    assert speaker.max_active == 1


def test_a_speaker_that_answers_at_once_does_not_recurse(qtbot: Any) -> None:
    speaker = FakeSpeaker(duration_ms=0)
    queue = AnnouncementQueue(speaker, repeat=1)
    for i in range(200):
        queue.enqueue(str(i))
    qtbot.waitUntil(lambda: not queue.busy and queue.pending() == 0, timeout=5000)
    assert [text for text, _ in speaker.spoken] == [str(i) for i in range(200)]
    assert speaker.max_active == 1


def test_a_silent_speaker_is_given_up_on(qtbot: Any) -> None:
    speaker = FakeSpeaker(duration_ms=None)  # never reports done by itself
    queue = AnnouncementQueue(speaker, repeat=1, max_ms=50)
    queue.enqueue("一")
    queue.enqueue("二")
    qtbot.waitUntil(lambda: [t for t, _ in speaker.spoken] == ["一", "二"], timeout=2000)
    assert speaker.stops >= 1
    # The late answer for the first one changes nothing.
    speaker.waiting[0]()
    assert queue.busy  # still on the second


def test_the_display_shows_and_announces_new_calls(
    qtbot: Any, backend: LocalQueue, displays: list[HallDisplay], ops: Operations
) -> None:
    backend.issue_ticket(KIOSK, "A", id_number=ID_NUMBER)
    backend.issue_ticket(KIOSK, "A")
    backend.issue_ticket(KIOSK, "B")
    early = call(backend, 1)  # before the screen is on: shown, not announced
    speaker = FakeSpeaker()
    display = make_display(qtbot, backend, speaker, displays, ops)
    assert speaker.spoken == []
    newest = child(display, QLabel, "call0")
    assert "A001" in newest.text() and "1" in newest.text()
    assert display.highlighted is newest
    assert "#b71c1c" in newest.styleSheet()

    call(backend, 3)  # window 3 prefers B
    refresh(display)
    assert "B001" in newest.text() and "3 号窗口" in newest.text()
    older = child(display, QLabel, "call1")
    assert older.text() == "A001  →  1号窗口"
    assert display.highlighted is newest
    assert "#b71c1c" not in older.styleSheet()
    qtbot.waitUntil(lambda: len(speaker.spoken) == 2, timeout=2000)
    assert speaker.spoken == [
        ("请B零零一号到3号窗口办理", True),
        ("请B零零一号到3号窗口办理", False),
    ]

    backend.recall(ctx(1), early)  # a recall is announced again
    refresh(display)
    assert "A001" in newest.text()
    qtbot.waitUntil(lambda: len(speaker.spoken) == 4, timeout=2000)
    assert speaker.spoken[2] == ("请A零零一号到1号窗口办理", True)
    refresh(display)  # nothing new: nothing more is said
    qtbot.wait(100)
    assert len(speaker.spoken) == 4
    assert speaker.max_active == 1


def test_the_display_never_shows_an_id_number(
    qtbot: Any, backend: LocalQueue, displays: list[HallDisplay], ops: Operations
) -> None:
    for _ in range(3):
        backend.issue_ticket(KIOSK, "A", id_number=None)
    backend.issue_ticket(KIOSK, "B", id_number=ID_NUMBER)
    display = make_display(qtbot, backend, FakeSpeaker(), displays, ops)
    call(backend, 3)
    call(backend, 1)
    refresh(display)
    texts = [label.text() for label in display.findChildren(QLabel)]
    assert any("B001" in t for t in texts)
    assert not any(ID_NUMBER[-6:] in t or ID_NUMBER[:6] in t for t in texts)


def test_the_display_shows_waiting_counts_and_the_hall(
    qtbot: Any, backend: LocalQueue, displays: list[HallDisplay], ops: Operations
) -> None:
    for line in "AAB":
        backend.issue_ticket(KIOSK, line)
    display = make_display(qtbot, backend, FakeSpeaker(), displays, ops)
    assert child(display, QLabel, "hallName").text() == "白城市政务服务中心"
    assert child(display, QLabel, "waitingCount_A").text() == "2 人"
    assert child(display, QLabel, "waitingCount_B").text() == "1 人"
    assert "社保医保" in child(display, QLabel, "waitingName_A").text()
    assert "星期" in child(display, QLabel, "clock").text()
    # From ten metres: the newest call is at least a sixth of the screen's height.
    assert child(display, QLabel, "call0").font().pixelSize() >= 1080 // 6


def test_the_chime_is_a_short_wav(tmp_path: Path) -> None:
    path = write_chime(tmp_path / "chime.wav")
    with wave.open(str(path)) as chime:
        seconds = chime.getnframes() / chime.getframerate()
        assert chime.getnchannels() == 1 and chime.getsampwidth() == 2
    assert abs(seconds - CHIME_MS / 1000) < 0.01


def test_the_system_speaker_without_audio_plays_on(qtbot: Any) -> None:
    speaker = SystemSpeaker()
    assert speaker.chime_path.exists()
    done: list[bool] = []
    speaker.speak("请A001号到1号窗口办理", True, lambda: done.append(True))
    # With no audio, or a speech plug-in whose service is not running, it still finishes.
    qtbot.waitUntil(lambda: done == [True], timeout=CHIME_MS + SPEECH_START_MS + 10_000)
    speaker.stop()
