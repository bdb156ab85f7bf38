"""The command line: `python -m app` (also installed as `onewindow`).

Without a command it starts the desk. Everything that is not the desk itself (catalogue checks,
samples, benchmarks) runs without a screen.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from app.errors import UserError

if TYPE_CHECKING:
    from app.services.changes import DeskContext
    from db.engine import Database

PROG = "onewindow"


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one clear line (and exit 2), not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: 错误：{message}（用 --help 查看用法）\n")


# Options may stand before or after the command; a subcommand's copy must not overwrite what
# was given before it with its own default, hence SUPPRESS there.
_SUB = argparse.SUPPRESS


def _data_dir_option(p: argparse.ArgumentParser, default: str | None = _SUB) -> None:
    p.add_argument(
        "--data-dir", default=default, help="数据目录（默认按平台惯例；也可用 ONEWINDOW_DATA_DIR）"
    )


def _desk_options(p: argparse.ArgumentParser, default: str | None = _SUB) -> None:
    _data_dir_option(p, default)
    p.add_argument("--window", type=int, default=default, help="本机的窗口号")
    p.add_argument(
        "--clerk", default=default, help="演示与测试：不登录，以此工号运行（窗口注明演示模式）"
    )
    p.add_argument(
        "--user",
        default=default,
        help="工号：manager 须负责人或管理员，保存 --central/--token/--central-ca 须管理员"
        "（本机已有账号时；密码或PIN从终端或标准输入读取）",
    )
    p.add_argument("--lang", default=default, help="界面语言：zh_CN（默认）或 en")
    p.add_argument("--central", default=default, help="中心库地址（保存到本机）")
    p.add_argument(
        "--token", default=default, help="本工作台的中心库凭据（保存到数据目录，仅本用户可读）"
    )
    p.add_argument(
        "--central-ca", default=default, help="大厅的 CA 证书（PEM；https 中心库，保存到数据目录）"
    )


def build_parser() -> argparse.ArgumentParser:
    from app.accounts_cli import add_admin_option

    parser = _Parser(prog=PROG, description="OneWindow 一窗受理工作台")
    _desk_options(parser, default=None)
    parser.add_argument("--with-display", action="store_true", help="同一进程内同时打开大厅显示屏")
    parser.add_argument("--with-kiosk", action="store_true", help="同一进程内同时打开取号机")
    parser.add_argument("-v", "--verbose", action="store_true", help="输出调试日志")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    desk = sub.add_parser("desk", help="启动窗口工作台（默认）")
    _desk_options(desk)
    desk.add_argument(
        "--with-display", action="store_true", default=_SUB, help="同时打开大厅显示屏"
    )
    desk.add_argument("--with-kiosk", action="store_true", default=_SUB, help="同时打开取号机")
    _desk_options(display := sub.add_parser("display", help="大厅叫号显示屏"))
    display.add_argument("--windowed", action="store_true", help="不全屏")
    _desk_options(kiosk := sub.add_parser("kiosk", help="自助取号机"))
    kiosk.add_argument("--windowed", action="store_true", help="不全屏")

    cat = sub.add_parser("catalogue", help="事项目录：校验、导入、生成")
    cat_sub = cat.add_subparsers(dest="catalogue_command", required=True, parser_class=_Parser)
    v = cat_sub.add_parser("validate", help="校验目录文件")
    v.add_argument("file")
    imp = cat_sub.add_parser("import", help="导入目录文件（全部成功或全部不变）")
    imp.add_argument("file")
    _data_dir_option(imp)
    add_admin_option(imp)
    gen = cat_sub.add_parser("generate", help="生成大规模合成目录（用于测试和基准）")
    gen.add_argument("out")
    gen.add_argument("--matters", type=int, default=20000)

    hall = sub.add_parser("hall", help="大厅配置")
    hall_sub = hall.add_subparsers(dest="hall_command", required=True, parser_class=_Parser)
    hi = hall_sub.add_parser("import", help="导入大厅配置文件")
    hi.add_argument("file")
    _data_dir_option(hi)
    add_admin_option(hi)

    ps = sub.add_parser("print-samples", help="用演示数据输出五种文书的 PDF 样张")
    ps.add_argument("outdir")
    _data_dir_option(ps)

    pr = sub.add_parser("print", help="把 PDF 发送到指定打印机（与工作台相同的方式），等待结果")
    pr.add_argument("file", help="PDF 文件")
    pr.add_argument("--printer", required=True, help="打印机（CUPS 队列名）")
    pr.add_argument("--any-paper", action="store_true", help="纸张尺寸不符也打印")
    pr.add_argument("--wait", type=float, default=120.0, help="任务未完成时等待的秒数，之后取消")
    bench = sub.add_parser("bench", help="性能基准")
    bench.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    bench.add_argument("--only", help="只运行名称含此字符串的基准")
    st = sub.add_parser("status", help="数据目录、数据库大小与版本、今日取号与受理、待同步")
    _data_dir_option(st)
    _manager_commands(sub)
    _trust_commands(sub)
    from app.central.cli import add_parser as add_central
    from app.sync.cli import add_parser as add_sync

    add_central(sub, _Parser)
    add_sync(sub, _Parser)
    from app.accounts_cli import add_parser as add_account

    add_account(sub, _Parser)
    return parser


def _manager_commands(sub: argparse._SubParsersAction[_Parser]) -> None:
    """simulate, report and manager (app/manager)."""
    sim = sub.add_parser("simulate", help="为演示大厅写入一段模拟的取号、办件与评价数据")
    sim.add_argument("--days", type=int, required=True, help="模拟的天数（截至昨天）")
    sim.add_argument("--seed", type=int, default=1, help="随机种子（相同种子得到相同数据）")
    sim.add_argument("--per-day", type=int, default=2000, help="每个工作日大约的取号数")
    _data_dir_option(sim)
    rep = sub.add_parser("report", help="大厅运行日报：PDF、CSV 或 XLSX")
    rep.add_argument("--day", required=True, help="日期，如 2026-11-26")
    rep.add_argument("--out", required=True, help="输出文件")
    rep.add_argument("--format", choices=("pdf", "csv", "xlsx"), help="默认按文件扩展名")
    rep.add_argument("--central", help="中心库地址（全厅数据）")
    rep.add_argument("--token", help="中心库令牌")
    _data_dir_option(rep)
    from app.accounts_cli import add_user_option

    add_user_option(rep, "大厅负责人")
    mgr = sub.add_parser("manager", help="大厅管理：实时、指标、图表与窗口建议")
    _desk_options(mgr)  # --user among them


def _cmd_simulate(args: argparse.Namespace) -> int:
    from app.manager.simulate import simulate

    done = simulate(args.data_dir, args.days, seed=args.seed, per_day=args.per_day)
    print(
        f"已写入 {done.first_day} 至 {done.last_day} 的模拟数据：{done.working_days} 个工作日，"
        f"{done.tickets} 张号，{done.cases} 件办件"
    )
    return 0


def _trust_commands(sub: argparse._SubParsersAction[_Parser]) -> None:
    audit = sub.add_parser("audit", help="审计记录")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    _data_dir_option(audit_sub.add_parser("verify", help="校验审计记录的哈希链，报告第一处改动"))
    backup = sub.add_parser("backup", help="备份数据库和文书 PDF（工作台运行时也可）")
    backup.add_argument("out", help="备份文件（.zip）")
    _data_dir_option(backup)
    restore = sub.add_parser("restore", help="从备份恢复（先校验，原数据库另存）")
    restore.add_argument("file", help="备份文件")
    _data_dir_option(restore)
    purge = sub.add_parser(
        "purge", help="管理员：清除办结超过保留期且已送达中心库的办件（仅命令行）"
    )
    purge.add_argument("--older-than-days", type=int, required=True, help="保留天数")
    _data_dir_option(purge)
    from app.accounts_cli import add_admin_option, add_user_option

    add_user_option(purge, "管理员")

    enc = sub.add_parser(
        "encrypt", help="管理员：加密本机数据库（SQLCipher；密钥存系统密钥环，或用管理员口令）"
    )
    enc.add_argument(
        "--passphrase",
        action="store_true",
        help="用管理员口令（每次启动时输入），不用系统密钥环；口令从终端或标准输入读取",
    )
    _data_dir_option(enc)
    add_admin_option(enc)


def _cmd_trust(args: argparse.Namespace) -> int:
    if args.command == "audit":
        from app.audit import cmd_verify

        return cmd_verify(args.data_dir)
    if args.command == "encrypt":
        from app.encryption import cmd_encrypt

        return cmd_encrypt(args.data_dir, args.passphrase, args.user)
    from app import backup

    if args.command == "backup":
        return backup.cmd_backup(args.data_dir, Path(args.out))
    if args.command == "restore":
        return backup.cmd_restore(args.data_dir, Path(args.file))
    from app.retention import cmd_purge

    return cmd_purge(args.data_dir, args.older_than_days, args.user)


def _cmd_catalogue(args: argparse.Namespace) -> int:
    if args.catalogue_command == "validate":
        from app.catalogue.validate import validate_file

        report = validate_file(args.file)
        if report.problems:
            # The full list on stdout for whoever maintains the file; one line on stderr.
            for line in report.problems:
                print(line)
            more = (
                f"（共 {len(report.problems)} 处问题，已全部列出）"
                if len(report.problems) > 1
                else ""
            )
            raise UserError(f"目录文件未通过校验：{report.problems[0]}{more}")
        print(report.summary)
        return 0
    if args.catalogue_command == "generate":
        from app.catalogue.generate import cmd_generate

        return cmd_generate(Path(args.out), args.matters)
    from app.accounts_cli import authorise_admin
    from app.catalogue.importer import check_catalogue, import_catalogue_staged

    # A bad file is refused before the data directory is touched.
    checked = check_catalogue(Path(args.file))
    database = _open_store(args)
    try:
        authorise_admin(database, args.user)
        version = import_catalogue_staged(database, Path(args.file), checked=checked)
    finally:
        database.close()
    print(f"已导入目录 {version}")
    return 0


def _cmd_hall(args: argparse.Namespace) -> int:
    from app.accounts_cli import authorise_admin
    from app.services.hall import import_hall_file, load_config_file

    cfg = load_config_file(Path(args.file))
    database = _open_store(args)
    try:
        authorise_admin(database, args.user)
        import_hall_file(database, cfg)
    finally:
        database.close()
    logging.getLogger(__name__).info(
        "hall configuration imported: %d windows, %d lines", len(cfg.windows), len(cfg.lines)
    )
    print(
        f"已导入大厅配置：{cfg.hall.name}，{len(cfg.windows)} 个窗口，{len(cfg.lines)} 个业务类别"
    )
    return 0


def _cmd_print_samples(args: argparse.Namespace) -> int:
    """The five sample papers, with the demo hall. Samples are not a desk's work: the hall is
    read from a database in memory, so no data directory (--data-dir, $ONEWINDOW_DATA_DIR or
    the platform's) is opened, created or changed."""
    from app.printing.samples import write_samples
    from app.services.hall import ensure_demo_hall, hall_info
    from db.engine import open_database

    database = open_database(None)
    try:
        with database.session.begin() as s:
            ensure_demo_hall(s)
            hall = hall_info(s)
    finally:
        database.close()
    out = Path(args.outdir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError("cli.out_dir", path=str(out), error=str(exc.strerror or exc)) from exc
    for path in write_samples(out, hall):
        print(path)
    return 0


def _cmd_print(args: argparse.Namespace) -> int:
    """Send a PDF the way the desk does and wait for the job's end: one line, the job, or why
    it did not print (exit 1)."""
    from app.messages import Message
    from app.printing import spool

    path = Path(args.file)
    try:
        pdf = path.read_bytes()
    except OSError as exc:
        raise UserError("print.not_a_file", path=str(path), error=str(exc.strerror or exc)) from exc
    # A failure is a UserError: main() prints its one line and exits 1.
    printed = spool.print_pdf(
        pdf, args.printer, title=path.name, any_paper=args.any_paper, cancel_after=args.wait
    )
    print(Message("print.printed", printer=printed.printer, job=printed.job_id))
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from app.bench import print_table, run_benchmarks

    results = run_benchmarks(args.only)
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        print_table(results)
    return 0


def no_screen() -> bool:
    """On Linux without X11 or Wayland (and no Qt platform chosen) Qt would abort with a core
    dump; better to say so in one line."""
    env = os.environ
    return (
        sys.platform.startswith("linux")
        and not env.get("QT_QPA_PLATFORM")
        and not env.get("DISPLAY")
        and not env.get("WAYLAND_DISPLAY")
    )


def _open_store(args: argparse.Namespace) -> Database:
    """The store for a command that writes to it (an import), once its file has been checked:
    a refused file creates no data directory. Such a command keeps its log in the data
    directory (the desk's windows start theirs in ui/launch.py)."""
    from app.logs import start_file_log
    from app.startup import open_store

    database = open_store(args.data_dir)
    assert database.path is not None
    start_file_log(database.path.parent, getattr(args, "verbose", False))
    return database


def _authorise_manager(args: argparse.Namespace, ctx: DeskContext | None) -> None:
    """`manager` is a manager's (or an administrator's): `--user ID` with the credential read
    from the terminal or stdin, or `--clerk ID` for the demo and the tests (the role is still
    checked), refused in one line before any window opens; with neither, the window's
    sign-in dialog asks once the desk has accounts (ui/sign_in.py)."""
    from app.accounts import MANAGER_ROLES
    from app.accounts_cli import authorise
    from app.startup import open_store

    if ctx is not None and ctx.clerk_id:
        return  # the administrator who saved the central settings just now (`--user`)
    if not args.user and not getattr(args, "clerk", None):
        return  # the window's sign-in dialog asks (ui/sign_in.py), once the desk has accounts
    database = open_store(args.data_dir)
    try:
        authorise(database, args.user, MANAGER_ROLES, demo_clerk=getattr(args, "clerk", None))
    finally:
        database.close()


def _remember_central(args: argparse.Namespace) -> DeskContext:
    """`--central URL --token T` on the desk's command line: kept for this and later starts.
    An administrator's (`--user ID`) once the desk has accounts (app.sync.settings)."""
    from app.startup import open_store
    from app.sync.settings import authorise_central, remember_central

    database = open_store(args.data_dir)
    try:
        ctx = authorise_central(database, getattr(args, "user", None))
        remember_central(
            database, args.central, args.token, getattr(args, "central_ca", None), ctx=ctx
        )
    finally:
        database.close()
    return ctx


def _one_line(exc: Exception) -> str | None:
    """The one line for the shell, or None for a program error (left to raise). The database
    layer is imported only when it could have raised: a command that never opened the store
    (validate, generate, print) does not load SQLAlchemy, even to fail."""
    if isinstance(exc, UserError):
        return str(exc)
    if "db.engine" not in sys.modules and not isinstance(exc, OSError):
        return None
    from sqlalchemy.exc import SQLAlchemyError

    from db.engine import DatabaseOpenError, StoreBusy, store_error_message

    if isinstance(exc, (DatabaseOpenError, StoreBusy)):
        return str(exc)
    if isinstance(exc, (SQLAlchemyError, OSError)):
        # The machine's trouble, not the program's (full disk, read-only, damaged): one line.
        return store_error_message(exc)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command == "catalogue":
            return _cmd_catalogue(args)
        if args.command == "hall":
            return _cmd_hall(args)
        if args.command == "print-samples":
            return _cmd_print_samples(args)
        if args.command == "print":
            return _cmd_print(args)
        if args.command == "bench":
            return _cmd_bench(args)
        if args.command == "simulate":
            return _cmd_simulate(args)
        if args.command == "report":
            from app.manager.report import cmd_report

            return cmd_report(args)
        if args.command in ("audit", "backup", "restore", "purge", "encrypt"):
            return _cmd_trust(args)
        if args.command == "central":
            from app.central.cli import run as run_central

            return run_central(args)
        if args.command == "account":
            from app.accounts_cli import run as run_account

            return run_account(args)
        if args.command == "sync":
            from app.sync.cli import run as run_sync

            return run_sync(args)
        if args.command == "status":
            from app.status import cmd_status

            return cmd_status(args.data_dir, sys.stdout)
        # The desk, the hall display and the kiosk need Qt: the one place the core hands over
        # to the UI layer.
        if no_screen():
            raise UserError("cli.no_display")
        ctx = None
        if any(getattr(args, k, None) for k in ("central", "token", "central_ca")):
            ctx = _remember_central(args)
        if args.command == "manager":
            _authorise_manager(args, ctx)
        from ui.launch import launch

        return launch(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        message = _one_line(exc)
        if message is None:
            raise
        print(f"{PROG}: {message}", file=sys.stderr)
        return 1
    finally:
        from app.logs import stop_file_log

        stop_file_log()
