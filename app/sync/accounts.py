"""Staff accounts pulled from the central store (feed entity "account") into the desk's
credentials, so sign-in works offline with what was last synced.

What wins (docs/sync-protocol.md): for a staff number the central store holds, the store. A
pulled change replaces the desk's hash and its disabled state and clears the desk's failure
count; the desk's `account set-password` refuses such an account. A staff number the store
does not hold keeps its desk-local credential. Failure counts and locks stay per desk."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db.base import utcnow
from db.models.account import Credential
from db.models.hall import Clerk

_HASH_PREFIX = "$argon2"


def apply_account_state(s: Session, state: dict[str, Any]) -> bool:
    """One pulled account applied; False (skipped, nothing changed) when it is malformed or
    the hall's configuration (pulled before it) does not know the member of staff."""
    from app.services.changes import record
    from app.services.hall import desk_context

    clerk_id = state.get("clerk_id")
    disabled = state.get("disabled")
    secret_hash = state.get("secret_hash")
    if not isinstance(clerk_id, str) or not isinstance(disabled, bool):
        return False
    if not disabled and not (
        isinstance(secret_hash, str)
        and secret_hash.startswith(_HASH_PREFIX)
        and len(secret_hash) <= 200
    ):
        return False
    clerk = s.get(Clerk, clerk_id)
    if clerk is None:
        return False
    cred = s.get(Credential, clerk_id)
    if cred is None:
        cred = Credential(clerk_id=clerk_id, secret_hash="")
        s.add(cred)
    cred.origin = "central"
    cred.disabled = disabled
    cred.secret_hash = "" if disabled else str(secret_hash)
    cred.changed_at = utcnow()
    cred.failures = 0
    cred.last_failure_at = None
    cred.locked_until = None
    kind = "account.disabled_by_central" if disabled else "account.synced"
    record(s, desk_context(s), clerk, kind)
    return True
