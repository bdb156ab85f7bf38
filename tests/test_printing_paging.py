"""Long data flows onto further pages: every row printed, the header and 第 N 页 共 M 页 on each
page, nothing cut off, nothing drawn over anything else."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.units import mm

from app.printing.layout import (
    BODY_WIDTH,
    FOOTER_HEIGHT,
    HEADER_HEIGHT,
    MARGIN_X,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TOP_MARGIN,
)
from app.printing.model import GapMaterial, MaterialForm, NeededMaterial, ReceivedMaterial
from app.printing.render import render
from app.printing.samples import (
    CASE_NO,
    DEMO_HALL,
    demo_commitment,
    demo_notice,
    demo_receipt,
    demo_rejection,
)
from tests.test_printing import decode_codes, page_chars, page_texts

LONG_MATTER = (
    "建设工程消防设计审查验收（特殊建设工程消防验收及其他建设工程消防验收备案抽查，"
    "含人员密集场所投入使用、营业前消防安全检查告知承诺管理）"
)


def long_name(i: int) -> str:
    return f"第{i}号材料：" + "申请人及其法定代表人签署的经营场所权属证明与租赁合同备案证明" * (
        1 + i % 3
    )


def ordered_text(chars: list[dict[str, Any]], x0: float, x1: float) -> str:
    """The characters centred between x0 and x1, in reading order by baseline (the fallback
    font's glyphs have other ascents, so `top` differs within a line)."""
    inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1]
    inside.sort(key=lambda c: (-round(c["matrix"][5], 1), c["x0"]))
    return "".join(c["text"] for c in inside)


def assert_paged(pdf: bytes, title: str, sections: int = 1) -> list[str]:
    """Every page carries the header and a correct footer; nothing leaves the page or
    overlaps. Returns the page texts."""
    texts = page_texts(pdf)
    footers = [re.search(r"第 (\d+) 页 共 (\d+) 页", t) for t in texts]
    assert all(footers), "a page without its footer"
    numbers = [(int(m[1]), int(m[2])) for m in footers if m]
    # Page numbers restart per section (copy) and count that section's pages.
    expected: list[tuple[int, int]] = []
    per_section = len(texts) // sections
    for _ in range(sections):
        expected += [(n, per_section) for n in range(1, per_section + 1)]
    assert numbers == expected
    for text in texts:
        assert title in text
        assert CASE_NO in text
    for chars in page_chars(pdf, aligned=False):
        assert_inside_page(chars)
        assert_no_overlap(chars)
    return texts


def assert_inside_page(chars: list[dict[str, Any]]) -> None:
    for c in chars:
        assert c["x0"] >= MARGIN_X / 2 and c["x1"] <= PAGE_WIDTH - MARGIN_X / 2, c["text"]
        assert c["top"] >= 0 and c["bottom"] <= PAGE_HEIGHT, c["text"]


def assert_no_overlap(chars: list[dict[str, Any]]) -> None:
    """No two glyph boxes share more than a quarter of the smaller one's area."""
    buckets: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for c in chars:
        buckets[int(c["top"] // 10)].append(c)
    for key, group in buckets.items():
        near = group + buckets.get(key + 1, [])
        for i, a in enumerate(group):
            for b in near[i + 1 :]:
                w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                if w <= 0 or h <= 0:
                    continue
                smaller = min(
                    (a["x1"] - a["x0"]) * (a["bottom"] - a["top"]),
                    (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]),
                )
                assert w * h <= 0.25 * smaller, f"{a['text']!r} overlaps {b['text']!r}"


def test_receipt_with_40_materials_flows_onto_more_pages() -> None:
    received = tuple(
        ReceivedMaterial(long_name(i), list(MaterialForm)[i % 4], 1 + i % 3, "备注" * (i % 5))
        for i in range(1, 41)
    )
    doc = dataclasses.replace(
        demo_receipt(), matters=(LONG_MATTER, LONG_MATTER + "（变更）"), received=received
    )
    pdf = render(doc)
    texts = assert_paged(pdf, "受理通知书", sections=2)
    assert len(texts) > 2
    column = "".join(
        ordered_text(chars, MARGIN_X + 12 * mm, MARGIN_X + 90 * mm) for chars in page_chars(pdf)
    )
    for material in received:
        assert material.name in column
    body = "".join(texts).replace("\n", "")
    assert LONG_MATTER in body
    assert "（印章）" in texts[-1]
    # The codes are on every page, the last one too.
    codes = decode_codes(pdf, len(texts) - 1)
    assert codes.get("Code128") == CASE_NO
    assert codes.get("QRCode") == DEMO_HALL.query_url(CASE_NO)


def test_commitment_with_40_gaps_pages_each_copy() -> None:
    gaps = tuple(
        GapMaterial(long_name(i), date(2026, 11, 27 + i % 4), "需加盖公章" * (i % 4))
        for i in range(1, 41)
    )
    pdf = render(dataclasses.replace(demo_commitment(), gaps=gaps))
    texts = assert_paged(pdf, "容缺受理承诺书", sections=2)
    half = len(texts) // 2
    assert half > 1
    assert all("第一联 申请人留存" in t for t in texts[:half])
    assert all("第二联 窗口留存" in t for t in texts[half:])
    for copy in (texts[:half], texts[half:]):
        pages = page_chars(pdf)[: len(copy)] if copy is texts[:half] else page_chars(pdf)[half:]
        column = "".join(
            ordered_text(c, MARGIN_X + 0.06 * BODY_WIDTH, MARGIN_X + 0.28 * BODY_WIDTH)
            for c in pages
        )
        for gap in gaps:
            assert gap.name in column
        assert "承诺人（签字或盖章）" in copy[-1]


def test_notice_with_40_needed_materials_and_long_reasons() -> None:
    needed = tuple(
        NeededMaterial(
            long_name(i),
            "missing" if i % 2 else "defective",
            f"原因{i}：" + "复印件不清晰，印章模糊，无法辨认签字人身份" * (1 + i % 3),
            f"办法{i}：" + "请到原发证机关重新开具并加盖公章后提交原件及复印件" * (1 + i % 2),
        )
        for i in range(1, 41)
    )
    pdf = render(dataclasses.replace(demo_notice(), needed=needed, matters=(LONG_MATTER,)))
    texts = assert_paged(pdf, "一次性告知书", sections=2)
    assert len(texts) > 4
    chars = page_chars(pdf)
    w = BODY_WIDTH
    columns = {
        "name": (MARGIN_X + 0.06 * w, MARGIN_X + 0.25 * w),
        "reason": (MARGIN_X + 0.47 * w, MARGIN_X + 0.69 * w),
        "how": (MARGIN_X + 0.69 * w, PAGE_WIDTH - MARGIN_X),
    }
    text = {
        key: "".join(ordered_text(c, x0, x1) for c in chars) for key, (x0, x1) in columns.items()
    }
    for item in needed:
        assert item.name in text["name"]
        assert item.reason in text["reason"]
        assert item.how_to_obtain in text["how"]
    assert "第三十二条" in "".join(texts)


def test_rejection_with_a_very_long_reason() -> None:
    reason = "经审查，" + "该申请事项依法属于省级行政机关的职权范围，本级行政机关无权受理；" * 60
    pdf = render(dataclasses.replace(demo_rejection(), reason=reason))
    texts = assert_paged(pdf, "不予受理通知书", sections=2)
    assert len(texts) > 2
    body_top, body_bottom = TOP_MARGIN + HEADER_HEIGHT, PAGE_HEIGHT - FOOTER_HEIGHT
    body = "".join(
        ordered_text(
            [c for c in chars if body_top < c["top"] < body_bottom], MARGIN_X - 2 * mm, PAGE_WIDTH
        )
        for chars in page_chars(pdf)
    )
    # each copy states it whole
    assert body.count(reason) == 2
    assert "六个月" in "".join(texts).replace("\n", "")


def test_footer_zone_stays_clear_of_the_body() -> None:
    received = tuple(ReceivedMaterial(long_name(i), MaterialForm.COPY, 1) for i in range(1, 41))
    pdf = render(dataclasses.replace(demo_receipt(), received=received))
    footer_top = PAGE_HEIGHT - FOOTER_HEIGHT
    for chars in page_chars(pdf):
        in_footer = [c for c in chars if c["bottom"] > footer_top]
        text = ordered_text(in_footer, 0, PAGE_WIDTH)
        assert re.fullmatch(r"文书编号SL\d+第\d+页共\d+页打印时间.+", text.replace(" ", ""))


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.text(CJK, min_size=2, max_size=70), min_size=1, max_size=45, unique=True),
)
def test_every_received_material_is_printed(names: list[str]) -> None:
    # Unique by prefix too, so one name can never be found inside another by accident.
    received = tuple(
        ReceivedMaterial(f"{i:02d}{name}", MaterialForm.COPY, 1) for i, name in enumerate(names)
    )
    pdf = render(dataclasses.replace(demo_receipt(), received=received))
    column = "".join(
        ordered_text(c, MARGIN_X + 12 * mm, MARGIN_X + 90 * mm) for c in page_chars(pdf)
    )
    for material in received:
        assert material.name in column
    for chars in page_chars(pdf, aligned=False):
        assert_inside_page(chars)
