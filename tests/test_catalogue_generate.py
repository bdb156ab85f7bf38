"""The catalogue generator: valid, deterministic, realistic, shared standard materials."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.catalogue.generate import (
    _COMBINATIONS,
    _names,
    cmd_generate,
    generate_catalogue,
)
from app.catalogue.validate import validate_data, validate_file
from app.rules.identity import check_uscc


def test_generated_catalogue_validates_with_its_counts() -> None:
    report = validate_data(generate_catalogue(matters=500, materials_per_matter=4, seed=1))
    assert report.problems == []
    assert report.summary == "OK: 500 matters, 2000 materials, 27 departments, 2 bundles"


def test_generation_is_deterministic_per_seed() -> None:
    assert generate_catalogue(200, seed=7) == generate_catalogue(200, seed=7)
    assert generate_catalogue(200, seed=7) != generate_catalogue(200, seed=8)


def test_codes_are_national_style_and_unique() -> None:
    data = generate_catalogue(1000, seed=3)
    codes = [m["code"] for m in data["matters"]]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert re.fullmatch(r"[0-9A-Z]{18}-\d{5}-220800-00", code), code
        assert check_uscc(code[:18]) is None, code
    names = [m["name"] for m in data["matters"]]
    assert len(set(names)) == len(names)


def test_standard_materials_are_shared_with_one_name_per_code() -> None:
    data = generate_catalogue(1000, materials_per_matter=5, seed=0)
    uses = Counter(x["code"] for m in data["matters"] for x in m["materials"])
    assert uses["SQRSFZ"] > 50 and uses["YYZZ"] > 50
    named = {(x["code"], x["name"]) for m in data["matters"] for x in m["materials"]}
    assert len(named) == len({code for code, _ in named})
    for matter in data["matters"]:
        assert matter["materials"][0]["name"] == matter["name"] + "申请表"


def test_bundles_share_materials() -> None:
    data = generate_catalogue(2000, materials_per_matter=6, seed=2)
    matters = {m["code"]: m for m in data["matters"]}
    shared = 0
    for bundle in data["bundles"]:
        codes = [x["code"] for c in bundle["matters"] for x in matters[c]["materials"]]
        shared += len(codes) - len(set(codes))
    assert shared > 0


@pytest.mark.parametrize(("per_matter", "expected"), [(0, 0), (1, 1), (3, 3)])
def test_materials_per_matter(per_matter: int, expected: int) -> None:
    data = generate_catalogue(30, materials_per_matter=per_matter)
    assert {len(m["materials"]) for m in data["matters"]} == {expected}


@pytest.mark.parametrize(("matters", "per_matter"), [(-1, 4), (10, -1), (10, 100)])
def test_impossible_sizes_are_refused(matters: int, per_matter: int) -> None:
    with pytest.raises(ValueError):
        generate_catalogue(matters, per_matter)


def test_names_stay_distinct_beyond_all_combinations() -> None:
    names = _names(random.Random(0), _COMBINATIONS + 50)
    assert len({n for _, n, _, _ in names}) == _COMBINATIONS + 50
    assert sum("（第2批）" in n for _, n, _, _ in names) == 50


def test_cmd_generate_writes_a_valid_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "big.json"
    assert cmd_generate(out, 300) == 0
    assert "300" in capsys.readouterr().out
    assert (
        validate_file(out).summary == "OK: 300 matters, 1200 materials, 27 departments, 1 bundles"
    )


def test_cmd_generate_refuses_a_negative_count(tmp_path: Path) -> None:
    assert cmd_generate(tmp_path / "x.json", -5) == 2
    assert not (tmp_path / "x.json").exists()


@settings(max_examples=60, deadline=None)
@given(
    matters=st.integers(min_value=0, max_value=120),
    per_matter=st.integers(min_value=0, max_value=8),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_every_generated_catalogue_validates(matters: int, per_matter: int, seed: int) -> None:
    data = generate_catalogue(matters, per_matter, seed)
    report = validate_data(data)
    assert report.problems == []
    bundles = 0 if matters < 2 else max(1, min(30, matters // 200))
    assert report.summary == (
        f"OK: {matters} matters, {matters * per_matter} materials, 27 departments, "
        f"{bundles} bundles"
    )
