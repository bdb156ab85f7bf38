"""A manager's credential given straight to `save_case` (an override) is counted like one
given to the sign-in dialog: the case rolls back, the failure does not, so guessing through
the override path locks the account the same way."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.accounts import Policy, sign_in
from app.errors import UserError
from app.rules.decision import DecisionKind, MaterialEntry, Override
from app.services.intake import save_case
from db.engine import Database
from db.models.account import Credential
from db.models.case import Case
from tests.test_cases_support import ALL_IN, CTX, MANAGER_PIN, NOW, PERSON, S, seed

GAP = {"entries": {**ALL_IN, "ID": MaterialEntry(S.MISSING)}, "commitment_signed": True}
CHEAP = Policy(time_cost=1, memory_kib=8)


def _save(db: Database, credential: str, minutes: int) -> None:
    override = Override(DecisionKind.ACCEPT_WITH_GAP, "身份证次日补交", "M01", credential)
    db.run_write(
        lambda s: save_case(
            s,
            CTX,
            applicant=PERSON,
            matter_codes=["FOOD"],
            override=override,
            now=NOW + timedelta(minutes=minutes),
            **GAP,  # type: ignore[arg-type]
        )
    )


def _cred(db: Database) -> Credential:
    with db.read() as s:
        cred = s.get(Credential, "M01")
        assert cred is not None
        return cred


def test_a_wrong_override_credential_is_counted_though_the_case_rolls_back(db: Database) -> None:
    with db.write() as s:
        seed(s)
    with pytest.raises(UserError, match="M01 的密码或PIN不对"):
        _save(db, "000000", 0)
    assert _cred(db).failures == 1
    with db.read() as s:
        assert s.query(Case).count() == 0  # the case itself rolled back


def test_guessing_through_the_override_locks_like_the_sign_in_dialog(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONEWINDOW_SIGNIN_LOCK_AFTER", "6")
    with db.write() as s:
        seed(s)
    for attempt in range(5):  # apart enough in time that no wait refuses them first
        with pytest.raises(UserError, match="密码或PIN不对"):
            _save(db, f"99999{attempt}", attempt * 10)
    with pytest.raises(UserError, match="账号已锁定"):
        _save(db, "999995", 50)
    locked = _cred(db)
    assert locked.locked_until is not None
    # The right PIN no longer helps, by either path, until the lock ends.
    with pytest.raises(UserError, match="账号已锁定"):
        _save(db, MANAGER_PIN, 51)
    with pytest.raises(UserError, match="账号已锁定"):
        sign_in(db, "M01", MANAGER_PIN, policy=CHEAP, now=NOW + timedelta(minutes=52))
    _save(db, MANAGER_PIN, 50 + 16)  # the lock (15 minutes) has ended
    with db.read() as s:
        assert s.query(Case).count() == 1
    assert _cred(db).failures == 0


def test_a_right_override_credential_inside_a_committed_write_counts_nothing(
    db: Database,
) -> None:
    with db.write() as s:
        seed(s)
    _save(db, MANAGER_PIN, 0)
    cred = _cred(db)
    assert (cred.failures, cred.locked_until) == (0, None)


def test_a_session_closed_without_a_rollback_still_counts_the_failure(db: Database) -> None:
    with db.write() as s:
        seed(s)
    override = Override(DecisionKind.ACCEPT_WITH_GAP, "身份证次日补交", "M01", "000000")
    with db.session() as s, pytest.raises(UserError, match="密码或PIN不对"):
        save_case(
            s,
            CTX,
            applicant=PERSON,
            matter_codes=["FOOD"],
            override=override,
            now=NOW,
            **GAP,  # type: ignore[arg-type]
        )
    assert _cred(db).failures == 1
