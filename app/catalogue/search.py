"""Matter search as the clerk types: an in-memory index built once from the catalogue.

Each matter has one lowercase haystack string: its code, name, department name, pinyin
initials and full pinyin, each field preceded by NUL: "\\0" + query finds fields that start
with the query (prefix matches), the query alone finds any substring. An FTS5 trigram index
(in memory, built once on a worker after the window shows) names the matters that hold a
query's words of 3 characters or more, in code order; a keystroke checks those and stops once
`limit` results are certain, so it never scans the catalogue, however many words. Words of 1
or 2 characters alone are found along the joined haystacks, which stops as early."""

from __future__ import annotations

import bisect
import dataclasses
import sqlite3
import unicodedata
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models.catalogue import Bundle, BundleMatter, Department, Matter

_FIELD = "\x00"  # starts every field of a haystack; never in a normalised query
_FTS_FIELD = "\x01"  # the same in the FTS index (control characters are removed from queries)
_CONTROL = dict.fromkeys(range(32))  # str.translate table deleting control characters


def normalise(text: str) -> str:
    """Search form of a text: NFKC (full-width letters and digits from a Chinese input method
    become ASCII), lowercase, control characters removed."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return folded if folded.isprintable() else folded.translate(_CONTROL)


def normalise_query(query: str) -> list[str]:
    """The query's tokens; every token must occur in a matter's haystack."""
    return normalise(query).split()


@dataclasses.dataclass(frozen=True, slots=True)
class MatterHit:
    code: str
    name: str
    department_code: str
    department_name: str
    kind: str


@dataclasses.dataclass(frozen=True, slots=True)
class BundleHit:
    code: str
    name: str
    matter_count: int


@dataclasses.dataclass(frozen=True, slots=True)
class _Item:
    """What the index holds per matter: the hit to return and the haystack (the normalised
    fields, each after a NUL; the fields themselves are not kept twice)."""

    hit: MatterHit
    hay: str

    @classmethod
    def of(cls, hit: MatterHit, fields: tuple[str, ...]) -> _Item:
        return cls(hit, "".join(_FIELD + f for f in fields))

    @property
    def fields(self) -> tuple[str, ...]:
        """The normalised fields: code, name, department name, pinyin initials, full pinyin."""
        return tuple(self.hay.split(_FIELD)[1:])


def _trigrams(needle: str) -> list[str]:
    """Trigrams of `needle` (3 characters or more) that cover it: every third one and the
    last. An item holding the needle holds them all; one holding them all may not hold the
    needle (the caller checks its haystack)."""
    last = len(needle) - 3
    return [needle[i : i + 3] for i in (*range(0, last, 3), last)]


def _joined(parts: Iterable[str]) -> tuple[str, Sequence[int]]:
    """The parts joined into one string, and where each starts in it (an array of machine
    integers: a list would hold an int object per part)."""
    texts = list(parts)
    starts = array("q")
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text)
    return "".join(texts), starts


def _along(text: Any, starts: Sequence[int], needle: Any) -> Iterator[int]:
    """The positions of the parts of `text` (str or bytes; each part starting at `starts`)
    that hold `needle`, ascending: one `find` per hit, in C, jumping to the next part."""
    pos = 0
    last = len(starts) - 1
    while True:
        at = text.find(needle, pos)
        if at < 0:
            return
        i = bisect.bisect_right(starts, at) - 1
        # A needle that spans two parts (it cannot: each starts with NUL) would be a miss here;
        # the caller checks every hit against the item's own haystack anyway.
        pos = starts[i + 1] if i < last else len(text)
        yield i


class _Scanner:
    """Items in code order, searched without reading the catalogue per keystroke: a needle of
    3 characters or more (a field's start is NUL + the query: 3 from 2 typed) through an FTS5
    trigram index of the haystacks (an in-memory SQLite table, built in C once), walked in code
    order and stopped at `want` results; a shorter needle (1 or 2 characters, found in many
    matters) by `find` along the joined haystacks that can hold it, stopped the same way."""

    def __init__(self, items: list[_Item]) -> None:
        self.items = items
        self.hays = [item.hay for item in items]
        self.index_of = {hay.split(_FIELD, 2)[1]: i for i, hay in enumerate(self.hays)}
        # For needles of 1 or 2 characters: the haystacks joined, twice over. `narrow_bytes` is
        # every haystack as one byte per character (anything not ASCII as "?"), for ASCII
        # needles (codes, pinyin, digits); `wide` only the fields that hold other characters
        # (names, departments), for the rest. Each is a fraction of the catalogue's text.
        narrow, self.narrow_starts = _joined(self.hays)
        self.narrow_bytes = narrow.encode("ascii", "replace")
        del narrow  # as str it would be twice the bytes' size (the names make it UCS-2)
        self.wide, self.wide_starts = _joined(
            "".join(_FIELD + f for f in hay.split(_FIELD)[1:] if not f.isascii())
            for hay in self.hays
        )
        # The index holds the haystacks with NUL as \x01 (SQLite text stops at NUL). It keeps
        # which rows hold a trigram, not where (detail=none: half the size, a third of the
        # time to build); a needle is looked up as its trigrams, and every row found is
        # checked against its haystack anyway.
        self.fts = sqlite3.connect(":memory:", check_same_thread=False)
        self.fts.execute(
            "CREATE VIRTUAL TABLE hay USING fts5(t, tokenize='trigram case_sensitive 1',"
            " detail=none)"
        )
        self.fts.executemany(
            "INSERT INTO hay (rowid, t) VALUES (?, ?)",
            ((i, hay.replace(_FIELD, _FTS_FIELD)) for i, hay in enumerate(self.hays)),
        )
        self.examined = 0  # haystacks checked (tests read it)

    def matches(self, needle: str, skip: set[int], want: int) -> list[int]:
        """Positions of the first `want` items (in code order, not in `skip`) whose haystack
        contains `needle`."""
        return self.all_matches(needle, [], skip, want)

    def all_matches(self, needle: str, others: list[str], skip: set[int], want: int) -> list[int]:
        """Like `matches` for `needle`, keeping only items that also contain every one of
        `others`: one walk in code order that stops at `want` results."""
        found: list[int] = []
        if want <= 0:
            return found
        long = [t for t in (needle, *others) if len(t) >= 3]
        walk = self._indexed(long) if long else self._scanned(needle)
        hays = self.hays
        for i in walk:
            if i in skip:
                continue
            self.examined += 1
            hay = hays[i]
            if needle in hay and all(t in hay for t in others):
                found.append(i)
                if len(found) >= want:
                    break
        return found

    def _indexed(self, needles: list[str]) -> Iterator[int]:
        """Positions of the items holding every needle (3 characters or more), ascending."""
        trigrams = dict.fromkeys(t for n in needles for t in _trigrams(n))
        match = " AND ".join(
            '"' + t.replace(_FIELD, _FTS_FIELD).replace('"', '""') + '"' for t in trigrams
        )
        cursor = self.fts.execute(
            "SELECT rowid FROM hay WHERE hay MATCH ? ORDER BY rowid", (match,)
        )
        try:
            for (i,) in cursor:
                yield i
        finally:
            cursor.close()

    def _scanned(self, needle: str) -> Iterator[int]:
        """Positions of the items whose haystack holds `needle` (1 or 2 characters, or NUL and
        one), ascending, along the joined haystacks that can hold it."""
        if not needle.isascii():
            yield from _along(self.wide, self.wide_starts, needle)
        else:  # a "?" also finds what is not ASCII: the caller's check drops those
            yield from _along(self.narrow_bytes, self.narrow_starts, needle.encode("ascii"))

    def haystack(self, i: int) -> str:
        return self.hays[i]


class MatterIndex:
    """The catalogue's matters and bundles, ready for keystroke search."""

    def __init__(
        self,
        items: Iterable[_Item],
        bundles: Iterable[tuple[BundleHit, tuple[str, ...]]],
        departments: Iterable[tuple[str, str]],
    ) -> None:
        ordered = sorted(items, key=lambda item: item.hit.code)
        self._all = _Scanner(ordered)
        self._department_items: dict[str, list[_Item]] = {}
        for item in ordered:
            self._department_items.setdefault(item.hit.department_code, []).append(item)
        # A department's own index is built the first time the clerk filters by it.
        self._by_department: dict[str, _Scanner] = {}
        self._bundles = sorted(bundles, key=lambda b: b[0].code)
        self._departments = list(departments)

    @classmethod
    def load(cls, session: Session) -> MatterIndex:
        """Build the index from the current catalogue (once; rebuild after an import)."""
        rows = session.execute(
            select(
                Matter.code,
                Matter.name,
                Matter.department_code,
                Department.name,
                Matter.kind,
                Matter.pinyin_initials,
                Matter.pinyin_full,
            ).join(Department, Department.code == Matter.department_code)
        )
        dept_keys: dict[str, str] = {}
        # Each row brings its own copy of the department's code and name and of the kind: one
        # string each is kept for all the matters that share it.
        shared: dict[str, str] = {}
        one = shared.setdefault
        items = [
            _Item.of(
                MatterHit(
                    code,
                    name,
                    one(dept_code, dept_code),
                    one(dept_name, dept_name),
                    one(kind, kind),
                ),
                (
                    normalise(code),
                    normalise(name),
                    dept_keys.get(dept_name)
                    or dept_keys.setdefault(dept_name, normalise(dept_name)),
                    initials,
                    full,
                ),
            )
            for code, name, dept_code, dept_name, kind, initials, full in rows
        ]
        counts = dict(
            session.execute(
                select(BundleMatter.bundle_code, func.count()).group_by(BundleMatter.bundle_code)
            ).all()
        )
        bundles = [
            (
                BundleHit(code, name, counts.get(code, 0)),
                (normalise(code), normalise(name), initials, full),
            )
            for code, name, initials, full in session.execute(
                select(Bundle.code, Bundle.name, Bundle.pinyin_initials, Bundle.pinyin_full)
            )
        ]
        departments = [
            (code, name)
            for code, name in session.execute(
                select(Department.code, Department.name).order_by(Department.code)
            )
        ]
        return cls(items, bundles, departments)

    def __len__(self) -> int:
        return len(self._all.items)

    def departments(self) -> list[tuple[str, str]]:
        """(code, name) of every department, by code: for the department filter."""
        return list(self._departments)

    def search(self, query: str, department: str | None = None, limit: int = 50) -> list[MatterHit]:
        """Matters whose code, name, department name, pinyin initials or full pinyin contain
        the query (case-insensitive; several words must all occur). The exact code first, then
        matters with a field starting with the query, then the others; by code within each.
        An empty query lists the matters by code."""
        if department is None:
            scanner = self._all
        else:
            in_department = self._by_department.get(department)
            if in_department is None:
                rows = self._department_items.get(department)
                if rows is None:
                    return []
                in_department = self._by_department[department] = _Scanner(rows)
            scanner = in_department
        tokens = normalise_query(query)
        if limit <= 0:
            return []
        if not tokens:
            return [item.hit for item in scanner.items[:limit]]
        items = scanner.items
        if len(tokens) > 1:
            # first the matters with a field starting with the first token (all of them if
            # fewer than the limit), then the others, found by the longest token; both passes
            # stop at the limit instead of collecting every match
            first, rest = tokens[0], tokens[1:]
            matched = scanner.all_matches(_FIELD + first, rest, set(), limit)
            if len(matched) < limit:
                lead = max(tokens, key=len)
                others = [t for t in tokens if t is not lead]
                matched += scanner.all_matches(lead, others, set(matched), limit - len(matched))
            return [items[i].hit for i in matched[:limit]]
        q = tokens[0]
        exact = scanner.index_of.get(q)
        found = [] if exact is None else [exact]
        skip = set(found)
        found += scanner.matches(_FIELD + q, skip, limit - len(found))
        skip.update(found)
        found += scanner.matches(q, skip, limit - len(found))
        return [items[i].hit for i in found]

    def search_bundles(self, query: str, limit: int = 20) -> list[BundleHit]:
        """Bundles (一件事) whose code, name or pinyin contain the query, prefix matches
        first; an empty query lists them all."""
        tokens = normalise_query(query)
        if not tokens:
            return [b for b, _ in self._bundles[:limit]]
        matched: list[tuple[bool, BundleHit]] = []
        for hit, fields in self._bundles:
            if all(any(t in f for f in fields) for t in tokens):
                matched.append((not any(f.startswith(tokens[0]) for f in fields), hit))
        matched.sort(key=lambda m: (m[0], m[1].code))
        return [hit for _, hit in matched[:limit]]


def box_results(
    index: MatterIndex, query: str, department: str | None = None
) -> list[BundleHit | MatterHit]:
    """What the search box lists for a keystroke: bundles first (only without a department
    filter and for a non-empty query), then matters."""
    query = query.strip()
    bundles: list[BundleHit | MatterHit] = []
    if query and department is None:
        bundles += index.search_bundles(query)
    return bundles + list(index.search(query, department=department))
