"""What the KPIs of a stretch of days are made of: sums and counts that add up across stretches
(tallies per window, clerk, line and hour; histograms of durations; matters; ratings; the
applications' visits). Computed by SQL for a stretch (app.manager.kpi.ticket_parts), added
together, and turned into the KPIs at the end; a closed month's parts are kept as JSON
(app.manager.rollup) so that a year is the sum of twelve stored months, not 700,000 rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

#: The tally dimensions; the values of "window" and "hour" are whole numbers (or None).
DIMS = ("window", "clerk", "line", "hour")
#: tickets, served, no_show, unserved, over_target, wait_sum, wait_n, service_sum, service_n
TALLY_WIDTH = 9


def _counts() -> defaultdict[int, int]:
    return defaultdict(int)


@dataclass
class Parts:
    tallies: dict[str, dict[Any, list[int]]] = field(default_factory=lambda: {d: {} for d in DIMS})
    wait_by_window: dict[Any, dict[int, int]] = field(default_factory=lambda: defaultdict(_counts))
    wait: dict[int, int] = field(default_factory=_counts)
    walk: dict[int, int] = field(default_factory=_counts)
    service: dict[int, int] = field(default_factory=_counts)
    served_by_hour: dict[int, int] = field(default_factory=_counts)
    open_by_hour: dict[int, int] = field(default_factory=_counts)  # windows open, summed over days
    days: int = 0  # days on which a ticket was called
    matters: dict[str, list[Any]] = field(default_factory=dict)  # code -> [name, tickets]
    ratings: dict[int, list[int]] = field(default_factory=dict)  # rating -> [count, follow-up]

    def add_tally(self, dim: str, key: Any, values: list[int]) -> None:
        row = self.tallies[dim].setdefault(key, [0] * TALLY_WIDTH)
        for i, v in enumerate(values):
            row[i] += int(v)

    def merge(self, other: Parts) -> None:
        for dim in DIMS:
            for key, values in other.tallies[dim].items():
                self.add_tally(dim, key, values)
        for window, hist in other.wait_by_window.items():
            mine = self.wait_by_window.setdefault(window, defaultdict(int))
            for v, n in hist.items():
                mine[v] = mine.get(v, 0) + n
        for name in ("wait", "walk", "service", "served_by_hour", "open_by_hour"):
            mine, theirs = getattr(self, name), getattr(other, name)
            for v, n in theirs.items():
                mine[v] = mine.get(v, 0) + n
        self.days += other.days
        for code, (name, n) in other.matters.items():
            self.matters.setdefault(code, [name, 0])[1] += n
        for rating, (n, follow) in other.ratings.items():
            row = self.ratings.setdefault(rating, [0, 0])
            row[0] += n
            row[1] += follow

    # --- JSON ----------------------------------------------------------------------------

    def coarse(self, width_s: int = 60) -> Parts:
        """The same parts with each window's waits counted by `width_s` (a stored month need
        not keep every second of every window's waits); the hall's own histograms stay exact."""
        out = Parts(
            self.tallies, defaultdict(_counts), self.wait, self.walk, self.service,
            self.served_by_hour, self.open_by_hour, self.days, self.matters, self.ratings,
        )  # fmt: skip
        for window, hist in self.wait_by_window.items():
            for v, n in hist.items():
                out.wait_by_window[window][v // width_s * width_s] += n
        return out

    def to_json(self) -> dict[str, Any]:
        """Keys that are numbers travel as [key, value] pairs (JSON keys are text); histograms
        as [keys, counts], two flat lists (a year's twelve months decode twice as fast)."""

        def pairs(d: dict[Any, Any]) -> list[list[Any]]:
            return [[k, v] for k, v in d.items()]

        def flat(d: dict[int, int]) -> list[list[int]]:
            return [list(d), list(d.values())]

        return {
            "tallies": {dim: pairs(self.tallies[dim]) for dim in DIMS},
            "wait_by_window": [[w, flat(h)] for w, h in self.wait_by_window.items()],
            **{
                name: flat(getattr(self, name))
                for name in ("wait", "walk", "service", "served_by_hour", "open_by_hour")
            },
            "days": self.days,
            "matters": self.matters,
            "ratings": pairs(self.ratings),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Parts:
        parts = cls()
        for dim in DIMS:
            parts.tallies[dim] = {k: list(v) for k, v in data["tallies"][dim]}
        for w, (keys, counts) in data["wait_by_window"]:
            parts.wait_by_window[w] = defaultdict(int, zip(keys, counts, strict=True))
        for name in ("wait", "walk", "service", "served_by_hour", "open_by_hour"):
            keys, counts = data[name]
            setattr(parts, name, defaultdict(int, zip(keys, counts, strict=True)))
        parts.days = int(data["days"])
        parts.matters = {c: list(v) for c, v in data["matters"].items()}
        parts.ratings = {k: list(v) for k, v in data["ratings"]}
        return parts
