"""The first paint does not import what only printing a case's papers, the supplements dialog
or the manager's tab need: the papers' model (app.printing.model, app.services.case_documents)
loads on a worker after the window shows, the rest when first used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from app.startup import open_desk

ROOT = Path(__file__).resolve().parents[1]

#: Not needed to paint the desk's window.
LATER = (
    "app.printing.model",
    "app.services.case_documents",
    "app.services.paper_content",
    "ui.case_papers",
    "ui.supplement_dialog",
)

_SCRIPT = textwrap.dedent(
    """
    import argparse, json, sys
    from app.startup import open_desk
    from ui.launch import build_windows, make_application

    later = sys.argv[2].split(",")
    app = make_application(None)
    setup = open_desk(sys.argv[1], None, None)
    args = argparse.Namespace(command=None, with_display=False, with_kiosk=False)
    main = build_windows(args, setup)[0]
    main.repaint()  # the first paint, before the event loop runs
    before = sorted(m for m in later if m in sys.modules)
    while not main.case_panel.index_loaded:
        app.processEvents()
    from PySide6.QtCore import QThreadPool
    QThreadPool.globalInstance().waitForDone()
    warmed = "app.services.case_documents" in sys.modules
    main.ops.wait_idle()
    main.print_service.ops.wait_idle()
    setup.database.close()
    print(json.dumps({"before": before, "warmed": warmed}))
    """
)


def test_the_first_paint_leaves_the_papers_and_dialogs_for_later(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_desk(data, None, None).database.close()  # the first run's demo import is not measured
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(data), ",".join(LATER)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"before": [], "warmed": True}
