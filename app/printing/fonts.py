"""The fonts every document prints with, and the fallback for glyphs the main font lacks.

WenQuanYi Micro Hei covers Latin, digits and the CJK Unified Ideographs but not CJK
Extension A, where rare name characters such as 䶮 (U+4DAE) live; Droid Sans Fallback covers
those. Text is split into runs by which font has the glyph, so a name like 王䶮 prints whole.
Both are TrueType (glyf) fonts, which reportlab embeds as subsets."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.paths import FONT_FILES

PRIMARY_FONT_FILE, FALLBACK_FONT_FILE = FONT_FILES


#: reportlab names of the registered fonts.
FONT = "OneWindowSans"
FALLBACK_FONT = "OneWindowSansFallback"

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register both fonts with reportlab, once per process (parsing them takes ~100 ms)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        pdfmetrics.registerFont(TTFont(FONT, str(PRIMARY_FONT_FILE), subfontIndex=0))
        pdfmetrics.registerFont(TTFont(FALLBACK_FONT, str(FALLBACK_FONT_FILE)))
        # Paragraph markup may ask for bold/italic; there is one weight, so map them all to it.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(FONT, bold, italic, FONT)
                addMapping(FALLBACK_FONT, bold, italic, FALLBACK_FONT)
        _registered = True


@cache
def _coverage(font_name: str) -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charWidths)


def font_for(char: str) -> str:
    """The font that has a glyph for `char`: the primary unless only the fallback has it."""
    code = ord(char)
    if code in _coverage(FONT) or code < 0x20:
        return FONT
    if code in _coverage(FALLBACK_FONT):
        return FALLBACK_FONT
    return FONT


def missing_glyphs(text: str) -> str:
    """The characters of `text` that neither font can print (whitespace aside)."""
    both = _coverage(FONT) | _coverage(FALLBACK_FONT)
    return "".join(sorted({c for c in text if not c.isspace() and ord(c) not in both}))


def runs(text: str) -> Iterator[tuple[str, str]]:
    """`text` as (font name, piece) runs, each piece printable in its font."""
    if not text:
        return
    current = font_for(text[0])
    start = 0
    for i, char in enumerate(text):
        font = font_for(char)
        if font != current:
            yield current, text[start:i]
            current, start = font, i
    yield current, text[start:]


def markup(text: str) -> str:
    """`text` escaped for a reportlab Paragraph, with fallback glyphs wrapped in <font> tags."""
    parts = []
    for font, piece in runs(text):
        if font == FALLBACK_FONT:
            parts.append(f'<font face="{FALLBACK_FONT}">{escape(piece)}</font>')
        else:
            parts.append(escape(piece))
    return "".join(parts)


def string_width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(piece, font, size) for font, piece in runs(text))


def draw_text(
    canvas: Canvas, x: float, y: float, text: str, size: float, align: str = "left"
) -> float:
    """Draw one line at baseline `y`, anchored left, centre or right at `x`; returns its width."""
    width = string_width(text, size)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    for font, piece in runs(text):
        canvas.setFont(font, size)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, font, size)
    canvas.setFont(FONT, size)
    return width


def fit_size(text: str, max_width: float, max_size: float) -> float:
    """The largest size up to `max_size` at which `text` fits in `max_width`."""
    at_one = string_width(text, 1.0)
    if at_one <= 0:
        return max_size
    return min(max_size, max_width / at_one)
