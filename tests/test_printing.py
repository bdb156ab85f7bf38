"""The printed documents: fonts, masking, content of each document, codes that decode back,
every font embedded."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.units import mm

from app.paths import FONT_FILES
from app.printing.fonts import (
    FALLBACK_FONT,
    FONT,
    markup,
    missing_glyphs,
    register_fonts,
    runs,
)
from app.printing.layout import BINDING_MARGIN, BODY_WIDTH, MARGIN_X, format_date
from app.printing.model import (
    Applicant,
    GapMaterial,
    NeededMaterial,
    QueueTicket,
    kind_of,
    mask_id_number,
    mask_phone,
)
from app.printing.render import render
from app.printing.samples import (
    CASE_NO,
    DEMO_HALL,
    demo_commitment,
    demo_notice,
    demo_receipt,
    demo_rejection,
    demo_ticket,
    write_samples,
)

# --- helpers shared with test_printing_paging.py ----------------------------------------


def page_texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def page_chars(pdf: bytes, aligned: bool = True) -> list[list[dict[str, Any]]]:
    """Each page's characters; `aligned`: those of a copy for the file (第二联, printed with the
    binding margin) moved left by the difference, so a column is where the first copy has it."""
    shift = BINDING_MARGIN - MARGIN_X
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = []
        for page in doc.pages:
            chars = list(page.chars)
            if aligned and "第二联" in (page.extract_text() or ""):
                chars = [{**c, "x0": c["x0"] - shift, "x1": c["x1"] - shift} for c in chars]
            pages.append(chars)
        return pages


def column_text(pdf: bytes, x0: float, x1: float) -> list[str]:
    """Per page, the text of the characters whose centre lies between x0 and x1 (points from
    the left edge), in reading order without line breaks: a table column's cells, joined."""
    texts = []
    for chars in page_chars(pdf):
        inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1]
        inside.sort(key=lambda c: (round(c["top"]), c["x0"]))
        texts.append("".join(c["text"] for c in inside))
    return texts


def decode_codes(pdf: bytes, page: int = 0, dpi: int = 200) -> dict[str, str]:
    """The codes on a rendered page, by format name ('Code128', 'QRCode')."""
    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[page].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()
    return {r.format.name: r.text for r in zxingcpp.read_barcodes(image)}


def font_dicts(pdf: bytes) -> Iterator[Any]:
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            yield ref.get_object()


def assert_all_fonts_embedded(pdf: bytes) -> None:
    seen = 0
    for font in font_dicts(pdf):
        seen += 1
        base = str(font["/BaseFont"])
        assert font["/Subtype"] == "/TrueType", base
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{base} is not embedded"
        assert "+" in base, f"{base} is not a subset"
    assert seen > 0


# --- fonts --------------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["䶮", "堃", "喆", "王", "A", "7", "（", "："])
def test_every_name_character_has_a_glyph(char: str) -> None:
    assert missing_glyphs(char) == ""


def _decodable(encoding: str, lead: range, trail: range) -> str:
    chars = []
    for hi in lead:
        for lo in trail:
            try:
                chars.append(bytes([hi, lo]).decode(encoding))
            except UnicodeDecodeError:
                continue
    return "".join(c for c in chars if "\u3400" <= c <= "\u9fff")


@pytest.mark.parametrize(
    ("repertoire", "size"),
    [
        (_decodable("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF)), 6763),
        (_decodable("gbk", range(0x81, 0xFF), range(0x40, 0xFF)), 20902),
        ("".join(chr(c) for c in range(0x3400, 0x4DB6)), 6582),  # CJK Extension A
    ],
    ids=["GB2312", "GBK", "ExtA"],
)
def test_every_hanzi_of_the_national_repertoires_prints(repertoire: str, size: int) -> None:
    assert len(repertoire) == size
    assert missing_glyphs(repertoire) == ""


def test_extension_a_characters_come_from_the_fallback_font() -> None:
    assert list(runs("王䶮先生")) == [(FONT, "王"), (FALLBACK_FONT, "䶮"), (FONT, "先生")]
    assert markup("王䶮<b>") == f'王<font face="{FALLBACK_FONT}">䶮</font>&lt;b&gt;'


def test_unprintable_characters_are_reported() -> None:
    # U+1F600 (an emoji) is in neither font.
    assert missing_glyphs("王\U0001f600 ") == "\U0001f600"


def test_font_files_and_licences_ship_together() -> None:
    assert len(FONT_FILES) == 2
    for path in FONT_FILES:
        assert path.is_file()
        assert path.read_bytes()[:4] in (b"ttcf", b"\x00\x01\x00\x00")  # TrueType, not CFF
    folder = FONT_FILES[0].parent
    assert "Apache" in (folder / "wqy-microhei.LICENSE.txt").read_text()
    assert "Apache" in (folder / "DroidSansFallbackFull.LICENSE.txt").read_text()
    assert (folder / "Apache-2.0.txt").is_file()


def test_fonts_register_once() -> None:
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    first = pdfmetrics.getFont(FONT)
    register_fonts()
    assert pdfmetrics.getFont(FONT) is first


# --- masking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("220802199003151234", "220802********1234"),
        ("22080219880722453X", "220802********453X"),
        (" 220802199003151234 ", "220802********1234"),
        ("91220800MA0Y123456", "91220800MA0Y123456"),  # a USCC is public: shown whole
        ("E12345678", "E12345678"),  # passport
        ("", ""),
    ],
)
def test_id_numbers_are_masked(raw: str, shown: str) -> None:
    assert mask_id_number(raw) == shown


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("13904361234", "139****1234"), ("0436-3232345", "0436-3232345")],
)
def test_mobile_numbers_are_masked(raw: str, shown: str) -> None:
    assert mask_phone(raw) == shown


@given(st.from_regex(r"\A[1-6]\d{16}[\dX]\Z"))
def test_a_masked_id_never_shows_the_birth_date(id_number: str) -> None:
    masked = mask_id_number(id_number)
    assert len(masked) == 18
    assert masked[6:14] == "*" * 8
    assert masked[:6] == id_number[:6] and masked[-4:] == id_number[-4:]


# --- model rules --------------------------------------------------------------------------


def test_a_gap_deadline_after_the_promised_date_is_refused() -> None:
    receipt = demo_receipt()
    late = GapMaterial("营业场所证明", date(2026, 12, 11))
    with pytest.raises(ValueError, match="promised"):
        dataclasses.replace(receipt, gaps=(late,))


def test_a_commitment_without_gaps_is_refused() -> None:
    with pytest.raises(ValueError):
        dataclasses.replace(demo_commitment(), gaps=())


def test_a_ticket_cannot_have_negative_waiting() -> None:
    with pytest.raises(ValueError):
        dataclasses.replace(demo_ticket(), waiting_ahead=-1)


@pytest.mark.parametrize(
    ("document", "kind"),
    [
        (demo_receipt(), "receipt"),
        (demo_commitment(), "commitment"),
        (demo_notice(), "notice"),
        (demo_rejection(), "rejection"),
        (demo_ticket(), "ticket"),
    ],
)
def test_kind_of(document: Any, kind: str) -> None:
    assert kind_of(document) == kind


# --- the documents ------------------------------------------------------------------------

ALL_DEMOS = [demo_receipt, demo_commitment, demo_notice, demo_rejection, demo_ticket]


@pytest.mark.parametrize("make", ALL_DEMOS, ids=lambda f: f.__name__)
def test_every_font_is_embedded(make: Any) -> None:
    assert_all_fonts_embedded(render(make()))


@pytest.mark.parametrize("make", ALL_DEMOS, ids=lambda f: f.__name__)
def test_same_data_gives_the_same_pdf(make: Any) -> None:
    # Invariant output: a reprint's SHA-256 only changes when what it shows changes.
    assert render(make()) == render(make())


@pytest.mark.parametrize(
    "make", [demo_receipt, demo_commitment, demo_notice, demo_rejection], ids=lambda f: f.__name__
)
def test_each_a4_page_carries_codes_that_decode(make: Any) -> None:
    pdf = render(make())
    reader = PdfReader(io.BytesIO(pdf))
    for page in range(len(reader.pages)):
        assert [float(v) for v in reader.pages[page].mediabox[2:]] == pytest.approx(
            [595.28, 841.89], abs=0.1
        )
        codes = decode_codes(pdf, page)
        assert codes.get("Code128") == CASE_NO
        if make is demo_notice:  # what to bring, not the progress of a notified case
            assert codes.get("QRCode") == DEMO_HALL.query_url(CASE_NO) + "&view=materials"
        else:
            assert codes.get("QRCode") == DEMO_HALL.query_url(CASE_NO)


def test_codes_decode_for_a_case_number_with_letters() -> None:
    receipt = demo_receipt()
    case_no = "BC-220800-20261126-A0012"
    doc = dataclasses.replace(receipt, meta=dataclasses.replace(receipt.meta, case_no=case_no))
    codes = decode_codes(render(doc))
    assert codes["Code128"] == case_no
    assert codes["QRCode"] == f"https://zwfw.baicheng.gov.cn/query?no={case_no}"


def test_receipt_content() -> None:
    text = "\n".join(page_texts(render(demo_receipt())))
    for expected in [
        "白城市政务服务中心",
        "受理通知书",
        "王䶮",
        "李堃",
        "张喆",
        "220802********1234",
        "220802********453X",
        "3号窗口",
        "2026年11月26日 09:32",  # local time of 01:32 UTC
        "SL22080020261126030001",
        "22080020261126030012",
        "食品经营许可（新办）",
        "法定代表人身份证件",
        "原件（核验后退回）",
        "从业人员健康证明",
        format_date(date(2026, 12, 3)),
        f"承诺办结日期：{format_date(date(2026, 12, 10))}",
        "https://zwfw.baicheng.gov.cn/query?no=22080020261126030012",
        "0436-3232345",
        "申请人（签字）",
        "（印章）",
        "第 1 页 共 1 页",
        "第一联 申请人留存",
        "第二联 存档",
    ]:
        assert expected in text, expected
    assert "根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定" in text.replace(
        "\n", ""
    )
    assert "139****1234" in text
    assert "220802199003151234" not in text and "13904361234" not in text
    assert "补打" not in text


def test_reprint_is_marked_with_its_count() -> None:
    pages = page_texts(render(demo_receipt(reprint=2)))
    assert all("补打（第2次）" in page for page in pages)


def test_commitment_prints_two_copies_each_with_its_own_page_count() -> None:
    pdf = render(demo_commitment())
    pages = page_texts(pdf)
    assert len(pages) == 2
    material_column = column_text(pdf, MARGIN_X + 0.06 * BODY_WIDTH, MARGIN_X + 0.28 * BODY_WIDTH)
    assert "第一联 申请人留存" in pages[0] and "第二联 窗口留存" in pages[1]
    for page, materials in zip(pages, material_column, strict=True):
        assert "容缺受理承诺书" in page
        assert "第 1 页 共 1 页" in page
        flat = page.replace("\n", "")
        assert "逾期未补齐的，视为撤回申请" in flat
        assert "记入申请人信用记录" in flat and "0436-3221201" in flat
        assert "容缺受理依据：《白城市政务服务事项容缺受理制度》" in flat
        assert "承诺人（签字或盖章）" in page
        assert "从业人员健康证明" in materials
        assert "5个工作日内" in flat and format_date(date(2026, 12, 3)) in flat


def test_notice_states_every_gap_with_reason_and_remedy() -> None:
    notice = demo_notice()
    text = "".join(page_texts(render(notice))).replace("\n", "")
    assert "根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定" in text
    assert "0436-3232345" in text and "12345" in text
    assert "除上述材料外，不再要求申请人提供其他材料。" in text
    for material in notice.received:
        assert material.name in text
    names = "".join(
        column_text(render(notice), MARGIN_X + 0.06 * BODY_WIDTH, MARGIN_X + 0.25 * BODY_WIDTH)
    )
    for needed in notice.needed:
        assert f"{needed.name}（{needed.problem_label}）" in names
    assert "需补正" in text and "缺少" in text
    assert f"共{len(notice.needed)}项" in text


def test_rejection_states_reason_referral_and_remedies() -> None:
    text = "".join(page_texts(render(demo_rejection()))).replace("\n", "")
    assert "决定不予受理" in text
    assert "根据《中华人民共和国行政许可法》第三十二条第一款第（二）项的规定，决定不予受理" in text
    assert "请向吉林省药品监督管理局提出申请" in text
    assert "六十日" in text and "《中华人民共和国行政复议法》" in text
    assert "六个月" in text and "《中华人民共和国行政诉讼法》" in text
    assert "白城市人民政府" in text and "白城市洮北区人民法院" in text


def test_rejection_without_known_bodies_uses_general_wording() -> None:
    doc = dataclasses.replace(demo_rejection(), refer_to=None, review_body=None, court=None)
    text = "".join(page_texts(render(doc))).replace("\n", "")
    assert "有权的行政复议机关" in text and "有管辖权的人民法院" in text
    assert "申请办理。" not in text


def test_org_applicant_shows_its_credit_code() -> None:
    org = Applicant("org", "白城市鹤鸣文化传媒有限公司", "91220800MA0Y123456", "0436-1234567")
    doc = dataclasses.replace(demo_receipt(), applicant=org)
    text = page_texts(render(doc))[0]
    assert "统一社会信用代码" in text and "91220800MA0Y123456" in text


# --- the ticket ---------------------------------------------------------------------------


def test_ticket_is_80mm_wide_and_as_tall_as_its_content() -> None:
    pdf = render(demo_ticket())
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert width == pytest.approx(80 * mm)
    assert 50 * mm < height < 120 * mm
    chars = page_chars(pdf)[0]
    assert min(c["top"] for c in chars) > 0 and max(c["bottom"] for c in chars) < height


def test_ticket_number_is_the_largest_text() -> None:
    pdf = render(demo_ticket())
    chars = page_chars(pdf)[0]
    number = [c for c in chars if c["size"] > 40]
    assert "".join(c["text"] for c in number) == "A012"
    text = page_texts(pdf)[0]
    assert "企业开办综合窗口" in text
    assert "您前面还有 7 人等候" in text
    assert "2026-11-26 09:32" in text
    assert "白城市政务服务中心" in text
    assert "离线" not in text


@pytest.mark.parametrize(("offline", "reprint"), [(True, 0), (False, 1), (True, 3)])
def test_ticket_marks_offline_and_reprint(offline: bool, reprint: int) -> None:
    ticket = dataclasses.replace(demo_ticket(), offline=offline, reprint_count=reprint)
    text = page_texts(render(ticket))[0]
    assert ("离线取号" in text) is offline
    assert (f"补打（第{reprint}次）" in text) is (reprint > 0)


def test_long_ticket_number_still_fits_the_roll() -> None:
    ticket = QueueTicket(
        hall=DEMO_HALL,
        ticket_no="YA1234",
        business_line="不动产登记、税务、公积金联办窗口（一件事集成服务）",
        waiting_ahead=123,
        issued_at=datetime(2026, 11, 26, 2, 0, tzinfo=UTC),
    )
    pdf = render(ticket)
    for c in page_chars(pdf)[0]:
        assert c["x0"] >= 0 and c["x1"] <= 80 * mm


# --- samples ------------------------------------------------------------------------------


def test_write_samples_writes_the_five_documents(tmp_path: Path) -> None:
    hall = dataclasses.replace(DEMO_HALL, name="白城市洮北区政务服务中心")
    written = write_samples(tmp_path / "out", hall)
    names = sorted(p.name for p in written)
    assert names == ["commitment.pdf", "notice.pdf", "receipt.pdf", "rejection.pdf", "ticket.pdf"]
    for path in written:
        pdf = path.read_bytes()
        assert pdf.startswith(b"%PDF")
        assert "白城市洮北区政务服务中心" in page_texts(pdf)[0]


def test_needed_material_labels() -> None:
    assert NeededMaterial("a", "missing", "r", "h").problem_label == "缺少"
    assert NeededMaterial("a", "defective", "r", "h").problem_label == "需补正"


def test_bench_reports_warm_medians() -> None:
    from app.bench.printing import bench_printing

    result = bench_printing(runs=3, first_runs=1)
    assert result["runs"] == 3
    assert 0 < result["ticket_pdf_ms"] < 5000
    assert 0 < result["receipt_pdf_ms"] < 5000
    # A session's first papers, each in a fresh process after the desk's warm-up.
    for key in ("first_receipt_pdf_ms", "first_rare_name_receipt_pdf_ms", "warm_receipt_pdf_ms"):
        assert 0 < result[key] < 60_000
    assert isinstance(result["rl_accel"], bool)
