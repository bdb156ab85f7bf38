"""The competent organ (实施机关) in whose name a case's papers are issued, and its 文号.

A paper belongs to the organ that decides the matter: the department the catalogue gives for
it (a bundle's papers name each organ, the first matter's leading). The hall is only where the
application is received. Each paper carries a 文号 in the organ's style, 机关代字〔年〕号
(白市监受〔2026〕12号): the 机关代字 comes from the hall file's `organs` (one per department);
a department not listed there uses the hall's default, the first character of the hall's name
followed by 政务受 (白政务受). The number runs per 机关代字 and calendar year and is kept on the
document row, so a reprint shows the same 文号. Each desk numbers on its own (there is no
central allocation yet), so that two windows never give out the same 文号 each window has its
own block: window 3's papers of 白公受 in 2026 are 白公受〔2026〕30001号, 30002号, … (9,999 a
year per window and 机关代字); a paper made with no window numbers from 1."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.jsonfile import location
from app.messages import Message
from app.services.numbering import next_in_sequence
from db.models.catalogue import Department
from db.models.organ import Organ

DEFAULT_SUFFIX = "政务受"
#: 1–12 Chinese characters: no digits, brackets or 〔〕, which the 文号 adds itself.
_DOC_CODE = re.compile(r"^[\u4e00-\u9fff]{1,12}$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class OrganSettings:
    """A department's 机关代字 (白市监受): the prefix of the 文号 on the papers it issues."""

    department: str
    doc_code: str


def organ_problems(organs: Iterable[OrganSettings]) -> list[Message]:
    problems = []
    seen: set[str] = set()
    for i, organ in enumerate(organs):
        if not organ.department.strip():
            problems.append(Message("hall.organ_no_department", where=location(("organs", i))))
        if not _DOC_CODE.match(organ.doc_code):
            problems.append(Message("hall.bad_doc_code", where=location(("organs", i, "doc_code"))))
        if organ.department in seen:
            problems.append(
                Message(
                    "hall.duplicate_organ", where=location(("organs", i)), code=organ.department
                )
            )
        seen.add(organ.department)
    return problems


def apply_organs(session: Session, organs: Iterable[OrganSettings]) -> None:
    """Replace the 机关代字 of every department with `organs` (in the caller's transaction)."""
    session.execute(delete(Organ))
    session.add_all(Organ(department_code=o.department, doc_code=o.doc_code) for o in organs)


def organ_settings(session: Session) -> tuple[OrganSettings, ...]:
    rows = session.scalars(select(Organ).order_by(Organ.department_code))
    return tuple(OrganSettings(r.department_code, r.doc_code) for r in rows)


def default_doc_code(hall_name: str) -> str:
    """The hall's 机关代字 for a department the hall file does not list: 白政务受."""
    first = _CJK.search(hall_name)
    return (first.group() if first else "") + DEFAULT_SUFFIX


def doc_code_for(session: Session, department_code: str, hall_name: str) -> str:
    organ = session.get(Organ, department_code) if department_code else None
    return organ.doc_code if organ else default_doc_code(hall_name)


def format_file_no(doc_code: str, year: int, number: int) -> str:
    """机关代字〔年〕号, GB/T 9704: the year in 六角括号, the number without leading zeros."""
    return f"{doc_code}〔{year}〕{number}号"


WINDOW_BLOCK = 10_000


def take_file_no(session: Session, doc_code: str, day: date, window: int = 0) -> str:
    """The next 文号 of `doc_code` in `day`'s year at `window`, taken in the caller's
    transaction. UserError once the window's block of the year is used up."""
    scope = f"fileno:{doc_code}:w{window}"
    seq = next_in_sequence(session, scope, date(day.year, 1, 1))
    if seq >= WINDOW_BLOCK:
        raise UserError("document.file_numbers_used_up", code=doc_code, window=window)
    return format_file_no(doc_code, day.year, window * WINDOW_BLOCK + seq)


def organs_of(session: Session, department_codes: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """(department code, organ name) of each distinct department, in the order given; the name
    from the catalogue, the code itself when the catalogue no longer has the department."""
    out: list[tuple[str, str]] = []
    for code in department_codes:
        if code in (c for c, _ in out):
            continue
        dept = session.get(Department, code) if code else None
        out.append((code, dept.name if dept else code))
    return tuple(out)
