"""The form of the papers of cases saved through the services: issued in the name of the
competent organ with its 文号, the seal's place and the date (GB/T 9704), two copies each signed
by the applicant, the file's copy with its binding margin, the real creation date, rare name
characters that print or are refused, and lines broken by the kinsoku rules."""

from __future__ import annotations

import dataclasses
import io
import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest
from reportlab.lib.units import mm
from reportlab.platypus import Flowable
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.catalogue.importer import import_demo_if_empty
from app.errors import UserError
from app.printing.layout import (
    BINDING_MARGIN,
    BODY_WIDTH,
    MARGIN_X,
    NO_LINE_END,
    PAGE_HEIGHT,
    PageHeader,
    build_a4,
    para,
)
from app.printing.model import QueueTicket
from app.printing.samples import DEMO_HALL, demo_receipt
from app.printing.ticket import HINT, MARGIN, PAPER_WIDTH, render_ticket, wrap_text
from app.rules.decision import MaterialEntry, MaterialStatus
from app.services.applicant import ApplicantData
from app.services.case_documents import IssuedDocument, documents_for_case
from app.services.changes import DeskContext
from app.services.hall import (
    apply_config,
    ensure_demo_hall,
    load_config,
    parse_config,
    set_desk,
)
from app.services.intake import SavedCase, save_case
from app.services.organs import OrganSettings, take_file_no
from db.engine import Database
from db.models.catalogue import Bundle
from db.models.document import Document
from db.models.numbering import DailyCounter

S = MaterialStatus
CTX = DeskContext(1, "BC0101")
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # 10:00 in Baicheng
PERSON = ApplicantData("person", "王䶮", "11010519491231002X", "13912345678")
ID_RENEWAL = "11220800013546813E-000-220800-03"  # 居民身份证换领, 白城市公安局 (GAJ)
ALL_IN = {
    "HKB": MaterialEntry(S.RECEIVED_ORIGINAL_CHECKED),
    "SQRSFZ": MaterialEntry(S.ELECTRONIC),
    "ZPCJ": MaterialEntry(S.ELECTRONIC),
}
ORGAN = "白城市公安局"
HALL = "白城市政务服务中心（演示）"
#: Must never begin a line / end one (the issue's kinsoku rule).
NEVER_FIRST = "，。、"
NEVER_LAST = "（《“"


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as s:
        import_demo_if_empty(s)
        ensure_demo_hall(s)
        set_desk(s, 1, "BC0101")
        s.commit()
        yield s


def saved(session: Session, **kw: Any) -> SavedCase:
    args: dict[str, Any] = {
        "applicant": PERSON,
        "matter_codes": [ID_RENEWAL],
        "entries": ALL_IN,
        "commitment_signed": False,
        "now": NOW,
    }
    args.update(kw)
    case = save_case(session, CTX, **args)
    session.commit()
    return case


def issue(session: Session, case_id: str, root: Path) -> list[IssuedDocument]:
    docs = documents_for_case(session, CTX, case_id, now=NOW, documents_root=root)
    session.commit()
    return docs


def pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def flat(text: str) -> str:
    return "".join(text.split())


def chars_and_curves(pdf: bytes) -> list[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [(list(p.chars), list(p.curves)) for p in doc.pages]


def find(chars: list[dict[str, Any]], text: str) -> list[list[dict[str, Any]]]:
    """Every run of consecutive characters spelling `text`."""
    runs = []
    for i in range(len(chars) - len(text) + 1):
        if "".join(c["text"] for c in chars[i : i + len(text)]) == text:
            runs.append(chars[i : i + len(text)])
    return runs


# --- issued by the competent organ -----------------------------------------------------------


def test_receipt_is_issued_by_the_organ_with_its_file_number_seal_and_date(
    session: Session, tmp_path: Path
) -> None:
    first = issue(session, saved(session).case_id, tmp_path)[0]
    second = issue(session, saved(session).case_id, tmp_path)[0]
    text = flat("".join(pages(first.pdf_bytes)))
    # The organ that decides the matter issues it; the hall is where it was received.
    assert ORGAN in text
    assert f"受理地点：{HALL}1号窗口" in text
    # 机关代字〔年〕号 of the organ (the demo hall file gives 公安局 白公受), numbered per year
    # in window 1's block (two desks never give out the same 文号).
    assert "白公受〔2026〕10001号" in text
    assert "白公受〔2026〕10002号" in flat("".join(pages(second.pdf_bytes)))
    row = session.get(Document, first.document_id)
    assert row is not None and row.file_no == "白公受〔2026〕10001号"
    # GB/T 9704 dates: no leading zeros anywhere on the paper.
    assert "2026年11月26日" in text
    assert not re.search(r"年0\d月|月0\d日", text)
    # The organ's name under the seal's place (a dashed circle marked 印章), the date below.
    for chars, curves in chars_and_curves(first.pdf_bytes):
        signed = max(find(chars, ORGAN), key=lambda run: run[0]["top"])  # the signature's
        x0, x1 = signed[0]["x0"], signed[-1]["x1"]
        top, bottom = signed[0]["top"], signed[0]["bottom"]
        assert any(
            c["x0"] <= x0 and x1 <= c["x1"] and c["top"] <= top and bottom <= c["bottom"]
            for c in curves
        ), "no seal place over the organ's name"
        date = max(find(chars, "2026年11月26日"), key=lambda run: run[0]["top"])
        assert date[0]["top"] > bottom, "the date is not below the organ's name"
        assert find(chars, "（印章）")


def test_a_bundles_paper_names_every_organ_each_under_its_seal_place(
    session: Session, tmp_path: Path
) -> None:
    bundle = session.get(Bundle, "YJS-QYKB")  # 企业开办一件事: five departments
    assert bundle is not None
    kinds = {
        "original_kept": S.RECEIVED_ORIGINAL_KEPT,
        "original_checked": S.RECEIVED_ORIGINAL_CHECKED,
        "copy": S.RECEIVED_COPIES,
        "electronic": S.ELECTRONIC,
    }
    entries = {
        m.code: MaterialEntry(kinds[m.form], copies=m.copies)
        for bm in bundle.matters
        for m in bm.matter.materials
        if m.necessity == "required"
    }
    # Conditional materials: the clerk confirms they do not apply (else the save asks).
    entries |= {
        m.code: MaterialEntry(S.NOT_APPLICABLE)
        for bm in bundle.matters
        for m in bm.matter.materials
        if m.necessity == "conditional" and m.code not in entries
    }
    org = ApplicantData("org", "白城市某某商贸有限公司", "91220800MA0000000M", "13912345678")
    case = saved(session, applicant=org, matter_codes=None, bundle_code="YJS-QYKB", entries=entries)
    doc = issue(session, case.case_id, tmp_path)[0]
    organs = [
        "白城市市场监督管理局",
        "白城市公安局",
        "国家税务总局白城市税务局",
        "白城市人力资源和社会保障局",
        "白城市住房公积金管理中心",
    ]
    texts = pages(doc.pdf_bytes)
    last_of_first_copy = len(texts) // 2 - 1
    chars, curves = chars_and_curves(doc.pdf_bytes)[last_of_first_copy]
    for organ in organs:
        assert organ in flat(texts[0])  # in the header
        signed = max(find(chars, organ), key=lambda run: run[0]["top"])
        centre, top = (signed[0]["x0"] + signed[-1]["x1"]) / 2, signed[0]["top"]
        # a seal place over the middle of the name (a long name is wider than the seal)
        assert any(
            c["x0"] <= centre <= c["x1"] and c["top"] <= top <= c["bottom"] for c in curves
        ), organ
    assert "白市监受〔2026〕10001号" in flat(texts[0])  # the first matter's organ's style


def test_a_reprint_keeps_the_file_number(session: Session, tmp_path: Path) -> None:
    case = saved(session)
    first = issue(session, case.case_id, tmp_path)[0]
    again = issue(session, case.case_id, tmp_path)[0]
    assert "白公受〔2026〕10001号" in flat("".join(pages(again.pdf_bytes)))
    assert again.doc_no == first.doc_no


def test_each_window_numbers_in_its_own_block_until_it_is_used_up(session: Session) -> None:
    day = NOW.date()
    assert take_file_no(session, "白公受", day, 3) == "白公受〔2026〕30001号"
    assert take_file_no(session, "白公受", day, 1) == "白公受〔2026〕10001号"
    assert take_file_no(session, "白公受", day, 3) == "白公受〔2026〕30002号"
    assert take_file_no(session, "白市监受", day, 3) == "白市监受〔2026〕30001号"
    assert take_file_no(session, "白公受", day, 0) == "白公受〔2026〕1号"
    # Skip to the end of the block, as 9,996 more papers would.
    session.execute(
        update(DailyCounter)
        .where(DailyCounter.scope == "fileno:白公受:w3")
        .values(value=DailyCounter.value + 9_996)
    )
    assert take_file_no(session, "白公受", day, 3) == "白公受〔2026〕39999号"
    with pytest.raises(UserError, match="3号窗口今年「白公受」的文号已用完"):
        take_file_no(session, "白公受", day, 3)
    # A new year starts again.
    assert take_file_no(session, "白公受", day.replace(year=2027), 3) == "白公受〔2027〕30001号"


def test_the_file_number_style_is_the_hall_files_with_a_default(
    session: Session, tmp_path: Path
) -> None:
    cfg = load_config(session)
    assert OrganSettings("GAJ", "白公受") in cfg.organs
    # A department the hall file does not list: the hall's own 机关代字.
    apply_config(session, CTX, dataclasses.replace(cfg, organs=()))
    session.commit()
    text = flat("".join(pages(issue(session, saved(session).case_id, tmp_path)[0].pdf_bytes)))
    assert "白政务受〔2026〕10001号" in text and ORGAN in text
    apply_config(session, CTX, dataclasses.replace(cfg, organs=(OrganSettings("GAJ", "白公证"),)))
    session.commit()
    text = flat("".join(pages(issue(session, saved(session).case_id, tmp_path)[0].pdf_bytes)))
    assert "白公证〔2026〕10001号" in text


@pytest.mark.parametrize(
    ("organs", "message"),
    [
        ([{"department": "GAJ", "doc_code": "白公受〔"}], "机关代字应为 1 至 12 个汉字"),
        ([{"department": "GAJ", "doc_code": "BG12"}], "机关代字应为 1 至 12 个汉字"),
        (
            [{"department": "GAJ", "doc_code": "白公受"}, {"department": "GAJ", "doc_code": "白"}],
            "部门 GAJ 的机关代字重复",
        ),
        ([{"department": "GAJ"}], "organs[0].doc_code"),
        ([{"department": "GAJ", "doc_code": "白公受", "seal": "x"}], "organs[0]"),
    ],
)
def test_a_bad_file_number_style_is_refused_with_one_line(
    organs: list[dict[str, str]], message: str
) -> None:
    from app.paths import CATALOGUE_DIR

    data = __import__("json").loads((CATALOGUE_DIR / "baicheng-hall.json").read_text("utf-8"))
    data["organs"] = organs
    with pytest.raises(UserError, match=re.escape(message)):
        parse_config(data)


# --- two copies, the binding margin, the creation date ------------------------------------------


def body_left_edge(chars: list[dict[str, Any]]) -> float:
    """Where the document line (文书编号：…) starts: the page's left margin."""
    return find(chars, "文书编号：")[0][0]["x0"]


@pytest.mark.parametrize(
    ("kw", "kind"),
    [
        ({}, "receipt"),
        ({"entries": {**ALL_IN, "HKB": MaterialEntry(S.MISSING)}}, "notice"),
        ({"reject_reason": "该事项由省公安厅办理", "refer_to": "吉林省公安厅"}, "rejection"),
    ],
)
def test_two_copies_each_signed_the_files_with_a_binding_margin(
    session: Session, tmp_path: Path, kw: dict[str, Any], kind: str
) -> None:
    doc = issue(session, saved(session, **kw).case_id, tmp_path)[0]
    assert doc.kind == kind
    texts = pages(doc.pdf_bytes)
    assert len(texts) == 2
    assert "第一联 申请人留存" in texts[0] and "第二联 存档" in texts[1]
    for text in texts:
        assert re.search(r"申请人（签[字收]）", text) and "日期：______年____月____日" in text
        assert "第 1 页 共 1 页" in text
    (applicant, _), (archive, _) = chars_and_curves(doc.pdf_bytes)
    assert body_left_edge(applicant) == pytest.approx(MARGIN_X, abs=0.5)
    assert body_left_edge(archive) == pytest.approx(BINDING_MARGIN, abs=0.5)
    # Nothing but the 装订线 mark in the binding margin; the body ends inside the paper.
    inked = [c for c in archive if c["text"] not in "装订线　 "]
    assert min(c["x0"] for c in inked) >= BINDING_MARGIN - 0.5
    wide = [
        c["text"] + str(round(c["x1"]))
        for c in inked
        if c["x1"] > BINDING_MARGIN + BODY_WIDTH + 0.5
    ]
    assert not wide, "".join(wide)


def test_commitment_copies_have_the_same_form(session: Session, tmp_path: Path) -> None:
    case = saved(
        session,
        matter_codes=["11220800013549174M-000-220800-06"],
        entries={
            "ZYSQ": MaterialEntry(S.RECEIVED_ORIGINAL_KEPT, copies=1),
            "SQRSFZ": MaterialEntry(S.ELECTRONIC),
            "CBJFPZ": MaterialEntry(S.TOLERATED),
        },
        commitment_signed=True,
    )
    docs = {d.kind: d for d in issue(session, case.case_id, tmp_path)}
    (first, _), (second, _) = chars_and_curves(docs["commitment"].pdf_bytes)
    texts = pages(docs["commitment"].pdf_bytes)
    assert "第一联" in texts[0] and "第二联" in texts[1]
    assert "白城市人力资源和社会保障局" in flat(texts[0])
    assert body_left_edge(first) == pytest.approx(MARGIN_X, abs=0.5)
    assert body_left_edge(second) == pytest.approx(BINDING_MARGIN, abs=0.5)


def test_the_pdf_is_dated_when_it_was_made(session: Session, tmp_path: Path) -> None:
    doc = issue(session, saved(session).case_id, tmp_path)[0]
    with pdfplumber.open(io.BytesIO(doc.pdf_bytes)) as pdf:
        assert pdf.metadata["CreationDate"] == "D:20261126100000+08'00'"
    later = datetime(2027, 3, 1, 7, 5, 9, tzinfo=UTC)
    ticket = QueueTicket(DEMO_HALL, "A001", "企业开办", 0, later)
    with pdfplumber.open(io.BytesIO(render_ticket(ticket))) as pdf:
        assert pdf.metadata["CreationDate"] == "D:20270301150509+08'00'"


# --- characters ---------------------------------------------------------------------------------


def test_extension_b_and_e_names_print_with_an_embedded_subset(
    session: Session, tmp_path: Path
) -> None:
    name = "吉𠮷𬌗"  # U+20BB7 (Extension B), U+2C317 (Extension E)
    case = saved(session, applicant=dataclasses.replace(PERSON, name=name))
    pdf = issue(session, case.case_id, tmp_path)[0].pdf_bytes
    assert name in flat(pages(pdf)[0])
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        fonts = {c["fontname"] for c in doc.pages[0].chars if c["text"] in "𠮷𬌗"}
    # reportlab names a subset font with a tag prefix; the whole 30 MB font is not embedded.
    assert fonts and all(re.match(r"^[A-Z]{6}\+", f) or "+" in f for f in fonts)
    assert len(pdf) < 1_000_000
    # And it is drawn: the glyphs leave ink where the name is.
    page = pdfium.PdfDocument(pdf)[0]
    image = page.render(scale=2).to_pil().convert("L")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        glyph = next(c for c in doc.pages[0].chars if c["text"] == "𠮷")
    box = [int(v * 2) for v in (glyph["x0"], glyph["top"], glyph["x1"], glyph["bottom"])]
    darkest, _lightest = image.crop(tuple(box)).getextrema()
    assert darkest < 100


def test_a_name_no_font_can_print_is_refused_at_entry(session: Session) -> None:
    name = "王\U0003134a"  # Extension G: in none of the fonts
    with pytest.raises(UserError, match="「\U0003134a」无法打印"):
        saved(session, applicant=dataclasses.replace(PERSON, name=name))
    session.rollback()
    assert session.scalars(select(Document)).first() is None


# --- kinsoku ------------------------------------------------------------------------------------


def stress_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    words, marks = "申请材料齐全符合法定形式决定予以受理䶮", "，。、（《“”》）：；"
    pieces = [*words, *marks, "ABC", " 12 "]
    weights = [3] * len(words) + [4] * len(marks) + [1, 1]
    # Each starts and ends as a sentence does (a paragraph's first line is not judged by its
    # start, nor its last by its end).
    return [
        "申" + "".join(rng.choices(pieces, weights, k=rng.randint(20, 160))) + "。"
        for _ in range(count)
    ]


def lines_of(flowable: Flowable) -> list[str]:
    """The lines reportlab broke a paragraph into."""
    out = []
    for line in flowable.blPara.lines:
        if isinstance(line, tuple):
            out.append("".join(line[1]))
        else:
            out.append("".join(w.text for w in line.words))
    return out


@pytest.mark.parametrize("width", [30 * mm, 47 * mm, 83 * mm, BODY_WIDTH])
def test_kinsoku_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(
    width: float,
) -> None:
    from app.printing.fonts import register_fonts

    register_fonts()
    for text in stress_texts(int(width), 150):
        p = para(text)
        p.wrap(width, 10_000)
        lines = lines_of(p)
        # nothing lost or doubled (a paragraph collapses runs of spaces)
        assert flat("".join(lines)) == flat(text)
        for i, line in enumerate(lines):
            if i:
                assert line[:1] not in NEVER_FIRST, (text, lines)
            if i < len(lines) - 1:
                assert line[-1:] not in NEVER_LAST, (text, lines)
                assert line[-1:] not in NO_LINE_END


def test_a_number_before_a_closing_mark_is_not_cut() -> None:
    """A phone number followed by 。 at the margin moves whole to the next line (the commitment
    printed 「0436-322120」 / 「1。」 once the 。 could not start a line)."""
    from app.printing.fonts import register_fonts, string_width

    register_fonts()
    text = "申请人请按本文书所列事项办理；联系电话：0436-3221201。"
    # As wide as everything but the closing 。: the mark cannot start the next line.
    p = para(text)
    p.wrap(string_width(text[:-1], 10.5) + 1, 10_000)
    lines = lines_of(p)
    assert flat("".join(lines)) == flat(text)
    assert any(line.startswith("0436-3221201") for line in lines), lines


def test_kinsoku_on_the_printed_page() -> None:
    texts = stress_texts(7, 40)
    pdf = build_a4(
        PageHeader("一次性告知书", DEMO_HALL, demo_receipt().meta),
        lambda: [para(t) for t in texts],
        sections=("",),
    )
    body_top, body_bottom = 46 * mm, PAGE_HEIGHT - 16 * mm
    seen = 0
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            # Lines by baseline (the fallback font's glyphs have other tops).
            lines: dict[float, list[dict[str, Any]]] = {}
            for c in page.chars:
                if body_top < c["top"] < body_bottom and not c["text"].isspace():
                    lines.setdefault(round(c["matrix"][5], 1), []).append(c)
            for chars in lines.values():
                line = "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]))
                assert line[:1] not in NEVER_FIRST, line
                assert line[-1:] not in NEVER_LAST, line
                seen += 1
    assert seen > 100


# --- the ticket ---------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["A001", "Y0123", "E9999", "WWWW"])
def test_the_ticket_number_stays_inside_the_printable_width(number: str) -> None:
    ticket = QueueTicket(DEMO_HALL, number, "综合受理", 3, NOW)
    with pdfplumber.open(io.BytesIO(render_ticket(ticket))) as doc:
        chars = doc.pages[0].chars
    biggest = max(c["size"] for c in chars)
    digits = [c for c in chars if c["size"] == biggest]
    assert "".join(c["text"] for c in digits) == number
    assert min(c["x0"] for c in digits) >= MARGIN + 2 * mm
    assert max(c["x1"] for c in digits) <= PAPER_WIDTH - MARGIN - 2 * mm


def test_the_ticket_hint_breaks_between_clauses() -> None:
    lines = wrap_text(HINT, 9, PAPER_WIDTH - 2 * MARGIN)
    assert "".join(lines) == HINT and len(lines) > 1
    for line in lines:
        assert line[-1] in "，。"
    # A clause wider than the line is broken inside, by the kinsoku rules.
    long = "请" + "留意大厅屏幕显示和语音叫号" * 4 + "，好。"
    narrow = wrap_text(long, 9, 30 * mm)
    assert "".join(narrow) == long
    assert all(line[:1] not in NEVER_FIRST for line in narrow[1:])
