"""SQLCipher under the desk's database, where the hall turns encryption at rest on.

The key is 32 raw bytes (from the keyring, or derived from an administrator's passphrase by
app/encryption.py); it is handed to SQLCipher as a raw key (`PRAGMA key = "x'…'"`), so no
connection pays for SQLCipher's own key derivation. `PRAGMA key` is the first statement on
every connection: nothing reads the file before it.

db/ may not import app/, so the key reaches the store through `register_key(db_file, key)`
(done once at start by app/encryption.unlock); every opening of that file (the desk's engine,
the checks at open, the status command, the whole-file check, backups) looks it up with
`key_for`. sqlcipher3 is imported only when a key is in use: a plain desk does not load it."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

#: The first 16 bytes of every plain SQLite file; an encrypted file begins with random salt.
PLAIN_HEADER = b"SQLite format 3\x00"
KEY_BYTES = 32

_keys: dict[Path, bytes] = {}


def _norm(db_file: Path) -> Path:
    return Path(db_file).expanduser().absolute()


def register_key(db_file: Path, key: bytes) -> None:
    """Every later opening of `db_file` in this process uses `key`."""
    if len(key) != KEY_BYTES:
        raise ValueError("a database key is 32 bytes")
    _keys[_norm(db_file)] = bytes(key)


def forget_key(db_file: Path) -> None:
    _keys.pop(_norm(db_file), None)


def key_for(db_file: Path | None) -> bytes | None:
    return None if db_file is None else _keys.get(_norm(db_file))


def dbapi() -> ModuleType:
    """sqlcipher3's DB-API module (loaded on first use)."""
    from sqlcipher3 import dbapi2

    return dbapi2


def key_pragma(key: bytes, schema: str | None = None) -> str:
    prefix = f"{schema}." if schema else ""
    return f"PRAGMA {prefix}key = \"x'{key.hex()}'\""


def connect(target: str | Path, key: bytes | None, **kwargs: Any) -> Any:
    """A DB-API connection to `target` (a path, or a `file:` URI with `uri=True`): plain
    sqlite3 without a key; sqlcipher3 with `PRAGMA key` run first with one."""
    if key is None:
        return sqlite3.connect(target, **kwargs)
    conn = dbapi().connect(str(target), **kwargs)
    try:
        # SQLCipher writes a wrong key's page errors to stderr; the refusal says it instead.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key_pragma(key))
    except Exception:
        conn.close()
        raise
    return conn


def database_errors() -> tuple[type[Exception], ...]:
    """sqlite3's errors, and sqlcipher3's once it is loaded (its classes are its own)."""
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)
    module = sys.modules.get("sqlcipher3.dbapi2")
    if module is not None:
        errors += (module.Error,)
    return errors


def is_plain(path: Path) -> bool:
    """The file begins with plain SQLite's header (so it is not encrypted)."""
    with path.open("rb") as f:
        return f.read(len(PLAIN_HEADER)) == PLAIN_HEADER


def is_wrong_key_text(text: str) -> bool:
    """SQLCipher's words for a key that does not open the file (or a file that is not one)."""
    return "file is not a database" in text.lower()
