"""The hall's configuration: the demo hall, checks with clear messages, all-or-nothing apply."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.errors import UserError
from app.services.changes import DeskContext, pending_operations
from app.services.hall import (
    DEMO_HALL_FILE,
    apply_config,
    config_problems,
    current_settings,
    desk_context,
    ensure_demo_hall,
    hall_info,
    hall_settings_problems,
    load_config_file,
    parse_config,
    set_desk,
    update_hall_settings,
)
from db.engine import Database
from db.models.hall import Hall, Line, Window
from db.models.sync import Event

CTX = DeskContext(1, "BC0101")
ADMIN = DeskContext(1, "BC0901")


def demo_data() -> dict[str, Any]:
    return json.loads(DEMO_HALL_FILE.read_text(encoding="utf-8"))


def test_demo_hall_is_configured_once(db: Database) -> None:
    with db.session.begin() as s:
        assert ensure_demo_hall(s) is True
        assert ensure_demo_hall(s) is False
    with db.session() as s:
        hall = s.get(Hall, 1)
        assert hall is not None and hall.is_demo and hall.division_code == "220800"
        assert s.scalar(select(func.count()).select_from(Line)) == 5
        window7 = s.get(Window, 7)
        assert window7 is not None
        assert [wl.line_code for wl in window7.lines] == ["ZH", "QY", "BDC", "SB", "HZ"]
        info = hall_info(s)
        assert info.query_url("22080020261126010001").endswith("no=22080020261126010001")


def test_configuring_writes_event_and_outbox(db: Database) -> None:
    with db.session.begin() as s:
        ensure_demo_hall(s)
    with db.session() as s:
        kinds = s.scalars(select(Event.kind)).all()
        assert "hall.configured" in kinds
        assert any(op.event["entity"] == "hall" for op in pending_operations(s))


BAD_SETTINGS = [
    ({"name": "  "}, "大厅名称不能为空"),
    ({"name": "厅" * 101}, "不能超过 100"),
    ({"division_code": "22080"}, "6 位数字"),
    ({"division_code": "abcdef"}, "6 位数字"),
    ({"target_wait_minutes": 0}, "目标等候时间"),
    ({"query_url_pattern": "https://x.gov.cn/q"}, "{case_no}"),
    ({"query_url_pattern": "ftp://x/{case_no}"}, "http"),
    ({"priority_policy": "random"}, "优先叫号规则"),
    ({"priority_every_n": 0}, "N"),
]


@pytest.mark.parametrize(("change", "message"), BAD_SETTINGS)
def test_bad_hall_settings_are_named(change: dict[str, Any], message: str) -> None:
    settings = dataclasses.replace(parse_config(demo_data()).hall, **change)
    problems = hall_settings_problems(settings)
    assert any(message in p for p in problems), problems


BAD_CONFIGS = [
    (lambda d: d["lines"][1].update(ticket_prefix="A"), "号码前缀重复"),
    (lambda d: d["lines"][1].update(ticket_prefix="I"), "ticket_prefix"),
    (lambda d: d["lines"][1].update(code="QY"), "代码重复"),
    (lambda d: d["lines"][0].update(default=True), "只能有一个默认"),
    (lambda d: d["windows"][0].update(lines=["NOPE"]), "未知的业务类别 NOPE"),
    (lambda d: d["windows"][0].update(lines=[]), "至少要办理一个"),
    (lambda d: d["windows"][1].update(number=1), "窗口号重复"),
    (lambda d: d["clerks"][0].update(role="boss"), "角色"),
    (lambda d: d.update(format="other/1"), "格式不对"),
    (lambda d: d.pop("lines"), "lines 应为数组"),
    (lambda d: d["windows"][0].update(number=1.5), r"windows\[0\]\.number 应为整数"),
    (lambda d: d["windows"][0].update(number=True), r"windows\[0\]\.number 应为整数"),
    (lambda d: d["windows"][0].update(number="1"), r"windows\[0\]\.number 应为整数"),
    (lambda d: d["hall"].update(name=12), r"hall\.name 应为文字"),
    (lambda d: d["clerks"][0].update(name="<b>x</b>"), "不能有 < 或 >"),
    (lambda d: d["lines"][0].update(name="x" * 61), "过长"),
    (lambda d: d["hall"].update(extra=1), "不认识的字段 'extra'"),
]


@pytest.mark.parametrize(("mutate", "message"), BAD_CONFIGS)
def test_bad_hall_file_is_refused_with_a_clear_message(
    tmp_path: Path, mutate: Any, message: str
) -> None:
    data = demo_data()
    mutate(data)
    path = tmp_path / "hall.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(UserError, match=message):
        load_config_file(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "不是合法的 JSON"), ("大厅".encode("gbk"), "不是 UTF-8 编码")],
)
def test_unreadable_hall_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "hall.json"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        load_config_file(path)


def test_apply_refuses_a_bad_config_and_changes_nothing(db: Database) -> None:
    with db.session.begin() as s:
        ensure_demo_hall(s)
    good = parse_config(demo_data())
    bad = dataclasses.replace(good, lines=(*good.lines, good.lines[0]))
    assert config_problems(bad)
    with pytest.raises(UserError), db.session.begin() as s:
        apply_config(s, CTX, bad)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Line)) == 5


def test_settings_update_and_refusal(db: Database) -> None:
    with db.session.begin() as s:
        ensure_demo_hall(s)
        before = current_settings(s)
    assert before is not None
    # A clerk (CTX) may not: the hall's settings are an administrator's, whatever the screen.
    with pytest.raises(UserError, match="须由管理员进行，BC0101 不是管理员"), db.write() as s:
        update_hall_settings(s, CTX, dataclasses.replace(before, target_wait_minutes=20))
    with db.session.begin() as s:
        update_hall_settings(s, ADMIN, dataclasses.replace(before, target_wait_minutes=20))
    with pytest.raises(UserError, match="6 位数字"), db.session.begin() as s:
        update_hall_settings(s, ADMIN, dataclasses.replace(before, division_code="1"))
    with db.session() as s:
        after = current_settings(s)
    assert after is not None and after.target_wait_minutes == 20
    assert after.division_code == "220800"


def test_desk_sign_in(db: Database) -> None:
    with db.session.begin() as s:
        ensure_demo_hall(s)
        assert set_desk(s, 3, "BC0103") == DeskContext(3, "BC0103")
    with db.session() as s:
        assert desk_context(s) == DeskContext(3, "BC0103")
    with pytest.raises(UserError, match="没有 42 号窗口"), db.session.begin() as s:
        set_desk(s, 42, "BC0103")
    with pytest.raises(UserError, match="NOBODY"), db.session.begin() as s:
        set_desk(s, 3, "NOBODY")


def test_a_line_with_tickets_cannot_be_deleted(db: Database) -> None:
    from datetime import date

    from db.models.queue import Ticket

    with db.session.begin() as s:
        ensure_demo_hall(s)
        s.add(Ticket(number="D001", line_code="HZ", day=date(2026, 11, 26), seq=1, order_key=1))
    cfg = parse_config(demo_data())
    without_hz = dataclasses.replace(
        cfg,
        lines=tuple(ln for ln in cfg.lines if ln.code != "HZ"),
        windows=tuple(
            dataclasses.replace(w, lines=tuple(c for c in w.lines if c != "HZ") or ("ZH",))
            for w in cfg.windows
        ),
    )
    with pytest.raises(UserError, match="已有取号记录"), db.session.begin() as s:
        apply_config(s, CTX, without_hz)
    with db.session() as s:
        assert s.get(Line, "HZ") is not None
        window6 = s.get(Window, 6)
        assert window6 is not None and [wl.line_code for wl in window6.lines] == ["HZ", "ZH"]
