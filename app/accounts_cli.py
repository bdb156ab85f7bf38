"""`python -m app account add|set-password`: staff accounts from the command line. Whoever can
run this holds the desk's data directory (as for `purge`); the desk's own screens check the
administrator's role in the core (app.accounts.require_role).

The password is read with getpass on a terminal (twice), else one line from stdin. Once the
desk has any account, these commands (and the imports) need `--admin ID`, whose password or
PIN is read first."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from app.errors import UserError
from app.messages import Message

if TYPE_CHECKING:
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
        admin = authorise_admin(database, args.admin)
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
    """`--admin ID` on an import: once the desk has accounts, imports are an administrator's."""
    p.add_argument(
        "--admin", default=None, help="管理员工号（本机已有账号时必须；密码从标准输入读取）"
    )


def authorise_admin(database: Database, admin_id: str | None) -> str | None:
    """An import on a desk with accounts needs an administrator's credential (read like
    set-password's; failures count towards the lock). A desk with no account yet (a fresh
    installation, before `account set-password`) is its installer's."""
    from sqlalchemy import exists, select

    from app.accounts import ADMIN_ROLES, policy_from_env, sign_in
    from db.models.account import Credential

    with database.read() as s:
        has_accounts = bool(s.scalar(select(exists().where(Credential.clerk_id.is_not(None)))))
    if not has_accounts:
        return None
    if not admin_id:
        raise UserError("account.not_signed_in", role=Message("account.role_admin"))
    if sys.stdin.isatty():
        secret = getpass.getpass("管理员密码或PIN：")
    else:
        secret = sys.stdin.readline().rstrip("\r\n")
    return sign_in(database, admin_id, secret, policy=policy_from_env(), roles=ADMIN_ROLES).clerk_id
