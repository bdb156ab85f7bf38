"""record() writes a save's events together: it flushes only when something else than the
previous events waits to be written (a new row needs its key, a changed row its change), so
a save that records many rows does not flush once per row; the chain stays whole."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.audit import verify_store
from app.services.changes import DeskContext, record
from app.services.intake import save_case
from db.engine import Database
from db.models.hall import Clerk
from db.models.sync import Event, Outbox
from tests.test_cases_support import ALL_IN, BUNDLE_ALL_IN, NOW, PERSON, seed
from tests.test_cases_support import CTX as CASE_CTX

CTX = DeskContext(2, "BC0102")


def _flushes_of_a_save(db: Database, **what: Any) -> tuple[int, int]:
    """How many flushes a save made, and how many events it recorded."""
    flushes: list[int] = []
    with db.write() as s:
        event.listen(s, "after_flush", lambda *_: flushes.append(1))
        before = s.scalar(select(func.count()).select_from(Event)) or 0
        save_case(s, CASE_CTX, applicant=PERSON, commitment_signed=False, now=NOW, **what)
        count = len(flushes)
        recorded = (s.scalar(select(func.count()).select_from(Event)) or 0) - before
    return count, recorded


def test_a_saves_flushes_do_not_grow_with_the_rows_it_records(db: Database) -> None:
    with db.write() as s:
        seed(s)
    # The desk's first save also creates its device row and the day's counter: not counted.
    first = _flushes_of_a_save(db, matter_codes=["FOOD"], entries=ALL_IN)
    small = _flushes_of_a_save(db, matter_codes=["FOOD"], entries=ALL_IN)
    big = _flushes_of_a_save(db, bundle_code="SHOP", entries=BUNDLE_ALL_IN)
    assert big[1] > small[1]  # the bundle's case records more rows
    assert big[0] == small[0]
    with db.read() as s:
        events = s.scalar(select(func.count()).select_from(Event))
        boxes = s.scalar(select(func.count()).select_from(Outbox))
    assert events == boxes == first[1] + small[1] + big[1]
    assert verify_store(db).ok


def _name_in_the_database(s: Session, clerk_id: str) -> str:
    # A statement of the driver's own: no autoflush, it sees only what was written.
    return str(
        s.connection().exec_driver_sql("SELECT name FROM clerk WHERE id = ?", (clerk_id,)).scalar()
    )


def test_a_change_made_before_record_is_written_by_it(db: Database) -> None:
    with db.write() as s:
        clerk = Clerk(id="BC9", name="甲")
        s.add(clerk)
        record(s, CTX, clerk, "clerk.added")
        assert _name_in_the_database(s, "BC9") == "甲"
        clerk.name = "乙"
        record(s, CTX, clerk, "clerk.renamed")
        assert _name_in_the_database(s, "BC9") == "乙"
        other = Clerk(id="BC8", name="丙")
        s.add(other)
        ev = record(s, CTX, other, "clerk.added")
        assert ev.entity_id == "BC8"
        assert _name_in_the_database(s, "BC8") == "丙"
    with db.read() as s:
        assert [e.kind for e in s.scalars(select(Event).order_by(Event.seq))] == [
            "clerk.added",
            "clerk.renamed",
            "clerk.added",
        ]
    assert verify_store(db).ok
