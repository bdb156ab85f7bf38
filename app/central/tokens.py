"""Bearer tokens: `{hall code}.{secret}`, 32 random bytes; only the sha256 is stored (a
random token needs no slow hash), found by (hall_id, hash)."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token(hall_code: str) -> str:
    return f"{hall_code}.{secrets.token_urlsafe(32)}"


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
