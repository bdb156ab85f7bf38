"""Staff accounts kept on the central store (per hall) and pulled by the desks: an account
added centrally signs in on a desk after one sync with the network then cut, a disabled one
no longer does, and the store wins over a desk's own credential for the accounts it holds
(docs/sync-protocol.md). On SQLite and on PostgreSQL, through a real server."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from sqlalchemy import select

from app.accounts import Policy, set_secret, sign_in
from app.central import push
from app.central.accounts import add_account, disable_account
from app.central.admin import authenticate
from app.central.errors import CentralError
from app.cli import main
from app.errors import UserError
from app.services.changes import DeskContext
from app.sync.client import CentralUnreachable
from db.central.models import StaffAccount
from db.central.store import CentralStore
from db.models.account import Credential
from db.models.hall import Clerk
from db.models.sync import Event
from tests.central.conftest import HALL, Desk, LiveServer

MakeDesk = Callable[..., Desk]
CHEAP = Policy(time_cost=1, memory_kib=8)


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEWINDOW_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("ONEWINDOW_ARGON2_MEMORY_KIB", "8")


def _central(store: CentralStore, *args: str, stdin: str = "") -> int:
    url = str(store.engine.url.render_as_string(hide_password=False))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdin", io.StringIO(stdin))
        return main(["central", *args, "--db", url])


def test_an_account_added_centrally_signs_in_offline_after_one_sync(
    make_desk: MakeDesk, store: CentralStore, server: LiveServer, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = make_desk(1)
    # The password from stdin, never the command line.
    code = _central(
        store,
        "add-account",
        "--hall",
        HALL,
        "--user",
        "BC0201",
        "--role",
        "manager",
        stdin="Ganxie-2026\n",
    )
    assert code == 0, capsys.readouterr().err
    assert "已添加大厅 220800-001 的账号 BC0201" in capsys.readouterr().out
    with store.session() as s:
        account = s.get(StaffAccount, (HALL, "BC0201"))
        assert account is not None and account.secret_hash.startswith("$argon2id$")
        assert "Ganxie-2026" not in account.secret_hash
    with pytest.raises(UserError):  # not before the sync
        sign_in(desk.database, "BC0201", "Ganxie-2026", policy=CHEAP)
    desk.sync()
    server.__exit__(None, None, None)  # the network is cut
    with pytest.raises(CentralUnreachable):
        desk.sync()
    who = sign_in(desk.database, "BC0201", "Ganxie-2026", policy=CHEAP)
    assert (who.clerk_id, who.role) == ("BC0201", "manager")
    with pytest.raises(UserError, match="密码或PIN不对"):
        sign_in(desk.database, "BC0201", "wrong-password", policy=CHEAP)
    with desk.database.read() as s:
        cred = s.get(Credential, "BC0201")
        assert cred is not None and cred.origin == "central" and cred.failures == 1
        kinds = set(s.scalars(select(Event.kind).where(Event.entity_id == "BC0201")))
        assert "account.synced" in kinds


def test_a_disabled_account_no_longer_signs_in_after_the_next_sync(
    make_desk: MakeDesk, store: CentralStore, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = make_desk(1)
    add_account(store, HALL, "BC0102", "clerk", "135792")
    desk.sync()
    assert sign_in(desk.database, "BC0102", "135792", policy=CHEAP).clerk_id == "BC0102"
    assert _central(store, "disable-account", "--hall", HALL, "--user", "BC0102") == 0
    assert "已停用" in capsys.readouterr().out
    desk.sync()
    with pytest.raises(UserError, match="已在中心库停用") as refused:
        sign_in(desk.database, "BC0102", "135792", policy=CHEAP)
    assert len(str(refused.value).splitlines()) == 1
    with desk.database.read() as s:
        cred = s.get(Credential, "BC0102")
        assert cred is not None and cred.disabled and cred.secret_hash == ""
    # Added again (a new password): enabled again at the next sync.
    add_account(store, HALL, "BC0102", "clerk", "975310")
    desk.sync()
    assert sign_in(desk.database, "BC0102", "975310", policy=CHEAP).clerk_id == "BC0102"


def test_a_new_member_of_staff_comes_with_the_halls_configuration(
    make_desk: MakeDesk, store: CentralStore
) -> None:
    desk = make_desk(1)
    with pytest.raises(CentralError, match="--name"):
        add_account(store, HALL, "BC0301", "clerk", "24681357")
    assert add_account(store, HALL, "BC0301", "clerk", "24681357", name="周文")
    desk.sync()
    with desk.database.read() as s:
        clerk = s.get(Clerk, "BC0301")
        assert clerk is not None and (clerk.name, clerk.role, clerk.active) == (
            "周文",
            "clerk",
            True,
        )
    assert sign_in(desk.database, "BC0301", "24681357", policy=CHEAP).name == "周文"


def test_the_store_wins_for_its_accounts_a_local_one_stays(
    make_desk: MakeDesk, store: CentralStore
) -> None:
    desk = make_desk(1)
    admin_ctx = DeskContext(None, "BC0901")
    with desk.database.write() as s:  # both set on the desk first
        set_secret(s, admin_ctx, "BC0101", "111111", policy=CHEAP)
        set_secret(s, admin_ctx, "BC0103", "333333", policy=CHEAP)
    add_account(store, HALL, "BC0101", "clerk", "222222")
    desk.sync()
    with pytest.raises(UserError):
        sign_in(desk.database, "BC0101", "111111", policy=CHEAP)
    assert sign_in(desk.database, "BC0101", "222222", policy=CHEAP).clerk_id == "BC0101"
    assert sign_in(desk.database, "BC0103", "333333", policy=CHEAP).clerk_id == "BC0103"
    with pytest.raises(UserError, match="由中心库管理"), desk.database.write() as s:
        set_secret(s, admin_ctx, "BC0101", "444444", policy=CHEAP)
    assert sign_in(desk.database, "BC0101", "222222", policy=CHEAP).clerk_id == "BC0101"


@pytest.mark.parametrize(
    ("args", "stdin", "expected"),
    [
        (["--role", "boss"], "135792\n", "角色 boss 不对"),
        (["--role", "clerk"], "123\n", "密码至少 8 个字符"),
        (["--role", "clerk"], "", "没有读到密码"),
    ],
)
def test_a_bad_add_account_is_one_line_and_changes_nothing(
    store: CentralStore,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: str,
    expected: str,
) -> None:
    code = _central(store, "add-account", "--hall", HALL, "--user", "BC0101", *args, stdin=stdin)
    err = capsys.readouterr().err.strip()
    assert code == 1 and expected in err and len(err.splitlines()) == 1
    with store.session() as s:
        assert s.scalars(select(StaffAccount)).first() is None


def test_disabling_an_unknown_account_is_refused(store: CentralStore) -> None:
    with pytest.raises(CentralError, match="没有工号 BC0777"):
        disable_account(store, HALL, "BC0777")


def test_a_desk_cannot_push_an_account_and_a_manager_token_does_not_pull_hashes(
    make_desk: MakeDesk, store: CentralStore, server: LiveServer
) -> None:
    import httpx

    from app.central import admin

    desk = make_desk(1)
    with store.session() as s:
        cred = authenticate(s, desk.token)
    assert cred is not None
    forged = {
        "op_id": "01JZZZZZZZZZZZZZZZZZZZZZZZ",
        "event": {
            "id": "01JZZZZZZZZZZZZZZZZZZZZZZZ",
            "entity": "account",
            "entity_id": "BC0901",
            "kind": "account.synced",
            "data": {},
        },
        "state": {"clerk_id": "BC0901", "secret_hash": "$argon2id$forged", "disabled": False},
    }
    result = push.apply_batch(store, cred, [forged])[0]
    assert result["result"] == "rejected" and result["reason"] == "reserved entity"
    add_account(store, HALL, "BC0102", "clerk", "135792")
    manager = admin.add_manager(store, HALL).token
    reply = httpx.get(
        f"{server.url}/v1/halls/{HALL}/pull", headers={"Authorization": f"Bearer {manager}"}
    ).json()
    assert all(c["entity"] != "account" for c in reply["changes"])
    reply = httpx.get(
        f"{server.url}/v1/halls/{HALL}/pull", headers={"Authorization": f"Bearer {desk.token}"}
    ).json()
    assert any(c["entity"] == "account" for c in reply["changes"])


def test_an_account_added_with_another_role_changes_it_on_the_desks(
    make_desk: MakeDesk, store: CentralStore
) -> None:
    from app.accounts import MANAGER_ROLES

    desk = make_desk(1)
    add_account(store, HALL, "BC0102", "clerk", "135792")
    desk.sync()
    with pytest.raises(UserError, match="不是大厅负责人"):
        sign_in(desk.database, "BC0102", "135792", policy=CHEAP, roles=MANAGER_ROLES)
    assert not add_account(store, HALL, "BC0102", "manager", "135792")  # replaced, not new
    desk.sync()
    who = sign_in(desk.database, "BC0102", "135792", policy=CHEAP, roles=MANAGER_ROLES)
    assert who.role == "manager"
