"""The desk's menu actions that the signed-in person's role does not allow are hidden and
disabled (so their keys do nothing either): the hall's settings and its staff, and the
central store the desk syncs with, are an administrator's; closing the hall's day a manager's. The core refuses them anyway
(app.accounts.require_role); hiding them spares a clerk the refusal."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from app.services.hall import ADMIN_ROLES, MANAGER_ROLES

#: Action id (ui/actions.py) -> the roles that may use it.
ACTION_ROLES: dict[str, Collection[str]] = {
    "settings": ADMIN_ROLES,
    # Which store the desk trusts, and so whose staff accounts it takes (app/sync/accounts.py).
    "central": ADMIN_ROLES,
    "closeDay": MANAGER_ROLES,
}


def apply_role(window: QWidget, role: str | None) -> None:
    """Show and enable each role-bound action of `window` only for `role` (None: no one, or
    an unknown or disabled account: all of them hidden)."""
    for action_id, roles in ACTION_ROLES.items():
        action = window.findChild(QAction, f"{action_id}Action")
        if action is None:
            continue
        allowed = role is not None and role in roles
        action.setEnabled(allowed)
        action.setVisible(allowed)
