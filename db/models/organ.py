"""The competent organs (实施机关) whose papers the hall issues: each department's 机关代字,
the prefix of its document numbers (白市监受〔2026〕12号). Set by the hall file's `organs`; a
department not listed uses the hall's default (see app.services.organs)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Organ(Base):
    __tablename__ = "organ"
    department_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    # 机关代字, e.g. 白市监受: the part of a 文号 before 〔年〕.
    doc_code: Mapped[str] = mapped_column(String(20))
