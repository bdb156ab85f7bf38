"""Bearer tokens: `{hall code}.{secret}`, 32 random bytes; only the sha256 is stored (a
random token needs no slow hash), found by (hall_id, hash)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets


def new_token(hall_code: str, kiosk: int | None = None) -> str:
    """A kiosk's token names its offline number space: `{hall}.k{N}.{secret}` (the hash covers
    the whole token, so the number cannot be changed without making the token unknown)."""
    if kiosk is not None:
        return f"{hall_code}.k{kiosk}.{secrets.token_urlsafe(32)}"
    return f"{hall_code}.{secrets.token_urlsafe(32)}"


def kiosk_of_token(token: str) -> int | None:
    """The kiosk number a display token carries (`{hall}.k{N}.{secret}`), else None."""
    parts = token.strip().split(".", 2)
    if len(parts) == 3 and re.fullmatch(r"k[1-9][0-9]{0,2}", parts[1]):
        return int(parts[1][1:])
    return None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """(hall code, hash), or None for something that is not a token."""
    hall, sep, secret = token.partition(".")
    if not sep or not secret or len(token) > 200:
        return None
    return hall, token_hash(token)


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
