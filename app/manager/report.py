"""The daily report: `python -m app report --day 2026-11-26 --out report.pdf [--format
pdf|csv|xlsx]` on the desk's data. CSV: one row per window and a row for the hall; XLSX: every
KPI table, one sheet each; PDF: the day's figures, the tables and charts drawn with
reportlab.graphics, in the embedded Chinese font."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.manager.kpi import HallKpis, compute
from app.manager.period import Period
from app.manager.tables import KpiTable, all_tables, windows_table, write_csv, write_xlsx

if TYPE_CHECKING:
    import ssl

    from app.sync.client import CentralRefused

FORMATS = ("pdf", "csv", "xlsx")


@dataclass(frozen=True)
class HallNames:
    hall: str
    windows: list[tuple[int, str]]
    clerks: dict[Any, str]
    lines: dict[Any, str]


def hall_names(s: Session) -> HallNames:
    from db.models.hall import Clerk, Hall, Line, Window

    hall = s.get(Hall, 1)
    return HallNames(
        hall.name if hall else "",
        [(n, name) for n, name in s.execute(select(Window.number, Window.name).order_by(Window.number))],
        {i: n for i, n in s.execute(select(Clerk.id, Clerk.name))},
        {c: n for c, n in s.execute(select(Line.code, Line.name))},
    )  # fmt: skip


def kpis_and_names(s: Session, period: Period) -> tuple[HallKpis, HallNames]:
    """The period's KPIs with the names of the hall's windows, clerks and lines."""
    from app.manager.rollup import compute_stored

    return compute_stored(s, period), hall_names(s)


def format_of(out: Path, given: str | None) -> str:
    fmt = (given or out.suffix.lstrip(".") or "pdf").lower()
    if fmt not in FORMATS:
        raise UserError("manager.bad_format", format=fmt)
    return fmt


def write_report(out: Path, fmt: str, k: HallKpis, names: HallNames) -> None:
    if fmt == "csv":
        write_csv(out, windows_table(k, names.windows))
        return
    tables = all_tables(k, names.windows, names.clerks, names.lines)
    if fmt == "xlsx":
        write_xlsx(out, tables, title=_title(k, names))
        return
    pdf = daily_pdf(k, names, tables)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise UserError("manager.out_file", path=str(out), error=str(exc.strerror or exc)) from exc


def _title(k: HallKpis, names: HallNames) -> str:
    p = k.period
    when = f"{p.start}" if p.start == p.end else f"{p.start} 至 {p.end}"
    return f"{names.hall} 运行日报 {when}"


def refusal(exc: CentralRefused) -> UserError:
    """What the manager is told when the store answers no. A 409 is not a refusal: the store
    is still preparing the hall's figures (a mirror catching up) and says so in its detail."""
    if exc.status == 409:
        return UserError("manager.central_preparing", detail=exc.detail)
    return UserError("manager.central_refused", detail=str(exc))


def central_kpis(
    url: str, token: str, period: Period, *, verify: ssl.SSLContext | bool = True
) -> tuple[HallKpis, HallNames]:
    """The whole hall's KPIs from the central store (app.central.kpi): its parts, turned into
    the KPIs here by the same code as the desk's. `verify`: the TLS trust (the hall's CA)."""
    from app.manager.kpi import Gaps, finish
    from app.manager.parts import Parts
    from app.sync.client import CentralClient, CentralRefused, CentralUnreachable

    client = CentralClient(url, token, attempts=2, wait_max_s=0.5, verify=verify)
    try:
        data = client.hall_kpi(period.start.isoformat(), period.end.isoformat())
    except CentralUnreachable as exc:
        raise UserError("manager.central_unreachable", url=url, error=str(exc)) from exc
    except CentralRefused as exc:
        raise refusal(exc) from exc
    finally:
        client.close()
    visits = {(int(v), int(st)): int(n) for v, st, n in data["visits"]}
    k = finish(
        period, int(data["target_wait_min"]), Parts.from_json(data["parts"]), visits,
        Gaps(*(int(x) for x in data["gaps"])),
    )  # fmt: skip
    names = data["names"]
    return k, HallNames(
        str(names["hall"]),
        [(int(n), str(name)) for n, name in names["windows"]],
        {c: str(name) for c, name in names["clerks"]},
        {c: str(name) for c, name in names["lines"]},
    )


def cmd_report(args: Any) -> int:
    """The `report` command: the desk's data, or with `--central URL --token T` the whole
    hall's from the central store."""
    from app.manager.period import parse_day
    from app.startup import open_store

    day = parse_day(args.day)
    out = Path(args.out)
    fmt = format_of(out, args.format)
    if args.central:
        if not args.token:
            raise UserError("manager.central_token")
        k, names = central_kpis(args.central, args.token, Period.day(day))
        write_report(out, fmt, k, names)
        print(out)
        return 0
    database = open_store(args.data_dir)
    try:
        from app.accounts import MANAGER_ROLES
        from app.accounts_cli import authorise

        # The hall's figures are a manager's: --user ID, the credential from the terminal/stdin.
        authorise(database, getattr(args, "user", None), MANAGER_ROLES)
        with database.read() as s:
            k = compute(s, Period.day(day))
            names = hall_names(s)
    finally:
        database.close()
    write_report(out, fmt, k, names)
    print(out)
    return 0


# --- the PDF ------------------------------------------------------------------------------


def _bar_chart(title: str, labels: list[str], series: list[list[float]], legend: list[str]) -> Any:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    from app.printing.fonts import FONT

    d = Drawing(480, 190)
    d.add(String(0, 175, title, fontName=FONT, fontSize=10))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 35, 25, 430, 140
    chart.data = series or [[0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    palette = (colors.HexColor("#3b6ea5"), colors.HexColor("#e0823d"))
    for i in range(len(chart.data)):
        chart.bars[i].fillColor = palette[i % 2]
    d.add(chart)
    if len(legend) > 1:
        lg = Legend()
        lg.x, lg.y = 330, 182
        lg.fontName, lg.fontSize = FONT, 8
        lg.columnMaximum, lg.deltax = 1, 70
        lg.alignment = "right"
        lg.colorNamePairs = list(zip(palette, legend, strict=False))
        d.add(lg)
    return d


def charts(k: HallKpis) -> list[Any]:
    hours = sorted({t.key for t in k.by_hour if t.key is not None} | set(k.served_by_hour))
    arrivals = {t.key: t.tickets for t in k.by_hour}
    per_hour = _bar_chart(
        "每小时到达与办结",
        [f"{h}时" for h in hours],
        [[arrivals.get(h, 0) for h in hours], [k.served_by_hour.get(h, 0) for h in hours]],
        ["到达", "办结"],
    )
    bins = k.wait_bins
    waits = _bar_chart(
        "等候时长分布（分钟）",
        [f"{s // 60}+" if i == len(bins) - 1 else f"{s // 60}-{s // 60 + 5}" for i, (s, _n) in enumerate(bins)],
        [[n for _s, n in bins]],
        ["取号数"],
    )  # fmt: skip
    windows = [t for t in k.by_window if t.key is not None]
    per_window = _bar_chart(
        "各窗口办结数与平均等候（分钟）",
        [str(t.key) for t in windows],
        [[t.served for t in windows], [round((t.wait_mean or 0) / 60, 1) for t in windows]],
        ["办结", "平均等候"],
    )
    return [per_hour, waits, per_window]


def daily_pdf(k: HallKpis, names: HallNames, tables: list[KpiTable]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from app.printing.fonts import FONT, markup, register_fonts

    register_fonts()
    title_style = ParagraphStyle("t", fontName=FONT, fontSize=15, leading=20, spaceAfter=6)
    head = ParagraphStyle("h", fontName=FONT, fontSize=11, leading=15, spaceBefore=8)
    cell = ParagraphStyle("c", fontName=FONT, fontSize=7.5, leading=9)
    story: list[Any] = [Paragraph(markup(_title(k, names)), title_style)]
    story.append(Paragraph(markup(f"等候目标 {k.target_wait_min} 分钟"), cell))
    for table in tables:
        if table.key in ("matters",):
            continue
        story.append(Paragraph(markup(table.title), head))
        data = [[Paragraph(markup(h), cell) for h in table.headings]]
        data += [
            [Paragraph(markup("" if v is None else str(v)), cell) for v in row]
            for row in table.rows
        ]
        t = Table(data, repeatRows=1, hAlign="LEFT")
        t.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))  # fmt: skip
        story.append(t)
        if table.key == "summary":
            story.extend([Spacer(1, 4 * mm), *charts(k)])
    buf = BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
        bottomMargin=15 * mm, title=_title(k, names), author="OneWindow",
    )  # fmt: skip
    doc.build(story)
    return buf.getvalue()
