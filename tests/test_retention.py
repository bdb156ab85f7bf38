"""Retention: `purge --older-than-days N` removes cases closed longer than N days once the
central store holds them (nothing of theirs waits in the outbox), and records what it
removed as a chained event."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit import verify_store
from app.cli import main
from app.services.applicant import ApplicantData
from app.services.case_documents import documents_for_case
from app.services.intake import save_case
from app.startup import open_desk
from db.engine import DB_FILE_NAME, open_database
from db.models.case import Case, CaseMaterial
from db.models.document import Document
from db.models.sync import Event
from tests.test_ui_case_list import ALL_IN, ID_RENEWAL


def _desk(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Three cases: old and closed (delivered 400 days ago), old but still open, and closed
    recently; the first has its papers."""
    data = tmp_path / "desk"
    setup = open_desk(data)
    numbers = {}
    try:
        for key, name in (("old", "王䶮"), ("open", "李四"), ("recent", "张三")):
            with setup.database.write() as s:
                saved = save_case(
                    s,
                    setup.ctx,
                    applicant=ApplicantData("person", name, "11010519491231002X", "13912345678"),
                    matter_codes=[ID_RENEWAL],
                    entries=ALL_IN,
                    commitment_signed=False,
                    now=datetime.now(UTC),
                )
                numbers[key] = saved.case.case_no
                case_id = saved.case.id
            if key == "old":
                with setup.database.write() as s:
                    documents_for_case(s, setup.ctx, case_id)
    finally:
        setup.database.close()
    conn = sqlite3.connect(data / DB_FILE_NAME)
    conn.execute(
        "UPDATE \"case\" SET status = 'delivered', updated_at = '2025-10-01 10:00:00.000000' "
        "WHERE case_no = ?",
        (numbers["old"],),
    )
    conn.execute(
        "UPDATE \"case\" SET updated_at = '2025-10-01 10:00:00.000000' WHERE case_no = ?",
        (numbers["open"],),
    )
    conn.execute("UPDATE \"case\" SET status = 'rejected' WHERE case_no = ?", (numbers["recent"],))
    conn.commit()
    conn.close()
    return data, numbers


def _acknowledged(data: Path) -> None:
    """What the sync does once the central store acknowledged every operation."""
    conn = sqlite3.connect(data / DB_FILE_NAME)
    conn.execute("DELETE FROM outbox")
    conn.commit()
    conn.close()


def _case_numbers(data: Path) -> set[str]:
    conn = sqlite3.connect(data / DB_FILE_NAME)
    try:
        return {r[0] for r in conn.execute('SELECT case_no FROM "case"')}
    finally:
        conn.close()


def test_nothing_is_purged_before_the_central_store_holds_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, numbers = _desk(tmp_path)
    assert main(["purge", "--older-than-days", "365", "--data-dir", str(data)]) == 0
    assert "已清除 0 件" in capsys.readouterr().out
    assert _case_numbers(data) == set(numbers.values())


def test_old_closed_cases_held_centrally_are_purged_and_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, numbers = _desk(tmp_path)
    _acknowledged(data)
    pdfs = list((data / "documents").rglob("*.pdf"))
    assert pdfs
    assert main(["purge", "--older-than-days", "365", "--data-dir", str(data)]) == 0
    assert "已清除 1 件" in capsys.readouterr().out
    assert _case_numbers(data) == {numbers["open"], numbers["recent"]}
    assert not any(p.exists() for p in pdfs)  # the old case's papers went with it
    database = open_database(data / DB_FILE_NAME)
    try:
        with database.read() as s:
            ev = s.scalars(select(Event).where(Event.kind == "retention.purged")).one()
            assert ev.data["cases"] == [numbers["old"]] and ev.data["older_than_days"] == 365
            assert ev.seq is not None
            assert s.scalar(select(func.count()).select_from(Document)) == 0
            kept = set(s.scalars(select(CaseMaterial.case_id)))
            assert kept == set(s.scalars(select(Case.id)))
        assert verify_store(database).ok
    finally:
        database.close()


@pytest.mark.parametrize("days", ["0", "-3"])
def test_a_bad_retention_period_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], days: str
) -> None:
    data, numbers = _desk(tmp_path)
    assert main(["purge", "--older-than-days", days, "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "保留天数" in err and "Traceback" not in err
    assert _case_numbers(data) == set(numbers.values())
