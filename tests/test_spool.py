"""Printing through CUPS (app.printing.spool) against a real, private CUPS server with virtual
PDF queues (tests/cupsd.py): an accepted job lands as a vector PDF, a rejecting queue, a paused
queue, an unreachable device and an A4 paper offered to an 80 mm queue are each refused or
cancelled and never reported as printed. Without cupsd these tests SKIP, with the reason in
pytest's summary; the paper-size logic is tested without it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from app.printing import spool
from app.printing.samples import write_samples
from app.services.hall import ensure_demo_hall, hall_info
from db.engine import open_database
from tests import cupsd


@pytest.fixture(scope="module")
def cups() -> Iterator[cupsd.Cups]:
    try:
        with cupsd.start() as server:
            yield server
    except cupsd.Unavailable as exc:
        pytest.skip(f"CUPS NOT TESTED — private cupsd unavailable: {exc}")


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    database = open_database(None)
    try:
        with database.session.begin() as s:
            ensure_demo_hall(s)
            hall = hall_info(s)
    finally:
        database.close()
    out = tmp_path_factory.mktemp("samples")
    return {path.stem: path.read_bytes() for path in write_samples(out, hall)}


def _jobs(cups: cupsd.Cups, queue: str) -> str:
    return cups.run("lpstat", "-o", queue)


# --- without a server ---------------------------------------------------------------------


def test_paper_sizes_are_read_from_pwg_names() -> None:
    papers = spool.papers_of(
        [
            "iso_a4_210x297mm",
            "na_letter_8.5x11in",
            "custom_80.08x297.04mm_80.08x297.04mm",
            "custom_min_0.5x0.5in",
            "custom_max_100x200mm",
            "auto",
        ]
    )
    assert spool.Paper(210, 297) in papers
    assert spool.Paper(215.9, 279.4) in papers
    assert spool.Paper(80.1, 297.0) in papers
    assert spool.Paper(12.7, 12.7, 100, 200) in papers


def test_a4_fits_a4_but_not_an_80mm_roll() -> None:
    roll, a4 = spool.Paper(80.1, 297.0), spool.Paper(210, 297)
    assert a4.fits((210.0, 297.0)) and a4.fits((297.0, 210.0))
    assert roll.fits((80.0, 92.4))  # a ticket: the roll is cut where it ends
    assert not roll.fits((210.0, 297.0))
    assert not a4.fits((80.0, 92.4))
    assert spool.Paper(20, 20, 80, 3000).fits((80.0, 500.0))
    assert not spool.Paper(20, 20, 80, 3000).fits((210.0, 297.0))


def test_page_sizes_of_the_papers(samples: dict[str, bytes]) -> None:
    assert spool.page_sizes(samples["receipt"]) == [(210.0, 297.0)]
    assert spool.page_sizes(samples["ticket"])[0][0] == 80.0


def test_no_server_is_a_failure_not_a_print(samples: dict[str, bytes]) -> None:
    with pytest.raises(spool.PrintFailure) as caught:
        spool.print_pdf(samples["receipt"], "OfficeA4", server="127.0.0.1:1")
    assert caught.value.message.code == "print.no_server"


# --- against the private CUPS server --------------------------------------------------------


def test_accepted_job_lands_as_vector_pdf(cups: cupsd.Cups, samples: dict[str, bytes]) -> None:
    before = set(cups.outputs())
    printed = spool.print_pdf(
        samples["receipt"], "OfficeA4", title="SL-test", server=cups.server, cancel_after=60
    )
    assert printed.printer == "OfficeA4" and printed.job_id > 0
    assert spool.job_state(printed.job_id, cups.server).state == "completed"
    new = [p for p in cups.outputs() if p not in before]
    assert len(new) == 1
    reader = pypdf.PdfReader(new[0])
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = page.extract_text()
    # The receipt's number is still text (not a picture of text), and no page is an image.
    assert any(ch.isdigit() for ch in text) and len(text.strip()) > 10
    assert not page.images


def test_each_page_prints_at_its_own_size(cups: cupsd.Cups) -> None:
    """A document of mixed page sizes (A4, then A5 landscape) is handed to the print system as
    it is: each page comes out on the queue's A4 paper at 1:1, none shrunk or grown to another
    page's size, and its text stays text."""
    from io import BytesIO

    from reportlab.lib.pagesizes import A4, A5, landscape
    from reportlab.pdfgen.canvas import Canvas

    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.drawString(72, 720, "page one A4")
    canvas.showPage()
    canvas.setPageSize(landscape(A5))
    canvas.drawString(72, 300, "page two A5 landscape")
    canvas.showPage()
    canvas.save()
    before = set(cups.outputs())
    spool.print_pdf(
        buffer.getvalue(),
        "OfficeA4",
        title="mixed",
        server=cups.server,
        cancel_after=60,
        any_paper=True,
    )
    (out,) = [p for p in cups.outputs() if p not in before]
    import pdfplumber

    with pdfplumber.open(out) as printed:
        assert len(printed.pages) == 2
        for page, text in zip(printed.pages, ("page one A4", "page two A5 landscape"), strict=True):
            words = page.extract_text()
            assert text in words
            # Not scaled: the 12-point text of either page is still 12 points on paper (a
            # document printed at one page's size would shrink or grow the other's).
            sizes = {round(c["size"]) for c in page.chars if c["text"].strip()}
            assert sizes == {12}


def test_rejecting_queue_is_refused_without_a_job(
    cups: cupsd.Cups, samples: dict[str, bytes]
) -> None:
    cups.add_queue("Rejecting", "file:/dev/null", cupsd.CUPS_PDF_PPD)
    cups.run("cupsreject", "Rejecting")
    with pytest.raises(spool.PrintFailure) as caught:
        spool.print_pdf(samples["receipt"], "Rejecting", server=cups.server)
    assert caught.value.message.code == "print.queue_rejecting"
    assert caught.value.job_id is None
    assert _jobs(cups, "Rejecting") == ""
    # `lp` itself is refused too (the check is not only ours).
    with pytest.raises(spool.PrintFailure) as caught:
        spool.submit(samples["receipt"], "Rejecting", server=cups.server)
    assert caught.value.message.code == "print.queue_rejecting"


def test_paused_queue_job_is_cancelled_not_printed(
    cups: cupsd.Cups, samples: dict[str, bytes]
) -> None:
    cups.add_queue("Paused", "file:/dev/null", cupsd.CUPS_PDF_PPD)
    cups.run("cupsdisable", "Paused")
    with pytest.raises(spool.PrintFailure) as caught:
        spool.print_pdf(
            samples["ticket"], "Paused", server=cups.server, any_paper=True, cancel_after=0
        )
    failure = caught.value
    assert failure.message.code == "print.cancelled_waiting"
    assert failure.message.params["reason"].code == "print.queue_paused"  # type: ignore[union-attr]
    assert failure.job_id is not None
    assert spool.job_state(failure.job_id, cups.server).state == "cancelled"
    # Resuming the queue prints nothing left over.
    cups.run("cupsenable", "Paused")
    assert _jobs(cups, "Paused") == ""


def test_stale_jobs_are_cancelled(cups: cupsd.Cups, samples: dict[str, bytes]) -> None:
    cups.add_queue("Stale", "file:/dev/null", cupsd.CUPS_PDF_PPD)
    cups.run("cupsdisable", "Stale")
    job = spool.submit(samples["ticket"], "Stale", server=cups.server)
    assert spool.cancel_stale_jobs("Stale", 3600, server=cups.server) == []
    assert spool.cancel_stale_jobs("Stale", 0, server=cups.server) == [job]
    assert spool.job_state(job, cups.server).state == "cancelled"


def test_unreachable_device_is_cancelled_not_printed(
    cups: cupsd.Cups, samples: dict[str, bytes]
) -> None:
    job = spool.submit(samples["receipt"], "Dead", server=cups.server)
    # Wait (bounded by pytest's timeout) until the backend has tried and reported.
    while not spool.queue_state("Dead", cups.server).message:
        assert spool.job_state(job, cups.server).state not in spool.FINAL_STATES
        time.sleep(0.2)
    with pytest.raises(spool.PrintFailure) as caught:
        spool.follow(job, "Dead", server=cups.server, cancel_after=0)
    reason = caught.value.message.params["reason"]
    assert reason.code == "print.device_unreachable"  # type: ignore[union-attr]
    assert spool.job_state(job, cups.server).state == "cancelled"


def test_a4_is_never_sent_to_the_80mm_queue(cups: cupsd.Cups, samples: dict[str, bytes]) -> None:
    state = spool.queue_state("Receipt80", cups.server)
    assert [p.width for p in state.papers] == [80.1]
    with pytest.raises(spool.PaperMismatch) as caught:
        spool.print_pdf(samples["notice"], "Receipt80", server=cups.server)
    assert caught.value.message.code == "print.paper_mismatch"
    assert "210×297 mm" in str(caught.value)
    assert _jobs(cups, "Receipt80") == ""
    # The ticket fits the roll; an explicit choice sends even the A4 paper.
    assert spool.print_pdf(samples["ticket"], "Receipt80", server=cups.server).job_id
    assert spool.print_pdf(samples["notice"], "Receipt80", server=cups.server, any_paper=True)


def test_unknown_printer(cups: cupsd.Cups, samples: dict[str, bytes]) -> None:
    assert {"OfficeA4", "Receipt80"} <= set(spool.printer_names(cups.server))
    with pytest.raises(spool.PrintFailure) as caught:
        spool.print_pdf(samples["receipt"], "NoSuchPrinter", server=cups.server)
    assert caught.value.message.code == "print.no_such_printer"


def test_queue_state_reports_device_and_state(cups: cupsd.Cups) -> None:
    state = spool.queue_state("OfficeA4", cups.server)
    assert state.accepting and not state.paused and state.problem() is None
    assert state.device_uri.startswith("cups-pdf:/")
    assert spool.Paper(210, 297) in state.papers


def test_cli_print(
    cups: cupsd.Cups,
    samples: dict[str, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app.cli import main

    monkeypatch.setenv("CUPS_SERVER", cups.server)
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(samples["receipt"])
    assert main(["print", str(pdf), "--printer", "OfficeA4"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("已打印：打印机OfficeA4，任务") and out.out.count("\n") == 1
    assert main(["print", str(pdf), "--printer", "Receipt80"]) == 1
    err = capsys.readouterr().err
    assert "80.1×297 mm" in err and err.count("\n") == 1
    assert main(["print", str(tmp_path / "none.pdf"), "--printer", "OfficeA4"]) == 1
    assert "none.pdf" in capsys.readouterr().err
