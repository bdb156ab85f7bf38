"""Start-up loads only what the first paint needs: reportlab, pypinyin, jsonschema, httpx and openpyxl,
the papers' model and the papers' and supplements' dialogs are not imported before the main
window is painted (the papers' model loads on a worker right after); the matter index is built on the database's worker
after the window shows (the search box says so meanwhile), and reportlab's fonts are
registered on a worker right after."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.startup import DeskSetup, open_desk
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh interpreter: what this process already imported must not count.
_SCRIPT = textwrap.dedent(
    """
    import argparse, json, sys
    from app.startup import open_desk
    from ui.launch import build_windows, make_application

    app = make_application(None)
    setup = open_desk(sys.argv[1], None, None)
    args = argparse.Namespace(command=None, with_display=False, with_kiosk=False)
    main = build_windows(args, setup)[0]
    main.repaint()  # the first paint, synchronously, before the event loop runs
    heavy = (
        "reportlab", "pypinyin", "jsonschema", "httpx", "openpyxl",
        "app.printing.model", "app.services.case_documents", "app.services.paper_content",
        "ui.case_papers", "ui.supplement_dialog",
    )
    before = sorted(m for m in heavy if m in sys.modules)
    index_before = main.case_panel.index_loaded
    hint = main.case_panel.search.edit.placeholderText()
    # Then the event loop: what was deferred arrives.
    while not main.case_panel.index_loaded:
        app.processEvents()
    from PySide6.QtCore import QThreadPool
    QThreadPool.globalInstance().waitForDone()
    from app.printing import fonts
    from reportlab.pdfbase import pdfmetrics
    fallback_after = fonts.FALLBACK_FONT in pdfmetrics.getRegisteredFontNames()
    ext_a = list(fonts.runs("王䶮"))  # a name the main font cannot print alone
    print(json.dumps({
        "before": before, "index_before": index_before, "hint": hint,
        "fonts_after": fonts._registered, "reportlab_after": "reportlab" in sys.modules,
        "papers_model_after": "app.services.case_documents" in sys.modules,
        "fallback_after": fallback_after, "ext_a": ext_a,
        "fallback_when_needed": fonts.FALLBACK_FONT in pdfmetrics.getRegisteredFontNames(),
    }))
    main.ops.wait_idle()
    main.print_service.ops.wait_idle()
    setup.database.close()
    """
)


def test_first_paint_imports_no_reportlab_pypinyin_or_jsonschema(tmp_path: Path) -> None:
    data = tmp_path / "data"
    # The first start imports the demo catalogue (pypinyin, jsonschema): a desk's later starts
    # are the ones measured.
    open_desk(data, None, None).database.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(data)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    import json

    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["before"] == []
    assert result["index_before"] is False
    assert result["hint"] == "正在载入事项目录…"
    assert result["fonts_after"] is True
    assert result["reportlab_after"] is True
    assert result["papers_model_after"] is True  # warmed on a worker, before the first paper
    # The fallback font (~18 MB parsed) waits for a name that needs it.
    assert result["fallback_after"] is False
    assert result["ext_a"] == [["OneWindowSans", "王"], ["OneWindowSansFallback", "䶮"]]
    assert result["fallback_when_needed"] is True


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[DeskSetup]:
    desk = open_desk(tmp_path / "data", window_number=3, clerk_id="BC0103")
    yield desk
    desk.database.close()


def test_window_shows_before_the_index_and_search_works_once_it_arrives(
    qtbot: QtBot, setup: DeskSetup
) -> None:
    main = MainWindow(setup)
    qtbot.addWidget(main)
    panel = main.case_panel
    search = panel.search
    assert main.ops.wait_idle()
    # Nothing asked for the index before the window shows.
    assert not panel.index_loaded
    assert search.edit.placeholderText() == "正在载入事项目录…"
    # The clerk may type already; nothing is found yet, and nothing fails.
    qtbot.keyClicks(search.edit, "gtgsh")
    assert search.model.rowCount() == 0
    assert search.department.count() == 1

    main.show()
    qtbot.waitUntil(lambda: panel.index_loaded)
    # What was typed meanwhile is searched; the departments are there; the usual hint back.
    assert search.model.rowCount() > 0
    assert "个体工商户" in search.model.rows[0].name
    assert search.department.count() > 1
    assert search.edit.placeholderText() != "正在载入事项目录…"
    assert main.ops.wait_idle()


def test_the_command_line_imports_no_database_layer_until_a_command_needs_it() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    script = "import sys, app.cli; print(sorted(m for m in ('sqlalchemy', 'db.engine') if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    assert done.stdout.strip() == "[]"


def test_the_desk_says_when_its_deferred_start_work_is_done(tmp_path: Path) -> None:
    """The memory benchmark's mark (ONEWINDOW_EXIT_AFTER_SETTLED): the desk reports its memory
    once what the start deferred is over, not at the first paint that races it."""
    import json

    data = tmp_path / "data"
    open_desk(data, None, None).database.close()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "ONEWINDOW_EXIT_AFTER_SETTLED": "1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(data), "--clerk", "BC0101"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("settled ")]
    assert len(lines) == 1, done.stdout
    report = json.loads(lines[0].removeprefix("settled "))
    assert report["settled"] is True
    # What the start left for after the first paint is there by then.
    assert report["index_loaded"] is True
    assert report["reportlab"] is True
    assert 0 < report["rss"] <= report["peak"]


def test_modules_imported_after_pyside_are_not_kept_as_source_lines() -> None:
    """PySide6's `__feature__` check read every module's source through linecache, which kept
    the lines of all of them (about 10 MB on a desk): ui/ makes the same check without it."""
    script = textwrap.dedent(
        """
        import json, linecache, sys
        import ui, ui.messages
        import xml.dom.minidom  # a module nothing imported before
        feature = sys.modules["shibokensupport.feature"]
        print(json.dumps({
            "kept": [f for f in linecache.cache if f.endswith(("minidom.py", "messages.py"))],
            "ui_uses_pyside": feature._mod_uses_pyside(ui.messages),
            "minidom_uses_pyside": feature._mod_uses_pyside(xml.dom.minidom),
        }))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    import json

    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"kept": [], "ui_uses_pyside": True, "minidom_uses_pyside": False}
