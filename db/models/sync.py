"""The append-only event log, the outbox of changes waiting for the central store, and the
desk's sync state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DDL, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow
from db.ids import new_id


class Event(Base):
    """Something that happened, with when, where (window) and who (clerk). Never updated or
    deleted: triggers refuse both on SQLite."""

    __tablename__ = "event"
    id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(60))
    window_number: Mapped[int | None]
    clerk_id: Mapped[str | None] = mapped_column(String(40))
    device_id: Mapped[str | None] = mapped_column(String(26))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The audit chain (app/audit.py): the device's sequence number, the hash of the device's
    # previous event and this event's own. NULL only on events from before migration 0009.
    seq: Mapped[int | None]
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_event_entity", "entity", "entity_id"),
        Index("ix_event_device_seq", "device_id", "seq", unique=True),
    )


class Outbox(Base):
    """An operation waiting to be pushed to the central store, written in the same transaction
    as the change itself; deleted only once the central store has acknowledged it.

    It only references its event (op_id is the event's id): the event says what happened to
    which row (entity, entity_id, kind, data) and the row's state is read from the row when
    the push is built, so neither travels twice. op_id makes a retried push idempotent and,
    being a sortable id, orders the desk's operations. WITHOUT ROWID: the row is its key."""

    __tablename__ = "outbox"
    op_id: Mapped[str] = mapped_column(String(26), ForeignKey("event.id"), primary_key=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None]

    __table_args__ = ({"sqlite_with_rowid": False},)


class SyncState(Base):
    """One row: this desk's identity and how far it has synced with the central store."""

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    device_id: Mapped[str] = mapped_column(String(26), default=new_id)
    pull_cursor: Mapped[str | None] = mapped_column(String(80))
    catalogue_version: Mapped[str | None] = mapped_column(String(40))
    last_push_at: Mapped[datetime | None]
    last_pull_at: Mapped[datetime | None]
    central_url: Mapped[str | None] = mapped_column(String(300))
    # The central store's clock minus this desk's, seen at the last sync (seconds): the
    # server's time is authoritative; a desk off by minutes is told.
    clock_offset_s: Mapped[float | None]
    last_sync_at: Mapped[datetime | None]
    last_sync_error: Mapped[str | None] = mapped_column(String(300))


class RejectedOperation(Base):
    """An operation the central store refused (same id with another payload, or not
    applicable): taken out of the outbox so it blocks nothing, kept here to be shown on the
    desk; its event stays in the log."""

    __tablename__ = "rejected_operation"
    op_id: Mapped[str] = mapped_column(String(26), ForeignKey("event.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(300))
    rejected_at: Mapped[datetime] = mapped_column(default=utcnow)


APPEND_ONLY_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS event_no_update BEFORE UPDATE ON event "
    "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS event_no_delete BEFORE DELETE ON event "
    "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END",
]

for _sql in APPEND_ONLY_TRIGGERS:
    event.listen(Event.__table__, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
