"""The one place where the core's errors become text for the person at the desk.

Every widget and operation shows a refused action through `describe()`, never `str(exc)` and
never a traceback."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.errors import UserError
from db.engine import DatabaseOpenError, StoreBusy


def describe(exc: BaseException) -> str:
    """The message for `exc`, in the desk's language."""
    if isinstance(exc, StoreBusy):
        return QCoreApplication.translate(
            "Messages", "另一个窗口正在保存，数据库暂时忙；本次操作未保存，请稍后重试"
        )
    if isinstance(exc, UserError | DatabaseOpenError):
        return str(exc)
    if isinstance(exc, OSError):
        return QCoreApplication.translate("Messages", "文件操作失败：{0}").format(
            exc.strerror or exc
        )
    return QCoreApplication.translate("Messages", "操作失败：{0}").format(type(exc).__name__)
