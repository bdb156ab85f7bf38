"""A small valid catalogue for the catalogue tests to mutate."""

from __future__ import annotations

import copy
from typing import Any


def material(code: str, name: str, **over: Any) -> dict[str, Any]:
    m: dict[str, Any] = {
        "code": code,
        "name": name,
        "form": "original_checked",
        "copies": 0,
        "necessity": "required",
        "tolerable": False,
        "source": "applicant",
        "paper_size": "A4",
        "note": "",
        "obtain": "窗口领取",
    }
    m.update(over)
    return m


_SMALL: dict[str, Any] = {
    "format": "onewindow-catalogue/1",
    "version": "t-1",
    "name": "测试目录（演示数据）",
    "demo": True,
    "departments": [
        {"code": "SCJG", "name": "白城市市场监督管理局"},
        {"code": "GAJ", "name": "白城市公安局"},
    ],
    "matters": [
        {
            "code": "112208000135487124-000-220800-01",
            "name": "个体工商户设立登记",
            "department": "SCJG",
            "kind": "行政许可",
            "legal_days": 3,
            "promised_days": 2,
            "fee_yuan": 0,
            "fee_basis": "不收费",
            "allows_pledge": False,
            "allows_gap": True,
            "gap_policy": "测试容缺受理制度",
            "visit_class": "只跑一次",
            "place": "一楼",
            "materials": [
                material("GTHSQS", "个体工商户登记（备案）申请书", form="original_kept", copies=1),
                material("SQRSFZ", "申请人居民身份证", source="e_licence"),
                material(
                    "ZSSYZM", "住所（经营场所）使用证明", form="copy", copies=1, tolerable=True
                ),
            ],
        },
        {
            "code": "112208000135468130-000-220800-01",
            "name": "居民身份证换领",
            "department": "GAJ",
            "kind": "行政确认",
            "legal_days": 60,
            "promised_days": 15,
            "fee_yuan": 20,
            "fee_basis": "发改价格〔2003〕2322号",
            "allows_pledge": False,
            "allows_gap": False,
            "visit_class": "只跑一次",
            "place": "二楼",
            "materials": [
                material("HKB", "居民户口簿"),
                material("SQRSFZ", "申请人居民身份证", source="e_licence"),
                material(
                    "WTS",
                    "授权委托书",
                    form="original_kept",
                    copies=1,
                    necessity="conditional",
                    condition="委托他人代为办理的",
                ),
            ],
        },
    ],
    "bundles": [
        {
            "code": "YJS-T",
            "name": "测试一件事",
            "description": "",
            "matters": ["112208000135487124-000-220800-01", "112208000135468130-000-220800-01"],
        }
    ],
    "calendar": [
        {"date": "2026-10-01", "workday": False, "name": "国庆节"},
        {"date": "2026-10-10", "workday": True, "name": "国庆节调休上班"},
    ],
}


def small_catalogue() -> dict[str, Any]:
    """A fresh deep copy: 2 departments, 2 matters, 6 materials, 1 bundle."""
    return copy.deepcopy(_SMALL)


def test_the_sample_is_valid_so_each_mutation_tests_one_problem() -> None:
    from app.catalogue.validate import validate_data

    report = validate_data(small_catalogue())
    assert report.problems == []
    assert report.summary == "OK: 2 matters, 6 materials, 2 departments, 1 bundles"


def test_small_catalogue_returns_independent_copies() -> None:
    a = small_catalogue()
    a["matters"][0]["name"] = "改过"
    assert small_catalogue()["matters"][0]["name"] == "个体工商户设立登记"
