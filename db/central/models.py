"""The central store's tables.

Every table that grows with the work (records, applied operations, tickets, call requests)
carries `hall_id` and has it first in its primary key, and every unique index includes it: the
store can be distributed by hall on Citus without a redesign (`create_distributed_table(...,
'hall_id')`); `catalogue` is small and global (a reference table there)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from db.base import NAMING_CONVENTION, UTCDateTime, utcnow

HALL_CODE_PATTERN = r"^\d{6}-\d{3}$"


class CentralBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class Hall(CentralBase):
    """A service hall, by its code `{division code}-{nnn}`; `config` is its hall file."""

    __tablename__ = "hall"
    id: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Credential(CentralBase):
    """A desk's or a manager's bearer token, stored as its sha256 only. A token reads
    `{hall code}.{secret}` so it is found by (hall_id, token_hash). One live desk per window."""

    __tablename__ = "credential"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    id: Mapped[str] = mapped_column(String(26), primary_key=True)
    role: Mapped[str] = mapped_column(String(10))  # "desk" | "manager" | "display"
    window_number: Mapped[int | None] = mapped_column(Integer)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    __table_args__ = (
        Index("uq_credential_token", "hall_id", "token_hash", unique=True),
        Index(
            "uq_credential_window",
            "hall_id",
            "window_number",
            unique=True,
            sqlite_where=text("role = 'desk' AND revoked_at IS NULL"),
            postgresql_where=text("role = 'desk' AND revoked_at IS NULL"),
        ),
        # A kiosk's number (its offline number space, c0006): one live kiosk token per number.
        Index(
            "uq_credential_kiosk",
            "hall_id",
            "window_number",
            unique=True,
            sqlite_where=text(
                "role = 'display' AND window_number IS NOT NULL AND revoked_at IS NULL"
            ),
            postgresql_where=text(
                "role = 'display' AND window_number IS NOT NULL AND revoked_at IS NULL"
            ),
        ),
    )


class Catalogue(CentralBase):
    """A published catalogue version (the whole file, validated); the newest is current."""

    __tablename__ = "catalogue"
    version: Mapped[str] = mapped_column(String(40), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    matters: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


class AppliedOp(CentralBase):
    """An operation applied, recorded in the same transaction as its effect: a replay is a
    duplicate, the same id with another event is refused."""

    __tablename__ = "applied_op"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    op_id: Mapped[str] = mapped_column(String(26), primary_key=True)
    event_hash: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str | None] = mapped_column(String(26))
    window_number: Mapped[int | None] = mapped_column(Integer)
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeviceChain(CentralBase):
    """The last link of each desk's audit chain the store accepted (app/central/chain.py): the
    next event the desk pushes must continue it."""

    __tablename__ = "device_chain"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(26), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    #: The lowest seq answered `held`: the desk keeps it, and its later links wait for it.
    held_from: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Record(CentralBase):
    """The latest state of every row a hall's desks (or the store itself) wrote, events
    included (entity "event"). `txid`/`seq` place its latest change in the pull feed: on
    PostgreSQL txid is the writing transaction's id (xid8), and a pull hands out only rows
    below the snapshot's xmin, in (txid, seq) order, so a late commit is never skipped."""

    __tablename__ = "record"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    device_id: Mapped[str | None] = mapped_column(String(26))
    window_number: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    txid: Mapped[int] = mapped_column(BigInteger, default=0)
    seq: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_record_feed", "hall_id", "txid", "seq"),)


class SharedTicket(CentralBase):
    """The hall's shared queue: a ticket, numbered by the store per line and day."""

    __tablename__ = "shared_ticket"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    id: Mapped[str] = mapped_column(String(26), primary_key=True)
    day: Mapped[str] = mapped_column(String(10))
    line_code: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(20))
    seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    kind: Mapped[str] = mapped_column(String(12), default="normal")
    window_number: Mapped[int | None] = mapped_column(Integer)
    offline: Mapped[bool] = mapped_column(default=False)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    called_at: Mapped[datetime | None]
    #: The latest recall (c0006): the board shows it as the latest call it is.
    recalled_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    #: A ticket transferred to one window: only that window calls it (app.central.queue_actions).
    target_window: Mapped[int | None] = mapped_column(Integer)
    #: 好差评 recorded for this ticket's service (one per ticket).
    rating: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("uq_shared_ticket_number", "hall_id", "day", "number", unique=True),
        # Call next's buckets (app.central.calling._pg_pick), each read in its order: a
        # line's waiting tickets by time, its urgent ones by time, those sent to a window.
        Index("ix_shared_ticket_head", "hall_id", "status", "day", "line_code", "issued_at", "id"),
        Index(
            "ix_shared_ticket_urgent",
            "hall_id",
            "status",
            "day",
            "line_code",
            "kind",
            "issued_at",
            "id",
        ),
        Index("ix_shared_ticket_target", "hall_id", "target_window", "status"),
        Index("ix_shared_ticket_recall", "hall_id", "day", "recalled_at"),
    )


class SharedCall(CentralBase):
    """A call_next answered: a retry with the same request id gets the same ticket."""

    __tablename__ = "shared_call"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_id: Mapped[str | None] = mapped_column(String(26))
    window_number: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class StaffAccount(CentralBase):
    """A member of staff's sign-in credential for one hall: the argon2 hash of their password
    or PIN (never the secret), handed to the hall's desks through the pull feed (entity
    "account") so they sign in offline with what was last synced. Their name and role are in
    the hall's configuration; `role` here is what the account was added as. A disabled
    account keeps its row (disabled_at) and its hash is no longer handed out."""

    __tablename__ = "staff_account"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    clerk_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    secret_hash: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[datetime | None]


class SharedAction(CentralBase):
    """A window action answered (transfer, pause, rating, day end): a retry with the same
    request id gets the same answer instead of acting twice."""

    __tablename__ = "shared_action"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    action: Mapped[str] = mapped_column(String(20))
    window_number: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(default=utcnow)


# --- the hall's desk-shaped mirror (app.central.mirror) ------------------------------------
# The columns of the desk's tables that the manager's KPIs and live view read, one row per
# desk row, with `hall_id` first in the key. Kept up to date from the record feed.


class MirrorTicket(CentralBase):
    __tablename__ = "mirror_ticket"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    id: Mapped[str] = mapped_column(String(26), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), default="")
    line_code: Mapped[str] = mapped_column(String(20), default="")
    day: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    issued_at: Mapped[datetime]
    called_at: Mapped[datetime | None]
    service_started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    window_number: Mapped[int | None] = mapped_column(Integer)
    clerk_id: Mapped[str | None] = mapped_column(String(40))
    passed_reason: Mapped[str | None] = mapped_column(String(200))
    transferred_from_line: Mapped[str | None] = mapped_column(String(20))
    target_window: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_mirror_ticket_day", "hall_id", "day"),
        Index("ix_mirror_ticket_status", "hall_id", "status", "line_code"),
    )


class MirrorVisit(CentralBase):
    __tablename__ = "mirror_visit"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    id: Mapped[str] = mapped_column(String(26), primary_key=True)
    ticket_id: Mapped[str | None] = mapped_column(String(26))
    case_id: Mapped[str | None] = mapped_column(String(26))

    __table_args__ = (
        Index("ix_mirror_visit_ticket", "ticket_id"),
        Index("ix_mirror_visit_case", "case_id"),
    )


class MirrorCase(CentralBase):
    __tablename__ = "mirror_case"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    id: Mapped[str] = mapped_column(String(26), primary_key=True)
    decision: Mapped[str | None] = mapped_column(String(20))
    previous_case_id: Mapped[str | None] = mapped_column(String(26))
    received_day: Mapped[date | None]

    __table_args__ = (
        Index("ix_mirror_case_root_day", "hall_id", "previous_case_id", "received_day"),
        Index("ix_mirror_case_previous", "previous_case_id"),
    )


class MirrorCaseMatter(CentralBase):
    __tablename__ = "mirror_case_matter"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    id: Mapped[str] = mapped_column(String(26), primary_key=True)
    case_id: Mapped[str | None] = mapped_column(String(26))
    matter_code: Mapped[str | None] = mapped_column(String(60))
    matter_name: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (Index("ix_mirror_case_matter_case", "case_id"),)


class MirrorCaseMaterial(CentralBase):
    __tablename__ = "mirror_case_material"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    id: Mapped[str] = mapped_column(String(26), primary_key=True)
    case_id: Mapped[str | None] = mapped_column(String(26))
    gap_deadline: Mapped[date | None]
    supplied_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_mirror_case_material_case", "case_id"),)


class MirrorEvaluation(CentralBase):
    __tablename__ = "mirror_evaluation"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    id: Mapped[str] = mapped_column(String(26), primary_key=True)
    ticket_id: Mapped[str | None] = mapped_column(String(26))
    rating: Mapped[int] = mapped_column(Integer, default=0)
    follow_up_needed: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (Index("ix_mirror_evaluation_ticket", "ticket_id"),)


class MirrorWindow(CentralBase):
    """A window as its desk last told: who signed in there, whether it is paused, and when
    its desk was last heard from (a push or a pull)."""

    __tablename__ = "mirror_window"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    window_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    clerk_id: Mapped[str | None] = mapped_column(String(40))
    paused: Mapped[bool] = mapped_column(default=False)
    seen_at: Mapped[datetime | None]


class MirrorCursor(CentralBase):
    """How far in the hall's record feed (txid, seq) the mirror has been brought."""

    __tablename__ = "mirror_cursor"
    hall_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    txid: Mapped[int] = mapped_column(BigInteger, default=-1)
    seq: Mapped[int] = mapped_column(BigInteger, default=-1)
