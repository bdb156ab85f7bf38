"""The queue (排队叫号): tickets, the visits that link a ticket to the cases served, the
applicants' ratings, and the call requests already answered (so a retried call is harmless).

A ticket's place in its line is `order_key` alone: a transfer that keeps its place copies the
original issue time into it, one that goes to the back puts the transfer time there."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, DeskRow, utcnow

TICKET_KINDS = ("normal", "priority", "appointment")
PRIORITY_GROUPS = ("elderly", "pregnant", "disability", "service_member")
TICKET_STATUSES = ("waiting", "called", "serving", "passed", "done", "closed")
FINAL_STATUSES = ("done", "closed")
VISIT_PURPOSES = ("new", "supplement", "return")
# 5 非常满意 … 1 非常不满意
RATINGS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Ticket(DeskRow, Base):
    __tablename__ = "ticket"
    number: Mapped[str] = mapped_column(String(20))  # "A012", offline "A3-007", "Y004"
    line_code: Mapped[str] = mapped_column(ForeignKey("line.code"))
    day: Mapped[date]  # the hall's local day (China time) the number belongs to
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12), default="normal")
    priority_group: Mapped[str | None] = mapped_column(String(20))
    id_number: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    # First call (waiting time = called_at - issued_at); last_called_at moves on every recall
    # so the hall display announces it again.
    called_at: Mapped[datetime | None]
    last_called_at: Mapped[datetime | None]
    call_count: Mapped[int] = mapped_column(default=0)
    window_number: Mapped[int | None]
    clerk_id: Mapped[str | None] = mapped_column(String(40))
    service_started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    passed_reason: Mapped[str | None] = mapped_column(String(200))
    close_reason: Mapped[str | None] = mapped_column(String(200))
    transferred_from_line: Mapped[str | None] = mapped_column(String(20))
    target_window: Mapped[int | None]
    # Microseconds since the epoch; BigInteger so PostgreSQL (the central store) holds it too.
    order_key: Mapped[int] = mapped_column(BigInteger)
    offline: Mapped[bool] = mapped_column(default=False)
    device_id: Mapped[str | None] = mapped_column(String(26))

    __table_args__ = (
        # call_next: the oldest waiting ticket of a line (and of a kind, for the priority rules).
        Index("ix_ticket_call", "status", "line_code", "order_key"),
        Index("ix_ticket_call_kind", "status", "line_code", "kind", "order_key", "seq"),
        # Tickets transferred to one window: few, found without scanning the day's tickets.
        Index("ix_ticket_targeted", "target_window", "status", "order_key", "seq"),
        Index("ix_ticket_window", "window_number", "status"),
        Index("ix_ticket_day_called", "day", "last_called_at"),
        Index("ix_ticket_line_day_called", "line_code", "day", "called_at"),
        Index("ix_ticket_id_number", "id_number", "line_code", "status"),
        Index("uq_ticket_day_number", "day", "number", unique=True),
        CheckConstraint(_in("kind", TICKET_KINDS), name="kind"),
        CheckConstraint(_in("status", TICKET_STATUSES), name="status"),
        CheckConstraint(
            "priority_group IS NULL OR " + _in("priority_group", PRIORITY_GROUPS),
            name="priority_group",
        ),
    )


class Visit(DeskRow, Base):
    """One case served during one ticket's visit. A returning applicant's visit links to the
    existing case, so the visits a case took can be counted (只跑一次率)."""

    __tablename__ = "visit"
    ticket_id: Mapped[str] = mapped_column(ForeignKey("ticket.id"))
    # The case table belongs to the case engine; no FK keeps this module independent of it.
    case_id: Mapped[str] = mapped_column(String(26))
    purpose: Mapped[str] = mapped_column(String(12), default="new")

    __table_args__ = (
        Index("ix_visit_case", "case_id"),
        # The manager's KPIs (0012): an application's tickets from the index alone, and the
        # visits added since a month's visits were counted.
        Index("ix_visit_case_ticket", "case_id", "ticket_id"),
        Index("ix_visit_created_at", "created_at"),
        Index("uq_visit_ticket_case", "ticket_id", "case_id", unique=True),
        CheckConstraint(_in("purpose", VISIT_PURPOSES), name="purpose"),
    )


class Evaluation(DeskRow, Base):
    """好差评: the applicant's rating of one service; bad ratings (1–2) are followed up."""

    __tablename__ = "evaluation"
    ticket_id: Mapped[str | None] = mapped_column(ForeignKey("ticket.id"))
    case_id: Mapped[str | None] = mapped_column(String(26))
    window_number: Mapped[int | None]
    clerk_id: Mapped[str | None] = mapped_column(String(40))
    rating: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    follow_up_needed: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index("ix_evaluation_ticket", "ticket_id"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
    )


class CallRequest(Base):
    """A call_next already answered: a retry with the same request id gets the same ticket
    instead of calling a second one. Local bookkeeping, not synced."""

    __tablename__ = "queue_call_request"
    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("ticket.id"))
    window_number: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
