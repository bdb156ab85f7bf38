"""Sign-in: argon2 credentials, failures that slow down and then lock (an injected clock, no
sleeping), the roles the core enforces, and the `account` commands."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts import (
    ADMIN_ROLES,
    Policy,
    add_account,
    require_role,
    secret_problem,
    set_secret,
    sign_in,
)
from app.cli import main
from app.errors import UserError
from app.services.changes import DeskContext
from app.services.hall import MANAGER_ROLES, ensure_demo_hall
from db.engine import Database
from db.models.account import Credential
from db.models.hall import Clerk
from db.models.sync import Event

#: Cheap argon2 for tests; the failure rules as documented.
CHEAP = Policy(time_cost=1, memory_kib=8, slow_after=3, delay_seconds=2, lock_after=6)
T0 = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
ADMIN = DeskContext(None, "BC0901")


def _demo_with_secret(db: Database, clerk: str = "BC0101", secret: str = "246810") -> None:
    with db.write() as s:
        ensure_demo_hall(s)
        set_secret(s, ADMIN, clerk, secret, policy=CHEAP, now=T0)


def test_the_demo_halls_clerks_have_roles_for_sign_in(db: Database) -> None:
    with db.write() as s:
        ensure_demo_hall(s)
        roles = {c.role for c in s.scalars(select(Clerk))}
    assert {"clerk", "manager", "admin"} <= roles


def test_a_secret_is_stored_as_argon2_and_signs_in(db: Database) -> None:
    _demo_with_secret(db)
    with db.read() as s:
        cred = s.get(Credential, "BC0101")
        assert cred is not None
        assert cred.secret_hash.startswith("$argon2id$")
        assert "246810" not in cred.secret_hash
        event = s.scalars(select(Event).where(Event.kind == "account.credential_set")).one()
        assert "246810" not in str(event.data) and event.clerk_id == "BC0901"
    who = sign_in(db, "BC0101", "246810", policy=CHEAP, now=T0)
    assert (who.clerk_id, who.role) == ("BC0101", "clerk")


@pytest.mark.parametrize("secret", ["12345", "abc", "abcdefg", "        "])
def test_short_pins_and_passwords_are_refused(secret: str) -> None:
    assert secret_problem(secret) is not None


@pytest.mark.parametrize("secret", ["123456", "correct horse"])
def test_a_six_digit_pin_or_a_password_is_accepted(secret: str) -> None:
    assert secret_problem(secret) is None


def test_a_weak_secret_changes_nothing(db: Database) -> None:
    with db.write() as s:
        ensure_demo_hall(s)
    with pytest.raises(UserError, match="PIN至少 6 位数字"), db.write() as s:
        set_secret(s, ADMIN, "BC0101", "1234", policy=CHEAP, now=T0)
    with db.read() as s:
        assert s.get(Credential, "BC0101") is None


def test_a_wrong_secret_is_refused_and_counted(db: Database) -> None:
    _demo_with_secret(db)
    with pytest.raises(UserError, match="BC0101 的密码或PIN不对"):
        sign_in(db, "BC0101", "000000", policy=CHEAP, now=T0)
    with db.read() as s:
        assert s.get(Credential, "BC0101").failures == 1  # type: ignore[union-attr]


def test_repeated_failures_slow_down_then_lock_then_a_success_clears(db: Database) -> None:
    _demo_with_secret(db)
    now = T0
    for _ in range(3):
        with pytest.raises(UserError, match="不对"):
            sign_in(db, "BC0101", "000000", policy=CHEAP, now=now)
    # Slowed: even the right secret waits 2 s after the third failure, then 4 s, then 8 s.
    with pytest.raises(UserError, match="请 2 秒后再试"):
        sign_in(db, "BC0101", "246810", policy=CHEAP, now=now + timedelta(seconds=1))
    now += timedelta(seconds=2)
    with pytest.raises(UserError, match="不对"):
        sign_in(db, "BC0101", "000000", policy=CHEAP, now=now)
    with pytest.raises(UserError, match="请 4 秒后再试"):
        sign_in(db, "BC0101", "000000", policy=CHEAP, now=now + timedelta(seconds=1))
    now += timedelta(seconds=4)
    with pytest.raises(UserError, match="不对"):
        sign_in(db, "BC0101", "000000", policy=CHEAP, now=now)
    now += timedelta(seconds=8)
    with pytest.raises(UserError, match="账号已锁定，09:15 后可再试"):  # the 6th: locked 15 min
        sign_in(db, "BC0101", "000000", policy=CHEAP, now=now)
    with pytest.raises(UserError, match="已锁定"):
        sign_in(db, "BC0101", "246810", policy=CHEAP, now=now + timedelta(minutes=14))
    who = sign_in(db, "BC0101", "246810", policy=CHEAP, now=now + timedelta(minutes=15))
    assert who.clerk_id == "BC0101"
    with db.read() as s:
        cred = s.get(Credential, "BC0101")
        assert cred is not None and (cred.failures, cred.locked_until) == (0, None)


def test_an_unknown_or_unset_account_is_one_clear_line(db: Database) -> None:
    _demo_with_secret(db)
    with pytest.raises(UserError, match="没有在岗的工作人员：X99"):
        sign_in(db, "X99", "123456", policy=CHEAP, now=T0)
    with pytest.raises(UserError, match="BC0201 尚未设置密码或PIN"):
        sign_in(db, "BC0201", "123456", policy=CHEAP, now=T0)


def test_sign_in_for_a_role_refuses_another_role(db: Database) -> None:
    _demo_with_secret(db)
    with pytest.raises(UserError, match="此操作须由大厅负责人进行，BC0101 不是大厅负责人"):
        sign_in(db, "BC0101", "246810", policy=CHEAP, now=T0, roles=MANAGER_ROLES)


def test_require_role_is_the_cores_check(db: Database) -> None:
    with db.write() as s:
        ensure_demo_hall(s)
        assert require_role(s, DeskContext(1, "BC0901"), ADMIN_ROLES).id == "BC0901"
        assert require_role(s, DeskContext(1, "BC0201"), MANAGER_ROLES).id == "BC0201"
        with pytest.raises(UserError, match="须由管理员进行，BC0201 不是管理员"):
            require_role(s, DeskContext(1, "BC0201"), ADMIN_ROLES)
        with pytest.raises(UserError, match="须由管理员登录后进行"):
            require_role(s, DeskContext(1, None), ADMIN_ROLES)


def test_add_account_records_an_event_and_refuses_duplicates(db: Database) -> None:
    with db.write() as s:
        ensure_demo_hall(s)
        add_account(s, ADMIN, "C09", "新同事", "clerk")
    with pytest.raises(UserError, match="工号 C09 已存在"), db.write() as s:
        add_account(s, ADMIN, "C09", "别人", "manager")
    with db.read() as s:
        assert s.get(Clerk, "C09").name == "新同事"  # type: ignore[union-attr]
        assert s.scalars(select(Event.kind).where(Event.entity_id == "C09")).all() == [
            "account.added"
        ]


def test_the_account_commands(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ONEWINDOW_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("ONEWINDOW_ARGON2_MEMORY_KIB", "8")
    assert main(["account", "add", "--id", "Z01", "--name", "周管理", "--role", "admin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    assert main(["account", "set-password", "--clerk", "Z01"]) == 1
    assert "PIN至少 6 位数字" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("864213\n"))
    assert main(["account", "set-password", "--clerk", "Z01"]) == 0
    assert "已为 Z01 设置密码" in capsys.readouterr().out
    from app.startup import open_store

    # From now on the desk has an account: accounts are an administrator's.
    assert main(["account", "add", "--id", "Z02", "--name", "吴窗口", "--role", "clerk"]) == 1
    assert "此操作须由管理员登录后进行" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("864213\n"))
    args = [
        "account",
        "add",
        "--id",
        "Z02",
        "--name",
        "吴窗口",
        "--role",
        "clerk",
        "--admin",
        "Z01",
    ]
    assert main(args) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("864213\n112233\n"))  # the admin's, then Z02's
    assert main(["account", "set-password", "--clerk", "Z02", "--admin", "Z01"]) == 0
    database = open_store()
    try:
        assert sign_in(database, "Z02", "112233", policy=CHEAP).role == "clerk"
        with database.read() as s:
            added = s.scalars(select(Event).where(Event.entity_id == "Z02")).first()
            assert added is not None and added.clerk_id == "Z01"  # who did it
        assert sign_in(database, "Z01", "864213", policy=CHEAP).role == "admin"
        with database.read() as s:
            cred = s.get(Credential, "Z01")
            assert cred is not None and "m=8,t=1" in cred.secret_hash
    finally:
        database.close()


def test_signing_in_at_the_desk_records_who_sits_there(db: Database) -> None:
    from app.accounts import sign_in_at_desk
    from db.models.hall import Desk

    _demo_with_secret(db)
    ctx = sign_in_at_desk(db, 1, "BC0101", "246810", policy=CHEAP, now=T0)
    assert ctx == DeskContext(1, "BC0101")
    with db.read() as s:
        assert s.get(Desk, 1).clerk_id == "BC0101"  # type: ignore[union-attr]
    with pytest.raises(UserError, match="不对"):
        sign_in_at_desk(db, 1, "BC0101", "000000", policy=CHEAP, now=T0)


def test_once_the_desk_has_accounts_an_import_is_an_administrators(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.catalogue.importer import DEMO_CATALOGUE
    from app.services.hall import DEMO_HALL_FILE
    from app.startup import open_store

    hall = str(DEMO_HALL_FILE)
    assert main(["hall", "import", hall]) == 0  # no account yet: the installer's
    database = open_store()
    try:
        with database.write() as s:
            set_secret(s, ADMIN, "BC0901", "864213", policy=CHEAP)
            set_secret(s, ADMIN, "BC0101", "135792", policy=CHEAP)
    finally:
        database.close()
    capsys.readouterr()
    assert main(["hall", "import", hall]) == 1
    assert "此操作须由管理员登录后进行" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("135792\n"))
    assert main(["hall", "import", hall, "--admin", "BC0101"]) == 1
    assert "BC0101 不是管理员" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("000000\n"))
    assert main(["catalogue", "import", "--admin", "BC0901", str(DEMO_CATALOGUE)]) == 1
    assert "BC0901 的密码或PIN不对" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("864213\n"))
    assert main(["hall", "import", hall, "--admin", "BC0901"]) == 0
    assert "已导入大厅配置" in capsys.readouterr().out
