"""Small per-process caches on the central store's hot path (a call-next must cost a few
round trips, not a dozen): a desk's credential by its token, and a hall's calling rules.

Each entry lives TTL_S seconds. The store's own administration (revoke, add-hall) clears the
caches of the process that runs it at once; another server process sees a revoked token or a
changed hall within TTL_S seconds."""

from __future__ import annotations

import threading
import time
from typing import Any, Generic, TypeVar

TTL_S = 5.0

K = TypeVar("K")
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    def __init__(self, ttl_s: float = TTL_S, size: int = 4096) -> None:
        self._ttl = ttl_s
        self._size = size
        self._items: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        found = self._items.get(key)
        if found is None:
            return None
        expires, value = found
        if time.monotonic() >= expires:
            with self._lock:
                self._items.pop(key, None)
            return None
        return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            if len(self._items) >= self._size:
                self._items.clear()
            self._items[key] = (time.monotonic() + self._ttl, value)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


#: (hall id, token hash) -> the credential (detached, read only).
credentials: TtlCache[tuple[str, str], Any] = TtlCache()
#: hall id -> its calling rules (app.central.calling.HallRules).
halls: TtlCache[str, Any] = TtlCache()


def clear() -> None:
    credentials.clear()
    halls.clear()
