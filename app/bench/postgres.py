"""A throwaway PostgreSQL for the tests and the benchmarks: initdb + pg_ctl on a temporary directory and a free
port (under a second or two). The binaries are found on PATH or where Debian puts them
(/usr/lib/postgresql/NN/bin). As root, the server runs as the `postgres` (or `nobody`) user:
PostgreSQL refuses to run as root."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def pg_bin_dir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    return Path(candidates[-1]).parent if candidates else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_user() -> tuple[int, int] | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return entry.pw_uid, entry.pw_gid
    raise RuntimeError("running as root and no unprivileged user for PostgreSQL")


def _demote(ids: tuple[int, int] | None) -> Callable[[], None] | None:
    if ids is None:
        return None

    def run() -> None:
        os.setgid(ids[1])
        os.setuid(ids[0])

    return run


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yields a URL (postgresql://…/postgres) of a fresh server; stops and removes it after."""
    bindir = pg_bin_dir()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL binaries (initdb, pg_ctl) not found")
    ids = _as_user()
    root = Path(tempfile.mkdtemp(prefix="onewindow-pg-"))
    data = root / "data"
    if ids is not None:
        os.chown(root, *ids)
    port = free_port()
    env = {**os.environ, "LC_ALL": "C"}
    demote = _demote(ids)

    def run(args: list[object], check: bool = True) -> None:
        subprocess.run(
            [str(a) for a in args], env=env, preexec_fn=demote, capture_output=True, check=check
        )

    try:
        run(
            [
                bindir / "initdb",
                "-D",
                data,
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        )
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        )
        run([bindir / "pg_ctl", "-D", data, "-o", options, "-w", "-l", root / "log", "start"])
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            run([bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"], check=False)
    finally:
        shutil.rmtree(root, ignore_errors=True)
