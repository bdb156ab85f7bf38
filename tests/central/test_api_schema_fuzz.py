"""The central store's API fuzzed from its own OpenAPI description (schemathesis): every
operation, with inputs made from its schema, answers without a server error, with a desk's
token of the hall and with none; a body over the store's limit is refused, not read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.central import admin
from app.central.api import create_app
from db.central.store import CentralStore, open_central
from tests.central.conftest import HALL, HALL_FILE

TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module")
def central_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralStore]:
    store = open_central(str(tmp_path_factory.mktemp("central") / "central.sqlite3"))
    admin.add_hall(store, HALL_FILE)
    TOKEN["desk"] = admin.add_desk(store, HALL, 7).token
    yield store
    store.close()


@pytest.fixture(scope="module")
def operations(central_store: CentralStore) -> list[Any]:
    """Every operation the store's /openapi.json describes."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(central_store))
    results: list[Any] = list(schema.get_all_operations())
    found = [result.ok() for result in results]  # an operation the schema got wrong raises
    assert len(found) >= 8  # push, pull, the queue's actions, the board, the KPIs...
    return found


# schemathesis' own pytest plugin does not run under this pytest: its strategies are drawn
# through hypothesis directly, each example an operation and a request made from its schema.
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_operation_answers_with_a_server_error(operations: list[Any], data: Any) -> None:
    operation = data.draw(st.sampled_from(operations))
    case = data.draw(operation.as_strategy())
    for headers in ({"Authorization": f"Bearer {TOKEN['desk']}"}, {}):
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.method, case.path, response.text[:300])


def test_every_operation_refuses_no_token_and_serves_a_desks(operations: list[Any]) -> None:
    """One request per operation, made from its schema: 401 without a token; with a desk's
    token, an answer from the operation itself (never 401 nor a server error)."""
    from hypothesis import Phase, find

    paths = {op.path for op in operations}
    assert {"/v1/halls/{hall}/push", "/v1/halls/{hall}/pull"} <= paths
    for operation in operations:
        case = find(
            operation.as_strategy(),
            lambda _case: True,
            settings=settings(phases=[Phase.generate], database=None),
        )
        if operation.path == "/health" or operation.path.startswith("/openapi"):
            continue
        assert case.call(headers={}).status_code == 401, operation.path
        status = case.call(headers={"Authorization": f"Bearer {TOKEN['desk']}"}).status_code
        assert status != 401 and status < 500, (operation.path, status)


def test_an_oversized_or_endless_body_is_refused_unread(central_store: CentralStore) -> None:
    import httpx

    from app.central.api import MAX_BODY

    auth = {"Authorization": f"Bearer {TOKEN['desk']}"}
    transport = httpx.ASGITransport(app=create_app(central_store))

    async def go() -> tuple[int, int, int]:
        async with httpx.AsyncClient(transport=transport, base_url="http://central") as c:
            big = await c.post(
                f"/v1/halls/{HALL}/push", content=b" " * (MAX_BODY + 1), headers=auth
            )

            async def chunks() -> Any:
                yield b'{"ops": []}'

            endless = await c.post(f"/v1/halls/{HALL}/push", content=chunks(), headers=auth)
            fine = await c.post(f"/v1/halls/{HALL}/push", json={"ops": []}, headers=auth)
            return big.status_code, endless.status_code, fine.status_code

    import asyncio

    assert asyncio.run(go()) == (413, 411, 200)
