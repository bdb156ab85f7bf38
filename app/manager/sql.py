"""The few SQL expressions the KPIs need that SQLite and PostgreSQL spell differently, as
SQLAlchemy constructs compiled per dialect. Timestamps are stored as UTC without a zone (see
db.base.UTCDateTime) in both."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement


class seconds_between(FunctionElement[int]):
    """Whole seconds from the first timestamp to the second, rounded half up (NULL if either
    is NULL), exactly the same on both: the central store's figures equal the desk's."""

    type = Integer()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between)
def _seconds_sqlite(element: seconds_between, compiler: Any, **kw: Any) -> str:
    # Exact integer arithmetic on the stored text ("YYYY-MM-DD HH:MM:SS.ffffff"): the whole
    # seconds through julianday (exact for whole seconds), the microseconds from the text.
    # julianday on the full text keeps only about a millisecond, and a difference of exactly
    # half a second could round either way.
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    whole = f"CAST(round((julianday(substr({end}, 1, 19)) - julianday(substr({start}, 1, 19))) * 86400.0) AS INTEGER)"
    micro = f"(CAST(substr({end}, 21, 6) AS INTEGER) - CAST(substr({start}, 21, 6) AS INTEGER))"
    return f"(({whole}) * 1000000 + {micro} + 500000) / 1000000"


@compiles(seconds_between, "postgresql")
def _seconds_pg(element: seconds_between, compiler: Any, **kw: Any) -> str:
    # EXTRACT gives the exact numeric; trunc(x + 0.5) is SQLite's integer division above.
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(trunc(EXTRACT(EPOCH FROM ({end} - {start})) + 0.5) AS INTEGER)"


class local_hour(FunctionElement[int]):
    """The hour (0–23) of a UTC timestamp in a zone `offset_minutes` east of UTC."""

    type = Integer()
    inherit_cache = True
    name = "local_hour"


@compiles(local_hour)
def _hour_sqlite(element: local_hour, compiler: Any, **kw: Any) -> str:
    # Integer arithmetic on the Julian day in milliseconds (SQLite keeps times to the
    # millisecond, so the round trip is exact) is ~5 times cheaper than strftime. The Julian
    # day starts at noon, hence the 12 hours.
    at, offset = (compiler.process(c, **kw) for c in element.clauses)
    ms = f"CAST(round(julianday({at}) * 86400000.0) AS INTEGER)"
    return f"((({ms}) + 43200000 + ({offset}) * 60000) / 3600000 % 24)"


@compiles(local_hour, "postgresql")
def _hour_pg(element: local_hour, compiler: Any, **kw: Any) -> str:
    at, offset = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(EXTRACT(HOUR FROM {at} + make_interval(mins => {offset})) AS INTEGER)"


def hour_in(at: ColumnElement[Any], offset_minutes: int) -> ColumnElement[int]:
    from sqlalchemy import literal

    return local_hour(at, literal(offset_minutes, Integer()))


class day_end_utc(FunctionElement[Any]):
    """The UTC instant (as stored: a timestamp without zone) at which the hall's day `day`
    ends, for a zone `offset_minutes` east of UTC."""

    inherit_cache = True
    name = "day_end_utc"


@compiles(day_end_utc)
def _day_end_sqlite(element: day_end_utc, compiler: Any, **kw: Any) -> str:
    day, offset = (compiler.process(c, **kw) for c in element.clauses)
    # The same text form SQLAlchemy stores (microseconds), so text comparison is time order.
    return f"strftime('%Y-%m-%d %H:%M:%f000', {day}, '+1 day', '-' || ({offset}) || ' minutes')"


@compiles(day_end_utc, "postgresql")
def _day_end_pg(element: day_end_utc, compiler: Any, **kw: Any) -> str:
    day, offset = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST({day} AS timestamp) + interval '1 day' - make_interval(mins => {offset}))"
