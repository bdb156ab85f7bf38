"""`python -m app account add|set-password`: staff accounts from the command line. Whoever can
run this holds the desk's data directory (as for `purge`); the desk's own screens check the
administrator's role in the core (app.accounts.require_role).

The password is read with getpass on a terminal (twice), else one line from stdin. Once the
desk has any account, these commands (and the imports) need `--user ID` (an administrator's;
`--admin ID` is its old name, still accepted), whose password or PIN is read first."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from app.errors import UserError
from app.messages import Message

if TYPE_CHECKING:
    from app.services.changes import DeskContext
    from db.engine import Database


def add_parser(sub: argparse._SubParsersAction[Any], parser_class: type) -> None:
    acc = sub.add_parser("account", help="工作人员账号：添加、设置密码或PIN")
    acc_sub = acc.add_subparsers(dest="account_command", required=True, parser_class=parser_class)
    add = acc_sub.add_parser("add", help="添加工作人员")
    add.add_argument("--id", required=True, help="工号")
    add.add_argument("--name", required=True, help="姓名")
    add.add_argument(
        "--role", required=True, help="clerk（窗口）、manager（负责人）或 admin（管理员）"
    )
    sp = acc_sub.add_parser("set-password", help="设置密码（或至少 6 位数字的PIN），从标准输入读取")
    sp.add_argument("--clerk", required=True, help="工号")
    for p in (add, sp):
        p.add_argument("--data-dir", default=argparse.SUPPRESS, help="数据目录")
        add_admin_option(p)


def _read_secret() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("新密码或PIN：")
        if getpass.getpass("再输入一次：") != first:
            raise UserError("account.secrets_differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def run(args: argparse.Namespace) -> int:
    from app.accounts import add_account, policy_from_env, secret_problem, set_secret
    from app.services.changes import DeskContext
    from app.startup import open_store

    database = open_store(getattr(args, "data_dir", None))
    try:
        # Accounts are an administrator's once there are any (the first is the installer's).
        admin = authorise_admin(database, args.user)
        ctx = DeskContext(None, admin)
        if args.account_command == "set-password":
            secret = _read_secret()
            problem = secret_problem(secret)
            if problem is not None:
                raise UserError(problem)
            policy = policy_from_env()
            database.run_write(lambda s: set_secret(s, ctx, args.clerk, secret, policy=policy))
            print(Message("account.secret_set", clerk=args.clerk.strip()))
            return 0
        database.run_write(lambda s: add_account(s, ctx, args.id, args.name, args.role))
    finally:
        database.close()
    print(Message("account.added", clerk=args.id.strip(), role=args.role))
    return 0


def add_admin_option(p: argparse.ArgumentParser) -> None:
    """`--user ID` on a command that is an administrator's (imports, accounts, encrypt): once
    the desk has accounts it is needed. `--admin ID`, the option's old name, is still
    accepted (hidden from --help) so that scripts keep working."""
    add_user_option(p, "管理员")
    p.add_argument("--admin", dest="user", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def authorise_admin(database: Database, admin_id: str | None) -> str | None:
    """An import on a desk with accounts needs an administrator's credential (read like
    set-password's; failures count towards the lock). A desk with no account yet (a fresh
    installation, before `account set-password`) is its installer's."""
    from app.accounts import ADMIN_ROLES

    return authorise(database, admin_id, ADMIN_ROLES).clerk_id


def add_user_option(p: argparse.ArgumentParser, role: str) -> None:
    """`--user ID` on a command that is a manager's or an administrator's."""
    p.add_argument(
        "--user",
        default=None,
        help=f"{role}工号（本机已有账号时必须；密码或PIN从终端或标准输入读取，不写在命令行上）",
    )


def _read_one_secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def authorise(
    database: Database,
    user_id: str | None,
    roles: Collection[str],
    *,
    option: str = "--user",
    demo_clerk: str | None = None,
) -> DeskContext:
    """Who runs a command that is one of `roles`', as the core checks it:
    - `user_id`: their password or PIN is read from the terminal or one line of stdin (never
      the command line) and checked (failures count towards the lock), with the role;
    - `demo_clerk` (`--clerk`, the demo and the tests, marked as such on screen): no
      credential, but the role is still checked;
    - neither: refused once the desk has any account; before that (a fresh installation) the
      command is its installer's (the context names no one)."""
    from app.accounts import has_accounts, policy_from_env, require_role, role_label, sign_in
    from app.services.changes import DeskContext

    if user_id:
        secret = _read_one_secret("密码或PIN：")
        who = sign_in(database, user_id, secret, policy=policy_from_env(), roles=roles)
        return DeskContext(None, who.clerk_id)
    if demo_clerk:
        ctx = DeskContext(None, demo_clerk.strip())
        with database.read() as s:
            require_role(s, ctx, roles)
        return ctx
    with database.read() as s:
        if has_accounts(s):
            raise UserError("account.cli_user_needed", role=role_label(roles), option=option)
    return DeskContext(None, None)
