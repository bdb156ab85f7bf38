"""The checks a hall supervisor makes on a paper, on its text (whitespace removed): used on
papers made from cases saved through the services and on the samples of print-samples."""

from __future__ import annotations

import io
import re

import pdfplumber

NOTHING_ELSE = "除上述材料外，不再要求申请人提供其他材料。"
# The clerk's working notes: never on a paper for the applicant.
INTERNAL = ("可容缺", "未签署容缺承诺书", "承诺时限内无法安排", "why.", "reason.")
LICENSING_LAW = "《中华人民共和国行政许可法》"


def flat_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "".join("".join((page.extract_text() or "").split()) for page in doc.pages)


def _law_clauses(text: str) -> list[str]:
    return re.findall(r"《中华人民共和国行政许可法》第三十二条(第一款第（.）项)?", text)


def receipt_problems(text: str) -> list[str]:
    problems = []
    if "尚未提交" in text and "申请材料齐全" in text:
        problems.append("a receipt says 申请材料齐全 while materials are missing")
    if "第三十二条" in text and "第三十二条第一款第（五）项" not in text:
        problems.append("a receipt cites art. 32 without the clause on acceptance")
    return problems


def notice_problems(text: str) -> list[str]:
    problems = []
    if NOTHING_ELSE not in text:
        problems.append("no 除上述材料外，不再要求申请人提供其他材料")
    for column in ("提交要求", "原因", "获取方式"):
        if column not in text:
            problems.append(f"no {column} column")
    if "提交方式" not in text:
        problems.append("no place and way to hand the materials in")
    problems += [f"internal text on the paper: {word}" for word in INTERNAL if word in text]
    if "第三十二条" in text and "第三十二条第一款第（四）项" not in text:
        problems.append("a notice cites art. 32 without the clause on notification")
    if "告知日期" not in text:
        problems.append("a notice without its date")
    return problems


def commitment_problems(text: str) -> list[str]:
    problems = []
    # A table cell may wrap between the two: each is looked for on its own.
    if not (re.search(r"\d+个工作日内", text) and re.search(r"（\d{4}年\d{1,2}月\d{1,2}日", text)):
        problems.append("no deadline in working days and as a date")
    for needed in ("视为撤回", "联系电话：", "容缺受理依据：", "提交要求"):
        if needed not in text:
            problems.append(f"no {needed}")
    problems += [f"internal text on the paper: {word}" for word in INTERNAL[1:] if word in text]
    return problems


def rejection_problems(text: str) -> list[str]:
    problems = []
    if LICENSING_LAW in text and "第三十二条第一款第（二）项" not in text:
        problems.append("a rejection cites the licensing law without its exact clause")
    if "第三十二条第一款第（二）项" in text and "提出申请" not in text:
        problems.append("not this organ's, but no organ to apply to is named")
    if "行政复议" in text and not ("六十日" in text and "六个月" in text):
        problems.append("remedies without their time limits")
    return problems


CHECKS = {
    "receipt": receipt_problems,
    "notice": notice_problems,
    "commitment": commitment_problems,
    "rejection": rejection_problems,
}
