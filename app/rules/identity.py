"""Checks of what the applicant tells the clerk: each `check_*` returns a clear Chinese message
for the clerk, or None when the value is right. `normalise_*` give the form to check and store.

- Resident ID number (居民身份证号码), GB 11643-1999: 17 digits (6 region, 8 birth date,
  3 sequence) and an ISO 7064 MOD 11-2 check character (0–9 or X).
- Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-character
  alphabet (digits and capitals without I, O, Z, S, V); the last is a weighted mod-31 check.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from app.messages import Message, Param

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"  # indexed by the weighted sum mod 11

# First two digits: the provinces of GB/T 2260, plus 71 Taiwan, 81 Hong Kong, 82 Macao and
# 83 (residence permits of Taiwan residents), which appear on real cards too.
ID_PROVINCES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    }
)
ID_EARLIEST_BIRTH = date(1900, 1, 1)

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

NAME_MAX_LENGTH = 50
ORG_NAME_MAX_LENGTH = 100

_MOBILE = re.compile(r"1[3-9]\d{9}")
# Area code 0xx or 0xxx, a 7- or 8-digit number not starting with 0 or 1, optional extension.
_LANDLINE = re.compile(r"(?:0\d{2,3}-?)?[2-9]\d{6,7}(?:-\d{1,6})?")


def normalise_id_number(value: str) -> str:
    """Spaces removed and upper-cased (a lower-case check letter x becomes X): the form of a
    resident ID number or a unified social credit code that is checked and stored."""
    return "".join(value.split()).upper()


def id_check_char(first17: str) -> str:
    """The check character (0–9 or X) of the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("the first 17 characters of an ID number must be digits")
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def birth_date_from_id(value: str) -> date:
    """The birth date written in a (valid) 18-character ID number."""
    v = normalise_id_number(value)
    return date(int(v[6:10]), int(v[10:12]), int(v[12:14]))


def check_id_number(value: str, today: date | None = None, *, what: Param = None) -> Message | None:
    """None if `value` is a valid 18-character resident ID number, else why not. `what` names
    the field (default: 身份证号码)."""
    what = Message("field.id_number") if what is None else what
    v = normalise_id_number(value)
    if not v:
        return Message("field.empty", what=what)
    if len(v) != 18:
        return Message("identity.id_length", what=what, length=len(v))
    body, check = v[:17], v[17]
    if not (body.isascii() and body.isdigit()):
        return Message("identity.id_body_digits", what=what)
    if not (check.isdigit() or check == "X"):
        return Message("identity.id_check_char", what=what)
    if body[:2] not in ID_PROVINCES:
        return Message("identity.id_region", what=what, region=body[:6])
    try:
        born = birth_date_from_id(v)
    except ValueError:
        return Message("identity.id_birth", what=what, birth=body[6:14])
    if born < ID_EARLIEST_BIRTH or born > (today or date.today()):
        return Message("identity.id_birth", what=what, birth=body[6:14])
    expected = id_check_char(body)
    if check != expected:
        return Message("identity.id_checksum", what=what)
    return None


def uscc_check_char(first17: str) -> str:
    """The check character of the first 17 characters of a unified social credit code."""
    if len(first17) != 17 or any(c not in USCC_ALPHABET for c in first17):
        raise ValueError("the first 17 characters must come from the USCC alphabet")
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def check_uscc(value: str) -> Message | None:
    """None if `value` is a valid unified social credit code, else why not."""
    v = normalise_id_number(value)
    if not v:
        return Message("identity.uscc_empty")
    if len(v) != 18:
        return Message("identity.uscc_length", length=len(v))
    bad = sorted({c for c in v if c not in USCC_ALPHABET})
    if bad:
        return Message("identity.uscc_chars", chars="".join(bad))
    if not v[2:8].isdigit():
        return Message("identity.uscc_region")
    if v[17] != uscc_check_char(v[:17]):
        return Message("identity.uscc_checksum")
    return None


def normalise_phone(value: str) -> str:
    """Spaces and a leading +86 / 0086 removed: the form checked and stored."""
    v = "".join(value.split())
    for prefix in ("+86", "0086"):
        if v.startswith(prefix):
            v = v[len(prefix) :].lstrip("-")
    return v


def check_phone(value: str, *, what: Param = None) -> Message | None:
    """None for a mainland mobile number (11 digits) or a landline (with or without area code
    and extension), else why not. `what` names the field (default: 联系电话)."""
    what = Message("field.phone") if what is None else what
    v = normalise_phone(value)
    if not v:
        return Message("field.empty", what=what)
    if _MOBILE.fullmatch(v) or _LANDLINE.fullmatch(v):
        return None
    if v.isdigit() and v.startswith("1"):
        return Message("identity.mobile_length", length=len(v))
    return Message("identity.phone_format", what=what)


def normalise_name(value: str) -> str:
    """Leading and trailing whitespace (also full-width spaces) removed."""
    return value.strip()


def check_name(
    value: str, *, max_length: int = NAME_MAX_LENGTH, what: Param = None
) -> Message | None:
    """None if the trimmed name has 1..max_length characters and no control or invisible
    formatting characters (which would corrupt printed documents and look-ups)."""
    what = Message("field.name") if what is None else what
    v = normalise_name(value)
    if not v:
        return Message("field.empty", what=what)
    if len(v) > max_length:
        return Message("identity.name_too_long", what=what, limit=max_length, length=len(v))
    for c in v:
        if unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}:
            return Message("identity.name_control", what=what)
    return None
