"""The desk's status bar: window, clerk, catalogue version and whether the central store is
reachable (probed off the UI thread, so a dead network never freezes the desk)."""

from __future__ import annotations

import contextlib

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from app.sync.status import probe


class _ProbeSignals(QObject):
    done = Signal(bool)


class _Probe(QRunnable):
    def __init__(self, url: str, signals: _ProbeSignals) -> None:
        super().__init__()
        self.url, self.signals = url, signals

    def run(self) -> None:
        online = probe(self.url)
        # The window may have closed while the probe waited for the network: then nobody is
        # left to tell.
        with contextlib.suppress(RuntimeError):
            if shiboken6.isValid(self.signals):
                self.signals.done.emit(online)


class DeskStatusBar(QStatusBar):
    PROBE_INTERVAL_MS = 15_000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deskStatusBar")
        self.window_label = self._label("windowLabel")
        self.clerk_label = self._label("clerkLabel")
        self.catalogue_label = self._label("catalogueLabel")
        self.online_label = self._label("onlineLabel")
        self.printer_label = self._label("printerLabel")
        self._url: str | None = None
        self._signals = _ProbeSignals(self)
        self._signals.done.connect(self.set_online)
        self._timer = QTimer(self)
        self._timer.setInterval(self.PROBE_INTERVAL_MS)
        self._timer.timeout.connect(self._start_probe)

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        self.addPermanentWidget(label)
        return label

    def show_desk(
        self, window: int | None, clerk: str | None, catalogue: str | None, demo: bool
    ) -> None:
        self.window_label.setText(
            self.tr("%1 号窗口").replace("%1", str(window)) if window else self.tr("未指定窗口")
        )
        self.clerk_label.setText(self.tr("工作人员：%1").replace("%1", clerk or "—"))
        text = self.tr("目录版本：%1").replace("%1", catalogue or self.tr("未导入"))
        if demo:
            text += self.tr("（演示数据）")
        self.catalogue_label.setText(text)

    def show_printers(self, summary: str) -> None:
        """Each paper's printer and its state (ui.printing.PrintService.printer_summary)."""
        self.printer_label.setText(summary)

    REPORT_MS = 15_000

    def report(self, text: str) -> None:
        """An operation's failure or wait, in the status bar. The same text while it is still
        shown is not shown again: a refresh timer failing every few seconds says it once."""
        if text and self.currentMessage() != text:
            self.showMessage(text, self.REPORT_MS)

    def watch_central(self, url: str | None) -> None:
        """Probe `url` now and every 15 s; with no URL the desk runs on its own."""
        self._url = url
        if url is None:
            self._timer.stop()
            self.online_label.setText(self.tr("● 单机运行"))
            self.online_label.setToolTip(self.tr("未配置中心库，数据只保存在本机"))
            return
        self.set_online(False)
        self._timer.start()
        self._start_probe()

    def _start_probe(self) -> None:
        if self._url:
            QThreadPool.globalInstance().start(_Probe(self._url, self._signals))

    def set_online(self, online: bool) -> None:
        self.online_label.setProperty("online", online)
        if online:
            self.online_label.setText(self.tr("● 在线"))
            self.online_label.setStyleSheet("color: #1a7f37;")
            self.online_label.setToolTip(self.tr("已连接中心库"))
        else:
            self.online_label.setText(self.tr("● 离线"))
            self.online_label.setStyleSheet("color: #b35900;")
            self.online_label.setToolTip(self.tr("中心库不可达：继续在本机办理，恢复后自动同步"))
