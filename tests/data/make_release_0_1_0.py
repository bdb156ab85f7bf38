"""How tests/data/release-0.1.0.sqlite3 was made (kept as a record; it is not run by tests).

Run once with release 0.1.0's code (commit bd0f9b8), e.g.
    git archive bd0f9b8 | tar -x -C /tmp/ow-0.1.0
    PYTHONPATH=/tmp/ow-0.1.0 python tests/data/make_release_0_1_0.py OUT.sqlite3
It opens a desk in a temporary directory as 0.1.0 does (demo catalogue and hall), takes three
tickets and calls one, saves two cases through the services (one accepted, one with a
tolerated gap) and issues their documents, then copies the database file. The data is made up;
the ID numbers are the standard's examples.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from app.queue.backend import LocalQueue
from app.rules.checklist import ChecklistLine
from app.rules.decision import MaterialEntry, MaterialStatus
from app.services.applicant import ApplicantData
from app.services.case_documents import documents_for_case
from app.services.intake import checklist_for, save_case
from app.startup import open_desk

MATTER = "112208000135487124-000-220800-01"
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def as_required(line: ChecklistLine) -> MaterialEntry:
    if line.form == "original_kept":
        return MaterialEntry(MaterialStatus.RECEIVED_ORIGINAL_KEPT)
    if line.form == "original_checked":
        return MaterialEntry(MaterialStatus.RECEIVED_ORIGINAL_CHECKED, copies=line.copies)
    if line.form == "copy":
        return MaterialEntry(MaterialStatus.RECEIVED_COPIES, copies=max(line.copies, 1))
    return MaterialEntry(MaterialStatus.ELECTRONIC)


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        setup = open_desk(Path(tmp) / "data")
        db, ctx = setup.database, setup.ctx
        queue = LocalQueue(db.session, clock=lambda: NOW)
        tickets = [queue.issue_ticket(ctx, "QY") for _ in range(3)]
        queue.call_next(ctx, "release-0.1.0-call-1")
        with db.session.begin() as s:
            lines = checklist_for(s, matter_codes=[MATTER])
        everything = {ln.code: as_required(ln) for ln in lines}
        with db.session.begin() as s:
            first = save_case(
                s,
                ctx,
                applicant=ApplicantData("person", "张三", "11010519491231002X", "13812345678"),
                matter_codes=[MATTER],
                entries=everything,
                commitment_signed=False,
                ticket_id=tickets[0].id,
                now=NOW,
            )
            first_id = first.case_id
        gap = dict(everything)
        tolerable = [ln.code for ln in lines if ln.tolerable]
        if tolerable:
            gap[tolerable[0]] = MaterialEntry(MaterialStatus.TOLERATED)
        with db.session.begin() as s:
            second = save_case(
                s,
                ctx,
                applicant=ApplicantData("person", "李四", "110105198001010016", "13912345678"),
                matter_codes=[MATTER],
                entries=gap,
                commitment_signed=True,
                now=NOW,
            )
            second_id = second.case_id
        for case_id in (first_id, second_id):
            with db.session.begin() as s:
                documents_for_case(s, ctx, case_id, now=NOW, documents_root=Path(tmp) / "data")
        db.close()
        conn = sqlite3.connect(Path(tmp) / "data" / "onewindow.sqlite3")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")
        conn.close()
        shutil.copyfile(Path(tmp) / "data" / "onewindow.sqlite3", out)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
