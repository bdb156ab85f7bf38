"""Small hand-made hall data for the manager's tests: tickets, cases and visits with chosen
times (hall time, 2026-11-26 unless told), so every KPI can be computed by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from app.clock import HALL_TZ
from db.models.case import Case, CaseMaterial, CaseMatter
from db.models.queue import Evaluation, Ticket, Visit

DAY = date(2026, 11, 26)
_seq = count(1)


def at(hhmm: str, day: date = DAY) -> datetime:
    h, m = (int(x) for x in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, h, m, tzinfo=HALL_TZ).astimezone(UTC)


def ticket(
    s: Session,
    issued: str,
    called: str | None = None,
    started: str | None = None,
    ended: str | None = None,
    *,
    status: str | None = None,
    window: int | None = None,
    clerk: str | None = None,
    line: str = "QY",
    day: date = DAY,
    issued_day: date | None = None,
    passed: bool = False,
    from_line: str | None = None,
) -> Ticket:
    n = next(_seq)
    issued_at = at(issued, issued_day or day)
    if status is None:
        status = "done" if ended and started else "closed" if ended else "waiting"
    t = Ticket(
        number=f"A{n:03d}",
        line_code=line,
        day=day,
        seq=n,
        status=status,
        issued_at=issued_at,
        created_at=issued_at,
        called_at=at(called, day) if called else None,
        last_called_at=at(called, day) if called else None,
        call_count=1 if called else 0,
        window_number=window,
        clerk_id=clerk,
        service_started_at=at(started, day) if started else None,
        ended_at=at(ended, day) if ended else None,
        passed_reason="未到" if passed else None,
        transferred_from_line=from_line,
        order_key=int(issued_at.timestamp() * 1e6),
    )
    s.add(t)
    s.flush()
    return t


def case_row(
    s: Session,
    tickets: list[tuple[Ticket, str]],
    *,
    decision: str = "accept",
    previous: Case | None = None,
    day: date = DAY,
    matter: str = "M1",
    gap_deadline: date | None = None,
    supplied: datetime | None = None,
) -> Case:
    status = {"accept": "accepted", "accept_with_gap": "accepted_with_gap", "notify": "notified"}
    n = next(_seq)
    received = at("09:00", day)
    c = Case(
        case_no=f"2208002026{n:08d}",
        status=status.get(decision, "rejected"),
        decision=decision,
        rule_decision=decision,
        applicant_kind="person",
        applicant_name="王伟",
        applicant_id_number="220802195001010011",
        applicant_phone="13000000000",
        received_at=received,
        received_day=day,
        previous_case_id=previous.id if previous else None,
    )
    s.add(c)
    s.flush()
    s.add(CaseMatter(case_id=c.id, position=0, matter_code=matter, matter_name=f"事项{matter}",
                     promised_days=5, legal_days=20))  # fmt: skip
    if gap_deadline is not None:
        s.add(CaseMaterial(case_id=c.id, position=0, material_code="X", name="证明", form="copy",
                           necessity="required", tolerable=True, status="tolerated",
                           gap_deadline=gap_deadline, supplied_at=supplied))  # fmt: skip
    for t, purpose in tickets:
        s.add(Visit(ticket_id=t.id, case_id=c.id, purpose=purpose))
    s.flush()
    return c


def rating(s: Session, t: Ticket, value: int) -> None:
    s.add(Evaluation(ticket_id=t.id, rating=value, window_number=t.window_number,
                     follow_up_needed=value <= 2))  # fmt: skip
    s.flush()


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60


def kw(**values: Any) -> dict[str, Any]:
    return values


ONE_DAY = timedelta(days=1)
