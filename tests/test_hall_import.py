"""`hall import` takes rights away (staff left out are deactivated, not deleted) and never
leaves a window without lines; the staged catalogue import swaps in whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.catalogue.importer import import_catalogue_staged
from app.cli import main
from app.services.hall import DEMO_HALL_FILE
from app.startup import open_desk, open_store
from db.models.catalogue import CatalogueVersion, Material, Matter
from db.models.hall import Clerk
from tests.test_catalogue_samples import small_catalogue


def _hall() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO_HALL_FILE.read_text(encoding="utf-8"))
    return data


def _desk(tmp_path: Path) -> Path:
    data = tmp_path / "d"
    open_desk(data).database.close()
    return data


def test_staff_left_out_are_deactivated_not_deleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _desk(tmp_path)
    doc = _hall()
    doc["clerks"] = [c for c in doc["clerks"] if c["id"] not in ("BC0102", "BC0201")]
    path = tmp_path / "hall.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["--data-dir", str(data), "hall", "import", str(path)]) == 0
    database = open_store(data)
    try:
        with database.read() as s:
            active = {row[0]: row[1] for row in s.execute(select(Clerk.id, Clerk.active))}
    finally:
        database.close()
    assert active["BC0102"] is False and active["BC0201"] is False  # manager too
    assert active["BC0101"] is True and len(active) == 5


def test_a_window_left_without_lines_is_refused_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _desk(tmp_path)
    doc = _hall()
    doc["windows"] = [w for w in doc["windows"] if w["number"] != 6]
    path = tmp_path / "hall.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["--data-dir", str(data), "hall", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "窗口 6" in err and len(err.strip().splitlines()) == 1


def test_the_staged_import_swaps_in_whole_and_keeps_the_indexes(tmp_path: Path) -> None:
    data = _desk(tmp_path)
    path = tmp_path / "c.json"
    path.write_text(json.dumps(small_catalogue(), ensure_ascii=False), encoding="utf-8")
    database = open_store(data)
    try:
        times: list[float] = []
        version = import_catalogue_staged(database, path, times)
        assert times
        with database.read() as s:
            assert s.scalar(select(func.count()).select_from(Matter)) == 2
            assert (s.scalar(select(func.count()).select_from(Material)) or 0) > 0
            current = s.scalars(select(CatalogueVersion).where(CatalogueVersion.is_current)).one()
            assert current.version == version
            names = set(
                s.connection()
                .exec_driver_sql("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")
                .scalars()
            )
        assert {"ix_material_code", "ix_material_matter_code", "ix_matter_department_code"} <= names
        assert not any(n.startswith("catalogue_stage_") for n in names)
    finally:
        database.close()


def test_a_failed_staged_import_leaves_the_live_catalogue(
    tmp_path: Path,
) -> None:
    data = _desk(tmp_path)
    path = tmp_path / "c.json"
    path.write_text(json.dumps(small_catalogue(), ensure_ascii=False), encoding="utf-8")
    database = open_store(data)
    try:
        with database.read() as s:
            before = s.scalar(select(func.count()).select_from(Matter))

        def broken(step: str) -> None:
            raise RuntimeError("disk gone")

        with pytest.raises(RuntimeError):
            import_catalogue_staged(database, path, progress=broken)
        with database.read() as s:
            assert s.scalar(select(func.count()).select_from(Matter)) == before
            names = set(s.connection().exec_driver_sql("SELECT name FROM sqlite_master").scalars())
        assert "ix_material_code" in names
        assert not any(n.startswith("catalogue_stage_") for n in names)
    finally:
        database.close()


def _statements_to_import(data: Path, tmp_path: Path, clerks: int) -> int:
    from sqlalchemy import event

    from app.services.hall import import_hall_file, load_config_file

    doc = _hall()
    doc["clerks"] = doc["clerks"] + [
        {"id": f"X{i:05d}", "name": f"职员{i}", "role": "clerk"} for i in range(clerks)
    ]
    path = tmp_path / f"hall-{clerks}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    cfg = load_config_file(path)
    database = open_store(data)
    count = 0

    def counted(*_args: Any) -> None:
        nonlocal count
        count += 1

    try:
        event.listen(database.engine, "before_cursor_execute", counted)
        import_hall_file(database, cfg)
    finally:
        database.close()
    return count


def test_a_hall_import_writes_its_staff_in_a_few_statements_whatever_their_number(
    tmp_path: Path,
) -> None:
    """The write lock is held for one transaction whose statements do not grow with the staff:
    a hall of thousands of clerks is applied as quickly as one of ten."""
    data = _desk(tmp_path)
    # Both new staff (inserted), then changed and left out (updated, deactivated).
    few = _statements_to_import(data, tmp_path, 10)
    many = _statements_to_import(data, tmp_path, 1000)
    assert many == few
    renamed = _hall()
    renamed["clerks"] = [dict(c, name=c["name"] + "甲") for c in renamed["clerks"]]
    path = tmp_path / "renamed.json"
    path.write_text(json.dumps(renamed, ensure_ascii=False), encoding="utf-8")
    assert main(["--data-dir", str(data), "hall", "import", str(path)]) == 0
    database = open_store(data)
    try:
        with database.read() as s:
            rows = {
                r[0]: (r[1], r[2]) for r in s.execute(select(Clerk.id, Clerk.name, Clerk.active))
            }
    finally:
        database.close()
    assert sum(active for _name, active in rows.values()) == 5
    assert all(name.endswith("甲") for name, active in rows.values() if active)
    assert not rows["X00999"][1]
