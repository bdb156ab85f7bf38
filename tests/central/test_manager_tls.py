"""The manager's view on a desk that trusts the hall's CA (kept with the central settings):
the live view and the KPIs read the whole hall from an https store signed by that CA, as the
desk's sync does, instead of falling back to the desk's own data."""

from __future__ import annotations

from pathlib import Path

from app.central import admin
from app.manager.period import Period
from app.manager.source import central_hall_kpis, central_live, central_of
from app.startup import open_store
from app.sync.settings import remember_central
from db.central.store import open_central
from tests.central.conftest import HALL
from tests.central.test_tls import TlsServer, tls_server

__all__ = ["tls_server"]


def test_the_managers_view_trusts_the_halls_ca_kept_on_the_desk(
    tls_server: TlsServer, store_url: str, tmp_path: Path
) -> None:
    central = open_central(store_url)
    try:
        token = admin.add_manager(central, HALL).token
    finally:
        central.close()
    database = open_store(tmp_path / "desk")
    try:
        remember_central(database, tls_server.url, token, str(tls_server.ca_file))
        source = central_of(database)
        assert source is not None
        now = central_live(source)  # a UserError (certificate not trusted) before
        assert len(now.windows) > 0
        kpis, names = central_hall_kpis(source, Period.of("today", now.at.date(), now.at.date()))
        assert kpis.period.start == now.at.date() and names.windows
    finally:
        database.close()
