"""Where the desk keeps its central store's address (sync_state.central_url, or
$ONEWINDOW_CENTRAL_URL) and its token: a file in the data directory readable only by the
desk's user (0600)."""

from __future__ import annotations

import os
from pathlib import Path

TOKEN_FILE = "central-token"
CENTRAL_TOKEN_ENV = "ONEWINDOW_CENTRAL_TOKEN"


def token_path(data_dir: Path) -> Path:
    return data_dir / TOKEN_FILE


def save_token(data_dir: Path, token: str) -> Path:
    """Write the token, readable and writable by this user only (even if the file existed
    with wider rights)."""
    path = token_path(data_dir)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, token.strip().encode() + b"\n")
    finally:
        os.close(fd)
    return path


def load_token(data_dir: Path) -> str | None:
    env = os.environ.get(CENTRAL_TOKEN_ENV)
    if env:
        return env.strip()
    try:
        text = token_path(data_dir).read_text().strip()
    except OSError:
        return None
    return text or None
