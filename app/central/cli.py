"""`python -m app central ...`: serve the central store and administer it. Every subcommand
takes the same `--db` (a PostgreSQL URL, or a SQLite file: the default is central.sqlite3 in
the data directory, or $ONEWINDOW_CENTRAL_DB)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TextIO

from app.central.errors import CentralError

CENTRAL_DB_ENV = "ONEWINDOW_CENTRAL_DB"
STORE_FILE = "central.sqlite3"


def add_parser(sub: argparse._SubParsersAction, parser_class: type) -> None:
    central = sub.add_parser("central", help="中心库：服务、大厅、凭据、目录发布、状态")
    csub = central.add_subparsers(dest="central_command", required=True, parser_class=parser_class)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--db", help="PostgreSQL 地址或 SQLite 文件（默认：数据目录下的 central.sqlite3）"
        )
        p.add_argument("--data-dir", help="数据目录（默认中心库文件所在处）")
        return p

    serve = with_db(csub.add_parser("serve", help="启动中心库 HTTP 服务"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--certfile", help="TLS 证书（PEM）")
    serve.add_argument("--keyfile", help="TLS 私钥（PEM）")
    serve.add_argument(
        "--workers", type=int, default=1, help="服务进程数（PostgreSQL 上可多进程；默认 1）"
    )
    with_db(csub.add_parser("add-hall", help="从大厅配置文件添加或更新大厅")).add_argument("file")
    desk = with_db(csub.add_parser("add-desk", help="为一个窗口的工作台签发凭据（只显示一次）"))
    desk.add_argument("--hall", required=True, help="大厅编码，如 220800-001")
    desk.add_argument("--window", type=int, required=True, help="窗口号")
    mgr = with_db(csub.add_parser("add-manager", help="签发管理者只读凭据（只显示一次）"))
    mgr.add_argument("--hall", required=True, help="大厅编码")
    acc = with_db(
        csub.add_parser("add-account", help="添加或更新工作人员账号（密码从终端或标准输入读取）")
    )
    acc.add_argument("--hall", required=True, help="大厅编码")
    acc.add_argument("--user", required=True, help="工号")
    acc.add_argument(
        "--role", required=True, help="clerk（窗口）、manager（负责人）或 admin（管理员）"
    )
    acc.add_argument("--name", help="姓名（大厅配置中还没有这个工号时必须）")
    dis = with_db(csub.add_parser("disable-account", help="停用工作人员账号（各工作台同步后生效）"))
    dis.add_argument("--hall", required=True, help="大厅编码")
    dis.add_argument("--user", required=True, help="工号")
    dsp = with_db(csub.add_parser("add-display", help="签发显示屏与取号机的凭据（只显示一次）"))
    dsp.add_argument("--hall", required=True, help="大厅编码")
    dsp.add_argument(
        "--kiosk", type=int, help="取号机编号（给它自己的离线号段，如 AK2-001；每台一个编号）"
    )
    rv = with_db(csub.add_parser("revoke", help="收回凭据（凭据本身或其编号）"))
    rv.add_argument("credential")
    pc = with_db(csub.add_parser("publish-catalogue", help="校验并发布新的事项目录版本"))
    pc.add_argument("file")
    mi = with_db(csub.add_parser("mirror", help="把大厅的统计镜像追到最新（升级后运行一次）"))
    mi.add_argument("--hall", required=True, help="大厅编码")
    st = with_db(csub.add_parser("status", help="某大厅在中心库的各类记录数与工作台"))
    st.add_argument("--hall", required=True, help="大厅编码")


def store_url(args: argparse.Namespace) -> str:
    if getattr(args, "db", None):
        return str(args.db)
    if os.environ.get(CENTRAL_DB_ENV):
        return os.environ[CENTRAL_DB_ENV]
    from app.paths import data_dir

    folder = data_dir(getattr(args, "data_dir", None))
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / STORE_FILE)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run one `central` subcommand; a refusal is one line on stderr and exit 1."""
    from sqlalchemy.exc import OperationalError

    try:
        return _run(args, out or sys.stdout)
    except CentralError as exc:
        print(f"onewindow central: {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:
        print(f"onewindow central: 无法打开中心库：{exc.orig}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, out: TextIO) -> int:
    from app.central import admin
    from db.central.store import open_central

    command = args.central_command
    store = open_central(store_url(args))
    try:
        if command == "serve":
            return _serve(store, args, store_url(args))
        if command == "add-hall":
            code, created = admin.add_hall(store, Path(args.file))
            print(f"{'已添加' if created else '已更新'}大厅 {code}", file=out)
        elif command == "add-desk":
            issued = admin.add_desk(store, args.hall, args.window)
            print(
                f"大厅 {args.hall} {args.window} 号窗口的工作台凭据 {issued.credential_id}",
                file=out,
            )
            print("凭据只显示这一次，请保存（本行之后一行即凭据）：", file=out)
            print(issued.token, file=out)
        elif command == "add-manager":
            issued = admin.add_manager(store, args.hall)
            print(f"大厅 {args.hall} 的管理者凭据 {issued.credential_id}", file=out)
            print("凭据只显示这一次，请保存（本行之后一行即凭据）：", file=out)
            print(issued.token, file=out)
        elif command == "mirror":
            _mirror(store, args.hall, out)
        elif command == "add-account":
            from app.central.accounts import add_account

            secret = _read_secret()
            new = add_account(store, args.hall, args.user, args.role, secret, args.name)
            verb = "已添加" if new else "已更新"
            print(f"{verb}大厅 {args.hall} 的账号 {args.user.strip()}（{args.role}）", file=out)
        elif command == "disable-account":
            from app.central.accounts import disable_account

            disable_account(store, args.hall, args.user)
            print(f"已停用大厅 {args.hall} 的账号 {args.user.strip()}", file=out)
        elif command == "add-display":
            issued = admin.add_display(store, args.hall, args.kiosk)
            what = "显示屏与取号机" if args.kiosk is None else f"{args.kiosk} 号取号机"
            print(f"大厅 {args.hall} 的{what}凭据 {issued.credential_id}", file=out)
            print("凭据只显示这一次，请保存（本行之后一行即凭据）：", file=out)
            print(issued.token, file=out)
        elif command == "revoke":
            cred = admin.revoke(store, args.credential)
            print(f"已收回凭据 {cred.id}（大厅 {cred.hall_id}）", file=out)
        elif command == "publish-catalogue":
            version, matters, new = admin.publish_catalogue(store, Path(args.file))
            verb = "已发布" if new else "已是已发布的"
            print(f"{verb}目录版本 {version}（{matters} 个事项）", file=out)
        elif command == "status":
            _print_status(admin.hall_status(store, args.hall), out)
        return 0
    finally:
        store.close()


def _read_secret() -> str:
    """The password or PIN: twice on a terminal (not echoed), else one line of stdin; never
    from the command line, where other users see it."""
    import getpass

    if sys.stdin.isatty():
        first = getpass.getpass("新密码或PIN：")
        if getpass.getpass("再输入一次：") != first:
            raise CentralError("account.secrets_differ")
        return first
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise CentralError("account.no_secret")
    return line


def _print_status(st: object, out: TextIO) -> None:
    from app.central.admin import STATUS_KINDS, HallStatus

    assert isinstance(st, HallStatus)
    print(f"大厅 {st.code} {st.name}", file=out)
    for kind, label in STATUS_KINDS:
        per = st.counts[kind]
        total = sum(per.values())
        by = "，".join(
            f"{'中心' if w is None else f'{w} 号窗口'} {n}"
            for w, n in sorted(per.items(), key=lambda x: (x[0] is None, x[0] or 0))
        )
        print(f"{label}（{kind}）：{total}" + (f"（{by}）" if by else ""), file=out)
    live = [f"{w} 号窗口" for w, role, ok in st.desks if role == "desk" and ok]
    print(f"工作台：{'、'.join(live) if live else '无'}", file=out)


def _mirror(store: object, hall: str, out: TextIO) -> None:
    """`central mirror --hall CODE`: the hall's mirror up to its feed, in small transactions."""
    from app.central.mirror import catch_up
    from app.central.mirror_follow import page_size
    from db.central.models import Hall
    from db.central.store import CentralStore

    assert isinstance(store, CentralStore)
    with store.session() as s:
        if s.get(Hall, hall) is None:
            raise CentralError("hall.unknown", code=hall)
    copied = catch_up(store, hall, page_size(store))
    print(f"大厅 {hall} 的统计镜像已是最新：本次复制 {copied} 条记录", file=out)


def _serve(store: object, args: argparse.Namespace, url: str) -> int:
    import uvicorn

    from app.central.api import create_app
    from app.central.serving import NoDelayHttpProtocol
    from db.central.store import CentralStore

    assert isinstance(store, CentralStore)
    if bool(args.certfile) != bool(args.keyfile):
        raise CentralError("serve.tls_pair")
    workers = max(1, int(args.workers or 1))
    app: object = create_app(store, follow_mirror=True, serving=True)
    if workers > 1:
        # Each worker process opens the store itself (the schema is already migrated).
        os.environ[CENTRAL_DB_ENV] = url
        app = "app.central.api:create_app_from_env"
    uvicorn.run(
        app,  # type: ignore[arg-type]
        factory=workers > 1,
        http=NoDelayHttpProtocol,
        workers=workers if workers > 1 else None,
        host=args.host,
        port=args.port,
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
        log_level="warning",
    )
    return 0
