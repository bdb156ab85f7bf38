"""Sign-in on the desk: staff credentials (a password, or a PIN of at least 6 digits) stored as
argon2id hashes, failures that slow down and then lock the account, and the roles the core
enforces (`require_role`). Qt-free.

Costs and limits come from a `Policy`; `policy_from_env()` reads them from the environment
(ONEWINDOW_ARGON2_TIME_COST, ONEWINDOW_ARGON2_MEMORY_KIB, ONEWINDOW_SIGNIN_LOCK_AFTER,
ONEWINDOW_SIGNIN_LOCK_MINUTES), so tests can hash cheaply. The parameters travel with each
hash: one made with other costs still verifies.

A failure is counted in its own committed transaction (`sign_in` takes the database, not a
session): a refused attempt must not be rolled back with the caller's work."""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, SessionTransaction

from app.clock import HALL_TZ
from app.errors import UserError
from app.messages import Message
from app.services.changes import DeskContext, record
from app.services.hall import ADMIN_ROLES, MANAGER_ROLES, ROLES
from db.base import utcnow
from db.engine import Database
from db.models.account import Credential
from db.models.hall import Clerk

if TYPE_CHECKING:
    from argon2 import PasswordHasher

__all__ = ["ADMIN_ROLES", "MANAGER_ROLES", "Policy", "SignedIn", "require_role", "sign_in"]
PIN_MIN_DIGITS = 6
PASSWORD_MIN_LENGTH = 8


@dataclass(frozen=True)
class Policy:
    """argon2 costs and the failure rules: after `slow_after` failures each attempt waits
    `delay_seconds`, doubled per further failure; after `lock_after` failures the account is
    locked for `lock_minutes`. A successful sign-in clears the count."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 1
    slow_after: int = 3
    delay_seconds: int = 2
    lock_after: int = 6
    lock_minutes: int = 15
    _hasher: PasswordHasher | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def hasher(self) -> PasswordHasher:
        """Made on first use: argon2 is not loaded before the first sign-in (start-up time)."""
        if self._hasher is None:
            from argon2 import PasswordHasher

            hasher = PasswordHasher(
                time_cost=self.time_cost, memory_cost=self.memory_kib, parallelism=self.parallelism
            )
            object.__setattr__(self, "_hasher", hasher)
        assert self._hasher is not None
        return self._hasher


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


def policy_from_env() -> Policy:
    d = Policy
    return Policy(
        time_cost=_env_int("ONEWINDOW_ARGON2_TIME_COST", d.time_cost),
        memory_kib=max(8, _env_int("ONEWINDOW_ARGON2_MEMORY_KIB", d.memory_kib)),
        lock_after=_env_int("ONEWINDOW_SIGNIN_LOCK_AFTER", d.lock_after),
        lock_minutes=_env_int("ONEWINDOW_SIGNIN_LOCK_MINUTES", d.lock_minutes),
    )


@dataclass(frozen=True)
class SignedIn:
    """Who signed in."""

    clerk_id: str
    name: str
    role: str


def secret_problem(secret: str) -> Message | None:
    """A PIN: digits only, at least 6; a password: at least 8 characters."""
    if secret.isdigit() and secret.isascii():
        return None if len(secret) >= PIN_MIN_DIGITS else Message("account.weak_secret")
    if len(secret) < PASSWORD_MIN_LENGTH or not secret.strip():
        return Message("account.weak_secret")
    return None


def _active_clerk(session: Session, clerk_id: str) -> Clerk:
    clerk = session.get(Clerk, clerk_id.strip())
    if clerk is None or not clerk.active:
        raise UserError("account.unknown", clerk=clerk_id.strip() or Message("value.unset"))
    return clerk


def add_account(session: Session, ctx: DeskContext, clerk_id: str, name: str, role: str) -> Clerk:
    """A new member of staff (no credential yet: `set_secret`)."""
    clerk_id, name = clerk_id.strip(), name.strip()
    if role not in ROLES:
        raise UserError("hall.bad_role", where=clerk_id, roles="、".join(ROLES))
    if not clerk_id or not name:
        raise UserError("account.id_and_name")
    if session.get(Clerk, clerk_id) is not None:
        raise UserError("account.exists", clerk=clerk_id)
    clerk = Clerk(id=clerk_id, name=name, role=role, active=True)
    session.add(clerk)
    record(session, ctx, clerk, "account.added", {"role": role})
    return clerk


def set_secret(
    session: Session,
    ctx: DeskContext,
    clerk_id: str,
    secret: str,
    *,
    policy: Policy,
    now: datetime | None = None,
) -> None:
    """Give `clerk_id` a new password or PIN (clearing failures and any lock). The event names
    the clerk, never the secret or its hash."""
    problem = secret_problem(secret)
    if problem is not None:
        raise UserError(problem)
    clerk = _active_clerk(session, clerk_id)
    now = now or utcnow()
    cred = session.get(Credential, clerk.id)
    if cred is not None and cred.origin == "central":
        # The central store wins for the accounts it holds (docs/sync-protocol.md).
        raise UserError("account.central_held", clerk=clerk.id)
    if cred is None:
        cred = Credential(clerk_id=clerk.id, secret_hash="")
        session.add(cred)
    cred.secret_hash = policy.hasher.hash(secret)
    cred.changed_at = now
    cred.failures = 0
    cred.last_failure_at = None
    cred.locked_until = None
    record(session, ctx, clerk, "account.credential_set")


def _hall_time(at: datetime) -> str:
    return at.astimezone(HALL_TZ).strftime("%H:%M")


def _refusal_before_check(cred: Credential, policy: Policy, now: datetime) -> UserError | None:
    """Locked, or still inside the wait after the last failure."""
    if cred.locked_until is not None and now < cred.locked_until:
        return UserError("account.locked", clerk=cred.clerk_id, until=_hall_time(cred.locked_until))
    if cred.failures >= policy.slow_after and cred.last_failure_at is not None:
        wait = policy.delay_seconds * 2 ** (cred.failures - policy.slow_after)
        ready = cred.last_failure_at + timedelta(seconds=wait)
        if now < ready:
            return UserError("account.wait", seconds=int((ready - now).total_seconds()) + 1)
    return None


def _count_failure(cred: Credential, policy: Policy, now: datetime) -> UserError:
    """One more failure on `cred` (locking it at `lock_after`); the refusal to raise."""
    cred.failures += 1
    cred.last_failure_at = now
    if cred.failures >= policy.lock_after:
        cred.locked_until = now + timedelta(minutes=policy.lock_minutes)
        cred.failures = 0
        return UserError("account.locked", clerk=cred.clerk_id, until=_hall_time(cred.locked_until))
    return UserError("account.bad_credential", clerk=cred.clerk_id)


def _check(
    session: Session, clerk_id: str, secret: str, *, policy: Policy, now: datetime
) -> tuple[Clerk, UserError | None, bool]:
    """check(), and whether a failure was counted."""
    clerk = _active_clerk(session, clerk_id)
    cred = session.get(Credential, clerk.id)
    if cred is None:
        raise UserError("account.no_credential", clerk=clerk.id)
    if cred.disabled:
        return clerk, UserError("account.disabled", clerk=clerk.id), False
    refused = _refusal_before_check(cred, policy, now)
    if refused is not None:
        return clerk, refused, False
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        policy.hasher.verify(cred.secret_hash, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return clerk, _count_failure(cred, policy, now), True
    if cred.failures or cred.locked_until is not None:
        cred.failures = 0
        cred.last_failure_at = None
        cred.locked_until = None
    return clerk, None, False


def check(
    session: Session, clerk_id: str, secret: str, *, policy: Policy, now: datetime
) -> tuple[Clerk, UserError | None]:
    """One attempt inside `session`: the clerk and None when the secret is right (failures
    cleared), else the refusal to raise once the failure count is committed."""
    clerk, refused, _counted = _check(session, clerk_id, secret, policy=policy, now=now)
    return clerk, refused


def check_inside(
    session: Session, clerk_id: str, secret: str, *, policy: Policy, now: datetime
) -> Clerk:
    """A credential given inside a larger write (a manager's override in `save_case`): the
    clerk, or the refusal raised. A failure is counted in the caller's transaction and, should
    that transaction roll back (the refusal usually rolls it back), counted again in a
    transaction of its own: guessing through this path locks the account as the sign-in
    dialog does."""
    clerk, refused, counted = _check(session, clerk_id, secret, policy=policy, now=now)
    if refused is None:
        return clerk
    if counted:
        _count_if_rolled_back(session, clerk.id, policy, now)
    raise refused


#: session.info key: failures counted in a transaction that may yet roll back.
_UNSETTLED = "onewindow_unsettled_failures"


def _count_if_rolled_back(session: Session, clerk_id: str, policy: Policy, now: datetime) -> None:
    from sqlalchemy import event

    if not event.contains(Session, "after_transaction_end", _recount_unless_committed):
        event.listen(Session, "after_commit", _settled)
        event.listen(Session, "after_transaction_end", _recount_unless_committed)
    session.info.setdefault(_UNSETTLED, []).append((clerk_id, policy, now))


def _settled(session: Session) -> None:
    session.info.pop(_UNSETTLED, None)  # committed with the caller's work


def _recount_unless_committed(session: Session, transaction: SessionTransaction) -> None:
    """The caller's outermost transaction ended without a commit (rolled back, or the session
    closed): its connection is released, so the failures it held are counted again in a
    transaction of their own."""
    if transaction.parent is not None:
        return
    unsettled = session.info.pop(_UNSETTLED, None)
    if not unsettled:
        return
    with Session(session.get_bind()) as own, own.begin():
        for clerk_id, policy, now in unsettled:
            cred = own.get(Credential, clerk_id)
            if cred is not None:
                _count_failure(cred, policy, now)


def sign_in(
    database: Database,
    clerk_id: str,
    secret: str,
    *,
    policy: Policy,
    now: datetime | None = None,
    roles: Collection[str] = ROLES,
) -> SignedIn:
    """Check `clerk_id`'s secret (and that their role is among `roles`); a failure is counted
    and committed before the UserError is raised."""
    at = now or utcnow()

    def attempt(session: Session) -> tuple[SignedIn, UserError | None]:
        clerk, refused = check(session, clerk_id, secret, policy=policy, now=at)
        return SignedIn(clerk.id, clerk.name, clerk.role), refused

    who, refused = database.run_write(attempt)
    if refused is not None:
        raise refused
    if who.role not in roles:
        raise UserError("account.role_needed", clerk=who.clerk_id, role=_role_label(roles))
    return who


def has_accounts(session: Session) -> bool:
    """Whether any member of staff has a credential on this desk (before the first, a fresh
    installation is its installer's: `require_role_once_accounts`)."""
    from sqlalchemy import exists, select

    return bool(session.scalar(select(exists().where(Credential.clerk_id.is_not(None)))))


def require_role_once_accounts(session: Session, ctx: DeskContext, roles: Collection[str]) -> None:
    """`require_role`, except on a desk with no account yet and no one named (its installer,
    as for the imports)."""
    if ctx.clerk_id is None and not has_accounts(session):
        return
    require_role(session, ctx, roles)


def role_label(roles: Collection[str]) -> Message:
    return _role_label(roles)


def _role_label(roles: Collection[str]) -> Message:
    if set(roles) <= set(ADMIN_ROLES):
        return Message("account.role_admin")
    if set(roles) <= set(MANAGER_ROLES):
        return Message("account.role_manager")
    return Message("account.role_staff")


def require_role(session: Session, ctx: DeskContext, roles: Collection[str]) -> Clerk:
    """The acting person (ctx.clerk_id) must be an active member of staff in one of `roles`:
    the core's check, whatever the screen shows."""
    if not ctx.clerk_id:
        raise UserError("account.not_signed_in", role=_role_label(roles))
    clerk = session.get(Clerk, ctx.clerk_id)
    if clerk is None or not clerk.active or clerk.role not in roles:
        raise UserError("account.role_needed", clerk=ctx.clerk_id, role=_role_label(roles))
    cred = session.get(Credential, clerk.id)
    if cred is not None and cred.disabled:
        raise UserError("account.disabled", clerk=clerk.id)
    return clerk


def role_of(session: Session, clerk_id: str | None) -> str | None:
    """The role `clerk_id` acts in now: None for no one, an unknown or inactive member of
    staff, or an account disabled on the central store (what the menus follow)."""
    if not clerk_id:
        return None
    clerk = session.get(Clerk, clerk_id)
    if clerk is None or not clerk.active:
        return None
    cred = session.get(Credential, clerk.id)
    if cred is not None and cred.disabled:
        return None
    return clerk.role


def sign_in_at_desk(
    database: Database,
    window_number: int | None,
    clerk_id: str,
    secret: str,
    *,
    policy: Policy,
    now: datetime | None = None,
) -> DeskContext:
    """The desk's sign-in: the credential checked (failures counted), then this desk's person
    recorded (event `desk.signed_in`); every later event carries them. Offline: it reads only
    the desk's own database."""
    from app.services.hall import set_desk

    who = sign_in(database, clerk_id, secret, policy=policy, now=now)
    return database.run_write(lambda s: set_desk(s, window_number, who.clerk_id))


#: The desk locks after this many minutes without input (ONEWINDOW_IDLE_LOCK_MINUTES; 0: never).
IDLE_LOCK_ENV = "ONEWINDOW_IDLE_LOCK_MINUTES"
DEFAULT_IDLE_LOCK_MINUTES = 10


def idle_lock_minutes() -> int:
    try:
        return max(0, int(os.environ.get(IDLE_LOCK_ENV, DEFAULT_IDLE_LOCK_MINUTES)))
    except ValueError:
        return DEFAULT_IDLE_LOCK_MINUTES
