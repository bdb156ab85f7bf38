"""The hall's configuration: reading it from a file (the demo hall ships as one), checking
it, and writing it into the desk database. The same shape will come down from the central
store later."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import UserError
from app.paths import CATALOGUE_DIR
from app.services.changes import DeskContext, record
from db.models.hall import Clerk, Desk, Hall, Line, LineDepartment, Window, WindowLine

if TYPE_CHECKING:
    from app.printing.model import HallInfo

DEMO_HALL_FILE = CATALOGUE_DIR / "baicheng-hall.json"
PRIORITY_POLICIES = ("priority_first", "every_n")
ROLES = ("clerk", "manager", "admin")
HALL_FIELDS = (
    "name",
    "address",
    "enquiry_phone",
    "supervision_phone",
    "division_code",
    "target_wait_minutes",
    "query_url_pattern",
    "priority_policy",
    "priority_every_n",
    "transfer_keeps_place",
)


@dataclass(frozen=True)
class HallSettings:
    name: str
    division_code: str
    address: str = ""
    enquiry_phone: str = ""
    supervision_phone: str = ""
    target_wait_minutes: int = 30
    query_url_pattern: str = ""
    priority_policy: str = "priority_first"
    priority_every_n: int = 3
    transfer_keeps_place: bool = True


@dataclass(frozen=True)
class LineSettings:
    code: str
    name: str
    ticket_prefix: str
    departments: tuple[str, ...] = ()
    is_default: bool = False


@dataclass(frozen=True)
class WindowSettings:
    number: int
    name: str
    lines: tuple[str, ...]  # in order of preference


@dataclass(frozen=True)
class ClerkSettings:
    id: str
    name: str
    role: str = "clerk"


@dataclass(frozen=True)
class HallConfig:
    hall: HallSettings
    lines: tuple[LineSettings, ...]
    windows: tuple[WindowSettings, ...]
    clerks: tuple[ClerkSettings, ...] = field(default=())
    demo: bool = False


def hall_settings_problems(h: HallSettings) -> list[str]:
    """What is wrong with the hall's own settings, one message per problem."""
    problems = []
    if not h.name.strip():
        problems.append("大厅名称不能为空")
    if len(h.name) > 100:
        problems.append("大厅名称不能超过 100 个字")
    if not re.fullmatch(r"\d{6}", h.division_code):
        problems.append("行政区划代码应为 6 位数字（如白城市 220800）")
    if not 1 <= h.target_wait_minutes <= 480:
        problems.append("目标等候时间应在 1 到 480 分钟之间")
    if h.query_url_pattern and "{case_no}" not in h.query_url_pattern:
        problems.append("进度查询链接中须含有 {case_no}，用于填入办件编号")
    if h.query_url_pattern and not re.match(r"https?://", h.query_url_pattern):
        problems.append("进度查询链接须以 http:// 或 https:// 开头")
    if h.priority_policy not in PRIORITY_POLICIES:
        problems.append(f"优先叫号规则只能是 {'、'.join(PRIORITY_POLICIES)}")
    if not 1 <= h.priority_every_n <= 50:
        problems.append("“每 N 个普通号插一个优先号”中的 N 应在 1 到 50 之间")
    return problems


def config_problems(cfg: HallConfig) -> list[str]:
    problems = hall_settings_problems(cfg.hall)
    codes = [ln.code for ln in cfg.lines]
    prefixes = [ln.ticket_prefix for ln in cfg.lines]
    for i, ln in enumerate(cfg.lines):
        where = f"lines[{i}]"
        if not ln.code.strip() or not ln.name.strip():
            problems.append(f"{where}: 业务类别的代码和名称不能为空")
        if not re.fullmatch(r"[A-HJ-NP-XZ]", ln.ticket_prefix):
            problems.append(
                f"{where}.ticket_prefix: 号码前缀应为一个大写字母（不用 I、O、Y，Y 留给预约号）"
            )
    if len(set(codes)) != len(codes):
        problems.append("lines: 业务类别代码重复")
    if len(set(prefixes)) != len(prefixes):
        problems.append("lines: 号码前缀重复")
    if sum(ln.is_default for ln in cfg.lines) > 1:
        problems.append("lines: 只能有一个默认业务类别")
    numbers = [w.number for w in cfg.windows]
    if len(set(numbers)) != len(numbers):
        problems.append("windows: 窗口号重复")
    for i, w in enumerate(cfg.windows):
        if not 1 <= w.number <= 99:
            problems.append(f"windows[{i}].number: 窗口号应在 1 到 99 之间")
        if not w.lines:
            problems.append(f"windows[{i}].lines: 窗口至少要办理一个业务类别")
        for code in w.lines:
            if code not in codes:
                problems.append(f"windows[{i}].lines: 未知的业务类别 {code}")
    ids = [c.id for c in cfg.clerks]
    if len(set(ids)) != len(ids):
        problems.append("clerks: 工号重复")
    for i, c in enumerate(cfg.clerks):
        if c.role not in ROLES:
            problems.append(f"clerks[{i}].role: 角色只能是 {'、'.join(ROLES)}")
        if not c.name.strip() or not c.id.strip():
            problems.append(f"clerks[{i}]: 工号和姓名不能为空")
    return problems


def parse_config(data: dict[str, Any]) -> HallConfig:
    """Build a HallConfig from its JSON form; a missing or mistyped field is a UserError."""
    try:
        if data.get("format") != "onewindow-hall/1":
            raise UserError("大厅配置文件格式不对（应为 onewindow-hall/1）")
        h = data["hall"]
        hall = HallSettings(**{k: h[k] for k in HALL_FIELDS if k in h})
        lines = tuple(
            LineSettings(
                code=ln["code"],
                name=ln["name"],
                ticket_prefix=ln["ticket_prefix"],
                departments=tuple(ln.get("departments", ())),
                is_default=bool(ln.get("default", False)),
            )
            for ln in data["lines"]
        )
        windows = tuple(
            WindowSettings(number=int(w["number"]), name=w.get("name", ""), lines=tuple(w["lines"]))
            for w in data["windows"]
        )
        clerks = tuple(ClerkSettings(**c) for c in data.get("clerks", ()))
    except UserError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise UserError(f"大厅配置文件缺少或写错了字段：{exc}") from exc
    cfg = HallConfig(hall, lines, windows, clerks, demo=bool(data.get("demo", False)))
    problems = config_problems(cfg)
    if problems:
        raise UserError("大厅配置有误：" + "；".join(problems))
    return cfg


def load_config_file(path: Path) -> HallConfig:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"无法读取大厅配置文件 {path}：{exc}") from exc
    return parse_config(data)


def apply_config(session: Session, ctx: DeskContext, cfg: HallConfig) -> None:
    """Replace the hall's configuration with `cfg` (in the caller's transaction)."""
    problems = config_problems(cfg)
    if problems:
        raise UserError("大厅配置有误：" + "；".join(problems))
    hall = session.get(Hall, 1) or Hall(id=1)
    for name in HALL_FIELDS:
        setattr(hall, name, getattr(cfg.hall, name))
    hall.is_demo = cfg.demo
    session.add(hall)
    session.execute(delete(WindowLine))
    session.execute(delete(LineDepartment))
    session.flush()
    keep_lines = {ln.code for ln in cfg.lines}
    for old in session.scalars(select(Line)):
        if old.code not in keep_lines:
            code, name = old.code, old.name
            session.delete(old)
            try:
                session.flush()
            except IntegrityError as exc:
                # Tickets of the past keep their line: history must stay readable.
                raise UserError(
                    f"业务类别 {code}（{name}）已有取号记录，不能删除；可以改名，"
                    "或不再让任何窗口办理它"
                ) from exc
    for pos, ln in enumerate(cfg.lines):
        row = session.get(Line, ln.code) or Line(code=ln.code)
        row.name, row.ticket_prefix, row.position = ln.name, ln.ticket_prefix, pos
        row.is_default = ln.is_default
        row.departments = [LineDepartment(department_code=d) for d in ln.departments]
        session.add(row)
    for w in cfg.windows:
        win = session.get(Window, w.number) or Window(number=w.number)
        win.name = w.name
        win.lines = [WindowLine(line_code=c, preference=i) for i, c in enumerate(w.lines)]
        session.add(win)
    for c in cfg.clerks:
        clerk = session.get(Clerk, c.id) or Clerk(id=c.id)
        clerk.name, clerk.role, clerk.active = c.name, c.role, True
        session.add(clerk)
    record(session, ctx, hall, "hall.configured", {"lines": len(cfg.lines)})


def update_hall_settings(session: Session, ctx: DeskContext, settings: HallSettings) -> Hall:
    """The administrator's edit of the hall's own settings; refused whole if anything is off."""
    problems = hall_settings_problems(settings)
    if problems:
        raise UserError("；".join(problems))
    hall = session.get(Hall, 1)
    if hall is None:
        raise UserError("本机尚未配置大厅")
    for name in HALL_FIELDS:
        setattr(hall, name, getattr(settings, name))
    record(session, ctx, hall, "hall.settings_changed")
    return hall


def current_settings(session: Session) -> HallSettings | None:
    hall = session.get(Hall, 1)
    if hall is None:
        return None
    return HallSettings(**{k: getattr(hall, k) for k in HALL_FIELDS})


def ensure_demo_hall(session: Session) -> bool:
    """On first run, configure the demo hall (Baicheng). True if it did."""
    if session.get(Hall, 1) is not None:
        return False
    apply_config(session, DeskContext(None, None), load_config_file(DEMO_HALL_FILE))
    return True


def desk_context(session: Session) -> DeskContext:
    desk = session.get(Desk, 1)
    if desk is None:
        return DeskContext(None, None)
    return DeskContext(desk.window_number, desk.clerk_id)


def set_desk(
    session: Session, window_number: int | None, clerk_id: str | None
) -> DeskContext:
    """Which window this desk is and who sits at it; both must exist in the hall."""
    if window_number is not None and session.get(Window, window_number) is None:
        raise UserError(f"大厅没有 {window_number} 号窗口")
    if clerk_id is not None:
        clerk = session.get(Clerk, clerk_id)
        if clerk is None or not clerk.active:
            raise UserError(f"没有工号为 {clerk_id} 的在岗工作人员")
    desk = session.get(Desk, 1) or Desk(id=1)
    desk.window_number, desk.clerk_id = window_number, clerk_id
    session.add(desk)
    ctx = DeskContext(window_number, clerk_id)
    record(session, ctx, desk, "desk.signed_in")
    return ctx


def hall_info(session: Session) -> HallInfo:
    """What printed documents show of the hall."""
    from app.printing.model import HallInfo  # printing pulls in reportlab: not at start-up

    hall = session.get(Hall, 1)
    if hall is None:
        raise UserError("本机尚未配置大厅")
    return HallInfo(
        name=hall.name,
        address=hall.address,
        enquiry_phone=hall.enquiry_phone,
        supervision_phone=hall.supervision_phone,
        division_code=hall.division_code,
        query_url_pattern=hall.query_url_pattern,
    )


# --- reads for the desk's windows (plain data: the UI never sees a model or a session) ------


@dataclass(frozen=True)
class DeskSummary:
    """What the desk's title and status bar show."""

    hall_name: str | None
    clerk_name: str | None
    catalogue_version: str | None
    demo: bool  # the demo catalogue or the demo hall is in use


def desk_summary(session: Session, ctx: DeskContext) -> DeskSummary:
    from db.models.catalogue import CatalogueVersion

    hall = session.get(Hall, 1)
    clerk = session.get(Clerk, ctx.clerk_id) if ctx.clerk_id else None
    version = session.scalars(
        select(CatalogueVersion).where(CatalogueVersion.is_current)
    ).one_or_none()
    return DeskSummary(
        hall_name=hall.name if hall else None,
        clerk_name=clerk.name if clerk else None,
        catalogue_version=version.version if version else None,
        demo=bool(version and version.is_demo) or bool(hall and hall.is_demo),
    )


def load_config(session: Session) -> HallConfig:
    """The hall as the settings dialog edits it: settings, lines, windows and active clerks.
    Refuses a desk whose hall is not set up yet."""
    settings = current_settings(session)
    hall = session.get(Hall, 1)
    if settings is None or hall is None:
        raise UserError("本机尚未配置大厅")
    lines = tuple(
        LineSettings(
            ln.code,
            ln.name,
            ln.ticket_prefix,
            tuple(d.department_code for d in ln.departments),
            ln.is_default,
        )
        for ln in session.scalars(select(Line).order_by(Line.position))
    )
    windows = tuple(
        WindowSettings(w.number, w.name, tuple(wl.line_code for wl in w.lines))
        for w in session.scalars(select(Window).order_by(Window.number))
    )
    clerks = tuple(
        ClerkSettings(c.id, c.name, c.role)
        for c in session.scalars(select(Clerk).where(Clerk.active).order_by(Clerk.id))
    )
    return HallConfig(settings, lines, windows, clerks, demo=bool(hall.is_demo))


def save_config(session: Session, ctx: DeskContext, cfg: HallConfig, window: int | None,
                clerk: str | None) -> DeskContext:
    """The settings dialog's save: the hall, then this desk's window and clerk, in the one
    transaction `session` is in. Returns the desk's new context."""
    problems = config_problems(cfg)
    if problems:
        raise UserError("\n".join(problems))
    apply_config(session, ctx, cfg)
    return set_desk(session, window, clerk)
