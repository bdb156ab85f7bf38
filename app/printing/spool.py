"""Printing through CUPS, telling the truth: the PDF goes to a named queue as it is (vector,
each page at its own size, the text still text), and the job is followed until CUPS says it
completed, failed, or it is stuck — a paper counts as printed only when its job completed.

- `queue_state(name)`: does the queue exist, does it accept jobs, is it paused, its device,
  the paper sizes it offers (read over IPP: app.printing.ipp).
- `check_paper(pdf, queue)`: an A4 page is never sent to a queue that only has 80 mm paper
  (nor a page to any queue without a paper it fits) unless the caller chose so explicitly.
- `print_pdf(pdf, name)`: the whole way the desk prints — state, paper, `lp`, then the job's
  state until it ends; a job still waiting after `cancel_after` seconds (a paused queue, a
  printer that does not answer) is cancelled, so it never comes out later for someone else.

Every reason a print failed is a `Message` (app.messages, codes print.*)."""

from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.errors import UserError
from app.messages import Message
from app.printing import ipp

MM_PER_POINT = 25.4 / 72
#: A page fits a paper when they differ by no more than this (rounding of PPD sizes).
TOLERANCE_MM = 3.0
#: A ticket waiting longer than this is cancelled (the applicant has gone).
TICKET_CANCEL_AFTER = 60.0
#: A desk document waiting longer than this is cancelled and reported as not printed.
DOCUMENT_CANCEL_AFTER = 120.0
POLL_SECONDS = 0.5

JOB_STATES = {
    3: "pending",
    4: "held",
    5: "processing",
    6: "stopped",
    7: "cancelled",
    8: "aborted",
    9: "completed",
}
FINAL_STATES = ("cancelled", "aborted", "completed")
PRINTER_STOPPED = 5

_PWG_SIZE = re.compile(r"_(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(mm|in)$")
_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*\]")
_REQUEST_ID = re.compile(r"request id is (\S+)-(\d+)")


class PrintFailure(UserError):
    """The print system refused or lost the job, or cannot be reached; `message` says why (a
    Message, translated by the UI); `job_id` is the CUPS job if there was one."""

    def __init__(self, message: Message, job_id: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.job_id = job_id


class PaperMismatch(PrintFailure):
    """The document's pages fit none of the papers the queue offers."""


def cups_available() -> bool:
    """This platform prints through CUPS: Linux (or another Unix) with its client tools."""
    return sys.platform != "win32" and shutil.which("lp") is not None


# --- paper sizes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Paper:
    """A paper size in millimetres, or a range of them (a printer's custom sizes)."""

    width: float
    height: float
    max_width: float | None = None
    max_height: float | None = None

    def fits(self, page: tuple[float, float]) -> bool:
        w, h = page
        if self.max_width is not None and self.max_height is not None:
            return (
                self.width - TOLERANCE_MM <= w <= self.max_width + TOLERANCE_MM
                and self.height - TOLERANCE_MM <= h <= self.max_height + TOLERANCE_MM
            )
        # A roll's paper is cut where the page ends: the width must match, the height not
        # exceed it. A sheet in either orientation.
        for pw, ph in ((self.width, self.height), (self.height, self.width)):
            if abs(pw - w) <= TOLERANCE_MM and h <= ph + TOLERANCE_MM:
                return True
        return False

    def label(self) -> str:
        return f"{self.width:g}×{self.height:g} mm"


def _mm(value: str, unit: str) -> float:
    return round(float(value) * (25.4 if unit == "in" else 1.0), 1)


def papers_of(media: list[str]) -> list[Paper]:
    """The papers named by IPP media-supported keywords (PWG self-describing names, e.g.
    iso_a4_210x297mm, custom_80.08x297.04mm_80.08x297.04mm, custom_min_/custom_max_)."""
    papers: list[Paper] = []
    low: tuple[float, float] | None = None
    high: tuple[float, float] | None = None
    for name in media:
        m = _PWG_SIZE.search(name)
        if m is None:
            continue
        size = (_mm(m.group(1), m.group(3)), _mm(m.group(2), m.group(3)))
        if name.startswith("custom_min_"):
            low = size
        elif name.startswith("custom_max_"):
            high = size
        else:
            papers.append(Paper(*size))
    if low is not None and high is not None:
        papers.append(Paper(low[0], low[1], high[0], high[1]))
    return papers


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """The distinct page sizes (mm, width × height) of a PDF, read from its /MediaBox entries
    (enough for the PDFs app.printing writes and most others); empty if none are readable."""
    sizes: list[tuple[float, float]] = []
    for box in _MEDIA_BOX.findall(pdf):
        x0, y0, x1, y1 = (float(v) for v in box)
        size = (
            round(abs(x1 - x0) * MM_PER_POINT, 1),
            round(abs(y1 - y0) * MM_PER_POINT, 1),
        )
        if size not in sizes:
            sizes.append(size)
    return sizes


def _page_label(size: tuple[float, float]) -> str:
    return f"{size[0]:.0f}×{size[1]:.0f} mm"


# --- the queue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueState:
    name: str
    accepting: bool
    paused: bool
    device_uri: str
    reasons: tuple[str, ...]
    message: str
    papers: tuple[Paper, ...]

    def problem(self) -> Message | None:
        """Why a job sent now would not print at once, or None."""
        if not self.accepting:
            return Message("print.queue_rejecting", printer=self.name)
        if self.paused:
            return Message("print.queue_paused", printer=self.name)
        return None


_PRINTER_ATTRIBUTES = [
    "printer-state",
    "printer-state-reasons",
    "printer-state-message",
    "printer-is-accepting-jobs",
    "device-uri",
    "media-supported",
]


def _ask(
    operation: int,
    attributes: list[tuple[int, str, ipp.Value]],
    server: str | None,
    printer: str | None = None,
) -> ipp.Response:
    try:
        return ipp.request(operation, attributes, server=server)
    except ipp.IppError as exc:
        raise PrintFailure(Message("print.no_server", error=str(exc))) from exc


def printer_names(server: str | None = None) -> list[str]:
    response = _ask(
        ipp.CUPS_GET_PRINTERS, ipp.keywords("requested-attributes", ["printer-name"]), server
    )
    return [
        str(v)
        for tag, attrs in response.groups
        if tag == 0x04
        for v in attrs.get("printer-name", [])
    ]


def default_printer(server: str | None = None) -> str | None:
    """The server's default queue, if one is set."""
    response = _ask(
        ipp.CUPS_GET_DEFAULT, ipp.keywords("requested-attributes", ["printer-name"]), server
    )
    name = response.first("printer-name") if response.ok else None
    return str(name) if name else None


def queue_state(name: str, server: str | None = None) -> QueueState:
    response = _ask(
        ipp.GET_PRINTER_ATTRIBUTES,
        [
            ipp.uri("printer-uri", ipp.printer_uri(name)),
            *ipp.keywords("requested-attributes", _PRINTER_ATTRIBUTES),
        ],
        server,
    )
    if response.status == ipp.STATUS_NOT_FOUND:
        raise PrintFailure(Message("print.no_such_printer", printer=name))
    if not response.ok:
        raise PrintFailure(
            Message(
                "print.server_refused",
                error=str(response.first("status-message") or hex(response.status)),
            )
        )
    reasons = tuple(str(r) for r in response.all("printer-state-reasons") if r != "none")
    return QueueState(
        name=name,
        accepting=bool(response.first("printer-is-accepting-jobs")),
        paused=response.first("printer-state") == PRINTER_STOPPED,
        device_uri=str(response.first("device-uri") or ""),
        reasons=reasons,
        message=str(response.first("printer-state-message") or ""),
        papers=tuple(papers_of([str(m) for m in response.all("media-supported")])),
    )


def check_paper(pdf: bytes, queue: QueueState) -> None:
    """PaperMismatch unless every page size of `pdf` fits a paper the queue offers (a queue
    that names no paper sizes, or a PDF whose sizes cannot be read, is not refused)."""
    if not queue.papers:
        return
    for size in page_sizes(pdf):
        if not any(paper.fits(size) for paper in queue.papers):
            offered = [p.label() for p in queue.papers if p.max_width is None][:6]
            raise PaperMismatch(
                Message(
                    "print.paper_mismatch",
                    printer=queue.name,
                    page=_page_label(size),
                    papers=offered or ["—"],
                )
            )


# --- jobs -----------------------------------------------------------------------------------


def _tool_env(server: str | None) -> dict[str, str]:
    env = dict(os.environ, LC_ALL="C", LANG="C")
    if server:
        env["CUPS_SERVER"] = server
    return env


def submit(pdf: bytes, name: str, *, title: str = "", server: str | None = None) -> int:
    """Hand the PDF as it is to queue `name` with `lp`; the CUPS job id."""
    command = [
        "lp",
        "-d",
        name,
        "-o",
        "print-scaling=none",
        "-o",
        "document-format=application/pdf",
    ]
    if title:
        command += ["-t", title]
    try:
        done = subprocess.run(
            command, input=pdf, capture_output=True, env=_tool_env(server), timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrintFailure(Message("print.no_server", error=str(exc))) from exc
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace").strip()
    m = _REQUEST_ID.search(out)
    if done.returncode != 0 or m is None:
        if "not accepting" in err:
            raise PrintFailure(Message("print.queue_rejecting", printer=name))
        if "does not exist" in err or "not exist" in err:
            raise PrintFailure(Message("print.no_such_printer", printer=name))
        raise PrintFailure(Message("print.submit_failed", printer=name, error=err or out))
    return int(m.group(2))


@dataclass(frozen=True)
class JobState:
    job_id: int
    state: str
    reasons: tuple[str, ...]
    message: str
    created: int | None


def job_state(job_id: int, server: str | None = None) -> JobState:
    response = _ask(
        ipp.GET_JOB_ATTRIBUTES,
        [
            ipp.uri("printer-uri", "ipp://localhost/"),
            ipp.integer("job-id", job_id),
            *ipp.keywords(
                "requested-attributes",
                ["job-state", "job-state-reasons", "job-printer-state-message", "time-at-creation"],
            ),
        ],
        server,
    )
    if not response.ok:
        raise PrintFailure(Message("print.job_lost", job=job_id), job_id)
    state = response.first("job-state")
    created = response.first("time-at-creation")
    return JobState(
        job_id=job_id,
        state=JOB_STATES.get(state if isinstance(state, int) else 0, "unknown"),
        reasons=tuple(str(r) for r in response.all("job-state-reasons") if r != "none"),
        message=str(response.first("job-printer-state-message") or ""),
        created=created if isinstance(created, int) and not isinstance(created, bool) else None,
    )


def cancel(job_id: int, server: str | None = None) -> None:
    """Cancel a job (it never prints); a job already ended is left as it is."""
    try:
        subprocess.run(
            ["cancel", str(job_id)], capture_output=True, env=_tool_env(server), timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PrintFailure(Message("print.no_server", error=str(exc)), job_id) from exc


def _why_waiting(name: str, server: str | None, job: JobState) -> Message:
    try:
        queue = queue_state(name, server)
    except PrintFailure as exc:
        return exc.message
    problem = queue.problem()
    if problem is not None:
        return problem
    # The backend reports a device it cannot reach in the queue's reasons (connecting-to-
    # device, offline-report) or, while the job is processing, in the queue's message.
    if any("connect" in r or "offline" in r for r in queue.reasons + job.reasons) or (
        job.state == "processing" and queue.message
    ):
        return Message("print.device_unreachable", printer=name)
    return Message("print.job_stuck", printer=name)


@dataclass(frozen=True)
class Printed:
    printer: str
    job_id: int


def follow(
    job_id: int,
    name: str,
    *,
    server: str | None = None,
    cancel_after: float = DOCUMENT_CANCEL_AFTER,
    poll: float = POLL_SECONDS,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Printed:
    """Wait for the job's end. Completed: `Printed`. Aborted or cancelled: PrintFailure.
    Still not completed `cancel_after` seconds after this call: cancelled (so it never comes
    out later), and PrintFailure saying why it waited (queue paused, device unreachable)."""
    start = clock()
    while True:
        job = job_state(job_id, server)
        if job.state == "completed":
            return Printed(name, job_id)
        if job.state == "aborted":
            detail = job.message or ", ".join(job.reasons)
            raise PrintFailure(Message("print.job_aborted", printer=name, error=detail), job_id)
        if job.state == "cancelled":
            raise PrintFailure(Message("print.job_cancelled", printer=name), job_id)
        if clock() - start >= cancel_after:
            why = _why_waiting(name, server, job)
            cancel(job_id, server)
            raise PrintFailure(Message("print.cancelled_waiting", reason=why), job_id)
        sleep(poll)


def print_pdf(
    pdf: bytes,
    name: str,
    *,
    title: str = "",
    server: str | None = None,
    any_paper: bool = False,
    cancel_after: float = DOCUMENT_CANCEL_AFTER,
    poll: float = POLL_SECONDS,
) -> Printed:
    """Print `pdf` on queue `name` the way the desk does: the queue must exist and accept
    jobs, the pages must fit its paper (unless `any_paper`, the clerk's explicit choice),
    then `lp`, then `follow` the job to its end. PrintFailure says why it did not print."""
    if not pdf.startswith(b"%PDF"):
        raise PrintFailure(Message("document.print_not_pdf"))
    queue = queue_state(name, server)
    if not queue.accepting:
        raise PrintFailure(Message("print.queue_rejecting", printer=name))
    if not any_paper:
        check_paper(pdf, queue)
    job_id = submit(pdf, name, title=title, server=server)
    return follow(job_id, name, server=server, cancel_after=cancel_after, poll=poll)


def cancel_stale_jobs(
    name: str, older_than: float, server: str | None = None, now: float | None = None
) -> list[int]:
    """Cancel this user's jobs on queue `name` that have waited longer than `older_than`
    seconds (tickets left behind by a kiosk that stopped while waiting); their ids."""
    response = _ask(
        ipp.GET_JOBS,
        [
            ipp.uri("printer-uri", ipp.printer_uri(name)),
            ipp.keyword("which-jobs", "not-completed"),
            ipp.user_name(getpass.getuser()),
            *ipp.keywords("requested-attributes", ["job-id", "time-at-creation"]),
        ],
        server,
    )
    now = time.time() if now is None else now
    cancelled = []
    for tag, attrs in response.groups:
        if tag != 0x02 or not attrs.get("job-id"):
            continue
        job_id = attrs["job-id"][0]
        created = attrs["time-at-creation"][0] if attrs.get("time-at-creation") else None
        if isinstance(job_id, int) and isinstance(created, int) and now - created >= older_than:
            cancel(job_id, server)
            cancelled.append(job_id)
    return cancelled
