"""`python -m app sync --once`, `central status` and `central publish-catalogue`; a
catalogue published while a desk was offline reaches it on its next sync."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bench.postgres import free_port
from app.central import admin
from app.cli import main
from app.sync.client import CentralClient, CentralUnreachable
from db.central.store import CentralStore
from db.models.catalogue import CatalogueVersion, Matter
from tests.central.conftest import HALL, Desk, LiveServer

HALL_DIR = Path(__file__).resolve().parents[2] / "resources" / "catalogue"


def _catalogue(tmp_path: Path, version: str, extra_name: str | None = None) -> Path:
    data = json.loads((HALL_DIR / "baicheng-demo.json").read_text(encoding="utf-8"))
    data["version"] = version
    if extra_name:
        data["matters"][0]["name"] = extra_name
    path = tmp_path / f"{version}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_sync_once_prints_what_it_did_and_keeps_the_token_private(
    server: LiveServer, store: CentralStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = admin.add_desk(store, HALL, 1).token
    data = tmp_path / "desk"
    args = ["sync", "--once", "--data-dir", str(data)]
    assert main([*args, "--central", server.url, "--token", token]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("同步完成：推送") and "被拒 0 条" in last
    assert stat.S_IMODE((data / "central-token").stat().st_mode) == 0o600
    # Address and token were kept: the next round needs neither.
    assert main(args) == 0
    assert "同步完成" in capsys.readouterr().out.strip().splitlines()[-1]


def test_sync_once_exits_non_zero_when_unreachable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    code = main(
        ["sync", "--once", "--data-dir", str(tmp_path), "--central", url, "--token", f"{HALL}.t"]
    )
    assert code == 3
    err = capsys.readouterr().err.strip()
    assert "无法连接中心库" in err and len(err.splitlines()) == 1


def test_sync_once_without_address_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sync", "--once", "--data-dir", str(tmp_path)]) == 2
    assert "未设置中心库地址" in capsys.readouterr().err


def test_central_status_counts_per_kind_and_desk(
    make_desk: Callable[..., Desk], store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = make_desk(1), make_desk(2)
    one.issue(2)
    two.issue(3)
    one.sync()
    two.sync()
    assert main(["central", "status", "--hall", HALL, "--db", store_url]) == 0
    out = capsys.readouterr().out
    assert "取号（ticket）：5（1 号窗口 2，2 号窗口 3）" in out
    assert "工作台：1 号窗口、2 号窗口" in out
    assert main(["central", "status", "--hall", "220800-777", "--db", store_url]) == 1


def test_publish_catalogue_validates(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _catalogue(tmp_path, "220800-demo-2026.12")
    assert main(["central", "publish-catalogue", str(good), "--db", store_url]) == 0
    assert "已发布目录版本 220800-demo-2026.12" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "nope"}', encoding="utf-8")
    assert main(["central", "publish-catalogue", str(bad), "--db", store_url]) == 1
    assert "不能发布" in capsys.readouterr().err
    changed = _catalogue(tmp_path, "220800-demo-2026.12", extra_name="改过的事项名称")
    assert main(["central", "publish-catalogue", str(changed), "--db", store_url]) == 1
    assert "内容不同" in capsys.readouterr().err


def test_a_catalogue_published_while_offline_reaches_the_desk(
    make_desk: Callable[..., Desk], store: CentralStore, tmp_path: Path
) -> None:
    admin.publish_catalogue(store, _catalogue(tmp_path, "220800-demo-2026.11a"))
    desk = make_desk(1)
    desk.sync()
    online = desk.client
    desk.client = CentralClient(f"http://127.0.0.1:{free_port()}", desk.token, attempts=1)
    with pytest.raises(CentralUnreachable):
        desk.sync()
    admin.publish_catalogue(store, _catalogue(tmp_path, "220800-demo-2026.12", "新版事项"))
    desk.client.close()
    desk.client = online
    report = desk.sync()
    assert report.catalogue == "220800-demo-2026.12"  # type: ignore[attr-defined]
    with desk.database.read() as s:
        current = s.scalar(select(CatalogueVersion.version).where(CatalogueVersion.is_current))
        names = set(s.scalars(select(Matter.name)))
    assert current == "220800-demo-2026.12" and "新版事项" in names


def test_the_desk_command_line_keeps_central_and_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.launch
    from app.startup import open_store
    from db.models.sync import SyncState

    launched: list[object] = []

    def launch(args: object) -> int:
        launched.append(args)
        return 0

    monkeypatch.setattr(ui.launch, "launch", launch)
    data = tmp_path / "desk"
    token = f"{HALL}.secret"
    args = ["--data-dir", str(data), "--central", "http://central.example:8765/", "--token", token]
    assert main(args) == 0 and launched
    assert (data / "central-token").read_text().strip() == token
    assert stat.S_IMODE((data / "central-token").stat().st_mode) == 0o600
    database = open_store(data)
    try:
        with database.read() as s:
            state = s.get(SyncState, 1)
            assert state is not None and state.central_url == "http://central.example:8765"
    finally:
        database.close()
