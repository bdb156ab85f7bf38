"""`python -m ui.bench`: how long the desk's window stops answering while a case is saved.

A timer ticks every 5 ms on the UI thread; the largest gap between two ticks is the longest
stall of the event loop. Measured while the acceptance panel saves a case, its receipt is made,
and the preview is shown (then saved as PDF: no printer here), offscreen, on the demo
catalogue. Prints one JSON object; `python -m app bench` runs it in its own process (app/ does
not import ui/)."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

TICK_MS = 5
ID_RENEWAL = "11220800013546813E-000-220800-03"  # 居民身份证换领: 3 required materials
GOOD_ID = "220802198001010011"


class StallMeter:
    """The largest gap between two ticks of a 5 ms timer on the UI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0

    def start(self) -> None:
        self.last = time.perf_counter()
        self.longest = 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.longest * 1000


def bench_ui_stall(runs: int = 5) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QPushButton

    from app.catalogue.importer import import_demo_if_empty
    from app.catalogue.search import MatterIndex
    from app.rules.decision import MaterialStatus
    from app.rules.identity import id_check_char
    from app.services.applicant import ApplicantData
    from app.services.hall import ensure_demo_hall, set_desk
    from db.engine import open_database
    from ui.case_panel import CasePanel
    from ui.printing import PrintService

    app = QApplication.instance() or QApplication([])
    id_number = GOOD_ID[:17] + id_check_char(GOOD_ID[:17])
    stalls: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        # Every PDF of this run stays in the temporary directory.
        os.environ["ONEWINDOW_DATA_DIR"] = str(data)
        database = open_database(data / "desk.sqlite3")
        with database.session.begin() as s:
            import_demo_if_empty(s)
            ensure_demo_hall(s)
            ctx = set_desk(s, 1, "BC0101")
        with database.session() as s:
            index = MatterIndex.load(s)
        service = PrintService(
            data_dir=data,
            settings=QSettings(str(data / "print.ini"), QSettings.Format.IniFormat),
            printers=lambda: [],
        )
        panel = CasePanel(database, ctx, index, print_service=service)
        panel.resize(1100, 820)
        panel.show()
        meter = StallMeter()

        def close_preview() -> None:
            """The clerk looks at the preview (it renders), then saves the PDF."""
            dialog = QApplication.activeModalWidget()
            if isinstance(dialog, QDialog) and dialog.objectName() == "printPreviewDialog":
                if dialog.property("bench_seen"):
                    button = dialog.findChild(QPushButton, "savePdfButton")
                    assert button is not None
                    button.click()
                    return
                dialog.setProperty("bench_seen", True)
                QTimer.singleShot(250, close_preview)
                return
            QTimer.singleShot(20, close_preview)

        for _ in range(runs):
            panel.new_case()
            panel.applicant_form.set_applicant(
                ApplicantData(
                    kind="person", name="Wang Yan", id_number=id_number, phone="13912345678"
                )
            )
            panel.add_matter(ID_RENEWAL)
            panel.ops.wait_idle()  # the checklist is read on the worker
            for row in range(panel.model.rowCount()):
                panel.model.set_status(row, MaterialStatus.ELECTRONIC)
            # The clerk sees the filled-in form (and its live decision) before pressing save:
            # that painting is not part of the save.
            panel.ops.wait_idle()
            settle = QEventLoop()
            QTimer.singleShot(100, settle.quit)
            settle.exec()
            loop = QEventLoop()
            done: list[str] = []

            def finished(text: str, loop: QEventLoop = loop, done: list[str] = done) -> None:
                done.append(text)
                loop.quit()

            service.message.connect(finished)
            guard = QTimer()
            guard.setSingleShot(True)
            guard.timeout.connect(loop.quit)
            guard.start(60_000)
            meter.start()
            QTimer.singleShot(0, panel.save_and_print)
            QTimer.singleShot(0, close_preview)
            if not done:
                loop.exec()
            stalls.append(meter.stop())
            service.message.disconnect(finished)
            if not done or "PDF" not in done[-1]:
                raise RuntimeError(f"the case was not saved and previewed: {done}")
        panel.close()
        panel.deleteLater()
        app.processEvents()
        database.close()
    return {"ui_stall_ms": statistics.median(stalls), "ui_stall_max_ms": max(stalls)}


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    print(json.dumps(bench_ui_stall()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
