"""A section's heading is never the last line of a page: the applicant reads it with what it
heads (the sample 一次性告知书 printed 「六、咨询与监督」 alone at the foot of its first page)."""

from __future__ import annotations

import re
from pathlib import Path

from app.printing.samples import write_samples
from tests.test_printing import page_texts

HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def _last_body_line(page: str) -> str:
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    body = [line for line in lines if not (line.startswith("文书编号") and "页" in line)]
    return body[-1] if body else ""


def test_no_paper_leaves_a_heading_at_the_foot_of_a_page(tmp_path: Path) -> None:
    found = []
    for path in write_samples(tmp_path):
        pages = page_texts(path.read_bytes())
        for number, page in enumerate(pages[:-1], start=1):
            last = _last_body_line(page)
            if HEADING.match(last):
                found.append(f"{path.stem} p{number}: {last}")
    assert found == []
