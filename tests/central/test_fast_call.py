"""Call next answered in front of the framework (app.central.fast_call), on PostgreSQL, through
a real uvicorn server as `central serve` runs it: the same answers as the app's route, the
app still answering everything else, and a connection lost after the claim committed never
calling a second ticket."""

from __future__ import annotations

from typing import Any

import httpx
import psycopg
import pytest

from app.central import admin, cache, calling, pg_call, shared_queue
from app.central.calling import hall_rules
from db.central.models import SharedCall, SharedTicket
from db.central.store import CentralStore
from db.ids import new_id
from tests.central.conftest import HALL, HALL_FILE, LiveServer


def _desk(store: CentralStore, window: int, tickets: int = 0) -> str:
    """A desk's token, known to this process's caches (as after its first call), with
    `tickets` waiting on line QY."""
    token = admin.add_desk(store, HALL, window).token
    with store.session() as s:
        cred = admin.authenticate(s, token)
        hall_rules(s, store, HALL)
    assert cred is not None
    for _ in range(tickets):
        shared_queue.issue(store, cred, new_id(), "QY")
    return token


def _call(url: str, token: str, body: Any, hall: str = HALL) -> httpx.Response:
    return httpx.post(
        f"{url}/v1/halls/{hall}/queue/call-next",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture
def no_general_path(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The app's own call-next path, recorded (it still works)."""
    used: list[str] = []
    real = calling.call_next

    def general(store: CentralStore, cred: Any, request_id: str) -> Any:
        used.append(request_id)
        return real(store, cred, request_id)

    monkeypatch.setattr(calling, "call_next", general)
    return used


def test_a_desks_call_is_answered_in_front_of_the_app_and_a_replay_returns_its_ticket(
    pg_store: CentralStore, no_general_path: list[str]
) -> None:
    token = _desk(pg_store, 1, tickets=2)
    with LiveServer(pg_store) as live:
        first = _call(live.url, token, {"request_id": "r-1"})
        again = _call(live.url, token, {"request_id": "r-1"})
        second = _call(live.url, token, {"request_id": "r-2"})
        empty = _call(live.url, token, {"request_id": "r-3"})
    assert no_general_path == []
    assert first.status_code == 200 and first.headers["content-type"] == "application/json"
    assert first.json()["ticket"]["number"] == "A001" and first.json()["replayed"] is False
    assert first.json()["ticket"]["status"] == "called"
    assert first.json()["ticket"]["window_number"] == 1
    assert again.json() == {**first.json(), "replayed": True}
    assert second.json()["ticket"]["number"] == "A002"
    assert empty.json() == {"ticket": None, "replayed": False}


@pytest.mark.parametrize(
    ("case", "status"),
    [("no token", 401), ("unknown token", 401), ("other hall", 403), ("bad body", 422)],
)
def test_what_the_fast_path_does_not_answer_gets_the_apps_answer(
    pg_store: CentralStore, case: str, status: int
) -> None:
    token = _desk(pg_store, 1, tickets=1)
    body: Any = {"request_id": "r-1"}
    hall = HALL
    with LiveServer(pg_store) as live:
        if case == "no token":
            reply = httpx.post(f"{live.url}/v1/halls/{HALL}/queue/call-next", json=body)
        else:
            if case == "unknown token":
                token = f"{HALL}.{'x' * 40}"
            elif case == "other hall":
                hall = "220800-002"
            else:
                body = {"request_id": "has a space"}
            reply = _call(live.url, token, body, hall)
    assert reply.status_code == status


def test_a_display_token_or_a_token_not_cached_goes_through_the_app(
    pg_store: CentralStore, no_general_path: list[str]
) -> None:
    token = _desk(pg_store, 1, tickets=2)
    display = admin.add_display(pg_store, HALL).token
    with LiveServer(pg_store) as live:
        refused = _call(live.url, display, {"request_id": "r-0"})
        cache.clear()  # as in another server process: the app looks the token up
        looked_up = _call(live.url, token, {"request_id": "r-1"})
        fast = _call(live.url, token, {"request_id": "r-2"})
    assert refused.status_code == 403
    assert looked_up.json()["ticket"]["number"] == "A001"
    assert fast.json()["ticket"]["number"] == "A002"
    assert no_general_path == ["r-1"]


def test_a_connection_lost_after_the_claim_committed_calls_no_second_ticket(
    pg_store: CentralStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = _desk(pg_store, 1, tickets=3)
    real = pg_call.run_call_async

    async def committed_then_lost(*args: Any) -> Any:
        await real(*args)
        raise psycopg.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(pg_call, "run_call_async", committed_then_lost)
    with LiveServer(pg_store) as live:
        reply = _call(live.url, token, {"request_id": "r-1"})
    assert reply.status_code == 200
    # The app answered it again by its request id: the ticket the lost reply had called.
    assert reply.json()["ticket"]["number"] == "A001" and reply.json()["replayed"] is True
    with pg_store.session() as s:
        called = s.query(SharedTicket).filter_by(hall_id=HALL, status="called").count()
        requests = s.query(SharedCall).filter_by(hall_id=HALL).count()
    assert (called, requests) == (1, 1)


def test_an_every_n_hall_gets_its_priority_ticket_after_n_normal_ones_on_the_fast_path(
    pg_store: CentralStore, no_general_path: list[str], tmp_path: Any
) -> None:
    import json

    data = json.loads(HALL_FILE.read_text(encoding="utf-8"))
    data["hall"]["priority_policy"] = "every_n"
    data["hall"]["priority_every_n"] = 2
    path = tmp_path / "hall.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    admin.add_hall(pg_store, path)
    cache.clear()
    token = _desk(pg_store, 1)
    with pg_store.session() as s:
        cred = admin.authenticate(s, token)
    assert cred is not None
    normal = [shared_queue.issue(pg_store, cred, new_id(), "QY")["number"] for _ in range(5)]
    urgent = [
        shared_queue.issue(pg_store, cred, new_id(), "QY", "priority")["number"] for _ in range(2)
    ]
    with LiveServer(pg_store) as live:
        called = [
            _call(live.url, token, {"request_id": f"r-{i}"}).json()["ticket"]["number"]
            for i in range(7)
        ]
    assert no_general_path == []
    n = normal
    assert called == [n[0], n[1], urgent[0], n[2], n[3], urgent[1], n[4]]
