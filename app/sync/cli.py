"""`python -m app sync --once`: one sync round for the hall's IT and scripts. The last line
says what was pushed, pulled and rejected; exit 3 when the central store cannot be reached,
2 when it refuses the token or none is set. On a kiosk's machine (a kiosk's token) the round is
the kiosk's: its outbox pushed (app.queue.kiosk_offline.push_kiosk), nothing pulled."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

EXIT_UNREACHABLE = 3
EXIT_REFUSED = 2


def add_parser(sub: argparse._SubParsersAction, parser_class: type) -> None:
    p = sub.add_parser("sync", help="与中心库同步一次（推送待同步操作，拉取大厅与目录）")
    p.add_argument("--once", action="store_true", required=True, help="同步一轮后退出")
    p.add_argument("--data-dir", default=argparse.SUPPRESS, help="数据目录")
    p.add_argument("--central", default=argparse.SUPPRESS, help="中心库地址（保存到本机）")
    p.add_argument(
        "--token", default=argparse.SUPPRESS, help="本工作台的凭据（保存到数据目录，仅本用户可读）"
    )
    p.add_argument(
        "--central-ca", default=argparse.SUPPRESS, help="大厅的 CA 证书（PEM，保存到数据目录）"
    )
    from app.accounts_cli import add_admin_option

    add_admin_option(p)  # --user: saving --central/--token/--central-ca is an administrator's


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    from app.central.tokens import kiosk_of_token
    from app.queue.kiosk_offline import push_kiosk
    from app.startup import open_store
    from app.sync.client import (
        CentralClient,
        CentralRefused,
        CentralUnreachable,
        CentralUntrusted,
    )
    from app.sync.engine import sync_once
    from app.sync.settings import authorise_central, load_token, remember_central, tls_verify
    from app.sync.status import central_url

    database = open_store(getattr(args, "data_dir", None))
    try:
        assert database.path is not None
        folder = database.path.parent
        given = (getattr(args, k, None) for k in ("central", "token", "central_ca"))
        if any(given):
            ctx = authorise_central(database, getattr(args, "user", None))
            remember_central(
                database, args.central, args.token, getattr(args, "central_ca", None), ctx=ctx
            )
        with database.read() as s:
            url_now = central_url(s)
        token = load_token(folder)
        if not url_now or not token:
            print("onewindow sync: 未设置中心库地址或凭据（用 --central URL --token T）", file=err)
            return EXIT_REFUSED
        client = CentralClient(url_now, token, verify=tls_verify(folder))
        try:
            if kiosk_of_token(token) is not None:
                # A kiosk's data directory: its outbox, as a kiosk pushes it (app.central.kiosk_push).
                report = push_kiosk(database, client)
            else:
                report = sync_once(database, client)
        except CentralUntrusted as exc:
            print(f"onewindow sync: {exc}", file=err)
            return EXIT_UNREACHABLE
        except CentralUnreachable as exc:
            print(f"onewindow sync: 无法连接中心库 {url_now}：{exc}", file=err)
            return EXIT_UNREACHABLE
        except CentralRefused as exc:
            print(f"onewindow sync: 中心库拒绝了本工作台的凭据（{exc}）", file=err)
            return EXIT_REFUSED
        finally:
            client.close()
        if report.skipped:
            print(f"未能应用的拉取记录 {report.skipped} 条", file=out)
        if report.clock_warning and report.clock_offset_s is not None:
            minutes = round(report.clock_offset_s / 60)
            print(f"注意：本机时钟与中心库相差约 {minutes} 分钟，请校准本机时间", file=out)
        print(report.line(), file=out)
        return 0
    finally:
        database.close()
