"""The A4 page every document shares: a header repeated on each page (the issuing organ, the
title, the 文号, the case number as Code 128 and the query link as QR, the hall as the place of
acceptance), a footer with 第 N 页 共 M 页, and styled building blocks (paragraphs, tables,
the applicant's signature beside the organ's name under the seal's place) that wrap Chinese
text by the rules of 禁则 (kinsoku) and split across pages.

A paper is printed in two copies (联): 第一联 for the applicant, 第二联 for the file, each
starting on a new page with its own page count; the file's copy has a 28 mm binding margin
(装订线) on the left. Dates follow GB/T 9704: 2026年12月1日, no leading zeros."""

from __future__ import annotations

import dataclasses
import io
import zlib
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _paragraph

from app.clock import HALL_TZ
from app.printing.codes import code128_modules, draw_code128, draw_qr
from app.printing.fonts import (
    FONT,
    draw_text,
    draw_title,
    fit_size,
    markup,
    register_fonts,
    string_width,
)
from app.printing.linebreak import NO_LINE_END as NO_LINE_END
from app.printing.linebreak import NO_LINE_START as NO_LINE_START
from app.printing.linebreak import break_point as break_point
from app.printing.model import DocumentMeta, HallInfo, Issuer

PAGE_WIDTH, PAGE_HEIGHT = A4
BODY_WIDTH = 170 * mm
#: The applicant's copy sits in the middle of the page (20 mm each side)...
MARGIN_X = (PAGE_WIDTH - BODY_WIDTH) / 2
#: ...the file's copy leaves room on the left to bind it (GB/T 9704: 订口 28 mm).
BINDING_MARGIN = 28 * mm
APPLICANT_COPY = "第一联 申请人留存"
ARCHIVE_COPY = "第二联 存档"
TWO_COPIES = (APPLICANT_COPY, ARCHIVE_COPY)
TOP_MARGIN = 10 * mm
HEADER_HEIGHT = 36 * mm
FOOTER_HEIGHT = 16 * mm
SEAL_DIAMETER = 28 * mm
QR_SIZE = 24 * mm
BARCODE_MAX_WIDTH = 56 * mm
BARCODE_MODULE = 0.33 * mm
# Narrower bars than this do not scan reliably from a 200 dpi image of the page.
BARCODE_MIN_MODULE = 0.25 * mm
BARCODE_ABSOLUTE_MAX_WIDTH = 80 * mm
BARCODE_HEIGHT = 11 * mm


#: Deflate level of the PDF's streams (pages, forms, font subsets). zlib's default (6) spends
#: about twice as long as level 1 on a receipt's streams for files 7% smaller.
DEFLATE_LEVEL = 1


def _deflate(self: Any, text: str | bytes) -> bytes:
    """reportlab's Flate filter (pdfdoc.PDFStreamFilterZCompress.encode) at DEFLATE_LEVEL."""
    data = text.encode("utf8") if isinstance(text, str) else text
    return zlib.compress(data, DEFLATE_LEVEL)


pdfdoc.PDFStreamFilterZCompress.encode = _deflate


def local(dt: datetime) -> datetime:
    """The hall's local time (China Standard Time) of an aware timestamp."""
    return dt.astimezone(HALL_TZ) if dt.tzinfo is not None else dt


def format_datetime(dt: datetime) -> str:
    t = local(dt)
    return f"{format_date(t.date())} {t.hour:02d}:{t.minute:02d}"


def format_date(d: date) -> str:
    """GB/T 9704: 2026年12月1日 (no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


def pdf_date(dt: datetime) -> str:
    """The PDF date string of `dt` in the hall's time: D:20261201093000+08'00'."""
    t = local(dt)
    offset = t.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"D:{t:%Y%m%d%H%M%S}{sign}{hours:02d}'{mins:02d}'"


def stamp_creation_date(canvas: Canvas, when: datetime) -> None:
    """The PDF's creation (and modification) date is `when`, the time it was made — not the
    fixed date reportlab writes in invariant mode (kept for stable object ids)."""
    canvas.setDateFormatter(lambda *_ymdhms: pdf_date(when))


def left_margin(section: str) -> float:
    """The left margin of a copy: the binding margin on every copy but the applicant's."""
    return MARGIN_X if section in ("", APPLICANT_COPY) else BINDING_MARGIN


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
HEADING = _style("heading", 12, 16, spaceBefore=5, spaceAfter=3, keepWithNext=1)
NORMAL = _style("normal", 10.5, 16)
SMALL = _style("small", 9, 13)
CELL = _style("cell", 9.5, 13)
CELL_CENTER = _style("cell_center", 9.5, 13, alignment=TA_CENTER)
CELL_HEAD = _style("cell_head", 9.5, 13, alignment=TA_CENTER)
SIGN = _style("sign", 10.5, 16, alignment=TA_LEFT)


#: Per paragraph style, the fragment reportlab's markup parser makes of plain text in it.
_plain_frags: dict[int, tuple[ParagraphStyle, Any]] = {}


def _plain_frag(style: ParagraphStyle) -> Any:
    entry = _plain_frags.get(id(style))
    if entry is None or entry[0] is not style:
        parsed = Paragraph("x", style)
        entry = _plain_frags[id(style)] = (style, parsed.frags[0])
    return entry[1]


def para(text: str, style: ParagraphStyle = NORMAL) -> Paragraph:
    """A paragraph of `text` (not markup) in `style`. Text without markup to parse (one
    font, nothing to escape) skips reportlab's parser: its one fragment is the parser's
    fragment for the style with this text."""
    marked = markup(text)
    cleaned = _paragraph.cleanBlockQuotedText(marked)
    if not cleaned or "<" in cleaned or "&" in cleaned or style.textTransform:
        return Paragraph(marked, style)
    frag = _plain_frag(style).clone(text=cleaned, link=[], us_lines=[])
    return Paragraph(cleaned, style, frags=[frag])


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


def issuer_of(meta: DocumentMeta, hall: HallInfo) -> Issuer:
    """The organ the paper is issued by; a paper made without one (a test's) names the hall."""
    return meta.issuer or Issuer((hall.name,), "", local(meta.printed_at).date())


class SealPlace(Flowable):
    """The issuing organ's name with the place of its seal over it — a dashed circle marked
    （印章）, pressing on the name and the date, as GB/T 9704 sets a seal — and the date below.
    Several organs (a bundle's) sign two to a row, each under its own seal; the date comes
    once, under the last row."""

    PER_ROW = 2
    ROW_HEIGHT = 24 * mm
    #: Later rows need no room for the date under them.
    NEXT_ROW_HEIGHT = 19 * mm

    def __init__(self, issuer: Issuer, width: float) -> None:
        super().__init__()
        self.issuer, self.width = issuer, width
        self.name_size = 12.0
        rows = -(-len(issuer.organs) // self.PER_ROW)
        self.height = self.ROW_HEIGHT + (rows - 1) * self.NEXT_ROW_HEIGHT

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas, organs = self.canv, self.issuer.organs
        per_row = min(len(organs), self.PER_ROW)
        slot = self.width / per_row
        radius = min(SEAL_DIAMETER / 2, slot / 2 - 1 * mm)
        canvas.saveState()
        for i, organ in enumerate(organs):
            row, col = divmod(i, self.PER_ROW)
            in_row = min(self.PER_ROW, len(organs) - row * self.PER_ROW)
            cx = self.width / 2 + (col - (in_row - 1) / 2) * slot
            # GB/T 9704: the seal presses on the name and the date, which sit below its centre.
            centre_y = self.height - 12 * mm - row * self.NEXT_ROW_HEIGHT
            canvas.setStrokeGray(0.55)
            canvas.setFillGray(0.55)
            canvas.setLineWidth(0.8)
            canvas.setDash(3, 2)
            canvas.circle(cx, centre_y, radius, stroke=1, fill=0)
            canvas.setDash()
            draw_text(canvas, cx, centre_y + radius * 0.55, "（印章）", 8, "center")
            canvas.setFillGray(0)
            size = fit_size(organ, slot - 2 * mm, self.name_size)
            draw_text(canvas, cx, centre_y - 4 * mm, organ, size, "center")
        draw_text(
            canvas,
            self.width / 2,
            2 * mm,
            format_date(self.issuer.issued_on),
            self.name_size,
            "center",
        )
        canvas.restoreState()


def sign_and_seal(
    meta: DocumentMeta,
    hall: HallInfo,
    applicant: Sequence[str],
    staff: Sequence[str] = (),
) -> KeepTogether:
    """The foot of a paper, kept on one page: the applicant's lines to sign and date, then the
    clerk's, on the left; the issuing organ's name under the seal's place, with the date of
    issue, on the right."""
    half = BODY_WIDTH / 2
    left: list[Flowable] = [para(line, SIGN) for line in (*applicant, *staff)]
    right: list[Flowable] = [SealPlace(issuer_of(meta, hall), half - 6)]
    table = Table([[left, right]], colWidths=[half, half], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether([Spacer(1, 3 * mm), table])


@dataclasses.dataclass(frozen=True)
class PageHeader:
    title: str
    hall: HallInfo
    meta: DocumentMeta
    #: the QR's link and caption when not the case's progress (a notice: what to bring)
    qr_url: str = ""
    qr_caption: str = ""


def _draw_header(header: PageHeader, canvas: Canvas, x0: float = MARGIN_X) -> float:
    """The page header every page of every copy shares, the body's left edge at x0: all but
    the copy's label line (`_draw_copy_line`) and binding line. Returns the x of the centre
    column, where the label goes."""
    meta, hall = header.meta, header.hall
    issuer = issuer_of(meta, hall)
    x1 = x0 + BODY_WIDTH
    top = PAGE_HEIGHT - TOP_MARGIN
    canvas.saveState()
    canvas.setFillColor(colors.black)
    # Left: the case number as Code 128, its text under the bars.
    module = barcode_module(meta.case_no)
    bars = draw_code128(canvas, x0, top - BARCODE_HEIGHT, meta.case_no, module, BARCODE_HEIGHT)
    draw_text(canvas, x0, top - BARCODE_HEIGHT - 4 * mm, f"办件编号 {meta.case_no}", 8.5)
    # Right: the query link as QR.
    qr_x = x1 - QR_SIZE
    qr_url = header.qr_url or hall.query_url(meta.case_no)
    caption = header.qr_caption or "扫码查询办理进度"
    draw_qr(canvas, qr_x, top - QR_SIZE, qr_url, QR_SIZE)
    # Centred under the code, but never past the body's right edge (a longer caption).
    caption_x = min(qr_x + QR_SIZE / 2, x1 - string_width(caption, 7.5) / 2)
    draw_text(canvas, caption_x, top - QR_SIZE - 3 * mm, caption, 7.5, "center")
    # Centre, between the codes: the issuing organ, the title, the 文号 and the copy.
    left = x0 + max(bars, BARCODE_MAX_WIDTH) + 4 * mm
    centre_width = qr_x - 4 * mm - left
    centre_x = left + centre_width / 2
    _draw_organs(canvas, centre_x, top - 5 * mm, issuer.organs, centre_width)
    draw_title(
        canvas, centre_x, top - 14 * mm, header.title, fit_size(header.title, centre_width, 20)
    )
    if issuer.file_no:
        draw_text(canvas, centre_x, top - 20 * mm, issuer.file_no, 10.5, "center")
    # The document line: its number; the hall as the place of acceptance, window and clerk.
    line_y = top - 31 * mm
    number = f"文书编号：{meta.doc_no}"
    number_width = draw_text(canvas, x0, line_y, number, 9.5)
    place = f"受理地点：{hall.name}{meta.window_number}号窗口　窗口工作人员：{meta.clerk_name}"
    place_size = fit_size(place, BODY_WIDTH - number_width - 4 * mm, 9.5)
    draw_text(canvas, x1, line_y, place, place_size, "right")
    canvas.setLineWidth(1.2)
    canvas.line(x0, line_y - 3 * mm, x1, line_y - 3 * mm)
    canvas.restoreState()
    return centre_x


def _draw_copy_marks(header: PageHeader, section: str, canvas: Canvas, centre_x: float) -> None:
    """What sets a copy's page apart: its label (and a reprint's 补打 mark) in the header's
    centre column at centre_x, and on a copy for the file the binding line."""
    label = f"（{section}）" if section else ""
    count = header.meta.reprint_count
    stamp = reprint_label(count) if count else ""
    canvas.saveState()
    canvas.setFillColor(colors.black)
    _draw_copy_line(canvas, centre_x, PAGE_HEIGHT - TOP_MARGIN - 25.5 * mm, label, stamp)
    if left_margin(section) != MARGIN_X:
        _draw_binding_line(canvas)
    canvas.restoreState()


def _draw_organs(
    canvas: Canvas, cx: float, baseline: float, organs: Sequence[str], width: float
) -> None:
    """The issuing organs above the title: on one line, or on two when one would print them
    smaller than 8 pt (a bundle's five departments)."""
    line = "　".join(organs)
    size = fit_size(line, width, 12)
    if size >= 8 or len(organs) < 2:
        draw_text(canvas, cx, baseline, line, size, "center")
        return
    half = (len(organs) + 1) // 2
    lines = ["　".join(organs[:half]), "　".join(organs[half:])]
    size = min(fit_size(text, width, 9) for text in lines)
    draw_text(canvas, cx, baseline + 1.5 * mm, lines[0], size, "center")
    draw_text(canvas, cx, baseline + 1.5 * mm - size * 1.15, lines[1], size, "center")


def _draw_binding_line(canvas: Canvas) -> None:
    """The dashed 装订线 of a copy for the file, in its binding margin."""
    x = BINDING_MARGIN / 2
    canvas.saveState()
    canvas.setStrokeGray(0.6)
    canvas.setFillGray(0.6)
    canvas.setLineWidth(0.5)
    canvas.setDash(4, 3)
    canvas.line(x, FOOTER_HEIGHT, x, PAGE_HEIGHT - TOP_MARGIN)
    canvas.setDash()
    canvas.translate(x - 1.2 * mm, PAGE_HEIGHT / 2)
    canvas.rotate(90)
    canvas.setFillGray(1)
    canvas.rect(-14 * mm, -1 * mm, 28 * mm, 4.4 * mm, stroke=0, fill=1)
    canvas.setFillGray(0.5)
    draw_text(canvas, 0, 0, "装　订　线", 9, "center")
    canvas.restoreState()


def _draw_copy_line(canvas: Canvas, cx: float, baseline: float, label: str, stamp: str) -> None:
    """The copy's label and, on a reprint, the boxed 补打 mark beside it (not over it),
    centred together at cx."""
    label_width = string_width(label, 9.5)
    stamp_width = string_width(stamp, 10.5) + 4 * mm if stamp else 0.0
    gap = 3 * mm if label and stamp else 0.0
    x = cx - (label_width + gap + stamp_width) / 2
    if label:
        draw_text(canvas, x, baseline, label, 9.5)
    if stamp:
        _draw_stamp(canvas, x + label_width + gap + stamp_width / 2, baseline, stamp)


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


def _draw_footer(header: PageHeader, section: str, canvas: Canvas, page: int, pages: int) -> None:
    meta = header.meta
    x0 = left_margin(section)
    x1 = x0 + BODY_WIDTH
    y = FOOTER_HEIGHT - 8 * mm
    canvas.saveState()
    canvas.setLineWidth(0.5)
    canvas.line(x0, FOOTER_HEIGHT - 3 * mm, x1, FOOTER_HEIGHT - 3 * mm)
    draw_text(canvas, x0, y, f"文书编号 {meta.doc_no}", 8.5)
    draw_text(canvas, x0 + BODY_WIDTH / 2, y, f"第 {page} 页 共 {pages} 页", 9, "center")
    printed = f"打印时间 {format_datetime(meta.printed_at)}"
    if meta.reprint_count:
        printed = f"{reprint_label(meta.reprint_count)}　{printed}"
    draw_text(canvas, x1, y, printed, 8.5, "right")
    canvas.restoreState()


def _copies_canvas(header: PageHeader, sections: Sequence[str]) -> Callable[..., Canvas]:
    """A canvas on which the story is laid out and drawn once: it keeps each page's body as a
    form XObject instead of a page, and at the end prints every copy (section) from them, each
    body page at the copy's left margin under the shared header (a form too) with the copy's
    label, binding line and footer 第 N 页 共 M 页. The copies have the same body width, so
    they break where the story did."""

    class CopiesCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            stamp_creation_date(self, header.meta.printed_at)
            self._ow_bodies: list[str] = []

        def showPage(self) -> None:
            """The page the story was drawn on becomes a form, stamped once per copy."""
            name = f"OWBody{len(self._ow_bodies)}"
            form = pdfdoc.PDFFormXObject(0, 0, PAGE_WIDTH, PAGE_HEIGHT)
            form.compression = self._pageCompression
            form.setStreamList([self._preamble, *self._code])
            self._setXObjects(form)
            self._doc.addForm(name, form)
            self._ow_bodies.append(name)
            self._startPage()

        def save(self) -> None:
            pages = len(self._ow_bodies)
            # The header all pages share, drawn once too.
            self.beginForm("OWHead")
            centre_x = _draw_header(header, self)
            self.endForm()
            for section in sections:
                shift = left_margin(section) - MARGIN_X
                for number, name in enumerate(self._ow_bodies, 1):
                    self.saveState()
                    self.translate(shift, 0)
                    self.doForm(name)
                    self.doForm("OWHead")
                    self.restoreState()
                    _draw_copy_marks(header, section, self, centre_x + shift)
                    _draw_footer(header, section, self, number, pages)
                    Canvas.showPage(self)
            Canvas.save(self)

    return CopiesCanvas


def build_a4(
    header: PageHeader,
    make_story: Callable[[], list[Flowable]],
    sections: Sequence[str] = TWO_COPIES,
    subject: str = "",
) -> bytes:
    """Lay out the story once and print it once per section (a copy: 第一联 申请人留存,
    第二联 存档 by default), each copy starting on a new page with its own page count, and
    return the PDF. Every copy but the applicant's has the binding margin."""
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
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        pageTemplates=[PageTemplate(id="body", frames=[frame])],
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=TOP_MARGIN + HEADER_HEIGHT,
        bottomMargin=FOOTER_HEIGHT,
        title=header.title,
        author="、".join(issuer_of(header.meta, header.hall).organs),
        subject=subject or header.title,
        creator="OneWindow 一窗受理工作台",
        initialFontName=FONT,
        invariant=1,
    )
    doc.build(make_story(), canvasmaker=_copies_canvas(header, sections))
    return buf.getvalue()
