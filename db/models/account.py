"""A member of staff's credential on this desk: the argon2 hash of their password or PIN, and
the count of sign-in failures that slows down and then locks the account (app/accounts.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class Credential(Base):
    __tablename__ = "credential"
    clerk_id: Mapped[str] = mapped_column(ForeignKey("clerk.id"), primary_key=True)
    # argon2id in PHC form ($argon2id$v=19$m=...,t=...,p=...$salt$hash): the parameters travel
    # with the hash, so one made with other costs still verifies.
    secret_hash: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Failures since the last successful sign-in, the last one's time, and the lock's end.
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]
    # "central": pulled from the central store, which wins for this staff number (the desk's
    # `account set-password` refuses it); "local": set on this desk. A credential disabled on
    # the central store stays (disabled, its hash cleared) so the desk knows it is refused.
    origin: Mapped[str] = mapped_column(String(10), default="local", server_default="local")
    disabled: Mapped[bool] = mapped_column(default=False, server_default=false())
