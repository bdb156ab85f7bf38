"""Citizens' papers stay private on disk: every PDF under the data directory in use (never the
platform's default), recorded relative to it, named only after its transaction commits, never
replacing another file, 0600 in 0700 folders whatever the umask; and `print-samples` touches no
database outside one in memory."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.catalogue.importer import import_demo_if_empty
from app.cli import build_parser
from app.errors import UserError
from app.rules.decision import MaterialEntry, MaterialStatus
from app.rules.identity import id_check_char
from app.services.applicant import ApplicantData
from app.services.case_documents import documents_for_case
from app.services.changes import DeskContext
from app.services.documents import (
    data_dir_of,
    document_file,
    print_records,
    record_print,
    resolve_pdf_path,
    save_pdf,
    stage_pdf,
)
from app.services.hall import ensure_demo_hall, set_desk
from app.services.intake import save_case
from app.startup import open_desk
from db.engine import DB_FILE_NAME, Database, open_database
from db.models.document import Document
from ui.printing import PrintOutcome, PrintService

ROOT = Path(__file__).resolve().parent.parent
CTX = DeskContext(1, "BC0101")
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # 10:00 in Baicheng
PERSON = ApplicantData("person", "王䶮", "11010519491231002X", "13912345678")
ID_RENEWAL = "11220800013546813E-000-220800-03"  # 居民身份证换领: 3 required materials
ALL_IN = {
    "HKB": MaterialEntry(MaterialStatus.RECEIVED_ORIGINAL_CHECKED),
    "SQRSFZ": MaterialEntry(MaterialStatus.ELECTRONIC),
    "ZPCJ": MaterialEntry(MaterialStatus.ELECTRONIC),
}
PDF = b"%PDF-1.4 an applicant's paper\n%%EOF"
RECEIPT_NO = "SL22080020261126010001"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data directory, the database at its top, as `open_desk` makes it."""
    return tmp_path / "desk-data"


@pytest.fixture
def desk_db(data: Path) -> Iterator[Database]:
    data.mkdir()
    database = open_database(data / DB_FILE_NAME)
    with database.session.begin() as s:
        import_demo_if_empty(s)
        ensure_demo_hall(s)
        set_desk(s, 1, "BC0101")
    yield database
    database.close()


def saved_case(database: Database, id_number: str = PERSON.id_number) -> str:
    applicant = ApplicantData("person", PERSON.name, id_number, PERSON.phone)
    with database.session.begin() as s:
        return save_case(
            s,
            CTX,
            applicant=applicant,
            matter_codes=[ID_RENEWAL],
            entries=ALL_IN,
            commitment_signed=False,
            now=NOW,
        ).case_id


def documents(data: Path) -> Path:
    return data / "documents" / "2026" / "11"


# --- 1. under the data directory in use --------------------------------------------------------


def when_dialog(act: Callable[[QDialog], None]) -> None:
    """Run `act` on the next modal dialog once it is open (it blocks the caller's exec())."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            act(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def test_the_desk_started_with_data_dir_keeps_every_paper_there(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desk's own start-up path (`python -m app --data-dir X --with-kiosk`), under a fresh
    HOME with no $ONEWINDOW_DATA_DIR: a case's papers and a kiosk ticket land under X, 0600 in
    0700 folders, and nothing appears under HOME (the platform's default data directory)."""
    from ui.kiosk import Kiosk
    from ui.launch import build_windows
    from ui.main_window import MainWindow

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("ONEWINDOW_DATA_DIR")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    data = tmp_path / "chosen"
    args = build_parser().parse_args(["--data-dir", str(data), "--with-kiosk"])
    setup = open_desk(args.data_dir, args.window, args.clerk)
    try:
        windows = build_windows(args, setup)
        main, kiosk = windows
        assert isinstance(main, MainWindow) and isinstance(kiosk, Kiosk)
        for widget in windows:
            qtbot.addWidget(widget)
            service = widget.findChild(PrintService)
            assert service is not None
            service._printers = list  # no printer: papers are saved as PDF
        main.case_panel.add_matter(ID_RENEWAL)
        assert main.case_panel.ops.wait_idle()  # the checklist is read on the worker
        form = main.case_panel.applicant_form
        form.name_edit.setText("王䶮")
        id_number = "22080219800101001" + id_check_char("22080219800101001")
        form.id_edit.setText(id_number)
        form.phone_edit.setText("13912345678")
        table = main.case_panel.findChild(QTableView, "checklistTable")
        assert table is not None
        table.setFocus()
        table.setCurrentIndex(table.model().index(0, 0))
        for _ in range(3):
            qtbot.keyClick(table, Qt.Key.Key_Space)

        def save_pdf_button(dialog: QDialog) -> None:
            button = dialog.findChild(QPushButton, "savePdfButton")
            assert button is not None
            button.click()

        when_dialog(save_pdf_button)
        main.case_panel.save_and_print()
        qtbot.keyClick(kiosk.line_buttons[next(iter(kiosk.line_buttons))], Qt.Key.Key_Space)
        kept = data / "documents"  # in today's month
        qtbot.waitUntil(lambda: {p.name[:2] for p in files_under(kept)} == {"SL", "PH"})
        # The outcome arrives (and is said) on the UI thread, then the print is counted on the
        # database's worker.
        qtbot.waitUntil(lambda: "已保存为PDF" in main.case_panel.message.text())
        # A kiosk's slip only saved is no paper in the applicant's hand: said, and not counted.
        qtbot.waitUntil(lambda: "号票未能打印" in kiosk.ticket_note.text())
        assert main.case_panel.ops.wait_idle()
        with setup.database.read() as s:
            rows = s.scalars(select(Document)).all()
            # Saved as PDFs, not printed: kept and recorded, neither counted as a print.
            counted = {r.kind: r.print_count for r in rows}
            assert counted == {"receipt": 0, "ticket": 0}
            assert {r.kind: [p.outcome for p in print_records(s, r.id)] for r in rows} == {
                "receipt": ["saved"],
                "ticket": ["saved"],
            }
            (receipt,) = (row for row in rows if row.kind == "receipt")
            assert receipt.pdf_path and not Path(receipt.pdf_path).is_absolute()
            path = document_file(s, receipt)
            assert path is not None and path.is_file()
            assert path.is_relative_to(data / "documents")
    finally:
        setup.database.close()
    for path in files_under(data / "documents"):
        assert mode(path) == 0o600, path
        assert not path.name.endswith(".part")
    for folder in [data / "documents", *[p for p in (data / "documents").rglob("*") if p.is_dir()]]:
        assert mode(folder) == 0o700, folder
    assert list(home.rglob("*")) == []


def test_without_documents_root_papers_follow_the_database(
    desk_db: Database, data: Path, tmp_path: Path
) -> None:
    case_id = saved_case(desk_db)
    with desk_db.session.begin() as s:
        assert data_dir_of(s) == data.absolute()
        (doc,) = documents_for_case(s, CTX, case_id, now=NOW)
    assert doc.path == documents(data) / f"{doc.doc_no}.pdf"
    assert doc.path.read_bytes() == doc.pdf_bytes
    assert not (tmp_path / "data").exists()  # $ONEWINDOW_DATA_DIR is not the one in use


def test_a_database_in_memory_needs_to_be_told_where_papers_go() -> None:
    database = open_database(None)
    try:
        with database.session() as s, pytest.raises(UserError, match="文书的保存位置"):
            data_dir_of(s)
    finally:
        database.close()


# --- 2. recorded relative to the data directory ------------------------------------------------


def test_rows_keep_paths_relative_and_resolve_after_the_data_dir_moved(
    desk_db: Database, data: Path, tmp_path: Path
) -> None:
    case_id = saved_case(desk_db)
    with desk_db.session.begin() as s:
        (doc,) = documents_for_case(s, CTX, case_id, now=NOW)
    with desk_db.session.begin() as s:
        row = s.get(Document, doc.document_id)
        assert row is not None
        assert row.pdf_path == f"documents/2026/11/{doc.doc_no}.pdf"
        # what the print service reports (an absolute path) is recorded relative too
        record_print(s, CTX, doc.document_id, doc.pdf_bytes, reprint=False, pdf_path=str(doc.path))
        assert row.pdf_path == f"documents/2026/11/{doc.doc_no}.pdf"
    desk_db.close()
    moved = tmp_path / "restored-elsewhere"
    shutil.move(data, moved)
    database = open_database(moved / DB_FILE_NAME)
    try:
        with database.read() as s:
            row = s.get(Document, doc.document_id)
            assert row is not None
            path = document_file(s, row)
            assert path == moved / "documents" / "2026" / "11" / f"{doc.doc_no}.pdf"
            assert path.read_bytes() == doc.pdf_bytes
    finally:
        database.close()


def test_an_absolute_path_from_release_0_1_0_still_resolves(
    desk_db: Database, data: Path, tmp_path: Path
) -> None:
    case_id = saved_case(desk_db)
    with desk_db.session.begin() as s:
        (doc,) = documents_for_case(s, CTX, case_id, now=NOW)
        row = s.get(Document, doc.document_id)
        assert row is not None
        old = tmp_path / "old" / "documents" / "2026" / "11" / f"{doc.doc_no}.pdf"
        row.pdf_path = str(old)  # as 0.1.0 wrote it
    with desk_db.read() as s:
        row = s.get(Document, doc.document_id)
        assert row is not None
        assert document_file(s, row) == old
    assert resolve_pdf_path(data, None) is None
    assert resolve_pdf_path(data, "../outside/x.pdf") is None
    assert resolve_pdf_path(data, "documents/2026/11/x.pdf") == data / "documents/2026/11/x.pdf"


# --- 3. named only after the commit, never replacing a file ------------------------------------


def test_before_the_commit_there_is_no_file_by_its_name(desk_db: Database, data: Path) -> None:
    case_id = saved_case(desk_db)
    with desk_db.session.begin() as s:
        (doc,) = documents_for_case(s, CTX, case_id, now=NOW)
        assert not doc.path.exists()
        staged = files_under(data / "documents")
        assert len(staged) == 1 and staged[0].name.endswith(".part")  # written, not yet named
    assert doc.path.read_bytes() == doc.pdf_bytes
    assert files_under(data / "documents") == [doc.path]


class Boom(Exception):
    pass


def _raise_boom(_session: Session) -> None:
    raise Boom("the disk said no at commit")


@pytest.mark.parametrize("how", ["error in the transaction", "at commit", "crash-like exit"])
def test_a_save_that_does_not_commit_leaves_no_file(
    desk_db: Database, data: Path, how: str
) -> None:
    case_id = saved_case(desk_db)
    failure: type[BaseException] = SystemExit if how == "crash-like exit" else Boom
    with pytest.raises(failure), desk_db.session.begin() as s:
        (doc,) = documents_for_case(s, CTX, case_id, now=NOW)
        if how == "at commit":
            event.listen(s, "before_commit", _raise_boom)
        else:
            raise failure("after the file was prepared")
    assert files_under(data / "documents") == []
    assert not doc.path.exists()
    with desk_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 0


def test_a_rolled_back_reprint_leaves_no_file(desk_db: Database, data: Path) -> None:
    case_id = saved_case(desk_db)
    with desk_db.session.begin() as s:
        (first,) = documents_for_case(s, CTX, case_id, now=NOW)
        record_print(s, CTX, first.document_id, first.pdf_bytes, reprint=False)
    with desk_db.session() as s:  # a plain session closed without a commit
        (again,) = documents_for_case(s, CTX, case_id, now=NOW)
        assert again.reprint == 1
    assert files_under(data / "documents") == [first.path]


def test_a_process_killed_before_the_commit_leaves_no_paper(desk_db: Database, data: Path) -> None:
    case_id = saved_case(desk_db)
    desk_db.close()
    script = textwrap.dedent(f"""
        import os, signal
        from datetime import datetime, UTC
        from pathlib import Path
        from app.services.case_documents import documents_for_case
        from app.services.changes import DeskContext
        from db.engine import open_database
        database = open_database(Path({str(data / DB_FILE_NAME)!r}))
        s = database.session()
        s.begin()
        documents_for_case(s, DeskContext(1, "BC0101"), {case_id!r},
                           now=datetime(2026, 11, 26, 2, 0, tzinfo=UTC))
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    left = files_under(data / "documents")
    assert left and all(p.name.endswith(".part") for p in left)  # half-made, never named
    # The next paper kept in that folder clears what the dead process left.
    save_pdf(data, "PH22080020261126000001", PDF)
    assert [p.name for p in files_under(data / "documents")] == ["PH22080020261126000001.pdf"]


def test_another_applicants_paper_at_the_name_is_never_replaced(
    desk_db: Database, data: Path
) -> None:
    # A database restored from a backup takes a number again whose paper is on disk.
    folder = documents(data)
    folder.mkdir(parents=True)
    theirs = folder / f"{RECEIPT_NO}.pdf"
    theirs.write_bytes(PDF)
    case_id = saved_case(desk_db)
    with desk_db.session.begin() as s:
        (doc,) = documents_for_case(s, CTX, case_id, now=NOW)
    assert doc.doc_no == RECEIPT_NO
    assert theirs.read_bytes() == PDF
    assert doc.path == folder / f"{RECEIPT_NO}.2.pdf"
    assert doc.path.read_bytes() == doc.pdf_bytes
    with desk_db.read() as s:
        row = s.get(Document, doc.document_id)
        assert row is not None and document_file(s, row) == doc.path


def test_a_file_that_appears_before_the_commit_is_not_replaced(data: Path) -> None:
    staged = stage_pdf(data, RECEIPT_NO, PDF + b"ours")
    assert staged.path == documents(data) / f"{RECEIPT_NO}.pdf"
    staged.path.write_bytes(PDF + b"theirs")  # another process got there first
    kept = staged.keep()
    assert staged.path.read_bytes() == kept.read_bytes() == PDF + b"ours"
    assert (documents(data) / f"{RECEIPT_NO}.pdf").read_bytes() == PDF + b"theirs"
    assert not staged.temporary.exists()


def test_saving_the_same_paper_twice_keeps_one_file(data: Path) -> None:
    first = save_pdf(data, RECEIPT_NO, PDF)
    again = save_pdf(data, RECEIPT_NO, PDF)
    other = save_pdf(data, RECEIPT_NO, PDF + b"another applicant")
    assert first == again and first.read_bytes() == PDF
    assert other != first and other.read_bytes() == PDF + b"another applicant"
    assert len(files_under(data)) == 2


# --- 4. 0600 files in 0700 folders whatever the umask ------------------------------------------


@pytest.fixture(params=[0o022, 0o000], ids=["umask022", "umask000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def assert_private(data: Path) -> None:
    for folder in (data / "documents", data / "documents" / "2026", documents(data)):
        assert mode(folder) == 0o700, folder
    found = files_under(data / "documents")
    assert found
    for path in found:
        assert mode(path) == 0o600, path


def test_case_papers_are_private_whatever_the_umask(
    umask: int, desk_db: Database, data: Path
) -> None:
    case_id = saved_case(desk_db)
    with desk_db.session.begin() as s:
        documents_for_case(s, CTX, case_id, now=NOW)
    assert_private(data)


def test_saved_tickets_are_private_whatever_the_umask(
    umask: int, qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings

    data = tmp_path / "kiosk-data"
    service = PrintService(
        data, QSettings(str(tmp_path / "p.ini"), QSettings.Format.IniFormat), printers=list
    )
    outcomes: list[PrintOutcome] = []
    service.print_silently(PDF, "ticket", "PH22080020261126000007", on_done=outcomes.append)
    qtbot.waitUntil(lambda: bool(outcomes), timeout=10_000)
    (outcome,) = outcomes
    assert outcome.saved_path == documents(data) / "PH22080020261126000007.pdf"
    assert_private(data)
    assert mode(data) == 0o700


def test_folders_made_open_by_release_0_1_0_are_narrowed(data: Path) -> None:
    documents(data).mkdir(parents=True)
    for folder in (data / "documents", data / "documents" / "2026", documents(data)):
        folder.chmod(0o755)
    save_pdf(data, RECEIPT_NO, PDF)
    assert_private(data)


# --- 5. print-samples touches no database ------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_mode, p.read_bytes())
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize("data_dir", ["none", "a desk's", "new"])
def test_print_samples_touches_no_database(tmp_path: Path, data_dir: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    desk = tmp_path / "desk"
    existing = open_desk(desk)  # a desk's data directory, with its database
    existing.database.close()
    before = _snapshot(desk)
    env = {"HOME": str(home), "PATH": "", "QT_QPA_PLATFORM": "offscreen"}
    out = tmp_path / "samples"
    new = tmp_path / "never-made"
    flag = {"none": [], "a desk's": ["--data-dir", str(desk)], "new": ["--data-dir", str(new)]}[
        data_dir
    ]
    result = subprocess.run(
        [sys.executable, "-m", "app", *flag, "print-samples", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "commitment.pdf",
        "notice.pdf",
        "receipt.pdf",
        "rejection.pdf",
        "ticket.pdf",
    ]
    with pdfplumber.open(out / "receipt.pdf") as pdf:
        assert "白城市政务服务中心" in "".join((pdf.pages[0].extract_text() or "").split())
    assert _snapshot(desk) == before  # not opened: not even a -wal or -shm beside it
    assert not new.exists()
    assert list(home.rglob("*")) == []  # the platform's default data directory: untouched


def test_a_file_that_cannot_be_named_after_the_commit_is_said_and_leaves_nothing(
    desk_db: Database, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows are committed (a reprint gives the paper later); the caller hears of it as an
    OSError, which the desk shows, and no temporary file is left behind."""
    case_id = saved_case(desk_db)

    def full_disk(source: Path, target: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("app.services.documents._link", full_disk)
    with pytest.raises(OSError, match="No space"), desk_db.session.begin() as s:
        documents_for_case(s, CTX, case_id, now=NOW)
    assert files_under(data / "documents") == []
    with desk_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 1
