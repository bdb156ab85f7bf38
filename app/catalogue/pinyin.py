"""The words pypinyin reads a name by, as `pypinyin.seg.simpleseg.seg` cuts them, in a
fraction of its time: the runs of Chinese characters and of other characters are split by one
regular expression (pypinyin tests every character against its pattern in Python), and the
maximum-matching cut of a run of Chinese characters is cached per run (a catalogue's 20,000
names are made of a few thousand distinct runs: 设立登记, 分支机构, 跨省通办 …)."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def _runs() -> re.Pattern[str]:
    # pypinyin loads its dictionaries on import (a quarter of a second): only when needed.
    from pypinyin.constants import RE_HANS

    pattern = RE_HANS.pattern
    if not (pattern.startswith("^(?:[") and pattern.endswith("])+$")):
        raise RuntimeError(f"pypinyin's RE_HANS changed: {pattern[:40]}")
    han = pattern[len("^(?:") : -len(")+$")]
    return re.compile(f"({han}+)")


@lru_cache(maxsize=65536)
def _han_words(run: str) -> tuple[str, ...]:
    from pypinyin.seg import mmseg

    return tuple(mmseg.seg.cut(run))


def segments(text: str) -> list[str]:
    """What `pypinyin.seg.simpleseg.seg(text)` returns (tests/test_catalogue_pinyin.py
    compares them), its empty parts left out."""
    out: list[str] = []
    # split() with a group alternates other runs (even places) and Chinese runs (odd).
    for i, part in enumerate(_runs().split(text)):
        if not part:
            continue
        if i % 2:
            out.extend(_han_words(part))
        else:
            out.append(part)
    return out
