"""Is the central store reachable? The desk works the same either way; the answer only decides
what the status bar shows and, later, when the sync runs."""

from __future__ import annotations

import os

from sqlalchemy.orm import Session

from db.models.sync import SyncState

CENTRAL_URL_ENV = "ONEWINDOW_CENTRAL_URL"


def central_url(session: Session) -> str | None:
    """The central store's address: $ONEWINDOW_CENTRAL_URL, else the desk's sync state."""
    env = os.environ.get(CENTRAL_URL_ENV)
    if env:
        return env.rstrip("/")
    state = session.get(SyncState, 1)
    return state.central_url.rstrip("/") if state and state.central_url else None


def probe(url: str, timeout: float = 2.0) -> bool:
    """True when the central store answers its health check in time."""
    import httpx  # a tenth of a second to import; the desk starts without it

    try:
        response = httpx.get(f"{url}/health", timeout=timeout)
    except httpx.HTTPError:
        return False
    return response.status_code == 200
