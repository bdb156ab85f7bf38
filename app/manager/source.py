"""Where the manager's view reads the hall from: the central store when the desk is connected
to one (its address and token: app.sync.settings), so the whole hall shows on any desk; the
desk's own database otherwise, or when the store cannot be reached or refuses (the view says
so). The network calls here are blocking: the UI runs them on a worker of their own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.errors import UserError
from app.manager.kpi import HallKpis
from app.manager.live import HallNow, from_json
from app.manager.period import Period
from app.manager.report import HallNames, central_kpis, refusal
from db.engine import Database

if TYPE_CHECKING:
    import ssl


@dataclass(frozen=True)
class Central:
    url: str
    token: str
    # The TLS trust kept with the central settings (the hall's CA, else the system's).
    verify: ssl.SSLContext | bool = field(default=True, compare=False, repr=False)


def central_of(database: Database) -> Central | None:
    """The central store this desk is connected to (address and token both set), or None."""
    from app.sync.settings import load_token, tls_verify
    from app.sync.status import central_url

    with database.read() as s:
        url = central_url(s)
    folder = database.path.parent if database.path is not None else None
    token = load_token(folder) if folder is not None else None
    if not (url and token):
        return None
    return Central(url, token, tls_verify(folder))


def central_live(central: Central) -> HallNow:
    """The whole hall now from the central store; a UserError when it cannot be had."""
    from app.sync.client import CentralClient, CentralRefused, CentralUnreachable

    client = CentralClient(
        central.url, central.token, attempts=2, wait_max_s=0.5, timeout_s=5.0,
        verify=central.verify,
    )  # fmt: skip
    try:
        return from_json(client.hall_live())
    except CentralUnreachable as exc:
        raise UserError("manager.central_unreachable", url=central.url, error=str(exc)) from exc
    except CentralRefused as exc:
        raise refusal(exc) from exc
    except ValueError as exc:  # not JSON, or not the hall now
        raise UserError("manager.central_unreachable", url=central.url, error=str(exc)) from exc
    finally:
        client.close()


def central_hall_kpis(central: Central, period: Period) -> tuple[HallKpis, HallNames]:
    """The whole hall's KPIs from the central store (a manager's token); a UserError else."""
    return central_kpis(central.url, central.token, period, verify=central.verify)
