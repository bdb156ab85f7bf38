"""Validation of a catalogue file: encoding, JSON syntax, the JSON schema, then the rules a
schema cannot express (uniqueness, cross-references, consistency). Every problem is one line
that starts with its location, so that whoever maintains the file can find it at once."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

import jsonschema

from app import jsonfile
from app.catalogue.fastschema import Check, UnsupportedSchema, compile_schema
from app.jsonfile import location
from app.paths import CATALOGUE_DIR
from app.rules.checklist import NEVER_GAP_ROLES
from app.rules.decision import DEFAULT_GAP_RESERVE_DAYS

SCHEMA_PATH = CATALOGUE_DIR / "catalogue.schema.json"
FORMAT = "onewindow-catalogue/1"
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@dataclasses.dataclass
class ValidationReport:
    """What validation found: the problems (one located line each) or, when there are none,
    the summary line."""

    problems: list[str]
    summary: str | None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclasses.dataclass
class LoadedFile:
    """The raw bytes of a catalogue file and its parsed content (None when it could not be
    read or parsed; the problems say why)."""

    raw: bytes
    data: Any
    problems: list[str]


def load_file(path: str | Path) -> LoadedFile:
    """Read and parse a catalogue file with the strict loader (app.jsonfile). Numbers with a
    fraction are read as Decimal so that fees keep their exact value."""
    try:
        raw, data = jsonfile.load(path)
    except jsonfile.JsonFileError as exc:
        return LoadedFile(b"", None, [str(exc)])
    return LoadedFile(raw, data, [])


def parse_bytes(raw: bytes, label: str) -> LoadedFile:
    """Decode and parse JSON strictly; `label` names the source."""
    try:
        data = jsonfile.parse_bytes(raw, label)
    except jsonfile.JsonFileError as exc:
        return LoadedFile(raw, None, [str(exc)])
    return LoadedFile(raw, data, [])


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(_schema())


@lru_cache(maxsize=1)
def _fast_check() -> Check | None:
    try:
        return compile_schema(_schema())
    except UnsupportedSchema:
        return None


# The top-level lists and the definition their items follow: a big file with a few bad items
# is checked item by item, jsonschema running only on the items the fast check doubts.
ITEM_DEFINITIONS = {
    "departments": "department",
    "matters": "matter",
    "bundles": "bundle",
    "calendar": "calendarDay",
}


def _definition_schema(name: str) -> dict[str, Any]:
    root = _schema()
    return {"$schema": root["$schema"], "$defs": root["$defs"], "$ref": f"#/$defs/{name}"}


@lru_cache(maxsize=8)
def _item_check(name: str) -> Check | None:
    try:
        return compile_schema(_definition_schema(name))
    except UnsupportedSchema:
        return None


@lru_cache(maxsize=8)
def _item_validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(_definition_schema(name))


def _path_key(path: Any) -> tuple[tuple[int, str, int], ...]:
    # Document order: indexes as numbers (matters[2] before matters[10]).
    return tuple((0, "", p) if isinstance(p, int) else (1, str(p), 0) for p in path)


def _slow_problems(
    validator: jsonschema.Draft202012Validator, data: Any, prefix: tuple[Any, ...] = ()
) -> list[str]:
    errors = sorted(validator.iter_errors(data), key=lambda e: _path_key(e.absolute_path))
    return [f"{location((*prefix, *e.absolute_path))}: {schema_message(e)}" for e in errors]


_TYPES_ZH = {
    "object": "对象（{…}）",
    "array": "数组（[…]）",
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "布尔值（true 或 false）",
    "null": "null",
}


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


def schema_message(e: jsonschema.ValidationError) -> str:
    """A schema error in Chinese (jsonschema's own text for the rare keywords)."""
    arg, inst = e.validator_value, e.instance
    if e.validator == "type":
        names = [arg] if isinstance(arg, str) else list(arg)
        wanted = "或".join(_TYPES_ZH.get(n, n) for n in names)
        return f"应为{wanted}，而不是 {_shown(inst)}"
    if e.validator == "required" and isinstance(inst, dict):
        missing = [k for k in arg if k not in inst]
        return f"缺少必填字段 {'、'.join(repr(k) for k in missing)}"
    if e.validator == "additionalProperties" and isinstance(inst, dict):
        known = e.schema.get("properties", {})
        extra = [k for k in inst if k not in known]
        return f"不认识的字段 {'、'.join(repr(k) for k in extra)}"
    if e.validator == "enum":
        return f"{_shown(inst)} 不是允许的值（可用：{'、'.join(str(v) for v in arg)}）"
    if e.validator == "const":
        return f"应为 {_shown(arg)}"
    if e.validator == "minLength":
        return "不能为空" if arg == 1 else f"至少 {arg} 个字"
    if e.validator == "maxLength":
        return f"过长（最多 {arg} 个字）"
    if e.validator == "pattern":
        return f"{_shown(inst)} 格式不对（应符合 {arg}）"
    if e.validator == "minimum":
        return f"{_shown(inst)} 小于最小值 {arg}"
    if e.validator == "maximum":
        return f"{_shown(inst)} 大于最大值 {arg}"
    if e.validator == "minItems":
        return f"至少要有 {arg} 项"
    if e.validator == "uniqueItems":
        return "有重复的项"
    return e.message


def _schema_problems(data: Any) -> list[str]:
    fast = _fast_check()
    if fast is not None and fast(data):
        return []  # certainly valid: spare the slow validator (seconds on big catalogues)
    if fast is None or not isinstance(data, dict):
        return _slow_problems(_validator(), data)
    # The document without its items, then only the items the fast check doubts.
    shell = {
        key: [] if key in ITEM_DEFINITIONS and isinstance(value, list) else value
        for key, value in data.items()
    }
    problems = _slow_problems(_validator(), shell)
    for key, definition in ITEM_DEFINITIONS.items():
        items = data.get(key)
        check = _item_check(definition)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if check is None or not check(item):
                problems += _slow_problems(_item_validator(definition), item, (key, i))
    if not problems:
        # The fast check doubted something the parts do not show: ask about the whole.
        problems = _slow_problems(_validator(), data)
    return problems


def _dicts(data: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The well-formed (object) items of a top-level list; others were reported by the schema."""
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return
    for i, item in enumerate(items):
        if isinstance(item, dict):
            yield i, item


def _str(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) else None


def _int(item: dict[str, Any], key: str) -> int | None:
    value = item.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _blank_name(where: str, item: dict[str, Any], key: str = "name") -> list[str]:
    value = _str(item, key)
    # Empty strings are the schema's (minLength); whitespace only is ours.
    if value and not value.strip():
        return [f"{where}.{key}: 名称不能只有空白"]
    if value and ("<" in value or ">" in value):
        # Names reach the hall display, the kiosk and printed papers: markup in a name is a
        # mistake or an injection attempt, refused rather than escaped everywhere.
        return [f"{where}.{key}: 名称中不能有 < 或 >"]
    return []


def _more_than_cents(amount: Decimal) -> bool:
    exponent = amount.as_tuple().exponent
    # Huge amounts are the schema's (maximum); quantize would overflow the context on them.
    if not isinstance(exponent, int) or exponent >= -2 or abs(amount) >= 10**12:
        return False
    return amount != amount.quantize(Decimal("0.01"))


def _semantic_problems(data: Any) -> list[str]:
    problems: list[str] = []
    if not isinstance(data, dict):
        return problems
    problems += _blank_name("name", data) if isinstance(data.get("name"), str) else []

    departments: dict[str, int] = {}
    for i, dept in _dicts(data, "departments"):
        problems += _blank_name(f"departments[{i}]", dept)
        code = _str(dept, "code")
        if code is None:
            continue
        if code in departments:
            problems.append(
                f"departments[{i}].code: 重复的部门编码 '{code}'"
                f"（与 departments[{departments[code]}] 相同）"
            )
        else:
            departments[code] = i

    matters: dict[str, int] = {}
    # standard material code -> (its name, where it was first seen)
    standard_names: dict[str, tuple[str, str]] = {}
    for i, matter in _dicts(data, "matters"):
        where = f"matters[{i}]"
        problems += _blank_name(where, matter)
        code = _str(matter, "code")
        if code is not None:
            if code in matters:
                problems.append(
                    f"{where}.code: 重复的事项编码 '{code}'（与 matters[{matters[code]}] 相同）"
                )
            else:
                matters[code] = i
        dept_code = _str(matter, "department")
        if dept_code is not None and dept_code not in departments:
            problems.append(f"{where}.department: 未知的部门编码 '{dept_code}'")
        legal, promised = _int(matter, "legal_days"), _int(matter, "promised_days")
        # Negative days are the schema's (minimum); comparing them would only repeat it.
        if legal is not None and promised is not None and 0 <= legal < promised:
            problems.append(
                f"{where}.promised_days: 承诺时限 {promised} 个工作日超过法定时限 {legal} 个工作日"
            )
        fee = matter.get("fee_yuan")
        if isinstance(fee, Decimal) and _more_than_cents(fee):
            problems.append(f"{where}.fee_yuan: 金额最多两位小数：{fee}")
        if isinstance(fee, int | float | Decimal) and not isinstance(fee, bool) and fee > 0:
            basis = _str(matter, "fee_basis")
            if basis is not None and not basis.strip():
                problems.append(f"{where}.fee_basis: 收费事项必须写明收费依据")
        problems += _gap_problems(where, matter)
        problems += _material_problems(where, matter, standard_names)

    bundles: dict[str, int] = {}
    for i, bundle in _dicts(data, "bundles"):
        where = f"bundles[{i}]"
        problems += _blank_name(where, bundle)
        code = _str(bundle, "code")
        if code is not None:
            if code in bundles:
                problems.append(
                    f"{where}.code: 重复的一件事编码 '{code}'（与 bundles[{bundles[code]}] 相同）"
                )
            else:
                bundles[code] = i
        members = bundle.get("matters")
        if isinstance(members, list):
            for j, member in enumerate(members):
                if isinstance(member, str) and member not in matters:
                    problems.append(f"{where}.matters[{j}]: 未知的事项编码 '{member}'")

    problems += _calendar_problems(data)
    return problems


def _gap_problems(where: str, matter: dict[str, Any]) -> list[str]:
    """容缺 needs time to supply the gap and then to decide, and a policy to cite."""
    if matter.get("allows_gap") is not True:
        return []
    problems: list[str] = []
    promised = _int(matter, "promised_days")
    reserve = matter.get("gap_reserve_days", DEFAULT_GAP_RESERVE_DAYS)
    if promised is not None and isinstance(reserve, int) and promised <= reserve:
        problems.append(
            f"{where}.allows_gap: 承诺时限 {promised} 个工作日，扣除作出决定所需的 {reserve} 个"
            "工作日后没有补齐时间，不能容缺受理"
        )
    policy = _str(matter, "gap_policy")
    if policy is None or not policy.strip():
        problems.append(f"{where}.gap_policy: 允许容缺受理的事项须写明容缺受理的政策依据")
    return problems


def _material_problems(
    where: str, matter: dict[str, Any], standard_names: dict[str, tuple[str, str]]
) -> list[str]:
    problems: list[str] = []
    materials = matter.get("materials")
    if not isinstance(materials, list):
        return problems
    allows_gap = matter.get("allows_gap")
    seen: dict[str, int] = {}
    for j, material in enumerate(materials):
        if not isinstance(material, dict):
            continue
        mwhere = f"{where}.materials[{j}]"
        problems += _blank_name(mwhere, material)
        code, name = _str(material, "code"), _str(material, "name")
        if code is not None:
            if code in seen:
                problems.append(
                    f"{mwhere}.code: 同一事项内重复的材料编码 '{code}'"
                    f"（与 materials[{seen[code]}] 相同）"
                )
            else:
                seen[code] = j
            if name is not None:
                first = standard_names.setdefault(code, (name, mwhere))
                if first[0] != name:
                    problems.append(
                        f"{mwhere}.name: 标准材料 '{code}' 在此名为 '{name}'，"
                        f"但在 {first[1]} 名为 '{first[0]}'（同一编码必须同名）"
                    )
        if material.get("tolerable") is True and allows_gap is False:
            problems.append(
                f"{mwhere}.tolerable: 事项不允许容缺受理（allows_gap 为 false），材料不能标为容缺"
            )
        if material.get("tolerable") is True and (
            material.get("core") is True or material.get("role") in NEVER_GAP_ROLES
        ):
            problems.append(f"{mwhere}.tolerable: 主要材料、申请书和申请人身份证明不能标为容缺")
        if material.get("necessity") == "conditional":
            condition = _str(material, "condition")
            if condition is None or not condition.strip():
                problems.append(f"{mwhere}.condition: 条件性材料必须写明适用条件")
        if material.get("form") == "copy" and _int(material, "copies") == 0:
            problems.append(f"{mwhere}.copies: 复印件至少需要 1 份")
    return problems


def _calendar_problems(data: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    days: dict[date, int] = {}
    for i, entry in _dicts(data, "calendar"):
        where = f"calendar[{i}]"
        problems += _blank_name(where, entry)
        text = _str(entry, "date")
        if text is None:
            continue
        if not _DATE_SHAPE.fullmatch(text):
            continue  # the schema's pattern reported it
        try:
            day = date.fromisoformat(text)
        except ValueError:
            problems.append(f"{where}.date: '{text}' 不是有效日期")
            continue
        if day in days:
            problems.append(f"{where}.date: 重复的日期 {text}（与 calendar[{days[day]}] 相同）")
        else:
            days[day] = i
        if entry.get("workday") is True and day.weekday() < 5:
            problems.append(
                f"{where}.workday: {text} 是{WEEKDAYS_ZH[day.weekday()]}，本来就是工作日，"
                "不能标为调休上班"
            )
    return problems


def count_summary(data: dict[str, Any]) -> str:
    matters = data["matters"]
    materials = sum(len(m["materials"]) for m in matters)
    return (
        f"OK: {len(matters)} matters, {materials} materials, "
        f"{len(data['departments'])} departments, {len(data['bundles'])} bundles"
    )


def validate_data(data: Any) -> ValidationReport:
    """Validate parsed catalogue content (fractions as Decimal or float)."""
    problems = _schema_problems(data) + _semantic_problems(data)
    if problems:
        return ValidationReport(problems, None)
    return ValidationReport([], count_summary(data))


def validate_file(path: str | Path) -> ValidationReport:
    loaded = load_file(path)
    if loaded.problems:
        return ValidationReport(loaded.problems, None)
    return validate_data(loaded.data)


def cmd_validate(path: str | Path, out: TextIO) -> int:
    """`python -m app catalogue validate FILE`: the problems (exit 1) or the summary (exit 0)."""
    report = validate_file(path)
    if report.problems:
        for line in report.problems:
            print(line, file=out)
        print(f"共 {len(report.problems)} 处问题", file=out)
        return 1
    print(report.summary, file=out)
    return 0
