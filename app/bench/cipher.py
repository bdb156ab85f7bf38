"""What encryption at rest (SQLCipher) costs, measured side by side with the plain store in the
same minute (the machine is shared: compare the pairs, not the absolute numbers)."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

Metric = dict[str, float]


def _accept(runs: int) -> Metric:
    """`accept_case_ms` of app/bench/cases.py, plain and encrypted, alternated; and the CPU
    time of each whole run (the same work but for the encryption: what the load disturbs
    least)."""
    from app.bench.cases import bench_cases

    plain, encrypted, plain_cpu, cipher_cpu = [], [], [], []
    for _ in range(3):
        cpu = time.process_time()
        plain.append(bench_cases(runs)["accept_case_ms"])
        plain_cpu.append(time.process_time() - cpu)
        cpu = time.process_time()
        encrypted.append(bench_cases(runs, key=os.urandom(32))["accept_case_ms"])
        cipher_cpu.append(time.process_time() - cpu)
    return {
        "plain_accept_case_ms": statistics.median(plain),
        "cipher_accept_case_ms": statistics.median(encrypted),
        "plain_cases_run_cpu_s": statistics.median(plain_cpu),
        "cipher_cases_run_cpu_s": statistics.median(cipher_cpu),
    }


def _kdf_ms(runs: int = 3) -> float:
    """Deriving the key from a passphrase (argon2id at the desk's cost), once per start."""
    from app.encryption import derive_key, new_passphrase_settings

    settings = new_passphrase_settings()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        derive_key("一个足够长的口令", settings)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _startup(runs: int) -> Metric:
    """The desk's start to its first painted window, on the same data directory plain and
    encrypted (a copy, its key in a file keyring the desk reads as the system's), alternated;
    and `encrypt` on that directory."""
    import keyring

    from app.bench import _start_desk
    from app.bench.file_keyring import FILE_ENV, BenchFileKeyring
    from app.encryption import cmd_encrypt

    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONEWINDOW_EXIT_AFTER_SHOWN="1")
        cmd = [sys.executable, "-m", "app", "--data-dir", str(plain), "--clerk", "BC0101"]
        first = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        if "window-shown" not in first.stdout:
            raise RuntimeError(f"the desk did not start: {first.stderr.strip()[-500:]}")
        encrypted = Path(tmp) / "encrypted"
        shutil.copytree(plain, encrypted)
        saved = {k: os.environ.get(k) for k in (FILE_ENV, "PYTHON_KEYRING_BACKEND")}
        os.environ[FILE_ENV] = str(Path(tmp) / "keyring.json")
        before = keyring.get_keyring()
        keyring.set_keyring(BenchFileKeyring())
        try:
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):  # its line would spoil --json
                cmd_encrypt(str(encrypted), False, None)
            encrypt_s = time.perf_counter() - start
            os.environ["PYTHON_KEYRING_BACKEND"] = "app.bench.file_keyring.BenchFileKeyring"
            plain_times: list[float] = []
            cipher_times: list[float] = []
            for _ in range(runs):
                plain_times += _start_desk(plain, 1)
                cipher_times += _start_desk(encrypted, 1)
        finally:
            keyring.set_keyring(before)
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    return {
        "plain_startup_s": statistics.median(plain_times),
        "cipher_startup_s": statistics.median(cipher_times),
        "cipher_encrypt_new_desk_s": encrypt_s,
    }


def bench_cipher(runs: int = 30, starts: int = 5) -> Metric:
    """`cipher_accept_case_ms` beside `plain_accept_case_ms` (a case accepted and the list
    read again), `cipher_startup_s` beside `plain_startup_s` (key from the keyring),
    `cipher_passphrase_kdf_ms` (what a passphrase adds to a start) and the `encrypt` command's
    time on a new desk."""
    return {**_accept(runs), **_startup(starts), "cipher_passphrase_kdf_ms": _kdf_ms()}
