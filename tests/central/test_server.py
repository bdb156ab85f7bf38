"""The central store as a server: installs and imports without Qt, serves /openapi.json, and
its halls, tokens and roles (401 without a valid token, 403 for another hall, one desk per
window), on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.central import admin
from app.central.errors import CentralError
from app.cli import main
from db.central.models import CentralBase
from db.central.store import CentralStore
from tests.central.conftest import HALL, HALL_FILE, LiveServer


def test_the_server_imports_without_qt_or_reportlab() -> None:
    code = (
        "import sys, app.central.api, app.central.cli, app.central.admin, app.sync.engine\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'reportlab', 'ui')]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_models_and_central_migrations_agree(store: CentralStore) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"version_table": "central_alembic_version", "compare_type": True}
        )
        diff = compare_metadata(context, CentralBase.metadata)
    assert diff == []


def test_openapi_and_health(server: LiveServer) -> None:
    spec = httpx.get(f"{server.url}/openapi.json").json()
    assert "/v1/halls/{hall}/push" in spec["paths"]
    assert httpx.get(f"{server.url}/health").json()["ok"] is True


def _other_hall(tmp_path: Path) -> Path:
    data = json.loads(HALL_FILE.read_text(encoding="utf-8"))
    data["code"] = "220800-002"
    path = tmp_path / "hall2.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_tokens_401_and_403(server: LiveServer, store: CentralStore, tmp_path: Path) -> None:
    admin.add_hall(store, _other_hall(tmp_path))
    desk = admin.add_desk(store, HALL, 1).token
    other = admin.add_desk(store, "220800-002", 1).token
    pull = f"{server.url}/v1/halls/{HALL}/pull"
    assert httpx.get(pull).status_code == 401
    assert httpx.get(pull, headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert httpx.get(pull, headers={"Authorization": f"Bearer {desk}x"}).status_code == 401
    assert httpx.get(pull, headers={"Authorization": f"Bearer {other}"}).status_code == 403
    assert httpx.get(pull, headers={"Authorization": f"Bearer {desk}"}).status_code == 200
    manager = admin.add_manager(store, HALL).token
    push = f"{server.url}/v1/halls/{HALL}/push"
    denied = httpx.post(push, json={"ops": []}, headers={"Authorization": f"Bearer {manager}"})
    assert denied.status_code == 403  # a manager reads, never writes
    admin.revoke(store, desk)
    assert httpx.get(pull, headers={"Authorization": f"Bearer {desk}"}).status_code == 401


def test_tokens_are_stored_hashed(store: CentralStore) -> None:
    token = admin.add_desk(store, HALL, 2).token
    with store.engine.connect() as conn:
        dump = [str(r) for r in conn.exec_driver_sql("SELECT * FROM credential")]
    assert token.split(".", 1)[1] not in "".join(dump)


def test_cli_add_desk_prints_the_token_last_and_refuses_a_taken_window(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["central", "add-hall", str(HALL_FILE), "--db", store_url]) == 0
    assert main(["central", "add-desk", "--hall", HALL, "--window", "3", "--db", store_url]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith(f"{HALL}.") and len(token) > 40
    assert main(["central", "add-desk", "--hall", HALL, "--window", "3", "--db", store_url]) == 1
    err = capsys.readouterr().err.strip()
    assert "3 号窗口已有工作台" in err and len(err.splitlines()) == 1
    # Once the first desk's token is revoked, the window can be given to another desk.
    assert main(["central", "revoke", token, "--db", store_url]) == 0
    assert main(["central", "add-desk", "--hall", HALL, "--window", "3", "--db", store_url]) == 0
    assert main(["central", "add-manager", "--hall", HALL, "--db", store_url]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith(f"{HALL}.")


def test_add_desk_refuses_unknown_hall_and_window(store: CentralStore) -> None:
    with pytest.raises(CentralError, match="没有大厅"):
        admin.add_desk(store, "220800-009", 1)
    with pytest.raises(CentralError, match="不在大厅"):
        admin.add_desk(store, HALL, 99)


def test_add_hall_needs_a_well_formed_code(tmp_path: Path, store: CentralStore) -> None:
    data = json.loads(HALL_FILE.read_text(encoding="utf-8"))
    for code, words in (("220800", "格式不对"), ("130100-001", "不一致"), (None, "缺少")):
        if code is None:
            data.pop("code")
        else:
            data["code"] = code
        path = tmp_path / "h.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        with pytest.raises(CentralError, match=words):
            admin.add_hall(store, path)


def test_demo_hall_file_carries_its_code() -> None:
    assert json.loads(HALL_FILE.read_text(encoding="utf-8"))["code"] == HALL


def test_central_serve_command_serves_openapi(tmp_path: Path) -> None:
    import time

    from app.bench.postgres import free_port

    port = free_port()
    db = tmp_path / "central.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "central", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(300):
            try:
                reply = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    raise AssertionError(
                        proc.stderr.read().decode() if proc.stderr else ""
                    ) from None
                time.sleep(0.05)
        else:
            raise AssertionError("the server did not answer")
        assert reply.json()["info"]["title"] == "OneWindow central store"
        assert db.exists()
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
