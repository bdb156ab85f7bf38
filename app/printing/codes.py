"""Code 128 barcodes and QR codes drawn as plain vector paths.

reportlab's own widgets bring in Courier (barcode text) and Helvetica (QR), fonts that are not
embedded; drawing the modules ourselves keeps every font in the PDF embedded, and one path per
code keeps the PDF small and fast to write."""

from __future__ import annotations

from functools import lru_cache

import barcode
import segno
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

#: Modules of white either side of a Code 128 symbol (ISO/IEC 15417 asks for 10).
CODE128_QUIET = 10
#: A fixed mask spares the mask evaluation (the slowest part of encoding); any mask decodes.
QR_MASK = 4
QR_BORDER = 4


@lru_cache(maxsize=256)
def code128_modules(data: str) -> str:
    """The symbol's modules, '1' for a bar and '0' for a space, start and stop included."""
    built = barcode.get("code128", data).build()
    return str(built[0])


def code128_width(data: str, module: float) -> float:
    return len(code128_modules(data)) * module


def draw_code128(
    canvas: Canvas, x: float, y: float, data: str, module: float, height: float
) -> float:
    """Draw the bars with their bottom-left corner at (x, y); returns the symbol's width.
    The caller keeps CODE128_QUIET modules free on each side."""
    modules = code128_modules(data)
    path = canvas.beginPath()
    i = 0
    n = len(modules)
    while i < n:
        if modules[i] == "1":
            start = i
            while i < n and modules[i] == "1":
                i += 1
            path.rect(x + start * module, y, (i - start) * module, height)
        else:
            i += 1
    canvas.drawPath(path, stroke=0, fill=1)
    return n * module


@lru_cache(maxsize=256)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The QR symbol's dark modules, row by row, without the quiet zone."""
    qr = segno.make(data, error="m", mask=QR_MASK, micro=False)
    return tuple(tuple(bool(v) for v in row) for row in qr.matrix)


def draw_qr(canvas: Canvas, x: float, y: float, data: str, size: float) -> None:
    """Draw the QR code, quiet zone included, in the square of side `size` whose bottom-left
    corner is (x, y): the dark modules as one path, horizontal runs merged."""
    matrix = qr_matrix(data)
    count = len(matrix) + 2 * QR_BORDER
    module = size / count
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        top = y + size - (r + QR_BORDER + 1) * module
        c = 0
        n = len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                path.rect(x + (start + QR_BORDER) * module, top, (c - start) * module, module)
            else:
                c += 1
    canvas.drawPath(path, stroke=0, fill=1)


class QRFlowable(Flowable):
    """A QR code as a platypus flowable (for codes placed in the text flow)."""

    def __init__(self, data: str, size: float = 24 * mm) -> None:
        super().__init__()
        self.data = data
        self.size = size
        self.width = self.height = size

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, 0, 0, self.data, self.size)


__all__ = [
    "CODE128_QUIET",
    "QRFlowable",
    "code128_modules",
    "code128_width",
    "draw_code128",
    "draw_qr",
    "qr_matrix",
]
