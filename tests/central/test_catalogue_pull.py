"""A catalogue the desk pulls from the central store: taken through the staged import with its
fees exact, and bytes that are not a valid catalogue refused with one line, changing nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from app.catalogue.generate import write_catalogue
from app.errors import UserError
from app.sync.client import CentralClient
from app.sync.engine import SyncReport, update_catalogue
from db.engine import open_database
from db.models.catalogue import CatalogueVersion, Matter

TOKEN = "220800-001.secret"


def _serving(body: bytes) -> CentralClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    return CentralClient("http://central", TOKEN, transport=httpx.MockTransport(handler))


def test_a_pulled_catalogue_is_imported_with_exact_fees(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    write_catalogue(path, matters=50)
    raw = path.read_bytes()
    version = json.loads(raw)["version"]
    database = open_database(tmp_path / "desk.sqlite3")
    report = SyncReport()
    update_catalogue(database, _serving(raw), version, report)
    assert report.catalogue == version
    with database.read() as s:
        assert s.scalar(select(CatalogueVersion.version).where(CatalogueVersion.is_current)) == (
            version
        )
        fees = list(s.scalars(select(Matter.fee_yuan)))
    assert len(fees) == 50 and all(isinstance(f, Decimal) for f in fees)
    database.close()


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"version": "x"}'])
def test_bytes_that_are_not_a_catalogue_are_refused_in_one_line(
    tmp_path: Path, body: bytes
) -> None:
    database = open_database(tmp_path / "desk.sqlite3")
    with database.read() as s:
        before = s.scalar(select(CatalogueVersion.version).where(CatalogueVersion.is_current))
    with pytest.raises(UserError) as refused:
        update_catalogue(database, _serving(body), "220800-demo-2099.1", SyncReport())
    assert len(str(refused.value).splitlines()) == 1
    with database.read() as s:
        after = s.scalar(select(CatalogueVersion.version).where(CatalogueVersion.is_current))
    assert after == before
    database.close()


def test_the_stores_catalogue_is_cross_checked_once_at_publishing_not_again_on_the_desk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desk checks the structure its import reads; the cross-checks (codes unique,
    references resolved …) ran when the store published these very bytes."""
    from app.catalogue import validate

    def cross_checks(_data: object) -> list[str]:
        raise AssertionError("the catalogue was cross-checked again on the desk")

    monkeypatch.setattr(validate, "_semantic_problems", cross_checks)
    path = tmp_path / "c.json"
    write_catalogue(path, matters=20)
    raw = path.read_bytes()
    version = json.loads(raw)["version"]
    database = open_database(tmp_path / "desk.sqlite3")
    report = SyncReport()
    update_catalogue(database, _serving(raw), version, report)
    assert report.catalogue == version
    database.close()
