"""The queue ticket for an 80 mm thermal roll: the page is as tall as its content, the ticket
number as large as the printable 72 mm allows, less a margin either side (a glyph drawn to
the very edge of the print head is cut). The hint breaks between its clauses, never inside a
word."""

from __future__ import annotations

import dataclasses
import io

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.printing.fonts import FONT, draw_text, fit_size, register_fonts, string_width
from app.printing.layout import break_point, local, reprint_label, stamp_creation_date
from app.printing.model import QueueTicket

PAPER_WIDTH = 80 * mm
MARGIN = 4 * mm
PRINT_WIDTH = PAPER_WIDTH - 2 * MARGIN
#: The number keeps this much clear of the printable width on each side.
NUMBER_MARGIN = 3 * mm
NUMBER_MAX_SIZE = 96.0
#: A line of the hint may end after these (the end of a clause); elsewhere it would cut a word.
CLAUSE_ENDS = "，。；！？、"
OFFLINE_TEXT = "离线取号"
HINT = "请留意大厅屏幕显示和语音叫号，过号后请到咨询台处理。本票当日有效。"


@dataclasses.dataclass(frozen=True)
class _Line:
    text: str
    size: float
    gap_before: float = 0.0
    style: str = "plain"  # plain | inverse | boxed | rule


def clauses(text: str) -> list[str]:
    """`text` cut after each clause end (，。 …), the punctuation kept with its clause."""
    out: list[str] = []
    start = 0
    for i, char in enumerate(text):
        if char in CLAUSE_ENDS:
            out.append(text[start : i + 1])
            start = i + 1
    if start < len(text):
        out.append(text[start:])
    return out


def wrap_text(text: str, size: float, width: float) -> list[str]:
    """Break `text` into lines no wider than `width`: whole clauses to a line as far as they
    fit, so no word is cut; only a clause wider than a whole line is broken inside, between
    characters, by the kinsoku rules (layout.break_point)."""
    lines: list[str] = []
    current = ""
    for clause in clauses(text):
        if string_width(current + clause, size) <= width:
            current += clause
            continue
        if current:
            lines.append(current)
        current = clause
        while string_width(current, size) > width:
            fit = 1
            while string_width(current[: fit + 1], size) <= width:
                fit += 1
            cut = break_point(current, 0, fit)
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def _lines(ticket: QueueTicket) -> list[_Line]:
    issued = local(ticket.issued_at)
    number_size = fit_size(ticket.ticket_no, PRINT_WIDTH - 2 * NUMBER_MARGIN, NUMBER_MAX_SIZE)
    lines = [
        _Line(ticket.hall.name, fit_size(ticket.hall.name, PRINT_WIDTH, 13)),
        _Line("", 0, 2 * mm, "rule"),
        _Line(ticket.business_line, fit_size(ticket.business_line, PRINT_WIDTH, 14), 3 * mm),
        _Line(ticket.ticket_no, number_size, 2 * mm),
        _Line(f"您前面还有 {ticket.waiting_ahead} 人等候", 13, 1 * mm),
        _Line(
            f"取号时间：{issued:%Y-%m-%d %H:%M:%S}",
            10,
            2 * mm,
        ),
    ]
    if ticket.offline:
        lines.append(_Line(OFFLINE_TEXT, 14, 3 * mm, "inverse"))
    if ticket.reprint_count:
        lines.append(_Line(reprint_label(ticket.reprint_count), 11, 3 * mm, "boxed"))
    lines.append(_Line("", 0, 2 * mm, "rule"))
    for i, part in enumerate(wrap_text(HINT, 9, PRINT_WIDTH)):
        lines.append(_Line(part, 9, 1.5 * mm if i == 0 else 0.8 * mm))
    if ticket.doc_no:
        lines.append(_Line(ticket.doc_no, 7, 1 * mm))
    return lines


def _height(line: _Line) -> float:
    if line.style == "rule":
        return line.gap_before + 1 * mm
    extra = 2 * mm if line.style in ("inverse", "boxed") else 0
    return line.gap_before + line.size * 1.15 + extra


def render_ticket(ticket: QueueTicket) -> bytes:
    register_fonts()
    lines = _lines(ticket)
    height = sum(_height(line) for line in lines) + 2 * MARGIN
    buf = io.BytesIO()
    canvas = Canvas(
        buf,
        pagesize=(PAPER_WIDTH, height),
        initialFontName=FONT,
        invariant=1,
    )
    stamp_creation_date(canvas, ticket.issued_at)
    canvas.setTitle(f"排队号 {ticket.ticket_no}")
    canvas.setAuthor(ticket.hall.name)
    canvas.setCreator("OneWindow 一窗受理工作台")
    y = height - MARGIN
    centre = PAPER_WIDTH / 2
    for line in lines:
        if line.style == "rule":
            y -= line.gap_before
            canvas.setDash(2, 2)
            canvas.setLineWidth(0.6)
            canvas.line(MARGIN, y, PAPER_WIDTH - MARGIN, y)
            canvas.setDash()
            y -= 1 * mm
            continue
        y -= _height(line)
        pad = 1 * mm if line.style in ("inverse", "boxed") else 0
        baseline = y + pad + line.size * 0.2
        if line.style == "inverse":
            canvas.rect(MARGIN, y, PRINT_WIDTH, line.size * 1.15 + 2 * pad, stroke=0, fill=1)
            canvas.setFillGray(1)
            draw_text(canvas, centre, baseline, line.text, line.size, "center")
            canvas.setFillGray(0)
        elif line.style == "boxed":
            width = string_width(line.text, line.size) + 6 * mm
            canvas.setLineWidth(1)
            canvas.rect(centre - width / 2, y, width, line.size * 1.15 + 2 * pad, stroke=1, fill=0)
            draw_text(canvas, centre, baseline, line.text, line.size, "center")
        else:
            draw_text(canvas, centre, baseline, line.text, line.size, "center")
    canvas.showPage()
    canvas.save()
    return buf.getvalue()
