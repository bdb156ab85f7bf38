"""Starting a desk on the embedded default: the data directory, the database, and on first
run the demo catalogue and the demo hall."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalogue.importer import clean_up_staging, import_demo_if_empty
from app.errors import UserError
from app.messages import Message
from app.paths import data_dir
from app.queue import engine as queue_engine
from app.services.changes import DeskContext
from app.services.hall import desk_context, ensure_demo_hall, set_desk
from db.base import utcnow
from db.engine import DB_FILE_NAME, Database, open_database
from db.models.hall import Clerk, Window

log = logging.getLogger(__name__)


@dataclass
class DeskSetup:
    database: Database
    ctx: DeskContext
    data_dir: Path


def prepare_data_dir(override: str | os.PathLike[str] | None) -> Path:
    """The data directory, created if needed; refused with a clear message if unwritable."""
    path = data_dir(override)
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UserError(
            "startup.data_dir_unwritable", path=str(path), error=str(exc.strerror or exc)
        ) from exc
    return path


#: Why tickets of an earlier day that nobody closed are closed at the next start.
LEFT_OVER_REASON = Message("queue.left_over")


def close_earlier_days(session: Session, now: datetime | None = None) -> int:
    """Tickets still open from an earlier day (the desk was not closed properly) are closed as
    not served; today's queue is left alone."""
    now = now or utcnow()
    yesterday = queue_engine.hall_day(now) - timedelta(days=1)
    return queue_engine.close_day(
        session, DeskContext(None, None), day=yesterday, reason=LEFT_OVER_REASON, now=now
    )


def open_desk(
    override_dir: str | os.PathLike[str] | None = None,
    window_number: int | None = None,
    clerk_id: str | None = None,
) -> DeskSetup:
    """Open the desk: database migrated, demo catalogue and hall on first run, and this desk
    signed in at its window (the first window and clerk of the hall unless told otherwise)."""
    path = prepare_data_dir(override_dir)
    database = open_database(path / DB_FILE_NAME)
    try:
        clean_up_staging(database)
        with database.session.begin() as s:
            if import_demo_if_empty(s):
                log.info("imported the demo catalogue")
            if ensure_demo_hall(s):
                log.info("configured the demo hall")
            closed = close_earlier_days(s)
            if closed:
                log.info("closed %d tickets left over from earlier days", closed)
            ctx = desk_context(s)
            if window_number is not None or clerk_id is not None or ctx.window_number is None:
                window_number = window_number or ctx.window_number or s.scalars(
                    select(Window.number).order_by(Window.number)
                ).first()
                clerk_id = clerk_id or ctx.clerk_id or s.scalars(
                    select(Clerk.id).where(Clerk.active).order_by(Clerk.id)
                ).first()
                ctx = set_desk(s, window_number, clerk_id)
    except Exception:
        database.close()
        raise
    return DeskSetup(database, ctx, path)


def open_store(override_dir: str | os.PathLike[str] | None = None) -> Database:
    """The data directory and the migrated database, and nothing else: no demo import, no
    closing of earlier days, no sign-in. For commands (imports) that must change nothing but
    what they were asked to."""
    database = open_database(prepare_data_dir(override_dir) / DB_FILE_NAME)
    try:
        clean_up_staging(database)  # what an import that was cut off left behind
    except Exception:
        database.close()
        raise
    return database
