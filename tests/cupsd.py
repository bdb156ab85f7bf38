"""A private CUPS server for the printing tests: its own configuration, spool and log
directories under a temporary folder, listening on a free port on 127.0.0.1, with virtual
PDF queues (cups-pdf). Needs `cupsd`, CUPS's client tools and cups-pdf (./dev installs them
on Debian); `start()` says why it cannot run (the tests then skip with that reason, shown in
pytest's summary), never starts anything on the machine's own CUPS.

Queues: OfficeA4 (cups-pdf, A4 and the usual sheets), Receipt80 (a PPD whose only paper is an
80 mm roll; output thrown away), Dead (A4, device a socket:// port nobody listens on)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd")
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_CONF_DIR = Path("/etc/cups")  # cups-pdf reads cups-pdf-<uri path>.conf from here
ROLL = "X80MMY297MM"


class Unavailable(Exception):
    """Why the private CUPS server cannot run here."""


@dataclass
class Cups:
    root: Path
    server: str  # 127.0.0.1:PORT, for $CUPS_SERVER and app.printing.spool's server=
    out: Path  # where cups-pdf writes OfficeA4's papers
    process: subprocess.Popen[bytes]

    def run(self, *command: str) -> str:
        done = subprocess.run(
            list(command),
            capture_output=True,
            text=True,
            timeout=60,
            env=dict(os.environ, CUPS_SERVER=self.server, LC_ALL="C"),
        )
        if done.returncode != 0:
            raise RuntimeError(f"{command}: {done.stderr.strip()}")
        return done.stdout

    def add_queue(self, name: str, device: str, ppd: Path) -> None:
        self.run("lpadmin", "-p", name, "-v", device, "-P", str(ppd), "-E")

    def outputs(self) -> list[Path]:
        return sorted(self.out.glob("*.pdf"))


def missing() -> str | None:
    for tool in ("cupsd", "lpadmin", "lp", "cancel", "cupsreject", "cupsdisable"):
        if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists():
            return f"{tool} is not installed (apt-get install cups cups-client printer-driver-cups-pdf)"
    if not CUPS_PDF_BACKEND.exists() or not CUPS_PDF_PPD.exists():
        return "cups-pdf is not installed (apt-get install printer-driver-cups-pdf)"
    if os.geteuid() != 0:
        return "the private cupsd needs root (cups-pdf's backend and its config in /etc/cups)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def roll_ppd(target: Path) -> Path:
    """cups-pdf's PPD with its paper sizes replaced by one 80 mm roll (227 × 842 pt)."""
    skip = (
        "*PageSize",
        "*PageRegion",
        "*ImageableArea",
        "*PaperDimension",
        "*DefaultPageSize",
        "*DefaultPageRegion",
        "*DefaultImageableArea",
        "*DefaultPaperDimension",
        "*CustomPageSize",
        "*ParamCustomPageSize",
        "*MaxMediaWidth",
        "*MaxMediaHeight",
        "*HWMargins",
        "*VariablePaperSize",
        "*NonUIOrderDependency: 100 AnySetup *Custom",
        "<</PageSize [ 5",
    )
    lines = [ln for ln in CUPS_PDF_PPD.read_text("latin-1").splitlines() if not ln.startswith(skip)]
    size = '"<</PageSize[227 842]/ImagingBBox null>>setpagedevice"'
    text = "\n".join(lines) + "\n"
    text = text.replace(
        "*OrderDependency: 100 AnySetup *PageSize\n",
        f"*OrderDependency: 100 AnySetup *PageSize\n*DefaultPageSize: {ROLL}\n"
        f"*PageSize {ROLL}/80 mm roll: {size}\n",
    )
    text = text.replace(
        "*OrderDependency: 100 AnySetup *PageRegion\n*CloseUI: *PageRegion\n",
        f"*OrderDependency: 100 AnySetup *PageRegion\n*DefaultPageRegion: {ROLL}\n"
        f"*PageRegion {ROLL}/80 mm roll: {size}\n*CloseUI: *PageRegion\n"
        f'*DefaultImageableArea: {ROLL}\n*ImageableArea {ROLL}: "0 0 227 842"\n'
        f'*DefaultPaperDimension: {ROLL}\n*PaperDimension {ROLL}: "227 842"\n',
    )
    target.write_text(text, "latin-1")
    return target


@contextlib.contextmanager
def start() -> Iterator[Cups]:
    """The server in a fresh folder under the system's temporary directory (readable by the
    filters, which run as lp: pytest's own tmp_path is private to root), removed at the end."""
    reason = missing()
    if reason is not None:
        raise Unavailable(reason)
    root = Path(tempfile.mkdtemp(prefix="onewindow-cups-"))
    root.chmod(0o755)
    for name in ("etc", "spool", "cache", "state", "tmp", "log", "out"):
        (root / name).mkdir(parents=True, exist_ok=True)
    (root / "tmp").chmod(0o1777)  # the filters run as lp
    (root / "spool").chmod(0o710)
    port = _free_port()
    (root / "etc" / "cupsd.conf").write_text(
        f"Listen 127.0.0.1:{port}\nLogLevel debug\nBrowsing No\nWebInterface No\n"
        "DefaultAuthType None\nErrorPolicy abort-job\n"
        "<Location />\n  Order allow,deny\n  Allow 127.0.0.1\n</Location>\n"
        "<Policy default>\n  JobPrivateAccess all\n  JobPrivateValues none\n"
        "  SubscriptionPrivateAccess all\n  SubscriptionPrivateValues none\n"
        "  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
    )
    (root / "etc" / "cups-files.conf").write_text(
        f"ServerRoot {root}/etc\nRequestRoot {root}/spool\nCacheDir {root}/cache\n"
        f"StateDir {root}/state\nTempDir {root}/tmp\nAccessLog {root}/log/access_log\n"
        f"ErrorLog {root}/log/error_log\nPageLog {root}/log/page_log\nSandboxing Relaxed\n"
        "FileDevice Yes\n"
    )
    tag = f"onewindow-test-{os.getpid()}-{port}"
    pdf_conf = CUPS_PDF_CONF_DIR / f"cups-pdf-{tag}.conf"
    pdf_conf.write_text(f"Out {root}/out\nAnonDirName {root}/out\nLog {root}/log\n")
    process = subprocess.Popen(
        [
            "cupsd",
            "-f",
            "-c",
            str(root / "etc" / "cupsd.conf"),
            "-s",
            str(root / "etc" / "cups-files.conf"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cups = Cups(root, f"127.0.0.1:{port}", root / "out", process)
    try:
        for _ in range(100):  # up to 10 s for the scheduler to listen
            if process.poll() is not None:
                raise Unavailable(f"cupsd exited at start (see {root}/log/error_log)")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.1)
        else:
            raise Unavailable("cupsd did not start listening")
        cups.add_queue("OfficeA4", f"cups-pdf:/{tag}", CUPS_PDF_PPD)
        cups.add_queue("Receipt80", "file:/dev/null", roll_ppd(root / "Receipt80.ppd"))
        cups.add_queue("Dead", f"socket://127.0.0.1:{_free_port()}", CUPS_PDF_PPD)
        yield cups
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        pdf_conf.unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)
