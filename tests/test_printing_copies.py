"""A paper's two copies (第一联 申请人留存, 第二联 存档) come from one layout of its story: the
body is wrapped, split and drawn once and printed on both, the file's copy 28 mm from the left
edge; each copy keeps its own label, binding line, page count and codes."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from app.printing.layout import (
    APPLICANT_COPY,
    ARCHIVE_COPY,
    BINDING_MARGIN,
    FOOTER_HEIGHT,
    HEADER_HEIGHT,
    MARGIN_X,
    PAGE_HEIGHT,
    TOP_MARGIN,
    PageHeader,
    build_a4,
)
from app.printing.model import MaterialForm, ReceivedMaterial
from app.printing.receipt import TITLE, receipt_story
from app.printing.render import render
from app.printing.samples import CASE_NO, DEMO_HALL, demo_receipt
from tests.test_printing import (
    assert_all_fonts_embedded,
    decode_codes,
    page_chars,
    page_texts,
)

#: A rare name: 䶮 from the fallback font (Extension A), 𠮷 from HanaMinB (Extension B).
RARE_NAME = "王䶮𠮷"


class Counting(Flowable):
    """A flowable that counts how often it is wrapped and drawn."""

    def __init__(self) -> None:
        super().__init__()
        self.wraps = self.draws = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.wraps += 1
        return availWidth, 5 * mm

    def draw(self) -> None:
        self.draws += 1
        self.canv.rect(0, 0, 10 * mm, 5 * mm)


def long_receipt(reprint: int = 0) -> Any:
    receipt = demo_receipt(reprint=reprint)
    received = tuple(
        ReceivedMaterial(
            f"第{i}号材料：" + "申请人及其法定代表人签署的经营场所权属证明" * (1 + i % 3),
            list(MaterialForm)[i % 4],
            1 + i % 3,
            "备注" * (i % 5),
        )
        for i in range(1, 31)
    )
    applicant = dataclasses.replace(receipt.applicant, name=RARE_NAME)
    return dataclasses.replace(receipt, received=received, applicant=applicant)


def body_chars(chars: list[dict[str, Any]]) -> list[tuple[str, float, float]]:
    """The characters between the header and the footer: text, left edge, baseline."""
    top, bottom = TOP_MARGIN + HEADER_HEIGHT, PAGE_HEIGHT - FOOTER_HEIGHT
    return [
        (c["text"], round(c["x0"], 2), round(c["top"], 2))
        for c in chars
        if top <= c["top"] and c["bottom"] <= bottom
    ]


def test_the_story_is_laid_out_and_drawn_once_for_both_copies() -> None:
    doc = demo_receipt()
    made: list[Counting] = []

    def story() -> list[Flowable]:
        made.append(Counting())
        return [*receipt_story(doc), made[-1]]

    pdf = build_a4(PageHeader(TITLE, doc.hall, doc.meta), story)
    texts = page_texts(pdf)
    half = len(texts) // 2
    assert half and len(texts) == 2 * half
    assert all(f"（{APPLICANT_COPY}）" in text for text in texts[:half])
    assert all(f"（{ARCHIVE_COPY}）" in text for text in texts[half:])
    assert len(made) == 1
    assert made[0].draws == 1


def test_both_copies_carry_the_same_body_each_with_its_own_header_and_count() -> None:
    pdf = render(long_receipt(reprint=2))
    texts = page_texts(pdf)
    assert len(texts) % 2 == 0 and len(texts) >= 4
    per_copy = len(texts) // 2
    applicant, archive = texts[:per_copy], texts[per_copy:]
    for copy, label, other in (
        (applicant, APPLICANT_COPY, "第二联"),
        (archive, ARCHIVE_COPY, "第一联"),
    ):
        for number, text in enumerate(copy, 1):
            assert f"（{label}）" in text and other not in text
            assert re.search(rf"第 {number} 页 共 {per_copy} 页", text)
            assert "补打（第2次）" in text
            assert TITLE in text
    # The 装订线 in the binding margin, on the file's copy only.
    chars = page_chars(pdf, aligned=False)
    in_margin = ["".join(c["text"] for c in page if c["x1"] < MARGIN_X) for page in chars]
    assert in_margin == [""] * per_copy + ["装　订　线"] * per_copy
    assert RARE_NAME in texts[0].replace("\n", "") and RARE_NAME in archive[0].replace("\n", "")
    # The same body, page for page, the file's copy moved right by the binding margin.
    shift = BINDING_MARGIN - MARGIN_X
    for first, second in zip(chars[:per_copy], chars[per_copy:], strict=True):
        mine = body_chars(first)
        filed = [c for c in body_chars(second) if c[1] >= MARGIN_X]  # not the 装订线
        assert mine and [c[0] for c in mine] == [c[0] for c in filed]
        for (_, x, y), (_, filed_x, filed_y) in zip(mine, filed, strict=True):
            assert abs(filed_x - x - shift) < 0.05 and abs(filed_y - y) < 0.05
    # Each copy's codes decode on its first and last page; the fonts are embedded.
    for page in (0, per_copy - 1, per_copy, 2 * per_copy - 1):
        codes = decode_codes(pdf, page)
        assert codes.get("Code128") == CASE_NO
        assert codes.get("QRCode") == DEMO_HALL.query_url(CASE_NO)
    assert_all_fonts_embedded(pdf)


def test_a_single_copy_prints_without_binding_margin() -> None:
    doc = demo_receipt()
    pdf = build_a4(PageHeader(TITLE, doc.hall, doc.meta), lambda: receipt_story(doc), ("",))
    texts = page_texts(pdf)
    assert len(texts) == 1
    assert "第 1 页 共 1 页" in texts[0] and "装　订　线" not in texts[0]
    xs = [x for _, x, _ in body_chars(page_chars(pdf, aligned=False)[0])]
    assert min(xs) >= MARGIN_X - 0.5 and min(xs) < BINDING_MARGIN
