"""The call-next route's work, with one hop to a worker thread instead of two.

The token is checked on the event loop (app.central.api's `credential`: a token seen in the
last seconds is in a cache, no thread and no store); the call itself, one short statement on
PostgreSQL (app.central.pg_call), goes to the thread pool. Run on the event loop instead, it
cost less CPU but each worker then waited out every round trip to the database with nothing
else to do: measured side by side with 20 desks in bursts, its p95 and its throughput were
worse than one hop to the pool."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Response
from fastapi.concurrency import run_in_threadpool

from app.central import shared_queue
from db.central.models import Credential
from db.central.store import CentralStore


async def call_next_on(
    store: CentralStore, cred: Credential, request_id: str
) -> tuple[dict[str, Any] | None, bool]:
    return await run_in_threadpool(shared_queue.call_next, store, cred, request_id)


def called_body(ticket: dict[str, Any] | None, replayed: bool) -> bytes:
    """The reply as the `Called` model describes it, serialised once (no response model
    validation of the ticket's free-form state)."""
    body = json.dumps(
        {"ticket": ticket, "replayed": replayed}, ensure_ascii=False, separators=(",", ":")
    )
    return body.encode()


def called_reply(ticket: dict[str, Any] | None, replayed: bool) -> Response:
    return Response(called_body(ticket, replayed), media_type="application/json")
