"""Identity checks: ID number (GB 11643), USCC (GB 32100), phone, name."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.identity import (
    ID_CHECK_CHARS,
    ID_PROVINCES,
    USCC_ALPHABET,
    birth_date_from_id,
    check_id_number,
    check_name,
    check_phone,
    check_uscc,
    id_check_char,
    uscc_check_char,
)

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    "value",
    [
        "11010519491231002X",  # the sample number of GB 11643-1999
        "11010519491231002x",  # lower-case x is accepted and normalised
        " 220802199001011237 ",  # surrounding spaces are dropped
        "110101199003074477",
    ],
)
def test_valid_id_numbers(value: str) -> None:
    assert check_id_number(value, TODAY) is None


def test_birth_before_1900_refused() -> None:
    # The standard's other sample has a right check digit but a birth year of 1880.
    assert check_id_number("440524188001010014", TODAY) == "身份证号码中的出生日期18800101无效"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请填写身份证号码"),
        ("   ", "请填写身份证号码"),
        ("11010519491231002", "身份证号码应为18位，现为17位"),
        ("11010519491231002X1", "身份证号码应为18位，现为19位"),
        ("110105194912310021", "身份证号码校验位不正确，请核对号码"),
        ("110105194912310029", "身份证号码校验位不正确，请核对号码"),
        ("11010519491231A02X", "身份证号码前17位应全为数字"),
        ("11010519491231002Y", "身份证号码最后一位应为数字或X"),
        ("990105194912310027", "身份证号码的地区码990105无效"),
        ("110105194902300028", "身份证号码中的出生日期19490230无效"),
        ("110105203001010011", "身份证号码中的出生日期20300101无效"),
        ("１１０１０５１９４９１２３１００２Ｘ", "身份证号码前17位应全为数字"),
    ],
)
def test_invalid_id_numbers(value: str, message: str) -> None:
    assert check_id_number(value, TODAY) == message


def test_birth_date_from_id() -> None:
    assert birth_date_from_id("11010519491231002X") == date(1949, 12, 31)


def test_check_char_needs_17_digits() -> None:
    with pytest.raises(ValueError):
        id_check_char("1234")


_births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
_regions = st.tuples(
    st.sampled_from(sorted(ID_PROVINCES)), st.integers(min_value=0, max_value=9999)
).map(lambda t: f"{t[0]}{t[1]:04d}")


@st.composite
def valid_id_numbers(draw: st.DrawFn) -> str:
    body = f"{draw(_regions)}{draw(_births):%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return body + id_check_char(body)


@given(valid_id_numbers())
def test_generated_id_numbers_validate(value: str) -> None:
    assert check_id_number(value, TODAY) is None


@given(valid_id_numbers(), st.sampled_from(ID_CHECK_CHARS))
def test_any_other_check_char_fails(value: str, other: str) -> None:
    if other == value[17]:
        return
    assert check_id_number(value[:17] + other, TODAY) == "身份证号码校验位不正确，请核对号码"


def test_birth_tomorrow_refused() -> None:
    body = f"220802{TODAY + timedelta(days=1):%Y%m%d}123"
    assert check_id_number(body + id_check_char(body), TODAY) is not None


# Real codes of well-known companies, and the GB 32100 sample.
@pytest.mark.parametrize(
    "value",
    [
        "91350100M000100Y43",
        "91110108551385082Q",
        "91440300708461136T",
        "911100001000054748",
        "91110108551385082q",
        "9111 0108 5513 8508 2Q",
    ],
)
def test_valid_uscc(value: str) -> None:
    assert check_uscc(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请填写统一社会信用代码"),
        ("91110108551385082", "统一社会信用代码应为18位，现为17位"),
        ("91110108551385082QQ", "统一社会信用代码应为18位，现为19位"),
        ("91110108551385082R", "统一社会信用代码校验位不正确，请核对代码"),
        ("91110108551385O82Q", "统一社会信用代码含有不允许的字符：O（不使用I、O、Z、S、V）"),
        ("91I10108551385082S", "统一社会信用代码含有不允许的字符：IS（不使用I、O、Z、S、V）"),
        ("91A10108551385082Q", "统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字"),
    ],
)
def test_invalid_uscc(value: str, message: str) -> None:
    assert check_uscc(value) == message


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    head = draw(st.text(USCC_ALPHABET, min_size=2, max_size=2))
    region = f"{draw(st.integers(0, 999999)):06d}"
    rest = draw(st.text(USCC_ALPHABET, min_size=9, max_size=9))
    body = head + region + rest
    return body + uscc_check_char(body)


@given(valid_usccs())
def test_generated_usccs_validate(value: str) -> None:
    assert check_uscc(value) is None


@given(valid_usccs(), st.sampled_from(USCC_ALPHABET))
def test_any_other_uscc_check_char_fails(value: str, other: str) -> None:
    if other == value[17]:
        return
    assert check_uscc(value[:17] + other) == "统一社会信用代码校验位不正确，请核对代码"


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "+86 138 1234 5678",
        "19912345678",
        "0436-3212345",
        "04363212345",
        "010-87654321",
        "3212345",
        "0436-3212345-801",
    ],
)
def test_valid_phones(value: str) -> None:
    assert check_phone(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请填写联系电话"),
        ("1381234567", "手机号码应为1开头的11位数字，现为10位"),
        ("138123456789", "手机号码应为1开头的11位数字，现为12位"),
        ("12812345678", "手机号码应为1开头的11位数字，现为11位"),
        ("abc", "联系电话格式不正确：手机号码为11位数字，固定电话如0436-6123456"),
        ("0436-0212345", "联系电话格式不正确：手机号码为11位数字，固定电话如0436-6123456"),
    ],
)
def test_invalid_phones(value: str, message: str) -> None:
    assert check_phone(value) == message


@pytest.mark.parametrize(
    "value", ["张三", "  李四  ", "阿依古丽·买买提", "欧阳", "张" * 50, "吉林省白城市某某有限公司"]
)
def test_valid_names(value: str) -> None:
    assert check_name(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请填写姓名"),
        ("   \u3000", "请填写姓名"),
        ("张" * 51, "姓名过长：最多50个字，现为51个字"),
        ("张" * 500, "姓名过长：最多50个字，现为500个字"),
        ("张\x00三", "姓名中含有不可见的控制字符，请重新输入"),
        ("张\n三", "姓名中含有不可见的控制字符，请重新输入"),
        ("张\u200b三", "姓名中含有不可见的控制字符，请重新输入"),
    ],
)
def test_invalid_names(value: str, message: str) -> None:
    assert check_name(value) == message


def test_org_name_limit() -> None:
    assert check_name("公" * 100, max_length=100, what="单位名称") is None
    assert check_name("公" * 101, max_length=100, what="单位名称") == (
        "单位名称过长：最多100个字，现为101个字"
    )
