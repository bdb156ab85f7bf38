"""Catalogue validation: every kind of bad file gives its located problem line."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.catalogue.validate import cmd_validate, validate_data, validate_file
from app.paths import CATALOGUE_DIR
from tests.test_catalogue_samples import material, small_catalogue

Doc = dict[str, Any]

M0 = "matters[0]"
M1 = "matters[1]"


def _set(path: str, value: Any) -> Callable[[Doc], None]:
    """A mutation setting the value at a dotted path with [i] indexes."""

    def mutate(doc: Doc) -> None:
        target: Any = doc
        parts = path.replace("]", "").replace("[", ".").split(".")
        for part in parts[:-1]:
            target = target[int(part)] if part.isdigit() else target[part]
        last = parts[-1]
        if last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value

    return mutate


def _apply(*mutations: Callable[[Doc], None]) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        for m in mutations:
            m(doc)

    return mutate


def _del(path: str, key: str) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        target: Any = doc
        for part in path.replace("]", "").replace("[", ".").split("."):
            target = target[int(part)] if part.isdigit() else target[part]
        del target[key]

    return mutate


def _append(path: str, value: Any) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        target: Any = doc
        for part in path.replace("]", "").replace("[", ".").split("."):
            target = target[int(part)] if part.isdigit() else target[part]
        target.append(value)

    return mutate


CASES: list[tuple[str, Callable[[Doc], None], str]] = [
    (
        "enum",
        _set("matters[0].materials[1].form", "scan"),
        'matters[0].materials[1].form: "scan" 不是允许的值'
        "（可用：original_checked、original_kept、copy、electronic）",
    ),
    ("format", _set("format", "other/2"), 'format: 应为 "onewindow-catalogue/1"'),
    ("missing key", _del(M0, "kind"), "matters[0]: 缺少必填字段 'kind'"),
    (
        "unknown key",
        _set("matters[0].fee", 1),
        "matters[0]: 不认识的字段 'fee'",
    ),
    ("wrong type", _set("demo", "yes"), 'demo: 应为布尔值（true 或 false），而不是 "yes"'),
    ("negative days", _set("matters[1].legal_days", -1), "matters[1].legal_days: -1 小于最小值 0"),
    ("empty name", _set("matters[0].name", ""), "matters[0].name: 不能为空"),
    (
        "whitespace name",
        _set("departments[1].name", "  \u3000"),
        "departments[1].name: 名称不能只有空白",
    ),
    (
        "whitespace material name",
        _set("matters[1].materials[0].name", " "),
        "matters[1].materials[0].name: 名称不能只有空白",
    ),
    (
        "duplicate department",
        _append("departments", {"code": "SCJG", "name": "另一个局"}),
        "departments[2].code: 重复的部门编码 'SCJG'（与 departments[0] 相同）",
    ),
    (
        "duplicate matter",
        lambda doc: doc["matters"].append(copy.deepcopy(doc["matters"][0])),
        "matters[2].code: 重复的事项编码 '112208000135487124-000-220800-01'（与 matters[0] 相同）",
    ),
    (
        "duplicate bundle",
        _append(
            "bundles",
            {
                "code": "YJS-T",
                "name": "又一个",
                "description": "",
                "matters": ["112208000135487124-000-220800-01", "112208000135468130-000-220800-01"],
            },
        ),
        "bundles[1].code: 重复的一件事编码 'YJS-T'（与 bundles[0] 相同）",
    ),
    (
        "unknown department",
        _set("matters[1].department", "XXJ"),
        "matters[1].department: 未知的部门编码 'XXJ'",
    ),
    (
        "unknown bundle matter",
        _set("bundles[0].matters[1]", "NOPE-1"),
        "bundles[0].matters[1]: 未知的事项编码 'NOPE-1'",
    ),
    (
        "bundle of one",
        _set("bundles[0].matters", ["112208000135487124-000-220800-01"]),
        "bundles[0].matters: 至少要有 2 项",
    ),
    (
        "duplicate material in a matter",
        _append("matters[1].materials", material("HKB", "居民户口簿")),
        "matters[1].materials[3].code: 同一事项内重复的材料编码 'HKB'（与 materials[0] 相同）",
    ),
    (
        "one standard code, two names",
        _set("matters[1].materials[1].name", "居民身份证"),
        "matters[1].materials[1].name: 标准材料 'SQRSFZ' 在此名为 '居民身份证'，"
        "但在 matters[0].materials[1] 名为 '申请人居民身份证'（同一编码必须同名）",
    ),
    (
        "promised above legal",
        _set("matters[0].promised_days", 5),
        "matters[0].promised_days: 承诺时限 5 个工作日超过法定时限 3 个工作日",
    ),
    (
        "tolerable without gap",
        _set("matters[0].allows_gap", False),
        "matters[0].materials[2].tolerable: 事项不允许容缺受理（allows_gap 为 false），材料不能标为容缺",
    ),
    (
        "core material tolerable",
        _set("matters[0].materials[2].core", True),
        "matters[0].materials[2].tolerable: 主要材料、申请书和申请人身份证明不能标为容缺",
    ),
    (
        "application form tolerable",
        _apply(
            _set("matters[0].materials[0].role", "application_form"),
            _set("matters[0].materials[0].tolerable", True),
        ),
        "matters[0].materials[0].tolerable: 主要材料、申请书和申请人身份证明不能标为容缺",
    ),
    (
        "gap on a same-day matter",
        _set("matters[0].promised_days", 0),
        "matters[0].allows_gap: 承诺时限 0 个工作日，扣除作出决定所需的 1 个工作日后没有补齐"
        "时间，不能容缺受理",
    ),
    (
        "gap with no time left to decide",
        _set("matters[0].gap_reserve_days", 2),
        "matters[0].allows_gap: 承诺时限 2 个工作日，扣除作出决定所需的 2 个工作日后没有补齐"
        "时间，不能容缺受理",
    ),
    (
        "gap without its policy",
        _set("matters[0].gap_policy", " "),
        "matters[0].gap_policy: 允许容缺受理的事项须写明容缺受理的政策依据",
    ),
    (
        "unknown organ type",
        _set("departments[0].organ_type", "company"),
        'departments[0].organ_type: "company" 不是允许的值（可用：administrative、authorised、enterprise）',
    ),
    (
        "conditional without condition",
        _del("matters[1].materials[2]", "condition"),
        "matters[1].materials[2].condition: 条件性材料必须写明适用条件",
    ),
    (
        "copy without copies",
        _set("matters[0].materials[2].copies", 0),
        "matters[0].materials[2].copies: 复印件至少需要 1 份",
    ),
    (
        "fee in mills",
        _set("matters[1].fee_yuan", Decimal("20.005")),
        "matters[1].fee_yuan: 金额最多两位小数：20.005",
    ),
    (
        "fee without basis",
        _set("matters[1].fee_basis", " "),
        "matters[1].fee_basis: 收费事项必须写明收费依据",
    ),
    (
        "impossible date",
        _set("calendar[0].date", "2026-02-30"),
        "calendar[0].date: '2026-02-30' 不是有效日期",
    ),
    (
        "date shape",
        _set("calendar[0].date", "2026-2-3"),
        'calendar[0].date: "2026-2-3" 格式不对（应符合 ^[0-9]{4}-[0-9]{2}-[0-9]{2}$）',
    ),
    (
        "duplicate date",
        _apply(_set("calendar[1].date", "2026-10-01"), _set("calendar[1].workday", False)),
        "calendar[1].date: 重复的日期 2026-10-01（与 calendar[0] 相同）",
    ),
    (
        "make-up workday on a weekday",
        _set("calendar[1].date", "2026-10-12"),
        "calendar[1].workday: 2026-10-12 是周一，本来就是工作日，不能标为调休上班",
    ),
    (
        "bad version",
        _set("version", "v 1"),
        'version: "v 1" 格式不对（应符合 ^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$）',
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_bad_catalogue_gives_its_located_problem(
    mutate: Callable[[Doc], None], expected: str
) -> None:
    doc = small_catalogue()
    mutate(doc)
    report = validate_data(doc)
    assert report.summary is None
    assert report.problems == [expected]


def test_all_problems_are_reported_at_once() -> None:
    doc = small_catalogue()
    _apply(
        _set("matters[0].materials[1].form", "scan"),
        _set("matters[1].department", "XXJ"),
        _set("calendar[0].date", "2026-02-30"),
    )(doc)
    problems = validate_data(doc).problems
    assert len(problems) == 3
    assert {p.split(":")[0] for p in problems} == {
        "matters[0].materials[1].form",
        "matters[1].department",
        "calendar[0].date",
    }


def test_a_document_that_is_not_an_object() -> None:
    assert validate_data([]).problems == ["(root): 应为对象（{…}），而不是 []"]


def test_semantic_checks_survive_malformed_items() -> None:
    doc = small_catalogue()
    doc["matters"].append("not a matter")
    doc["departments"][0] = None
    problems = validate_data(doc).problems
    assert 'matters[2]: 应为对象（{…}），而不是 "not a matter"' in problems
    assert "departments[0]: 应为对象（{…}），而不是 null" in problems
    assert "matters[0].department: 未知的部门编码 'SCJG'" in problems


def _write(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "catalogue.json"
    path.write_bytes(content)
    return path


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    assert validate_file(path).problems == [f"{path}: 文件不存在"]


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    assert validate_file(tmp_path).problems == [f"{tmp_path}: 不是文件"]


def test_gbk_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    text = json.dumps(small_catalogue(), ensure_ascii=False, indent=1)
    path = _write(tmp_path, text.encode("gbk"))
    [problem] = validate_file(path).problems
    first_chinese_line = next(
        n for n, line in enumerate(text.splitlines(), 1) if any(ord(c) > 127 for c in line)
    )
    assert problem.startswith(f"{path}:{first_chinese_line}: 文件不是 UTF-8 编码")
    assert "GBK" in problem and "UTF-8 编码另存" in problem


def test_binary_junk_is_not_utf8_and_not_called_gbk(tmp_path: Path) -> None:
    path = _write(tmp_path, b"\xff\xfe\xff\xff\x80")
    [problem] = validate_file(path).problems
    assert "文件不是 UTF-8 编码" in problem and "GBK" not in problem


def test_bad_json_gives_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, b'{\n  "format": "onewindow-catalogue/1",\n}\n')
    assert validate_file(path).problems == [
        f"{path}:3:1: 不是合法的 JSON：此处应有用双引号括起的键名"
    ]


def test_nan_is_not_json(tmp_path: Path) -> None:
    path = _write(tmp_path, b'{"fee_yuan": NaN}')
    assert validate_file(path).problems == [f"{path}: 不是合法的 JSON：不允许使用 NaN"]


def test_duplicate_keys_are_located(tmp_path: Path) -> None:
    text = json.dumps(small_catalogue(), ensure_ascii=False, indent=1)
    text = text.replace('"kind": "行政确认",', '"kind": "行政确认", "kind": "行政许可",', 1)
    text = text.replace('"demo": true,', '"demo": true, "demo": false,', 1)
    path = _write(tmp_path, text.encode("utf-8"))
    assert validate_file(path).problems == [
        f"{path}: 重复的键（同一对象中出现多次，后面的会覆盖前面的）：matters[1].kind，demo"
    ]


def test_utf8_with_bom_is_accepted(tmp_path: Path) -> None:
    text = json.dumps(small_catalogue(), ensure_ascii=False)
    path = _write(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert validate_file(path).ok


def test_float_fee_from_a_file_keeps_its_exact_value(tmp_path: Path) -> None:
    text = json.dumps(small_catalogue(), ensure_ascii=False).replace(
        '"fee_yuan": 20', '"fee_yuan": 20.001'
    )
    path = _write(tmp_path, text.encode("utf-8"))
    assert validate_file(path).problems == ["matters[1].fee_yuan: 金额最多两位小数：20.001"]


def test_demo_catalogue_validates_with_its_exact_summary() -> None:
    report = validate_file(CATALOGUE_DIR / "baicheng-demo.json")
    assert report.problems == []
    assert report.summary == "OK: 60 matters, 300 materials, 16 departments, 6 bundles"


def test_cmd_validate_prints_the_summary_and_returns_0() -> None:
    out = io.StringIO()
    assert cmd_validate(CATALOGUE_DIR / "baicheng-demo.json", out) == 0
    assert out.getvalue() == "OK: 60 matters, 300 materials, 16 departments, 6 bundles\n"


def test_cmd_validate_prints_every_problem_and_returns_1(tmp_path: Path) -> None:
    doc = small_catalogue()
    doc["matters"][1]["department"] = "XXJ"
    doc["calendar"][0]["date"] = "2026-02-30"
    path = _write(tmp_path, json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    out = io.StringIO()
    assert cmd_validate(path, out) == 1
    assert out.getvalue().splitlines() == [
        "matters[1].department: 未知的部门编码 'XXJ'",
        "calendar[0].date: '2026-02-30' 不是有效日期",
        "共 2 处问题",
    ]
