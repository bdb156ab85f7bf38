"""The hall's configuration: reading it from a file (the demo hall ships as one), checking
it, and writing it into the desk database. The same shape will come down from the central
store later."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import UserError
from app.messages import Message
from app.paths import CATALOGUE_DIR
from app.services.changes import DeskContext, record
from app.services.organs import OrganSettings, apply_organs, organ_problems, organ_settings
from db.engine import Database
from db.models.hall import Clerk, Desk, Hall, Line, LineDepartment, Window, WindowLine
from db.models.queue import FINAL_STATUSES, Ticket

if TYPE_CHECKING:
    from app.printing.model import HallInfo

DEMO_HALL_FILE = CATALOGUE_DIR / "baicheng-hall.json"
HALL_FORMAT = "onewindow-hall/1"
PRIORITY_POLICIES = ("priority_first", "every_n")
# Who may approve a decision otherwise than the rules (a manager override).
MANAGER_ROLES = ("manager", "admin")
#: Whose are the hall's settings, its staff accounts and imports (app.accounts.require_role).
ADMIN_ROLES = ("admin",)
ROLES = ("clerk", *MANAGER_ROLES)
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
    organs: tuple[OrganSettings, ...] = field(default=())


def hall_settings_problems(h: HallSettings) -> list[Message]:
    """What is wrong with the hall's own settings, one message per problem."""
    problems = []
    if not h.name.strip():
        problems.append(Message("hall.name_empty"))
    if len(h.name) > 100:
        problems.append(Message("hall.name_too_long", limit=100))
    if not re.fullmatch(r"\d{6}", h.division_code):
        problems.append(Message("hall.bad_division"))
    if not 1 <= h.target_wait_minutes <= 480:
        problems.append(Message("hall.bad_target_wait"))
    if h.query_url_pattern and "{case_no}" not in h.query_url_pattern:
        problems.append(Message("hall.query_url_no_case_no"))
    if h.query_url_pattern and not re.match(r"https?://", h.query_url_pattern):
        problems.append(Message("hall.query_url_scheme"))
    if h.priority_policy not in PRIORITY_POLICIES:
        problems.append(Message("hall.bad_priority_policy", policies=PRIORITY_POLICIES))
    if not 1 <= h.priority_every_n <= 50:
        problems.append(Message("hall.bad_every_n"))
    return problems


def config_problems(cfg: HallConfig) -> list[Message]:
    """What is wrong with `cfg`, one message per problem, each naming its place in the
    file's form (`lines[2].ticket_prefix`)."""
    problems = hall_settings_problems(cfg.hall)
    codes = [ln.code for ln in cfg.lines]
    prefixes = [ln.ticket_prefix for ln in cfg.lines]
    for i, ln in enumerate(cfg.lines):
        if not ln.code.strip() or not ln.name.strip():
            problems.append(Message("hall.line_unnamed", where=_where("lines", i)))
        if not re.fullmatch(r"[A-HJ-NP-XZ]", ln.ticket_prefix):
            problems.append(Message("hall.bad_prefix", where=_where("lines", i, "ticket_prefix")))
    if len(set(codes)) != len(codes):
        problems.append(Message("hall.duplicate_line_codes", where="lines"))
    if len(set(prefixes)) != len(prefixes):
        problems.append(Message("hall.duplicate_prefixes", where="lines"))
    if sum(ln.is_default for ln in cfg.lines) > 1:
        problems.append(Message("hall.several_defaults", where="lines"))
    numbers = [w.number for w in cfg.windows]
    if len(set(numbers)) != len(numbers):
        problems.append(Message("hall.duplicate_windows", where="windows"))
    for i, w in enumerate(cfg.windows):
        if not 1 <= w.number <= 99:
            problems.append(Message("hall.bad_window_number", where=_where("windows", i, "number")))
        if not w.lines:
            problems.append(
                Message("hall.window_without_lines", where=_where("windows", i, "lines"))
            )
        for code in w.lines:
            if code not in codes:
                problems.append(
                    Message(
                        "hall.window_unknown_line", where=_where("windows", i, "lines"), line=code
                    )
                )
    ids = [c.id for c in cfg.clerks]
    if len(set(ids)) != len(ids):
        problems.append(Message("hall.duplicate_clerks", where="clerks"))
    for i, c in enumerate(cfg.clerks):
        if c.role not in ROLES:
            problems.append(
                Message("hall.bad_role", where=_where("clerks", i, "role"), roles=ROLES)
            )
        if not c.name.strip() or not c.id.strip():
            problems.append(Message("hall.clerk_unnamed", where=_where("clerks", i)))
    problems += organ_problems(cfg.organs)
    return problems


def _file_problems(problems: list[Message]) -> UserError:
    """The refusal of a hall file with these problems: one line, headed 大厅配置有误."""
    first, *rest = problems
    return UserError(Message("hall_file.problems", problem=first), *rest)


#: Longest text of each field of the hall file (the database columns' sizes).
_TEXT_LIMITS = {
    "name": 100,
    "address": 200,
    "enquiry_phone": 40,
    "supervision_phone": 40,
    "division_code": 6,
    "query_url_pattern": 300,
    "priority_policy": 20,
}
MAX_LINES, MAX_WINDOWS, MAX_CLERKS, MAX_ORGANS = 24, 99, 5000, 500


def _where(*path: Any) -> str:
    from app.jsonfile import location

    return location(path)


def _text(
    obj: dict[str, Any],
    key: str,
    limit: int,
    *path: Any,
    name: bool = False,
    default: str | None = None,
) -> str:
    """A string field: present (unless defaulted), text, not too long; a name has no markup."""
    if key not in obj:
        if default is not None:
            return default
        raise UserError("hall_file.missing_field", where=_where(*path, key))
    value = obj[key]
    if not isinstance(value, str):
        raise UserError("hall_file.not_text", where=_where(*path, key), value=repr(value))
    if len(value) > limit:
        raise UserError("hall_file.too_long", where=_where(*path, key), limit=limit)
    if name and ("<" in value or ">" in value):
        # Names are shown on the hall display, the kiosk and printed papers: markup in them is
        # either an attempt at injection or a mistake; neither belongs in a name.
        raise UserError("hall_file.markup", where=_where(*path, key))
    return value


def _whole(obj: dict[str, Any], key: str, *path: Any, default: int | None = None) -> int:
    """An integer field: a JSON integer, not a fraction, a boolean or text."""
    if key not in obj:
        if default is not None:
            return default
        raise UserError("hall_file.missing_field", where=_where(*path, key))
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError("hall_file.not_whole", where=_where(*path, key), value=repr(value))
    return value


def _flag(obj: dict[str, Any], key: str, default: bool, *path: Any) -> bool:
    value = obj.get(key, default)
    if not isinstance(value, bool):
        raise UserError("hall_file.not_flag", where=_where(*path, key), value=repr(value))
    return value


def _objects_of(data: dict[str, Any], key: str, limit: int, required: bool = True) -> list[Any]:
    if key not in data and not required:
        return []
    value = data.get(key)
    if not isinstance(value, list):
        raise UserError("hall_file.not_array", where=key)
    if len(value) > limit:
        raise UserError("hall_file.too_many", where=key, limit=limit)
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise UserError("hall_file.not_object", where=_where(key, i))
    return value


def _codes(obj: dict[str, Any], key: str, *path: Any) -> tuple[str, ...]:
    value = obj.get(key, [])
    if (
        not isinstance(value, list)
        or len(value) > 50
        or not all(isinstance(v, str) and 0 < len(v) <= 40 for v in value)
    ):
        raise UserError("hall_file.not_codes", where=_where(*path, key))
    return tuple(value)


def _unknown(obj: dict[str, Any], known: set[str], *path: Any) -> None:
    extra = sorted(set(obj) - known)
    if extra:
        raise UserError("hall_file.unknown_field", where=_where(*path), field=repr(extra[0]))


def parse_config(data: Any) -> HallConfig:
    """Build a HallConfig from its JSON form, strictly: a missing, unknown or mistyped field is
    a one-line UserError naming it."""
    if not isinstance(data, dict):
        raise UserError("hall_file.top_not_object")
    if data.get("format") != HALL_FORMAT:
        raise UserError("hall_file.bad_format", format=HALL_FORMAT)
    # "code": the hall's code in the central store ({division}-{nnn}); the desk ignores it.
    _unknown(data, {"format", "code", "demo", "hall", "lines", "windows", "clerks", "organs"})
    h = data.get("hall")
    if not isinstance(h, dict):
        raise UserError("hall_file.not_object", where="hall")
    _unknown(h, set(HALL_FIELDS), "hall")
    hall = HallSettings(
        name=_text(h, "name", 100, "hall", name=True),
        division_code=_text(h, "division_code", 6, "hall"),
        **{
            k: _text(h, k, _TEXT_LIMITS[k], "hall", default="")
            for k in ("address", "enquiry_phone", "supervision_phone", "query_url_pattern")
        },
        target_wait_minutes=_whole(h, "target_wait_minutes", "hall", default=30),
        priority_policy=_text(h, "priority_policy", 20, "hall", default="priority_first"),
        priority_every_n=_whole(h, "priority_every_n", "hall", default=3),
        transfer_keeps_place=_flag(h, "transfer_keeps_place", True, "hall"),
    )
    lines = []
    for i, ln in enumerate(_objects_of(data, "lines", MAX_LINES)):
        _unknown(ln, {"code", "name", "ticket_prefix", "departments", "default"}, "lines", i)
        lines.append(
            LineSettings(
                code=_text(ln, "code", 20, "lines", i),
                name=_text(ln, "name", 60, "lines", i, name=True),
                ticket_prefix=_text(ln, "ticket_prefix", 2, "lines", i),
                departments=_codes(ln, "departments", "lines", i),
                is_default=_flag(ln, "default", False, "lines", i),
            )
        )
    windows = []
    for i, w in enumerate(_objects_of(data, "windows", MAX_WINDOWS)):
        _unknown(w, {"number", "name", "lines"}, "windows", i)
        windows.append(
            WindowSettings(
                number=_whole(w, "number", "windows", i),
                name=_text(w, "name", 60, "windows", i, name=True, default=""),
                lines=_codes(w, "lines", "windows", i),
            )
        )
    clerks = []
    for i, c in enumerate(_objects_of(data, "clerks", MAX_CLERKS, required=False)):
        _unknown(c, {"id", "name", "role"}, "clerks", i)
        clerks.append(
            ClerkSettings(
                id=_text(c, "id", 40, "clerks", i),
                name=_text(c, "name", 40, "clerks", i, name=True),
                role=_text(c, "role", 20, "clerks", i, default="clerk"),
            )
        )
    organs = []
    for i, o in enumerate(_objects_of(data, "organs", MAX_ORGANS, required=False)):
        _unknown(o, {"department", "doc_code"}, "organs", i)
        organs.append(
            OrganSettings(
                _text(o, "department", 40, "organs", i), _text(o, "doc_code", 20, "organs", i)
            )
        )
    cfg = HallConfig(
        hall,
        tuple(lines),
        tuple(windows),
        tuple(clerks),
        demo=_flag(data, "demo", False),
        organs=tuple(organs),
    )
    problems = config_problems(cfg)
    if problems:
        raise _file_problems(problems)
    return cfg


def load_config_file(path: Path) -> HallConfig:
    """Read a hall file with the strict loader (app.jsonfile) and parse it."""
    from app import jsonfile

    try:
        _raw, data = jsonfile.load(path)
    except jsonfile.JsonFileError as exc:
        raise UserError(f"无法读取大厅配置文件：{exc}") from exc
    return parse_config(data)


def _apply_problems(
    session: Session, cfg: HallConfig, removed_windows: Collection[int] = ()
) -> list[Message]:
    """What applying `cfg` to this database would break: a window left out that was not
    removed on purpose, a window removed while a ticket is called, served or sent to it."""
    listed = {w.number for w in cfg.windows}
    problems = []
    for n in session.scalars(select(Window.number).order_by(Window.number)):
        if n in listed:
            continue
        if n not in removed_windows:
            problems.append(Message("hall.window_left_out", window=n))
            continue
        held = session.scalars(
            select(Ticket.number).where(
                Ticket.status.not_in(FINAL_STATUSES),
                ((Ticket.window_number == n) & Ticket.status.in_(("called", "serving")))
                | (Ticket.target_window == n),
            )
        ).first()
        if held is not None:
            problems.append(Message("hall.window_in_use", window=n, number=held))
    return problems


def apply_config(
    session: Session,
    ctx: DeskContext,
    cfg: HallConfig,
    *,
    removed_windows: Collection[int] = (),
) -> None:
    """Replace the hall's configuration with `cfg` (in the caller's transaction). Staff left
    out of the file lose their rights: they are deactivated, never deleted (their history
    stays). A window is deleted only when named in `removed_windows` (the settings dialog's
    删除窗口) and no ticket is at it: a window merely left out of a file is refused, as is any
    window left without lines."""
    problems = config_problems(cfg) or _apply_problems(session, cfg, removed_windows)
    if problems:
        raise _file_problems(problems)
    hall = session.get(Hall, 1) or Hall(id=1)
    for name in HALL_FIELDS:
        setattr(hall, name, getattr(cfg.hall, name))
    hall.is_demo = cfg.demo
    session.add(hall)
    apply_organs(session, cfg.organs)
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
                raise UserError("hall.line_has_tickets", code=code, name=name) from exc
    for pos, ln in enumerate(cfg.lines):
        row = session.get(Line, ln.code) or Line(code=ln.code)
        row.name, row.ticket_prefix, row.position = ln.name, ln.ticket_prefix, pos
        row.is_default = ln.is_default
        row.departments = [LineDepartment(department_code=d) for d in ln.departments]
        session.add(row)
    listed_windows = {w.number for w in cfg.windows}
    for number in sorted(set(removed_windows) - listed_windows):
        gone = session.get(Window, number)
        if gone is None:
            continue
        desk = session.get(Desk, 1)
        if desk is not None and desk.window_number == number:
            desk.window_number = None  # the caller signs the desk in again (save_config)
        session.delete(gone)
        session.flush()
    for w in cfg.windows:
        win = session.get(Window, w.number) or Window(number=w.number)
        win.name = w.name
        win.lines = [WindowLine(line_code=c, preference=i) for i, c in enumerate(w.lines)]
        session.add(win)
    # Staff in a few statements whatever their number (Core, executemany): through the ORM, a
    # statement per clerk held the write lock for seconds on a hall of thousands of staff.
    table = cast(Table, Clerk.__table__)
    listed = {c.id for c in cfg.clerks}
    staff = {
        row.id: (row.name, row.role, row.active)
        for row in session.execute(select(Clerk.id, Clerk.name, Clerk.role, Clerk.active))
    }
    leaving = [{"b_id": i} for i, (_n, _r, on) in staff.items() if on and i not in listed]
    changed = [
        {"b_id": c.id, "name": c.name, "role": c.role}
        for c in cfg.clerks
        if c.id in staff and staff[c.id] != (c.name, c.role, True)
    ]
    new = [
        {"id": c.id, "name": c.name, "role": c.role, "active": True}
        for c in cfg.clerks
        if c.id not in staff
    ]
    by_id = table.c.id == bindparam("b_id")
    if leaving:
        session.execute(update(table).where(by_id).values(active=False), leaving)
    if changed:
        session.execute(
            update(table)
            .where(by_id)
            .values(name=bindparam("name"), role=bindparam("role"), active=True),
            changed,
        )
    if new:
        session.execute(insert(table), new)
    deactivated = len(leaving)
    record(
        session,
        ctx,
        hall,
        "hall.configured",
        {"lines": len(cfg.lines), "deactivated": deactivated},
    )


def import_hall_file(database: Database, cfg: HallConfig) -> None:
    """`hall import`: the file was read and checked with no transaction open; applying it is
    one short write transaction, all or nothing, and nothing else (no desk chores)."""
    database.run_write(lambda s: apply_config(s, DeskContext(None, None), cfg))


def _require_admin(session: Session, ctx: DeskContext) -> None:
    from app.accounts import require_role  # app.accounts builds on this module

    require_role(session, ctx, ADMIN_ROLES)


def update_hall_settings(session: Session, ctx: DeskContext, settings: HallSettings) -> Hall:
    """The administrator's edit of the hall's own settings; refused whole if anything is off,
    or if the acting person is not an administrator."""
    _require_admin(session, ctx)
    problems = hall_settings_problems(settings)
    if problems:
        raise UserError(*problems)
    hall = session.get(Hall, 1)
    if hall is None:
        raise UserError("hall.not_configured")
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


def set_desk(session: Session, window_number: int | None, clerk_id: str | None) -> DeskContext:
    """Which window this desk is and who sits at it; both must exist in the hall."""
    if window_number is not None and session.get(Window, window_number) is None:
        raise UserError("hall.no_such_window", window=window_number)
    if clerk_id is not None:
        clerk = session.get(Clerk, clerk_id)
        if clerk is None or not clerk.active:
            raise UserError("hall.no_such_clerk", clerk=clerk_id)
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
        raise UserError("hall.not_configured")
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
        raise UserError("hall.not_configured")
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
    return HallConfig(
        settings, lines, windows, clerks, demo=bool(hall.is_demo), organs=organ_settings(session)
    )


def save_config(
    session: Session,
    ctx: DeskContext,
    cfg: HallConfig,
    window: int | None,
    clerk: str | None,
    *,
    removed_windows: Collection[int] = (),
) -> DeskContext:
    """The settings dialog's save: the hall (lines, windows and staff added or removed), then
    this desk's window and clerk, in the one transaction `session` is in, all or nothing.
    Returns the desk's new context. An administrator's (`ctx`'s person)."""
    _require_admin(session, ctx)
    problems = config_problems(cfg)
    if window is not None and window not in {w.number for w in cfg.windows}:
        problems.append(Message("hall.desk_window_removed", window=window))
    if clerk is not None and clerk not in {c.id for c in cfg.clerks}:
        problems.append(Message("hall.desk_clerk_removed", clerk=clerk))
    if problems:
        raise UserError(*problems)
    apply_config(session, ctx, cfg, removed_windows=removed_windows)
    return set_desk(session, window, clerk)
