"""The KPIs as tables (a title, column keys with their Chinese headings, rows of plain values):
what the manager's view shows, and what exports to CSV (column keys as the header, for
machines) and XLSX (the Chinese headings, for people)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.manager.definitions import kpi_name
from app.manager.kpi import HallKpis, Tally
from app.manager.staffing import advice

Value = str | int | float | None


@dataclass(frozen=True)
class KpiTable:
    key: str
    title: str
    columns: tuple[tuple[str, str], ...]  # (key, Chinese heading)
    rows: tuple[tuple[Value, ...], ...]

    @property
    def keys(self) -> list[str]:
        return [k for k, _ in self.columns]

    @property
    def headings(self) -> list[str]:
        return [h for _, h in self.columns]


def _min(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


TALLY_COLUMNS = (
    ("tickets", "取号数"),
    ("served", "办结数"),
    ("no_show", "过号数"),
    ("unserved", "未叫号数"),
    ("wait_mean_min", "平均等候（分钟）"),
    ("wait_p90_min", "等候90%分位（分钟）"),
    ("service_mean_min", "平均办理（分钟）"),
    ("over_target", "超时等候数"),
)


def _tally_values(t: Tally) -> tuple[Value, ...]:
    return (
        t.tickets,
        t.served,
        t.no_show,
        t.unserved,
        _min(t.wait_mean),
        _min(t.wait_p90),
        _min(t.service_mean),
        t.over_target,
    )


def windows_table(k: HallKpis, windows: Sequence[tuple[int, str]] = ()) -> KpiTable:
    """One row per window (every configured window, even one without tickets) and a row for
    the hall: the daily report's table."""
    by = {t.key: t for t in k.by_window}
    numbers = sorted({n for n, _ in windows} | {n for n in by if n is not None})
    names = dict(windows)
    rows: list[tuple[Value, ...]] = []
    for n in numbers:
        rows.append((n, names.get(n, ""), *_tally_values(by.get(n) or Tally(n))))
    if None in by:  # tickets called, then transferred, and not called again
        rows.append(("", "（转移后未再叫号）", *_tally_values(by[None])))
    rows.append(("hall", "全厅", *_tally_values(k.totals)))
    return KpiTable(
        "windows", "各窗口", (("window", "窗口"), ("name", "名称"), *TALLY_COLUMNS), tuple(rows)
    )


def _group_table(key: str, title: str, first: str, tallies: Sequence[Tally], names: dict[Any, str]) -> KpiTable:  # fmt: skip
    rows = tuple(
        (t.key if t.key is not None else "", names.get(t.key, ""), *_tally_values(t))
        for t in tallies
    )
    return KpiTable(key, title, ((key, first), ("name", "名称"), *TALLY_COLUMNS), rows)


def summary_table(k: HallKpis) -> KpiTable:
    t, g, r, v = k.totals, k.gaps, k.ratings, k.visits
    items: list[tuple[str, Value]] = [
        ("tickets", t.tickets),
        ("served", t.served),
        ("no_show", t.no_show),
        ("no_show_rate", _rate(t.no_show_rate)),
        ("unserved", t.unserved),
        ("wait_mean", _min(k.wait.mean)),
        ("wait_median", _min(k.wait.median)),
        ("wait_p90", _min(k.wait.p90)),
        ("walk_mean", _min(k.walk.mean)),
        ("service_mean", _min(k.service.mean)),
        ("service_median", _min(k.service.median)),
        ("service_p90", _min(k.service.p90)),
        ("over_target_share", _rate(k.over_target_share)),
        ("gap_cases", g.cases),
        ("gap_overdue", g.overdue),
        ("gap_open_overdue", g.open_overdue),
        ("ratings", r.count),
        ("rating_mean", None if r.mean is None else round(r.mean, 2)),
        ("bad_ratings", r.bad),
        ("follow_up_pending", r.follow_up_pending),
        ("applications", v.applications),
        ("visits_per_case", None if v.per_case is None else round(v.per_case, 2)),
        ("one_visit_rate", _rate(v.one_visit_rate)),
    ]
    rows = tuple((key, kpi_name(key), value) for key, value in items)
    return KpiTable(
        "summary", "指标", (("kpi", "指标代码"), ("name", "指标"), ("value", "数值")), rows
    )


def hours_table(k: HallKpis) -> KpiTable:
    per_hour = {a.hour: a for a in advice(k)}
    served = k.served_by_hour
    hours = sorted(set(per_hour) | set(served))
    days = max(1, k.working_days)
    rows = tuple(
        (
            f"{h:02d}:00",
            round(per_hour[h].arrivals, 1) if h in per_hour else 0,
            round(served.get(h, 0) / days, 1),
            round(per_hour[h].windows_open, 1) if h in per_hour else 0,
            per_hour[h].windows_needed if h in per_hour else 0,
        )
        for h in hours
    )
    return KpiTable(
        "hours",
        "各时段与窗口建议",
        (
            ("hour", "时段"),
            ("arrivals", "到达数（日均）"),
            ("served", "办结数（日均）"),
            ("windows_open", "开放窗口数"),
            ("windows_needed", "建议窗口数"),
        ),
        rows,
    )


def matters_table(k: HallKpis, limit: int = 50) -> KpiTable:
    rows = tuple((code, name, n) for code, name, n in k.by_matter[:limit])
    return KpiTable(
        "matters",
        "事项办件量",
        (("matter", "事项编码"), ("name", "事项"), ("tickets", "取号数")),
        rows,
    )


def all_tables(
    k: HallKpis,
    windows: Sequence[tuple[int, str]] = (),
    clerks: dict[Any, str] | None = None,
    lines: dict[Any, str] | None = None,
) -> list[KpiTable]:
    return [
        summary_table(k),
        windows_table(k, windows),
        _group_table("clerk", "各工作人员", "工号", k.by_clerk, clerks or {}),
        _group_table("line", "各业务类别", "业务类别", k.by_line, lines or {}),
        hours_table(k),
        matters_table(k),
    ]


def _writable(path: Path, write: Any) -> None:
    try:
        write()
    except OSError as exc:
        raise UserError("manager.out_file", path=str(path), error=str(exc.strerror or exc)) from exc


def write_csv(path: Path, table: KpiTable) -> None:
    def write() -> None:
        with path.open("w", newline="", encoding="utf-8-sig") as f:
            out = csv.writer(f)
            out.writerow(table.keys)
            out.writerows(["" if v is None else v for v in row] for row in table.rows)

    _writable(path, write)


def write_xlsx(path: Path, tables: Sequence[KpiTable], title: str = "") -> None:
    """Each table on its own sheet, the Chinese headings above the values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        if title:
            sheet.append([title])
        sheet.append(table.headings)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        for i, (_key, heading) in enumerate(table.columns):
            letter = sheet.cell(row=1, column=i + 1).column_letter
            sheet.column_dimensions[letter].width = max(10, len(heading) * 2 + 2)
    _writable(path, lambda: book.save(path))
