"""Matter search: substring of name, code, department, pinyin initials and full pinyin;
exact code first, then prefix matches, then the rest, by code."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import db.models  # noqa: F401  (registers every table)
from app.bench.catalogue import bench_search, realistic_queries
from app.catalogue.generate import generate_catalogue
from app.catalogue.importer import DEMO_CATALOGUE, import_catalogue
from app.catalogue.search import (
    MatterHit,
    MatterIndex,
    normalise,
    normalise_query,
)
from db.base import Base
from db.engine import Database, open_database

GTGSH = "个体工商户设立登记"


@pytest.fixture(scope="module")
def demo_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MatterIndex]:
    database = open_database(tmp_path_factory.mktemp("demo") / "desk.sqlite3")
    try:
        with database.session.begin() as s:
            import_catalogue(s, DEMO_CATALOGUE)
        with database.session() as s:
            yield MatterIndex.load(s)
    finally:
        database.close()


def names(hits: list[MatterHit]) -> list[str]:
    return [h.name for h in hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("个体工商户", [GTGSH, "个体工商户注销登记"]),
        ("gtgsh", [GTGSH, "个体工商户注销登记"]),
        ("GTGSH", [GTGSH, "个体工商户注销登记"]),
        ("ＧＴＧＳＨ", [GTGSH, "个体工商户注销登记"]),  # full-width, from a Chinese input method
        ("getigongshanghu", [GTGSH, "个体工商户注销登记"]),
        ("getigongshanghushe", [GTGSH]),
        ("gtgshsldj", [GTGSH]),
        ("  个体  设立 ", [GTGSH]),  # several words: all must occur
        ("燃气", ["燃气更名过户", "非居民燃气开户"]),
        ("lvxingshe", ["旅行社设立许可"]),
        ("这个不存在", []),
    ],
)
def test_search_finds(demo_index: MatterIndex, query: str, expected: list[str]) -> None:
    assert sorted(names(demo_index.search(query))) == sorted(expected)


def test_search_by_department_name_finds_all_its_matters(demo_index: MatterIndex) -> None:
    hits = demo_index.search("供电公司")
    assert names(hits) == ["低压居民用电更名过户", "低压非居民用电新装"]
    assert {h.department_name for h in hits} == {"国网白城供电公司"}
    assert {h.department_code for h in hits} == {"GD"}


def test_exact_code_comes_first_then_prefix_then_substring(demo_index: MatterIndex) -> None:
    code = demo_index.search(GTGSH)[0].code
    hits = demo_index.search(code.lower())
    assert hits[0].code == code and hits[0].name == GTGSH
    assert len(hits) == 1  # a full code is a prefix of no other code
    # "dengji" starts the pinyin of no name but occurs in many: all are substring matches,
    # "dj" starts the initials of none either; "sh" starts 社会团体… and 生育… (prefix first).
    hits = demo_index.search("sh")
    prefix = [h for h in hits if any(f.startswith("sh") for f in _fields(demo_index, h))]
    assert hits[: len(prefix)] == prefix
    assert prefix and len(prefix) < len(hits)
    assert [h.code for h in prefix] == sorted(h.code for h in prefix)
    rest = hits[len(prefix) :]
    assert [h.code for h in rest] == sorted(h.code for h in rest)


def _fields(index: MatterIndex, hit: MatterHit) -> tuple[str, ...]:
    [item] = [i for i in index._all.items if i.hit == hit]
    return item.fields


def test_code_prefix_matches_rank_by_code(demo_index: MatterIndex) -> None:
    hits = demo_index.search("91220800", limit=100)
    assert {h.department_code for h in hits} == {"GD", "SWJT", "RQ"}
    assert [h.code for h in hits] == sorted(h.code for h in hits)


def test_department_filter(demo_index: MatterIndex) -> None:
    assert names(demo_index.search("过户", department="RQ")) == ["燃气更名过户"]
    assert demo_index.search("过户", department="NOPE") == []
    assert len(demo_index.search("", department="SCJG")) == 8


def test_empty_query_lists_by_code_up_to_the_limit(demo_index: MatterIndex) -> None:
    hits = demo_index.search("", limit=10)
    assert len(hits) == 10
    assert [h.code for h in hits] == sorted(h.code for h in hits)
    assert demo_index.search("登记", limit=0) == []


def test_limit_is_respected(demo_index: MatterIndex) -> None:
    assert len(demo_index.search("2208", limit=7)) == 7
    assert len(demo_index.search("2208", limit=500)) == len(demo_index) == 60


def test_departments_for_the_filter(demo_index: MatterIndex) -> None:
    departments = demo_index.departments()
    assert len(departments) == 16
    assert ("GJJ", "白城市住房公积金管理中心") in departments
    assert [c for c, _ in departments] == sorted(c for c, _ in departments)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("出生", ["出生一件事"]),
        ("csyjs", ["出生一件事"]),
        ("qiyekaiban", ["企业开办一件事"]),
        (
            "一件事",
            [
                "企业开办一件事",
                "二手房转移登记及水电气过户一件事",
                "出生一件事",
                "退休一件事",
                "开办餐饮店一件事",
                "婚育一件事",
            ],
        ),
        ("过户", ["二手房转移登记及水电气过户一件事"]),
        ("zzz", []),
    ],
)
def test_search_bundles(demo_index: MatterIndex, query: str, expected: list[str]) -> None:
    assert sorted(b.name for b in demo_index.search_bundles(query)) == sorted(expected)


def test_bundle_hits_carry_their_matter_count(demo_index: MatterIndex) -> None:
    [bundle] = demo_index.search_bundles("企业开办")
    assert (bundle.code, bundle.matter_count) == ("YJS-QYKB", 5)
    assert len(demo_index.search_bundles("")) == 6


def test_bench_search_reports_p95(db: Database) -> None:
    with db.session.begin() as s:
        import_catalogue(s, DEMO_CATALOGUE)
    with db.session() as s:
        result = bench_search(s, ["gtgsh", "个体", "dj", "2208"])
    assert set(result) == {"search_p95_ms", "search_box_p95_ms", "search_index_load_ms"}
    assert 0 < result["search_p95_ms"] < 1000


def test_realistic_queries_are_keystroke_prefixes(demo_index: MatterIndex) -> None:
    queries = realistic_queries(demo_index, count=300)
    assert len(queries) == 300
    assert all(queries)
    assert any(q == "g" for q in queries) or any(len(q) == 1 for q in queries)


@st.composite
def catalogue_and_query(draw: st.DrawFn) -> tuple[int, int, str]:
    seed = draw(st.integers(min_value=0, max_value=10_000))
    matters = draw(st.integers(min_value=1, max_value=40))
    catalogue = generate_catalogue(matters=matters, materials_per_matter=2, seed=seed)
    matter = draw(st.sampled_from(catalogue["matters"]))
    source = draw(st.sampled_from([matter["name"], matter["code"], "zzz", "登记", "a", "1"]))
    start = draw(st.integers(min_value=0, max_value=len(source) - 1))
    end = draw(st.integers(min_value=start + 1, max_value=len(source)))
    noise = draw(st.sampled_from(["", "", " ", "\x00", "Ａ"]))
    return seed, matters, source[start:end] + noise


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogue_and_query())
def test_every_hit_contains_the_query_and_no_match_is_missed(case: tuple[int, int, str]) -> None:
    seed, matters, query = case
    catalogue = generate_catalogue(matters=matters, materials_per_matter=2, seed=seed)
    engine = create_engine("sqlite://")  # a bare in-memory database: fast enough per example
    try:
        Base.metadata.create_all(engine)
        with Session(engine) as s, s.begin():
            import_catalogue(s, catalogue)
        with Session(engine) as s:
            index = MatterIndex.load(s)
    finally:
        engine.dispose()
    tokens = normalise_query(query)
    hits = index.search(query, limit=1000)
    by_code = {item.hit.code: item for item in index._all.items}
    for hit in hits:
        fields = by_code[hit.code].fields
        assert all(any(t in f for f in fields) for t in tokens), (query, hit)
    expected = {
        code
        for code, item in by_code.items()
        if all(any(t in f for f in item.fields) for t in tokens)
    }
    assert {h.code for h in hits} == expected
    assert len(hits) == len(expected)  # no matter twice
    # The order: the exact code, then matters with a field starting with the (first) word,
    # then the rest, each group by code.
    assert tokens  # the drawn slice is never blank
    exact = [c for c in expected if len(tokens) == 1 and by_code[c].fields[0] == tokens[0]]
    starts = {c for c in expected if any(f.startswith(tokens[0]) for f in by_code[c].fields)}
    assert [h.code for h in hits] == exact + sorted(starts - set(exact)) + sorted(
        expected - starts - set(exact)
    )
    dept = catalogue["matters"][0]["department"]
    assert {h.code for h in index.search(query, department=dept, limit=1000)} == {
        c for c in expected if by_code[c].hit.department_code == dept
    }


def test_haystack_fields_are_normalised(demo_index: MatterIndex) -> None:
    item = next(i for i in demo_index._all.items if i.hit.name == "食品经营许可（新办）")
    code, name, department, initials, full = item.fields
    assert name == normalise("食品经营许可（新办）") == "食品经营许可(新办)"
    assert code == item.hit.code.lower()
    assert department == "白城市市场监督管理局"
    assert (initials, full) == ("spjyxkxb", "shipinjingyingxukexinban")


def test_two_word_query_stops_at_the_limit(demo_index: MatterIndex) -> None:
    """A two-word query checks the other word only until it has `limit` results; it does not
    collect and check every matter containing its longest word."""
    everything = demo_index.search("2208 2208", limit=1000)
    assert len(everything) == len(demo_index) == 60
    demo_index._all.examined = 0
    hits = demo_index.search("2208 2208", limit=5)
    assert hits == everything[:5]
    assert demo_index._all.examined <= 10


def test_two_word_query_ranks_prefix_of_the_first_word_first(demo_index: MatterIndex) -> None:
    hits = demo_index.search("sh dj", limit=100)
    assert hits
    starts = [any(f.startswith("sh") for f in _fields(demo_index, h)) for h in hits]
    assert starts == sorted(starts, reverse=True)
    for h in hits:
        hay = "\0".join(_fields(demo_index, h))
        assert "sh" in hay and "dj" in hay


class _NoScan(str):
    def find(self, *args: object, **kwargs: object) -> int:
        raise AssertionError("the catalogue's text was scanned")


class _NoScanBytes(bytes):
    def find(self, *args: object, **kwargs: object) -> int:
        raise AssertionError("the catalogue's text was scanned")


@pytest.mark.parametrize(
    "query", ["spjyxk", "食品经营", "2208 spj", "sp 食品经营", "no such matter"]
)
def test_words_of_three_characters_go_through_the_index_not_a_scan(
    demo_index: MatterIndex, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A keystroke with a word of 3 characters or more reads the index, never the catalogue's
    text; the hits are those of a plain check of every matter."""
    scanner = demo_index._all
    expected = [h.code for h in demo_index.search(query, limit=1000)]
    words = normalise_query(query)
    assert sorted(expected) == [i.hit.code for i in scanner.items if all(w in i.hay for w in words)]
    monkeypatch.setattr(scanner, "wide", _NoScan(scanner.wide))
    monkeypatch.setattr(scanner, "narrow_bytes", _NoScanBytes(scanner.narrow_bytes))
    assert [h.code for h in demo_index.search(query, limit=1000)] == expected
    scanner.examined = 0
    demo_index.search(query, limit=5)
    assert scanner.examined <= len(expected) + 5


def test_the_index_keeps_each_matter_small() -> None:
    """Issue 11 (the desk's memory): per matter the index keeps the hit, one haystack and its
    share of the joined text, not the fields a second time; its FTS5 table keeps which
    matters hold a trigram, not where. Counted in bytes allocated (tracemalloc) and in the
    in-memory table's pages, for a generated catalogue of 1,000 matters."""
    import gc
    import tracemalloc

    catalogue = generate_catalogue(matters=1000, materials_per_matter=2, seed=11)
    engine = create_engine("sqlite://")
    try:
        Base.metadata.create_all(engine)
        with Session(engine) as s, s.begin():
            import_catalogue(s, catalogue)
        with Session(engine) as s:
            MatterIndex.load(s)  # the query compiled, the modules loaded: not counted
            gc.collect()
            tracemalloc.start()
            try:
                index = MatterIndex.load(s)
                gc.collect()
                held = tracemalloc.get_traced_memory()[0]
            finally:
                tracemalloc.stop()
    finally:
        engine.dispose()
    fts = index._all.fts
    pages = fts.execute("PRAGMA page_count").fetchone()[0]
    page_size = fts.execute("PRAGMA page_size").fetchone()[0]
    assert len(index) == 1000
    assert held / len(index) < 1200
    assert pages * page_size / len(index) < 300
