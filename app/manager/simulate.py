"""`python -m app simulate --days N [--seed S]`: a realistic synthetic period for the hall, in the
desk's own database, for the manager's view, its tests and its benchmarks.

The N days ending yesterday (hall time). Each working day of the hall's calendar (weekends off
unless a make-up workday) gets about `per_day` tickets (Monday heavy, Friday light), arriving
by the half hour of a real hall (a morning peak, the lunch dip, a smaller afternoon peak). A
small discrete-event model then runs the day: every window calls the oldest waiting ticket of
its lines (priority and appointment tickets first), the applicant walks over (or never comes:
a no-show), is served for a log-normal time, is sometimes transferred to another line, and
rates the service. Half the windows take lunch in turns; some days one window stays paused.
What is still waiting at the day's end is closed, as the day's end does.

Every served ticket is a visit to a case: a new case (accepted, accepted with gaps (容缺),
notified, rejected), or a planned later visit of the same applicant: a notified applicant's
return (a new case with `previous_case_id`) or a gap's supplement (补齐, within the deadline or
late, some never). Rows are written by bulk inserts with deterministic ids (same seed, same
rows) and no outbox rows: simulated data never syncs to the central store.

A hall with fewer windows than the load needs gets simulated windows (and clerks) added, so
that ~2,000 tickets a day meet a plausible queue rather than an endless one.
"""

from __future__ import annotations

import heapq
import math
import random
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from app.bench.seed import applicant_of
from app.clock import HALL_TZ, hall_today
from app.errors import UserError
from db import cipher

MAX_DAYS = 3660
#: Relative arrivals by weekday (Monday first); a make-up Saturday or Sunday counts as Friday.
WEEKDAY_FACTOR = (1.3, 1.05, 1.0, 0.95, 0.85, 0.85, 0.85)
#: Relative arrivals per half hour from 08:00 (the kiosk opens at 08:00, calls start 08:30).
HALF_HOURS = (
    (8, 0, 0.5), (8, 30, 1.3), (9, 0, 1.7), (9, 30, 1.8), (10, 0, 1.7), (10, 30, 1.4),
    (11, 0, 1.1), (11, 30, 0.7), (12, 0, 0.3), (12, 30, 0.3), (13, 0, 0.6), (13, 30, 1.1),
    (14, 0, 1.3), (14, 30, 1.3), (15, 0, 1.2), (15, 30, 1.0), (16, 0, 0.7), (16, 30, 0.3),
)  # fmt: skip
OPEN_MIN, LUNCH, CLOSE_MIN = 8 * 60 + 30, (12 * 60, 13 * 60 + 30), 17 * 60
#: Share of the tickets per line, and each line's median service time (minutes).
LINE_SHARE = {"QY": 0.18, "BDC": 0.22, "SB": 0.25, "HZ": 0.15, "ZH": 0.20}
SERVICE_MEDIAN = {"QY": 10.0, "BDC": 12.0, "SB": 6.0, "HZ": 7.0, "ZH": 8.0}
SERVICE_SIGMA = 0.55
NO_SHOW, TRANSFER, PRIORITY, APPOINTMENT, RATED = 0.04, 0.03, 0.06, 0.08, 0.6
RATING_WEIGHTS = ((5, 70.0), (4, 20.0), (3, 6.0), (2, 2.5), (1, 1.5))
GROUPS = ("elderly", "elderly", "elderly", "pregnant", "disability", "service_member")
CLOSE_REASON = "日终未办理（模拟）"
PASSED_REASON = "叫号未到（模拟）"


@dataclass(frozen=True)
class Simulated:
    first_day: date
    last_day: date
    working_days: int
    tickets: int
    cases: int
    windows_added: int


@dataclass
class _T:
    """One ticket during the day's run."""

    idx: int
    line: str
    at: float  # minutes after midnight, hall time
    kind: str
    group: str | None
    who: int  # the applicant (app.bench.seed.applicant_of); 0 until drawn
    plan: tuple[str, str] | None = None  # ("return", case id) | ("supplement", case id)
    called: float | None = None
    last_called: float | None = None
    started: float | None = None
    ended: float | None = None
    window: int | None = None
    from_line: str | None = None
    passed: bool = False
    transferred: bool = False


@dataclass
class _Hall:
    lines: dict[str, str]  # code -> ticket prefix
    windows: dict[int, list[str]]  # number -> lines in preference order
    clerks: dict[int, str]  # window -> clerk
    division: str
    matters: dict[str, list[tuple[str, str, str, int, int, bool]]]  # line -> matters
    tolerable: dict[str, list[tuple[str, str, str]]]  # matter -> tolerable materials
    is_workday: Any = None
    added: int = 0


@dataclass
class _Plan:
    """Later visits planned for a day: (line, applicant, purpose, case id)."""

    by_day: dict[date, list[tuple[str, int, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0.0, sigma))


_MIDNIGHT: dict[date, datetime] = {}


def _ts(day: date, minutes: float) -> str:
    """The stored form of a UTC timestamp (as SQLAlchemy writes it) `minutes` after the hall's
    midnight of `day`."""
    base = _MIDNIGHT.get(day)
    if base is None:
        local = datetime(day.year, day.month, day.day, tzinfo=HALL_TZ)
        base = _MIDNIGHT[day] = local.astimezone(UTC).replace(tzinfo=None)
    at = base + timedelta(microseconds=round(minutes * 60_000_000) | 1)
    return str(at)


def _order_key(day: date, minutes: float) -> int:
    local = datetime(day.year, day.month, day.day, tzinfo=HALL_TZ) + timedelta(minutes=minutes)
    return int(local.timestamp() * 1_000_000)


def windows_needed(per_day: int) -> int:
    mean = sum(LINE_SHARE[c] * SERVICE_MEDIAN[c] for c in LINE_SHARE) * math.exp(
        SERVICE_SIGMA**2 / 2
    )
    return math.ceil(per_day * (mean + 1.0) / (7.0 * 60) / 0.75)


def _prepare_hall(database: Any, per_day: int) -> _Hall:
    from sqlalchemy import select

    from app.services.intake import calendar_for
    from db.models.catalogue import Material, Matter
    from db.models.hall import Clerk, Hall, Line, LineDepartment, Window, WindowLine

    with database.write() as s:
        hall = s.get(Hall, 1)
        if hall is None:
            raise UserError("manager.no_hall")
        lines = {
            ln.code: ln.ticket_prefix for ln in s.scalars(select(Line).order_by(Line.position))
        }
        codes = list(lines)
        have = list(s.scalars(select(Window).order_by(Window.number)))
        need = windows_needed(per_day)
        added = 0
        top = max((w.number for w in have), default=0)
        while len(have) + added < need:
            added += 1
            n = top + added
            first = codes[(n - 1) % len(codes)]
            second = codes[n % len(codes)]
            s.add(Window(number=n, name=f"综合窗口 {n}（模拟）", lines=[
                WindowLine(line_code=first, preference=0),
                WindowLine(line_code=second, preference=1),
            ]))  # fmt: skip
            if s.get(Clerk, f"SIM{n:03d}") is None:
                s.add(Clerk(id=f"SIM{n:03d}", name=f"模拟{n:03d}", role="clerk"))
        s.flush()
        windows = {
            w.number: [wl.line_code for wl in w.lines]
            for w in s.scalars(select(Window).order_by(Window.number))
        }
        staff = list(
            s.scalars(
                select(Clerk.id).where(Clerk.active, Clerk.role == "clerk").order_by(Clerk.id)
            )
        )
        clerks = {}
        for i, n in enumerate(sorted(windows)):
            sim = f"SIM{n:03d}"
            clerks[n] = staff[i] if i < len(staff) and not staff[i].startswith("SIM") else sim
            if s.get(Clerk, sim) is None and clerks[n] == sim:
                s.add(Clerk(id=sim, name=f"模拟{n:03d}", role="clerk"))
        dept_line = {
            d: ln for ln, d in s.execute(select(LineDepartment.line_code, LineDepartment.department_code))
        }  # fmt: skip
        default = next((ln.code for ln in s.scalars(select(Line).where(Line.is_default))), codes[0])
        matters: dict[str, list[tuple[str, str, str, int, int, bool]]] = defaultdict(list)
        for m in s.execute(
            select(Matter.code, Matter.name, Matter.department_code, Matter.promised_days,
                   Matter.legal_days, Matter.allows_gap).order_by(Matter.code)
        ):  # fmt: skip
            matters[dept_line.get(m[2], default)].append(tuple(m))
        tolerable: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for mc, code, name, form in s.execute(
            select(Material.matter_code, Material.code, Material.name, Material.form)
            .where(Material.tolerable)
            .order_by(Material.matter_code, Material.position)
        ):
            tolerable[mc].append((code, name, form))
        calendar = calendar_for(s)
        division = hall.division_code
    for code in lines:
        if not matters.get(code):
            matters[code] = [(f"SIM-{code}", f"模拟事项（{code}）", "", 5, 20, False)]
    workdays: dict[date, bool] = {}

    def is_workday(day: date) -> bool:
        known = workdays.get(day)
        if known is None:
            known = workdays[day] = calendar.is_workday(day)
        return known

    return _Hall(lines, windows, clerks, division, matters, tolerable, is_workday, added)


def _arrivals(rng: random.Random, day: date, per_day: int, plans: list[Any]) -> list[_T]:
    factor = WEEKDAY_FACTOR[day.weekday()] * rng.uniform(0.9, 1.1)
    n = max(0, round(per_day * factor / 1.03))  # the factors' mean over a week is ~1.03
    weights = [w for _h, _m, w in HALF_HOURS]
    slots = rng.choices(range(len(HALF_HOURS)), weights=weights, k=n + len(plans))
    line_codes, shares = list(LINE_SHARE), list(LINE_SHARE.values())
    out: list[_T] = []
    for i, slot in enumerate(slots):
        h, m, _w = HALF_HOURS[slot]
        at = h * 60 + m + rng.random() * 30
        roll = rng.random()
        kind = (
            "appointment"
            if roll < APPOINTMENT
            else "priority"
            if roll < APPOINTMENT + PRIORITY
            else "normal"
        )
        group = rng.choice(GROUPS) if kind == "priority" else None
        if i < n:
            line = rng.choices(line_codes, weights=shares)[0]
            out.append(_T(0, line, at, kind, group, 0))
        else:
            line, who, purpose, case_id = plans[i - n]
            out.append(_T(0, line, at, kind, group, who, (purpose, case_id)))
    out.sort(key=lambda t: t.at)
    for i, t in enumerate(out):
        t.idx = i
    return out


def _run_day(rng: random.Random, hall: _Hall, tickets: list[_T]) -> None:
    """The day's calls, services, no-shows and transfers (times in minutes, hall time)."""
    windows = sorted(hall.windows)
    paused_all_day = rng.choice(windows) if rng.random() < 0.5 and len(windows) > 2 else None
    lunch_turn = {w: (i % 2 == 0) for i, w in enumerate(windows)}
    arrivals = [(t.at, t.at, t.idx) for t in tickets]
    heapq.heapify(arrivals)
    queues: dict[tuple[str, bool], list[tuple[float, int]]] = defaultdict(list)
    free = [(OPEN_MIN + rng.random() * 5, w) for w in windows if w != paused_all_day]
    heapq.heapify(free)
    while free:
        now, w = heapq.heappop(free)
        if lunch_turn[w] and LUNCH[0] <= now < LUNCH[0] + 60:
            heapq.heappush(free, (LUNCH[0] + 60.0, w))
            continue
        if not lunch_turn[w] and LUNCH[1] - 60 <= now < LUNCH[1]:
            heapq.heappush(free, (float(LUNCH[1]), w))
            continue
        if now >= CLOSE_MIN:
            continue
        while arrivals and arrivals[0][0] <= now:
            _at, key, idx = heapq.heappop(arrivals)
            t = tickets[idx]
            heapq.heappush(queues[(t.line, t.kind != "normal")], (key, idx))
        pick: tuple[float, int, tuple[str, bool]] | None = None
        for first in (True, False):
            for line in hall.windows[w]:
                q = queues.get((line, first))
                if q and (pick is None or q[0][0] < pick[0]):
                    pick = (q[0][0], q[0][1], (line, first))
            if pick is not None:
                break
        if pick is None:
            nxt = arrivals[0][0] if arrivals else CLOSE_MIN
            heapq.heappush(free, (max(now + 0.5, min(nxt, now + 5)), w))
            continue
        heapq.heappop(queues[pick[2]])
        t = tickets[pick[1]]
        if t.called is None:
            t.called = now
        t.last_called = now
        t.window = w
        if rng.random() < NO_SHOW and not t.transferred:
            t.passed = True
            heapq.heappush(free, (now + 2.0, w))
            continue
        t.started = now + min(_lognormal(rng, 0.7, 0.6), 6.0)
        if not t.transferred and rng.random() < TRANSFER and t.plan is None:
            at = t.started + rng.uniform(1.5, 4.0)
            t.transferred, t.from_line = True, t.line
            t.line = rng.choice([c for c in hall.lines if c != t.line])
            t.started = None
            heapq.heappush(arrivals, (at, tickets[t.idx].at, t.idx))
            heapq.heappush(free, (at + 0.3, w))
            continue
        t.ended = t.started + max(
            0.5, _lognormal(rng, SERVICE_MEDIAN.get(t.line, 8.0), SERVICE_SIGMA)
        )
        heapq.heappush(free, (t.ended + _lognormal(rng, 0.3, 0.5), w))


TICKET_COLS = (
    "id", "created_at", "number", "line_code", "day", "seq", "kind", "priority_group",
    "id_number", "status", "issued_at", "called_at", "last_called_at", "call_count",
    "window_number", "clerk_id", "service_started_at", "ended_at", "passed_reason",
    "close_reason", "transferred_from_line", "target_window", "order_key", "offline",
)  # fmt: skip
CASE_COLS = (
    "id", "created_at", "case_no", "status", "decision", "rule_decision", "decision_reasons",
    "applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone",
    "window_number", "clerk_id", "ticket_id", "previous_case_id", "received_at", "received_day",
    "accepted_at", "promised_date", "commitment_signed", "updated_at",
)  # fmt: skip
MATTER_COLS = (
    "id", "created_at", "case_id", "position", "matter_code", "matter_name", "department_code",
    "promised_days", "legal_days",
)  # fmt: skip
MATERIAL_COLS = (
    "id", "created_at", "case_id", "position", "material_code", "name", "form",
    "copies_required", "necessity", "tolerable", "source", "matter_codes", "obtain", "status",
    "copies_received", "gap_deadline", "supplied_at",
)  # fmt: skip
VISIT_COLS = ("id", "created_at", "ticket_id", "case_id", "purpose")
EVAL_COLS = (
    "id", "created_at", "ticket_id", "case_id", "window_number", "clerk_id", "rating", "comment",
    "follow_up_needed",
)  # fmt: skip


class _Ids:
    """Deterministic 26-character ids: a letter, the seed, the day and a counter."""

    def __init__(self, seed: int) -> None:
        self.seed = seed % 1000
        self.day = date(2000, 1, 1)
        self.n = 0

    def start(self, day: date) -> None:
        self.day, self.n = day, 0

    def __call__(self) -> str:
        self.n += 1
        return f"Q{self.seed:03d}{self.day:%Y%m%d}{self.n:014d}"


def _add_working_days(hall: _Hall, day: date, n: int) -> date:
    while n > 0:
        day += timedelta(days=1)
        if hall.is_workday(day):
            n -= 1
    return day


class _Writer:
    def __init__(self, conn: sqlite3.Connection, hall: _Hall, rng: random.Random, seed: int):
        self.conn, self.hall, self.rng = conn, hall, rng
        self.ids = _Ids(seed)
        self.rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.plans = _Plan()
        self.tickets = self.cases = 0
        self.applicants = seed * 7_919 % 100_000

    def flush(self) -> None:
        for table, cols in (
            ("ticket", TICKET_COLS), ("case", CASE_COLS), ("case_matter", MATTER_COLS),
            ("case_material", MATERIAL_COLS), ("visit", VISIT_COLS), ("evaluation", EVAL_COLS),
        ):  # fmt: skip
            rows = self.rows.pop(table, [])
            if rows:
                names = ", ".join(f'"{c}"' for c in cols)
                marks = ", ".join("?" * len(cols))
                self.conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
        for sql in ("case_status", "material_supplied"):
            rows = self.rows.pop(sql, [])
            if rows and sql == "case_status":
                self.conn.executemany(
                    'UPDATE "case" SET status = ?, updated_at = ? WHERE id = ?', rows
                )
            elif rows:
                self.conn.executemany(
                    "UPDATE case_material SET supplied_at = ?, status = 'received_original_kept' "
                    "WHERE case_id = ? AND supplied_at IS NULL",
                    rows,
                )

    def day(self, day: date, per_day: int) -> None:
        rng, hall = self.rng, self.hall
        self.ids.start(day)
        tickets = _arrivals(rng, day, per_day, self.plans.by_day.pop(day, []))
        for t in tickets:
            if not t.who:
                self.applicants += 1
                t.who = self.applicants
        _run_day(rng, hall, tickets)
        seqs: dict[str, int] = defaultdict(int)
        case_seq: dict[int, int] = defaultdict(int)
        close_at = CLOSE_MIN + 30
        for t in sorted(tickets, key=lambda t: t.at):
            first_line = t.from_line or t.line
            prefix = "Y" if t.kind == "appointment" else hall.lines[first_line]
            seqs[prefix] += 1
            tid = self.ids()
            done = t.ended is not None
            window = t.window if (done or t.passed or t.started is not None) else None
            if t.transferred and not done:
                window = None if not t.passed else t.window
            clerk = hall.clerks.get(window) if window is not None and done else None
            status = "done" if done else "closed"
            self.rows["ticket"].append((
                tid, _ts(day, t.at), f"{prefix}{seqs[prefix]:03d}", t.line, day.isoformat(),
                seqs[prefix], t.kind, t.group, applicant_of(t.who)[1], status, _ts(day, t.at),
                None if t.called is None else _ts(day, t.called),
                None if t.last_called is None else _ts(day, t.last_called),
                (0 if t.called is None else 1 + (1 if t.passed else 0) + (1 if t.transferred else 0)),
                window, clerk, None if t.started is None else _ts(day, t.started),
                _ts(day, t.ended) if done else _ts(day, close_at),  # type: ignore[arg-type]
                PASSED_REASON if t.passed else None, None if done else CLOSE_REASON,
                t.from_line, None, _order_key(day, t.at), 0,
            ))  # fmt: skip
            self.tickets += 1
            if done:
                assert t.window is not None and t.started is not None and t.ended is not None
                case_seq[t.window] += 1
                case_id = self._visit(day, t, tid, case_seq[t.window])
                if rng.random() < RATED:
                    rating = rng.choices(
                        [r for r, _ in RATING_WEIGHTS], [w for _, w in RATING_WEIGHTS]
                    )[0]
                    self.rows["evaluation"].append((
                        self.ids(), _ts(day, t.ended + 0.2), tid, case_id, t.window, clerk,
                        rating, "", int(rating <= 2),
                    ))  # fmt: skip

    def _visit(self, day: date, t: _T, tid: str, seq: int) -> str:
        rng, hall = self.rng, self.hall
        assert t.window is not None and t.started is not None and t.ended is not None
        at = _ts(day, t.started)
        if t.plan is not None and t.plan[0] == "supplement":
            case_id = t.plan[1]
            self.rows["visit"].append((self.ids(), at, tid, case_id, "supplement"))
            self.rows["material_supplied"].append((at, case_id))
            self.rows["case_status"].append(("supplemented", at, case_id))
            return case_id
        previous = t.plan[1] if t.plan is not None else None
        matter = rng.choice(hall.matters[t.line])
        code, name, dept, promised, legal, allows_gap = matter
        tolerable = hall.tolerable.get(code, [])
        roll = rng.random()
        if previous is None and roll < 0.16:
            status, decision = "notified", "notify"
        elif previous is None and roll < 0.18:
            status, decision = "rejected", "reject"
        elif allows_gap and tolerable and roll < 0.40:
            status, decision = "accepted_with_gap", "accept_with_gap"
        else:
            status, decision = "accepted", "accept"
        case_id = self.ids()
        self.cases += 1
        name_, ident, phone = applicant_of(t.who)
        accepted = status.startswith("accepted")
        promised_date = _add_working_days(hall, day, promised) if accepted else None
        self.rows["case"].append((
            case_id, at, f"{hall.division}{day:%Y%m%d}{t.window:02d}{seq:04d}", status, decision,
            decision, "[]", "person", name_, ident, phone, t.window, hall.clerks.get(t.window),
            tid, previous, at, day.isoformat(), at if accepted else None,
            None if promised_date is None else promised_date.isoformat(),
            int(status == "accepted_with_gap"), at,
        ))  # fmt: skip
        self.rows["case_matter"].append(
            (self.ids(), at, case_id, 0, code, name, dept, promised, legal)
        )
        self.rows["visit"].append((self.ids(), at, tid, case_id, "return" if previous else "new"))
        if status == "accepted_with_gap":
            deadline_days = min(5, max(1, promised - 1))
            deadline = _add_working_days(hall, day, deadline_days)
            for pos, (mcode, mname, form) in enumerate(tolerable[: 1 + rng.randrange(2)]):
                self.rows["case_material"].append((
                    self.ids(), at, case_id, pos, mcode, mname, form, 0, "required", 1,
                    "applicant", f'["{code}"]', "", "tolerated", 0, deadline.isoformat(), None,
                ))  # fmt: skip
            roll = rng.random()
            if roll < 0.93:
                late = roll >= 0.82
                wd = (
                    rng.randint(deadline_days + 1, deadline_days + 3)
                    if late
                    else rng.randint(1, deadline_days)
                )
                self.plans.by_day[_add_working_days(hall, day, wd)].append(
                    (t.line, t.who, "supplement", case_id)
                )
        elif status == "notified" and rng.random() < 0.7:
            back = _add_working_days(hall, day, rng.randint(1, 7))
            self.plans.by_day[back].append((t.line, t.who, "return", case_id))
        return case_id


def simulate(
    data_dir: Path | str | None,
    days: int,
    *,
    seed: int = 1,
    per_day: int = 2000,
    last_day: date | None = None,
) -> Simulated:
    """Write `days` simulated days ending `last_day` (yesterday) into the desk at `data_dir`.
    Refused, changing nothing, if the period already holds tickets or cases."""
    from app.startup import open_desk
    from db.engine import DB_FILE_NAME

    if not 1 <= days <= MAX_DAYS:
        raise UserError("manager.sim_days", most=MAX_DAYS)
    if not 1 <= per_day <= 20_000:
        raise UserError("manager.sim_per_day")
    last = last_day or hall_today() - timedelta(days=1)
    first = last - timedelta(days=days - 1)
    setup = open_desk(data_dir)
    try:
        with setup.database.read() as s:
            from sqlalchemy import func, select

            from db.models.case import Case
            from db.models.queue import Ticket

            taken = s.scalar(
                select(func.count()).select_from(Ticket).where(Ticket.day.between(first, last))
            ) or s.scalar(
                select(func.count()).select_from(Case).where(Case.received_day.between(first, last))
            )
        if taken:
            raise UserError("manager.sim_taken", first=first, last=last)
        hall = _prepare_hall(setup.database, per_day)
    finally:
        setup.database.close()
    rng = random.Random(seed)
    path = setup.data_dir / DB_FILE_NAME
    conn = cipher.connect(path, cipher.key_for(path), isolation_level=None, timeout=30)
    writer = _Writer(conn, hall, rng, seed)
    working = 0
    bulk = False
    try:
        conn.execute("PRAGMA cache_size = -200000")
        # A bulk write: a rollback journal (only when nobody else has the file open; otherwise
        # it stays in WAL mode) keeps the WAL from growing by the whole period.
        bulk = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        conn.execute("BEGIN IMMEDIATE")
        day = first
        while day <= last:
            if hall.is_workday(day):
                working += 1
                writer.day(day, per_day)
                if sum(len(r) for r in writer.rows.values()) > 50_000:
                    writer.flush()
            else:
                writer.plans.by_day.pop(day, None)
            day += timedelta(days=1)
        writer.flush()
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        if bulk and not conn.in_transaction:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.close()
    return Simulated(first, last, working, writer.tickets, writer.cases, hall.added)
