"""中心库设置 (the central store's address, this desk's token, the hall's CA) decides whose
staff accounts the desk takes, so saving it is an administrator's in the core, from the
dialog and from the command line alike; on a desk with no account yet it is its
installer's. A refusal is one Chinese line and nothing is kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import trustme
from pytestqt.qtbot import QtBot

from app.accounts import Policy, set_secret
from app.cli import main
from app.errors import UserError
from app.services.changes import DeskContext
from app.startup import open_desk
from app.sync.settings import CA_FILE, load_token, remember_central, token_path
from app.sync.status import central_url
from db.engine import Database

CHEAP = Policy(time_cost=1, memory_kib=8)
SECRETS = {"BC0101": "135792", "BC0201": "246813", "BC0901": "864213"}
URL = "http://127.0.0.1:9"  # nothing listens there: a round after saving is offline


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A desk with accounts: BC0101 a clerk, BC0201 a manager, BC0901 an administrator."""
    monkeypatch.setenv("ONEWINDOW_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("ONEWINDOW_ARGON2_MEMORY_KIB", "8")
    monkeypatch.delenv("ONEWINDOW_CENTRAL_TOKEN", raising=False)
    folder = tmp_path / "desk"
    setup = open_desk(folder)
    try:
        with setup.database.write() as s:
            for clerk, secret in SECRETS.items():
                set_secret(s, DeskContext(None, "BC0901"), clerk, secret, policy=CHEAP)
    finally:
        setup.database.close()
    return folder


def _kept(database: Database) -> tuple[str | None, str | None, bool]:
    assert database.path is not None
    folder = database.path.parent
    with database.read() as s:
        return central_url(s), load_token(folder), (folder / CA_FILE).exists()


def _ca(tmp_path: Path) -> Path:
    ca = tmp_path / "hall-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(ca))
    return ca


def test_the_core_refuses_anyone_but_an_administrator(data: Path, tmp_path: Path) -> None:
    ca = str(_ca(tmp_path))
    setup = open_desk(data)
    database = setup.database
    try:
        refusals = {
            None: "此操作须由管理员登录后进行",
            "BC0101": "BC0101 不是管理员",
            "BC0201": "BC0201 不是管理员",
        }
        for who, line in refusals.items():
            ctx = None if who is None else DeskContext(1, who)
            with pytest.raises(UserError, match=line):
                remember_central(database, URL, "220800-001.t", ca, ctx=ctx)
            assert _kept(database) == (None, None, False)  # nothing kept, not even the CA
        remember_central(database, URL, "220800-001.t", ca, ctx=DeskContext(1, "BC0901"))
        assert _kept(database) == (URL, "220800-001.t", True)
    finally:
        database.close()


def test_a_desk_with_no_account_yet_is_its_installers(tmp_path: Path) -> None:
    setup = open_desk(tmp_path / "fresh")
    try:
        remember_central(setup.database, URL, "220800-001.t")
        assert _kept(setup.database) == (URL, "220800-001.t", False)
    finally:
        setup.database.close()


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = ""
) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    capsys.readouterr()
    code = main(list(argv))
    err = capsys.readouterr().err.strip()
    return code, err


def test_the_command_line_needs_an_administrators_credential(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = URL
    args = ("sync", "--once", "--data-dir", str(data), "--central", dead, "--token", "x.t")
    code, err = _run(monkeypatch, capsys, *args)
    assert code == 1 and err.count("\n") == 0
    assert "此操作须由管理员登录后进行：用 --user 工号 给出" in err
    code, err = _run(monkeypatch, capsys, *args, "--user", "BC0101", stdin="135792\n")
    assert code == 1 and "BC0101 不是管理员" in err
    code, err = _run(monkeypatch, capsys, *args, "--user", "BC0901", stdin="000000\n")
    assert code == 1 and "BC0901 的密码或PIN不对" in err
    assert not token_path(data).exists()
    # The desk's own command line: refused before any window would open; --clerk (the
    # demo's way in, without a credential) does not reach the trust settings.
    desk = ("desk", "--data-dir", str(data), "--clerk", "BC0901", "--central", dead)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    code, err = _run(monkeypatch, capsys, *desk)
    assert code == 1 and "须由管理员登录后进行" in err
    setup = open_desk(data)
    try:
        assert _kept(setup.database) == (None, None, False)
    finally:
        setup.database.close()
    code, err = _run(monkeypatch, capsys, *args, "--user", "BC0901", stdin="864213\n")
    assert code == 3, err  # kept, then the store could not be reached
    setup = open_desk(data)
    try:
        assert _kept(setup.database) == (dead, "x.t", False)
    finally:
        setup.database.close()


def test_the_dialog_shows_the_refusal_and_keeps_nothing(
    qtbot: QtBot, data: Path, tmp_path: Path
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

    from ui.status_bar import DeskStatusBar
    from ui.sync_status import DeskSync

    setup = open_desk(data)
    database = setup.database
    try:
        ctx = DeskContext(1, "BC0101")
        bar = DeskStatusBar()
        qtbot.addWidget(bar)
        sync = DeskSync(database, bar, lambda: ctx)
        sync.configure()
        qtbot.waitUntil(lambda: sync.dialog is not None and sync.dialog.isVisible())
        dialog = sync.dialog
        assert dialog is not None
        url_edit, token_edit, ca_edit = (
            dialog.findChild(QLineEdit, name)
            for name in ("centralUrl", "centralToken", "centralCa")
        )
        assert url_edit is not None and token_edit is not None and ca_edit is not None
        ok = dialog.findChild(QDialogButtonBox, "centralButtons").button(  # type: ignore[union-attr]
            QDialogButtonBox.StandardButton.Ok
        )
        url_edit.setText(URL)
        token_edit.setText("220800-001.t")
        ca_edit.setText(str(_ca(tmp_path)))
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        error = dialog.error_label  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: error.isVisibleTo(dialog) and bool(error.text()))
        assert error.text() == "此操作须由管理员进行，BC0101 不是管理员"
        assert dialog.isVisible()
        assert _kept(database) == (None, None, False)
        ctx = DeskContext(1, "BC0901")  # an administrator signed in at the desk instead
        sync.worker.wait_idle()
        dialog.reject()
        sync.configure()
        qtbot.waitUntil(lambda: sync.dialog is not dialog and sync.dialog is not None)
        second = sync.dialog
        assert second is not None and second.isVisible()
        edits = [second.findChild(QLineEdit, n) for n in ("centralUrl", "centralToken")]
        edits[0].setText(URL)  # type: ignore[union-attr]
        edits[1].setText("220800-001.t")  # type: ignore[union-attr]
        ok = second.findChild(QDialogButtonBox, "centralButtons").button(  # type: ignore[union-attr]
            QDialogButtonBox.StandardButton.Ok
        )
        with qtbot.waitSignal(second.accepted):
            qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        sync.timer.stop()
        assert _kept(database) == (URL, "220800-001.t", False)
        sync.worker.wait_idle()
    finally:
        database.close()
