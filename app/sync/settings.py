"""Where the desk keeps its central store's address (sync_state.central_url, or
$ONEWINDOW_CENTRAL_URL) and its token: a file in the data directory readable only by the
desk's user (0600)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ssl

    from app.services.changes import DeskContext
    from db.engine import Database

TOKEN_FILE = "central-token"
#: The hall's CA certificate (PEM), copied here by `--central-ca FILE`: an https central store
#: is then trusted by it (and only by it); without it, by the system's trust store.
CA_FILE = "central-ca.pem"
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


def read_ca(source: Path) -> str:
    """The hall's CA certificate (PEM) in `source`, once it reads as one (else UserError)."""
    import ssl

    from app.errors import UserError

    try:
        pem = source.read_text(encoding="ascii")
        ssl.create_default_context(cadata=pem)
    except (OSError, UnicodeDecodeError, ValueError, ssl.SSLError):
        raise UserError("sync.bad_ca", path=str(source)) from None
    return pem


def save_ca(data_dir: Path, source: Path) -> Path:
    """Copy the hall's CA certificate into the data directory, once it reads as one (else
    UserError, and nothing changes)."""
    pem = read_ca(source)
    path = data_dir / CA_FILE
    path.write_text(pem, encoding="ascii")
    return path


def tls_verify(data_dir: Path | None) -> ssl.SSLContext | bool:
    """The trust for the central store's certificate: the hall's CA saved in the data
    directory, else the system's (True)."""
    import ssl

    path = None if data_dir is None else data_dir / CA_FILE
    if path is None or not path.is_file():
        return True
    return ssl.create_default_context(cafile=str(path))


def authorise_central(database: Database, user: str | None) -> DeskContext:
    """Who saves the central store's settings from the command line: `--user ID` (their
    credential read from the terminal or stdin) once the desk has accounts; `--clerk` (the
    demo's, no credential) is not enough to change whom the desk trusts."""
    from app.accounts import ADMIN_ROLES
    from app.accounts_cli import authorise

    return authorise(database, user, ADMIN_ROLES)


def require_admin_once_accounts(database: Database, ctx: DeskContext) -> None:
    """The central store's settings are an administrator's once the desk has accounts."""
    from app.accounts import ADMIN_ROLES, require_role_once_accounts

    with database.read() as s:
        require_role_once_accounts(s, ctx, ADMIN_ROLES)


def remember_central(
    database: Database,
    url: str | None,
    token: str | None,
    ca: str | None = None,
    *,
    ctx: DeskContext | None = None,
) -> None:
    """Keep the central store's address (in the desk's sync state), the token (in the
    data directory, 0600) and the hall's CA certificate given on the command line or in
    中心库设置.

    The store a desk trusts decides whose staff accounts it takes (app/sync/accounts.py), so
    this is an administrator's (`ctx`'s person), checked here in the core before anything is
    kept; on a desk with no account yet it is its installer's (as for the imports). Refused:
    UserError, and nothing changes."""
    from sqlalchemy.orm import Session

    from app.services.changes import DeskContext, device_id
    from db.models.sync import SyncState

    if not (url or token or ca):
        return
    require_admin_once_accounts(database, ctx or DeskContext(None, None))
    if ca:  # first: a file that is no certificate changes nothing
        assert database.path is not None
        save_ca(database.path.parent, Path(ca))
    if url:

        def keep(s: Session) -> None:
            device_id(s)
            state = s.get(SyncState, 1)
            assert state is not None
            state.central_url = url.rstrip("/")

        database.run_write(keep)
    if token:
        assert database.path is not None
        save_token(database.path.parent, token)
