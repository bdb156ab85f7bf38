"""Personal data: ID and phone numbers masked in lists and search results (the full number
only in the open case); no full ID number in the log files after a walk through saving,
printing, searching, backing up and checking; the database, the data directory, the logs and
the backups readable by the user only."""

from __future__ import annotations

import logging
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.access_log import record_id_search
from app.cli import main
from app.logs import start_file_log, stop_file_log
from app.privacy import mask_id_number, mask_phone
from app.services.applicant import ApplicantData
from app.services.case_documents import documents_for_case
from app.services.case_queries import CaseSummary, find_cases
from app.services.documents import record_print
from app.services.intake import save_case
from app.start_checks import run_start_checks
from app.startup import open_desk
from db.engine import DB_FILE_NAME
from tests.test_ui_case_list import ALL_IN, ID_RENEWAL
from ui.case_list import CaseListModel
from ui.supplement_dialog import FoundCasesModel

ID = "11010519491231002X"
PHONE = "13912345678"
AGENT_ID = "110101199003074477"

ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.EditRole,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_masks() -> None:
    assert mask_id_number(ID) == "110105********002X"
    assert mask_id_number("91220800MA0000000M") == "912208********000M"
    assert mask_phone(PHONE) == "139****5678"
    assert mask_phone("0436-3212345") == "043*****2345"
    assert mask_id_number("") == "" and mask_phone(None) == ""
    assert mask_id_number("1234") == "**34" and mask_phone("12") == "**"


def _saved(tmp_path: Path) -> tuple[Path, list[CaseSummary]]:
    setup = open_desk(tmp_path / "desk")
    try:
        with setup.database.write() as s:
            saved = save_case(
                s,
                setup.ctx,
                applicant=ApplicantData(
                    "person", "王䶮", ID, PHONE, agent_name="李四", agent_id_number=AGENT_ID
                ),
                matter_codes=[ID_RENEWAL],
                entries=ALL_IN,
                commitment_signed=False,
                now=datetime.now(UTC),
            )
            case_id = saved.case.id
        with setup.database.write() as s:
            papers = documents_for_case(s, setup.ctx, case_id)
        with setup.database.write() as s:
            for paper in papers:
                record_print(s, setup.ctx, paper.document_id, paper.pdf_bytes, reprint=False)
            record_id_search(s, setup.ctx, ID, "case_list")
        with setup.database.read() as s:
            found = find_cases(s, ID)
    finally:
        setup.database.close()
    return tmp_path / "desk", found


def _every_text(model: CaseListModel | FoundCasesModel) -> str:
    return "\n".join(
        str(model.index(r, c).data(role))
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        for role in ROLES
    )


def test_lists_and_search_results_show_the_numbers_masked(qtbot: QtBot, tmp_path: Path) -> None:
    _data, found = _saved(tmp_path)
    assert len(found) == 1
    worklist = CaseListModel()
    worklist.reset(found)
    results = FoundCasesModel()
    results.set_rows(found)
    for model, id_col, phone_col in (
        (worklist, CaseListModel.COL_ID_NUMBER, CaseListModel.COL_PHONE),
        (results, 5, 6),
    ):
        text = _every_text(model)
        assert ID not in text and PHONE not in text
        assert model.index(0, id_col).data() == "110105********002X"
        assert model.index(0, phone_col).data() == "139****5678"


def test_no_full_id_number_in_the_logs_after_a_walk(tmp_path: Path) -> None:
    logs = tmp_path / "desk"
    logs.mkdir()
    start_file_log(logs, verbose=True)
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        data, _found = _saved(tmp_path)
        setup = open_desk(data)
        try:
            run_start_checks(setup.database)
        finally:
            setup.database.close()
        assert main(["backup", str(tmp_path / "b.zip"), "--data-dir", str(data)]) == 0
        assert main(["audit", "verify", "--data-dir", str(data)]) == 0
        assert main(["purge", "--older-than-days", "30", "--data-dir", str(data)]) == 0
    finally:
        root.setLevel(level)
        stop_file_log()
    files = list((data / "logs").iterdir())
    assert files
    text = "\n".join(f.read_text(encoding="utf-8") for f in files)
    assert text.strip()  # the walk did log
    for number in (ID, ID.lower(), AGENT_ID, PHONE):
        assert number not in text


def test_the_database_its_directory_the_logs_and_backups_are_the_users_only(
    tmp_path: Path,
) -> None:
    old = os.umask(0o022)
    try:
        data, _found = _saved(tmp_path)
        start_file_log(data)
        logging.getLogger("test.privacy").warning("a line")
        stop_file_log()
        setup = open_desk(data)
        try:
            run_start_checks(setup.database)
        finally:
            setup.database.close()
        assert main(["backup", str(tmp_path / "out" / "b.zip"), "--data-dir", str(data)]) == 0
    finally:
        os.umask(old)
    assert mode(data) == 0o700
    assert mode(data / DB_FILE_NAME) == 0o600
    assert mode(data / "logs" / "onewindow.log") == 0o600
    assert mode(data / "backups") == 0o700
    assert {mode(p) for p in (data / "backups").iterdir()} == {0o600}
    assert mode(tmp_path / "out" / "b.zip") == 0o600
    pdfs = list((data / "documents").rglob("*.pdf"))
    assert pdfs and {mode(p) for p in pdfs} == {0o600}
