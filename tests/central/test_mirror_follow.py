"""The mirror kept up to date off the manager's request path (app.central.mirror_follow): a
request far behind copies nothing and says the figures are being prepared; `central mirror`
brings a hall up to date and is idempotent; `central serve`'s follower catches every hall up."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, select

from app.central import admin, mirror_follow
from app.central.api import create_app
from app.central.mirror_follow import Follower, behind, catch_up_all, for_request
from app.cli import main
from db.central.models import MirrorCursor, MirrorTicket
from db.central.store import CentralStore
from tests.central.conftest import HALL, LiveServer
from tests.central.test_kpi_report import DAY, push_all


@pytest.fixture(scope="module")
def desk_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.manager.simulate import simulate

    data = tmp_path_factory.mktemp("follow") / "data"
    simulate(data, 2, seed=7, per_day=30, last_day=DAY)
    return data


def mirrored(store: CentralStore) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(MirrorTicket)) or 0)


def test_a_request_far_behind_is_told_the_figures_are_being_prepared(
    store: CentralStore,
    store_url: str,
    server: LiveServer,
    desk_data: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    push_all(store, desk_data)
    monkeypatch.setattr(mirror_follow, "REQUEST_LIMIT", 20)
    token = admin.add_manager(store, HALL).token
    headers = {"Authorization": f"Bearer {token}"}
    kpi = f"{server.url}/v1/halls/{HALL}/kpi"
    params = {"start": DAY.isoformat(), "end": DAY.isoformat()}
    for url, query in ((kpi, params), (f"{server.url}/v1/halls/{HALL}/live", {})):
        reply = httpx.get(url, params=query, headers=headers, timeout=30)
        assert reply.status_code == 409
        assert reply.json()["code"] == "mirror.preparing"
        assert "正在准备" in reply.json()["detail"]
    assert mirrored(store) == 0  # the request copied nothing
    # The manager's client says the figures are being prepared, not that it was refused.
    from app.errors import UserError
    from app.manager.period import Period
    from app.manager.report import central_kpis
    from app.manager.source import Central, central_live

    for ask in (
        lambda: central_live(Central(server.url, token)),
        lambda: central_kpis(server.url, token, Period(DAY, DAY)),
    ):
        with pytest.raises(UserError) as told:
            ask()
        assert told.value.messages[0].code == "manager.central_preparing"
        assert str(told.value).startswith("中心库还给不出全大厅的数据：大厅 ")
        assert "正在准备" in str(told.value) and "409" not in str(told.value)

    # The hall's IT brings it up to date; a second run copies nothing.
    assert main(["central", "mirror", "--hall", HALL, "--db", store_url]) == 0
    first = capsys.readouterr().out.strip().splitlines()[-1]
    copied = int(first.split("本次复制 ")[1].split(" ")[0])
    assert copied > 20 and mirrored(store) > 0
    before = mirrored(store)
    assert main(["central", "mirror", "--hall", HALL, "--db", store_url]) == 0
    assert "本次复制 0 条记录" in capsys.readouterr().out
    assert mirrored(store) == before
    assert behind(store, HALL, 10) == 0

    reply = httpx.get(kpi, params=params, headers=headers, timeout=30)
    assert reply.status_code == 200 and reply.json()["parts"]


def test_a_request_copies_a_small_remainder_itself(store: CentralStore, desk_data: Path) -> None:
    push_all(store, desk_data)
    left = behind(store, HALL, 10**6)
    assert 0 < left <= mirror_follow.REQUEST_LIMIT
    assert for_request(store, HALL) == left
    assert for_request(store, HALL) == 0
    assert mirrored(store) > 0


def test_mirror_command_refuses_an_unknown_hall(
    store: CentralStore, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["central", "mirror", "--hall", "220800-777", "--db", store_url]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "220800-777" in err[0]


def test_the_follower_catches_every_hall_up_in_the_background(
    store: CentralStore, desk_data: Path
) -> None:
    push_all(store, desk_data)
    left = behind(store, HALL, 10**6)
    assert catch_up_all(store, size=7) == {HALL: left}  # many small transactions
    assert behind(store, HALL, 10) == 0

    with store.write() as s:  # the mirror starts again from nothing
        s.execute(delete(MirrorTicket))
        s.execute(delete(MirrorCursor))
    follower = Follower(store, interval=3600)
    follower.start()
    try:
        assert follower.round_done.wait(60)
    finally:
        follower.stop()
    assert follower.rounds == 1 and behind(store, HALL, 10) == 0 and mirrored(store) > 0


def test_central_serve_follows_the_mirror(store: CentralStore, desk_data: Path) -> None:
    import threading

    import uvicorn

    from app.bench.postgres import free_port

    push_all(store, desk_data)
    app = create_app(store, follow_mirror=True)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(500):
            if server.started:
                break
            threading.Event().wait(0.01)
        assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code == 200
        assert app.state.follower.round_done.wait(60)
        assert behind(store, HALL, 10) == 0 and mirrored(store) > 0
    finally:
        server.should_exit = True
        thread.join(30)
    assert not thread.is_alive() and not app.state.follower._thread.is_alive()


def test_mirrored_times_are_the_records_whatever_the_sessions_time_zone(
    store: CentralStore, desk_data: Path
) -> None:
    """The upsert over arrays (PostgreSQL) converts times as the columns do (naive UTC), never
    through the session's time zone."""
    from sqlalchemy import event

    from app.startup import open_desk
    from db.models.queue import Ticket

    if store.is_postgres:

        def shanghai(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("SET SESSION TIME ZONE 'Asia/Shanghai'")
            dbapi_conn.commit()

        event.listen(store.engine, "connect", shanghai)
        store.engine.dispose()
    push_all(store, desk_data)
    assert for_request(store, HALL) > 0
    setup = open_desk(desk_data)
    try:
        with setup.database.read() as s:
            desk = {t.id: (t.issued_at, t.called_at) for t in s.scalars(select(Ticket))}
    finally:
        setup.database.close()
    with store.session() as s:
        central = {
            t.id: (t.issued_at, t.called_at)
            for t in s.scalars(select(MirrorTicket).where(MirrorTicket.hall_id == HALL))
        }
    assert central == desk and any(called for _i, called in desk.values())


def test_a_catch_up_stops_between_pages_when_told(store: CentralStore, desk_data: Path) -> None:
    """A server's shutdown ends the follower after the page it is copying."""
    from app.central.mirror import catch_up

    push_all(store, desk_data)
    answers = iter([False, False, True])
    assert catch_up(store, HALL, 7, stop=lambda: next(answers)) == 14
    assert behind(store, HALL, 10) > 0
    stopped = threading.Event()
    stopped.set()
    assert catch_up_all(store, stop=stopped) == {}
