"""Staff accounts on the central store, per hall: `central add-account` and
`central disable-account`. Each change is written with its record in the hall's pull feed
(entity "account"), in one transaction; the desks apply it at their next sync
(app/sync/accounts.py) and sign in offline with what they last pulled.

The staff member's name and role live in the hall's configuration, as on the desk: adding an
account for a staff number the configuration lacks (or with another role) updates the
configuration too, and its feed record goes first, so a desk knows the person before their
credential arrives."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy.orm import Session

from app.central import cache, feed
from app.central.errors import CentralError
from db.base import utcnow
from db.central.models import Hall, StaffAccount
from db.central.store import CentralStore


def account_state(account: StaffAccount) -> dict[str, Any]:
    """What the desks pull: the hash only while the account is enabled."""
    return {
        "clerk_id": account.clerk_id,
        "role": account.role,
        "secret_hash": None if account.disabled_at else account.secret_hash,
        "disabled": account.disabled_at is not None,
        "changed_at": account.changed_at.isoformat(),
    }


def _hall(s: Session, code: str) -> Hall:
    hall = s.get(Hall, code)
    if hall is None:
        raise CentralError("hall.unknown", code=code)
    return hall


def _staff_in_config(
    hall: Hall, clerk_id: str, role: str, name: str | None
) -> dict[str, Any] | None:
    """The hall's configuration with this member of staff in it (a new dict), or None when it
    already lists them with this role (and name, when one is given)."""
    config = copy.deepcopy(hall.config)
    clerks = config.setdefault("clerks", [])
    for entry in clerks:
        if isinstance(entry, dict) and entry.get("id") == clerk_id:
            if entry.get("role") == role and (not name or entry.get("name") == name):
                return None
            entry["role"] = role
            if name:
                entry["name"] = name
            return config
    if not name:
        raise CentralError("account.needs_name", clerk=clerk_id, code=hall.id)
    clerks.append({"id": clerk_id, "name": name, "role": role})
    return config


def add_account(
    store: CentralStore,
    hall_code: str,
    clerk_id: str,
    role: str,
    secret: str,
    name: str | None = None,
) -> bool:
    """Add (True) or replace (False) `clerk_id`'s account at the hall: a new hash, the role,
    enabled again. Refused (nothing changed) for a bad role, a weak secret, an unknown hall or
    a new staff number without a name."""
    from app.accounts import ROLES, policy_from_env, secret_problem

    clerk_id, name = clerk_id.strip(), (name or "").strip() or None
    if not clerk_id or len(clerk_id) > 40:
        raise CentralError("account.bad_id")
    if role not in ROLES:
        raise CentralError("account.bad_role", role=role, roles="、".join(ROLES))
    if secret_problem(secret) is not None:
        raise CentralError("account.weak_secret")
    secret_hash = policy_from_env().hasher.hash(secret)  # before the transaction: ~0.1 s
    with store.write() as s:
        hall = _hall(s, hall_code)
        config = _staff_in_config(hall, clerk_id, role, name)
        if config is not None:
            from app.errors import UserError
            from app.services.hall import parse_config

            try:
                parse_config(config)
            except UserError as exc:
                raise CentralError("hall.bad_file", why=str(exc)) from exc
            hall.config = config
            hall.updated_at = utcnow()
            feed.put_records(s, store, hall_code, [("hall_config", hall_code, config, None, None)])
        account = s.get(StaffAccount, (hall_code, clerk_id))
        created = account is None
        if account is None:
            account = StaffAccount(hall_id=hall_code, clerk_id=clerk_id)
            s.add(account)
        account.role = role
        account.secret_hash = secret_hash
        account.changed_at = utcnow()
        account.disabled_at = None
        s.flush()
        feed.put_records(
            s, store, hall_code, [("account", clerk_id, account_state(account), None, None)]
        )
    cache.clear()
    return created


def disable_account(store: CentralStore, hall_code: str, clerk_id: str) -> None:
    """The account no longer signs in at any of the hall's desks once they have synced."""
    clerk_id = clerk_id.strip()
    with store.write() as s:
        _hall(s, hall_code)
        account = s.get(StaffAccount, (hall_code, clerk_id))
        if account is None:
            raise CentralError("account.unknown", clerk=clerk_id, code=hall_code)
        if account.disabled_at is None:
            account.disabled_at = account.changed_at = utcnow()
        s.flush()
        feed.put_records(
            s, store, hall_code, [("account", clerk_id, account_state(account), None, None)]
        )
