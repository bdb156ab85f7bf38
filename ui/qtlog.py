"""Qt's own messages go to Python logging, and an unexpected exception shows a dialog instead
of killing the desk silently (the clerk can keep working; the log keeps the traceback)."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(msg_type: QtMsgType, context: QMessageLogContext, message: str) -> None:
    log.log(_LEVELS.get(msg_type, logging.WARNING), "%s", message)


def install_qt_logging() -> None:
    qInstallMessageHandler(_qt_message)


# Where the log file is, for the crash dialog to say (set when the desk's file log starts).
_log_path: Path | None = None


def _excepthook(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    logging.getLogger("crash").error("unhandled exception:\n%s", text)
    if QApplication.instance() is not None:
        box = QMessageBox(QMessageBox.Icon.Critical, "OneWindow", "")
        box.setObjectName("crashDialog")
        box.setText(
            QApplication.translate(
                "Crash",
                "程序出现意外错误。已保存的数据不受影响，可以继续办理；请把详情告知信息中心。",
            )
        )
        if _log_path is not None:
            box.setInformativeText(
                QApplication.translate("Crash", "日志文件：%1").replace("%1", str(_log_path))
            )
        box.setDetailedText(text)
        box.exec()


def install_crash_dialog(log_path: Path | None = None) -> None:
    """Unexpected exceptions show a dialog that says where the log (with the traceback) is."""
    global _log_path
    _log_path = log_path
    sys.excepthook = _excepthook
