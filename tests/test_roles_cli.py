"""`manager`, `report` and `purge` are gated by role in the core once the desk has accounts:
a manager's (report, manager) or an administrator's (purge), with `--user ID` and the password
or PIN read from stdin (never argv); `--clerk` stays for the demo and the tests (its role still
checked). A refusal is one Chinese line and changes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.accounts import ADMIN_ROLES, MANAGER_ROLES, Policy, set_secret
from app.accounts_cli import authorise
from app.cli import main
from app.errors import UserError
from app.retention import purge
from app.services.changes import DeskContext
from app.startup import open_desk
from db.models.account import Credential

CHEAP = Policy(time_cost=1, memory_kib=8)
SECRETS = {"BC0101": "135792", "BC0201": "246813", "BC0901": "864213"}


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ONEWINDOW_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("ONEWINDOW_ARGON2_MEMORY_KIB", "8")
    folder = tmp_path / "desk"
    setup = open_desk(folder)
    try:
        with setup.database.write() as s:
            for clerk, secret in SECRETS.items():
                set_secret(s, DeskContext(None, "BC0901"), clerk, secret, policy=CHEAP)
    finally:
        setup.database.close()
    return folder


def _run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *argv: str,
    stdin: str = "",
) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    capsys.readouterr()
    code = main(list(argv))
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) <= 1, err
    return code, err


def _failures(data: Path, clerk: str) -> int:
    setup = open_desk(data)
    try:
        with setup.database.read() as s:
            cred = s.get(Credential, clerk)
            assert cred is not None
            return cred.failures
    finally:
        setup.database.close()


def test_purge_is_an_administrators(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    purge_args = ("purge", "--older-than-days", "365", "--data-dir", str(data))
    code, err = _run(monkeypatch, capsys, *purge_args)
    assert code == 1 and "此操作须由管理员登录后进行：用 --user 工号 给出" in err
    code, err = _run(monkeypatch, capsys, *purge_args, "--user", "BC0201", stdin="246813\n")
    assert code == 1 and "BC0201 不是管理员" in err
    code, err = _run(monkeypatch, capsys, *purge_args, "--user", "BC0901", stdin="000000\n")
    assert code == 1 and "BC0901 的密码或PIN不对" in err
    assert _failures(data, "BC0901") == 1  # counted towards the lock
    code, err = _run(monkeypatch, capsys, *purge_args, "--user", "BC0901", stdin="864213\n")
    assert code == 0, err


def test_the_core_purge_refuses_a_clerk_once_there_are_accounts(data: Path) -> None:
    setup = open_desk(data)
    try:
        for ctx in (DeskContext(None, "BC0101"), DeskContext(None, None)):
            with pytest.raises(UserError, match="管理员"), setup.database.write() as s:
                purge(s, ctx, 365)
    finally:
        setup.database.close()


def test_report_is_a_managers(
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "day.csv"
    args = ("report", "--day", "2026-11-26", "--out", str(out), "--data-dir", str(data))
    code, err = _run(monkeypatch, capsys, *args)
    assert code == 1 and "此操作须由大厅负责人登录后进行" in err and not out.exists()
    code, err = _run(monkeypatch, capsys, *args, "--user", "BC0101", stdin="135792\n")
    assert code == 1 and "BC0101 不是大厅负责人" in err and not out.exists()
    code, err = _run(monkeypatch, capsys, *args, "--user", "BC0201", stdin="246813\n")
    assert code == 0 and out.exists(), err


def test_manager_is_refused_in_one_line_before_any_window(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_window(_args: object) -> int:
        raise AssertionError("the manager's window must not open")

    monkeypatch.setattr("ui.launch.launch", no_window)
    args = ("manager", "--data-dir", str(data))
    code, err = _run(monkeypatch, capsys, *args, "--user", "BC0101", stdin="135792\n")
    assert code == 1 and "BC0101 不是大厅负责人" in err
    code, err = _run(monkeypatch, capsys, *args, "--clerk", "BC0101")  # the demo's way
    assert code == 1 and "BC0101 不是大厅负责人" in err


def test_manager_opens_for_a_manager_by_credential_or_the_demos_clerk(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    opened: list[object] = []

    def launch(args: object) -> int:
        opened.append(args)
        return 0

    monkeypatch.setattr("ui.launch.launch", launch)
    args = ("manager", "--data-dir", str(data))
    assert _run(monkeypatch, capsys, *args, "--user", "BC0201", stdin="246813\n")[0] == 0
    assert _run(monkeypatch, capsys, *args, "--clerk", "BC0901")[0] == 0
    # Neither: the window's sign-in dialog asks (tests/test_ui_manager_sign_in.py).
    assert _run(monkeypatch, capsys, *args)[0] == 0
    assert len(opened) == 3


def test_authorise_on_a_desk_without_accounts_is_the_installers(tmp_path: Path) -> None:
    setup = open_desk(tmp_path / "fresh")
    try:
        assert authorise(setup.database, None, ADMIN_ROLES) == DeskContext(None, None)
        with pytest.raises(UserError, match="不是大厅负责人"):
            authorise(setup.database, None, MANAGER_ROLES, demo_clerk="BC0101")
    finally:
        setup.database.close()


def test_one_credential_option_everywhere_and_admin_still_accepted(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.services.hall import DEMO_HALL_FILE

    hall = ("hall", "import", str(DEMO_HALL_FILE), "--data-dir", str(data))
    code, err = _run(monkeypatch, capsys, *hall)
    assert code == 1 and "用 --user 工号 给出" in err  # the same option the refusal names
    code, err = _run(monkeypatch, capsys, *hall, "--user", "BC0901", stdin="864213\n")
    assert code == 0, err
    code, err = _run(monkeypatch, capsys, *hall, "--admin", "BC0901", stdin="864213\n")
    assert code == 0, err  # the old name, for scripts
    for command in (["hall", "import"], ["catalogue", "import"], ["encrypt"], ["account", "add"]):
        with pytest.raises(SystemExit):
            main([*command, "--help"])
        shown = capsys.readouterr().out
        assert "--user" in shown and "--admin" not in shown, command
