"""Encryption at rest: the desk's database encrypted with SQLCipher where the hall turns it on.

A data directory is encrypted when it holds `encryption.json` (no secret in it: where the key
comes from, and for a passphrase the salt and the cost of deriving it). The key is 32 random
bytes kept in the operating system's keyring (`keyring`: the Secret Service, macOS' Keychain,
Windows' Credential Locker), or, where there is none (a headless Linux has only keyring's
"fail" backend) or the hall prefers it, derived from an administrator's passphrase with
argon2id, typed at every start (a dialog on the desk: ui/unlock.py; a prompt, or one line on
stdin, for commands; never an argument, which `ps` shows). `unlock()` gets the key, checks it
against the file (a wrong one is refused with one line and nothing is touched), and hands it
to the store (db/cipher.py), which gives it to SQLCipher first on every connection.

`python -m app encrypt` turns it on for an existing data directory: the plain database is
copied into an encrypted one with `sqlcipher_export`, the copy is checked (integrity, every
table's row count, and the audit chain once it is in place), and only then is the plain file
removed; until the copy is verified the plain file is left as it was."""

from __future__ import annotations

import getpass
import json
import logging
import os
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.messages import Message
from db import cipher
from db.engine import DB_FILE_NAME, DatabaseOpenError

log = logging.getLogger(__name__)

MARKER_FILE = "encryption.json"
KEYRING_SERVICE = "OneWindow"
MIN_PASSPHRASE = 8
SOURCE_KEYRING = "keyring"
SOURCE_PASSPHRASE = "passphrase"
#: argon2id's cost for a passphrase (about half a second, once per start).
DEFAULT_KDF: dict[str, int] = {"time_cost": 3, "memory_cost": 65536, "parallelism": 1}

#: Asks for the administrator's passphrase; None when the person cancelled.
Ask = Callable[[], str | None]


class PassphraseCancelled(Exception):
    """The person at the desk closed the passphrase dialog: the desk does not start."""


@dataclass(frozen=True)
class Settings:
    source: str
    key_id: str
    salt: str = ""
    kdf: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"cipher": "sqlcipher", "source": self.source, "key_id": self.key_id}
        if self.source == SOURCE_PASSPHRASE:
            data |= {"kdf": "argon2id", "salt": self.salt, "kdf_params": self.kdf}
        return data


def marker_path(data_dir: Path) -> Path:
    return data_dir / MARKER_FILE


def parse_settings(raw: bytes, where: str) -> Settings:
    try:
        data = json.loads(raw)
        source, key_id = data["source"], str(data["key_id"])
        if source == SOURCE_KEYRING:
            return Settings(source, key_id)
        if source == SOURCE_PASSPHRASE:
            salt = str(data["salt"])
            bytes.fromhex(salt)
            kdf = {k: int(data["kdf_params"][k]) for k in DEFAULT_KDF}
            return Settings(source, key_id, salt, kdf)
        raise ValueError(f"source {source!r}")
    except (ValueError, KeyError, TypeError) as exc:
        raise UserError("encryption.marker_bad", path=where, error=str(exc)) from exc


def read_settings(data_dir: Path) -> Settings | None:
    """The data directory's encryption settings; None where its database is plain."""
    path = marker_path(data_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserError("encryption.marker_bad", path=str(path), error=str(exc)) from exc
    return parse_settings(raw, str(path))


def write_settings(data_dir: Path, settings: Settings) -> None:
    """Written whole or not at all, owner only."""
    path = marker_path(data_dir)
    part = path.with_name(path.name + ".part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(settings.to_json(), f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(part, path)


def keyring_usable() -> bool:
    """The operating system offers a keyring (keyring's fail and null backends are none)."""
    import keyring
    from keyring.backends import fail, null

    return not isinstance(keyring.get_keyring(), fail.Keyring | null.Keyring)


def _entry(settings: Settings) -> str:
    return f"database-key-{settings.key_id}"


def store_in_keyring(settings: Settings, key: bytes) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, _entry(settings), key.hex())
    except KeyringError as exc:
        raise UserError("encryption.keyring_error", error=str(exc)) from exc


def derive_key(passphrase: str, settings: Settings) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        passphrase.encode("utf-8"),
        bytes.fromhex(settings.salt),
        hash_len=cipher.KEY_BYTES,
        type=Type.ID,
        **settings.kdf,
    )


def key_from(settings: Settings, ask: Ask) -> bytes:
    """The key of `settings`: from the keyring, or derived from the passphrase `ask` gives."""
    if settings.source == SOURCE_KEYRING:
        import keyring
        from keyring.errors import KeyringError

        try:
            stored = keyring.get_password(KEYRING_SERVICE, _entry(settings))
        except KeyringError as exc:
            raise UserError("encryption.keyring_error", error=str(exc)) from exc
        try:
            key = bytes.fromhex(stored or "")
        except ValueError:
            key = b""
        if len(key) != cipher.KEY_BYTES:
            raise UserError("encryption.keyring_missing", key_id=settings.key_id)
        return key
    passphrase = ask()
    if passphrase is None:
        raise PassphraseCancelled()
    if not passphrase:
        raise UserError("encryption.passphrase_empty")
    return derive_key(passphrase, settings)


def read_passphrase(prompt: str = "管理员口令（数据库加密）：") -> str:
    """The passphrase from the terminal (not echoed), or one line of stdin (a script)."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def check_key(db_file: Path, key: bytes) -> None:
    """Refuse a key that does not open `db_file` (read as immutable: nothing is written, not
    even a -wal or -shm file)."""
    if not db_file.is_file() or db_file.stat().st_size == 0:
        return
    try:
        conn = cipher.connect(f"file:{db_file}?mode=ro&immutable=1", key, uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except cipher.database_errors() as exc:
        if cipher.is_wrong_key_text(str(exc)):
            raise DatabaseOpenError("store.wrong_key", path=str(db_file)) from exc
        raise


def unlock(data_dir: Path, ask: Ask | None = None) -> bool:
    """Where `data_dir` is encrypted, get its key (keyring, or `ask` for the passphrase: the
    terminal by default), check it, and give it to the store; False where it is plain."""
    settings = read_settings(data_dir)
    if settings is None:
        return False
    db_file = data_dir / DB_FILE_NAME
    if cipher.key_for(db_file) is not None:
        return True
    if db_file.is_file() and db_file.stat().st_size > 0 and cipher.is_plain(db_file):
        # `encrypt` was cut off after writing its settings: it finishes when run again.
        raise UserError("encryption.unfinished", path=str(db_file))
    key = key_from(settings, ask or read_passphrase)
    check_key(db_file, key)
    cipher.register_key(db_file, key)
    return True


def new_passphrase_settings() -> Settings:
    return Settings(SOURCE_PASSPHRASE, uuid.uuid4().hex, os.urandom(16).hex(), dict(DEFAULT_KDF))


def read_new_passphrase() -> str:
    """A new passphrase, typed twice at a terminal (one line of stdin for a script)."""
    if sys.stdin.isatty():
        first = getpass.getpass("设置管理员口令（至少 8 个字符）：")
        if getpass.getpass("再输入一次：") != first:
            raise UserError("encryption.passphrases_differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_encrypt(override: str | None, use_passphrase: bool, admin: str | None) -> int:
    """`python -m app encrypt`: turn encryption at rest on for the data directory."""
    from app.accounts_cli import authorise_admin
    from app.encrypt_file import encrypt_database
    from app.paths import data_dir
    from app.startup import startup_lock
    from db.engine import open_database

    if override is not None and not str(override).strip():
        raise UserError("startup.data_dir_empty")
    directory = data_dir(override)
    db_file = directory / DB_FILE_NAME
    if not db_file.is_file():
        raise DatabaseOpenError("store.missing", path=str(db_file))
    settings = read_settings(directory)
    if settings is not None and not cipher.is_plain(db_file):
        raise UserError("encryption.already", path=str(db_file))
    with startup_lock(directory):
        database = open_database(db_file)  # plain: migrated to this release, then checked
        try:
            authorise_admin(database, admin)
        finally:
            database.close()
        if settings is not None:  # an earlier run was cut off: finish it with its key
            key = key_from(settings, read_passphrase)
        elif keyring_usable() and not use_passphrase:
            settings, key = Settings(SOURCE_KEYRING, uuid.uuid4().hex), os.urandom(32)
        else:
            passphrase = read_new_passphrase()
            if len(passphrase) < MIN_PASSPHRASE:
                raise UserError("encryption.passphrase_short", min=MIN_PASSPHRASE)
            settings = new_passphrase_settings()
            key = derive_key(passphrase, settings)
        encrypt_database(directory, settings, key)
    if settings.source == SOURCE_KEYRING:
        where = Message("encryption.in_keyring")
    else:
        where = Message("encryption.in_head")
    print(Message("encryption.done", path=str(db_file), where=where))
    return 0
