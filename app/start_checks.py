"""What the desk checks once it is up (on a worker, after the first paint): the audit chain
(app/audit.py) and today's backup (app/backup.py), made if it is missing."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from app.audit import ChainReport, verify_store
from app.backup import BACKUPS_DIR, daily_backup
from app.errors import UserError
from app.messages import Message
from db import cipher
from db.engine import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StartChecks:
    audit: ChainReport
    backup: Path | None  # today's backup if this start made it
    backup_error: Message | None  # why today's backup could not be made


def run_start_checks(database: Database) -> StartChecks:
    audit = verify_store(database)
    if not audit.ok:
        log.warning("the audit chain is broken: %s", audit.problem)
    made, error = None, None
    refusals: tuple[type[Exception], ...] = (UserError, OSError, *cipher.database_errors())
    try:
        made = daily_backup(database)
    except refusals as exc:
        assert database.path is not None
        folder = str(database.path.parent / BACKUPS_DIR)
        if isinstance(exc, UserError) and exc.messages:
            error = exc.messages[0]
        else:
            error = Message("backup.cannot_write", path=folder, error=str(exc))
        log.warning("the daily backup failed: %s", error)
    else:
        if made is not None:
            log.info("made today's backup: %s", made)
    return StartChecks(audit, made, error)
