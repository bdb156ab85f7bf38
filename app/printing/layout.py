"""The A4 page every document shares: a header repeated on each page (hall, title, case number
as Code 128 and the query link as QR), a footer with 第 N 页 共 M 页, and styled building
blocks (paragraphs, tables, signature lines) that wrap Chinese text and split across pages."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib import textsplit as _textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _paragraph

from app.clock import HALL_TZ
from app.printing.codes import code128_modules, draw_code128, draw_qr
from app.printing.fonts import FONT, draw_text, fit_size, markup, register_fonts
from app.printing.model import DocumentMeta, HallInfo

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
TOP_MARGIN = 10 * mm
HEADER_HEIGHT = 36 * mm
FOOTER_HEIGHT = 16 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
QR_SIZE = 24 * mm
BARCODE_MAX_WIDTH = 56 * mm
BARCODE_MODULE = 0.33 * mm
# Narrower bars than this do not scan reliably from a 200 dpi image of the page.
BARCODE_MIN_MODULE = 0.25 * mm
BARCODE_ABSOLUTE_MAX_WIDTH = 80 * mm
BARCODE_HEIGHT = 11 * mm

# reportlab's CJK line breaking knows the Japanese punctuation that may not start a line but
# not the Chinese full-width comma, colon, semicolon, closing quote and book-title mark; without
# them a line of a notice can start with "，". Both of its splitters read a module global.
_NO_LINE_START = "，：；！？”’》〉』」】〗％·…"
for _module in (_paragraph, _textsplit):
    _module.ALL_CANNOT_START += "".join(
        c for c in _NO_LINE_START if c not in _module.ALL_CANNOT_START
    )


def local(dt: datetime) -> datetime:
    """The hall's local time (China Standard Time) of an aware timestamp."""
    return dt.astimezone(HALL_TZ) if dt.tzinfo is not None else dt


def format_datetime(dt: datetime) -> str:
    t = local(dt)
    return f"{t.year}年{t.month:02d}月{t.day:02d}日 {t.hour:02d}:{t.minute:02d}"


def format_date(d: date) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def barcode_module(case_no: str) -> float:
    """The bar module for the header: 0.33 mm, narrower for long numbers down to 0.25 mm,
    below that only when the symbol would otherwise crowd out the title."""
    modules = len(code128_modules(case_no))
    module = max(BARCODE_MIN_MODULE, min(BARCODE_MODULE, BARCODE_MAX_WIDTH / modules))
    return min(module, BARCODE_ABSOLUTE_MAX_WIDTH / modules)


def reprint_label(count: int) -> str:
    return f"补打（第{count}次）"


def _style(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=FONT, fontSize=size, leading=leading, wordWrap="CJK", **kw)


BODY = _style("body", 11, 18, firstLineIndent=22)
HEADING = _style("heading", 12, 16, spaceBefore=5, spaceAfter=3)
NORMAL = _style("normal", 10.5, 16)
SMALL = _style("small", 9, 13)
CELL = _style("cell", 9.5, 13)
CELL_CENTER = _style("cell_center", 9.5, 13, alignment=TA_CENTER)
CELL_HEAD = _style("cell_head", 9.5, 13, alignment=TA_CENTER)
SIGN = _style("sign", 10.5, 19, alignment=TA_LEFT)


def para(text: str, style: ParagraphStyle = NORMAL) -> Paragraph:
    return Paragraph(markup(text), style)


def heading(text: str) -> Paragraph:
    return para(text, HEADING)


def grid_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    centered: Sequence[int] = (),
) -> Table:
    """A ruled table whose header row repeats on each page it spans; cells wrap."""
    data: list[list[Flowable]] = [[para(h, CELL_HEAD) for h in header]]
    for row in rows:
        data.append([para(v, CELL_CENTER if i in centered else CELL) for i, v in enumerate(row)])
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def field_table(pairs: Sequence[tuple[str, str]]) -> Table:
    """Label/value pairs two to a row (a pair with a long value takes a whole row)."""
    label_w, value_w = 32 * mm, BODY_WIDTH / 2 - 32 * mm
    rows: list[list[Flowable | str]] = []
    spans: list[tuple[Any, ...]] = []
    pending: list[tuple[str, str]] = []

    def flush() -> None:
        row: list[Flowable | str] = []
        for label, value in pending:
            row += [para(label, CELL_CENTER), para(value, CELL)]
        while len(row) < 4:
            row.append("")
        if len(pending) == 1:
            r = len(rows)
            spans.extend([("SPAN", (1, r), (3, r)), ("BACKGROUND", (1, r), (3, r), colors.white)])
        rows.append(row)
        pending.clear()

    for label, value in pairs:
        if len(value) > 18:
            if pending:
                flush()
            pending.append((label, value))
            flush()
            continue
        pending.append((label, value))
        if len(pending) == 2:
            flush()
    if pending:
        flush()
    table = Table(rows, colWidths=[label_w, value_w, label_w, value_w], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.94, 0.94, 0.94)),
                ("BACKGROUND", (2, 0), (2, -1), colors.Color(0.94, 0.94, 0.94)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                *spans,
            ]
        )
    )
    return table


def signature_block(left: Sequence[str], right: Sequence[str]) -> KeepTogether:
    """Two columns of signature/seal lines, kept together on one page."""
    rows = max(len(left), len(right))
    data = [
        [
            para(left[i], SIGN) if i < len(left) else "",
            para(right[i], SIGN) if i < len(right) else "",
        ]
        for i in range(rows)
    ]
    table = Table(data, colWidths=[BODY_WIDTH / 2, BODY_WIDTH / 2], hAlign="LEFT")
    table.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")])
    )
    return KeepTogether([Spacer(1, 5 * mm), table])


@dataclasses.dataclass(frozen=True)
class PageHeader:
    title: str
    hall: HallInfo
    meta: DocumentMeta
    #: the QR's link and caption when not the case's progress (a notice: what to bring)
    qr_url: str = ""
    qr_caption: str = ""


def _draw_header(header: PageHeader, section: str, canvas: Canvas, doc: object) -> None:
    meta, hall = header.meta, header.hall
    top = PAGE_HEIGHT - TOP_MARGIN
    canvas.saveState()
    canvas.setFillColor(colors.black)
    # Left: the case number as Code 128, its text under the bars.
    module = barcode_module(meta.case_no)
    bars = draw_code128(
        canvas, MARGIN_X, top - BARCODE_HEIGHT, meta.case_no, module, BARCODE_HEIGHT
    )
    draw_text(canvas, MARGIN_X, top - BARCODE_HEIGHT - 4 * mm, f"办件编号 {meta.case_no}", 8.5)
    # Right: the query link as QR.
    qr_x = PAGE_WIDTH - MARGIN_X - QR_SIZE
    qr_url = header.qr_url or hall.query_url(meta.case_no)
    caption = header.qr_caption or "扫码查询办理进度"
    draw_qr(canvas, qr_x, top - QR_SIZE, qr_url, QR_SIZE)
    draw_text(canvas, qr_x + QR_SIZE / 2, top - QR_SIZE - 3 * mm, caption, 7.5, "center")
    # Centre: hall and title, between the codes.
    left = MARGIN_X + max(bars, BARCODE_MAX_WIDTH) + 4 * mm
    centre_width = qr_x - 4 * mm - left
    centre_x = left + centre_width / 2
    draw_text(
        canvas, centre_x, top - 5 * mm, hall.name, fit_size(hall.name, centre_width, 11), "center"
    )
    draw_text(
        canvas,
        centre_x,
        top - 15 * mm,
        header.title,
        fit_size(header.title, centre_width, 20),
        "center",
    )
    if section:
        draw_text(canvas, centre_x, top - 21 * mm, f"（{section}）", 10, "center")
    # The document line: number, window and clerk; a reprint stamp in the middle.
    line_y = top - 31 * mm
    draw_text(canvas, MARGIN_X, line_y, f"文书编号：{meta.doc_no}", 9.5)
    draw_text(
        canvas,
        PAGE_WIDTH - MARGIN_X,
        line_y,
        f"{meta.window_number}号窗口　经办人：{meta.clerk_name}",
        9.5,
        "right",
    )
    if meta.reprint_count:
        _draw_stamp(canvas, PAGE_WIDTH / 2 + 6 * mm, line_y, reprint_label(meta.reprint_count))
    canvas.setLineWidth(1.2)
    canvas.line(MARGIN_X, line_y - 3 * mm, PAGE_WIDTH - MARGIN_X, line_y - 3 * mm)
    canvas.restoreState()
    canvas._ow_section = section  # read by the numbered canvas


def _draw_stamp(canvas: Canvas, cx: float, baseline: float, text: str) -> None:
    """A boxed mark such as 补打（第1次）, centred at cx."""
    size = 10.5
    width = draw_text(canvas, cx, baseline, text, size, "center")
    canvas.setLineWidth(1)
    canvas.roundRect(
        cx - width / 2 - 2 * mm,
        baseline - 1.6 * mm,
        width + 4 * mm,
        size + 1.2 * mm,
        1.2 * mm,
        stroke=1,
        fill=0,
    )


def _draw_footer(header: PageHeader, canvas: Canvas, page: int, pages: int) -> None:
    meta = header.meta
    y = FOOTER_HEIGHT - 8 * mm
    canvas.saveState()
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, FOOTER_HEIGHT - 3 * mm, PAGE_WIDTH - MARGIN_X, FOOTER_HEIGHT - 3 * mm)
    draw_text(canvas, MARGIN_X, y, f"文书编号 {meta.doc_no}", 8.5)
    draw_text(canvas, PAGE_WIDTH / 2, y, f"第 {page} 页 共 {pages} 页", 9, "center")
    printed = f"打印时间 {format_datetime(meta.printed_at)}"
    if meta.reprint_count:
        printed = f"{reprint_label(meta.reprint_count)}　{printed}"
    draw_text(canvas, PAGE_WIDTH - MARGIN_X, y, printed, 8.5, "right")
    canvas.restoreState()


def _numbered_canvas(header: PageHeader) -> Callable[..., Canvas]:
    """A canvas that holds its pages back until the end, so each footer can say how many pages
    its copy (section) has."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._ow_pages: list[dict[str, Any]] = []
            self._ow_section = ""

        def showPage(self) -> None:
            self._ow_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            totals: dict[str, int] = {}
            for state in self._ow_pages:
                totals[state["_ow_section"]] = totals.get(state["_ow_section"], 0) + 1
            seen: dict[str, int] = {}
            for state in self._ow_pages:
                self.__dict__.update(state)
                section = state["_ow_section"]
                seen[section] = seen.get(section, 0) + 1
                _draw_footer(header, self, seen[section], totals[section])
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def build_a4(
    header: PageHeader,
    make_story: Callable[[], list[Flowable]],
    sections: Sequence[str] = ("",),
    subject: str = "",
) -> bytes:
    """Lay out the story once per section (a copy, e.g. 申请人留存), each starting on a new
    page with its own page count, and return the PDF."""
    register_fonts()
    buf = io.BytesIO()
    frame = Frame(
        MARGIN_X,
        FOOTER_HEIGHT,
        BODY_WIDTH,
        PAGE_HEIGHT - TOP_MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    templates = []
    for i, section in enumerate(sections):
        templates.append(
            PageTemplate(
                id=f"section{i}",
                frames=[frame],
                onPageEnd=lambda c, d, s=section: _draw_header(header, s, c, d),
            )
        )
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        pageTemplates=templates,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=TOP_MARGIN + HEADER_HEIGHT,
        bottomMargin=FOOTER_HEIGHT,
        title=header.title,
        author=header.hall.name,
        subject=subject or header.title,
        creator="OneWindow 一窗受理工作台",
        initialFontName=FONT,
        invariant=1,
    )
    story: list[Flowable] = []
    for i in range(len(sections)):
        if i:
            story += [NextPageTemplate(f"section{i}"), PageBreak()]
        story += make_story()
    doc.build(story, canvasmaker=_numbered_canvas(header))
    return buf.getvalue()
