"""Line breaking of Chinese text by the rules of 禁则 (kinsoku), in place of reportlab's
splitters: no line starts with closing punctuation or ends with an opening bracket, a Latin
word (a number, a phone, a link) is not cut when the line can keep half its length. Importing
this module installs the splitters in reportlab's paragraph module (app.printing.layout does)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import textsplit as _textsplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph as _paragraph

#: 禁则: characters that may not start a line (closing punctuation and marks)...
NO_LINE_START = "，。、：；！？”’》〉』」】〗〕）％·…—,.:;!?)]}%" + _textsplit.ALL_CANNOT_START
#: ...and that may not end one (opening brackets and quotes).
NO_LINE_END = "（《“‘〈『「【〖〔［｛([{"
for _module in (_paragraph, _textsplit):
    _module.ALL_CANNOT_START += "".join(
        c for c in NO_LINE_START if c not in _module.ALL_CANNOT_START
    )


def _is_word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "-_./:@?=&%")


def break_point(chars: Sequence[str], start: int, end: int) -> int:
    """Where the line that holds chars[start:end] (it fits; chars[end] does not) should end:
    before a Latin word rather than through it (when the line keeps half its length), and
    never so that the next line starts with a character of NO_LINE_START or this one ends with
    one of NO_LINE_END: such characters move to the next line together with their neighbour.
    Only a line that cannot be broken that way (one long run of such characters) hangs a
    closing mark past the margin rather than start the next line with it."""

    def keep_word(k: int) -> int:
        """Before the Latin word (a number, a phone) that k would cut, if the line keeps
        half its length."""
        if k < len(chars) and _is_word_char(chars[k]) and _is_word_char(chars[k - 1]):
            j = k - 1
            while j > start and _is_word_char(chars[j - 1]):
                j -= 1
            if j - start > (end - start) // 2:
                return j
        return k

    def bad(k: int) -> bool:
        return k < len(chars) and (chars[k] in NO_LINE_START or chars[k - 1] in NO_LINE_END)

    k = keep_word(end)
    # A mark moving to the next line takes its neighbour along, and a word stays whole.
    while bad(k) and k - 1 > start:
        k = keep_word(k - 1)
    if bad(k):
        k = end
        while k < len(chars) and chars[k] in NO_LINE_START:
            k += 1
    return k


def _cjk_frag_split(
    frags: list[Any], maxWidths: list[float], calcBounds: bool, encoding: str = "utf8"
) -> Any:
    """reportlab's CJK line splitter (platypus.paragraph.cjkFragSplit) with `break_point`."""
    units: list[Any] = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        if text:
            units.extend(_paragraph.cjkU(t, f, encoding) for t in text)
        else:
            units.append(_paragraph.cjkU(text, f, encoding))
    lines: list[Any] = []
    start = 0
    while start < len(units):
        max_width = maxWidths[min(len(lines), len(maxWidths) - 1)]
        used, i, line_break = 0.0, start, False
        while i < len(units):
            u = units[i]
            if hasattr(u.frag, "lineBreak"):
                i, line_break = i + 1, True
                break
            if used + u.width > max_width + 1e-8 and i > start:
                break
            used += u.width
            i += 1
        end = i if line_break or i >= len(units) else break_point(units, start, i)
        used = sum(u.width for u in units[start:end])
        lines.append(
            _paragraph.makeCJKParaLine(
                units[start:end], max_width, used, max_width - used, line_break, calcBounds
            )
        )
        start = end
    return _paragraph.ParaLines(kind=1, lines=lines)


def char_widths(chars: str, fontName: str, fontSize: float) -> list[float]:
    """Each character's width: what pdfmetrics.stringWidth gives for it, looked up in a
    TrueType face's table directly rather than through a call per character."""
    font = pdfmetrics.getFont(fontName)
    if not isinstance(font, TTFont):
        return [pdfmetrics.stringWidth(c, fontName, fontSize) for c in chars]
    table, default = font.face.charWidths, font.face.defaultWidth
    # In rl_accel's order of operations, so the widths are the same to the last bit.
    return [0.001 * table.get(ord(c), default) * fontSize for c in chars]


def _word_split(
    text: str | bytes,
    maxWidths: list[float],
    fontName: str,
    fontSize: float,
    encoding: str = "utf8",
) -> list[tuple[float, str]]:
    """reportlab's splitter of a paragraph in one font (textsplit.wordSplit) with
    `break_point`: (space left, text) per line."""
    chars = text.decode(encoding) if isinstance(text, bytes) else text
    widths = char_widths(chars, fontName, fontSize)
    total = sum(widths)
    if chars and total <= maxWidths[0] + 1e-8:
        return [(maxWidths[0] - total, chars)]  # one line (most cells)
    lines: list[tuple[float, str]] = []
    start = 0
    while start < len(chars):
        max_width = maxWidths[min(len(lines), len(maxWidths) - 1)]
        used, i = 0.0, start
        while i < len(chars) and (i == start or used + widths[i] <= max_width + 1e-8):
            used += widths[i]
            i += 1
        end = i if i >= len(chars) else break_point(chars, start, i)
        lines.append((max_width - sum(widths[start:end]), chars[start:end]))
        start = end
    return lines


_paragraph.cjkFragSplit = _cjk_frag_split
_paragraph.wordSplit = _word_split
