"""Personal data shown only as much as the work needs: lists and search results show ID
numbers and phone numbers masked; the full number is shown only in the open case."""

from __future__ import annotations

MASK = "*"


def mask_id_number(value: str | None) -> str:
    """An ID number (or a unified social credit code) with its middle hidden: the first six
    characters (the region) and the last four, "110105********002X". A short or odd value
    keeps at most its last two characters."""
    v = "".join((value or "").split())
    if len(v) >= 15:
        return v[:6] + MASK * (len(v) - 10) + v[-4:]
    return MASK * max(0, len(v) - 2) + v[-2:] if len(v) > 2 else MASK * len(v)


def mask_phone(value: str | None) -> str:
    """A phone number with its middle hidden: "139****5678", "043*****345"; a short value
    keeps at most its last two digits."""
    v = "".join((value or "").split())
    if len(v) >= 10:
        return v[:3] + MASK * (len(v) - 7) + v[-4:]
    return MASK * max(0, len(v) - 2) + v[-2:] if len(v) > 2 else MASK * len(v)
