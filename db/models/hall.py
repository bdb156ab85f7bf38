"""The hall's own configuration: the hall, its windows, clerks and business lines. Edited by
an administrator on the desk today; sent down by the central store later."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base


class Hall(Base):
    """One row: the hall this desk belongs to."""

    __tablename__ = "hall"
    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    enquiry_phone: Mapped[str] = mapped_column(String(40), default="")
    supervision_phone: Mapped[str] = mapped_column(String(40), default="")
    division_code: Mapped[str] = mapped_column(String(6))
    target_wait_minutes: Mapped[int] = mapped_column(default=30)
    # e.g. "https://zwfw.example.gov.cn/query?no={case_no}"; printed as a QR code.
    query_url_pattern: Mapped[str] = mapped_column(String(300), default="")
    # "priority_first": every waiting priority ticket before normal ones;
    # "every_n": one priority ticket after every `priority_every_n` normal ones.
    priority_policy: Mapped[str] = mapped_column(String(20), default="priority_first")
    priority_every_n: Mapped[int] = mapped_column(default=3)
    # A transferred ticket keeps its place by issue time (True) or goes to the back (False).
    transfer_keeps_place: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)


class Line(Base):
    """A business line (业务类别): one queue with its ticket prefix."""

    __tablename__ = "line"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    ticket_prefix: Mapped[str] = mapped_column(String(2), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    # The line that serves every matter no other line claims.
    is_default: Mapped[bool] = mapped_column(default=False)
    departments: Mapped[list[LineDepartment]] = relationship(
        cascade="all, delete-orphan", order_by="LineDepartment.department_code"
    )


class LineDepartment(Base):
    """A line serves the matters of these departments."""

    __tablename__ = "line_department"
    line_code: Mapped[str] = mapped_column(ForeignKey("line.code"), primary_key=True)
    department_code: Mapped[str] = mapped_column(String(40), primary_key=True)


class Window(Base):
    """A numbered counter of the hall."""

    __tablename__ = "window"
    number: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), default="")
    paused: Mapped[bool] = mapped_column(default=False)
    lines: Mapped[list[WindowLine]] = relationship(
        cascade="all, delete-orphan", order_by="WindowLine.preference"
    )


class WindowLine(Base):
    """A window serves a line, in an order of preference (0 first)."""

    __tablename__ = "window_line"
    window_number: Mapped[int] = mapped_column(ForeignKey("window.number"), primary_key=True)
    line_code: Mapped[str] = mapped_column(ForeignKey("line.code"), primary_key=True)
    preference: Mapped[int] = mapped_column(default=0)


class Clerk(Base):
    """A member of staff: a window clerk, a hall manager (approves overrides) or an admin."""

    __tablename__ = "clerk"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # staff number
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(20), default="clerk")  # clerk | manager | admin
    active: Mapped[bool] = mapped_column(default=True)


class Desk(Base):
    """One row: which window this installed client is, and who is signed in."""

    __tablename__ = "desk"
    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    window_number: Mapped[int | None] = mapped_column(ForeignKey("window.number"))
    clerk_id: Mapped[str | None] = mapped_column(ForeignKey("clerk.id"))
