"""The short cuts of paragraph setting give what reportlab's own way gives: a plain text's
paragraph the fragments its markup parser makes, a line break the widths pdfmetrics gives;
the warm-up paper is a receipt of a made-up case."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from app.printing.fonts import (
    FALLBACK_FONT,
    FONT,
    _utf16,
    markup,
    register_fallback_font,
    register_fonts,
)
from app.printing.layout import (
    BODY,
    CELL,
    CELL_HEAD,
    HEADING,
    NORMAL,
    SIGN,
    para,
)
from app.printing.linebreak import char_widths
from app.printing.render import WARM_UP_CASE_NO, warm_up
from app.printing.samples import CASE_NO
from tests.test_printing import page_texts

STYLES = (BODY, CELL, CELL_HEAD, HEADING, NORMAL, SIGN)
SAMPLES = (
    "申请人",
    "  多个  空格\n和换行 ",
    "A&B <公司>",
    "王䶮",
    "𠮷野家",
    "",
    " ",
    "1. 食品经营许可（新办）",
    "扫描页首二维码或访问 https://zwfw.baicheng.gov.cn/query?no=1 查询办理进度。",
)


def frags(paragraph: Paragraph) -> list[dict[str, object]]:
    return [dict(f.__dict__) for f in paragraph.frags]


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("style", STYLES, ids=lambda s: s.name)
def test_a_paragraph_has_the_fragments_the_parser_makes(text: str, style: object) -> None:
    register_fonts()
    mine, parsed = para(text, style), Paragraph(markup(text), style)
    assert frags(mine) == frags(parsed)
    assert mine.text == parsed.text and mine.style is parsed.style


@given(st.text(alphabet="申请人材料，。（）《》abc 123&<>\n䶮", max_size=40))
def test_any_text_has_the_parsers_fragments(text: str) -> None:
    register_fonts()
    assert frags(para(text, CELL)) == frags(Paragraph(markup(text), CELL))


def test_two_paragraphs_do_not_share_fragments() -> None:
    first, second = para("甲", CELL), para("乙", CELL)
    assert first.frags[0] is not second.frags[0]
    assert first.frags[0].link is not second.frags[0].link
    assert (first.frags[0].text, second.frags[0].text) == ("甲", "乙")


@pytest.mark.parametrize("font", [FONT, FALLBACK_FONT, "Helvetica"])
@pytest.mark.parametrize("size", [7.5, 8.5, 9, 9.5, 10.5, 11, 12, 13.7, 20])
def test_character_widths_are_pdfmetrics_widths(font: str, size: float) -> None:
    register_fonts()
    register_fallback_font()
    text = "王䶮申请人，。abc 123（）𠮷"
    assert char_widths(text, font, size) == [pdfmetrics.stringWidth(c, font, size) for c in text]


def test_the_warm_up_paper_is_a_receipt_of_a_made_up_case() -> None:
    text = "".join(page_texts(warm_up()))
    assert "受理通知书" in text and WARM_UP_CASE_NO in text
    assert CASE_NO not in text


@given(st.integers(min_value=0x20, max_value=0x10FFFF).filter(lambda c: not 0xD800 <= c < 0xE000))
def test_to_unicode_codes_are_utf16(code: int) -> None:
    assert _utf16(code) == chr(code).encode("utf-16-be").hex().upper()
