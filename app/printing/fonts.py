"""The fonts every document prints with, and the fallback for glyphs the main font lacks.

WenQuanYi Micro Hei covers Latin, digits and the CJK Unified Ideographs but not CJK
Extension A, where rare name characters such as 䶮 (U+4DAE) live; Droid Sans Fallback covers
those. Text is split into runs by which font has the glyph, so a name like 王䶮 prints whole.
Names may also hold characters of CJK Extensions B–F (𠮷 U+20BB7, 𬌗 U+2C317), which neither
covers: HanaMinB (花園明朝B) does, registered only when a text needs it (the file is large).
All are TrueType (glyf) fonts, which reportlab embeds as subsets; reportlab's ToUnicode map
writes a code point beyond U+FFFF as five hex digits, which readers misread, so it is replaced
here with one that writes UTF-16 (a surrogate pair), and the PDF's text keeps the character.

There is no free 仿宋 for simplified Chinese (cwTeX 仿宋, the one Debian packages, covers 2,552
of the 3,755 level-1 characters of GB 2312): the body stays in Micro Hei; titles are set in
Micro Hei made heavier by stroking (a 黑体-like title, see `draw_title`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.paths import FONT_FILES, FONTS_DIR

PRIMARY_FONT_FILE, FALLBACK_FONT_FILE = FONT_FILES
#: CJK Extensions B–F (the supplementary ideographic plane), for rare name characters.
EXTENSION_FONT_FILE = FONTS_DIR / "HanaMinB.ttf"
#: Code points from here on are looked up in the extension font.
SUPPLEMENTARY = 0x10000


#: reportlab names of the registered fonts.
FONT = "OneWindowSans"
FALLBACK_FONT = "OneWindowSansFallback"
EXTENSION_FONT = "OneWindowExtB"

_lock = threading.Lock()
_registered = False
_fallback_registered = False
_extension_registered = False


def _utf16(code: int) -> str:
    """The code point in UTF-16 as hex digits: four, or eight (a surrogate pair) beyond the
    Basic Multilingual Plane."""
    if code < SUPPLEMENTARY:
        return f"{code:04X}"
    code -= SUPPLEMENTARY
    return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap for a font subset, with code points beyond U+FFFF written as
    UTF-16 surrogate pairs (as the PDF specification asks) instead of five hex digits."""
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *[f"<{i:02X}> <{_utf16(v)}>" for i, v in enumerate(subset)],
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def register_fonts() -> None:
    """Register the main font with reportlab, once per process (parsing it takes ~50 ms).
    The fallback font is registered when a text first needs it (`font_for`): parsed, it
    holds about 18 MB that a desk whose names all print in the main font never uses."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        pdfmetrics.registerFont(TTFont(FONT, str(PRIMARY_FONT_FILE), subfontIndex=0))
        # Paragraph markup may ask for bold/italic; there is one weight, so map them all to it.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(FONT, bold, italic, FONT)
        _registered = True


def register_fallback_font() -> None:
    """Register the fallback font (CJK Extension A), once per process, when a text first
    needs it."""
    global _fallback_registered
    if _fallback_registered:
        return
    register_fonts()
    with _lock:
        if _fallback_registered:
            return
        pdfmetrics.registerFont(TTFont(FALLBACK_FONT, str(FALLBACK_FONT_FILE)))
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(FALLBACK_FONT, bold, italic, FALLBACK_FONT)
        _fallback_registered = True


def register_extension_font() -> None:
    """Register the Extension B–F font, once per process, when a text first needs it."""
    global _extension_registered
    if _extension_registered:
        return
    register_fonts()
    with _lock:
        if _extension_registered:
            return
        pdfmetrics.registerFont(TTFont(EXTENSION_FONT, str(EXTENSION_FONT_FILE)))
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(EXTENSION_FONT, bold, italic, EXTENSION_FONT)
        _extension_registered = True


@cache
def _coverage(font_name: str) -> frozenset[int]:
    if font_name == EXTENSION_FONT:
        register_extension_font()
    elif font_name == FALLBACK_FONT:
        register_fallback_font()
    else:
        register_fonts()
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charWidths)


def font_for(char: str) -> str:
    """The font that has a glyph for `char`: the primary unless only the fallback has it, the
    extension font for the supplementary plane."""
    code = ord(char)
    if code >= SUPPLEMENTARY:
        return EXTENSION_FONT if code in _coverage(EXTENSION_FONT) else FONT
    if code in _coverage(FONT) or code < 0x20:
        return FONT
    if code in _coverage(FALLBACK_FONT):
        return FALLBACK_FONT
    return FONT


def missing_glyphs(text: str) -> str:
    """The characters of `text` that no font can print (whitespace aside). The fallback and
    extension fonts are read only for characters the main font lacks."""
    main = _coverage(FONT)
    missing = {c for c in text if not c.isspace() and ord(c) not in main}
    if missing:
        fallback = _coverage(FALLBACK_FONT)
        missing = {c for c in missing if ord(c) not in fallback}
    if any(ord(c) >= SUPPLEMENTARY for c in missing):
        extension = _coverage(EXTENSION_FONT)
        missing = {c for c in missing if ord(c) not in extension}
    return "".join(sorted(missing))


def runs(text: str) -> Iterator[tuple[str, str]]:
    """`text` as (font name, piece) runs, each piece printable in its font."""
    if not text:
        return
    if max(text) < chr(SUPPLEMENTARY) and _coverage(FONT).issuperset(map(ord, text)):
        yield FONT, text  # the common case: all in the main font
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
        if font != FONT:
            parts.append(f'<font face="{font}">{escape(piece)}</font>')
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


def draw_title(
    canvas: Canvas, x: float, y: float, text: str, size: float, align: str = "center"
) -> float:
    """A title line, heavier than the body (the glyphs filled and stroked): the 黑体-like face of
    a document's title. Returns its width."""
    canvas.saveState()
    canvas.setLineWidth(size * 0.035)
    canvas.setLineJoin(1)
    text_render_mode = 2  # fill, then stroke
    width = string_width(text, size)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    for font, piece in runs(text):
        t = canvas.beginText(x, y)
        t.setTextRenderMode(text_render_mode)
        t.setFont(font, size)
        t.textOut(piece)
        canvas.drawText(t)
        x += pdfmetrics.stringWidth(piece, font, size)
    canvas.restoreState()
    return width
