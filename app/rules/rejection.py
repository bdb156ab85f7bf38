"""A rejection (不予受理) at the counter: its ground and what the law asks to go with it.

- NOT_COMPETENT: the matter is not this organ's (《行政许可法》第三十二条第一款第（二）项 for a
  licence; the same rule in practice for the other kinds): the applicant must be told which
  organ to apply to, so a rejection without that referral is refused at the desk.
- OTHER: another ground, stated in the reason (the basis is the matter's own rule, if any).

A rejection needs its reason; it never needs the materials to be checked, and the matter
asked for may be one the catalogue does not hold (named in free text)."""

from __future__ import annotations

from enum import StrEnum

from app.errors import UserError


class RejectGround(StrEnum):
    NOT_COMPETENT = "not_competent"
    OTHER = "other"


LICENCE = "行政许可"
LICENSING_LAW = "《中华人民共和国行政许可法》"
# 第三十二条第一款第（二）项: not within the organ's competence — reject, and refer.
NOT_COMPETENT_CLAUSE = "第三十二条第一款第（二）项"
# 第三十二条第一款第（四）项: incomplete or not in legal form — notify everything at once.
NOTIFY_CLAUSE = "第三十二条第一款第（四）项"
# 第三十二条第一款第（五）项: complete and in legal form (or corrected as required) — accept.
ACCEPT_CLAUSE = "第三十二条第一款第（五）项"


def check_rejection(reason: str, ground: RejectGround | str, refer_to: str | None) -> RejectGround:
    """The ground of a rejection, or UserError when the reason or a referral the law asks
    for is missing."""
    if not reason.strip():
        raise UserError("case.reject_needs_reason")
    try:
        kind = RejectGround(ground)
    except ValueError as exc:
        raise UserError("case.reject_bad_ground", ground=str(ground)) from exc
    if kind is RejectGround.NOT_COMPETENT and not (refer_to or "").strip():
        raise UserError("case.reject_needs_referral")
    return kind


def cited_basis(kinds: list[str], own_basis: list[str], clause: str) -> str:
    """The legal basis a paper cites: 《行政许可法》's `clause` when every matter is a licence;
    otherwise what the catalogue gives the matters (their own rules), or nothing."""
    if kinds and all(kind == LICENCE for kind in kinds):
        return LICENSING_LAW + clause
    seen: list[str] = []
    for basis in own_basis:
        if basis.strip() and basis.strip() not in seen:
            seen.append(basis.strip())
    return "、".join(seen)
