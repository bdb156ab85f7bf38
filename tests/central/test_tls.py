"""TLS for real: `central serve --certfile F --keyfile K` in a process of its own, with a
certificate from a throwaway CA (trustme). A desk that trusts the hall's CA (`--central-ca
FILE`, kept in its data directory) syncs and calls next; one that does not is told so in one
Chinese line, and a file that is no certificate changes nothing."""

from __future__ import annotations

import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import trustme
from pytestqt.qtbot import QtBot

from app.bench.postgres import free_port
from app.central import admin
from app.cli import main
from app.queue.http_backend import HttpQueueBackend, shared_queue_for
from app.services.hall import ensure_demo_hall, set_desk
from app.startup import open_store
from app.sync.settings import CA_FILE, TOKEN_FILE
from db.central.store import open_central
from db.ids import new_id
from tests.central.conftest import HALL, HALL_FILE, Desk


@dataclass
class TlsServer:
    url: str
    ca_file: Path
    token: str


@pytest.fixture
def tls_server(store_url: str, tmp_path: Path) -> Iterator[TlsServer]:
    central = open_central(store_url)
    try:
        admin.add_hall(central, HALL_FILE)
        token = admin.add_desk(central, HALL, 1).token
    finally:
        central.close()
    ca = trustme.CA()
    issued = ca.issue_cert("127.0.0.1", "localhost")
    certfile, keyfile, ca_file = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    certfile.write_bytes(b"".join(pem.bytes() for pem in issued.cert_chain_pems))
    issued.private_key_pem.write_to_path(str(keyfile))
    ca.cert_pem.write_to_path(str(ca_file))
    port = free_port()
    command = [sys.executable, "-m", "app", "central", "serve", "--db", store_url]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    command += ["--certfile", str(certfile), "--keyfile", str(keyfile)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"https://127.0.0.1:{port}"
    trusted = ssl.create_default_context(cafile=str(ca_file))
    try:
        for _ in range(600):
            try:
                assert httpx.get(f"{url}/health", verify=trusted, timeout=1).status_code == 200
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    stderr = proc.stderr.read().decode() if proc.stderr else ""
                    raise AssertionError(stderr) from None
                time.sleep(0.05)
        else:
            raise AssertionError("central serve did not start")
        # Plain http on the TLS port is not served.
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
        yield TlsServer(url, ca_file, token)
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stderr:
            proc.stderr.close()


def test_a_desk_trusting_the_halls_ca_syncs_and_calls_next(
    tls_server: TlsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "desk"
    args = ["sync", "--once", "--data-dir", str(data), "--central", tls_server.url]
    args += ["--token", tls_server.token, "--central-ca", str(tls_server.ca_file)]
    assert main(args) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("同步完成")
    assert (data / CA_FILE).read_text() == tls_server.ca_file.read_text()
    database = open_store(data)
    try:
        with database.session.begin() as s:
            ensure_demo_hall(s)
            ctx = set_desk(s, 1, None)
        queue = shared_queue_for(database)
        assert isinstance(queue, HttpQueueBackend)
        try:
            ticket = queue.issue_ticket(ctx, "QY")
            called = queue.call_next(ctx, new_id())
        finally:
            queue.close()
        assert queue.online and ticket.number == "A001" and not ticket.offline
        assert called.ticket is not None and called.ticket.id == ticket.id
    finally:
        database.close()
    # The next round needs no option: the CA was kept with the central settings.
    assert main(["sync", "--once", "--data-dir", str(data)]) == 0


def test_a_desk_not_trusting_the_ca_gets_one_line(
    tls_server: TlsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "desk"
    args = ["sync", "--once", "--data-dir", str(data), "--central", tls_server.url]
    assert main([*args, "--token", tls_server.token]) == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "证书不受本机信任" in err and "--central-ca" in err
    # A file that is no certificate: one line, and the central settings stay as they were.
    bogus = tmp_path / "not-a-ca.pem"
    bogus.write_text("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    other = tmp_path / "other"
    bad = ["sync", "--once", "--data-dir", str(other), "--central", tls_server.url]
    assert main([*bad, "--token", tls_server.token, "--central-ca", str(bogus)]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "不是可用的 CA 证书文件" in err
    assert not (other / CA_FILE).exists() and not (other / TOKEN_FILE).exists()


def test_the_settings_dialog_keeps_the_halls_ca_and_refuses_a_bogus_file(
    qtbot: QtBot, make_desk: Callable[..., Desk], tmp_path: Path
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

    from ui.status_bar import DeskStatusBar
    from ui.sync_status import DeskSync

    desk = make_desk(1)
    bar = DeskStatusBar()
    qtbot.addWidget(bar)
    sync = DeskSync(desk.database, bar)
    sync.configure()
    qtbot.waitUntil(lambda: sync.dialog is not None and sync.dialog.isVisible(), timeout=10_000)
    dialog = sync.dialog
    assert dialog is not None
    url_edit, token_edit, ca_edit = (
        dialog.findChild(QLineEdit, name) for name in ("centralUrl", "centralToken", "centralCa")
    )
    ok = dialog.findChild(QDialogButtonBox, "centralButtons").button(  # type: ignore[union-attr]
        QDialogButtonBox.StandardButton.Ok
    )
    assert url_edit is not None and token_edit is not None and ca_edit is not None
    url_edit.setText(desk.client.url)
    token_edit.setText(desk.token)
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("no certificate")
    ca_edit.setText(str(bogus))
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    error = dialog.error_label.text()  # type: ignore[attr-defined]
    assert dialog.isVisible() and "不是可用的 CA 证书文件" in error
    ca = tmp_path / "hall-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(ca))
    ca_edit.setText(str(ca))
    with qtbot.waitSignal(sync.finished, timeout=60_000):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert desk.database.path is not None
    assert (desk.database.path.parent / CA_FILE).read_text() == ca.read_text()
