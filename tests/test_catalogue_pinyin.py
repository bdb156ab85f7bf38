"""The fast cut of names into pypinyin's words (app.catalogue.pinyin) agrees with pypinyin's
own on every name of a generated 20,000-matter catalogue, the demo, and odd strings."""

from __future__ import annotations

import json

import pytest
from pypinyin.seg.simpleseg import seg

from app.catalogue.generate import generate_catalogue
from app.catalogue.importer import DEMO_CATALOGUE
from app.catalogue.pinyin import segments

ODD = [
    "",
    "A",
    "中",
    "个体工商户设立登记（分支机构）",
    "ABC证明 2024版",
    "  前后空格  ",
    "〇号窗口",
    "第二代居民身份证\n换领",
    "中文English中文123",
    "𠀀生僻字",
]


def _names() -> list[str]:
    demo = json.loads(DEMO_CATALOGUE.read_text(encoding="utf-8"))
    names = [m["name"] for m in demo["matters"]] + [d["name"] for d in demo["departments"]]
    generated = generate_catalogue(matters=20_000)
    return names + [m["name"] for m in generated["matters"]]


@pytest.mark.parametrize("text", ODD)
def test_odd_strings_are_cut_as_pypinyin_cuts_them(text: str) -> None:
    assert segments(text) == [part for part in seg(text) if part]


def test_every_catalogue_name_is_cut_as_pypinyin_cuts_it() -> None:
    for name in _names():
        assert segments(name) == [part for part in seg(name) if part], name
