"""Issuing and printing documents. A document gets its number inside the caller's transaction,
like a case; each print is counted (a reprint is marked 补打 on the paper and counted apart),
and the SHA-256 of the PDF printed is kept.

The rule "print only what is committed" is kept by the shape of the API: the PDF is rendered
from values read from committed rows (app.printing.model), the document row is issued and
committed, and only then does the desk print and call `record_print`."""

from __future__ import annotations

import errno
import hashlib
import itertools
import logging
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from app.errors import UserError
from app.services.changes import DeskContext, record
from app.services.numbering import next_in_sequence
from db.base import utcnow
from db.models.document import DOCUMENT_KINDS, Document, PrintRecord
from db.models.numbering import DailyCounter

PREFIXES = {
    "receipt": "SL",  # 受理
    "commitment": "RQ",  # 容缺
    "notice": "GZ",  # 告知
    "rejection": "BY",  # 不予
    "ticket": "PH",  # 排号
}
MAX_SEQ = 9999
_DIVISION = re.compile(r"^\d{6}$")

#: The PDF, or how to render it once the document has its number (the number is printed on it).
PdfSource = bytes | Callable[[Document], bytes]


def sha256_of(pdf_bytes: bytes) -> str:
    return hashlib.sha256(pdf_bytes).hexdigest()


def _scope(kind: str, window: int) -> str:
    return f"doc:{kind}:w{window}"


def _take_doc_no(session: Session, kind: str, division_code: str, window: int, day: date) -> str:
    scope = _scope(kind, window)
    used = session.execute(
        select(DailyCounter.value).where(DailyCounter.scope == scope, DailyCounter.day == day)
    ).scalar_one_or_none()
    if used is not None and used >= MAX_SEQ:
        raise UserError("document.numbers_used_up", window=window, limit=MAX_SEQ)
    seq = next_in_sequence(session, scope, day)
    return f"{PREFIXES[kind]}{division_code}{day:%Y%m%d}{window:02d}{seq:04d}"


def issue_document(
    session: Session,
    ctx: DeskContext,
    kind: str,
    pdf_bytes: PdfSource | None,
    *,
    case_id: str | None = None,
    ticket_id: str | None = None,
    division_code: str,
    day: date,
    pdf_path: str | None = None,
) -> Document:
    """A new document of `kind`, numbered in the caller's transaction. `pdf_bytes` is the PDF
    or a function that renders it from the new row (whose doc_no it prints); its SHA-256 is
    kept. None: the PDF is made after the commit, outside the transaction (a kiosk's slip),
    and its SHA-256 is kept when its print is counted (`record_print`). A ticket printed by a kiosk (no window) is numbered as window 00."""
    if kind not in DOCUMENT_KINDS:
        raise UserError("document.unknown_kind", kind=kind)
    if not _DIVISION.match(division_code):
        raise UserError("document.bad_division", division=division_code)
    if kind == "ticket":
        if ticket_id is None:
            raise UserError("document.ticket_needs_ticket")
    elif case_id is None:
        raise UserError("document.needs_case")
    window = ctx.window_number or 0
    doc = Document(
        case_id=case_id,
        ticket_id=ticket_id,
        kind=kind,
        doc_no=_take_doc_no(session, kind, division_code, window, day),
        day=day,
        window_number=ctx.window_number,
        clerk_id=ctx.clerk_id,
        pdf_path=pdf_path,
    )
    session.add(doc)
    session.flush()
    if pdf_bytes is not None:
        pdf = pdf_bytes(doc) if callable(pdf_bytes) else pdf_bytes
        if not pdf.startswith(b"%PDF"):
            raise UserError("document.not_pdf")
        doc.sha256 = sha256_of(pdf)
    record(
        session,
        ctx,
        doc,
        "document.issued",
        {"kind": kind, "doc_no": doc.doc_no, "case_id": case_id, "ticket_id": ticket_id},
    )
    return doc


def record_print(
    session: Session,
    ctx: DeskContext,
    document_id: str,
    pdf_bytes: bytes,
    reprint: bool,
    *,
    pdf_path: str | Path | None = None,
    data_dir: Path | None = None,
    printer: str | None = None,
    job_id: str | int | None = None,
) -> Document:
    """Count one print of the document that really came out: the print system completed its
    job (`printer`, `job_id`). The first print is not a reprint; every later one is, and its
    paper says 补打（第n次）. Each print is its own PrintRecord with the SHA-256 and file of
    the PDF sent; the document keeps the original's (set when it was issued or first printed,
    never overwritten). `pdf_path` is recorded relative to the data directory (`data_dir`, else
    the one the session's database is in). A print that failed or was only saved as a PDF is
    `record_print_failure`, and counts nothing."""
    doc = _printable(session, document_id, pdf_bytes)
    if reprint and doc.print_count == 0:
        raise UserError("document.never_printed", doc_no=doc.doc_no)
    if not reprint and doc.print_count > 0:
        raise UserError("document.already_printed", doc_no=doc.doc_no)
    number = next_reprint_number(doc)
    stored = _to_store(session, Path(pdf_path), data_dir) if pdf_path is not None else None
    sha = sha256_of(pdf_bytes)
    doc.print_count += 1
    if reprint:
        doc.reprint_count += 1
    doc.printed_at = utcnow()
    if doc.sha256 is None:
        doc.sha256 = sha
    if doc.pdf_path is None and stored is not None:
        doc.pdf_path = stored
    _print_record(session, ctx, doc, number, "printed", sha, stored, printer, job_id, None)
    record(
        session,
        ctx,
        doc,
        "document.reprinted" if reprint else "document.printed",
        {
            "doc_no": doc.doc_no,
            "print_count": doc.print_count,
            "reprint_count": doc.reprint_count,
            "sha256": sha,
            "printer": printer,
            "job_id": None if job_id is None else str(job_id),
        },
    )
    return doc


def record_print_failure(
    session: Session,
    ctx: DeskContext,
    document_id: str,
    pdf_bytes: bytes,
    *,
    reason: str,
    saved: bool = False,
    pdf_path: str | Path | None = None,
    data_dir: Path | None = None,
    printer: str | None = None,
    job_id: str | int | None = None,
) -> PrintRecord:
    """Record a print that did not come out (refused, stuck and cancelled, lost: `reason`),
    or a PDF kept instead of printed (`saved`): its own PrintRecord; the document's counts and
    its original's hash and file are unchanged, so the next real paper is still the first
    print (or the same 补打 number)."""
    doc = _printable(session, document_id, pdf_bytes)
    stored = _to_store(session, Path(pdf_path), data_dir) if pdf_path is not None else None
    outcome = "saved" if saved else "failed"
    sha = sha256_of(pdf_bytes)
    number = next_reprint_number(doc)
    row = _print_record(session, ctx, doc, number, outcome, sha, stored, printer, job_id, reason)
    record(
        session,
        ctx,
        row,
        "document.print_saved" if saved else "document.print_failed",
        {"doc_no": doc.doc_no, "printer": printer, "reason": reason},
    )
    return row


def print_records(session: Session, document_id: str) -> list[PrintRecord]:
    """Every print and reprint of the document, oldest first."""
    return list(
        session.scalars(
            select(PrintRecord)
            .where(PrintRecord.document_id == document_id)
            .order_by(PrintRecord.created_at, PrintRecord.id)
        )
    )


def _printable(session: Session, document_id: str, pdf_bytes: bytes) -> Document:
    doc = session.get(Document, document_id)
    if doc is None:
        raise UserError("document.not_found")
    if not pdf_bytes.startswith(b"%PDF"):
        raise UserError("document.print_not_pdf")
    return doc


def _print_record(
    session: Session,
    ctx: DeskContext,
    doc: Document,
    number: int,
    outcome: str,
    sha: str,
    stored: str | None,
    printer: str | None,
    job_id: str | int | None,
    reason: str | None,
) -> PrintRecord:
    row = PrintRecord(
        document_id=doc.id,
        reprint=number,
        outcome=outcome,
        printer=printer,
        job_id=None if job_id is None else str(job_id),
        reason=reason,
        sha256=sha,
        pdf_path=stored,
        window_number=ctx.window_number,
        clerk_id=ctx.clerk_id,
    )
    session.add(row)
    return row


def next_reprint_number(doc: Document) -> int:
    """The n of 补打（第n次） for the next print of `doc`: 0 while it was never printed."""
    return doc.reprint_count + 1 if doc.print_count else 0


# --- the PDF files: private, under the data directory, placed only after the commit ------------
#
# A PDF names an applicant, so it is kept like the database: under the data directory in use,
# folders 0700 and files 0600 whatever the umask. The row keeps the path RELATIVE to the data
# directory (a data directory can be moved or restored elsewhere); rows written by release 0.1.0
# keep an absolute path, which still resolves. A file is written under a temporary name in its
# folder, flushed to disk, and only given its final name once the transaction that numbered it
# committed (`stage_pdf` + `keep_after_commit`): a rolled-back or crashed save leaves no file, and
# a file already at the name (another applicant's paper, e.g. after a database was restored
# from a backup and numbers were taken again) is never replaced.

FILE_MODE = 0o600
DIR_MODE = 0o700
_DOC_NO = re.compile(r"[A-Z]{2}\d{6}(\d{8})\d{6}")
_PART = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.(?P<token>[0-9a-f]+)\.part$")
_PENDING = "onewindow_pending_pdfs"
log = logging.getLogger(__name__)


DOCUMENTS = "documents"


def documents_dir(data_dir: Path) -> Path:
    return data_dir / DOCUMENTS


def data_dir_of(session: Session) -> Path:
    """The data directory in use: the folder of the database file `session` is bound to (the
    desk's database lives at the top of its data directory). UserError for a database in
    memory, which has none: its caller must say where papers go."""
    bind = session.get_bind()
    name = bind.engine.url.database
    if not name or name == ":memory:" or name.startswith("file::memory:"):
        raise UserError("document.no_data_dir")
    return Path(name).expanduser().absolute().parent


def stored_pdf_path(data_dir: Path, path: Path) -> str:
    """How a row keeps the file at `path`: relative to the data directory (with / between its
    parts), so the data directory can move. A file outside it keeps its absolute path."""
    base = data_dir.expanduser().absolute()
    full = path.expanduser().absolute()
    try:
        return full.relative_to(base).as_posix()
    except ValueError:
        log.warning("a document file outside the data directory is recorded by its full path")
        return str(full)


def _to_store(session: Session, path: Path, data_dir: Path | None) -> str:
    if not path.is_absolute():
        if ".." in path.parts:
            raise UserError("document.outside_data_dir", path=str(path))
        return path.as_posix()
    if data_dir is None:
        try:
            data_dir = data_dir_of(session)
        except UserError:  # a database in memory (tests, samples): nothing to be relative to
            return str(path)
    return stored_pdf_path(data_dir, path)


def resolve_pdf_path(data_dir: Path, stored: str | None) -> Path | None:
    """The file a row's `pdf_path` names, for the data directory in use: a relative path (this
    release) under `data_dir`, an absolute one (release 0.1.0) as it is. None when the row has
    no file, or names one that would lie outside the data directory."""
    if not stored:
        return None
    path = Path(stored)
    if path.is_absolute():
        return path
    if ".." in path.parts:
        return None
    return data_dir / path


def document_file(session: Session, doc: Document, data_dir: Path | None = None) -> Path | None:
    """The PDF file kept for `doc` (see `resolve_pdf_path`); the data directory is the one the
    session's database is in unless given."""
    return resolve_pdf_path(data_dir or data_dir_of(session), doc.pdf_path)


def _private_dirs(top: Path, *names: str) -> Path:
    """The folder top/names..., each part made 0700 (and one that release 0.1.0 made 0755 is
    narrowed to 0700); `top` is created 0700 if it is missing, and otherwise left as it is."""
    if not top.is_dir():
        top.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        os.chmod(top, DIR_MODE)
    folder = top
    for name in names:
        folder = folder / name
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise
        if stat.S_IMODE(folder.stat().st_mode) != DIR_MODE:
            try:
                os.chmod(folder, DIR_MODE)
            except PermissionError:  # another user's folder: not ours to change
                log.warning("cannot make %s private (not its owner)", folder)
    return folder


def _fsync_dir(folder: Path) -> None:
    """Make a new name in `folder` durable (POSIX; Windows has no directory handles to flush)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs (POSIX; elsewhere assumed so, and nothing is swept)."""
    if pid == os.getpid() or os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_swept: set[Path] = set()


def _sweep(folder: Path) -> None:
    """Remove what a crashed process left half-made in `folder`: temporary files whose process
    is gone (a live process's are its own business). Once per folder and process: a month's
    folder holds thousands of papers."""
    if folder in _swept:
        return
    with os.scandir(folder) as entries:
        for entry in entries:
            match = _PART.match(entry.name)
            if match and not _alive(int(match["pid"])):
                Path(entry.path).unlink(missing_ok=True)
    _swept.add(folder)


@dataclass
class StagedPdf:
    """A PDF written and flushed under a temporary name in its folder, waiting for its final
    name (`keep`) or to be thrown away (`discard`). `path` is the name it will get."""

    data_dir: Path
    temporary: Path
    path: Path
    pdf_bytes: bytes
    kept: bool = False

    @property
    def stored_path(self) -> str:
        """What the document row keeps: the final path, relative to the data directory."""
        return stored_pdf_path(self.data_dir, self.path)

    def keep(self) -> Path:
        """Give the file its final name without ever replacing a file already there: a file
        with the same bytes is this paper already kept; any other is left alone and this one
        takes the next free name (`path` then says which)."""
        if self.kept:
            return self.path
        for candidate in _candidates(self.path):
            try:
                _link(self.temporary, candidate)
            except FileExistsError:
                if _same_bytes(candidate, self.pdf_bytes):
                    break
                continue
            break
        if candidate != self.path:
            log.warning("document file name taken by another file; kept as %s", candidate)
        self.path = candidate
        self.discard()
        _fsync_dir(candidate.parent)
        self.kept = True
        return candidate

    def discard(self) -> None:
        self.temporary.unlink(missing_ok=True)


def _link(source: Path, target: Path) -> None:
    """A second name for `source`, refused (FileExistsError) if `target` exists. Where the
    file system has no hard links, a rename after a check (a narrow race, between processes
    of one desk only)."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
            raise
        if target.exists() or target.is_symlink():
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from exc
        os.rename(source, target)


def _candidates(path: Path) -> Iterator[Path]:
    yield path
    for n in itertools.count(2):
        yield path.with_name(f"{path.stem}.{n}{path.suffix}")


def _same_bytes(path: Path, pdf_bytes: bytes) -> bool:
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size != len(pdf_bytes):
            return False
        return path.read_bytes() == pdf_bytes
    except OSError:
        return False


def stage_pdf(data_dir: Path, doc_no: str, pdf_bytes: bytes, *, reprint: int = 0) -> StagedPdf:
    """Write the PDF of `doc_no` (its `reprint`-th reprint, if any) to a temporary 0600 file in
    its month's folder under the data directory and flush it to disk; `keep()` names it. The
    name it will get is the first of `{doc_no}.pdf`, `{doc_no}.2.pdf`, ... not already taken by
    a different file."""
    match = _DOC_NO.fullmatch(doc_no)
    if not match:
        raise UserError("document.bad_number", doc_no=doc_no)
    ymd = match[1]
    folder = _private_dirs(data_dir, DOCUMENTS, ymd[:4], ymd[4:6])
    _sweep(folder)
    name = f"{doc_no}-补打{reprint}.pdf" if reprint else f"{doc_no}.pdf"
    temporary = folder / f".{name}.{os.getpid()}.{secrets.token_hex(8)}.part"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temporary, flags | getattr(os, "O_BINARY", 0), FILE_MODE)
    try:
        if hasattr(os, "fchmod"):  # the umask narrowed the mode given to open(); say it again
            os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb", closefd=False) as out:
            out.write(pdf_bytes)
            out.flush()
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        temporary.unlink(missing_ok=True)
        raise
    os.close(fd)
    target = next(
        c for c in _candidates(folder / name) if not c.exists() or _same_bytes(c, pdf_bytes)
    )
    return StagedPdf(data_dir, temporary, target, pdf_bytes)


def save_pdf(data_dir: Path, doc_no: str, pdf_bytes: bytes, *, reprint: int = 0) -> Path:
    """Keep a PDF now (its document row is committed already): under the data directory's
    documents/YYYY/MM/ folder, 0600; a reprint gets its own file, and no file is ever replaced
    (saving the same bytes again finds the file kept)."""
    staged = stage_pdf(data_dir, doc_no, pdf_bytes, reprint=reprint)
    try:
        return staged.keep()
    finally:
        staged.discard()


def keep_after_commit(session: Session, staged: StagedPdf) -> None:
    """Name the staged file once the session's transaction commits; throw it away if the
    transaction ends any other way (rollback, an exception, the session closed)."""
    session.info.setdefault(_PENDING, []).append(staged)


@event.listens_for(Session, "after_commit")
def _keep_pending(session: Session) -> None:
    pending: list[StagedPdf] = session.info.pop(_PENDING, [])
    try:
        for staged in pending:
            staged.keep()
    finally:
        for staged in pending:
            staged.discard()


@event.listens_for(Session, "after_transaction_end")
def _discard_pending(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        for staged in session.info.pop(_PENDING, []):
            staged.discard()
