"""A keyring for the encryption benchmark only: the desk processes it starts find their
database key here (`PYTHON_KEYRING_BACKEND=app.bench.file_keyring.BenchFileKeyring`, the file
named by $ONEWINDOW_BENCH_KEYRING), as a desk finds it in the system's keyring. Plain JSON in
a temporary directory: never a place for a real key."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend

FILE_ENV = "ONEWINDOW_BENCH_KEYRING"


class BenchFileKeyring(KeyringBackend):
    priority = 1

    def _file(self) -> Path:
        return Path(os.environ[FILE_ENV])

    def _read(self) -> dict[str, str]:
        try:
            data: dict[str, str] = json.loads(self._file().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return data

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._read()
        data[f"{service}/{username}"] = password
        self._file().write_text(json.dumps(data), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        data = self._read()
        data.pop(f"{service}/{username}", None)
        self._file().write_text(json.dumps(data), encoding="utf-8")
