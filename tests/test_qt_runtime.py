"""Guards on the Qt runtime the desk depends on, so that an upgrade of PySide6 that brings a
known fault back fails here, not at a window after a day of calls."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Source(QObject):
    ping = Signal(str)


def test_emitting_from_python_leaves_true_alone() -> None:
    """PySide6 6.12.0 on CPython 3.11 takes one reference off True per emit() from Python and
    aborts the interpreter after a few thousand; pyproject.toml pins below it."""
    source = _Source()
    received: list[str] = []
    source.ping.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(500):
        source.ping.emit(str(i))
    assert abs(sys.getrefcount(True) - before) < 10
    assert len(received) == 500


def test_the_print_preview_and_speech_modules_are_there() -> None:
    """QtPdf (print preview), QtPrintSupport, QtTextToSpeech and QtMultimedia (the hall
    display's voice and chime) ship with the pinned wheels."""
    from PySide6 import QtMultimedia, QtPdf, QtPdfWidgets, QtPrintSupport, QtTextToSpeech

    assert all((QtMultimedia, QtPdf, QtPdfWidgets, QtPrintSupport, QtTextToSpeech))
