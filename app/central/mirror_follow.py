"""Keeping the hall's mirror (app.central.mirror) up to date off the manager's request path.

After an upgrade the mirror is empty and its first catch-up copies the hall's whole history
(a month is hundreds of thousands of records, tens of seconds): far longer than a manager's
client waits. So:

- `central serve` starts a `Follower`: a thread that catches every hall up, `page_size`
  records per transaction (a short write each: on PostgreSQL it locks only the hall's mirror cursor, which
  no push takes; on SQLite it holds the store's write lock for one small page), then again
  every `INTERVAL_S`, so a request finds only the last seconds' records to copy.
- `python -m app central mirror --hall CODE` does the same for one hall, to the end, for the
  hall's IT after an upgrade (idempotent: a second run copies nothing).
- A manager's request (`for_request`) copies the remainder itself when it is small (at most
  `REQUEST_LIMIT` records, about a second); when the mirror is further behind it copies
  nothing and is refused with `mirror.preparing` (409, one line: the hall's figures are being
  prepared), rather than answering with figures of half a history."""

from __future__ import annotations

import logging
import threading

from sqlalchemy import func, literal, select

from app.central.errors import CentralError
from app.central.mirror import after_cursor, catch_up
from db.central.models import Hall, MirrorCursor, Record
from db.central.store import CentralStore

log = logging.getLogger(__name__)

#: Records a manager's request may copy itself before answering.
REQUEST_LIMIT = 10_000
#: Records per transaction of the background catch-up and of `central mirror`: on SQLite, where
#: a page holds the store's write lock, a small one; on PostgreSQL, where it locks only the
#: hall's mirror cursor, the mirror's page (1,000-record pages took 40 % longer over a month).
PAGE = 1000


def page_size(store: CentralStore) -> int:
    return PAGE_PG if store.is_postgres else PAGE


#: Seconds between the follower's rounds.
INTERVAL_S = 20.0


PAGE_PG = 5000


def behind(store: CentralStore, hall_id: str, limit: int) -> int:
    """How many records the hall's mirror has still to copy, counted up to `limit` + 1 (a
    bounded count: a year behind costs no more than `limit` rows to tell)."""
    with store.session() as s:
        cursor = s.get(MirrorCursor, hall_id)
        after = (cursor.txid, cursor.seq) if cursor is not None else (-1, -1)
        pending = (
            select(literal(1))
            .select_from(Record.__table__)
            .where(*after_cursor(store, hall_id, after))
            .limit(limit + 1)
            .subquery()
        )
        return int(s.scalar(select(func.count()).select_from(pending)) or 0)


def for_request(store: CentralStore, hall_id: str) -> int:
    """Before a manager's KPI or live request: copy the small remainder (how many records), or
    refuse with `mirror.preparing` when the mirror is more than REQUEST_LIMIT behind."""
    left = behind(store, hall_id, REQUEST_LIMIT)
    if left > REQUEST_LIMIT:
        raise CentralError("mirror.preparing", code=hall_id)
    return catch_up(store, hall_id) if left else 0


def catch_up_all(
    store: CentralStore, size: int | None = None, stop: threading.Event | None = None
) -> dict[str, int]:
    """Every hall's mirror brought up to its feed, in small transactions (until `stop` is set);
    records copied per hall. A hall that fails (the store busy) is logged and left to the next
    round."""
    with store.session() as s:
        halls = list(s.scalars(select(Hall.id).order_by(Hall.id)))
    copied: dict[str, int] = {}
    for hall in halls:
        if stop is not None and stop.is_set():
            break
        try:
            copied[hall] = catch_up(
                store, hall, size or page_size(store), stop.is_set if stop else None
            )
        except Exception:
            log.warning("the mirror of hall %s could not catch up this round", hall, exc_info=True)
    return copied


class Follower:
    """The server's background catch-up: every hall at start, then every `interval` seconds,
    until `stop`. `rounds` counts the rounds finished (`round_done` is set after each)."""

    def __init__(self, store: CentralStore, interval: float = INTERVAL_S) -> None:
        self.store = store
        self.interval = interval
        self.rounds = 0
        self.round_done = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mirror-follow", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ends the thread after the page it is copying (a server's shutdown never waits for a
        hall's whole history)."""
        self._stop.set()
        self._thread.join(30)

    def _run(self) -> None:
        while not self._stop.is_set():
            catch_up_all(self.store, stop=self._stop)
            self.rounds += 1
            self.round_done.set()
            self._stop.wait(self.interval)
