"""The desk's log: a rotating file in the data directory, owner-only, with no personal data.

Nothing the program logs on purpose names a citizen (a test checks the log calls); as a safety
net for what slips through (an exception's text, a Qt message), a filter masks anything shaped
like a resident ID number (18 or 15 digits) or a mobile phone number (11 digits) before it
reaches the file.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import re
from pathlib import Path

#: Where the log lives, relative to the data directory.
LOG_FILE = Path("logs") / "onewindow.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_ID_18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_ID_15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def mask_personal(text: str) -> str:
    """ID numbers and mobile numbers replaced by a placeholder; other numbers (case and
    document numbers are 20 and more digits) are left alone."""
    text = _ID_18.sub("<id-number>", text)
    text = _ID_15.sub("<id-number>", text)
    return _PHONE.sub("<phone>", text)


class PersonalDataFilter(logging.Filter):
    """Masks ID and phone numbers in a record's message, its exception and its stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal(record.stack_info)
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose files (the current one and each new one after a
    rollover) are readable by their owner only, whatever the umask."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.chmod(self.baseFilename, 0o600)
        stream = os.fdopen(fd, "a", encoding=self.encoding or "utf-8", errors=self.errors)
        assert isinstance(stream, io.TextIOWrapper)
        return stream


def log_file(data_dir: Path) -> Path:
    return data_dir / LOG_FILE


def start_file_log(data_dir: Path, verbose: bool = False) -> logging.Handler | None:
    """Send the log to `data_dir`/logs/onewindow.log (replacing any earlier file log of this
    process). None if the file cannot be made: a desk must not refuse to start for its log."""
    stop_file_log()
    path = log_file(data_dir)
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        os.chmod(path.parent, 0o700)
        handler = PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        logging.getLogger(__name__).warning("no log file in %s: %s", data_dir, exc.strerror)
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(logging.DEBUG if verbose else logging.INFO)
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    _saved_level.append(root.level)
    if root.level > handler.level or root.level == logging.NOTSET:
        root.setLevel(handler.level)
    # The console keeps showing warnings only, as before.
    for other in root.handlers:
        if other is not handler and other.level == logging.NOTSET:
            other.setLevel(logging.DEBUG if verbose else logging.WARNING)
    return handler


def current_log_file() -> Path | None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, PrivateRotatingFileHandler):
            return Path(handler.baseFilename)
    return None


_saved_level: list[int] = []


def stop_file_log() -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, PrivateRotatingFileHandler):
            root.removeHandler(handler)
            handler.close()
    if _saved_level:
        root.setLevel(_saved_level.pop())
