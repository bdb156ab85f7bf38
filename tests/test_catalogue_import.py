"""Catalogue import: validated first, the whole catalogue replaced at once, all or nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.catalogue import importer
from app.catalogue.importer import (
    DEMO_CATALOGUE,
    current_version,
    import_catalogue,
    import_demo_if_empty,
    pinyin_keys,
)
from app.errors import UserError
from db.engine import Database, open_database
from db.models.catalogue import (
    Bundle,
    BundleMatter,
    CatalogueVersion,
    Department,
    Holiday,
    Material,
    Matter,
)
from tests.test_catalogue_samples import small_catalogue


def _counts(session: Session) -> dict[str, int]:
    return {
        t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0
        for t in (Department, Matter, Material, Bundle, BundleMatter, Holiday, CatalogueVersion)
    }


def _snapshot(session: Session) -> tuple[Any, ...]:
    return (
        _counts(session),
        session.scalars(select(Matter.name).order_by(Matter.code)).all(),
        session.scalars(select(CatalogueVersion.version).where(CatalogueVersion.is_current)).all(),
    )


@pytest.mark.parametrize(
    ("text", "initials", "full"),
    [
        ("个体工商户设立登记", "gtgshsldj", "getigongshanghushelidengji"),
        ("旅行社设立许可", "lxsslxk", "lvxingshesheli" + "xuke"),
        ("重庆银行", "cqyh", "chongqingyinhang"),  # phrase-aware heteronyms
        ("食品经营许可（新办）", "spjyxkxb", "shipinjingyingxukexinban"),
        ("2027年ABC证明", "2027nabczm", "2027nianabczhengming"),
        ("", "", ""),
    ],
)
def test_pinyin_keys(text: str, initials: str, full: str) -> None:
    assert pinyin_keys(text) == (initials, full)


def test_pinyin_initials_agree_with_pypinyin_first_letter_on_the_demo() -> None:
    from pypinyin import Style, lazy_pinyin

    demo = json.loads(DEMO_CATALOGUE.read_text(encoding="utf-8"))
    for matter in demo["matters"]:
        name = matter["name"]
        expected_initials = "".join(
            c
            for c in "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()
            if c.isascii() and c.isalnum()
        )
        expected_full = "".join(
            c for c in "".join(lazy_pinyin(name)).lower() if c.isascii() and c.isalnum()
        )
        assert pinyin_keys(name) == (expected_initials, expected_full), name


def test_import_demo_fills_every_table(db: Database) -> None:
    with db.session.begin() as s:
        version = import_catalogue(s, DEMO_CATALOGUE)
        assert version.is_current and version.is_demo
    with db.session() as s:
        assert _counts(s) == {
            "department": 16,
            "matter": 60,
            "material": 300,
            "bundle": 6,
            "bundle_matter": 25,
            "holiday": len(json.loads(DEMO_CATALOGUE.read_text(encoding="utf-8"))["calendar"]),
            "catalogue_version": 1,
        }
        matter = s.scalars(select(Matter).where(Matter.name == "个体工商户设立登记")).one()
        assert "220800" in matter.code
        assert matter.pinyin_initials == "gtgshsldj"
        assert matter.pinyin_full == "getigongshanghushelidengji"
        assert matter.department.name == "白城市市场监督管理局"
        assert [m.position for m in matter.materials] == list(range(len(matter.materials)))
        assert matter.materials[0].name == "个体工商户登记（备案）申请书"
        bundle = s.get(Bundle, "YJS-QYKB")
        assert bundle is not None and bundle.pinyin_initials == "qykbyjs"
        assert len(bundle.matters) == 5
        idcard = s.scalars(select(Matter).where(Matter.name == "居民身份证换领")).one()
        assert idcard.fee_yuan == Decimal("20.00")
        current = current_version(s)
        assert current is not None and current.version == "220800-demo-2026.12"
        assert current.sha256 == importer.hashlib.sha256(DEMO_CATALOGUE.read_bytes()).hexdigest()


def test_import_replaces_the_whole_catalogue_and_switches_the_current_version(
    db: Database,
) -> None:
    with db.session.begin() as s:
        import_catalogue(s, DEMO_CATALOGUE)
    with db.session.begin() as s:
        import_catalogue(s, small_catalogue())
    with db.session() as s:
        counts = _counts(s)
        assert counts["matter"] == 2 and counts["material"] == 6 and counts["department"] == 2
        assert counts["catalogue_version"] == 2
        assert s.scalars(
            select(CatalogueVersion.version).where(CatalogueVersion.is_current)
        ).all() == ["t-1"]
        material = s.scalars(select(Material).where(Material.code == "WTS")).one()
        assert material.condition == "委托他人代为办理的" and material.blank_form is None


def test_reimporting_the_same_version_and_content_is_allowed(db: Database) -> None:
    for _ in range(2):
        with db.session.begin() as s:
            import_catalogue(s, small_catalogue())
    with db.session() as s:
        assert _counts(s)["matter"] == 2
        assert _counts(s)["catalogue_version"] == 1


def test_the_same_version_with_other_content_is_refused(db: Database) -> None:
    with db.session.begin() as s:
        import_catalogue(s, small_catalogue())
    changed = small_catalogue()
    changed["matters"][0]["promised_days"] = 3
    with pytest.raises(UserError, match="版本 t-1 已导入过，但内容不同"), db.session.begin() as s:
        import_catalogue(s, changed)
    with db.session() as s:
        assert s.scalars(select(Matter.promised_days).order_by(Matter.code)).all() == [15, 2]


def test_a_bad_file_is_refused_and_changes_nothing(db: Database, tmp_path: Path) -> None:
    with db.session.begin() as s:
        import_catalogue(s, DEMO_CATALOGUE)
    with db.session() as s:
        before = _snapshot(s)
    bad = small_catalogue()
    bad["version"] = "t-2"
    bad["matters"][1]["department"] = "XXJ"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(UserError) as raised, db.session.begin() as s:
        import_catalogue(s, path)
    assert str(raised.value) == (
        "事项目录未导入，目录保持不变：matters[1].department: 未知的部门编码 'XXJ'"
    )
    with db.session() as s:
        assert _snapshot(s) == before


def test_the_refusal_is_one_line_naming_the_first_problem(db: Database) -> None:
    bad = small_catalogue()
    bad["calendar"] = [
        {"date": f"2026-03-{d:02d}", "workday": True, "name": "错"}
        for d in range(2, 31)
        if d % 7 not in (0, 1)  # 2026-03-07 is a Saturday: only weekdays, each one a problem
    ]
    with pytest.raises(UserError) as raised, db.session.begin() as s:
        import_catalogue(s, bad)
    message = str(raised.value)
    n = len(bad["calendar"])
    assert f"文件有 {n} 处问题" in message
    assert "\n" not in message
    assert message.count("不能标为调休上班") == 1 and "catalogue validate" in message


def test_a_file_that_cannot_be_read_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes(json.dumps(small_catalogue(), ensure_ascii=False).encode("gbk"))
    with pytest.raises(UserError, match="文件不是 UTF-8 编码"), db.session.begin() as s:
        import_catalogue(s, path)
    with db.session() as s:
        assert _counts(s)["catalogue_version"] == 0


@pytest.mark.parametrize("failing_table", ["material", "bundle_matter", "holiday"])
def test_a_failure_mid_import_leaves_the_old_catalogue(
    db: Database, monkeypatch: pytest.MonkeyPatch, failing_table: str
) -> None:
    with db.session.begin() as s:
        import_catalogue(s, DEMO_CATALOGUE)
    with db.session() as s:
        before = _snapshot(s)

    real_insert = importer.insert

    def failing_insert(table: Any) -> Any:
        if table.name == failing_table:
            raise OSError("disk full")
        return real_insert(table)

    monkeypatch.setattr(importer, "insert", failing_insert)
    with pytest.raises(OSError, match="disk full"), db.session.begin() as s:
        import_catalogue(s, small_catalogue())
    with db.session() as s:
        assert _snapshot(s) == before


def test_a_failure_mid_import_cannot_be_committed_by_a_careless_caller(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.session.begin() as s:
        import_catalogue(s, DEMO_CATALOGUE)
    with db.session() as s:
        before = _snapshot(s)
    real_insert = importer.insert
    monkeypatch.setattr(
        importer,
        "insert",
        lambda t: (_ for _ in ()).throw(OSError("boom")) if t.name == "bundle" else real_insert(t),
    )
    with db.session() as s:
        with pytest.raises(OSError):
            import_catalogue(s, small_catalogue())
        s.commit()  # the import rolled its work back: nothing half-done is committed
    with db.session() as s:
        assert _snapshot(s) == before


def test_import_demo_if_empty_only_on_the_first_run(db: Database) -> None:
    with db.session.begin() as s:
        assert import_demo_if_empty(s) is True
    with db.session.begin() as s:
        import_catalogue(s, small_catalogue())
    with db.session.begin() as s:
        assert import_demo_if_empty(s) is False
        assert _counts(s)["matter"] == 2


@pytest.mark.slow
def test_a_20000_matter_catalogue_imports_whole(tmp_path: Path) -> None:
    """The benchmark's catalogue imports completely (its time is `python -m app bench`'s)."""
    from app.catalogue.generate import write_catalogue

    path = tmp_path / "big.json"
    write_catalogue(path, matters=20_000)
    database = open_database(tmp_path / "big.sqlite3")
    try:
        with database.session.begin() as s:
            import_catalogue(s, path)
        with database.session() as s:
            counts = _counts(s)
    finally:
        database.close()
    assert counts["matter"] == 20_000
    assert counts["material"] == 80_000
