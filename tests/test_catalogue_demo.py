"""The bundled Baicheng demo catalogue: what the hall configuration, the bundles and the
working-day calendar rely on."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

import chinese_calendar
import pytest

from app.catalogue.importer import DEMO_CATALOGUE
from app.paths import CATALOGUE_DIR
from app.rules.identity import check_uscc

DEMO: dict[str, Any] = json.loads(DEMO_CATALOGUE.read_text(encoding="utf-8"))
MATTERS = {m["name"]: m for m in DEMO["matters"]}
BY_CODE = {m["code"]: m for m in DEMO["matters"]}

DEPARTMENTS = {
    "SCJG": "白城市市场监督管理局",
    "SWJ": "国家税务总局白城市税务局",
    "GAJ": "白城市公安局",
    "RSJ": "白城市人力资源和社会保障局",
    "YBJ": "白城市医疗保障局",
    "GJJ": "白城市住房公积金管理中心",
    "ZRZY": "白城市自然资源局（不动产登记中心）",
    "ZJJ": "白城市住房和城乡建设局",
    "MZJ": "白城市民政局",
    "WJW": "白城市卫生健康委员会",
    "JTJ": "白城市交通运输局",
    "STHJ": "白城市生态环境局",
    "WGLJ": "白城市文化广电和旅游局",
    "GD": "国网白城供电公司",
    "SWJT": "白城市水务集团",
    "RQ": "白城市燃气公司",
}


def test_it_is_marked_as_demo_data() -> None:
    assert DEMO["demo"] is True
    assert "演示数据" in DEMO["name"]


def test_departments_are_exactly_the_sixteen_the_hall_maps() -> None:
    assert {d["code"]: d["name"] for d in DEMO["departments"]} == DEPARTMENTS
    assert {m["department"] for m in DEMO["matters"]} == set(DEPARTMENTS)


def test_the_demo_hall_lines_name_only_catalogue_departments() -> None:
    hall = json.loads((CATALOGUE_DIR / "baicheng-hall.json").read_text(encoding="utf-8"))
    named = {code for line in hall["lines"] for code in line["departments"]}
    assert named <= set(DEPARTMENTS)


def test_size() -> None:
    assert len(DEMO["matters"]) >= 45
    assert sum(len(m["materials"]) for m in DEMO["matters"]) >= 220
    assert len(DEMO["bundles"]) >= 5


def test_matter_codes_are_national_style_with_valid_department_credit_codes() -> None:
    sole = MATTERS["个体工商户设立登记"]
    assert "220800" in sole["code"]
    for code in BY_CODE:
        uscc, basic, division, seq = code.split("-")
        assert check_uscc(uscc) is None, code
        assert (basic, division, len(seq)) == ("000", "220800", 2), code


def test_time_limits_and_fees_are_plausible() -> None:
    for m in DEMO["matters"]:
        assert 0 <= m["promised_days"] <= m["legal_days"], m["name"]
        assert (m["fee_yuan"] == 0) == m["fee_basis"].startswith("不收费"), m["name"]
    assert sum(m["fee_yuan"] == 0 for m in DEMO["matters"]) > len(DEMO["matters"]) * 0.8


MAIN_MATERIAL_WORDS = ("申请书", "申请表", "身份证", "不动产权证书", "买卖合同", "出生医学证明")


def test_gap_tolerance_is_never_on_main_materials() -> None:
    tolerated = [x for m in DEMO["matters"] for x in m["materials"] if x["tolerable"]]
    assert len(tolerated) >= 10
    for x in tolerated:
        assert not any(word in x["name"] for word in MAIN_MATERIAL_WORDS), x["name"]


def test_materials_have_obtain_hints_and_e_licences() -> None:
    materials = [x for m in DEMO["matters"] for x in m["materials"]]
    assert all(x["obtain"].strip() for x in materials)
    e_licences = {x["name"] for x in materials if x["source"] == "e_licence"}
    assert {"营业执照", "申请人居民身份证"} <= e_licences
    assert Counter(x["form"] for x in materials).keys() == {
        "original_checked",
        "original_kept",
        "copy",
        "electronic",
    }


@pytest.mark.parametrize(
    ("bundle", "matters", "shared"),
    [
        (
            "企业开办一件事",
            [
                "有限责任公司设立登记",
                "印章刻制备案",
                "新办纳税人申领发票",
                "企业职工参保登记",
                "住房公积金单位缴存登记",
            ],
            "YYZZ",
        ),
        (
            "二手房转移登记及水电气过户一件事",
            [
                "不动产转移登记（存量房买卖）",
                "契税申报",
                "低压居民用电更名过户",
                "供水更名过户",
                "燃气更名过户",
            ],
            "BDCQZS",
        ),
        (
            "出生一件事",
            ["出生医学证明首次签发", "出生登记", "城乡居民基本医疗保险参保登记", "社会保障卡申领"],
            "SQRSFZ",
        ),
        (
            "退休一件事",
            ["职工基本养老保险待遇申领", "职工医保退休人员待遇核定", "离退休提取住房公积金"],
            "SQRSFZ",
        ),
        (
            "开办餐饮店一件事",
            [
                "个体工商户设立登记",
                "食品经营许可（新办）",
                "建设项目环境影响登记表备案",
                "非居民用水新装",
                "非居民燃气开户",
            ],
            "YYZZ",
        ),
    ],
)
def test_bundles_hold_their_matters_and_share_materials(
    bundle: str, matters: list[str], shared: str
) -> None:
    [found] = [b for b in DEMO["bundles"] if b["name"] == bundle]
    assert [BY_CODE[c]["name"] for c in found["matters"]] == matters
    uses = Counter(x["code"] for c in found["matters"] for x in BY_CODE[c]["materials"])
    assert uses[shared] >= 2  # asked for once in the bundle's checklist


def _calendar(year: int) -> dict[date, tuple[bool, str]]:
    return {
        date.fromisoformat(e["date"]): (e["workday"], e["name"])
        for e in DEMO["calendar"]
        if e["date"].startswith(str(year))
    }


def test_2026_is_the_official_schedule() -> None:
    # chinese_calendar carries the State Council's published 2026 schedule.
    days = _calendar(2026)
    official_off = {d for d in chinese_calendar.constants.holidays if d.year == 2026}
    official_makeup = {
        d for d in chinese_calendar.constants.workdays if d.year == 2026 and d.weekday() >= 5
    }
    assert {d for d, (work, _) in days.items() if not work} == official_off
    assert {d for d, (work, _) in days.items() if work} == official_makeup
    assert days[date(2026, 2, 17)] == (False, "春节")
    assert days[date(2026, 2, 28)] == (True, "春节调休上班")


def test_2027_is_marked_provisional() -> None:
    days = _calendar(2027)
    assert days, "a provisional 2027 schedule is included"
    assert all("（2027，暂定）" in name for _, name in days.values())
    assert days[date(2027, 2, 6)] == (False, "春节（2027，暂定）")  # 正月初一
    assert days[date(2027, 10, 1)] == (False, "国庆节（2027，暂定）")
