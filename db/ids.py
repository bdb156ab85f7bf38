"""Client-generated ids: every row a desk creates gets a ULID, sortable and collision-free
across desks that work offline at the same time."""

from ulid import ULID


def new_id() -> str:
    """A new ULID as its 26-character Crockford base32 string."""
    return str(ULID())
