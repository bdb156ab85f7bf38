"""Encryption at rest (SQLCipher): `encrypt` turns it on for an existing data directory, with
the key in the keyring (an in-memory backend here) or from an administrator's passphrase;
the file is then no SQLite a plain reader can open and holds no citizen's number in clear;
the desk, status, audit verify, backup and restore work on it; a wrong key or passphrase is
refused with one line and changes nothing."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from app import encryption
from app.backup import make_backup, restore
from app.cli import main
from app.errors import UserError
from app.messages import MESSAGES
from app.queue.backend import LocalQueue
from app.services.applicant import ApplicantData
from app.services.case_queries import find_cases
from app.services.intake import save_case
from app.startup import open_desk
from db import cipher
from db.engine import DB_FILE_NAME, DatabaseOpenError, open_database, open_for_reading
from tests.test_ui_case_list import ALL_IN, ID_RENEWAL

ID = "11010519491231002X"
PASSPHRASE = "窗口受理-2026"


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this process only (set by the tests, never found by itself)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.entries[(service, username)]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh key registry, and argon2 at its cheapest (the cost is the same code path)."""
    monkeypatch.setattr(cipher, "_keys", {})
    monkeypatch.setattr(
        encryption, "DEFAULT_KDF", {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
    )
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    return ring


@pytest.fixture
def no_keyring() -> None:
    keyring.set_keyring(fail.Keyring())


def _desk_with_case(data: Path) -> None:
    setup = open_desk(data)
    try:
        with setup.database.write() as s:
            save_case(
                s,
                setup.ctx,
                applicant=ApplicantData("person", "王䶮", ID, "13812345678"),
                matter_codes=[ID_RENEWAL],
                entries=ALL_IN,
                commitment_signed=False,
                now=datetime.now(UTC),
            )
    finally:
        setup.database.close()


def _stdin(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def _encrypt(data: Path, source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if source == "passphrase":
        _stdin(monkeypatch, PASSPHRASE)
        assert main(["encrypt", "--passphrase", "--data-dir", str(data)]) == 0
    else:
        assert main(["encrypt", "--data-dir", str(data)]) == 0
    cipher._keys.clear()  # as a new process would start: no key yet


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _raw(data: Path) -> bytes:
    """The database file and its WAL, as bytes on the disk."""
    files = (data / DB_FILE_NAME, data / (DB_FILE_NAME + "-wal"))
    return b"".join(p.read_bytes() for p in files if p.exists())


def _ask(passphrase: str) -> encryption.Ask:
    return lambda: passphrase


@pytest.mark.parametrize("source", ["keyring", "passphrase"])
def test_encrypted_file_is_not_plain_sqlite_and_the_desk_works_on_it(
    tmp_path: Path, source: str, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "desk"
    _desk_with_case(data)
    db_file = data / DB_FILE_NAME
    assert ID.encode() in _raw(data)
    _encrypt(data, source, monkeypatch)

    raw = db_file.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert ID.encode() not in raw
    leftovers = {p.name for p in data.iterdir()} - {
        DB_FILE_NAME,
        "encryption.json",
        ".startup.lock",
    }
    assert leftovers == set()  # the plain copy is gone once the encrypted one was verified
    plain = sqlite3.connect(db_file)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    plain.close()
    assert (memory_keyring.entries != {}) is (source == "keyring")

    encryption.unlock(data, _ask(PASSPHRASE))
    setup = open_desk(data)
    try:
        ticket = LocalQueue(setup.database.session).issue_ticket(setup.ctx, "QY")
        with setup.database.read() as s:
            found = find_cases(s, ID)  # the full-text index, through SQLCipher
        assert len(found) == 1 and ticket.number
    finally:
        setup.database.close()
    assert ID.encode() not in _raw(data)  # what the desk wrote since is encrypted too
    cipher._keys.clear()
    if source == "passphrase":
        _stdin(monkeypatch, PASSPHRASE, PASSPHRASE)
    assert main(["audit", "verify", "--data-dir", str(data)]) == 0
    sides = [data / (DB_FILE_NAME + side) for side in ("-wal", "-shm")]
    assert not any(p.exists() for p in sides)
    assert main(["status", "--data-dir", str(data)]) == 0
    assert not any(p.exists() for p in sides)  # read as it is: nothing left beside it


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("wrong passphrase", "store.wrong_key"),
        ("other key in the keyring", "store.wrong_key"),
        ("no key in the keyring", "encryption.keyring_missing"),
        ("empty passphrase", "encryption.passphrase_empty"),
    ],
)
def test_a_wrong_key_is_refused_and_changes_nothing(
    tmp_path: Path,
    case: str,
    expected: str,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "desk"
    _desk_with_case(data)
    _encrypt(data, "keyring" if "keyring" in case else "passphrase", monkeypatch)
    if case == "other key in the keyring":
        (entry,) = memory_keyring.entries
        memory_keyring.entries[entry] = "ab" * 32
    if case == "no key in the keyring":
        memory_keyring.entries.clear()
    before = _digest(data)
    typed = "" if case == "empty passphrase" else "not the passphrase"
    with pytest.raises((DatabaseOpenError, UserError)) as caught:
        encryption.unlock(data, _ask(typed))
    assert getattr(caught.value, "code", None) == expected
    assert _digest(data) == before
    assert cipher.key_for(data / DB_FILE_NAME) is None


def test_wrong_passphrase_on_the_command_line_is_one_line(
    tmp_path: Path,
    no_keyring: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "desk"
    _desk_with_case(data)
    _stdin(monkeypatch, PASSPHRASE)  # no keyring: encrypt falls back to a passphrase
    assert main(["encrypt", "--data-dir", str(data)]) == 0
    assert encryption.read_settings(data).source == "passphrase"  # type: ignore[union-attr]
    cipher._keys.clear()
    capsys.readouterr()
    before = _digest(data)
    for command in (["status"], ["audit", "verify"], ["backup", str(tmp_path / "b.zip")]):
        _stdin(monkeypatch, "guess")
        assert main([*command, "--data-dir", str(data)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "数据库密钥不对" in err and "Traceback" not in err
    assert _digest(data) == before and not (tmp_path / "b.zip").exists()


def test_the_engine_refuses_a_wrong_key_itself(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "desk"
    _desk_with_case(data)
    _encrypt(data, "keyring", monkeypatch)
    db_file = data / DB_FILE_NAME
    cipher.register_key(db_file, b"\x01" * 32)
    before = _digest(data)
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(db_file)
    assert caught.value.code == "store.wrong_key"
    assert _digest(data) == before


@pytest.mark.parametrize(
    ("refused", "expected"),
    [("short", "encryption.passphrase_short"), ("twice", "encryption.already")],
)
def test_encrypt_refusals_change_nothing(
    tmp_path: Path,
    refused: str,
    expected: str,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "desk"
    _desk_with_case(data)
    if refused == "twice":
        _encrypt(data, "keyring", monkeypatch)
    else:
        _stdin(monkeypatch, "short")
    before = _digest(data)
    capsys.readouterr()
    assert main(["encrypt", "--passphrase", "--data-dir", str(data)]) == 1
    assert MESSAGES[expected].split("{")[0] in capsys.readouterr().err
    assert _digest(data) == before


def test_an_encrypt_cut_off_after_its_settings_is_finished_by_running_it_again(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "desk"
    _desk_with_case(data)
    settings = encryption.Settings("keyring", "cut-off")
    encryption.store_in_keyring(settings, b"\x07" * 32)
    encryption.write_settings(data, settings)  # as if cut off right after writing these
    with pytest.raises(UserError) as caught:
        encryption.unlock(data)
    assert caught.value.code == "encryption.unfinished"
    assert main(["encrypt", "--data-dir", str(data)]) == 0
    assert encryption.read_settings(data) == settings
    cipher._keys.clear()
    encryption.unlock(data)
    assert cipher.key_for(data / DB_FILE_NAME) == b"\x07" * 32
    open_desk(data).database.close()


@pytest.mark.parametrize("source", ["keyring", "passphrase"])
def test_backup_of_an_encrypted_desk_stays_encrypted_and_restores(
    tmp_path: Path, source: str, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "desk"
    _desk_with_case(data)
    _encrypt(data, source, monkeypatch)
    encryption.unlock(data, _ask(PASSPHRASE))
    out = tmp_path / "backup.zip"
    setup = open_desk(data)
    try:
        make_backup(setup.database, out)
    finally:
        setup.database.close()
    with zipfile.ZipFile(out) as zf:
        copy = zf.read(DB_FILE_NAME)
        assert "encryption.json" in zf.namelist()
    assert not copy.startswith(b"SQLite format 3") and ID.encode() not in copy

    # Restored into a new data directory, by a process that has no key yet.
    cipher._keys.clear()
    elsewhere = tmp_path / "elsewhere"
    if source == "passphrase":
        before = _digest(tmp_path)
        with pytest.raises(DatabaseOpenError) as caught:
            restore(elsewhere, out, _ask("not the passphrase"))
        assert caught.value.code == "store.wrong_key"
        assert _digest(tmp_path) == before and not (elsewhere / DB_FILE_NAME).exists()
    restore(elsewhere, out, _ask(PASSPHRASE))
    assert not (elsewhere / DB_FILE_NAME).read_bytes().startswith(b"SQLite format 3")
    cipher._keys.clear()
    encryption.unlock(elsewhere, _ask(PASSPHRASE))
    database = open_for_reading(elsewhere / DB_FILE_NAME)
    try:
        with database.read() as s:
            assert len(find_cases(s, ID)) == 1
    finally:
        database.close()


def test_a_plain_backup_restored_into_an_encrypted_desk_is_encrypted(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tmp_path / "plain"
    _desk_with_case(plain)
    out = tmp_path / "plain.zip"
    database = open_database(plain / DB_FILE_NAME)
    try:
        make_backup(database, out)
    finally:
        database.close()
    data = tmp_path / "desk"
    open_desk(data).database.close()
    _encrypt(data, "keyring", monkeypatch)
    restore(data, out)
    assert not (data / DB_FILE_NAME).read_bytes().startswith(b"SQLite format 3")
    cipher._keys.clear()
    encryption.unlock(data)
    database = open_for_reading(data / DB_FILE_NAME)
    try:
        with database.read() as s:
            assert len(find_cases(s, ID)) == 1
    finally:
        database.close()


def test_the_other_commands_work_on_an_encrypted_desk(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "desk"
    _desk_with_case(data)
    _encrypt(data, "keyring", monkeypatch)
    args = ["--data-dir", str(data)]
    assert main(["simulate", "--days", "2", "--per-day", "20", *args]) == 0
    assert main(["audit", "verify", *args]) == 0
    assert main(["backup", str(tmp_path / "b.zip"), *args]) == 0
    assert not (data / DB_FILE_NAME).read_bytes().startswith(b"SQLite format 3")
    encryption.unlock(data)
    database = open_database(data / DB_FILE_NAME)
    try:
        with database.read() as s:
            assert s.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        database.close()


_HOLD_OPEN = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
print("open", flush=True)
sys.stdin.readline()
conn.close()
"""


def test_encrypt_is_refused_while_a_window_has_the_database_open(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "desk"
    _desk_with_case(data)
    db_file = data / DB_FILE_NAME
    with subprocess.Popen(  # another window's process, with the file open and idle
        [sys.executable, "-c", _HOLD_OPEN, str(db_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as other:
        assert other.stdin is not None and other.stdout is not None
        try:
            assert other.stdout.readline().strip() == "open"
            capsys.readouterr()
            assert main(["encrypt", "--data-dir", str(data)]) == 1
        finally:
            other.stdin.write("\n")
            other.stdin.close()
            other.wait(timeout=30)
    assert MESSAGES["encryption.in_use"].split("；")[0] in capsys.readouterr().err
    assert encryption.read_settings(data) is None and memory_keyring.entries == {}
    assert db_file.read_bytes().startswith(b"SQLite format 3")
    assert not (data / (DB_FILE_NAME + ".encrypting")).exists()
    assert main(["encrypt", "--data-dir", str(data)]) == 0  # once it is closed


def test_a_keyring_that_fails_is_one_line_and_changes_nothing(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyring.errors import KeyringLocked

    data = tmp_path / "desk"
    _desk_with_case(data)
    _encrypt(data, "keyring", monkeypatch)

    def locked(_service: str, _username: str) -> str | None:
        raise KeyringLocked("the keyring is locked")

    monkeypatch.setattr(memory_keyring, "get_password", locked)
    before = _digest(data)
    with pytest.raises(UserError) as caught:
        encryption.unlock(data)
    assert caught.value.code == "encryption.keyring_error"
    assert "the keyring is locked" in str(caught.value) and "\n" not in str(caught.value)
    assert _digest(data) == before
