"""Random, malformed input to the API: always an answer (a result per operation, or 4xx),
never a 500, and nothing applied that was refused."""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.central import admin
from app.central.errors import CentralError
from db.central.models import Credential
from db.central.store import CentralStore
from tests.central.conftest import HALL, LiveServer

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
OP = st.fixed_dictionaries(
    {},
    optional={
        "op_id": st.text(max_size=30) | st.just("01JAAAAAAAAAAAAAAAAAAAAAAA"),
        "event": JSON
        | st.fixed_dictionaries(
            {"id": st.just("01JAAAAAAAAAAAAAAAAAAAAAAA"), "entity": st.text(max_size=45)},
            optional={"entity_id": JSON},
        ),
        "state": JSON,
    },
)
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _client(store: CentralStore, server: LiveServer) -> tuple[httpx.Client, dict[str, str]]:
    """A desk at window 7 (its earlier token, from the previous example, revoked first)."""
    with contextlib.suppress(CentralError):
        while True:
            with store.session() as s:
                old = s.scalar(
                    select(Credential.id).where(
                        Credential.window_number == 7, Credential.revoked_at.is_(None)
                    )
                )
            if old is None:
                break
            admin.revoke(store, old)
    token = admin.add_desk(store, HALL, 7).token
    return httpx.Client(base_url=server.url), {"Authorization": f"Bearer {token}"}


@FUZZ
@given(ops=st.lists(OP | JSON, max_size=6))
def test_push_answers_every_operation(
    store: CentralStore, server: LiveServer, ops: list[Any]
) -> None:
    client, auth = _client(store, server)
    with client:
        reply = client.post(f"/v1/halls/{HALL}/push", json={"ops": ops}, headers=auth)
    assert reply.status_code == 200, reply.text
    results = reply.json()["results"]
    assert len(results) == len(ops)
    assert {r["result"] for r in results} <= {"applied", "duplicate", "rejected"}


@FUZZ
@given(cursor=st.text(max_size=40), limit=st.integers(-5, 10_000), request_id=st.text(max_size=80))
def test_pull_and_call_next_never_fail(
    store: CentralStore, server: LiveServer, cursor: str, limit: int, request_id: str
) -> None:
    client, auth = _client(store, server)
    with client:
        pulled = client.get(
            f"/v1/halls/{HALL}/pull", params={"cursor": cursor, "limit": limit}, headers=auth
        )
        called = client.post(
            f"/v1/halls/{HALL}/queue/call-next", json={"request_id": request_id}, headers=auth
        )
        body = client.post(f"/v1/halls/{HALL}/push", content=cursor.encode(), headers=auth)
        issued = client.post(
            f"/v1/halls/{HALL}/queue/tickets",
            json={
                "ticket_id": "01JAAAAAAAAAAAAAAAAAAAAAAA",
                "line_code": cursor,
                "kind": request_id,
            },
            headers=auth,
        )
        acted = client.post(
            f"/v1/halls/{HALL}/queue/tickets/{quote(request_id or 'x', safe='')}/start",
            headers=auth,
        )
    assert pulled.status_code in (200, 422)
    assert called.status_code in (200, 422)
    assert body.status_code == 422
    assert issued.status_code in (409, 422)
    assert acted.status_code in (404, 409, 422)
