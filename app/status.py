"""`python -m app status`: what the desk's store holds, at a glance, without disturbing it.

It reads in one deferred transaction (a WAL snapshot), so it never waits for a desk that is
saving, and it never creates, migrates or writes a database: where there is none it says so.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TextIO

from sqlalchemy import column, func, select, table, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from app.clock import hall_day
from app.encryption import unlock
from app.errors import UserError
from app.paths import data_dir
from app.queue.tickets import STATUS_NAMES
from db.base import UTCDateTime, utcnow
from db.engine import DB_FILE_NAME, DatabaseOpenError, head_revision, open_for_reading
from db.models.case import Case
from db.models.queue import Ticket
from db.models.sync import Event, Outbox


@dataclass
class StoreStatus:
    data_dir: str
    database: str
    size_bytes: int
    revision: str | None
    head: str
    day: date
    tickets: dict[str, int] = field(default_factory=dict)
    cases: int = 0
    outbox: int = 0
    oldest_outbox: datetime | None = None


def _revision(s: Session) -> str | None:
    row = (
        s.connection()
        .exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        )
        .first()
    )
    if row is None:
        return None
    value = s.connection().exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return None if value is None else str(value)


def _oldest_outbox(s: Session) -> datetime | None:
    """When the oldest pending operation happened. Status reads a database as it is: before
    0005 each outbox row had its own created_at; since, an operation is its event's."""
    columns = {row[1] for row in s.execute(text("PRAGMA table_info(outbox)"))}
    if "created_at" in columns:
        created_at = column("created_at", UTCDateTime())
        return s.scalar(select(func.min(created_at)).select_from(table("outbox", created_at)))
    return s.scalar(select(func.min(Event.at)).join(Outbox, Outbox.op_id == Event.id))


def read_status(
    override: str | os.PathLike[str] | None, now: datetime | None = None
) -> StoreStatus:
    if override is not None and not str(override).strip():
        raise UserError("startup.data_dir_empty")
    directory = data_dir(override)
    path = directory / DB_FILE_NAME
    day = hall_day(now or utcnow())
    unlock(directory)
    database = open_for_reading(path)
    try:
        with database.read() as s:
            status = StoreStatus(
                data_dir=str(directory),
                database=str(path),
                size_bytes=path.stat().st_size,
                revision=_revision(s),
                head=head_revision(),
                day=day,
            )
            status.tickets = {
                state: count
                for state, count in s.execute(
                    select(Ticket.status, func.count())
                    .where(Ticket.day == day)
                    .group_by(Ticket.status)
                    .order_by(Ticket.status)
                )
            }
            status.cases = (
                s.scalar(select(func.count()).select_from(Case).where(Case.received_day == day))
                or 0
            )
            status.outbox = s.scalar(select(func.count()).select_from(Outbox)) or 0
            status.oldest_outbox = _oldest_outbox(s)
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        raise DatabaseOpenError(
            "store.cannot_read", path=str(path), error=str(getattr(exc, "orig", exc))
        ) from exc
    finally:
        database.close()
    return status


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def print_status(status: StoreStatus, out: TextIO) -> None:
    if status.revision == status.head:
        version = f"{status.revision}（最新）"
    elif status.revision is None:
        version = "无版本记录"
    else:
        version = f"{status.revision}（下次启动工作台时升级到 {status.head}）"
    total = sum(status.tickets.values())
    by_state = "，".join(
        f"{STATUS_NAMES.get(state, state)} {count}" for state, count in status.tickets.items()
    )
    print(f"数据目录：{status.data_dir}", file=out)
    print(f"数据库：{status.database}（{_size(status.size_bytes)}）", file=out)
    print(f"架构版本：{version}", file=out)
    print(
        f"今日（{status.day.isoformat()}）取号：{total} 张"
        + (f"（{by_state}）" if by_state else ""),
        file=out,
    )
    print(f"今日受理：{status.cases} 件", file=out)
    oldest = ""
    if status.oldest_outbox is not None:
        oldest = f"（最早 {status.oldest_outbox.isoformat(timespec='seconds')}）"
    print(f"待同步：{status.outbox} 项{oldest}", file=out)


def cmd_status(override: str | None, out: TextIO) -> int:
    print_status(read_status(override), out)
    return 0
